/* The environment error callback shared by common.h (btree_*.c) and
 * env_common.h (env_*.c): prints "  err[prefix] message" to stdout; and
 * mkenv(), a DB_ENV with that callback. */
#ifndef TERN_COMPAT_ERRCB_H
#define TERN_COMPAT_ERRCB_H
#include <db.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

static void errcb(const DB_ENV *e, const char *pfx, const char *msg)
{
	(void)e;
	printf("  err[%s] %s\n", pfx ? pfx : "-", msg);
}

static DB_ENV *mkenv(void)
{
	DB_ENV *e;
	if (db_env_create(&e, 0) != 0) exit(1);
	e->set_errcall(e, errcb);
	return e;
}
#endif
