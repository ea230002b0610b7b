/* Log, lock and transaction configuration: flags, sizes, detector policies,
 * conflict matrices, timestamps; defaults, before open, after open. */
#include "env_common.h"
#include <time.h>
static const u_int32_t logflags[] = { DB_LOG_AUTO_REMOVE, DB_LOG_DIRECT, DB_LOG_DSYNC, DB_LOG_IN_MEMORY, DB_LOG_ZERO };
static const char *logname[] = { "AUTO_REMOVE", "DIRECT", "DSYNC", "IN_MEMORY", "ZERO" };
static void logcfg(DB_ENV *e, const char *label)
{
	int i, on, r;
	printf("%s:", label);
	for (i = 0; i < 5; i++) { on = -1; r = e->log_get_config(e, logflags[i], &on); printf(" %s=%d/%d", logname[i], r, on); }
	printf("\n");
}
static void sizes(DB_ENV *e, const char *label)
{
	u_int32_t u; int m; int r;
	printf("%s:\n", label);
	u = 7; r = e->get_lg_bsize(e, &u); printf("  lg_bsize %d %u\n", r, u);
	u = 7; r = e->get_lg_max(e, &u); printf("  lg_max %d %u\n", r, u);
	u = 7; r = e->get_lg_regionmax(e, &u); printf("  lg_regionmax %d %u\n", r, u);
	m = 7; r = e->get_lg_filemode(e, &m); printf("  lg_filemode %d %o\n", r, m);
	u = 7; r = e->get_lk_detect(e, &u); printf("  lk_detect %d %u\n", r, u);
	u = 7; r = e->get_lk_max_locks(e, &u); printf("  lk_max_locks %d %u\n", r, u);
	u = 7; r = e->get_lk_max_lockers(e, &u); printf("  lk_max_lockers %d %u\n", r, u);
	u = 7; r = e->get_lk_max_objects(e, &u); printf("  lk_max_objects %d %u\n", r, u);
	u = 7; r = e->get_lk_tablesize(e, &u); printf("  lk_tablesize %d %u\n", r, u);
	u = 7; r = e->get_tx_max(e, &u); printf("  tx_max %d %u\n", r, u);
	{ time_t t = 7; r = e->get_tx_timestamp(e, &t); printf("  tx_timestamp %d %ld\n", r, (long)t); }
	{ const u_int8_t *c = (const u_int8_t *)1; int n = 7; r = e->get_lk_conflicts(e, &c, &n);
	  printf("  lk_conflicts %d %s %d", r, c == NULL ? "NULL" : c == (const u_int8_t *)1 ? "untouched" : "set", n);
	  if (r == 0 && c != NULL && c != (const u_int8_t *)1) { int i; for (i = 0; i < n * n; i++) printf(" %u", c[i]); }
	  printf("\n"); }
}
int main(void)
{
	DB_ENV *e; u_int32_t u; int i, on;

	/* Defaults. */
	e = mkenv();
	logcfg(e, "defaults");
	sizes(e, "defaults");
	{ u_int32_t p = 0; R(e->get_lk_partitions(e, &p)); printf("partitions default %s\n", p >= 1 ? "ok" : "zero"); }
	e->close(e, 0);

	/* log_set_config: each flag on and off, combinations, invalid. */
	e = mkenv();
	for (i = 0; i < 5; i++) { printf("on %s -> %d\n", logname[i], e->log_set_config(e, logflags[i], 1)); logcfg(e, "  "); }
	for (i = 0; i < 5; i++) { printf("off %s -> %d\n", logname[i], e->log_set_config(e, logflags[i], 0)); logcfg(e, "  "); }
	R(e->log_set_config(e, DB_LOG_AUTO_REMOVE | DB_LOG_ZERO, 1)); logcfg(e, "  ");
	R(e->log_set_config(e, 0, 1)); logcfg(e, "  ");
	R(e->log_set_config(e, 0x80000000, 1));
	R(e->log_set_config(e, DB_LOG_ZERO | 0x1000000, 0)); logcfg(e, "  ");
	on = 5; R(e->log_get_config(e, 0x40000000, &on)); printf("on %d\n", on);
	on = 5; R(e->log_get_config(e, DB_LOG_AUTO_REMOVE | DB_LOG_ZERO, &on)); printf("on %d\n", on);
	on = 5; R(e->log_get_config(e, 0, &on)); printf("on %d\n", on);
	/* IN_MEMORY clears the sync flags and vice versa. */
	R(e->set_flags(e, DB_TXN_NOSYNC, 1));
	R(e->log_set_config(e, DB_LOG_IN_MEMORY, 1));
	u = 0; e->get_flags(e, &u); printf("flags %#x\n", u); logcfg(e, "  ");
	R(e->set_flags(e, DB_TXN_WRITE_NOSYNC, 1));
	u = 0; e->get_flags(e, &u); printf("flags %#x\n", u); logcfg(e, "  ");
	e->close(e, 0);

	/* Log sizes. */
	e = mkenv();
	R(e->set_lg_bsize(e, 65536));
	R(e->set_lg_max(e, 2 * 1024 * 1024));
	R(e->set_lg_regionmax(e, 5));
	R(e->set_lg_regionmax(e, 129999));
	R(e->set_lg_regionmax(e, 130000));
	R(e->set_lg_regionmax(e, 0));
	R(e->set_lg_regionmax(e, 300000));
	R(e->set_lg_filemode(e, 0640));
	R(e->set_lg_filemode(e, -1));
	R(e->set_lg_max(e, 0));
	R(e->log_set_config(e, DB_LOG_IN_MEMORY, 1));
	R(e->set_lg_max(e, 100));           /* not checked before open */
	R(e->set_lg_bsize(e, 10));
	sizes(e, "log sizes");
	e->close(e, 0);

	/* Deadlock detector policies. */
	e = mkenv();
	{
		static const u_int32_t pol[] = { DB_LOCK_DEFAULT, DB_LOCK_EXPIRE, DB_LOCK_MAXLOCKS, DB_LOCK_MAXWRITE,
		    DB_LOCK_MINLOCKS, DB_LOCK_MINWRITE, DB_LOCK_OLDEST, DB_LOCK_RANDOM, DB_LOCK_YOUNGEST,
		    DB_LOCK_NORUN, 10, 11, 100, 0xffffffff };
		for (i = 0; i < (int)(sizeof pol / sizeof pol[0]); i++) {
			int r = e->set_lk_detect(e, pol[i]);
			u = 99; e->get_lk_detect(e, &u);
			printf("lk_detect(%u) -> %d now %u\n", pol[i], r, u);
		}
	}
	/* Lock sizes. */
	R(e->set_lk_max_locks(e, 0)); R(e->set_lk_max_locks(e, 5000));
	R(e->set_lk_max_lockers(e, 1)); R(e->set_lk_max_lockers(e, 700));
	R(e->set_lk_max_objects(e, 0xffffffff)); R(e->set_lk_max_objects(e, 900));
	R(e->set_lk_partitions(e, 0));
	u = 9; R(e->get_lk_partitions(e, &u)); printf("partitions %u\n", u);
	R(e->set_lk_partitions(e, 3));
	u = 9; R(e->get_lk_partitions(e, &u)); printf("partitions %u\n", u);
	R(e->set_lk_tablesize(e, 0)); R(e->set_lk_tablesize(e, 1234));
	{
		u_int8_t m[9] = { 0, 1, 1, 1, 0, 1, 1, 1, 1 };
		R(e->set_lk_conflicts(e, m, 3));
		m[0] = 9; /* libdb copied it */
		u_int8_t m2[4] = { 0, 1, 1, 0 };
		R(e->set_lk_conflicts(e, m2, 2));
		R(e->set_lk_conflicts(e, m, 3));
	}
	R(e->set_tx_max(e, 0)); R(e->set_tx_max(e, 42));
	{ time_t t = 1234567890; R(e->set_tx_timestamp(e, &t)); }
	sizes(e, "configured");
	e->close(e, 0);

	/* After open with everything. */
	e = mkenv();
	R(e->set_lk_detect(e, DB_LOCK_OLDEST));
	R(e->open(e, NULL, DB_CREATE | DB_PRIVATE | DB_INIT_MPOOL | DB_INIT_LOCK | DB_INIT_LOG | DB_INIT_TXN, 0));
	R(e->set_lg_bsize(e, 65536));
	R(e->set_lg_regionmax(e, 300000));
	R(e->set_lg_regionmax(e, 5));
	R(e->set_lk_max_locks(e, 1));
	R(e->set_lk_max_lockers(e, 1));
	R(e->set_lk_max_objects(e, 1));
	R(e->set_lk_partitions(e, 1));
	R(e->set_lk_tablesize(e, 1));
	{ u_int8_t m[1] = { 0 }; R(e->set_lk_conflicts(e, m, 1)); }
	R(e->set_tx_max(e, 1));
	{ time_t t = 5; R(e->set_tx_timestamp(e, &t)); }
	{ time_t t = 7; R(e->get_tx_timestamp(e, &t)); printf("tx_timestamp %ld\n", (long)t); }
	R(e->log_set_config(e, DB_LOG_IN_MEMORY, 1));
	R(e->log_set_config(e, DB_LOG_IN_MEMORY, 0));
	R(e->log_set_config(e, 0x80000000, 1));
	R(e->set_lk_detect(e, DB_LOCK_OLDEST));
	R(e->set_lk_detect(e, DB_LOCK_DEFAULT));
	R(e->set_lk_detect(e, DB_LOCK_YOUNGEST));
	R(e->set_lk_detect(e, 77));
	e->close(e, 0);

	/* After open without the subsystems: ENV_NOT_CONFIGURED. */
	e = mkenv();
	R(e->open(e, NULL, DB_CREATE | DB_PRIVATE | DB_INIT_MPOOL, 0));
	sizes(e, "mpool only");
	logcfg(e, "mpool only");
	R(e->log_set_config(e, DB_LOG_ZERO, 1));
	R(e->log_set_config(e, 0x80000000, 1));
	R(e->set_lg_max(e, 1000000));
	R(e->set_lg_filemode(e, 0600));
	R(e->set_lk_detect(e, DB_LOCK_OLDEST));
	R(e->set_lk_detect(e, 77));
	u = 9; R(e->get_lk_partitions(e, &u));
	R(e->set_tx_max(e, 1));
	e->close(e, 0);

	/* Locking only: lock getters fine before region reads are needed. */
	e = mkenv();
	R(e->open(e, NULL, DB_CREATE | DB_PRIVATE | DB_INIT_LOCK, 0));
	u = 9; R(e->get_tx_max(e, &u));
	u = 9; R(e->get_lg_bsize(e, &u));
	e->close(e, 0);
	return 0;
}
