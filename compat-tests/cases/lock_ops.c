/* lock_get with DB_LOCK_UPGRADE, lock_vec's DB_LOCK_PUT_READ,
 * DB_LOCK_UPGRADE_WRITE and DB_LOCK_TRADE, DB_NOLOCKING, and handle reuse
 * after puts: what libdb returns and counts. */
#include "common.h"

static void stats(DB_ENV *e, const char *label)
{
	DB_LOCK_STAT *st;
	if (e->lock_stat(e, &st, 0) != 0) return;
	printf("%s: nlocks=%u nobjects=%u requests=%lu releases=%lu upgrades=%lu nowait=%lu\n", label,
	    st->st_nlocks, st->st_nobjects, (unsigned long)st->st_nrequests,
	    (unsigned long)st->st_nreleases, (unsigned long)st->st_nupgrade,
	    (unsigned long)st->st_lock_nowait);
	free(st);
}

int main(void)
{
	DB_ENV *e;
	u_int32_t a, b, c;
	DB_LOCK la, lb, lc, keep;
	DBT x = S("x"), y = S("y"), z = S("z");
	DB_LOCKREQ req[3];

	setvbuf(stdout, NULL, _IONBF, 0);
	e = mkenv();
	R(e->set_lk_partitions(e, 1));
	R(e->open(e, NULL, DB_CREATE | DB_PRIVATE | DB_INIT_LOCK, 0));
	R(e->lock_id(e, &a)); R(e->lock_id(e, &b)); R(e->lock_id(e, &c));

	printf("upgrade:\n");
	R(e->lock_get(e, a, 0, &x, DB_LOCK_READ, &la));
	keep = la;
	R(e->lock_get(e, a, DB_LOCK_UPGRADE, &x, DB_LOCK_WRITE, &la));
	printf("  mode %d same %d\n", (int)la.mode, la.off == keep.off && la.gen == keep.gen);
	R(e->lock_get(e, b, DB_LOCK_NOWAIT, &x, DB_LOCK_READ, &lb));
	stats(e, "  after upgrade");
	R(e->lock_put(e, &la));
	R(e->lock_get(e, b, DB_LOCK_NOWAIT, &x, DB_LOCK_READ, &lb));
	R(e->lock_get(e, a, 0, &x, DB_LOCK_READ, &la));
	R(e->lock_get(e, a, DB_LOCK_UPGRADE | DB_LOCK_NOWAIT, &x, DB_LOCK_WRITE, &la));
	printf("  la.off kept %d\n", la.off != 0);
	R(e->lock_put(e, &lb));
	R(e->lock_put(e, &la));
	stats(e, "  released");

	printf("put read and upgrade write:\n");
	R(e->lock_get(e, a, 0, &x, DB_LOCK_READ, &la));
	R(e->lock_get(e, a, 0, &y, DB_LOCK_WWRITE, &la));
	R(e->lock_get(e, a, 0, &z, DB_LOCK_READ_UNCOMMITTED, &la));
	R(e->lock_get(e, b, DB_LOCK_NOWAIT, &y, DB_LOCK_READ_UNCOMMITTED, &lb));
	R(e->lock_get(e, b, DB_LOCK_NOWAIT, &y, DB_LOCK_READ, &lb));
	/* (libdb panics if a dirty reader still holds y at the upgrade.) */
	req[0].op = DB_LOCK_PUT_ALL;
	R(e->lock_vec(e, b, 0, req, 1, NULL));
	memset(req, 0, sizeof(req));
	req[0].op = DB_LOCK_UPGRADE_WRITE;
	R(e->lock_vec(e, a, 0, req, 1, NULL));
	stats(e, "  after upgrade_write");
	R(e->lock_get(e, c, DB_LOCK_NOWAIT, &y, DB_LOCK_READ_UNCOMMITTED, &lc));
	R(e->lock_get(e, c, DB_LOCK_NOWAIT, &x, DB_LOCK_WRITE, &lc));
	req[0].op = DB_LOCK_PUT_ALL;
	R(e->lock_vec(e, a, 0, req, 1, NULL));
	R(e->lock_vec(e, b, 0, req, 1, NULL));
	R(e->lock_vec(e, c, 0, req, 1, NULL));
	stats(e, "  released");

	printf("trade:\n");
	R(e->lock_get(e, a, 0, &x, DB_LOCK_WRITE, &la));
	memset(req, 0, sizeof(req));
	req[0].op = DB_LOCK_TRADE; req[0].lock = la;
	R(e->lock_vec(e, b, 0, req, 1, NULL));
	R(e->lock_id_free(e, a));
	R(e->lock_id_free(e, b));
	req[0].op = DB_LOCK_PUT_ALL;
	R(e->lock_vec(e, b, 0, req, 1, NULL));
	R(e->lock_id_free(e, b));
	req[0].op = DB_LOCK_TRADE; req[0].lock = la;
	R(e->lock_vec(e, c, 0, req, 1, NULL));
	stats(e, "  traded");

	printf("DB_NOLOCKING:\n");
	R(e->set_flags(e, DB_NOLOCKING, 1));
	memset(&la, 0, sizeof(la)); la.off = 1234;
	R(e->lock_get(e, 999, 0, &x, DB_LOCK_WRITE, &la));
	printf("  off %d\n", (int)la.off);
	R(e->lock_put(e, &la));
	R(e->lock_vec(e, 999, 0, req, 1, NULL));
	R(e->lock_id(e, &a));
	R(e->set_flags(e, DB_NOLOCKING, 0));
	stats(e, "  nolocking");
	R(e->close(e, 0));
	return 0;
}
