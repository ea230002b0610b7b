/* DB_ENV lock methods, single-threaded: lock_id, lock_id_free, lock_get,
 * lock_put, lock_vec, lock_detect, lock_stat; argument checks and messages
 * before open, without DB_INIT_LOCK and after open; refcounted re-gets,
 * NOTGRANTED with DB_LOCK_NOWAIT, stale handles, lock_vec's elistp. */
#include "common.h"

static DBT obj(const char *s) { return S(s); }

/* lock_stat_print's lines, without those that describe the library's own
 * memory (the region's size, its addresses and allocator, mutexes): the
 * statistics up to the first section separator, and with `matrix_only`
 * the conflict matrix section. */
static int matrix_only, in_section, past_stats;
static void msgcb(const DB_ENV *e, const char *m)
{
	(void)e;
	if (strncmp(m, "=-=", 3) == 0) { past_stats = 1; in_section = 0; return; }
	if (strcmp(m, "Lock conflict matrix:") == 0) in_section = 1;
	if (strstr(m, "Region size") != NULL) return;
	if (matrix_only ? !in_section : past_stats) return;
	printf("  msg: %s\n", m);
}

static void stats(DB_ENV *e, const char *label)
{
	DB_LOCK_STAT *st = NULL;
	int r = e->lock_stat(e, &st, 0);
	if (r != 0) { printf("%s: lock_stat -> %d\n", label, r); return; }
	printf("%s: id=%u cur_maxid=%#x nmodes=%d maxlocks=%u maxlockers=%u maxobjects=%u"
	    " nlocks=%u maxnlocks=%u nlockers=%u maxnlockers=%u nobjects=%u maxnobjects=%u"
	    " nrequests=%lu nreleases=%lu wait=%lu nowait=%lu deadlocks=%lu"
	    " locktimeout=%u nlocktimeouts=%lu txntimeout=%u ntxntimeouts=%lu\n",
	    label, st->st_id, st->st_cur_maxid, st->st_nmodes, st->st_maxlocks,
	    st->st_maxlockers, st->st_maxobjects, st->st_nlocks, st->st_maxnlocks,
	    st->st_nlockers, st->st_maxnlockers, st->st_nobjects, st->st_maxnobjects,
	    (unsigned long)st->st_nrequests, (unsigned long)st->st_nreleases,
	    (unsigned long)st->st_lock_wait, (unsigned long)st->st_lock_nowait,
	    (unsigned long)st->st_ndeadlocks, st->st_locktimeout,
	    (unsigned long)st->st_nlocktimeouts, st->st_txntimeout,
	    (unsigned long)st->st_ntxntimeouts);
	free(st);
}

static void unopened(void)
{
	DB_ENV *e = mkenv();
	u_int32_t id = 7; DB_LOCK l; DBT o = obj("x"); DB_LOCKREQ req; DB_LOCKREQ *el = NULL;
	DB_LOCK_STAT *st = NULL; int rej = 9;
	printf("before open:\n");
	R(e->lock_id(e, &id));
	R(e->lock_id_free(e, 1));
	R(e->lock_get(e, 1, 0, &o, DB_LOCK_READ, &l));
	memset(&l, 0, sizeof(l));
	R(e->lock_put(e, &l));
	memset(&req, 0, sizeof(req)); req.op = DB_LOCK_PUT_ALL;
	R(e->lock_vec(e, 1, 0, &req, 1, &el));
	R(e->lock_detect(e, 0, DB_LOCK_DEFAULT, &rej));
	R(e->lock_stat(e, &st, 0));
	R(e->lock_stat_print(e, 0));
	R(e->set_lk_priority(e, 1, 5));
	e->close(e, 0);

	e = mkenv();
	printf("mpool only:\n");
	R(e->open(e, NULL, DB_CREATE | DB_PRIVATE | DB_INIT_MPOOL, 0));
	R(e->lock_id(e, &id));
	R(e->lock_id_free(e, 1));
	R(e->lock_get(e, 1, 0, &o, DB_LOCK_READ, &l));
	R(e->lock_vec(e, 1, 0, &req, 1, &el));
	R(e->lock_detect(e, 0, DB_LOCK_DEFAULT, &rej));
	R(e->lock_stat(e, &st, 0));
	R(e->lock_stat_print(e, 0));
	R(e->set_lk_priority(e, 1, 5));
	{ u_int32_t p = 9; R(e->get_lk_priority(e, 1, &p)); printf("  p=%u\n", p); }
	e->close(e, 0);
}

