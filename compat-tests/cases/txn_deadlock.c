/* Deadlock between two threads, each in its own transaction: A increments
 * counter k1 (in db1) then k2 (in db2), B increments k2 then k1; a barrier
 * makes each hold its first lock before asking for its second, so they
 * always deadlock. (The keys are in different databases, hence on
 * different pages: libdb locks pages.) Each increment is a DB->get with
 * DB_RMW and a DB->put. Exactly one transaction is chosen as the victim:
 * its get returns DB_LOCK_DEADLOCK; it then tries another put and a commit
 * (both refused: libdb aborts the transaction on that commit), and retries
 * in a new transaction, which waits for the winner and succeeds. The final
 * counters are k1=2, k2=2 whoever the victim was.
 *
 * Detection: automatic (DB_ENV->set_lk_detect) with DB_LOCK_DEFAULT, where
 * the victim is not named (only "victims: 1" and the two sides' results by
 * role), and with DB_LOCK_YOUNGEST, where it is B (begun second); and
 * explicit DB_ENV->lock_detect run by the main thread once both threads
 * wait (st_lock_wait grew by 2, a bounded poll), with DB_LOCK_DEFAULT
 * (rejected=1) and DB_LOCK_OLDEST (victim A). lock_detect with no deadlock
 * rejects nothing. st_ndeadlocks grows by one per scenario. Thread results
 * are collected per thread and printed after both have finished, with
 * libdb's error messages captured per thread (errcb_cap). */
#include "txn_common.h"

static DB_ENV *env;
static DB *db1, *db2;
static pthread_barrier_t bar;

struct side {
	const char *name;
	DB_TXN *t;		/* begun by main: A first, so A is older */
	DB *first, *second;
	const char *kfirst, *ksecond;
	int victim;
	int n;
	char log[12][256];
};

static void rec(struct side *s, const char *fmt, ...)
{
	va_list ap;
	if (s->n >= 12) return;
	va_start(ap, fmt);
	vsnprintf(s->log[s->n++], sizeof(s->log[0]), fmt, ap);
	va_end(ap);
}

/* Increment the counter under key in db: returns 0 or the failing rc, and
 * names the failing step in *step. */
static int incr(DB *db, DB_TXN *t, const char *key, const char **step)
{
	DBT k = S(key), d = ZM();
	char buf[16];
	int r, v;
	*step = "get";
	if ((r = db->get(db, t, &k, &d, DB_RMW)) != 0) return r;
	v = atoi(d.data == NULL ? "0" : (char *)d.data);
	free(d.data);
	snprintf(buf, sizeof(buf), "%d", v + 1);
	d = B(buf, (u_int32_t)strlen(buf) + 1);
	*step = "put";
	return db->put(db, t, &k, &d, 0);
}

static void *run_side(void *arg)
{
	struct side *s = arg;
	char errs[512];
	const char *step;
	DB_TXN *t = s->t;
	DBT k, d;
	int r;

	errcap_start(errs, sizeof(errs));
	r = incr(s->first, t, s->kfirst, &step);
	rec(s, "incr %s -> %s%s", s->kfirst, RCS(r), errs); errs[0] = 0;
	pthread_barrier_wait(&bar);
	r = incr(s->second, t, s->ksecond, &step);
	rec(s, "incr %s -> %s (at %s)%s", s->ksecond, RCS(r), r ? step : "-", errs); errs[0] = 0;
	if (r == DB_LOCK_DEADLOCK) {
		s->victim = 1;
		k = S(s->kfirst); d = S("x");
		r = s->first->put(s->first, t, &k, &d, 0);
		rec(s, "put %s after the deadlock -> %s%s", s->kfirst, RCS(r), errs); errs[0] = 0;
		r = t->commit(t, 0);
		rec(s, "commit after the deadlock -> %s%s", RCS(r), errs); errs[0] = 0;
		/* The commit aborted the transaction; retry in a new one. It
		 * waits until the winner commits. */
		r = env->txn_begin(env, NULL, &t, 0);
		rec(s, "retry txn_begin -> %s%s", RCS(r), errs); errs[0] = 0;
		r = incr(s->first, t, s->kfirst, &step);
		rec(s, "retry incr %s -> %s%s", s->kfirst, RCS(r), errs); errs[0] = 0;
		r = incr(s->second, t, s->ksecond, &step);
		rec(s, "retry incr %s -> %s%s", s->ksecond, RCS(r), errs); errs[0] = 0;
	}
	r = t->commit(t, 0);
	rec(s, "commit -> %s%s", RCS(r), errs);
	errcap_stop();
	return NULL;
}

