/* DB->open flags on a btree without an environment: DB_CREATE, DB_EXCL,
 * DB_RDONLY (writes refused), DB_TRUNCATE, DB_UNKNOWN on an existing
 * file, the wrong access method, a missing file, illegal flags and
 * combinations, in-memory databases, the getters
 * after open and configuration after open. */
#include "common.h"

static void put1(DB *db, const char *key, const char *val)
{
	DBT k = S(key), d = S(val);
	int r = db->put(db, NULL, &k, &d, 0);
	printf("put %s: ", key);
	show_rc("put", r);
}

static void getters(DB *db)
{
	DBTYPE t = 0;
	u_int32_t u = 0;
	const char *f = NULL, *n = NULL;
	int r;
	r = db->get_type(db, &t); printf("  get_type -> %d type=%d\n", r, (int)t);
	r = db->get_open_flags(db, &u); printf("  get_open_flags -> %d flags=%#x\n", r, u);
	r = db->get_dbname(db, &f, &n);
	printf("  get_dbname -> %d file=%s name=%s\n", r, f ? f : "(null)", n ? n : "(null)");
	u = 0; r = db->get_flags(db, &u); printf("  get_flags -> %d flags=%#x\n", r, u);
}

static int openit(const char *file, DBTYPE type, u_int32_t flags, DB **out)
{
	DB *db = mkdb(NULL);
	int r = db->open(db, NULL, file, NULL, type, flags, 0644);
	printf("open %s type=%d flags=%#x -> %d", file ? file : "(mem)", (int)type, flags, r);
	if (r != 0) printf(" (%s)", db_strerror(r));
	printf("\n");
	if (r != 0 || out == NULL) { db->close(db, 0); if (out) *out = NULL; }
	else *out = db;
	return r;
}

