/*
 * The variadic methods: err, errx, log_printf and log_put_record.
 * err/errx format the whole text on the heap: libdb writes a long message to
 * an error file in full and cuts only the error callback's copy (to its
 * 2048-byte buffer), which ErrorChannel does.
 */
#define _GNU_SOURCE /* vasprintf */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "ctern.h"

/* Formats into a malloc'd string (NULL when fmt is NULL or memory is short). */
#define TERN_FORMAT(buf, fmt)                                   \
	char *buf = NULL;                                       \
	if (fmt != NULL) {                                      \
		va_list ap;                                     \
		va_start(ap, fmt);                              \
		if (vasprintf(&buf, fmt, ap) < 0)               \
			buf = NULL;                             \
		va_end(ap);                                     \
	}

static void env_err(const DB_ENV *dbenv, int error, const char *fmt, ...)
{
	TERN_FORMAT(buf, fmt);
	tern_error_write(dbenv, error, 1, buf);
	free(buf);
}

static void env_errx(const DB_ENV *dbenv, const char *fmt, ...)
{
	TERN_FORMAT(buf, fmt);
	tern_error_write(dbenv, 0, 0, buf);
	free(buf);
}

/* Application log records are not built yet: DB_OPNOTSUP, said on the channel. */
static int env_log_printf(DB_ENV *dbenv, DB_TXN *txn, const char *fmt, ...)
{
	(void)txn;
	(void)fmt;
	return tern_report_unsupported(dbenv, "DB_ENV->log_printf");
}

static void db_err(DB *dbp, int error, const char *fmt, ...)
{
	TERN_FORMAT(buf, fmt);
	tern_error_write(dbp == NULL ? NULL : dbp->dbenv, error, 1, buf);
	free(buf);
}

static void db_errx(DB *dbp, const char *fmt, ...)
{
	TERN_FORMAT(buf, fmt);
	tern_error_write(dbp == NULL ? NULL : dbp->dbenv, 0, 0, buf);
	free(buf);
}


static int env_log_put_record(DB_ENV *dbenv, DB *dbp, DB_TXN *txn, DB_LSN *lsnp,
    u_int32_t flags, u_int32_t rectype, u_int32_t has_data, u_int32_t size,
    DB_LOG_RECSPEC *spec, ...)
{
	(void)dbp; (void)txn; (void)lsnp; (void)flags; (void)rectype;
	(void)has_data; (void)size; (void)spec;
	return tern_report_unsupported(dbenv, "DB_ENV->log_put_record");
}

void tern_install_env_variadics(DB_ENV *dbenv)
{
	dbenv->err = env_err;
	dbenv->errx = env_errx;
	dbenv->log_printf = env_log_printf;
	dbenv->log_put_record = env_log_put_record;
}

void tern_install_db_variadics(DB *dbp)
{
	dbp->err = db_err;
	dbp->errx = db_errx;
}
