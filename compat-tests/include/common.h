/* Shared helpers for the storage-engine compat cases (btree_*.c): the error
 * callback and mkenv() of errcb.h, return-code printing with db_strerror
 * text, environment and database opening, DBT construction and printing,
 * and cursor operations that print their results. */
#ifndef TERN_COMPAT_COMMON_H
#define TERN_COMPAT_COMMON_H
#include "errcb.h"
#include <unistd.h>
#include <sys/stat.h>

/* Print a return code: "label -> 0" or "label -> -30996 (DB_NOTFOUND: ...)". */
static int show_rc(const char *label, int r)
{
	if (r == 0) printf("%s -> 0\n", label);
	else printf("%s -> %d (%s)\n", label, r, db_strerror(r));
	fflush(stdout);
	return r;
}
#define R(expr) show_rc(#expr, (expr))

/* Open an environment in directory `home` (created if needed). */
static DB_ENV *openenv(const char *home, u_int32_t flags)
{
	DB_ENV *e = mkenv();
	int r;
	mkdir(home, 0777);
	if ((r = e->open(e, home, flags, 0644)) != 0) {
		printf("env open %s failed: %d (%s)\n", home, r, db_strerror(r));
		exit(1);
	}
	return e;
}

static DB *mkdb(DB_ENV *env)
{
	DB *db;
	int r;
	if ((r = db_create(&db, env, 0)) != 0) {
		printf("db_create failed: %d\n", r);
		exit(1);
	}
	db->set_errcall(db, errcb);
	return db;
}

/* Create a DB handle, apply set_flags (0 for none) and open a btree. */
static DB *opendb(DB_ENV *env, DB_TXN *txn, const char *file, const char *name,
    u_int32_t setflags, u_int32_t openflags)
{
	DB *db = mkdb(env);
	int r;
	if (setflags && (r = db->set_flags(db, setflags)) != 0) {
		printf("set_flags failed: %d\n", r);
		exit(1);
	}
	if ((r = db->open(db, txn, file, name, DB_BTREE, openflags, 0644)) != 0) {
		printf("open %s/%s failed: %d (%s)\n", file ? file : "(mem)",
		    name ? name : "-", r, db_strerror(r));
		exit(1);
	}
	return db;
}

/* A DBT over a C string (size excludes the NUL), or over n bytes. */
static DBT S(const char *s)
{
	DBT d;
	memset(&d, 0, sizeof(d));
	d.data = (void *)s;
	d.size = (u_int32_t)strlen(s);
	return d;
}
static DBT B(const void *p, u_int32_t n)
{
	DBT d;
	memset(&d, 0, sizeof(d));
	d.data = (void *)p;
	d.size = n;
	return d;
}
static DBT Z(void)
{
	DBT d;
	memset(&d, 0, sizeof(d));
	return d;
}

/* Print bytes: printable ASCII as is, others as \xNN; long values are cut. */
static void pbytes(const void *p, u_int32_t n)
{
	const unsigned char *c = p;
	u_int32_t i, lim = n > 64 ? 64 : n;
	if (p == NULL && n > 0) { printf("(null)"); return; }
	for (i = 0; i < lim; i++) {
		if (c[i] >= 0x20 && c[i] < 0x7f && c[i] != '\\') putchar(c[i]);
		else printf("\\x%02x", c[i]);
	}
	if (lim < n) printf("...");
}
static void pdbt(const char *label, const DBT *d)
{
	printf("%s[%u]=\"", label, d->size);
	pbytes(d->data, d->size);
	printf("\"");
}
/* "  key[n]="..." data[n]="..."" on its own line. */
static void pkd(const DBT *k, const DBT *d)
{
	printf("  ");
	pdbt("key", k);
	printf(" ");
	pdbt("data", d);
	printf("\n");
}

