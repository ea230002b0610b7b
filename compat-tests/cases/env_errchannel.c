/* The error channel: errcall and errfile with and without a prefix, the
 * stderr default (stderr is made stdout here so it is compared), DB_ENV->err
 * and errx formats and codes, DB->err/errx, message channel getters, long
 * texts. */
#include "env_common.h"
#include <unistd.h>
static void msgcb(const DB_ENV *e, const char *m) { (void)e; printf("  msg[%s]\n", m); }
static void lencb(const DB_ENV *e, const char *pfx, const char *msg)
{
	size_t n = strlen(msg);
	(void)e;
	printf("  len[%s] %zu ...%s\n", pfx ? pfx : "-", n, n > 24 ? msg + n - 24 : msg);
}
static void codes(DB_ENV *e)
{
	e->err(e, EINVAL, "fmt %s %d", "str", 42);
	e->err(e, 0, "code zero");
	e->err(e, DB_NOTFOUND, "notfound");
	e->err(e, DB_LOCK_DEADLOCK, "%s", "deadlock");
	e->err(e, ENOENT, "enoent");
	e->err(e, 9999, "big errno");
	e->err(e, -12345, "unknown negative");
	e->err(e, EINVAL, NULL);
	e->err(e, EINVAL, "");
	e->errx(e, "errx %s %d %%", "str", -7);
	e->errx(e, "");
}
int main(void)
{
	DB_ENV *e; DB *db; char big[3000];
	dup2(1, 2);
	setvbuf(stdout, NULL, _IONBF, 0);

	/* No channel configured: library errors go to stderr. */
	printf("-- no channel\n");
	if (db_env_create(&e, 0) != 0) return 1;
	R(e->set_lg_regionmax(e, 1));
	R(e->set_create_dir(e, "nowhere"));
	e->set_errpfx(e, "pfx");
	R(e->set_lg_regionmax(e, 1));
	e->errx(e, "app errx %d", 1);
	e->err(e, EINVAL, "app err");
	e->set_errpfx(e, NULL);
	codes(e);
	e->close(e, 0);

	/* errcall without and with a prefix. */
	printf("-- errcall\n");
	e = mkenv();
	R(e->set_lg_regionmax(e, 1));
	codes(e);
	e->set_errpfx(e, "mypfx");
	{ const char *p = NULL; e->get_errpfx(e, &p); printf("errpfx %s\n", p ? p : "NULL"); }
	R(e->set_lg_regionmax(e, 1));
	codes(e);
	e->set_errpfx(e, "");
	R(e->set_lg_regionmax(e, 1));
	e->err(e, EINVAL, "empty pfx");
	e->close(e, 0);

	/* errfile without and with a prefix. */
	printf("-- errfile\n");
	if (db_env_create(&e, 0) != 0) return 1;
	e->set_errfile(e, stdout);
	{ FILE *f = NULL; e->get_errfile(e, &f); printf("errfile %s\n", f == stdout ? "stdout" : "other"); }
	R(e->set_lg_regionmax(e, 1));
	codes(e);
	e->set_errpfx(e, "fpfx");
	R(e->set_lg_regionmax(e, 1));
	codes(e);
	e->set_errpfx(e, "");
	R(e->set_lg_regionmax(e, 1));
	e->err(e, EINVAL, NULL);
	e->errx(e, NULL);
	e->set_errpfx(e, NULL);
	e->errx(e, NULL);
	/* Both channels. */
	printf("-- both\n");
	e->set_errcall(e, errcb);
	e->set_errpfx(e, "both");
	R(e->set_lg_regionmax(e, 1));
	e->err(e, ENOENT, "both %d", 2);
	e->close(e, 0);

	/* Channels cleared: library errors vanish, err/errx go to stderr. */
	printf("-- cleared\n");
	e = mkenv();
	e->set_errcall(e, NULL);
	e->set_errfile(e, NULL);
	R(e->set_lg_regionmax(e, 1));
	R(e->set_create_dir(e, "nowhere"));
	e->errx(e, "cleared errx");
	e->err(e, EINVAL, "cleared err");
	e->set_errpfx(e, "cp");
	e->errx(e, "cleared errx with pfx");
	R(e->set_lg_regionmax(e, 1));
	e->close(e, 0);

	/* set_errfile(NULL) alone also ends the stderr default. */
	printf("-- errfile NULL only\n");
	if (db_env_create(&e, 0) != 0) return 1;
	e->set_errfile(e, NULL);
	R(e->set_lg_regionmax(e, 1));
	e->errx(e, "still to stderr");
	e->close(e, 0);

	/* Message channel getters. */
	printf("-- msg\n");
	e = mkenv();
	{ void (*c)(const DB_ENV *, const char *) = (void *)1; FILE *f = (FILE *)1;
	  e->get_msgcall(e, &c); e->get_msgfile(e, &f);
	  printf("msgcall %s msgfile %s\n", c == NULL ? "NULL" : "set", f == NULL ? "NULL" : "set");
	  e->set_msgcall(e, msgcb); e->set_msgfile(e, stdout);
	  e->get_msgcall(e, &c); e->get_msgfile(e, &f);
	  printf("msgcall %s msgfile %s\n", c == msgcb ? "same" : "other", f == stdout ? "stdout" : "other");
	  e->set_msgcall(e, NULL); e->set_msgfile(e, NULL);
	  e->get_msgcall(e, &c); e->get_msgfile(e, &f);
	  printf("msgcall %s msgfile %s\n", c == NULL ? "NULL" : "set", f == NULL ? "NULL" : "set"); }
	e->close(e, 0);

	/* DB handles: in an environment and standalone. */
	printf("-- DB in env\n");
	e = mkenv();
	e->set_errpfx(e, "envpfx");
	R(e->open(e, NULL, DB_CREATE | DB_PRIVATE | DB_INIT_MPOOL, 0));
	R(db_create(&db, e, 0));
	db->err(db, EINVAL, "db err %s", "x");
	db->errx(db, "db errx %d", 5);
	db->err(db, DB_KEYEXIST, NULL);
	db->close(db, 0);
	e->close(e, 0);
	printf("-- DB alone\n");
	R(db_create(&db, NULL, 0));
	db->err(db, EINVAL, "lone err");
	db->errx(db, "lone errx");
	db->set_errpfx(db, "dbpfx");
	db->errx(db, "lone errx pfx");
	db->set_errcall(db, errcb);
	db->err(db, ENOENT, "lone errcall");
	db->set_errcall(db, NULL);
	db->set_errfile(db, stdout);
	db->err(db, ENOENT, "lone errfile");
	db->close(db, 0);

	/* Long texts: the callback gets at most 2047 characters. */
	printf("-- long\n");
	if (db_env_create(&e, 0) != 0) return 1;
	e->set_errcall(e, lencb);
	memset(big, 'a', sizeof big - 1); big[sizeof big - 1] = 0;
	big[2990] = 'Z';
	e->errx(e, "%s", big);
	e->errx(e, "%.2047s", big);
	e->errx(e, "%.2046s", big);
	e->err(e, EINVAL, "%.2030s", big);
	e->err(e, EINVAL, "%.2020s", big);
	e->err(e, EINVAL, "%.2000s", big);
	e->set_errpfx(e, "longpfx");
	e->errx(e, "%.2100s", big);
	/* An error file gets the whole text, however long. */
	e->set_errcall(e, NULL);
	e->set_errfile(e, stdout);
	e->errx(e, "%s", big);
	e->err(e, EINVAL, "%s", big);
	e->close(e, 0);
	return 0;
}
