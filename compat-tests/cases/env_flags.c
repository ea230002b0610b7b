/* DB_ENV->set_flags / get_flags: accepted flags, on/off, combinations,
 * before/after-open rules. */
#include "env_common.h"
int main(void)
{
	DB_ENV *e = mkenv(); u_int32_t f;
	R(e->set_flags(e, DB_AUTO_COMMIT | DB_NOMMAP, 1));
	f = 0; R(e->get_flags(e, &f)); printf("flags %#x\n", f);
	R(e->set_flags(e, DB_NOMMAP, 0));
	f = 0; R(e->get_flags(e, &f)); printf("flags %#x\n", f);
	R(e->set_flags(e, DB_CREATE, 1));
	R(e->set_flags(e, DB_TXN_NOSYNC | DB_TXN_WRITE_NOSYNC, 1));
	R(e->set_flags(e, DB_TXN_NOSYNC | DB_TXN_WRITE_NOSYNC, 0));
	R(e->set_flags(e, DB_TXN_NOSYNC, 1));
	R(e->set_flags(e, DB_TXN_WRITE_NOSYNC, 1));
	f = 0; R(e->get_flags(e, &f)); printf("flags %#x\n", f);
	R(e->log_set_config(e, DB_LOG_IN_MEMORY, 1));
	f = 0; R(e->get_flags(e, &f)); printf("flags %#x\n", f);
	R(e->set_flags(e, DB_PANIC_ENVIRONMENT, 1));
	R(e->set_flags(e, DB_HOTBACKUP_IN_PROGRESS, 1));
	R(e->set_flags(e, DB_CDB_ALLDB | DB_REGION_INIT | DB_YIELDCPU | DB_TXN_SNAPSHOT | DB_MULTIVERSION, 1));
	f = 0; R(e->get_flags(e, &f)); printf("flags %#x\n", f);
	R(e->open(e, NULL, DB_CREATE | DB_PRIVATE | DB_INIT_MPOOL | DB_INIT_TXN | DB_INIT_LOCK, 0));
	R(e->set_flags(e, DB_CDB_ALLDB, 1));
	R(e->set_flags(e, DB_REGION_INIT, 0));
	R(e->set_flags(e, DB_NOMMAP, 1));
	f = 0; R(e->get_flags(e, &f)); printf("flags %#x\n", f);
	R(e->set_flags(e, DB_TXN_NOSYNC, 1));
	R(e->close(e, 0));
	return 0;
}