static void print_side(const char *label, struct side *s)
{
	int i;
	printf("%s:\n", label);
	for (i = 0; i < s->n; i++) printf("  %s\n", s->log[i]);
}

static u_int32_t ndeadlocks(void)
{
	DB_LOCK_STAT *st;
	u_int32_t n;
	env->lock_stat(env, &st, 0);
	n = st->st_ndeadlocks;
	free(st);
	return n;
}

static void show_counter(DB *db, const char *key)
{
	DBT k = S(key), d = ZM();
	int r = db->get(db, NULL, &k, &d, 0);
	printf("%s -> %s", key, RCS(r));
	if (r == 0) { printf(" = %s", (char *)d.data); free(d.data); }
	printf("\n");
}

/* One scenario in its own environment home. lk_detect: automatic policy
 * (0: none); manual: policy for the main thread's lock_detect (0: none);
 * named: print A and B (the victim is determined) rather than roles. */
static void scenario(const char *home, u_int32_t lk_detect, u_int32_t manual, int named)
{
	struct side a, b;
	pthread_t ta, tb;
	u_int32_t base, dl0;
	int rejected, r;
	DBT k, d;

	printf("== %s\n", home);
	mkdir(home, 0777);
	env = mkenv();
	env->set_errcall(env, errcb_cap);
	if (lk_detect) R(env->set_lk_detect(env, lk_detect));
	if ((r = env->open(env, home, TXN_ENV_FLAGS | DB_THREAD, 0644)) != 0) {
		printf("env open -> %s\n", RCS(r));
		exit(1);
	}
	db1 = opendb(env, NULL, "db1.db", NULL, 0, DB_CREATE | DB_AUTO_COMMIT | DB_THREAD);
	db2 = opendb(env, NULL, "db2.db", NULL, 0, DB_CREATE | DB_AUTO_COMMIT | DB_THREAD);
	db1->set_errcall(db1, errcb_cap);
	db2->set_errcall(db2, errcb_cap);
	k = S("k1"); d = S("0"); d.size = 2; R(db1->put(db1, NULL, &k, &d, 0));
	k = S("k2"); d = S("0"); d.size = 2; R(db2->put(db2, NULL, &k, &d, 0));
	if (manual) {
		rejected = -1;
		R(env->lock_detect(env, 0, manual, &rejected));
		printf("rejected with no deadlock: %d\n", rejected);
	}

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.name = "A"; a.first = db1; a.second = db2; a.kfirst = "k1"; a.ksecond = "k2";
	b.name = "B"; b.first = db2; b.second = db1; b.kfirst = "k2"; b.ksecond = "k1";
	R(env->txn_begin(env, NULL, &a.t, 0));
	R(env->txn_begin(env, NULL, &b.t, 0));
	dl0 = ndeadlocks();
	base = lock_waits(env);
	pthread_barrier_init(&bar, NULL, 2);
	pthread_create(&ta, NULL, run_side, &a);
	pthread_create(&tb, NULL, run_side, &b);
	if (manual) {
		if (!wait_lock_waits(env, base + 2))
			printf("TIMEOUT: the threads never both waited\n");
		else
			printf("both threads wait\n");
		rejected = -1;
		R(env->lock_detect(env, 0, manual, &rejected));
		printf("rejected: %d\n", rejected);
	}
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	pthread_barrier_destroy(&bar);
	printf("victims: %d\n", a.victim + b.victim);
	printf("st_ndeadlocks grew by %u\n", ndeadlocks() - dl0);
	if (named) {
		printf("victim: %s\n", a.victim ? "A" : b.victim ? "B" : "none");
		print_side("A", &a);
		print_side("B", &b);
	} else {
		print_side("winner", a.victim ? &b : &a);
		print_side("victim", a.victim ? &a : &b);
	}
	if (manual) {
		rejected = -1;
		R(env->lock_detect(env, 0, manual, &rejected));
		printf("rejected afterwards: %d\n", rejected);
	}
	show_counter(db1, "k1");
	show_counter(db2, "k2");
	R(db1->close(db1, 0));
	R(db2->close(db2, 0));
	R(env->close(env, 0));
}

int main(void)
{
	scenario("auto-default", DB_LOCK_DEFAULT, 0, 0);
	scenario("auto-youngest", DB_LOCK_YOUNGEST, 0, 1);
	scenario("manual-default", 0, DB_LOCK_DEFAULT, 0);
	scenario("manual-oldest", 0, DB_LOCK_OLDEST, 1);
	return 0;
}
