/* A Hash named database in a file whose other named databases are Btrees:
 * the master lists it, DB_UNKNOWN opens it as Hash (type 2), opening it as
 * DB_BTREE is refused, and the master itself cannot be opened as DB_HASH.
 * Pending: Tern has no Hash access method yet. The Btree part of the
 * original case is cases/btree_subdb.c. */
#include "subdb_common.h"

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
	names(NULL, "multi.db");

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