int main(void)
{
	DB_ENV *e;
	u_int32_t a = 0, b = 0, c = 0, p;
	DB_LOCK la, la2, lb, lc, stale;
	DBT x = obj("x"), y = obj("y"), z = obj("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz");
	int r, rej, i;

	setvbuf(stdout, NULL, _IONBF, 0);
	unopened();

	e = mkenv();
	R(e->set_lk_partitions(e, 1));
	R(e->open(e, NULL, DB_CREATE | DB_PRIVATE | DB_INIT_LOCK, 0));
	stats(e, "fresh");
	{
		const u_int8_t *m = NULL; int n = 0, i; u_int32_t v = 0;
		R(e->get_lk_conflicts(e, &m, &n));
		printf("  conflicts %s %d:", m == NULL ? "NULL" : "set", n);
		for (i = 0; m != NULL && i < n * n; i++) printf("%s%d", i % n ? "" : " ", m[i]);
		printf("\n");
		R(e->get_lk_tablesize(e, &v)); printf("  tablesize %u\n", v);
		R(e->get_lk_max_locks(e, &v)); printf("  max locks %u\n", v);
	}
	R(e->lock_id(e, &a)); R(e->lock_id(e, &b)); R(e->lock_id(e, &c));
	printf("ids %u %u %u\n", a, b, c);

	/* Arguments. */
	R(e->lock_get(e, a, 0x1000, &x, DB_LOCK_READ, &la));
	R(e->lock_get(e, a, DB_LOCK_CHECK, &x, DB_LOCK_READ, &la));
	R(e->lock_get(e, a, 0, &x, (db_lockmode_t)9, &la));
	R(e->lock_get(e, a, 0, &x, (db_lockmode_t)100, &la));
	R(e->lock_get(e, 999, 0, &x, DB_LOCK_READ, &la));
	R(e->lock_id_free(e, 999));
	R(e->lock_detect(e, 1, DB_LOCK_DEFAULT, &rej));
	R(e->lock_detect(e, 0, 0, &rej));
	R(e->lock_detect(e, 0, 10, &rej));
	{ DB_LOCK_STAT *st; R(e->lock_stat(e, &st, 0x1234)); }
	e->set_msgcall(e, msgcb);
	R(e->lock_stat_print(e, DB_STAT_ALL));
	matrix_only = 1;
	R(e->lock_stat_print(e, DB_STAT_LOCK_CONF));
	matrix_only = 0; past_stats = 0;
	R(e->lock_stat_print(e, 0x80000000));
	{ DB_LOCKREQ req; memset(&req, 0, sizeof(req)); req.op = DB_LOCK_PUT_ALL;
	  R(e->lock_vec(e, a, DB_LOCK_UPGRADE, &req, 1, NULL)); }

	/* Grants, counts, conflicts. */
	R(e->lock_get(e, a, 0, &x, DB_LOCK_READ, &la));
	printf("  mode %d\n", (int)la.mode);
	R(e->lock_get(e, b, 0, &x, DB_LOCK_READ, &lb));
	R(e->lock_get(e, a, 0, &x, DB_LOCK_READ, &la2));
	printf("  same lock %d\n", la.off == la2.off && la.gen == la2.gen);
	R(e->lock_get(e, c, DB_LOCK_NOWAIT, &x, DB_LOCK_WRITE, &lc));
	R(e->lock_get(e, c, DB_LOCK_NOWAIT, &x, DB_LOCK_IWRITE, &lc));
	R(e->lock_get(e, c, DB_LOCK_NOWAIT, &x, DB_LOCK_IREAD, &lc));
	R(e->lock_put(e, &lc));
	R(e->lock_get(e, c, 0, &z, DB_LOCK_WRITE, &lc));
	R(e->lock_get(e, a, DB_LOCK_NOWAIT, &z, DB_LOCK_READ, &la2));
	R(e->lock_get(e, c, 0, &z, DB_LOCK_READ, &stale));
	R(e->lock_put(e, &stale));
	stats(e, "held");
	R(e->lock_id_free(e, c));
	R(e->lock_put(e, &lc));
	stale = lc;
	R(e->lock_get(e, c, 0, &z, DB_LOCK_WRITE, &lc));
	R(e->lock_put(e, &lc));
	stats(e, "after puts");
	R(e->lock_id_free(e, c));
	R(e->lock_id_free(e, c));
	R(e->lock_id(e, &c)); printf("new id %u\n", c);

	/* Priorities. */
	p = 0; R(e->get_lk_priority(e, a, &p)); printf("  priority %u\n", p);
	R(e->set_lk_priority(e, a, 7));
	p = 0; R(e->get_lk_priority(e, a, &p)); printf("  priority %u\n", p);

	/* lock_vec. */
	{
		DB_LOCKREQ req[6], *el = (DB_LOCKREQ *)1;
		memset(req, 0, sizeof(req));
		req[0].op = DB_LOCK_GET; req[0].obj = &y; req[0].mode = DB_LOCK_WRITE;
		req[1].op = DB_LOCK_GET; req[1].obj = &x; req[1].mode = DB_LOCK_READ;
		req[2].op = DB_LOCK_GET_TIMEOUT; req[2].obj = &z; req[2].mode = DB_LOCK_READ; req[2].timeout = 1000;
		R(e->lock_vec(e, c, 0, req, 3, &el));
		printf("  el %s\n", el == (DB_LOCKREQ *)1 ? "untouched" : "set");
		stats(e, "vec got");
		req[0].op = DB_LOCK_PUT; req[0].lock = req[1].lock;
		req[1].op = DB_LOCK_GET; req[1].obj = &y; req[1].mode = DB_LOCK_WRITE;
		R(e->lock_vec(e, b, DB_LOCK_NOWAIT, req, 2, &el));
		printf("  el index %d\n", el == (DB_LOCKREQ *)1 ? -1 : (int)(el - req));
		req[0].op = DB_LOCK_PUT_OBJ; req[0].obj = &y;
		R(e->lock_vec(e, b, 0, req, 1, &el));
		stats(e, "put obj");
		req[0].op = DB_LOCK_PUT_OBJ; req[0].obj = &y;
		el = (DB_LOCKREQ *)1;
		R(e->lock_vec(e, b, 0, req, 1, &el));
		printf("  el index %d\n", el == (DB_LOCKREQ *)1 ? -1 : (int)(el - req));
		req[0].op = DB_LOCK_PUT_ALL; req[0].obj = NULL;
		req[1].op = (db_lockop_t)99;
		el = (DB_LOCKREQ *)1;
		R(e->lock_vec(e, c, 0, req, 2, &el));
		printf("  el index %d\n", el == (DB_LOCKREQ *)1 ? -1 : (int)(el - req));
		req[0].op = DB_LOCK_DUMP;
		R(e->lock_vec(e, c, 0, req, 1, &el));
		req[0].op = DB_LOCK_INHERIT;
		R(e->lock_vec(e, c, 0, req, 1, &el));
		req[0].op = DB_LOCK_PUT_ALL;
		R(e->lock_vec(e, 31337, 0, req, 1, &el));
		req[0].op = DB_LOCK_GET; req[0].obj = &x; req[0].mode = DB_LOCK_READ;
		R(e->lock_vec(e, 31337, 0, req, 1, &el));
		req[0].op = DB_LOCK_PUT_READ;
		R(e->lock_vec(e, a, 0, req, 1, &el));
		R(e->lock_vec(e, a, 0, req, 0, &el));
		stats(e, "put read");
	}
	rej = 9; R(e->lock_detect(e, 0, DB_LOCK_DEFAULT, &rej)); printf("  rejected %d\n", rej);
	printf("  lb.off set %d\n", lb.off != 0);
	stale = lb;
	R(e->lock_put(e, &lb));
	printf("  lb.off after put %d\n", (int)lb.off);
	R(e->lock_put(e, &stale));
	printf("  stale.off after failed put %d\n", (int)stale.off);
	{ DB_LOCK f, q; DBT qq = obj("q"); memset(&f, 0xff, sizeof(f)); f.off = 1; R(e->lock_get(e, b, 0, &qq, DB_LOCK_WRITE, &q));
	  R(e->lock_get(e, a, DB_LOCK_NOWAIT, &qq, DB_LOCK_WRITE, &f)); printf("  f.off after failed get %d\n", (int)f.off); R(e->lock_put(e, &q)); }
	stats(e, "end");
	{ DB_LOCK_STAT *st; R(e->lock_stat(e, &st, DB_STAT_CLEAR)); free(st); }
	stats(e, "cleared");
	R(e->set_timeout(e, 5000, DB_SET_LOCK_TIMEOUT));
	R(e->set_timeout(e, 7000, DB_SET_TXN_TIMEOUT));
	stats(e, "timeouts");
	R(e->close(e, 0));

	/* DB_INIT_CDB's matrix. */
	e = mkenv();
	R(e->open(e, NULL, DB_CREATE | DB_PRIVATE | DB_INIT_CDB | DB_INIT_MPOOL, 0));
	{
		const u_int8_t *m = NULL; int n = 0, i;
		R(e->get_lk_conflicts(e, &m, &n));
		printf("  cdb conflicts %s %d:", m == NULL ? "NULL" : "set", n);
		for (i = 0; m != NULL && i < n * n; i++) printf("%s%d", i % n ? "" : " ", m[i]);
		printf("\n");
	}
	R(e->close(e, 0));

	/* A matrix of its own, with a tenth mode. */
	e = mkenv();
	{
		u_int8_t m[100]; DB_LOCK l1, l2; DBT q = obj("q"); u_int32_t a1, a2;
		for (i = 0; i < 100; i++) m[i] = (i / 10 == 9 && i % 10 == 9) || i / 10 == 1 && i % 10 == 9;
		R(e->set_lk_conflicts(e, m, 10));
		R(e->open(e, NULL, DB_CREATE | DB_PRIVATE | DB_INIT_LOCK, 0));
		R(e->lock_id(e, &a1)); R(e->lock_id(e, &a2));
		R(e->lock_get(e, a1, 0, &q, (db_lockmode_t)9, &l1));
		printf("  mode %d\n", (int)l1.mode);
		R(e->lock_get(e, a2, DB_LOCK_NOWAIT, &q, (db_lockmode_t)9, &l2));
		R(e->lock_get(e, a2, DB_LOCK_NOWAIT, &q, DB_LOCK_WRITE, &l2));
		R(e->lock_get(e, a2, DB_LOCK_NOWAIT, &q, (db_lockmode_t)10, &l2));
		R(e->lock_put(e, &l1));
		R(e->lock_get(e, a1, 0, &q, DB_LOCK_READ, &l1));
		R(e->lock_get(e, a2, DB_LOCK_NOWAIT, &q, (db_lockmode_t)9, &l2));
	}
	R(e->close(e, 0));
	return 0;
}
