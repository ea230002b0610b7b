/*
 * Tern benchmarks: one C source, built against the system libdb
 * (cc bench.c -ldb -O2) and against Tern (pkg-config tern), run side by side
 * by bench/run.sh (`make bench`).
 *
 *   bench TEST DIR N
 *
 * runs one test group in DIR (an empty directory) with size parameter N and
 * prints one line per measurement:
 *
 *   RESULT <name> <operations> <seconds>
 *
 * Test groups (every one uses a fresh environment in DIR):
 *   small      N random puts (16-byte keys, 100-byte values), non-transactional,
 *              DB_CREATE|DB_INIT_MPOOL, cache 64 MB; then N gets of those keys
 *              in a random order (every key must be found with its value);
 *              then a full DB_NEXT cursor scan (must see N records).
 *   large      N/10 random puts of 4 KiB values, same environment.
 *   bigdata    a data set ~4x the cache (cache 16 MB, 560,000 records of
 *              16+100 bytes, loaded untimed), then N/4 random updates of
 *              existing keys.
 *   autonosync N/10 DB_AUTO_COMMIT puts, DB_INIT_TXN|LOG|LOCK|MPOOL,
 *              DB_TXN_NOSYNC set with set_flags.
 *   autosync   N/1000 DB_AUTO_COMMIT puts, default (synchronous) commits.
 *
 * Transactional groups: DB_CREATE|DB_INIT_TXN|LOG|LOCK|MPOOL, cache 64 MB
 * unless said otherwise, explicit DB_TXN handles (txn_begin/commit); reads
 * are degree 3 (read locks held to commit), so the lock table is sized for a
 * whole-database scan in one transaction:
 *   txnsmall   N random puts (16+100 bytes) in transactions of 1,000 puts,
 *              committed DB_TXN_NOSYNC (put_txn_1000); N gets of those keys
 *              in a random order, 1,000 per transaction (get_random_txn); a
 *              full DB_NEXT scan in one transaction (scan_next_txn).
 *   txn1       N random puts, one per transaction, DB_TXN_NOSYNC (put_txn_1).
 *   txnlarge   N/10 puts of 4 KiB values in transactions of 1,000
 *              (put_txn_1000_4KiB), then N/10 more, one per transaction
 *              (put_txn_1_4KiB), DB_TXN_NOSYNC.
 *   txnsync    N/1000 transactions of one put each committed DB_TXN_SYNC
 *              from one thread (commit_sync_1_thread), then N/1000 more with
 *              4 KiB values (commit_sync_1_thread_4KiB).
 *   txnsync8   the same from 8 threads (DB_THREAD; N/1000 commits in all,
 *              set_lk_detect(DB_LOCK_DEFAULT), a transaction that deadlocks
 *              is aborted and retried; commit_sync_8_threads and
 *              commit_sync_8_threads_4KiB). Where commits can share an
 *              fdatasync (group commit), 8 threads beat 1.
 *   txnbigdata bigdata in transactions: cache 16 MB, 560,000 records loaded
 *              (untimed) in transactions of 1,000, then N/4 random updates,
 *              one per transaction, DB_TXN_NOSYNC (update_4x_cache_txn).
 * `bench list` prints every group's line names ("group name" per line).
 *
 * Every return code is checked: anything unexpected prints the call and the
 * error and exits with status 2, so a failure can never pass for speed;
 * DB_OPNOTSUP (95: the library does not support the call yet) exits with
 * status 3 instead, so bench/run.sh can tell "not supported" from "broken".
 * Keys come from a fixed-seed generator, identical for both libraries.
 * Times are taken with clock_gettime(CLOCK_MONOTONIC) around the measured
 * loop only (environment setup, loading and close are not timed).
 */
#include <db.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define KEY_SIZE 16
#define SMALL_VALUE 100
#define LARGE_VALUE 4096
#define BIGDATA_RECORDS 560000u
#define SEED 0x5465726e42656e63ULL /* "TernBenc" */

static const char *test_dir;

static void fail(const char *what, int ret)
{
	fprintf(stderr, "bench: %s failed: %d (%s)\n", what, ret, db_strerror(ret));
	exit(ret == EOPNOTSUPP ? 3 : 2);  /* DB_OPNOTSUP is EOPNOTSUPP, 95 */
}

