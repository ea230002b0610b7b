/* Read-your-writes through cursors in a transaction. A transaction puts
 * and deletes keys interleaved with committed ones; a cursor in that
 * transaction walks DB_FIRST/NEXT/PREV/LAST/SET/SET_RANGE/GET_BOTH/
 * GET_BOTH_RANGE/NEXT_NODUP/PREV_NODUP/NEXT_DUP and sees the merged view in
 * key order; abort restores the committed view. The same on DB_DUPSORT and
 * DB_DUP databases with cursor puts (DB_KEYFIRST/KEYLAST/BEFORE/AFTER/
 * CURRENT/NODUPDATA) in a transaction: walk, abort and walk again, redo and
 * commit and walk; DBC->count; a cursor delete followed by DB_CURRENT
 * (DB_KEYEMPTY) and by NEXT/PREV; a duplicated cursor (DBC->dup) in the
 * transaction; a child transaction's cursor. */
#include "txn_common.h"

static void walk_fwd(DBC *c, const char *label)
{
	DBT k = Z(), d = Z();
	int r, n = 0;
	printf("walk %s forward:\n", label);
	for (r = c->get(c, &k, &d, DB_FIRST); r == 0; r = c->get(c, &k, &d, DB_NEXT)) {
		pkd(&k, &d);
		n++;
	}
	printf("  end %d (%d records)\n", r, n);
}

static void walk_back(DBC *c, const char *label)
{
	DBT k = Z(), d = Z();
	int r, n = 0;
	printf("walk %s backward:\n", label);
	for (r = c->get(c, &k, &d, DB_LAST); r == 0; r = c->get(c, &k, &d, DB_PREV)) {
		pkd(&k, &d);
		n++;
	}
	printf("  end %d (%d records)\n", r, n);
}

/* Walk keys with NEXT_NODUP, printing each key's count. */
static void walk_nodup(DBC *c, const char *label)
{
	DBT k = Z(), d = Z();
	db_recno_t n;
	int r;
	printf("walk %s by key:\n", label);
	for (r = c->get(c, &k, &d, DB_FIRST); r == 0; r = c->get(c, &k, &d, DB_NEXT_NODUP)) {
		n = 0;
		c->count(c, &n, 0);
		printf("  ");
		pdbt("key", &k);
		printf(" first ");
		pdbt("data", &d);
		printf(" count=%u\n", n);
	}
	printf("  end %d\n", r);
}

static void put_committed(DB *db, const char *key, const char *val)
{
	DBT k = S(key), d = S(val);
	int r = db->put(db, NULL, &k, &d, 0);
	if (r != 0) printf("setup put %s failed: %d\n", key, r);
}