int main(void)
{
	DB *db, *db2;
	DBC *c;
	DBT k, d;
	FILE *fp;

	printf("-- missing file\n");
	openit("t.db", DB_BTREE, 0, NULL);
	openit("t.db", DB_BTREE, DB_RDONLY, NULL);
	openit("t.db", DB_UNKNOWN, 0, NULL);
	openit("nodir/t.db", DB_BTREE, DB_CREATE, NULL);
	printf("t.db exists: %s\n", access("t.db", F_OK) == 0 ? "yes" : "no");

	printf("-- DB_CREATE, DB_EXCL\n");
	openit("t.db", DB_BTREE, DB_CREATE, &db);
	getters(db);
	put1(db, "a", "1"); put1(db, "b", "2");
	R(db->close(db, 0));
	openit("t.db", DB_BTREE, DB_CREATE | DB_EXCL, NULL);
	openit("t.db", DB_BTREE, DB_EXCL, NULL);
	openit("u.db", DB_BTREE, DB_CREATE | DB_EXCL, &db);
	R(db->close(db, 0));
	openit("t.db", DB_BTREE, DB_CREATE, &db);
	dump(db, "t.db reopened with DB_CREATE");
	R(db->close(db, 0));

	printf("-- DB_RDONLY\n");
	openit("t.db", DB_BTREE, DB_RDONLY, &db);
	getters(db);
	k = S("a"); d = Z(); R(db->get(db, NULL, &k, &d, 0)); pkd(&k, &d);
	put1(db, "c", "3");
	k = S("a"); R(db->del(db, NULL, &k, 0));
	R(db->cursor(db, NULL, &c, 0));
	CG(c, DB_FIRST, NULL, NULL);
	CP(c, DB_CURRENT, NULL, "x");
	CP(c, DB_KEYFIRST, "z", "x");
	CDEL(c);
	R(c->close(c));
	R(db->cursor(db, NULL, &c, DB_WRITECURSOR));
	R(db->truncate(db, NULL, &k.size, 0));
	R(db->sync(db, 0));
	R(db->close(db, 0));
	openit("t.db", DB_BTREE, DB_RDONLY | DB_CREATE, &db);
	if (db) R(db->close(db, 0));
	/* (DB_RDONLY | DB_TRUNCATE makes libdb fail in ftruncate/write with a
	 * pointer in the message: not tested.) */

	printf("-- DB_TRUNCATE\n");
	openit("t.db", DB_BTREE, DB_TRUNCATE, &db);
	dump(db, "t.db truncated");
	put1(db, "new", "n");
	R(db->close(db, 0));
	openit("t.db", DB_BTREE, DB_CREATE | DB_TRUNCATE, &db);
	dump(db, "t.db truncated again");
	R(db->close(db, 0));
	openit("v.db", DB_BTREE, DB_CREATE | DB_TRUNCATE, &db);
	dump(db, "v.db created with DB_TRUNCATE");
	R(db->close(db, 0));

	printf("-- DB_UNKNOWN and the wrong access method\n");
	openit("t.db", DB_UNKNOWN, 0, &db);
	getters(db);
	R(db->close(db, 0));
	openit("t.db", DB_UNKNOWN, DB_CREATE, NULL);
	openit("t.db", DB_UNKNOWN, DB_TRUNCATE, NULL);
	openit("t.db", DB_HASH, 0, NULL);
	openit("t.db", DB_RECNO, 0, NULL);
	openit("t.db", DB_QUEUE, 0, NULL);
	openit("t.db", DB_HEAP, 0, NULL);
	openit("t.db", (DBTYPE)42, DB_CREATE, NULL);

	printf("-- illegal flags\n");
	openit("t.db", DB_BTREE, 0x80000000u, NULL);
	openit("t.db", DB_BTREE, DB_AUTO_COMMIT, NULL);
	openit("t.db", DB_BTREE, DB_MULTIVERSION, NULL);
	openit("t.db", DB_BTREE, DB_READ_UNCOMMITTED, NULL);
	openit("w.db", DB_BTREE, DB_CREATE | DB_THREAD, &db);
	getters(db);
	R(db->close(db, 0));
	openit("w.db", DB_BTREE, DB_NOMMAP, &db);
	getters(db);
	R(db->close(db, 0));

	printf("-- two handles on the same file, one at a time\n");
	/* (Calling open on an already-open handle is not detected by libdb
	 * and crashes later: not tested.) */
	openit("t.db", DB_BTREE, DB_RDONLY, &db2);
	dump(db2, "second handle");
	R(db2->close(db2, 0));
	openit("t.db", DB_BTREE, 0, &db);

	printf("-- configuration after open\n");
	R(db->set_flags(db, DB_DUP));
	R(db->set_pagesize(db, 8192));
	R(db->set_bt_minkey(db, 4));
	R(db->set_cachesize(db, 0, 1 << 20, 1));
	R(db->set_lorder(db, 1234));
	R(db->set_bt_compare(db, NULL));
	R(db->set_dup_compare(db, NULL));
	R(db->set_bt_prefix(db, NULL));
	R(db->close(db, 0));

	printf("-- in-memory databases\n");
	openit(NULL, DB_BTREE, DB_CREATE, &db);
	getters(db);
	put1(db, "m1", "v1"); put1(db, "m2", "v2");
	dump(db, "in-memory");
	R(db->close(db, 0));
	openit(NULL, DB_BTREE, 0, &db);
	if (db) R(db->close(db, 0));
	db = mkdb(NULL);
	R(db->open(db, NULL, NULL, "named", DB_BTREE, DB_CREATE, 0644));
	getters(db);
	put1(db, "n1", "v1");
	dump(db, "named in-memory");
	R(db->close(db, 0));
	openit(NULL, DB_UNKNOWN, DB_CREATE, NULL);
	openit(NULL, DB_BTREE, DB_RDONLY | DB_CREATE, &db);
	if (db) R(db->close(db, 0));
	openit(NULL, DB_BTREE, DB_CREATE | DB_TRUNCATE, &db);
	if (db) R(db->close(db, 0));

	printf("-- a file that is not a database\n");
	fp = fopen("text.db", "w"); fputs("hello, world\n", fp); fclose(fp);
	openit("text.db", DB_BTREE, 0, NULL);
	openit("text.db", DB_BTREE, DB_CREATE, NULL);
	openit("text.db", DB_UNKNOWN, 0, NULL);
	openit("text.db", DB_BTREE, DB_TRUNCATE, &db);
	if (db) { put1(db, "t", "1"); dump(db, "text.db truncated"); R(db->close(db, 0)); }

	printf("-- close flags, remove\n");
	openit("t.db", DB_BTREE, 0, &db);
	R(db->close(db, DB_NOSYNC));
	openit("t.db", DB_BTREE, 0, &db);
	R(db->close(db, 0x7777));
	db = mkdb(NULL); R(db->remove(db, "t.db", NULL, 0));
	printf("t.db exists: %s\n", access("t.db", F_OK) == 0 ? "yes" : "no");
	db = mkdb(NULL); R(db->remove(db, "t.db", NULL, 0));
	db = mkdb(NULL); R(db->rename(db, "u.db", NULL, "u2.db", 0));
	printf("u.db exists: %s, u2.db exists: %s\n", access("u.db", F_OK) == 0 ? "yes" : "no",
	    access("u2.db", F_OK) == 0 ? "yes" : "no");
	db = mkdb(NULL); R(db->rename(db, "u.db", NULL, "u3.db", 0));
	return 0;
}