/* Dump a database in cursor order, one line per pair. */
static void dump(DB *db, const char *label)
{
	DBC *c;
	DBT k = Z(), d = Z();
	int r, n = 0;
	printf("dump %s:\n", label);
	if ((r = db->cursor(db, NULL, &c, 0)) != 0) {
		printf("  cursor -> %d (%s)\n", r, db_strerror(r));
		return;
	}
	while ((r = c->get(c, &k, &d, DB_NEXT)) == 0) {
		pkd(&k, &d);
		n++;
	}
	printf("  end %d (%d records)\n", r, n);
	c->close(c);
}

/* The end of a get's line: " -> 0 key[n]=... data[n]=..." or
 * " -> rc (text)", then the newline; returns r. */
static int pget_result(int r, const DBT *k, const DBT *d)
{
	if (r == 0) { printf(" -> 0 "); pdbt("key", k); printf(" "); pdbt("data", d); }
	else printf(" -> %d (%s)", r, db_strerror(r));
	printf("\n");
	return r;
}

/* Cursor get: "name OP(key,data) -> rc [key data]". key/data NULL means an
 * empty DBT. Error-callback lines come before the result line. */
static int cget(DBC *c, const char *name, const char *op, u_int32_t flags,
    const char *key, const char *data)
{
	DBT k = key ? S(key) : Z(), d = data ? S(data) : Z();
	int r;
	r = c->get(c, &k, &d, flags);
	printf("%s %s(%s,%s)", name, op, key ? key : "-", data ? data : "-");
	return pget_result(r, &k, &d);
}
#define CG(c, op, k, d) cget(c, #c, #op, op, k, d)

/* Cursor put: "name OP(key,data) -> rc". */
static int cput(DBC *c, const char *name, const char *op, u_int32_t flags,
    const char *key, const char *data)
{
	DBT k = key ? S(key) : Z(), d = data ? S(data) : Z();
	int r;
	r = c->put(c, &k, &d, flags);
	printf("%s put %s(%s,%s)", name, op, key ? key : "-", data ? data : "-");
	if (r == 0) printf(" -> 0\n");
	else printf(" -> %d (%s)\n", r, db_strerror(r));
	return r;
}
#define CP(c, op, k, d) cput(c, #c, #op, op, k, d)

/* Cursor count: "name count -> rc n". */
static int ccount(DBC *c, const char *name)
{
	db_recno_t n = 0;
	int r;
	r = c->count(c, &n, 0);
	printf("%s count", name);
	if (r == 0) printf(" -> 0 n=%u\n", n);
	else printf(" -> %d (%s)\n", r, db_strerror(r));
	return r;
}
#define CCOUNT(c) ccount(c, #c)

/* Cursor del: "name del -> rc". */
#define CDEL(c) show_rc(#c " del", (c)->del((c), 0))

/* DB_SET_RECNO on a cursor, and DB_GET_RECNO (the record number is printed). */
static int cset_recno(DBC *c, const char *name, db_recno_t rn)
{
	DBT k = B(&rn, sizeof(rn)), d = Z();
	int r;
	r = c->get(c, &k, &d, DB_SET_RECNO);
	printf("%s DB_SET_RECNO(%u)", name, rn);
	return pget_result(r, &k, &d);
}
static int cget_recno(DBC *c, const char *name)
{
	DBT k = Z(), d = Z();
	db_recno_t rn;
	int r;
	r = c->get(c, &k, &d, DB_GET_RECNO);
	printf("%s DB_GET_RECNO", name);
	if (r == 0) {
		if (d.size == sizeof(rn)) {
			memcpy(&rn, d.data, sizeof(rn));
			printf(" -> 0 recno=%u\n", rn);
		} else printf(" -> 0 data size %u\n", d.size);
	} else printf(" -> %d (%s)\n", r, db_strerror(r));
	return r;
}
#define CSETRECNO(c, n) cset_recno(c, #c, n)
#define CGETRECNO(c) cget_recno(c, #c)
#endif
