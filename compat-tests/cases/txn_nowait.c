/* Lock conflicts between two transactions in one thread, observed without
 * blocking through DB_TXN_NOWAIT (DB_LOCK_NOTGRANTED instead of a wait):
 *  - T1 writes k; a NOWAIT T2's get / exists / put / del / cursor on k are
 *    refused; T2 stays usable (its work on another database succeeds) and
 *    succeeds on k once T1 has committed; a fresh NOWAIT transaction too.
 *  - T1 only reads k: T2 reads it too (shared/shared granted), but may not
 *    write it until T1 commits. DB_RMW reads take write locks.
 *  - DB_READ_COMMITTED readers release their read locks at once.
 *  - DB_ENV->set_flags(DB_TXN_NOWAIT) makes every transaction NOWAIT;
 *    DB_TXN_WAIT at txn_begin overrides it (not exercised on a conflict).
 *  - A child transaction does not conflict with its parent's locks.
 * libdb's access methods report a refused NOWAIT lock as DB_LOCK_DEADLOCK
 * (the transaction is not marked deadlocked: it stays usable and can
 * commit); only with DB_ENV->set_flags(DB_TIME_NOTGRANTED) do they return
 * DB_LOCK_NOTGRANTED. DB_ENV->lock_get with DB_LOCK_NOWAIT returns
 * DB_LOCK_NOTGRANTED either way.
 * Databases are tiny, so every key of one database sits on the one leaf
 * page: libdb locks btree pages, not keys. Only the last section depends
 * on that: T1's write of k refuses T2 a read of m and an insert of z, and
 * T1's read of k refuses T2 a delete of m (a different key, same page). */
#include "txn_common.h"

static DB_ENV *env;
static DB *db, *other;

static void cursor_probe(DB_TXN *t, const char *who, const char *key)
{
	DBC *c;
	DBT k = S(key), d = Z();
	int r;
	if ((r = db->cursor(db, t, &c, 0)) != 0) {
		printf("%s cursor -> %d (%s)\n", who, r, db_strerror(r));
		return;
	}
	r = c->get(c, &k, &d, DB_SET);
	printf("%s cursor DB_SET %s", who, key);
	pget_result(r, &k, &d);
	k = Z(); d = Z();
	r = c->get(c, &k, &d, DB_FIRST);
	printf("%s cursor DB_FIRST", who);
	pget_result(r, &k, &d);
	c->close(c);
}

