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
#include <string.h>
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

/* libdb formats into a 2048-byte buffer and logs what vsnprintf says it
 * wrote (reading past its buffer when the text was longer); Tern logs the
 * text as cut to that buffer. */
static int env_log_printf(DB_ENV *dbenv, DB_TXN *txn, const char *fmt, ...)
{
	char buf[2048];
	int n = 0;
	if (fmt != NULL) {
		va_list ap;
		va_start(ap, fmt);
		n = vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
	}
	if (n < 0)
		n = 0;
	if (n > (int)sizeof(buf) - 1)
		n = (int)sizeof(buf) - 1;
	return tern_log_printf_text(dbenv, txn, buf, (u_int32_t)n);
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


/* The most fields a record specification may have: libdb's generated
 * specifications have a handful; a longer one is taken as unterminated. */
#define	TERN_LOGREC_MAX_FIELDS	256

static int env_log_put_record(DB_ENV *dbenv, DB *dbp, DB_TXN *txn, DB_LSN *lsnp,
    u_int32_t flags, u_int32_t rectype, u_int32_t has_data, u_int32_t size,
    DB_LOG_RECSPEC *spec, ...)
{
	struct tern_logrec_field fields[TERN_LOGREC_MAX_FIELDS];
	u_int32_t n = 0;
	va_list ap;
	DBT *dbt;
	DB_LSN *lsn;

	(void)has_data; (void)size;
	if (spec == NULL)
		return tern_log_put_record_fields(dbenv, dbp, txn, lsnp, flags, rectype, NULL, (u_int32_t)-1);
	va_start(ap, spec);
	for (; spec->type != LOGREC_Done; spec++) {
		struct tern_logrec_field *f;
		if (n == TERN_LOGREC_MAX_FIELDS) {
			va_end(ap);
			return tern_log_put_record_fields(dbenv, dbp, txn, lsnp, flags, rectype, NULL, (u_int32_t)-1);
		}
		f = &fields[n++];
		memset(f, 0, sizeof(*f));
		switch (spec->type) {
		case LOGREC_DB:
			f->kind = TERN_LOGREC_DB;
			break;
		case LOGREC_ARG: case LOGREC_TIME: case LOGREC_DBOP: case LOGREC_OP:
			f->kind = TERN_LOGREC_WORD;
			f->word = va_arg(ap, u_int32_t);
			break;
		case LOGREC_DBT: case LOGREC_PGLIST: case LOGREC_LOCKS: case LOGREC_HDR:
		case LOGREC_DATA: case LOGREC_PGDBT: case LOGREC_PGDDBT:
			f->kind = TERN_LOGREC_BYTES;
			dbt = va_arg(ap, DBT *);
			if (dbt != NULL) {
				f->present = 1;
				f->data = dbt->data;
				f->size = dbt->size;
			}
			break;
		case LOGREC_POINTER:
			f->kind = TERN_LOGREC_LSN;
			lsn = va_arg(ap, DB_LSN *);
			if (lsn != NULL) {
				f->present = 1;
				f->lsn = *lsn;
			}
			break;
		default:
			/* Unknown field type: the arguments cannot be read. */
			va_end(ap);
			return tern_log_put_record_fields(dbenv, dbp, txn, lsnp, flags, rectype, NULL, (u_int32_t)-2);
		}
	}
	va_end(ap);
	return tern_log_put_record_fields(dbenv, dbp, txn, lsnp, flags, rectype, fields, n);
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
