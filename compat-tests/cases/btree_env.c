/* Btree databases inside environments: DB_INIT_MPOOL only, with
 * DB_INIT_LOCK, transactional (DB_INIT_TXN | DB_INIT_LOG | DB_INIT_LOCK |
 * DB_INIT_MPOOL with DB_AUTO_COMMIT), and DB_PRIVATE. In each: basic
 * operations, several handles on one file, close and reopen showing the
 * data. Then commit/abort, DB_ENV->dbremove / dbrename, and DB_ENV->close
 * with databases still open. */
#include "common.h"

static void put1(DB *db, DB_TXN *txn, const char *key, const char *val)
{
	DBT k = S(key), d = S(val);
	int r = db->put(db, txn, &k, &d, 0);
	printf("put %s: ", key);
	show_rc("put", r);
}

static void get1(DB *db, DB_TXN *txn, const char *key)
{
	DBT k = S(key), d = Z();
	int r = db->get(db, txn, &k, &d, 0);
	printf("get %s -> %d", key, r);
	if (r == 0) { printf(" "); pdbt("data", &d); }
	else printf(" (%s)", db_strerror(r));
	printf("\n");
}

static void kind(const char *home, u_int32_t eflags, u_int32_t oflags)
{
	DB_ENV *env;
	DB *db, *db2;
	DBT k;
	u_int32_t u;

	printf("== %s\n", home);
	env = openenv(home, eflags);
	db = opendb(env, NULL, "data.db", NULL, 0, DB_CREATE | oflags);
	R(db->get_open_flags(db, &u)); printf("  open_flags %#x\n", u);
	put1(db, NULL, "one", "1");
	put1(db, NULL, "two", "2");
	put1(db, NULL, "three", "3");
	get1(db, NULL, "two");
	k = S("two"); R(db->del(db, NULL, &k, 0));
	get1(db, NULL, "two");
	/* A second handle on the same file sees the first one's writes. */
	db2 = opendb(env, NULL, "data.db", NULL, 0, oflags);
	put1(db2, NULL, "four", "4");
	dump(db, "first handle");
	R(db2->close(db2, 0));
	R(db->close(db, 0));
	R(env->close(env, 0));

	env = openenv(home, eflags);
	db = opendb(env, NULL, "data.db", NULL, 0, oflags);
	dump(db, "after reopen");
	R(db->close(db, 0));
	R(env->close(env, 0));
}

