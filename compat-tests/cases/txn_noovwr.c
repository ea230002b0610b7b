/* DB_NOOVERWRITE and DB_NODUPDATA inside transactions: a key written
 * earlier in the same transaction, by a committed transaction, by an
 * aborted one, deleted earlier in the same transaction (then re-put), and
 * in a child of the writer; DB_NODUPDATA on a DB_DUPSORT database with
 * pairs written in the same transaction; DB->get / exists / del /
 * DB_GET_BOTH of keys written or deleted in the same transaction; the same
 * through a DB_DUP database (del removes all duplicates, in the txn). */
#include "txn_common.h"

int main(void)
{
	DB_ENV *env;
	DB *db, *ds, *du;
	DB_TXN *t, *c;

	env = opentxnenv(0);
	db = opendb(env, NULL, "plain.db", NULL, 0, DB_CREATE | DB_AUTO_COMMIT);
	ds = opendb(env, NULL, "dupsort.db", NULL, DB_DUPSORT, DB_CREATE | DB_AUTO_COMMIT);
	du = opendb(env, NULL, "dup.db", NULL, DB_DUP, DB_CREATE | DB_AUTO_COMMIT);

	printf("-- DB_NOOVERWRITE, plain btree\n");
	tput(db, NULL, "auto", "committed", "c0", 0);
	R(env->txn_begin(env, NULL, &t, 0));
	tput(db, t, "t", "committed", "t1", DB_NOOVERWRITE);
	tput(db, t, "t", "fresh", "t1", DB_NOOVERWRITE);
	tput(db, t, "t", "fresh", "t2", DB_NOOVERWRITE);
	tget(db, t, "t", "fresh", 0);
	tput(db, t, "t", "fresh", "t3", 0);
	tget(db, t, "t", "fresh", 0);
	/* Deleted in this transaction: the key is free again. */
	tdel(db, t, "t", "committed");
	tput(db, t, "t", "committed", "t4", DB_NOOVERWRITE);
	tget(db, t, "t", "committed", 0);
	tput(db, t, "t", "committed", "t5", DB_NOOVERWRITE);
	tdel(db, t, "t", "fresh");
	tdel(db, t, "t", "fresh");
	texists(db, t, "t", "fresh");
	tput(db, t, "t", "fresh", "t6", DB_NOOVERWRITE);
	tput(db, t, "t", "aborted", "t", DB_NOOVERWRITE);
	R(t->commit(t, 0));
	tdump(db, NULL, "after commit");

	R(env->txn_begin(env, NULL, &t, 0));
	tput(db, t, "t", "gone", "a", 0);
	tdel(db, t, "t", "aborted");
	R(t->abort(t));
	R(env->txn_begin(env, NULL, &t, 0));
	tput(db, t, "t", "gone", "after abort", DB_NOOVERWRITE);
	tput(db, t, "t", "aborted", "after abort", DB_NOOVERWRITE);
	R(t->commit(t, 0));
	tdump(db, NULL, "after abort then NOOVERWRITE");

	printf("-- DB_NOOVERWRITE across parent and child\n");
	R(env->txn_begin(env, NULL, &t, 0));
	tput(db, t, "p", "pk", "parent", 0);
	tdel(db, t, "p", "gone");
	R(env->txn_begin(env, t, &c, 0));
	tput(db, c, "c", "pk", "child", DB_NOOVERWRITE);
	tput(db, c, "c", "gone", "child", DB_NOOVERWRITE);
	tput(db, c, "c", "ck", "child", DB_NOOVERWRITE);
	R(c->abort(c));
	tput(db, t, "p", "gone", "parent again", DB_NOOVERWRITE);
	tput(db, t, "p", "ck", "parent", DB_NOOVERWRITE);
	R(env->txn_begin(env, t, &c, 0));
	tdel(db, c, "c", "pk");
	R(c->commit(c, 0));
	tput(db, t, "p", "pk", "after child del", DB_NOOVERWRITE);
	R(t->commit(t, 0));
	tdump(db, NULL, "after parent/child");

	printf("-- get / exists / del of keys written or deleted in the txn\n");
	R(env->txn_begin(env, NULL, &t, 0));
	tput(db, t, "t", "new", "v", 0);
	tget(db, t, "t", "new", 0);
	texists(db, t, "t", "new");
	tgetboth(db, t, "t", "new", "v");
	tgetboth(db, t, "t", "new", "w");
	tdel(db, t, "t", "new");
	tget(db, t, "t", "new", 0);
	texists(db, t, "t", "new");
	tdel(db, t, "t", "new");
	tgetboth(db, t, "t", "new", "v");
	tdel(db, t, "t", "pk");
	tget(db, t, "t", "pk", 0);
	texists(db, t, "t", "pk");
	tput(db, t, "t", "pk", "re-put", 0);
	tget(db, t, "t", "pk", 0);
	tgetboth(db, t, "t", "pk", "re-put");
	tgetboth(db, t, "t", "pk", "after child del");
	tget(db, t, "t", "never", 0);
	texists(db, t, "t", "never");
	tdel(db, t, "t", "never");
	tdump(db, t, "inside t");
	R(t->abort(t));
	tdump(db, NULL, "after abort");

	printf("-- DB_NODUPDATA, DB_DUPSORT\n");
	tput(ds, NULL, "auto", "k", "b", 0);
	tput(ds, NULL, "auto", "k", "d", 0);
	R(env->txn_begin(env, NULL, &t, 0));
	tput(ds, t, "t", "k", "b", DB_NODUPDATA);
	tput(ds, t, "t", "k", "c", DB_NODUPDATA);
	tput(ds, t, "t", "k", "c", DB_NODUPDATA);
	tput(ds, t, "t", "k", "c", 0);
	tput(ds, t, "t", "k", "a", DB_NOOVERWRITE);
	tput(ds, t, "t", "n", "x", DB_NODUPDATA);
	tput(ds, t, "t", "n", "x", DB_NODUPDATA);
	tput(ds, t, "t", "n", "y", DB_NOOVERWRITE);
	tgetboth(ds, t, "t", "k", "c");
	tgetboth(ds, t, "t", "n", "x");
	tget(ds, t, "t", "k", 0);
	tdump(ds, t, "dupsort inside t");
	/* del of a key deletes all its duplicates, committed and new. */
	tdel(ds, t, "t", "k");
	tget(ds, t, "t", "k", 0);
	tgetboth(ds, t, "t", "k", "b");
	tput(ds, t, "t", "k", "b", DB_NODUPDATA);
	tput(ds, t, "t", "k", "e", DB_NODUPDATA);
	tdump(ds, t, "dupsort after del and re-put");
	R(t->abort(t));
	tdump(ds, NULL, "dupsort after abort");
	R(env->txn_begin(env, NULL, &t, 0));
	tput(ds, t, "t", "k", "c", DB_NODUPDATA);
	tput(ds, t, "t", "k", "c", DB_NODUPDATA);
	tput(ds, t, "t", "k", "c", DB_OVERWRITE_DUP);
	R(t->commit(t, 0));
	R(env->txn_begin(env, NULL, &t, 0));
	tput(ds, t, "t", "k", "c", DB_NODUPDATA);
	tput(ds, t, "t", "k", "b", DB_NOOVERWRITE);
	R(t->commit(t, 0));
	tdump(ds, NULL, "dupsort after commits");

	printf("-- DB_DUP (unsorted) in a txn\n");
	tput(du, NULL, "auto", "k", "1", 0);
	R(env->txn_begin(env, NULL, &t, 0));
	tput(du, t, "t", "k", "2", 0);
	tput(du, t, "t", "k", "1", 0);
	tput(du, t, "t", "k", "3", DB_NOOVERWRITE);
	tput(du, t, "t", "k", "3", DB_NODUPDATA);
	tput(du, t, "t", "k", "1", DB_OVERWRITE_DUP);
	tput(du, t, "t", "j", "9", DB_NOOVERWRITE);
	tget(du, t, "t", "k", 0);
	tgetboth(du, t, "t", "k", "2");
	tdump(du, t, "dup inside t");
	tdel(du, t, "t", "k");
	texists(du, t, "t", "k");
	tput(du, t, "t", "k", "4", DB_NOOVERWRITE);
	tdump(du, t, "dup after del and re-put");
	R(t->commit(t, 0));
	tdump(du, NULL, "dup after commit");

	R(du->close(du, 0));
	R(ds->close(ds, 0));
	R(db->close(db, 0));
	R(env->close(env, 0));
	return 0;
}
