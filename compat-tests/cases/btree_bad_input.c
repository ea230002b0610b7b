/* Bad input to the btree access methods: unknown and conflicting flags on
 * DB->put/get/del and cursor get/put/dup/close, DB_GET_BOTH without data,
 * bulk flags without user memory, DB_DBT_PARTIAL with positioning flags,
 * transaction misuse (a write cursor on a transactional database outside a
 * transaction, a transaction on a non-transactional database), and opening
 * files that are not databases: empty, 100 pseudo-random bytes, text, zeros. */
#include "common.h"

static void mkfile(const char *name, const void *p, size_t n)
{
	FILE *fp = fopen(name, "wb");
	if (n) fwrite(p, 1, n, fp);
	fclose(fp);
}

static void tryopen(const char *file, DBTYPE type, u_int32_t flags)
{
	DB *db = mkdb(NULL);
	int r = db->open(db, NULL, file, NULL, type, flags, 0644);
	printf("open %s type=%d flags=%#x -> %d", file, (int)type, flags, r);
	if (r != 0) printf(" (%s)", db_strerror(r));
	printf("\n");
	db->close(db, 0);
}

int main(void)
{
	DB_ENV *env;
	DB *db, *db2;
	DBC *c;
	DB_TXN *txn;
	DBT k, d;
	char buf[256];
	unsigned char rnd[100];
	unsigned x = 12345;
	int i;

	db = opendb(NULL, NULL, "bad.db", NULL, DB_DUP, DB_CREATE);
	k = S("k"); d = S("v1"); db->put(db, NULL, &k, &d, 0);
	k = S("k"); d = S("v2"); db->put(db, NULL, &k, &d, 0);
	k = S("k"); d = S(""); db->put(db, NULL, &k, &d, 0);

	printf("-- DB->put\n");
	k = S("k"); d = S("x");
	R(db->put(db, NULL, &k, &d, 0x40000000));
	R(db->put(db, NULL, &k, &d, DB_NOOVERWRITE | DB_OVERWRITE_DUP));
	R(db->put(db, NULL, &k, &d, DB_APPEND | DB_NOOVERWRITE));
	R(db->put(db, NULL, &k, &d, DB_MULTIPLE));
	R(db->put(db, NULL, &k, &d, DB_MULTIPLE_KEY));
	R(db->put(db, NULL, &k, &d, DB_AUTO_COMMIT));
	k = S("k"); k.flags = DB_DBT_USERMEM; k.ulen = 0; d = S("ulen ignored");
	R(db->put(db, NULL, &k, &d, 0));
	k = S("k2"); d = S("x"); d.flags = 0x80000000u;
	R(db->put(db, NULL, &k, &d, 0));

	printf("-- DB->get\n");
	k = S("k"); d = Z();
	R(db->get(db, NULL, &k, &d, DB_GET_BOTH));
	pkd(&k, &d);
	k = S("k"); d = S("v2");
	R(db->get(db, NULL, &k, &d, DB_GET_BOTH_RANGE));
	R(db->get(db, NULL, &k, &d, DB_SET));
	R(db->get(db, NULL, &k, &d, DB_SET_RANGE));
	R(db->get(db, NULL, &k, &d, DB_FIRST));
	R(db->get(db, NULL, &k, &d, DB_CURRENT));
	R(db->get(db, NULL, &k, &d, DB_GET_RECNO));
	R(db->get(db, NULL, &k, &d, DB_READ_COMMITTED));
	R(db->get(db, NULL, &k, &d, DB_READ_UNCOMMITTED));
	R(db->get(db, NULL, &k, &d, DB_IGNORE_LEASE));
	d = Z(); R(db->get(db, NULL, &k, &d, DB_MULTIPLE));
	d = Z(); d.flags = DB_DBT_USERMEM; d.data = buf; d.ulen = sizeof(buf);
	R(db->get(db, NULL, &k, &d, DB_MULTIPLE_KEY));
	k = S("k"); d = S("v2"); d.flags = DB_DBT_PARTIAL; d.doff = 0; d.dlen = 2;
	R(db->get(db, NULL, &k, &d, DB_GET_BOTH));
	k = S("k"); d = Z(); k.flags = DB_DBT_PARTIAL; k.dlen = 1;
	R(db->get(db, NULL, &k, &d, 0));
	k = S("k"); d = Z(); d.flags = 0x80000000u;
	R(db->get(db, NULL, &k, &d, 0));

	printf("-- DB->del\n");
	k = S("k");
	R(db->del(db, NULL, &k, DB_NOOVERWRITE));
	R(db->del(db, NULL, &k, DB_MULTIPLE));
	k = S("nokey");
	R(db->del(db, NULL, &k, DB_AUTO_COMMIT));

	printf("-- cursors\n");
	R(db->cursor(db, NULL, &c, 0x40000000));
	R(db->cursor(db, NULL, &c, DB_WRITECURSOR));
	R(db->cursor(db, NULL, &c, DB_TXN_SNAPSHOT));
	R(db->cursor(db, NULL, &c, DB_CURSOR_BULK));
	CG(c, DB_SET, "k", NULL);
	CG(c, DB_NEXT | DB_MULTIPLE, NULL, NULL);
	CG(c, DB_NEXT | DB_MULTIPLE_KEY, NULL, NULL);
	CG(c, DB_GET_BOTH, "k", NULL);
	CG(c, DB_GET_BOTH_RANGE, "k", NULL);
	CG(c, DB_JOIN_ITEM, NULL, NULL);
	CG(c, DB_NEXT | DB_READ_COMMITTED, NULL, NULL);
	CG(c, DB_FIRST | DB_IGNORE_LEASE, NULL, NULL);
	CG(c, 99, NULL, NULL);
	CG(c, DB_AFTER, NULL, NULL);
	CP(c, DB_KEYFIRST | DB_NODUPDATA, "k", "v3");
	CP(c, DB_KEYLAST | DB_NOOVERWRITE, "k", "v3");
	CP(c, DB_CURRENT | DB_NODUPDATA, NULL, "v3");
	CP(c, DB_NEXT, NULL, "v3");
	CP(c, DB_SET, "k", "v3");
	CP(c, 99, "k", "v3");
	CG(c, DB_CURRENT, NULL, NULL);
	k = S("k"); d = Z(); d.flags = DB_DBT_PARTIAL; d.dlen = 1;
	R(c->get(c, &k, &d, DB_SET)); pkd(&k, &d);
	k = S("k"); d = S("v"); d.flags = DB_DBT_PARTIAL; d.dlen = 1;
	R(c->get(c, &k, &d, DB_GET_BOTH));
	k = S("k"); d = S("v"); d.flags = DB_DBT_PARTIAL; d.dlen = 1;
	R(c->put(c, &k, &d, DB_KEYLAST));
	R(c->del(c, 0x7777));
	R(c->del(c, DB_UPDATE_SECONDARY));
	{
		db_recno_t n;
		R(c->count(c, &n, 0x7777));
		DBC *c2;
		R(c->dup(c, &c2, DB_POSITION | 0x40000000));
	}
	R(c->close(c));
	R(db->close(db, 0));

	printf("-- transaction misuse\n");
	env = openenv("txnenv", DB_CREATE | DB_INIT_TXN | DB_INIT_LOG | DB_INIT_LOCK | DB_INIT_MPOOL);
	db = opendb(env, NULL, "tx.db", NULL, 0, DB_CREATE | DB_AUTO_COMMIT);
	db2 = opendb(env, NULL, "nontx.db", NULL, 0, DB_CREATE);
	/* Writes without a transaction on a transactional database. */
	k = S("a"); d = S("1"); R(db->put(db, NULL, &k, &d, 0));
	R(db->cursor(db, NULL, &c, 0));
	CP(c, DB_KEYFIRST, "b", "2");
	CG(c, DB_FIRST, NULL, NULL);
	CDEL(c);
	R(c->close(c));
	R(db->cursor(db, NULL, &c, DB_WRITECURSOR));
	/* A transaction on a non-transactional database. */
	R(env->txn_begin(env, NULL, &txn, 0));
	k = S("a"); d = S("1"); R(db2->put(db2, txn, &k, &d, 0));
	k = S("a"); d = Z(); R(db2->get(db2, txn, &k, &d, 0));
	R(db2->cursor(db2, txn, &c, 0));
	R(db->put(db, txn, &k, &d, DB_AUTO_COMMIT));
	R(db->put(db, txn, &k, &d, 0));
	R(txn->commit(txn, 0));
	dump(db, "tx.db");
	dump(db2, "nontx.db");
	R(db->close(db, 0));
	R(db2->close(db2, 0));
	db = mkdb(env);
	R(db->open(db, NULL, "t2.db", NULL, DB_BTREE, DB_CREATE | DB_TRUNCATE, 0644));
	R(db->close(db, 0));
	R(env->close(env, 0));

	printf("-- files that are not databases\n");
	mkfile("empty.db", "", 0);
	for (i = 0; i < 100; i++) { x = x * 1103515245u + 12345u; rnd[i] = (unsigned char)(x >> 16); }
	mkfile("random.db", rnd, sizeof(rnd));
	mkfile("text.db", "This is not a Berkeley DB database.\nJust some text.\n", 52);
	memset(buf, 0, sizeof(buf));
	mkfile("zeros.db", buf, sizeof(buf));
	for (i = 0; i < 4; i++) {
		const char *f[] = { "empty.db", "random.db", "text.db", "zeros.db" };
		tryopen(f[i], DB_BTREE, 0);
		tryopen(f[i], DB_UNKNOWN, 0);
		tryopen(f[i], DB_BTREE, DB_CREATE);
		tryopen(f[i], DB_BTREE, DB_RDONLY);
	}
	/* An empty file is initialised by DB_CREATE. */
	db = opendb(NULL, NULL, "empty.db", NULL, 0, DB_CREATE);
	k = S("now"); d = S("a database"); R(db->put(db, NULL, &k, &d, 0));
	R(db->close(db, 0));
	db = opendb(NULL, NULL, "empty.db", NULL, 0, 0);
	dump(db, "empty.db");
	R(db->close(db, 0));
	/* A directory. */
	mkdir("adir", 0777);
	tryopen("adir", DB_BTREE, 0);
	return 0;
}