int main(void)
{
	DB_ENV *env;
	DB *db, *ds, *du;
	DB_TXN *t, *ch;
	DBC *c, *c2;
	DBT k, d;

	env = opentxnenv(0);

	printf("== plain btree\n");
	db = opendb(env, NULL, "plain.db", NULL, 0, DB_CREATE | DB_AUTO_COMMIT);
	put_committed(db, "b", "committed");
	put_committed(db, "d", "committed");
	put_committed(db, "f", "committed");
	put_committed(db, "h", "committed");
	R(env->txn_begin(env, NULL, &t, 0));
	tput(db, t, "t", "a", "txn", 0);
	tput(db, t, "t", "c", "txn", 0);
	tput(db, t, "t", "d", "txn-updated", 0);
	tdel(db, t, "t", "f");
	tput(db, t, "t", "g", "txn", 0);
	tdel(db, t, "t", "h");
	tput(db, t, "t", "i", "txn", 0);
	R(db->cursor(db, t, &c, 0));
	walk_fwd(c, "txn view");
	walk_back(c, "txn view");
	CG(c, DB_SET, "c", NULL);
	CG(c, DB_NEXT, NULL, NULL);
	CG(c, DB_NEXT, NULL, NULL);
	CG(c, DB_PREV, NULL, NULL);
	CG(c, DB_SET, "f", NULL);
	CG(c, DB_SET, "h", NULL);
	CG(c, DB_SET_RANGE, "e", NULL);
	CG(c, DB_SET_RANGE, "f", NULL);
	CG(c, DB_SET_RANGE, "h", NULL);
	CG(c, DB_SET_RANGE, "ia", NULL);
	CG(c, DB_SET_RANGE, "", NULL);
	CG(c, DB_GET_BOTH, "d", "txn-updated");
	CG(c, DB_GET_BOTH, "d", "committed");
	CG(c, DB_GET_BOTH, "f", "committed");
	/* Writes through the cursor, seen by the cursor and by DB->get. */
	CP(c, DB_KEYFIRST, "e", "cursor");
	CG(c, DB_CURRENT, NULL, NULL);
	CG(c, DB_NEXT, NULL, NULL);
	CP(c, DB_CURRENT, NULL, "cursor-current");
	CG(c, DB_PREV, NULL, NULL);
	CG(c, DB_NEXT, NULL, NULL);
	tget(db, t, "t", "g", 0);
	/* Cursor delete, then DB_CURRENT on the deleted item. */
	CG(c, DB_SET, "b", NULL);
	CDEL(c);
	CG(c, DB_CURRENT, NULL, NULL);
	CDEL(c);
	CG(c, DB_NEXT, NULL, NULL);
	CG(c, DB_PREV, NULL, NULL);
	CG(c, DB_SET, "b", NULL);
	CCOUNT(c);
	/* A duplicated cursor keeps the position and the transaction. */
	CG(c, DB_SET, "d", NULL);
	R(c->dup(c, &c2, DB_POSITION));
	CG(c2, DB_CURRENT, NULL, NULL);
	CG(c2, DB_NEXT, NULL, NULL);
	CP(c2, DB_KEYLAST, "j", "dup cursor");
	R(c2->close(c2));
	walk_fwd(c, "txn view after cursor writes");
	R(c->close(c));
	/* A child's cursor sees the parent's writes; the child's own writes
	 * vanish when it aborts. */
	R(env->txn_begin(env, t, &ch, 0));
	R(db->cursor(db, ch, &c, 0));
	CP(c, DB_KEYFIRST, "ca", "child");
	CG(c, DB_SET, "c", NULL);
	CDEL(c);
	walk_fwd(c, "child view");
	R(c->close(c));
	R(ch->abort(ch));
	R(db->cursor(db, t, &c, 0));
	walk_fwd(c, "txn view after child abort");
	R(c->close(c));
	R(t->abort(t));
	R(db->cursor(db, NULL, &c, 0));
	walk_fwd(c, "after abort");
	R(c->close(c));
	R(env->txn_begin(env, NULL, &t, 0));
	tput(db, t, "t", "a", "txn", 0);
	tdel(db, t, "t", "f");
	R(db->cursor(db, t, &c, 0));
	CP(c, DB_KEYLAST, "z", "txn");
	walk_back(c, "redo");
	R(c->close(c));
	R(t->commit(t, 0));
	R(db->cursor(db, NULL, &c, 0));
	walk_fwd(c, "after commit");
	R(c->close(c));
	R(db->close(db, 0));

	printf("== DB_DUPSORT\n");
	ds = opendb(env, NULL, "dupsort.db", NULL, DB_DUPSORT, DB_CREATE | DB_AUTO_COMMIT);
	put_committed(ds, "k", "b");
	put_committed(ds, "k", "d");
	put_committed(ds, "k", "f");
	put_committed(ds, "m", "x");
	R(env->txn_begin(env, NULL, &t, 0));
	R(ds->cursor(ds, t, &c, 0));
	CP(c, DB_KEYFIRST, "k", "c");
	CG(c, DB_CURRENT, NULL, NULL);
	CP(c, DB_KEYLAST, "k", "a");
	CG(c, DB_CURRENT, NULL, NULL);
	CP(c, DB_KEYFIRST, "k", "e");
	CP(c, DB_NODUPDATA, "k", "e");
	CP(c, DB_NODUPDATA, "k", "g");
	CP(c, DB_NODUPDATA, "l", "only");
	CP(c, DB_BEFORE, NULL, "z");
	CP(c, DB_AFTER, NULL, "z");
	CG(c, DB_SET, "k", NULL);
	CP(c, DB_CURRENT, NULL, "a");
	CP(c, DB_CURRENT, NULL, "zz");
	CCOUNT(c);
	CG(c, DB_GET_BOTH, "k", "d");
	CDEL(c);
	CG(c, DB_CURRENT, NULL, NULL);
	CCOUNT(c);
	CG(c, DB_NEXT_DUP, NULL, NULL);
	CG(c, DB_GET_BOTH_RANGE, "k", "d");
	CG(c, DB_GET_BOTH_RANGE, "k", "h");
	CG(c, DB_GET_BOTH, "k", "b");
	CG(c, DB_PREV_DUP, NULL, NULL);
	CG(c, DB_NEXT_NODUP, NULL, NULL);
	CG(c, DB_PREV_NODUP, NULL, NULL);
	CG(c, DB_LAST, NULL, NULL);
	CG(c, DB_PREV_NODUP, NULL, NULL);
	walk_fwd(c, "dupsort txn view");
	walk_back(c, "dupsort txn view");
	walk_nodup(c, "dupsort txn view");
	R(c->close(c));
	R(t->abort(t));
	R(ds->cursor(ds, NULL, &c, 0));
	walk_fwd(c, "dupsort after abort");
	walk_nodup(c, "dupsort after abort");
	R(c->close(c));
	R(env->txn_begin(env, NULL, &t, 0));
	R(ds->cursor(ds, t, &c, 0));
	CP(c, DB_KEYFIRST, "k", "c");
	CP(c, DB_KEYLAST, "k", "a");
	CP(c, DB_NODUPDATA, "l", "only");
	CG(c, DB_GET_BOTH, "k", "d");
	CDEL(c);
	walk_nodup(c, "dupsort redo");
	R(c->close(c));
	R(t->commit(t, 0));
	R(ds->cursor(ds, NULL, &c, 0));
	walk_fwd(c, "dupsort after commit");
	R(c->close(c));
	R(ds->close(ds, 0));

	printf("== DB_DUP\n");
	du = opendb(env, NULL, "dup.db", NULL, DB_DUP, DB_CREATE | DB_AUTO_COMMIT);
	put_committed(du, "k", "1");
	put_committed(du, "k", "2");
	put_committed(du, "m", "x");
	R(env->txn_begin(env, NULL, &t, 0));
	R(du->cursor(du, t, &c, 0));
	CP(c, DB_KEYFIRST, "k", "0");
	CP(c, DB_KEYLAST, "k", "3");
	CG(c, DB_GET_BOTH, "k", "1");
	CP(c, DB_AFTER, NULL, "1.5");
	CG(c, DB_CURRENT, NULL, NULL);
	CP(c, DB_BEFORE, NULL, "1.2");
	CG(c, DB_CURRENT, NULL, NULL);
	CG(c, DB_PREV, NULL, NULL);
	CP(c, DB_CURRENT, NULL, "one");
	CG(c, DB_NEXT, NULL, NULL);
	CG(c, DB_NEXT, NULL, NULL);
	CDEL(c);
	CG(c, DB_CURRENT, NULL, NULL);
	CP(c, DB_CURRENT, NULL, "into deleted");
	CG(c, DB_NEXT, NULL, NULL);
	CG(c, DB_PREV, NULL, NULL);
	CP(c, DB_KEYFIRST, "l", "new key");
	CP(c, DB_BEFORE, NULL, "before new key");
	CCOUNT(c);
	CG(c, DB_SET, "k", NULL);
	CCOUNT(c);
	walk_fwd(c, "dup txn view");
	walk_back(c, "dup txn view");
	walk_nodup(c, "dup txn view");
	R(c->close(c));
	R(t->abort(t));
	R(du->cursor(du, NULL, &c, 0));
	walk_fwd(c, "dup after abort");
	R(c->close(c));
	R(env->txn_begin(env, NULL, &t, 0));
	R(du->cursor(du, t, &c, 0));
	CP(c, DB_KEYFIRST, "k", "0");
	CG(c, DB_GET_BOTH, "k", "2");
	CP(c, DB_AFTER, NULL, "2.5");
	CP(c, DB_KEYLAST, "m", "y");
	CG(c, DB_SET, "m", NULL);
	CDEL(c);
	walk_nodup(c, "dup redo");
	R(c->close(c));
	R(t->commit(t, 0));
	R(du->cursor(du, NULL, &c, 0));
	walk_fwd(c, "dup after commit");
	R(c->close(c));
	R(du->close(du, 0));

	R(env->close(env, 0));
	return 0;
}
