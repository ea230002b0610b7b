/* Shared helpers for the env_*.c compat cases: errcb/mkenv (errcb.h), R()
 * printing "expr -> rc", and write_db_config() writing ./DB_CONFIG. */
#ifndef TERN_COMPAT_ENV_COMMON_H
#define TERN_COMPAT_ENV_COMMON_H
#include "errcb.h"

#define R(expr) printf("%s -> %d\n", #expr, (expr))

/* Replace ./DB_CONFIG with `text`. */
static void write_db_config(const char *text)
{
	FILE *f = fopen("DB_CONFIG", "w"); fputs(text, f); fclose(f);
}
#endif
