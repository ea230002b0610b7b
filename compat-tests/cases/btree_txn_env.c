/* Btree operations inside transactions that btree_env.c and
 * btree_bad_input.c do not cover: record numbers (DB_RECNUM) seeing the
 * transaction's own inserts and deletes and renumbering back on abort;
 * DB->stat and DB->key_range in a transaction, in terms
 * of the transaction's view; DB->truncate committed; sub-databases created
 * in committed and aborted transactions (the master database lists only
 * committed ones); env dbrename/dbremove inside explicit transactions,
 * committed and aborted; a database opened inside a transaction and used
 * in later ones; DB->get_transactional. */
#include "txn_common.h"

static void recno_walk(DB *db, DB_TXN *t, const char *label)
{
	db_recno_t rn;
	DBT k, d;
	int r;
	printf("recnos %s:", label);
	for (rn = 1; rn <= 12; rn++) {
		k = B(&rn, sizeof(rn));
		k.flags = DB_DBT_MALLOC;
		d = ZM();
		r = db->get(db, t, &k, &d, DB_SET_RECNO);
		if (r != 0) { printf(" [%u: %d]", rn, r); break; }
		printf(" %u=%.*s", rn, (int)k.size, (char *)k.data);
		if (k.data != (void *)&rn) free(k.data);
		free(d.data);
	}
	printf("\n");
}

static void stat_line(DB *db, DB_TXN *t, const char *label)
{
	DB_BTREE_STAT *st;
	int r = db->stat(db, t, &st, 0);
	if (r != 0) { printf("stat %s -> %s\n", label, RCS(r)); return; }
	printf("stat %s: nkeys=%u ndata=%u\n", label, st->bt_nkeys, st->bt_ndata);
	free(st);
}

static void keyrange(DB *db, DB_TXN *t, const char *key)
{
	DBT k = S(key);
	DB_KEY_RANGE kr;
	int r = db->key_range(db, t, &k, &kr, 0);
	printf("key_range %s -> %s", key, RCS(r));
	if (r == 0) printf(" equal %s\n", kr.equal > 0 ? "nonzero" : "zero");
	else printf("\n");
}

