/* A Hash named database in a file whose other named databases are Btrees:
 * the master lists it, DB_UNKNOWN opens it as Hash (type 2), opening it as
 * DB_BTREE is refused, and the master itself cannot be opened as DB_HASH.
 * Pending: Tern has no Hash access method yet. The Btree part of the
 * original case is cases/btree_subdb.c. */
#include "common.h"

static void names(const char *file)
{
	DB *m = mkdb(NULL);
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

int main(void)
{
	DB *db;
	DBTYPE t;

	db = mkdb(NULL);
	R(db->open(db, NULL, "multi.db", "one", DB_BTREE, DB_CREATE, 0644));
	put1(db, "k1", "one-1");
	R(db->close(db, 0));
	db = mkdb(NULL);
	R(db->open(db, NULL, "multi.db", "three", DB_HASH, DB_CREATE, 0644));
	put1(db, "k1", "three-1");
	R(db->close(db, 0));
	names("multi.db");

	db = mkdb(NULL);
	R(db->open(db, NULL, "multi.db", "three", DB_UNKNOWN, 0, 0));
	t = 0; R(db->get_type(db, &t)); printf("  type %d\n", (int)t);
	dump(db, "three");
	R(db->close(db, 0));
	db = mkdb(NULL);
	R(db->open(db, NULL, "multi.db", "three", DB_BTREE, 0, 0));
	R(db->close(db, 0));
	db = mkdb(NULL);
	R(db->open(db, NULL, "multi.db", NULL, DB_HASH, 0, 0));
	R(db->close(db, 0));
	return 0;
}
