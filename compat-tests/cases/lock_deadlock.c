/* Deadlocks and timeouts between threads: a two-locker cycle broken by the
 * automatic detector (set_lk_detect) with exactly one victim; three-locker
 * cycles broken by lock_detect with each policy and with priorities; lock
 * timeouts and DB_LOCK_TIMEOUT expired by a detector pass; statistics.
 * Threads record their results; the main thread prints them after joining,
 * so the output does not depend on scheduling. */
#include "common.h"
#include <pthread.h>
#include <unistd.h>

static DB_ENV *env;

struct req {
	u_int32_t locker;
	const char *name;
	db_lockmode_t mode;
	u_int32_t flags;
	int ret;
	int release;		/* PUT_ALL after the request returns */
	pthread_t thread;
};

static void *requester(void *arg)
{
	struct req *q = arg;
	DB_LOCK l;
	DBT o = S(q->name);
	q->ret = env->lock_get(env, q->locker, q->flags, &o, q->mode, &l);
	if (q->release || q->ret != 0) {
		DB_LOCKREQ put;
		memset(&put, 0, sizeof(put));
		put.op = DB_LOCK_PUT_ALL;
		if (q->release || q->ret == DB_LOCK_DEADLOCK)
			(void)env->lock_vec(env, q->locker, 0, &put, 1, NULL);
	}
	return NULL;
}

static void start(struct req *q, u_int32_t locker, const char *name, db_lockmode_t mode, int release)
{
	q->locker = locker; q->name = name; q->mode = mode; q->flags = 0;
	q->ret = 99; q->release = release;
	pthread_create(&q->thread, NULL, requester, q);
	usleep(200000);		/* let it block */
}

static void finish(struct req *q, const char *label)
{
	pthread_join(q->thread, NULL);
	if (q->ret == 0) printf("  %s: granted\n", label);
	else printf("  %s: %d (%s)\n", label, q->ret, db_strerror(q->ret));
}

static void hold(u_int32_t locker, const char *name, db_lockmode_t mode)
{
	DB_LOCK l; DBT o = S(name);
	int r = env->lock_get(env, locker, 0, &o, mode, &l);
	if (r != 0) printf("  hold %s -> %d\n", name, r);
}

static void putall(u_int32_t locker)
{
	DB_LOCKREQ put;
	memset(&put, 0, sizeof(put));
	put.op = DB_LOCK_PUT_ALL;
	if (env->lock_vec(env, locker, 0, &put, 1, NULL) != 0) printf("  put_all failed\n");
}

static void stats(const char *label)
{
	DB_LOCK_STAT *st;
	if (env->lock_stat(env, &st, 0) != 0) return;
	printf("  %s: nlocks=%u wait=%lu nowait=%lu deadlocks=%lu locktimeouts=%lu txntimeouts=%lu\n",
	    label, st->st_nlocks, (unsigned long)st->st_lock_wait, (unsigned long)st->st_lock_nowait,
	    (unsigned long)st->st_ndeadlocks, (unsigned long)st->st_nlocktimeouts,
	    (unsigned long)st->st_ntxntimeouts);
	free(st);
}

static void openenv_detect(u_int32_t detect)
{
	env = mkenv();
	if (detect) R(env->set_lk_detect(env, detect));
	R(env->open(env, NULL, DB_CREATE | DB_PRIVATE | DB_INIT_LOCK | DB_THREAD, 0));
}

static void msgcb(const DB_ENV *e, const char *m)
{
	(void)e;
	printf("  msg: %s\n", m);
}

/* a holds X, b holds Y; a waits for Y, then b asks for X. */
static void two_cycle(u_int32_t detect, int older_asks_last, int verbose)
{
	u_int32_t a, b;
	struct req qa, qb;
	printf("two lockers, detect %u%s%s:\n", detect, older_asks_last ? ", the older asks last" : "",
	    verbose ? ", DB_VERB_DEADLOCK" : "");
	openenv_detect(detect);
	if (verbose) {
		env->set_msgcall(env, msgcb);
		R(env->set_verbose(env, DB_VERB_DEADLOCK, 1));
	}
	R(env->lock_id(env, &a)); R(env->lock_id(env, &b));
	hold(a, "X", DB_LOCK_WRITE);
	hold(b, "Y", DB_LOCK_WRITE);
	if (older_asks_last) {
		start(&qb, b, "X", DB_LOCK_WRITE, 1);
		start(&qa, a, "Y", DB_LOCK_WRITE, 1);
	} else {
		start(&qa, a, "Y", DB_LOCK_WRITE, 1);
		start(&qb, b, "X", DB_LOCK_WRITE, 1);
	}
	finish(&qa, "a (older) asking for Y");
	finish(&qb, "b (younger) asking for X");
	stats("after");
	R(env->close(env, 0));
}