int main(void)
{
	DB_ENV *env;
	DB *db, *db2;
	DB_TXN *txn;
	DBC *c;
	DBT k, d;

	kind("mpool", DB_CREATE | DB_INIT_MPOOL, 0);
	kind("lock", DB_CREATE | DB_INIT_MPOOL | DB_INIT_LOCK, 0);
	kind("txn", DB_CREATE | DB_INIT_TXN | DB_INIT_LOG | DB_INIT_LOCK | DB_INIT_MPOOL, DB_AUTO_COMMIT);
	kind("private", DB_CREATE | DB_PRIVATE | DB_INIT_MPOOL, 0);
	kind("cdb", DB_CREATE | DB_INIT_CDB | DB_INIT_MPOOL, 0);

	printf("== transactions\n");
	env = openenv("txn", DB_CREATE | DB_INIT_TXN | DB_INIT_LOG | DB_INIT_LOCK | DB_INIT_MPOOL);
	db = opendb(env, NULL, "data.db", NULL, 0, DB_AUTO_COMMIT);
	R(env->txn_begin(env, NULL, &txn, 0));
	put1(db, txn, "five", "5");
	get1(db, txn, "five");
	k = S("one"); R(db->del(db, txn, &k, 0));
	R(txn->abort(txn));
	get1(db, NULL, "five");
	get1(db, NULL, "one");
	R(env->txn_begin(env, NULL, &txn, 0));
	put1(db, txn, "six", "6");
	R(db->cursor(db, txn, &c, 0));
	CP(c, DB_KEYFIRST, "seven", "7");
	CG(c, DB_FIRST, NULL, NULL);
	R(c->close(c));
	R(txn->commit(txn, 0));
	dump(db, "after commit");
	/* A database created inside a transaction that aborts is gone. */
	R(env->txn_begin(env, NULL, &txn, 0));
	db2 = mkdb(env);
	R(db2->open(db2, txn, "aborted.db", NULL, DB_BTREE, DB_CREATE, 0644));
	put1(db2, txn, "x", "y");
	R(txn->abort(txn));
	R(db2->close(db2, 0));
	db2 = mkdb(env);
	R(db2->open(db2, NULL, "aborted.db", NULL, DB_BTREE, 0, 0));
	R(db2->close(db2, 0));
	printf("aborted.db exists: %s\n", access("txn/aborted.db", F_OK) == 0 ? "yes" : "no");
	/* Truncate inside a transaction. */
	R(env->txn_begin(env, NULL, &txn, 0));
	{
		u_int32_t n = 0;
		R(db->truncate(db, txn, &n, 0)); printf("  truncated %u\n", n);
	}
	R(txn->abort(txn));
	dump(db, "after aborted truncate");
	R(db->close(db, 0));

	printf("== dbremove / dbrename in a transactional environment\n");
	db = opendb(env, NULL, "r1.db", NULL, 0, DB_CREATE | DB_AUTO_COMMIT);
	put1(db, NULL, "k", "v");
	R(db->close(db, 0));
	R(env->dbrename(env, NULL, "r1.db", NULL, "r2.db", DB_AUTO_COMMIT));
	printf("r1.db: %s, r2.db: %s\n", access("txn/r1.db", F_OK) == 0 ? "yes" : "no",
	    access("txn/r2.db", F_OK) == 0 ? "yes" : "no");
	db = opendb(env, NULL, "r2.db", NULL, 0, DB_AUTO_COMMIT);
	dump(db, "r2.db");
	R(db->close(db, 0));
	R(env->txn_begin(env, NULL, &txn, 0));
	R(env->dbremove(env, txn, "r2.db", NULL, 0));
	R(txn->abort(txn));
	printf("r2.db after aborted remove: %s\n", access("txn/r2.db", F_OK) == 0 ? "yes" : "no");
	R(env->dbremove(env, NULL, "r2.db", NULL, DB_AUTO_COMMIT));
	printf("r2.db after remove: %s\n", access("txn/r2.db", F_OK) == 0 ? "yes" : "no");
	R(env->dbremove(env, NULL, "r2.db", NULL, DB_AUTO_COMMIT));
	R(env->dbrename(env, NULL, "r2.db", NULL, "r3.db", DB_AUTO_COMMIT));
	R(env->close(env, 0));

	printf("== dbremove / dbrename in an mpool environment\n");
	env = openenv("mpool", DB_CREATE | DB_INIT_MPOOL);
	R(env->dbrename(env, NULL, "data.db", NULL, "moved.db", 0));
	R(env->dbremove(env, NULL, "data.db", NULL, 0));
	db = opendb(env, NULL, "moved.db", NULL, 0, 0);
	dump(db, "moved.db");
	R(db->close(db, 0));
	R(env->dbremove(env, NULL, "moved.db", NULL, DB_AUTO_COMMIT));
	R(env->dbremove(env, NULL, "moved.db", NULL, 0));
	printf("moved.db: %s\n", access("mpool/moved.db", F_OK) == 0 ? "yes" : "no");
	R(env->close(env, 0));

	printf("== DB_ENV->close with databases open\n");
	env = openenv("lock", DB_CREATE | DB_INIT_MPOOL | DB_INIT_LOCK);
	db = opendb(env, NULL, "data.db", NULL, 0, 0);
	db2 = opendb(env, NULL, "other.db", "sub", 0, DB_CREATE);
	put1(db, NULL, "late", "write");
	R(db->cursor(db, NULL, &c, 0));
	R(env->close(env, 0));
	env = openenv("lock", DB_CREATE | DB_INIT_MPOOL | DB_INIT_LOCK);
	db = opendb(env, NULL, "data.db", NULL, 0, 0);
	dump(db, "after env closed under it");
	R(db->close(db, 0));
	R(env->close(env, 0));
	return 0;
}
