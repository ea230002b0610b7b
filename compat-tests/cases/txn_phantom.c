/* Phantom protection with two threads. A reader transaction looks for
 * something that is not there and keeps the read locks that prove it:
 *  A. DB->get of a missing key k -> DB_NOTFOUND;
 *  B. a cursor range scan over [b, m] (DB_SET_RANGE then DB_NEXT past m);
 *  C. DB->exists of a missing key in a child transaction (the parent
 *     inherits the child's read locks at commit).
 * A writer thread then inserts k (in B a key inside the range) in its own
 * transaction: its put must wait until the reader commits, and the reader,
 * re-reading before it commits, still sees nothing new. The reader commits
 * only after it has seen the writer wait (the lock region's st_lock_wait
 * counter grew: a bounded poll, never printed), so the printed order of
 * events is fixed: the writer's put returns after the reader's commit.
 *  D. with DB_READ_COMMITTED the reader keeps no read locks: the writer's
 *     put and commit complete while the reader is open, and the reader's
 *     second get finds the key (no phantom protection). */
#include "txn_common.h"

static DB_ENV *env;
static DB *db;

struct wargs {
	const char *key;
	const char *val;
	int put_returned;	/* set by the writer, read by the reader */
};

static void *writer(void *arg)
{
	struct wargs *w = arg;
	DB_TXN *t;
	DBT k = S(w->key), d = S(w->val);
	int r;
	if ((r = env->txn_begin(env, NULL, &t, 0)) != 0) {
		ev("writer: txn_begin -> %s", RCS(r));
		return NULL;
	}
	ev("writer: put %s begins", w->key);
	r = db->put(db, t, &k, &d, 0);
	__atomic_store_n(&w->put_returned, 1, __ATOMIC_SEQ_CST);
	ev("writer: put %s -> %s", w->key, RCS(r));
	r = r == 0 ? t->commit(t, 0) : t->abort(t);
	ev("writer: %s -> %s", "resolve", RCS(r));
	return NULL;
}

/* Start the writer, wait until its put blocks, record what the reader
 * sees, then run `commit` (the reader's commit). */
static void run_writer_against(DB_TXN *reader, struct wargs *w,
    void (*reread)(DB_TXN *))
{
	pthread_t th;
	u_int32_t base = lock_waits(env);
	int r;
	pthread_create(&th, NULL, writer, w);
	if (wait_lock_waits(env, base + 1))
		ev("reader: sees the writer waiting for a lock");
	else
		ev("reader: TIMEOUT, the writer never waited");
	ev("reader: writer's put has returned: %s",
	    __atomic_load_n(&w->put_returned, __ATOMIC_SEQ_CST) ? "yes" : "no");
	reread(reader);
	ev("reader: commit begins");
	r = reader->commit(reader, 0);
	pthread_join(th, NULL);
	ev("reader: commit -> %s (printed after the writer finished)", RCS(r));
}

static void reread_k(DB_TXN *t)
{
	DBT k = S("k"), d = ZM();
	int r = db->get(db, t, &k, &d, 0);
	ev("reader: get k again -> %s", RCS(r));
	if (r == 0) free(d.data);
}

/* Scan [b, m]: returns the keys found as "b,d,..." in the event log. */
static void scan(DB_TXN *t, const char *who)
{
	DBC *c;
	DBT k = S("b"), d = ZM();
	char seen[160] = "";
	int r;
	if ((r = db->cursor(db, t, &c, 0)) != 0) {
		ev("%s: cursor -> %s", who, RCS(r));
		return;
	}
	k.flags = DB_DBT_MALLOC;
	for (r = c->get(c, &k, &d, DB_SET_RANGE); r == 0; r = c->get(c, &k, &d, DB_NEXT)) {
		int past = k.size >= 1 && memcmp(k.data, "m", 1) > 0;
		if (!past) {
			if (seen[0]) strcat(seen, ",");
			strncat(seen, k.data, k.size < 20 ? k.size : 20);
		}
		free(k.data);
		free(d.data);
		k = ZM();
		d = ZM();
		if (past) break;
	}
	ev("%s: scan [b, m] -> %s, keys {%s}", who, r == 0 ? "stopped past m" : RCS(r), seen);
	c->close(c);
}

static void reread_range(DB_TXN *t)
{
	scan(t, "reader");
}

static void reread_exists(DB_TXN *t)
{
	DBT k = S("x");
	int r = db->exists(db, t, &k, 0);
	ev("reader: exists x again -> %s", RCS(r));
}

static void setup(void)
{
	DB_TXN *t;
	DBT k, d;
	const char *keys[] = { "a", "c", "h", "n", "q" };
	int i;
	u_int32_t n;
	env->txn_begin(env, NULL, &t, 0);
	db->truncate(db, t, &n, 0);
	for (i = 0; i < 5; i++) {
		k = S(keys[i]);
		d = S("committed");
		db->put(db, t, &k, &d, 0);
	}
	t->commit(t, 0);
}

int main(void)
{
	DB_TXN *t, *ch;
	struct wargs w;
	pthread_t th;
	DBT k, d;
	int r;

	env = opentxnenv(DB_THREAD);
	db = opendb(env, NULL, "phantom.db", NULL, 0, DB_CREATE | DB_AUTO_COMMIT | DB_THREAD);

	printf("-- A. get of a missing key\n");
	setup();
	R(env->txn_begin(env, NULL, &t, 0));
	k = S("k"); d = ZM();
	r = db->get(db, t, &k, &d, 0);
	ev("reader: get k -> %s", RCS(r));
	w.key = "k"; w.val = "writer"; w.put_returned = 0;
	run_writer_against(t, &w, reread_k);
	ev_print("A");
	tdump(db, NULL, "after A");

	printf("-- B. cursor range scan over [b, m]\n");
	setup();
	R(env->txn_begin(env, NULL, &t, 0));
	scan(t, "reader");
	w.key = "f"; w.val = "writer"; w.put_returned = 0;
	run_writer_against(t, &w, reread_range);
	ev_print("B");
	tdump(db, NULL, "after B");

	printf("-- C. exists in a child; the parent keeps the child's locks\n");
	setup();
	R(env->txn_begin(env, NULL, &t, 0));
	R(env->txn_begin(env, t, &ch, 0));
	k = S("x");
	r = db->exists(db, ch, &k, 0);
	ev("reader child: exists x -> %s", RCS(r));
	r = ch->commit(ch, 0);
	ev("reader child: commit -> %s", RCS(r));
	w.key = "x"; w.val = "writer"; w.put_returned = 0;
	run_writer_against(t, &w, reread_exists);
	ev_print("C");
	tdump(db, NULL, "after C");

	printf("-- D. DB_READ_COMMITTED: no phantom protection\n");
	setup();
	R(env->txn_begin(env, NULL, &t, DB_READ_COMMITTED));
	k = S("k"); d = ZM();
	r = db->get(db, t, &k, &d, 0);
	ev("reader: get k -> %s", RCS(r));
	w.key = "k"; w.val = "writer"; w.put_returned = 0;
	pthread_create(&th, NULL, writer, &w);
	pthread_join(th, NULL);
	ev("reader: joined the writer");
	k = S("k"); d = ZM();
	r = db->get(db, t, &k, &d, 0);
	ev("reader: get k again -> %s", RCS(r));
	if (r == 0) { ev("reader: k = %.*s", (int)d.size, (char *)d.data); free(d.data); }
	r = t->commit(t, 0);
	ev("reader: commit -> %s", RCS(r));
	ev_print("D");

	R(db->close(db, 0));
	R(env->close(env, 0));
	return 0;
}
