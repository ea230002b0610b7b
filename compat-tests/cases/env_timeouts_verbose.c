/* Timeouts, verbose flags, shared memory key, mutex, thread and region
 * memory configuration: values, defaults, invalid arguments, after open. */
#include "env_common.h"
static const u_int32_t verbs[] = { DB_VERB_BACKUP, DB_VERB_DEADLOCK, DB_VERB_FILEOPS, DB_VERB_FILEOPS_ALL,
    DB_VERB_RECOVERY, DB_VERB_REGISTER, DB_VERB_REPLICATION, DB_VERB_REP_ELECT, DB_VERB_REP_LEASE,
    DB_VERB_REP_MISC, DB_VERB_REP_MSGS, DB_VERB_REP_SYNC, DB_VERB_REP_SYSTEM, DB_VERB_REP_TEST,
    DB_VERB_REPMGR_CONNFAIL, DB_VERB_REPMGR_MISC, DB_VERB_WAITSFOR };
#define NVERBS ((int)(sizeof verbs / sizeof verbs[0]))
static void verbose(DB_ENV *e, const char *label)
{
	int i, on, r;
	printf("%s:", label);
	for (i = 0; i < NVERBS; i++) { on = -1; r = e->get_verbose(e, verbs[i], &on); printf(" %d/%d", r, on); }
	printf("\n");
}
static void timeouts(DB_ENV *e, const char *label)
{
	db_timeout_t t; int r;
	printf("%s:\n", label);
	t = 7; r = e->get_timeout(e, &t, DB_SET_LOCK_TIMEOUT); printf("  lock %d %u\n", r, t);
	t = 7; r = e->get_timeout(e, &t, DB_SET_TXN_TIMEOUT); printf("  txn %d %u\n", r, t);
	t = 7; r = e->get_timeout(e, &t, DB_SET_REG_TIMEOUT); printf("  reg %d %u\n", r, t);
	t = 7; r = e->get_timeout(e, &t, 0); printf("  zero %d %u\n", r, t);
	t = 7; r = e->get_timeout(e, &t, DB_SET_LOCK_TIMEOUT | DB_SET_TXN_TIMEOUT); printf("  both %d %u\n", r, t);
}
static void mutexes(DB_ENV *e, const char *label)
{
	u_int32_t u; int r;
	printf("%s:\n", label);
	u = 7; r = e->mutex_get_align(e, &u); printf("  align %d %u\n", r, u);
	u = 7; r = e->mutex_get_increment(e, &u); printf("  increment %d %u\n", r, u);
	u = 7; r = e->mutex_get_init(e, &u); printf("  init %d %u\n", r, u);
	u = 7; r = e->mutex_get_max(e, &u); printf("  max %d %u\n", r, u);
	u = 7; r = e->mutex_get_tas_spins(e, &u); printf("  tas_spins %d %s\n", r, u == 7 ? "untouched" : u == 0 ? "0" : "set");
}
static void memory(DB_ENV *e, const char *label)
{
	static const DB_MEM_CONFIG types[] = { DB_MEM_LOCK, DB_MEM_LOCKOBJECT, DB_MEM_LOCKER, DB_MEM_LOGID, DB_MEM_TRANSACTION, DB_MEM_THREAD };
	u_int32_t u, g, b; int i, r;
	printf("%s:", label);
	for (i = 0; i < 6; i++) { u = 7; r = e->get_memory_init(e, types[i], &u); printf(" %d/%u", r, u); }
	u = 7; r = e->get_memory_init(e, (DB_MEM_CONFIG)99, &u); printf(" bad %d/%u", r, u);
	g = b = 7; r = e->get_memory_max(e, &g, &b); printf(" max %d %u %u", r, g, b);
	u = 7; r = e->get_thread_count(e, &u); printf(" threads %d %u", r, u);
	{ long k = 7; r = e->get_shm_key(e, &k); printf(" shm_key %d %ld", r, k); }
	printf("\n");
}
int main(void)
{
	DB_ENV *e; int i; long k;

	e = mkenv();
	timeouts(e, "defaults");
	verbose(e, "defaults");
	mutexes(e, "defaults");
	memory(e, "defaults");

	/* Timeouts. */
	R(e->set_timeout(e, 1000, DB_SET_LOCK_TIMEOUT));
	R(e->set_timeout(e, 2000, DB_SET_TXN_TIMEOUT));
	R(e->set_timeout(e, 3000, DB_SET_REG_TIMEOUT));
	R(e->set_timeout(e, 4000, 0));
	R(e->set_timeout(e, 5000, 0x7));
	R(e->set_timeout(e, 6000, DB_SET_LOCK_TIMEOUT | DB_SET_TXN_TIMEOUT));
	timeouts(e, "set");
	R(e->set_timeout(e, 0, DB_SET_LOCK_TIMEOUT));
	timeouts(e, "lock 0");

	/* Verbose: each flag on then off, combined and invalid values. */
	for (i = 0; i < NVERBS; i++) {
		int r = e->set_verbose(e, verbs[i], 1);
		if (r != 0) printf("set_verbose(%#x, 1) -> %d\n", verbs[i], r);
	}
	verbose(e, "all on");
	for (i = 0; i < NVERBS; i += 2) e->set_verbose(e, verbs[i], 0);
	verbose(e, "even off");
	R(e->set_verbose(e, DB_VERB_DEADLOCK | DB_VERB_RECOVERY, 1));
	R(e->set_verbose(e, 0, 1));
	R(e->set_verbose(e, 0x80000000, 0));
	R(e->set_verbose(e, DB_VERB_DEADLOCK, 2));
	{ int on = 9; R(e->get_verbose(e, DB_VERB_DEADLOCK, &on)); printf("on %d\n", on); }
	{ int on = 9; R(e->get_verbose(e, 0, &on)); printf("on %d\n", on); }
	{ int on = 9; R(e->get_verbose(e, DB_VERB_DEADLOCK | DB_VERB_RECOVERY, &on)); printf("on %d\n", on); }

	/* Shared memory key. */
	R(e->set_shm_key(e, 0));
	k = 9; R(e->get_shm_key(e, &k)); printf("shm_key %ld\n", k);
	R(e->set_shm_key(e, 123456));
	R(e->set_shm_key(e, -5));
	k = 9; R(e->get_shm_key(e, &k)); printf("shm_key %ld\n", k);

	/* Mutexes. */
	R(e->mutex_set_align(e, 0));
	R(e->mutex_set_align(e, 3));
	R(e->mutex_set_align(e, 12));
	R(e->mutex_set_align(e, 1));
	R(e->mutex_set_align(e, 64));
	R(e->mutex_set_align(e, 0x80000000));
	R(e->mutex_set_increment(e, 10));
	mutexes(e, "increment 10");
	R(e->mutex_set_init(e, 100));
	mutexes(e, "init 100");
	R(e->mutex_set_increment(e, 20));
	mutexes(e, "increment 20");
	R(e->mutex_set_max(e, 5000));
	mutexes(e, "max 5000");
	R(e->mutex_set_tas_spins(e, 0));
	{ u_int32_t u = 7; e->mutex_get_tas_spins(e, &u); printf("tas_spins %u\n", u); }
	R(e->mutex_set_tas_spins(e, 50));
	{ u_int32_t u = 7; e->mutex_get_tas_spins(e, &u); printf("tas_spins %u\n", u); }
	R(e->mutex_set_tas_spins(e, 2000000));
	{ u_int32_t u = 7; e->mutex_get_tas_spins(e, &u); printf("tas_spins %u\n", u); }

	/* Threads and region memory. */
	R(e->set_thread_count(e, 0));
	R(e->set_thread_count(e, 8));
	R(e->set_memory_init(e, DB_MEM_LOCK, 100));
	R(e->set_memory_init(e, DB_MEM_LOCKOBJECT, 200));
	R(e->set_memory_init(e, DB_MEM_LOCKER, 300));
	R(e->set_memory_init(e, DB_MEM_LOGID, 400));
	R(e->set_memory_init(e, DB_MEM_TRANSACTION, 500));
	R(e->set_memory_init(e, DB_MEM_THREAD, 600));
	R(e->set_memory_init(e, (DB_MEM_CONFIG)42, 700));
	R(e->set_memory_max(e, 0, 1000000));
	memory(e, "configured");
	R(e->set_memory_max(e, 3, 5));
	R(e->set_memory_max(e, 5, 0));
	memory(e, "max 5G");
	R(e->set_memory_max(e, 0, 0));
	e->close(e, 0);

	/* After open. */
	e = mkenv();
	R(e->set_timeout(e, 1000, DB_SET_LOCK_TIMEOUT));
	R(e->set_verbose(e, DB_VERB_FILEOPS, 1));
	R(e->open(e, NULL, DB_CREATE | DB_PRIVATE | DB_INIT_MPOOL, 0));
	timeouts(e, "opened without locking");
	R(e->set_timeout(e, 1, DB_SET_LOCK_TIMEOUT));
	R(e->set_timeout(e, 1, DB_SET_TXN_TIMEOUT));
	R(e->set_timeout(e, 2, DB_SET_REG_TIMEOUT));
	R(e->set_timeout(e, 1, 0));
	{ db_timeout_t t = 7; R(e->get_timeout(e, &t, DB_SET_REG_TIMEOUT)); printf("reg %u\n", t); }
	verbose(e, "opened");
	R(e->set_verbose(e, DB_VERB_FILEOPS, 0));
	R(e->set_verbose(e, DB_VERB_RECOVERY, 1));
	R(e->set_verbose(e, 0x80000000, 1));
	verbose(e, "opened, changed");
	R(e->set_shm_key(e, 5));
	R(e->mutex_set_align(e, 8));
	R(e->mutex_set_align(e, 3));
	R(e->mutex_set_increment(e, 8));
	R(e->mutex_set_init(e, 8));
	R(e->mutex_set_max(e, 8));
	R(e->set_thread_count(e, 8));
	R(e->set_memory_init(e, DB_MEM_LOCK, 8));
	R(e->set_memory_init(e, (DB_MEM_CONFIG)42, 8));
	R(e->set_memory_max(e, 0, 8));
	{ u_int32_t u = 7; int r = e->get_memory_init(e, DB_MEM_LOCK, &u); printf("memory_init lock %d %u\n", r, u); }
	{ u_int32_t u = 7; int r = e->get_memory_init(e, DB_MEM_LOGID, &u); printf("memory_init logid %d %u\n", r, u); }
	{ u_int32_t u = 7; int r = e->get_memory_init(e, DB_MEM_TRANSACTION, &u); printf("memory_init txn %d %u\n", r, u); }
	{ u_int32_t u = 7; int r = e->get_memory_init(e, (DB_MEM_CONFIG)42, &u); printf("memory_init bad %d %u\n", r, u); }
	e->close(e, 0);
	return 0;
}