/* Three lockers in a cycle, broken by lock_detect(policy). */
static void three_cycle(u_int32_t policy, int extra, u_int32_t prio_locker)
{
	u_int32_t id[3];
	struct req q[3];
	const char *names[3] = { "X", "Y", "Z" };
	int i, rej = -1, r;
	printf("three lockers, lock_detect(%u)", policy);
	if (extra >= 0) printf(", locker %d holds more", extra);
	if (prio_locker) printf(", locker %u has priority 200", prio_locker);
	printf(":\n");
	openenv_detect(0);
	for (i = 0; i < 3; i++) R(env->lock_id(env, &id[i]));
	for (i = 0; i < 3; i++) hold(id[i], names[i], DB_LOCK_WRITE);
	if (extra >= 0) {
		hold(id[extra], "E1", DB_LOCK_WRITE);
		hold(id[extra], "E2", DB_LOCK_READ);
	}
	if (extra >= 0) hold(id[(extra + 1) % 3], "E3", DB_LOCK_READ);
	if (prio_locker) R(env->set_lk_priority(env, prio_locker, 200));
	for (i = 0; i < 3; i++) start(&q[i], id[i], names[(i + 1) % 3], DB_LOCK_WRITE, 1);
	r = env->lock_detect(env, 0, policy, &rej);
	printf("  lock_detect -> %d, rejected %d\n", r, rej);
	for (i = 0; i < 3; i++) {
		char label[32];
		snprintf(label, sizeof(label), "locker %u", id[i]);
		finish(&q[i], label);
	}
	rej = -1;
	r = env->lock_detect(env, 0, policy, &rej);
	printf("  again -> %d, rejected %d\n", r, rej);
	stats("after");
	R(env->close(env, 0));
}

static struct req vq;
static DB_LOCKREQ vreq[1];
static DBT vobj;

static void *vec_requester(void *arg)
{
	(void)arg;
	vq.ret = env->lock_vec(env, vq.locker, 0, vreq, 1, NULL);
	return NULL;
}

static void timeouts(void)
{
	u_int32_t a, b, c;
	struct req q;
	int rej = -1;
	DB_LOCKREQ req[1];

	printf("timeouts:\n");
	openenv_detect(0);
	R(env->set_timeout(env, 100000, DB_SET_LOCK_TIMEOUT));
	R(env->lock_id(env, &a)); R(env->lock_id(env, &b)); R(env->lock_id(env, &c));
	hold(a, "X", DB_LOCK_WRITE);
	start(&q, b, "X", DB_LOCK_READ, 0);
	usleep(100000);
	R(env->lock_detect(env, 0, DB_LOCK_EXPIRE, &rej)); printf("  rejected %d\n", rej);
	finish(&q, "b waiting 300ms with a 100ms lock timeout");
	stats("lock timeout");

	/* DB_LOCK_GET_TIMEOUT: the request's own timeout (60s, not due). */
	memset(vreq, 0, sizeof(vreq));
	vobj = S("X");
	vreq[0].op = DB_LOCK_GET_TIMEOUT; vreq[0].obj = &vobj; vreq[0].mode = DB_LOCK_READ;
	vreq[0].timeout = 60000000;
	vq.locker = b; vq.ret = 99;
	pthread_create(&vq.thread, NULL, vec_requester, NULL);
	usleep(300000);
	rej = -1; R(env->lock_detect(env, 0, DB_LOCK_DEFAULT, &rej)); printf("  rejected %d\n", rej);

	/* DB_LOCK_TIMEOUT expires a waiting locker's transaction now. */
	R(env->set_timeout(env, 0, DB_SET_LOCK_TIMEOUT));
	start(&q, c, "X", DB_LOCK_WRITE, 0);
	memset(req, 0, sizeof(req));
	req[0].op = DB_LOCK_TIMEOUT;
	R(env->lock_vec(env, c, 0, req, 1, NULL));
	rej = -1; R(env->lock_detect(env, 0, DB_LOCK_DEFAULT, &rej)); printf("  rejected %d\n", rej);
	finish(&q, "c after DB_LOCK_TIMEOUT");
	stats("txn timeout");
	putall(a);
	pthread_join(vq.thread, NULL);
	printf("  b's DB_LOCK_GET_TIMEOUT request: %d\n", vq.ret);
	putall(b);
	stats("released");
	R(env->close(env, 0));

	printf("automatic detector expires at the next put:\n");
	openenv_detect(DB_LOCK_DEFAULT);
	R(env->set_timeout(env, 100000, DB_SET_LOCK_TIMEOUT));
	R(env->lock_id(env, &a)); R(env->lock_id(env, &b));
	hold(a, "X", DB_LOCK_WRITE);
	start(&q, b, "X", DB_LOCK_WRITE, 0);
	usleep(200000);
	{
		DB_LOCK l; DBT y = S("Y");
		R(env->lock_get(env, a, 0, &y, DB_LOCK_WRITE, &l));
		R(env->lock_put(env, &l));
	}
	finish(&q, "b");
	stats("after");
	R(env->close(env, 0));
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	two_cycle(DB_LOCK_DEFAULT, 0, 0);
	two_cycle(DB_LOCK_DEFAULT, 1, 0);
	two_cycle(DB_LOCK_OLDEST, 1, 0);
	two_cycle(DB_LOCK_YOUNGEST, 0, 0);
	two_cycle(DB_LOCK_MAXLOCKS, 0, 1);
	three_cycle(DB_LOCK_DEFAULT, -1, 0);
	three_cycle(DB_LOCK_RANDOM, -1, 0);
	three_cycle(DB_LOCK_OLDEST, -1, 0);
	three_cycle(DB_LOCK_YOUNGEST, -1, 0);
	three_cycle(DB_LOCK_MAXLOCKS, 1, 0);
	three_cycle(DB_LOCK_MINLOCKS, 1, 0);
	three_cycle(DB_LOCK_MAXWRITE, 2, 0);
	three_cycle(DB_LOCK_MINWRITE, 0, 0);
	three_cycle(DB_LOCK_DEFAULT, -1, 3);
	three_cycle(DB_LOCK_YOUNGEST, -1, 3);
	three_cycle(DB_LOCK_OLDEST, -1, 1);
	timeouts();
	return 0;
}