#define CHECK(call) do { int ret_ = (call); if (ret_ != 0) fail(#call, ret_); } while (0)

static double now(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
		perror("clock_gettime");
		exit(2);
	}
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void report(const char *name, uint64_t ops, double seconds)
{
	printf("RESULT %s %llu %.6f\n", name, (unsigned long long)ops, seconds);
	fflush(stdout);
}

/* splitmix64: a key is a pure function of its index, so the same index gives
 * the same key in every phase and in both libraries. */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void make_key(uint64_t i, unsigned char *key)
{
	uint64_t a = mix(SEED ^ i), b = mix(a);
	memcpy(key, &a, 8);
	memcpy(key + 8, &b, 8);
}

/* A value: its index (and a version) in the first 16 bytes, then a pattern. */
static void make_value(uint64_t i, uint64_t version, unsigned char *value, size_t size)
{
	size_t j;
	memcpy(value, &i, 8);
	memcpy(value + 8, &version, 8);
	for (j = 16; j < size; j++)
		value[j] = (unsigned char)(i + j);
}

/* A sequential stream for choosing indexes (xorshift64*). */
static uint64_t rng_state = SEED;
static uint64_t next_random(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static void shuffle(uint32_t *v, uint32_t n)
{
	uint32_t i;
	for (i = 0; i < n; i++)
		v[i] = i;
	for (i = n; i > 1; i--) {
		uint32_t j = (uint32_t)(next_random() % i), t = v[i - 1];
		v[i - 1] = v[j];
		v[j] = t;
	}
}

static DB_ENV *open_env(u_int32_t gbytes, u_int32_t bytes, u_int32_t flags, u_int32_t set_flags)
{
	DB_ENV *env;
	CHECK(db_env_create(&env, 0));
	env->set_errfile(env, stderr);
	env->set_errpfx(env, "bench");
	CHECK(env->set_cachesize(env, gbytes, bytes, 1));
	if (set_flags != 0)
		CHECK(env->set_flags(env, set_flags, 1));
	CHECK(env->open(env, test_dir, flags, 0644));
	return env;
}

static DB *open_db(DB_ENV *env, u_int32_t flags)
{
	DB *db;
	CHECK(db_create(&db, env, 0));
	CHECK(db->open(db, NULL, "bench.db", NULL, DB_BTREE, DB_CREATE | flags, 0644));
	return db;
}

static void close_all(DB_ENV *env, DB *db)
{
	CHECK(db->close(db, 0));
	CHECK(env->close(env, 0));
}

/* One put of key i; returns the put's return code (txn_put) or checks it. */
static int txn_put(DB *db, DB_TXN *txn, uint64_t i, uint64_t version, unsigned char *value, size_t size)
{
	unsigned char key[KEY_SIZE];
	DBT k, d;
	make_key(i, key);
	make_value(i, version, value, size);
	memset(&k, 0, sizeof k);
	memset(&d, 0, sizeof d);
	k.data = key;
	k.size = KEY_SIZE;
	d.data = value;
	d.size = (u_int32_t)size;
	return db->put(db, txn, &k, &d, 0);
}

static void put_one(DB *db, uint64_t i, uint64_t version, unsigned char *value, size_t size)
{
	CHECK(txn_put(db, NULL, i, version, value, size));
}

static void test_small(uint64_t n)
{
	DB_ENV *env = open_env(0, 64u * 1024 * 1024, DB_CREATE | DB_INIT_MPOOL, 0);
	DB *db = open_db(env, 0);
	unsigned char value[SMALL_VALUE], key[KEY_SIZE];
	uint32_t *order;
	uint64_t i, found = 0, scanned = 0;
	double t;
	DBC *c;
	DBT k, d;
	int ret;

	t = now();
	for (i = 0; i < n; i++)
		put_one(db, i, 0, value, SMALL_VALUE);
	report("put_16B_100B", n, now() - t);

	order = malloc(n * sizeof *order);
	if (order == NULL)
		fail("malloc", ENOMEM);
	shuffle(order, (uint32_t)n);
	memset(&k, 0, sizeof k);
	memset(&d, 0, sizeof d);
	k.data = key;
	k.size = KEY_SIZE;
	t = now();
	for (i = 0; i < n; i++) {
		uint64_t idx;
		make_key(order[i], key);
		ret = db->get(db, NULL, &k, &d, 0);
		if (ret != 0)
			fail("DB->get", ret);
		memcpy(&idx, d.data, 8);
		if (d.size != SMALL_VALUE || idx != order[i]) {
			fprintf(stderr, "bench: DB->get returned a wrong value for key %u\n", order[i]);
			exit(2);
		}
		found++;
	}
	t = now() - t;
	if (found != n) {
		fprintf(stderr, "bench: only %llu of %llu keys found\n",
		    (unsigned long long)found, (unsigned long long)n);
		exit(2);
	}
	report("get_random", n, t);
	free(order);

	CHECK(db->cursor(db, NULL, &c, 0));
	memset(&k, 0, sizeof k);
	memset(&d, 0, sizeof d);
	t = now();
	while ((ret = c->get(c, &k, &d, DB_NEXT)) == 0) {
		if (k.size != KEY_SIZE || d.size != SMALL_VALUE) {
			fprintf(stderr, "bench: cursor returned a wrong record\n");
			exit(2);
		}
		scanned++;
	}
	t = now() - t;
	if (ret != DB_NOTFOUND)
		fail("DBC->get(DB_NEXT)", ret);
	if (scanned != n) {
		fprintf(stderr, "bench: scan saw %llu of %llu records\n",
		    (unsigned long long)scanned, (unsigned long long)n);
		exit(2);
	}
	report("scan_next", n, t);
	CHECK(c->close(c));
	close_all(env, db);
}

static void test_large(uint64_t n)
{
	DB_ENV *env = open_env(0, 64u * 1024 * 1024, DB_CREATE | DB_INIT_MPOOL, 0);
	DB *db = open_db(env, 0);
	unsigned char *value = malloc(LARGE_VALUE);
	uint64_t i, count = n / 10;
	double t;

	if (value == NULL)
		fail("malloc", ENOMEM);
	t = now();
	for (i = 0; i < count; i++)
		put_one(db, i, 0, value, LARGE_VALUE);
	report("put_16B_4KiB", count, now() - t);
	free(value);
	close_all(env, db);
}

static void test_bigdata(uint64_t n)
{
	DB_ENV *env = open_env(0, 16u * 1024 * 1024, DB_CREATE | DB_INIT_MPOOL, 0);
	DB *db = open_db(env, 0);
	unsigned char value[SMALL_VALUE];
	uint64_t i, count = n / 4;
	double t;

	for (i = 0; i < BIGDATA_RECORDS; i++)
		put_one(db, i, 0, value, SMALL_VALUE);
	t = now();
	for (i = 0; i < count; i++)
		put_one(db, next_random() % BIGDATA_RECORDS, i + 1, value, SMALL_VALUE);
	report("update_4x_cache", count, now() - t);
	close_all(env, db);
}

static void test_auto(uint64_t count, u_int32_t set_flags, const char *name)
{
	DB_ENV *env = open_env(0, 64u * 1024 * 1024,
	    DB_CREATE | DB_INIT_TXN | DB_INIT_LOG | DB_INIT_LOCK | DB_INIT_MPOOL, set_flags);
	DB *db = open_db(env, DB_AUTO_COMMIT);
	unsigned char value[SMALL_VALUE];
	uint64_t i;
	double t;

	if (count == 0)
		count = 1;
	t = now();
	for (i = 0; i < count; i++)
		put_one(db, i, 0, value, SMALL_VALUE);
	report(name, count, now() - t);
	close_all(env, db);
}

/* ---- transactional groups ---- */

#define TXN_ENV_FLAGS (DB_CREATE | DB_INIT_TXN | DB_INIT_LOG | DB_INIT_LOCK | DB_INIT_MPOOL)
#define SYNC_THREADS 8

/* A transactional environment whose lock table holds the read locks of a
 * whole-database scan in one transaction (one per leaf page). */
static DB_ENV *open_txn_env(u_int32_t bytes, uint64_t records, u_int32_t extra_flags)
{
	DB_ENV *env;
	u_int32_t locks = (u_int32_t)(records / 10 > 50000 ? records / 10 : 50000);
	CHECK(db_env_create(&env, 0));
	env->set_errfile(env, stderr);
	env->set_errpfx(env, "bench");
	CHECK(env->set_cachesize(env, 0, bytes, 1));
	CHECK(env->set_lk_max_locks(env, locks));
	CHECK(env->set_lk_max_objects(env, locks));
	CHECK(env->set_lk_detect(env, DB_LOCK_DEFAULT));
	CHECK(env->open(env, test_dir, TXN_ENV_FLAGS | extra_flags, 0644));
	return env;
}

/* Puts keys first..first+count-1 in transactions of per_txn puts, committed
 * with commit_flags. */
static void put_in_txns(DB_ENV *env, DB *db, uint64_t first, uint64_t count, uint64_t per_txn,
    u_int32_t commit_flags, unsigned char *value, size_t size)
{
	uint64_t i = 0;
	while (i < count) {
		DB_TXN *txn;
		uint64_t j;
		CHECK(env->txn_begin(env, NULL, &txn, 0));
		for (j = 0; j < per_txn && i < count; j++, i++)
			CHECK(txn_put(db, txn, first + i, 0, value, size));
		CHECK(txn->commit(txn, commit_flags));
	}
}

static void test_txnsmall(uint64_t n)
{
	DB_ENV *env = open_txn_env(64u * 1024 * 1024, n, 0);
	DB *db = open_db(env, DB_AUTO_COMMIT);
	unsigned char value[SMALL_VALUE], key[KEY_SIZE];
	uint32_t *order;
	uint64_t i, scanned = 0;
	double t;
	DB_TXN *txn = NULL;
	DBC *c;
	DBT k, d;
	int ret;

	t = now();
	put_in_txns(env, db, 0, n, 1000, DB_TXN_NOSYNC, value, SMALL_VALUE);
	report("put_txn_1000", n, now() - t);

	order = malloc(n * sizeof *order);
	if (order == NULL)
		fail("malloc", ENOMEM);
	shuffle(order, (uint32_t)n);
	memset(&k, 0, sizeof k);
	memset(&d, 0, sizeof d);
	k.data = key;
	k.size = KEY_SIZE;
	t = now();
	for (i = 0; i < n; i++) {
		uint64_t idx;
		if (i % 1000 == 0)
			CHECK(env->txn_begin(env, NULL, &txn, 0));
		make_key(order[i], key);
		ret = db->get(db, txn, &k, &d, 0);
		if (ret != 0)
			fail("DB->get", ret);
		memcpy(&idx, d.data, 8);
		if (d.size != SMALL_VALUE || idx != order[i]) {
			fprintf(stderr, "bench: DB->get returned a wrong value for key %u\n", order[i]);
			exit(2);
		}
		if (i % 1000 == 999 || i == n - 1)
			CHECK(txn->commit(txn, DB_TXN_NOSYNC));
	}
	report("get_random_txn", n, now() - t);
	free(order);

	t = now();
	CHECK(env->txn_begin(env, NULL, &txn, 0));
	CHECK(db->cursor(db, txn, &c, 0));
	memset(&k, 0, sizeof k);
	memset(&d, 0, sizeof d);
	while ((ret = c->get(c, &k, &d, DB_NEXT)) == 0) {
		if (k.size != KEY_SIZE || d.size != SMALL_VALUE) {
			fprintf(stderr, "bench: cursor returned a wrong record\n");
			exit(2);
		}
		scanned++;
	}
	if (ret != DB_NOTFOUND)
		fail("DBC->get(DB_NEXT)", ret);
	CHECK(c->close(c));
	CHECK(txn->commit(txn, DB_TXN_NOSYNC));
	t = now() - t;
	if (scanned != n) {
		fprintf(stderr, "bench: scan saw %llu of %llu records\n",
		    (unsigned long long)scanned, (unsigned long long)n);
		exit(2);
	}
	report("scan_next_txn", n, t);
	close_all(env, db);
}

static void test_txn1(uint64_t n)
{
	DB_ENV *env = open_txn_env(64u * 1024 * 1024, n, 0);
	DB *db = open_db(env, DB_AUTO_COMMIT);
	unsigned char value[SMALL_VALUE];
	double t;

	t = now();
	put_in_txns(env, db, 0, n, 1, DB_TXN_NOSYNC, value, SMALL_VALUE);
	report("put_txn_1", n, now() - t);
	close_all(env, db);
}

static void test_txnlarge(uint64_t n)
{
	DB_ENV *env = open_txn_env(64u * 1024 * 1024, n / 5, 0);
	DB *db = open_db(env, DB_AUTO_COMMIT);
	unsigned char *value = malloc(LARGE_VALUE);
	uint64_t count = n / 10 ? n / 10 : 1;
	double t;

	if (value == NULL)
		fail("malloc", ENOMEM);
	t = now();
	put_in_txns(env, db, 0, count, 1000, DB_TXN_NOSYNC, value, LARGE_VALUE);
	report("put_txn_1000_4KiB", count, now() - t);
	t = now();
	put_in_txns(env, db, count, count, 1, DB_TXN_NOSYNC, value, LARGE_VALUE);
	report("put_txn_1_4KiB", count, now() - t);
	free(value);
	close_all(env, db);
}

struct sync_worker {
	pthread_t tid;
	DB_ENV *env;
	DB *db;
	uint64_t first, count;   /* keys first, first + stride, ... */
	uint64_t stride;
	size_t size;
};

/* count transactions of one put each, committed DB_TXN_SYNC; a transaction
 * that deadlocks (several threads) is aborted and retried. */
static void *sync_commits(void *arg)
{
	struct sync_worker *w = arg;
	unsigned char *value = malloc(w->size);
	uint64_t i;
	if (value == NULL)
		fail("malloc", ENOMEM);
	for (i = 0; i < w->count; i++) {
		for (;;) {
			DB_TXN *txn;
			int ret;
			CHECK(w->env->txn_begin(w->env, NULL, &txn, 0));
			ret = txn_put(w->db, txn, w->first + i * w->stride, 0, value, w->size);
			if (ret == 0) {
				CHECK(txn->commit(txn, DB_TXN_SYNC));
				break;
			}
			if (ret != DB_LOCK_DEADLOCK)
				fail("DB->put", ret);
			CHECK(txn->abort(txn));
		}
	}
	free(value);
	return NULL;
}

static void run_sync(DB_ENV *env, DB *db, int threads, uint64_t first, uint64_t count, size_t size,
    const char *name)
{
	struct sync_worker w[SYNC_THREADS];
	double t;
	int i, ret;

	if (count < (uint64_t)threads)
		count = (uint64_t)threads;
	count -= count % (uint64_t)threads;
	t = now();
	for (i = 0; i < threads; i++) {
		w[i].env = env;
		w[i].db = db;
		w[i].first = first + (uint64_t)i;
		w[i].stride = (uint64_t)threads;
		w[i].count = count / (uint64_t)threads;
		w[i].size = size;
		if (threads == 1)
			sync_commits(&w[i]);
		else if ((ret = pthread_create(&w[i].tid, NULL, sync_commits, &w[i])) != 0)
			fail("pthread_create", ret);
	}
	if (threads > 1)
		for (i = 0; i < threads; i++)
			if ((ret = pthread_join(w[i].tid, NULL)) != 0)
				fail("pthread_join", ret);
	report(name, count, now() - t);
}

static void test_txnsync(uint64_t n, int threads)
{
	DB_ENV *env = open_txn_env(64u * 1024 * 1024, n, threads > 1 ? DB_THREAD : 0);
	DB *db = open_db(env, DB_AUTO_COMMIT | (threads > 1 ? DB_THREAD : 0));
	uint64_t count = n / 1000;

	run_sync(env, db, threads, 0, count, SMALL_VALUE,
	    threads > 1 ? "commit_sync_8_threads" : "commit_sync_1_thread");
	run_sync(env, db, threads, n, count, LARGE_VALUE,
	    threads > 1 ? "commit_sync_8_threads_4KiB" : "commit_sync_1_thread_4KiB");
	close_all(env, db);
}

static void test_txnbigdata(uint64_t n)
{
	DB_ENV *env = open_txn_env(16u * 1024 * 1024, BIGDATA_RECORDS, 0);
	DB *db = open_db(env, DB_AUTO_COMMIT);
	unsigned char value[SMALL_VALUE];
	uint64_t i, count = n / 4 ? n / 4 : 1;
	double t;

	put_in_txns(env, db, 0, BIGDATA_RECORDS, 1000, DB_TXN_NOSYNC, value, SMALL_VALUE);
	t = now();
	for (i = 0; i < count; i++) {
		DB_TXN *txn;
		CHECK(env->txn_begin(env, NULL, &txn, 0));
		CHECK(txn_put(db, txn, next_random() % BIGDATA_RECORDS, i + 1, value, SMALL_VALUE));
		CHECK(txn->commit(txn, DB_TXN_NOSYNC));
	}
	report("update_4x_cache_txn", count, now() - t);
	close_all(env, db);
}

/* Every group and the lines it prints, in order (bench list). */
static const char *const lines[][2] = {
	{ "small", "put_16B_100B" }, { "small", "get_random" }, { "small", "scan_next" },
	{ "large", "put_16B_4KiB" },
	{ "bigdata", "update_4x_cache" },
	{ "autonosync", "autocommit_nosync" },
	{ "autosync", "autocommit_sync" },
	{ "txnsmall", "put_txn_1000" }, { "txnsmall", "get_random_txn" }, { "txnsmall", "scan_next_txn" },
	{ "txn1", "put_txn_1" },
	{ "txnlarge", "put_txn_1000_4KiB" }, { "txnlarge", "put_txn_1_4KiB" },
	{ "txnsync", "commit_sync_1_thread" }, { "txnsync", "commit_sync_1_thread_4KiB" },
	{ "txnsync8", "commit_sync_8_threads" }, { "txnsync8", "commit_sync_8_threads_4KiB" },
	{ "txnbigdata", "update_4x_cache_txn" },
};

int main(int argc, char **argv)
{
	uint64_t n;
	char *end;

	if (argc == 2 && strcmp(argv[1], "list") == 0) {
		size_t i;
		for (i = 0; i < sizeof lines / sizeof lines[0]; i++)
			printf("%s %s\n", lines[i][0], lines[i][1]);
		return 0;
	}
	if (argc != 4) {
		fprintf(stderr, "usage: bench small|large|bigdata|autonosync|autosync|txnsmall|txn1|"
		    "txnlarge|txnsync|txnsync8|txnbigdata DIR N\n       bench list\n");
		return 2;
	}
	test_dir = argv[2];
	n = strtoull(argv[3], &end, 10);
	if (*end != '\0' || n == 0 || n > 0xffffffffULL) {
		fprintf(stderr, "bench: bad N '%s'\n", argv[3]);
		return 2;
	}
	if (strcmp(argv[1], "small") == 0)
		test_small(n);
	else if (strcmp(argv[1], "large") == 0)
		test_large(n);
	else if (strcmp(argv[1], "bigdata") == 0)
		test_bigdata(n);
	else if (strcmp(argv[1], "autonosync") == 0)
		test_auto(n / 10, DB_TXN_NOSYNC, "autocommit_nosync");
	else if (strcmp(argv[1], "autosync") == 0)
		test_auto(n / 1000, 0, "autocommit_sync");
	else if (strcmp(argv[1], "txnsmall") == 0)
		test_txnsmall(n);
	else if (strcmp(argv[1], "txn1") == 0)
		test_txn1(n);
	else if (strcmp(argv[1], "txnlarge") == 0)
		test_txnlarge(n);
	else if (strcmp(argv[1], "txnsync") == 0)
		test_txnsync(n, 1);
	else if (strcmp(argv[1], "txnsync8") == 0)
		test_txnsync(n, SYNC_THREADS);
	else if (strcmp(argv[1], "txnbigdata") == 0)
		test_txnbigdata(n);
	else {
		fprintf(stderr, "bench: unknown test '%s'\n", argv[1]);
		return 2;
	}
	return 0;
}
