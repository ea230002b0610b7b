/* Shared helpers for the configuration compat cases (db_config_*.c,
 * sequence_config.c, and rep_config_*.c through rep_common.h): an error
 * callback printing "  err [prefix] message" to stdout, a DB handle with
 * that callback, and a main body running a case's checks on a DB without an
 * environment and then on one in a created (not opened) DB_ENV. */
#ifndef TERN_COMPAT_CONFIG_COMMON_H
#define TERN_COMPAT_CONFIG_COMMON_H
#include <db.h>
#include <stdio.h>
#include <string.h>

static void errcall(const DB_ENV *e, const char *pfx, const char *msg)
{
	printf("  err [%s] %s\n", pfx ? pfx : "(null)", msg);
}

/* A DB handle in `env` (NULL: none) with errcall; NULL if db_create fails. */
static DB *fresh(DB_ENV *env)
{
	DB *db;
	if (db_create(&db, env, 0) != 0) return NULL;
	db->set_errcall(db, errcall);
	return db;
}

/* "== no environment", run(NULL), "== in a created environment", run(env)
 * on a created DB_ENV (with errcall when env_errcall is set), then the
 * environment's close. Returns main's exit status. */
static int run_without_and_with_env(void (*run)(DB_ENV *), int env_errcall)
{
	DB_ENV *env;
	printf("== no environment\n");
	run(NULL);
	printf("== in a created environment\n");
	if (db_env_create(&env, 0) != 0) return 1;
	if (env_errcall)
		env->set_errcall(env, errcall);
	run(env);
	printf("env close = %d\n", env->close(env, 0));
	return 0;
}
#endif
