/*
 * CTern: the C that Swift cannot express.  Berkeley DB's variadic methods
 * (DB_ENV->err/errx/log_printf, DB->err/errx) and the exported functions whose
 * parameters are variadic function pointers.  These shims format the text
 * and hand it to the Swift error channel; they hold no other logic.
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
#endif
