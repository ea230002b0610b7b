/* Shared helpers for the replication compat cases (rep_config_*.c): the
 * errcall of config_common.h, a transport that sends nothing, a created
 * DB_ENV with errcall and the prefix "rep", and the open flags of a
 * replicated environment. */
#ifndef TERN_COMPAT_REP_COMMON_H
#define TERN_COMPAT_REP_COMMON_H
#include "config_common.h"

static int send_fn(DB_ENV *e, const DBT *c, const DBT *r, const DB_LSN *l, int eid, u_int32_t f)
{
	return 0;
}

/* A created DB_ENV with errcall and prefix "rep"; NULL (after a message) if
 * db_env_create fails. */
static DB_ENV *new_env(void)
{
	DB_ENV *dbenv;
	int ret = db_env_create(&dbenv, 0);
	if (ret != 0) {
		printf("db_env_create %d\n", ret);
		return NULL;
	}
	dbenv->set_errcall(dbenv, errcall);
	dbenv->set_errpfx(dbenv, "rep");
	return dbenv;
}

#define REP_FLAGS (DB_CREATE | DB_INIT_LOCK | DB_INIT_LOG | DB_INIT_MPOOL | \
    DB_INIT_TXN | DB_INIT_REP | DB_PRIVATE | DB_THREAD)
#endif