int main(void)
{
	DB_ENV *env;
	DB *db, *sub, *master;
	DB_TXN *t;
	DBC *c;
	DBT k, d;
	u_int32_t n;
	int r;
	char kb[8];
	int i;

	env = opentxnenv(0);

	printf("-- DB_RECNUM in a transaction\n");
	db = opendb(env, NULL, "recnum.db", NULL, DB_RECNUM, DB_CREATE | DB_AUTO_COMMIT);
	for (i = 0; i < 6; i++) {
		snprintf(kb, sizeof(kb), "k%d", i * 2);
		tput(db, NULL, "auto", kb, "v", 0);
	}
	recno_walk(db, NULL, "committed");
	R(env->txn_begin(env, NULL, &t, 0));
	tput(db, t, "t", "k1", "v", 0);
	tput(db, t, "t", "k3", "v", 0);
	tdel(db, t, "t", "k6");
	recno_walk(db, t, "in t");
	R(db->cursor(db, t, &c, 0));
	{
		DBT kk = S("k3"), dd = ZM(), rd = ZM();
		db_recno_t rn = 0;
		r = c->get(c, &kk, &dd, DB_SET);
		printf("cursor DB_SET k3 -> %s\n", RCS(r));
		if (r == 0) free(dd.data);
		r = c->get(c, &kk, &rd, DB_GET_RECNO);
		if (r == 0) { memcpy(&rn, rd.data, sizeof(rn)); free(rd.data); }
		printf("cursor DB_GET_RECNO -> %s recno=%u\n", RCS(r), rn);
	}
	R(c->close(c));
	stat_line(db, t, "in t");
	R(t->abort(t));
	recno_walk(db, NULL, "after abort");
	stat_line(db, NULL, "after abort");
	R(db->close(db, 0));

	printf("-- stat, key_range and bulk get of the txn's view\n");
	db = opendb(env, NULL, "view.db", NULL, 0, DB_CREATE | DB_AUTO_COMMIT);
	tput(db, NULL, "auto", "a", "1", 0);
	tput(db, NULL, "auto", "c", "3", 0);
	tput(db, NULL, "auto", "e", "5", 0);
	R(env->txn_begin(env, NULL, &t, 0));
	tput(db, t, "t", "b", "2", 0);
	tdel(db, t, "t", "c");
	tput(db, t, "t", "d", "4", 0);
	stat_line(db, t, "in t");
	keyrange(db, t, "b");
	keyrange(db, t, "c");
	/* Bulk gets (DB_MULTIPLE_KEY) are not built in Tern yet: see
	 * compat-tests/pending/btree_bulk_get.c. */
	R(t->commit(t, 0));
	stat_line(db, NULL, "after commit");

	printf("-- truncate committed\n");
	R(env->txn_begin(env, NULL, &t, 0));
	tput(db, t, "t", "f", "6", 0);
	n = 0;
	R(db->truncate(db, t, &n, 0));
	printf("truncated %u\n", n);
	tget(db, t, "t", "a", 0);
	tput(db, t, "t", "z", "after truncate", 0);
	R(t->commit(t, 0));
	tdump(db, NULL, "after committed truncate");
	printf("get_transactional -> %d\n", db->get_transactional(db));
	R(db->close(db, 0));

	printf("-- sub-databases created in transactions\n");
	R(env->txn_begin(env, NULL, &t, 0));
	sub = mkdb(env);
	R(sub->open(sub, t, "multi.db", "sub1", DB_BTREE, DB_CREATE, 0644));
	tput(sub, t, "t", "s1", "in sub1", 0);
	R(t->commit(t, 0));
	R(sub->close(sub, 0));
	R(env->txn_begin(env, NULL, &t, 0));
	sub = mkdb(env);
	R(sub->open(sub, t, "multi.db", "sub2", DB_BTREE, DB_CREATE, 0644));
	tput(sub, t, "t", "s2", "in sub2", 0);
	R(t->abort(t));
	R(sub->close(sub, 0));
	sub = mkdb(env);
	R(sub->open(sub, NULL, "multi.db", "sub2", DB_BTREE, DB_AUTO_COMMIT, 0644));
	R(sub->close(sub, 0));
	master = mkdb(env);
	R(master->open(master, NULL, "multi.db", NULL, DB_BTREE, DB_RDONLY | DB_AUTO_COMMIT, 0644));
	R(master->cursor(master, NULL, &c, 0));
	{
		DBT mk = ZM(), md = ZM();
		printf("master lists:");
		while ((r = c->get(c, &mk, &md, DB_NEXT)) == 0) {
			printf(" %.*s", (int)mk.size, (char *)mk.data);
			free(mk.data); free(md.data);
		}
		printf(" (end %d)\n", r);
	}
	R(c->close(c));
	R(master->close(master, 0));
	sub = opendb(env, NULL, "multi.db", "sub1", 0, DB_AUTO_COMMIT);
	tdump(sub, NULL, "sub1");
	R(sub->close(sub, 0));

	printf("-- a database opened inside a transaction, used later\n");
	R(env->txn_begin(env, NULL, &t, 0));
	db = mkdb(env);
	R(db->open(db, t, "intxn.db", NULL, DB_BTREE, DB_CREATE, 0644));
	tput(db, t, "t", "x", "1", 0);
	printf("get_transactional -> %d\n", db->get_transactional(db));
	R(t->commit(t, 0));
	R(env->txn_begin(env, NULL, &t, 0));
	tput(db, t, "t2", "y", "2", 0);
	R(t->commit(t, 0));
	tput(db, NULL, "no txn", "z", "3", 0);
	tdump(db, NULL, "intxn.db");
	R(db->close(db, 0));

	printf("-- dbrename / dbremove in explicit transactions\n");
	R(env->txn_begin(env, NULL, &t, 0));
	R(env->dbrename(env, t, "intxn.db", NULL, "renamed.db", 0));
	/* Which files exist while the transaction is open is libdb's
	 * business (both names do); only the outcome is printed. */
	R(t->abort(t));
	printf("intxn.db: %s, renamed.db: %s (after abort)\n",
	    access("intxn.db", F_OK) == 0 ? "yes" : "no", access("renamed.db", F_OK) == 0 ? "yes" : "no");
	R(env->txn_begin(env, NULL, &t, 0));
	R(env->dbrename(env, t, "intxn.db", NULL, "renamed.db", 0));
	R(t->commit(t, 0));
	printf("intxn.db: %s, renamed.db: %s (after commit)\n",
	    access("intxn.db", F_OK) == 0 ? "yes" : "no", access("renamed.db", F_OK) == 0 ? "yes" : "no");
	R(env->txn_begin(env, NULL, &t, 0));
	R(env->dbremove(env, t, "multi.db", "sub1", 0));
	R(t->commit(t, 0));
	sub = mkdb(env);
	R(sub->open(sub, NULL, "multi.db", "sub1", DB_BTREE, DB_AUTO_COMMIT, 0644));
	R(sub->close(sub, 0));
	R(env->txn_begin(env, NULL, &t, 0));
	R(env->dbremove(env, t, "renamed.db", NULL, 0));
	R(t->commit(t, 0));
	printf("renamed.db: %s (after committed remove)\n", access("renamed.db", F_OK) == 0 ? "yes" : "no");

	R(env->close(env, 0));
	return 0;
}