int main(void)
{
	DB_TXN *t1, *t2, *t3, *ch;
	u_int32_t fl;

	env = opentxnenv(0);
	db = opendb(env, NULL, "data.db", NULL, 0, DB_CREATE | DB_AUTO_COMMIT);
	other = opendb(env, NULL, "other.db", NULL, 0, DB_CREATE | DB_AUTO_COMMIT);
	tput(db, NULL, "setup", "k", "committed", 0);
	tput(db, NULL, "setup", "m", "committed", 0);
	tput(other, NULL, "setup", "o", "other db", 0);

	printf("-- T1 writes k; NOWAIT T2 is refused on k\n");
	R(env->txn_begin(env, NULL, &t1, 0));
	tput(db, t1, "t1", "k", "t1", 0);
	R(env->txn_begin(env, NULL, &t2, DB_TXN_NOWAIT));
	tget(db, t2, "t2", "k", 0);
	texists(db, t2, "t2", "k");
	tput(db, t2, "t2", "k", "t2", 0);
	tdel(db, t2, "t2", "k");
	cursor_probe(t2, "t2", "k");
	printf("-- T2 is still usable after DB_LOCK_NOTGRANTED\n");
	tget(other, t2, "t2", "o", 0);
	tput(other, t2, "t2", "o2", "t2", 0);
	printf("-- T1 commits; T2 retries and succeeds\n");
	R(t1->commit(t1, 0));
	tget(db, t2, "t2", "k", 0);
	tput(db, t2, "t2", "k", "t2", 0);
	R(t2->commit(t2, 0));
	R(env->txn_begin(env, NULL, &t3, DB_TXN_NOWAIT));
	tget(db, t3, "t3", "k", 0);
	tget(other, t3, "t3", "o2", 0);
	R(t3->commit(t3, 0));

	printf("-- T1 aborts instead; T2 sees the committed value\n");
	R(env->txn_begin(env, NULL, &t1, 0));
	tdel(db, t1, "t1", "k");
	R(env->txn_begin(env, NULL, &t2, DB_TXN_NOWAIT));
	tget(db, t2, "t2", "k", 0);
	R(t1->abort(t1));
	tget(db, t2, "t2", "k", 0);
	R(t2->commit(t2, 0));

	printf("-- T1 only reads k: shared locks\n");
	R(env->txn_begin(env, NULL, &t1, 0));
	tget(db, t1, "t1", "k", 0);
	R(env->txn_begin(env, NULL, &t2, DB_TXN_NOWAIT));
	tget(db, t2, "t2", "k", 0);
	texists(db, t2, "t2", "k");
	cursor_probe(t2, "t2", "k");
	tput(db, t2, "t2", "k", "t2 over a read lock", 0);
	R(t1->commit(t1, 0));
	tput(db, t2, "t2", "k", "t2 after t1 commit", 0);
	R(t2->commit(t2, 0));
	tget(db, NULL, "-", "k", 0);

	printf("-- two readers, then each wants to write\n");
	R(env->txn_begin(env, NULL, &t1, DB_TXN_NOWAIT));
	R(env->txn_begin(env, NULL, &t2, DB_TXN_NOWAIT));
	tget(db, t1, "t1", "k", 0);
	tget(db, t2, "t2", "k", 0);
	tput(db, t1, "t1", "k", "t1", 0);
	tput(db, t2, "t2", "k", "t2", 0);
	R(t2->abort(t2));
	tput(db, t1, "t1", "k", "t1 alone", 0);
	R(t1->commit(t1, 0));
	tget(db, NULL, "-", "k", 0);

	printf("-- DB_RMW reads take write locks\n");
	R(env->txn_begin(env, NULL, &t1, 0));
	tget(db, t1, "t1", "k", DB_RMW);
	R(env->txn_begin(env, NULL, &t2, DB_TXN_NOWAIT));
	tget(db, t2, "t2", "k", 0);
	R(t1->commit(t1, 0));
	tget(db, t2, "t2", "k", 0);
	R(t2->commit(t2, 0));

	printf("-- DB_READ_COMMITTED readers release read locks\n");
	R(env->txn_begin(env, NULL, &t1, DB_READ_COMMITTED | DB_TXN_NOWAIT));
	tget(db, t1, "t1", "k", 0);
	R(env->txn_begin(env, NULL, &t2, DB_TXN_NOWAIT));
	tput(db, t2, "t2", "k", "over read-committed", 0);
	tget(db, t1, "t1", "k", 0);
	R(t2->commit(t2, 0));
	tget(db, t1, "t1", "k", 0);
	R(t1->commit(t1, 0));
	printf("-- a degree-3 reader keeps its read lock\n");
	R(env->txn_begin(env, NULL, &t1, DB_TXN_NOWAIT));
	tget(db, t1, "t1", "k", 0);
	R(env->txn_begin(env, NULL, &t2, DB_TXN_NOWAIT));
	tput(db, t2, "t2", "k", "refused", 0);
	R(t2->abort(t2));
	R(t1->commit(t1, 0));
	printf("-- DB_READ_COMMITTED on a single get\n");
	R(env->txn_begin(env, NULL, &t1, DB_TXN_NOWAIT));
	tget(db, t1, "t1", "k", DB_READ_COMMITTED);
	R(env->txn_begin(env, NULL, &t2, DB_TXN_NOWAIT));
	tput(db, t2, "t2", "k", "granted", 0);
	R(t2->commit(t2, 0));
	R(t1->commit(t1, 0));

	printf("-- a child does not conflict with its parent\n");
	R(env->txn_begin(env, NULL, &t1, DB_TXN_NOWAIT));
	tput(db, t1, "p", "k", "parent", 0);
	R(env->txn_begin(env, t1, &ch, 0));
	tget(db, ch, "child", "k", 0);
	tput(db, ch, "child", "k", "child", 0);
	R(ch->commit(ch, 0));
	R(env->txn_begin(env, NULL, &t2, DB_TXN_NOWAIT));
	tget(db, t2, "t2", "k", 0);
	R(t2->abort(t2));
	R(t1->commit(t1, 0));
	tget(db, NULL, "-", "k", 0);

	printf("-- DB_ENV->set_flags(DB_TXN_NOWAIT)\n");
	R(env->set_flags(env, DB_TXN_NOWAIT, 1));
	fl = 0;
	R(env->get_flags(env, &fl));
	printf("DB_TXN_NOWAIT set: %s\n", (fl & DB_TXN_NOWAIT) ? "yes" : "no");
	R(env->txn_begin(env, NULL, &t1, DB_TXN_WAIT));
	tput(db, t1, "t1", "k", "t1", 0);
	R(env->txn_begin(env, NULL, &t2, 0));
	tget(db, t2, "t2", "k", 0);
	tput(db, t2, "t2", "k", "t2", 0);
	R(t2->abort(t2));
	R(t1->commit(t1, 0));
	R(env->set_flags(env, DB_TXN_NOWAIT, 0));
	fl = 0;
	R(env->get_flags(env, &fl));
	printf("DB_TXN_NOWAIT set: %s\n", (fl & DB_TXN_NOWAIT) ? "yes" : "no");
	R(env->txn_begin(env, NULL, &t1, DB_TXN_NOWAIT | DB_TXN_WAIT));
	if (t1 != NULL) R(t1->abort(t1));

	printf("-- DB_TIME_NOTGRANTED: refusals reported as DB_LOCK_NOTGRANTED\n");
	R(env->set_flags(env, DB_TIME_NOTGRANTED, 1));
	R(env->txn_begin(env, NULL, &t1, 0));
	tput(db, t1, "t1", "k", "t1", 0);
	R(env->txn_begin(env, NULL, &t2, DB_TXN_NOWAIT));
	tget(db, t2, "t2", "k", 0);
	tput(db, t2, "t2", "k", "t2", 0);
	cursor_probe(t2, "t2", "k");
	R(t1->commit(t1, 0));
	tput(db, t2, "t2", "k", "t2", 0);
	R(t2->commit(t2, 0));
	R(env->set_flags(env, DB_TIME_NOTGRANTED, 0));
	tget(db, NULL, "-", "k", 0);

	printf("-- DB_ENV->lock_get with DB_LOCK_NOWAIT\n");
	{
		u_int32_t l1, l2;
		DB_LOCK lk1, lk2, lk3;
		DBT obj = S("an object");
		R(env->lock_id(env, &l1));
		R(env->lock_id(env, &l2));
		printf("locker ids differ: %s\n", l1 != l2 ? "yes" : "no");
		R(env->lock_get(env, l1, 0, &obj, DB_LOCK_WRITE, &lk1));
		R(env->lock_get(env, l2, DB_LOCK_NOWAIT, &obj, DB_LOCK_READ, &lk2));
		R(env->lock_get(env, l2, DB_LOCK_NOWAIT, &obj, DB_LOCK_WRITE, &lk2));
		/* A locker never conflicts with itself. */
		R(env->lock_get(env, l1, DB_LOCK_NOWAIT, &obj, DB_LOCK_READ, &lk2));
		R(env->lock_put(env, &lk2));
		R(env->lock_put(env, &lk1));
		R(env->lock_get(env, l2, DB_LOCK_NOWAIT, &obj, DB_LOCK_READ, &lk2));
		R(env->lock_get(env, l1, DB_LOCK_NOWAIT, &obj, DB_LOCK_READ, &lk1));
		R(env->lock_get(env, l1, DB_LOCK_NOWAIT, &obj, DB_LOCK_WRITE, &lk3));
		R(env->lock_put(env, &lk2));
		R(env->lock_get(env, l1, DB_LOCK_NOWAIT, &obj, DB_LOCK_WRITE, &lk3));
		R(env->lock_get(env, l2, DB_LOCK_NOWAIT, &obj, DB_LOCK_READ, &lk2));
		R(env->lock_put(env, &lk3));
		/* Freeing a locker that still holds a lock is refused. */
		R(env->lock_id_free(env, l1));
		R(env->lock_get(env, l2, DB_LOCK_NOWAIT, &obj, DB_LOCK_READ, &lk2));
		R(env->lock_put(env, &lk2));
		R(env->lock_put(env, &lk1));
		R(env->lock_id_free(env, l1));
		R(env->lock_id_free(env, l2));
	}

	/* libdb locks whole btree pages, Tern locks keys (DESIGN.md): a
	 * conflict on another key of the same page is libdb-only, so that
	 * section lives in compat-tests/pending/txn_nowait_pages.c. */
	tdump(db, NULL, "data.db");
	tdump(other, NULL, "other.db");
	R(other->close(other, 0));
	R(db->close(db, 0));
	R(env->close(env, 0));
	return 0;
}
