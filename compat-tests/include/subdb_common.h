/* Helpers for the named-database cases (cases/btree_subdb.c,
 * pending/btree_subdb_hash.c): the master database's list of names, and a
 * put that prints only a failure. */
#ifndef TERN_COMPAT_SUBDB_COMMON_H
#define TERN_COMPAT_SUBDB_COMMON_H
#include "common.h"

static void names(DB_ENV *env, const char *file)
{
	DB *m = mkdb(env);
	DBC *c;
	DBT k = Z(), d = Z();
	int r;
	printf("names in %s:", file);
	if ((r = m->open(m, NULL, file, NULL, DB_UNKNOWN, DB_RDONLY, 0)) != 0) {
		printf(" open -> %d (%s)\n", r, db_strerror(r));
		m->close(m, 0);
		return;
	}
	m->cursor(m, NULL, &c, 0);
	while ((r = c->get(c, &k, &d, DB_NEXT)) == 0) { printf(" \""); pbytes(k.data, k.size); printf("\""); }
	printf(" (end %d)\n", r);
	c->close(c);
	m->close(m, 0);
}

static void put1(DB *db, const char *key, const char *val)
{
	DBT k = S(key), d = S(val);
	int r = db->put(db, NULL, &k, &d, 0);
	if (r != 0) printf("put %s -> %d\n", key, r);
}
#endif
