/*
 * CTern: the C that Swift cannot express.  Berkeley DB's variadic methods
 * (DB_ENV->err/errx/log_printf/log_put_record, DB->err/errx) and the exported
 * functions whose parameters are variadic function pointers.  These shims
 * format the text, or take log_put_record's arguments off the va_list into
 * an array, and hand them to Swift; they hold no other logic.
 */
#ifndef CTERN_H
#define CTERN_H
#include "../../../include/db.h"

/* Sets the variadic method pointers of a new handle. */
void tern_install_env_variadics(DB_ENV *dbenv);
void tern_install_db_variadics(DB *dbp);

/* The standard streams, which Swift 6 cannot name (mutable C globals). */
static inline FILE *tern_stderr(void) { return stderr; }
static inline FILE *tern_stdout(void) { return stdout; }

/* Implemented in Swift (Sources/Tern/Handles/ErrorChannel.swift). */
void tern_error_write(const DB_ENV *dbenv, int code, int append_code, const char *text);
int tern_report_unsupported(const DB_ENV *dbenv, const char *method);

/* One DB_LOG_RECSPEC field with its argument taken off the va_list. */
struct tern_logrec_field {
	u_int32_t kind;		/* TERN_LOGREC_WORD, _DB, _BYTES, _LSN */
	u_int32_t word;		/* _WORD: the value */
	const void *data;	/* _BYTES: the DBT's data; NULL with present 0 */
	u_int32_t size;		/* _BYTES: the DBT's size */
	int present;		/* _BYTES, _LSN: the pointer was not NULL */
	DB_LSN lsn;		/* _LSN: the value */
};
#define	TERN_LOGREC_WORD	0
#define	TERN_LOGREC_DB		1
#define	TERN_LOGREC_BYTES	2
#define	TERN_LOGREC_LSN		3

/* Implemented in Swift (Sources/Tern/Methods/LogRecordMethods.swift). */
int tern_log_printf_text(DB_ENV *dbenv, DB_TXN *txn, const char *text, u_int32_t size);
int tern_log_put_record_fields(DB_ENV *dbenv, DB *dbp, DB_TXN *txn, DB_LSN *lsnp,
    u_int32_t flags, u_int32_t rectype, const struct tern_logrec_field *fields,
    u_int32_t count);
#endif
