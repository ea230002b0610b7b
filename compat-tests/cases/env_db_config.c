/* DB_CONFIG in the home: good lines applied through the setters, bad lines
 * reported with libdb's text, the first bad line failing open. */
#include "env_common.h"
static void try_open(const char *text)
{
	DB_ENV *e = mkenv(); u_int32_t u = 0; const char *s = NULL; int r;
	write_db_config(text);
	printf("--- %s", text);
	r = e->open(e, ".", DB_CREATE | DB_PRIVATE | DB_INIT_MPOOL | DB_INIT_LOCK | DB_INIT_LOG | DB_INIT_TXN, 0);
	printf("open -> %d\n", r);
	if (r == 0) {
		e->get_flags(e, &u); printf("flags %#x\n", u);
		e->get_tmp_dir(e, &s); printf("tmp_dir [%s]\n", s ? s : "NULL");
		u = 0; e->get_tx_max(e, &u); printf("tx_max %u\n", u);
		u = 0; e->get_open_flags(e, &u); printf("open_flags %#x\n", u);
	}
	e->close(e, 0);
}
int main(void)
{
	{ DB_ENV *e = mkenv(); u_int32_t u = 0; write_db_config("set_tx_max 5\n");
	  R(e->open(e, NULL, DB_CREATE | DB_PRIVATE | DB_INIT_TXN, 0)); R(e->get_tx_max(e, &u)); printf("no home: tx_max %u\n", u); e->close(e, 0); }
	try_open("# comment\n\n   set_flags db_auto_commit\nset_flags DB_TXN_NOSYNC on\nset_tx_max 77\nset_tmp_dir  tmp here  \n");
	try_open("set_flags db_auto_commit off\n");
	try_open("set_tx_max\n");
	try_open("set_tx_max abc\n");
	try_open("set_tx_max -1\n");
	try_open("set_tx_max 99999999999\n");
	try_open("set_lg_filemode -4\n");
	try_open("bogus keyword here\n");
	try_open("SET_TX_MAX 5\n");
	try_open("set_flags db_nothing\n");
	try_open("set_flags db_auto_commit maybe\n");
	try_open("set_cachesize 0 100000\n");
	try_open("set_cachesize 0 x 1\n");
	try_open("set_lg_regionmax 5\n");
	try_open("set_open_flags db_thread\n");
	try_open("set_create_dir nowhere\n");
	try_open("set_lk_detect db_lock_oldest\nset_verbose db_verb_deadlock on\nset_lock_timeout 5\n");
	try_open("set_region_init 2\n");
	try_open("set_intermediate_dir_mode rwx---zzz\n");
	try_open("mutex_set_align 3\n");
	return 0;
}
