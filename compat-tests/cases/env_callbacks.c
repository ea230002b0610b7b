/* Application callbacks: setters, getters (the function set comes back),
 * NULL, libdb's defaults, before/after open rules; direct field access to
 * the error channel; is_bigendian. */
#include "env_common.h"
#include <pthread.h>
#include <unistd.h>
static void ev(DB_ENV *e, u_int32_t a, void *b) { (void)e; (void)a; (void)b; }
static int disp(DB_ENV *e, DBT *d, DB_LSN *l, db_recops o) { (void)e; (void)d; (void)l; (void)o; return 0; }
static void fb(DB_ENV *e, int a, int b) { (void)e; (void)a; (void)b; }
static void panic_cb(DB_ENV *e, int a) { (void)e; (void)a; }
static int alive(DB_ENV *e, pid_t p, db_threadid_t t, u_int32_t f) { (void)e; (void)p; (void)t; (void)f; return 1; }
static void tid(DB_ENV *e, pid_t *p, db_threadid_t *t) { (void)e; if (p) *p = 42; if (t) *t = (db_threadid_t)43; }
static char *tids(DB_ENV *e, pid_t p, db_threadid_t t, char *buf) { (void)e; (void)p; (void)t; strcpy(buf, "mine"); return buf; }
static void *my_malloc(size_t n) { return malloc(n); }
static void *my_realloc(void *p, size_t n) { return realloc(p, n); }
static void my_free(void *p) { free(p); }
static void msgcb(const DB_ENV *e, const char *m) { (void)e; printf("  msg %s\n", m); }
#define SAME(p, f) ((p) == (f) ? "same" : (p) == NULL ? "NULL" : "other")
static void getters(DB_ENV *e, const char *label)
{
	int (*d)(DB_ENV *, DBT *, DB_LSN *, db_recops) = (void *)1;
	void (*f)(DB_ENV *, int, int) = (void *)1;
	int (*a)(DB_ENV *, pid_t, db_threadid_t, u_int32_t) = (void *)1;
	void (*t)(DB_ENV *, pid_t *, db_threadid_t *) = (void *)1;
	char *(*ts)(DB_ENV *, pid_t, db_threadid_t, char *) = (void *)1;
	void *(*m)(size_t) = (void *)1; void *(*r)(void *, size_t) = (void *)1; void (*fr)(void *) = (void *)1;
	int ret;
	printf("%s:\n", label);
	ret = e->get_app_dispatch(e, &d); printf("  app_dispatch %d %s\n", ret, SAME(d, disp));
	ret = e->get_feedback(e, &f); printf("  feedback %d %s\n", ret, SAME(f, fb));
	ret = e->get_isalive(e, &a); printf("  isalive %d %s\n", ret, a == (void *)1 ? "untouched" : SAME(a, alive));
	ret = e->get_thread_id_fn(e, &t); printf("  thread_id %d %s\n", ret, SAME(t, tid));
	ret = e->get_thread_id_string_fn(e, &ts); printf("  thread_id_string %d %s\n", ret, SAME(ts, tids));
	ret = e->get_alloc(e, &m, &r, &fr); printf("  alloc %d %s %s %s\n", ret, SAME(m, my_malloc), SAME(r, my_realloc), SAME(fr, my_free));
}
int main(void)
{
	DB_ENV *e;
	void (*t)(DB_ENV *, pid_t *, db_threadid_t *) = NULL;
	char *(*ts)(DB_ENV *, pid_t, db_threadid_t, char *) = NULL;

	e = mkenv();
	getters(e, "defaults");
	/* libdb's default thread id functions. */
	e->get_thread_id_fn(e, &t);
	if (t != NULL) {
		pid_t p = 0; db_threadid_t th; char buf[DB_THREADID_STRLEN], want[DB_THREADID_STRLEN];
		memset(&th, 0, sizeof th);
		t(e, &p, &th);
		printf("default thread_id: pid %s, tid %s\n", p == getpid() ? "ok" : "wrong",
		    pthread_equal((pthread_t)th, pthread_self()) ? "ok" : "wrong");
		e->get_thread_id_string_fn(e, &ts);
		snprintf(want, sizeof want, "%lu/%lu", (unsigned long)p, (unsigned long)th);
		printf("default thread_id_string: %s\n", ts != NULL && strcmp(ts(e, p, th, buf), want) == 0 ? "pid/tid" : "other");
		snprintf(want, sizeof want, "%lu/%lu", 12345UL, 678UL);
		printf("default thread_id_string(12345, 678): %s\n", strcmp(ts(e, 12345, (db_threadid_t)678, buf), want) == 0 ? "12345/678" : buf);
	}
	printf("is_bigendian %d\n", e->is_bigendian());

	R(e->set_event_notify(e, ev));
	R(e->set_app_dispatch(e, disp));
	R(e->set_feedback(e, fb));
	R(e->set_paniccall(e, panic_cb));
	R(e->set_isalive(e, alive));
	R(e->set_thread_id(e, tid));
	R(e->set_thread_id_string(e, tids));
	R(e->set_alloc(e, my_malloc, my_realloc, my_free));
	getters(e, "set");
	printf("fields: event %s panic %s\n", SAME(e->db_event_func, ev), SAME(e->db_paniccall, panic_cb));
	/* NULL out-parameters are allowed where libdb checks them. */
	R(e->get_app_dispatch(e, NULL));
	R(e->get_feedback(e, NULL));
	R(e->get_isalive(e, NULL));
	R(e->get_thread_id_fn(e, NULL));
	R(e->get_thread_id_string_fn(e, NULL));
	R(e->get_alloc(e, NULL, NULL, NULL));
	/* Setting NULL. */
	R(e->set_event_notify(e, NULL));
	R(e->set_app_dispatch(e, NULL));
	R(e->set_feedback(e, NULL));
	R(e->set_paniccall(e, NULL));
	R(e->set_isalive(e, NULL));
	R(e->set_thread_id(e, NULL));
	R(e->set_thread_id_string(e, NULL));
	R(e->set_alloc(e, NULL, NULL, NULL));
	getters(e, "NULLs");
	printf("fields: event %s panic %s\n", SAME(e->db_event_func, ev), SAME(e->db_paniccall, panic_cb));
	e->close(e, 0);

	/* After open without a thread table. */
	e = mkenv();
	R(e->set_isalive(e, alive));
	R(e->set_feedback(e, fb));
	R(e->open(e, NULL, DB_CREATE | DB_PRIVATE | DB_INIT_MPOOL, 0));
	getters(e, "opened");
	{ u_int32_t n = 9; R(e->get_thread_count(e, &n)); printf("thread_count %u\n", n); }
	R(e->set_event_notify(e, ev));
	R(e->set_app_dispatch(e, disp));
	R(e->set_feedback(e, NULL));
	R(e->set_paniccall(e, panic_cb));
	R(e->set_isalive(e, alive));
	R(e->set_thread_id(e, tid));
	R(e->set_thread_id_string(e, tids));
	R(e->set_alloc(e, my_malloc, my_realloc, my_free));
	getters(e, "opened, set");
	e->close(e, 0);

	/* After open with a thread table. */
	e = mkenv();
	R(e->set_thread_count(e, 4));
	R(e->open(e, NULL, DB_CREATE | DB_PRIVATE | DB_INIT_MPOOL, 0));
	R(e->set_isalive(e, alive));
	getters(e, "opened with threads");
	R(e->set_isalive(e, NULL));
	e->close(e, 0);

	/* The thread table's size after open. */
	{
		static const struct { u_int32_t count, thr_init, tx_init; int alive; } t[] = {
			{ 0, 0, 0, 0 }, { 0, 0, 30, 1 }, { 0, 7, 0, 0 }, { 0, 7, 0, 1 }, { 20, 7, 0, 0 },
			{ 5, 70, 0, 1 }, { 0, 0, 0, 1 }, { 3, 0, 30, 1 },
		};
		for (int i = 0; i < (int)(sizeof t / sizeof t[0]); i++) {
			u_int32_t n = 9; int r1, r2;
			e = mkenv();
			if (t[i].count) e->set_thread_count(e, t[i].count);
			if (t[i].thr_init) e->set_memory_init(e, DB_MEM_THREAD, t[i].thr_init);
			if (t[i].tx_init) e->set_memory_init(e, DB_MEM_TRANSACTION, t[i].tx_init);
			if (t[i].alive) e->set_isalive(e, alive);
			r1 = e->open(e, NULL, DB_CREATE | DB_PRIVATE | DB_INIT_MPOOL, 0);
			r2 = e->get_thread_count(e, &n);
			printf("count %u thr_init %u tx_init %u alive %d: open %d thread_count %d %u", t[i].count, t[i].thr_init, t[i].tx_init, t[i].alive, r1, r2, n);
			n = 9; e->get_memory_init(e, DB_MEM_THREAD, &n); printf(" thr_init %u\n", n);
			R(e->set_isalive(e, alive));
			e->close(e, 0);
		}
	}

	/* The channel members are the struct's own: direct assignment works. */
	e = mkenv();
	e->db_errcall = NULL;
	e->db_errfile = stdout;
	e->db_errpfx = "direct";
	R(e->set_lg_regionmax(e, 1));
	{ FILE *f = NULL; e->get_errfile(e, &f); printf("errfile %s\n", f == stdout ? "stdout" : "other"); }
	{ const char *p = NULL; e->get_errpfx(e, &p); printf("errpfx %s\n", p ? p : "NULL"); }
	e->db_errcall = errcb;
	e->db_errfile = NULL;
	R(e->set_lg_regionmax(e, 1));
	{ void (*c)(const DB_ENV *, const char *, const char *) = NULL; e->get_errcall(e, &c); printf("errcall %s\n", SAME(c, errcb)); }
	e->db_msgcall = msgcb;
	{ void (*c)(const DB_ENV *, const char *) = NULL; e->get_msgcall(e, &c); printf("msgcall %s\n", SAME(c, msgcb)); }
	e->db_msgfile = stdout;
	{ FILE *f = NULL; e->get_msgfile(e, &f); printf("msgfile %s\n", f == stdout ? "stdout" : "other"); }
	e->close(e, 0);
	return 0;
}
