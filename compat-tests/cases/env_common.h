/* Shared helpers for the env_*.c compat cases: an error callback that prints
 * the prefix and message to stdout. */
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
#define R(expr) printf("%s -> %d\n", #expr, (expr))
