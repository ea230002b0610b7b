/* Shared helpers for the transaction compat cases (txn_*.c): a
 * transactional environment in the current directory, DB->put/get/del/
 * exists calls that print "label op key -> rc [data]" lines, and a bounded
 * wait on a lock-region counter (used to prove another thread is blocked
 * on a lock without sleeping for a fixed time and without printing the
 * counter itself). */
#ifndef TERN_COMPAT_TXN_COMMON_H
#define TERN_COMPAT_TXN_COMMON_H
#include "common.h"
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <stdarg.h>

#define TXN_ENV_FLAGS \
	(DB_CREATE | DB_INIT_MPOOL | DB_INIT_LOCK | DB_INIT_LOG | DB_INIT_TXN)

/* The transactional environment of every txn case, in ".". */
static DB_ENV *opentxnenv(u_int32_t extra)
{
	return openenv(".", TXN_ENV_FLAGS | extra);
}

/* "who put key=val -> rc" */
static int tput(DB *db, DB_TXN *t, const char *who, const char *key,
    const char *val, u_int32_t flags)
{
	DBT k = S(key), d = S(val);
	int r = db->put(db, t, &k, &d, flags);
	printf("%s put %s=%s", who, key, val);
	if (flags) printf(" flags=%#x", flags);
	if (r == 0) printf(" -> 0\n");
	else printf(" -> %d (%s)\n", r, db_strerror(r));
	fflush(stdout);
	return r;
}

/* An empty DBT whose returned data libdb allocates (required on DB_THREAD
 * handles; harmless elsewhere): free d.data after a successful call. */
static DBT ZM(void)
{
	DBT d = Z();
	d.flags = DB_DBT_MALLOC;
	return d;
}

/* "who get key -> rc [data]" */
static int tget(DB *db, DB_TXN *t, const char *who, const char *key,
    u_int32_t flags)
{
	DBT k = S(key), d = ZM();
	int r = db->get(db, t, &k, &d, flags);
	printf("%s get %s", who, key);
	if (flags) printf(" flags=%#x", flags);
	if (r == 0) { printf(" -> 0 "); pdbt("data", &d); printf("\n"); free(d.data); }
	else printf(" -> %d (%s)\n", r, db_strerror(r));
	fflush(stdout);
	return r;
}

/* "who get_both key=val -> rc" */
static int tgetboth(DB *db, DB_TXN *t, const char *who, const char *key,
    const char *val)
{
	DBT k = S(key), d = S(val);
	int r;
	d.flags = DB_DBT_MALLOC;
	r = db->get(db, t, &k, &d, DB_GET_BOTH);
	if (r == 0 && d.data != (void *)val) free(d.data);
	printf("%s get_both %s=%s", who, key, val);
	if (r == 0) printf(" -> 0\n");
	else printf(" -> %d (%s)\n", r, db_strerror(r));
	fflush(stdout);
	return r;
}

/* "who del key -> rc" */
static int tdel(DB *db, DB_TXN *t, const char *who, const char *key)
{
	DBT k = S(key);
	int r = db->del(db, t, &k, 0);
	printf("%s del %s", who, key);
	if (r == 0) printf(" -> 0\n");
	else printf(" -> %d (%s)\n", r, db_strerror(r));
	fflush(stdout);
	return r;
}

/* "who exists key -> rc" */
static int texists(DB *db, DB_TXN *t, const char *who, const char *key)
{
	DBT k = S(key);
	int r = db->exists(db, t, &k, 0);
	printf("%s exists %s", who, key);
	if (r == 0) printf(" -> 0\n");
	else printf(" -> %d (%s)\n", r, db_strerror(r));
	fflush(stdout);
	return r;
}

/* Dump a database inside a transaction (NULL: none), one line per pair. */
static void tdump(DB *db, DB_TXN *t, const char *label)
{
	DBC *c;
	DBT k = ZM(), d = ZM();
	int r, n = 0;
	printf("dump %s:\n", label);
	if ((r = db->cursor(db, t, &c, 0)) != 0) {
		printf("  cursor -> %d (%s)\n", r, db_strerror(r));
		return;
	}
	while ((r = c->get(c, &k, &d, DB_NEXT)) == 0) {
		pkd(&k, &d);
		free(k.data);
		free(d.data);
		n++;
	}
	printf("  end %d (%d records)\n", r, n);
	c->close(c);
	fflush(stdout);
}

/* The lock region's count of requests that had to wait (st_lock_wait) or
 * were refused (st_lock_nowait), and the deadlock count. Never printed:
 * cases compare them with earlier readings only. */
static u_int32_t lock_waits(DB_ENV *env)
{
	DB_LOCK_STAT *st;
	u_int32_t n;
	if (env->lock_stat(env, &st, 0) != 0) { printf("lock_stat failed\n"); exit(1); }
	n = st->st_lock_wait;
	free(st);
	return n;
}

/* Wait (bounded: about 20 s) until st_lock_wait has grown to at least
 * `target`, i.e. until that many lock requests have blocked. Returns 1 when
 * reached, 0 on timeout (the case then prints a failure line). */
static int wait_lock_waits(DB_ENV *env, u_int32_t target)
{
	struct timespec ts = { 0, 1000000 };	/* 1 ms between polls */
	int i;
	for (i = 0; i < 20000; i++) {
		if (lock_waits(env) >= target) return 1;
		nanosleep(&ts, NULL);
	}
	return 0;
}

/* An event log for threaded cases: threads append numbered lines under a
 * mutex; the main thread prints them once the order is settled. Cases log
 * only at points whose order the synchronisation (or a lock wait) fixes. */
static pthread_mutex_t ev_mu = PTHREAD_MUTEX_INITIALIZER;
static char ev_log[256][200];
static int ev_n;

static void ev(const char *fmt, ...)
{
	va_list ap;
	pthread_mutex_lock(&ev_mu);
	if (ev_n < 256) {
		va_start(ap, fmt);
		vsnprintf(ev_log[ev_n++], sizeof(ev_log[0]), fmt, ap);
		va_end(ap);
	}
	pthread_mutex_unlock(&ev_mu);
}

static void ev_print(const char *label)
{
	int i;
	pthread_mutex_lock(&ev_mu);
	printf("events %s:\n", label);
	for (i = 0; i < ev_n; i++) printf("  %d. %s\n", i + 1, ev_log[i]);
	ev_n = 0;
	pthread_mutex_unlock(&ev_mu);
	fflush(stdout);
}

/* "0" or "-30993 (BDB0068 DB_LOCK_DEADLOCK: ...)" in a static buffer per
 * call site's choice of `buf`. */
static const char *rcs(char *buf, size_t n, int r)
{
	if (r == 0) snprintf(buf, n, "0");
	else snprintf(buf, n, "%d (%s)", r, db_strerror(r));
	return buf;
}
#define RCS(r) rcs((char[160]){0}, 160, (r))

/* Error-callback capture per thread: while a thread has set errcap to a
 * buffer, messages libdb reports in that thread are appended there (as
 * " [message]") instead of being printed, so a case can print them later
 * in a fixed order. Install with env->set_errcall(env, errcb_cap). */
static __thread char *errcap;
static __thread size_t errcap_n;
static void errcb_cap(const DB_ENV *e, const char *pfx, const char *msg)
{
	size_t len;
	if (errcap == NULL) { errcb(e, pfx, msg); return; }
	len = strlen(errcap);
	snprintf(errcap + len, errcap_n - len, " [%s]", msg);
}
static void errcap_start(char *buf, size_t n) { buf[0] = 0; errcap = buf; errcap_n = n; }
static void errcap_stop(void) { errcap = NULL; }
#endif
