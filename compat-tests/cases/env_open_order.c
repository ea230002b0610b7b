/* DB_ENV->open flag checks, getters before/after open, opening twice,
 * configuration after open, remove and close flag checks. */
#include "env_common.h"
int main(void)
{
	DB_ENV *e = mkenv(); const char *s; u_int32_t u;
	R(e->get_home(e, &s)); R(e->get_open_flags(e, &u));
	R(e->open(e, NULL, 0x80000000u, 0));
	R(e->open(e, NULL, DB_INIT_CDB | DB_INIT_TXN, 0));
	R(e->open(e, NULL, DB_CREATE | DB_RECOVER, 0));
	R(e->open(e, NULL, DB_RECOVER | DB_RECOVER_FATAL | DB_CREATE | DB_INIT_TXN, 0));
	R(e->open(e, NULL, DB_CREATE | DB_INIT_REP, 0));
	R(e->open(e, NULL, DB_CREATE | DB_INIT_REP | DB_INIT_LOCK, 0));
	R(e->open(e, NULL, DB_CREATE | DB_REGISTER, 0));
	R(e->open(e, NULL, DB_REGISTER | DB_PRIVATE, 0));
	R(e->open(e, NULL, DB_CREATE | DB_FAILCHK, 0));
	R(e->open(e, "no/such/home", DB_CREATE | DB_INIT_MPOOL, 0));
	R(e->open(e, NULL, DB_INIT_MPOOL, 0));
	R(e->get_home(e, &s));
	R(e->open(e, "no/such/home", DB_CREATE | DB_PRIVATE | DB_INIT_MPOOL | DB_INIT_CDB, 0));
	s = NULL; R(e->get_home(e, &s)); printf("home %s\n", s);
	u = 0; R(e->get_open_flags(e, &u)); printf("open_flags %#x\n", u);
	R(e->open(e, NULL, DB_CREATE | DB_PRIVATE, 0));
	R(e->set_lk_max_locks(e, 10)); R(e->set_tx_max(e, 1)); R(e->set_shm_key(e, 5));
	R(e->set_thread_count(e, 4)); R(e->set_memory_max(e, 0, 1)); R(e->set_lg_bsize(e, 1));
	R(e->set_data_dir(e, "d")); R(e->set_metadata_dir(e, "m")); R(e->mutex_set_align(e, 8));
	R(e->set_intermediate_dir_mode(e, "rwx------")); R(e->set_lk_conflicts(e, NULL, 0));
	R(e->set_encrypt(e, "pw", 0)); R(e->set_isalive(e, NULL));
	R(e->remove(e, NULL, 0));
	R(e->close(e, 5));
	e = mkenv();
	R(e->remove(e, NULL, 0x40000000));
	R(e->remove(e, NULL, DB_FORCE));
	return 0;
}
