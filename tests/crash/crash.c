/*
 * Crash test: a child process commits transactions, the parent kills it
 * with SIGKILL at a random moment, recovers the environment with DB_RECOVER
 * and checks what survived.
 *
 *   crash -m sync|nosync -d DIR [-n ROUNDS] [-s SEED] [-f FRESH_EVERY] [-x MAX_FAILURES] [-q]
 *   crash -V        prints the library's db_version() string (which library
 *                   the loader found) and exits
 *
 * Built once with `cc crash.c -ldb` against /usr/include/db.h, the same binary
 * runs on the system libdb and on Tern (whichever libdb-5.3.so the loader
 * finds first). tests/crash/run.sh runs both modes.
 *
 * The child opens DIR/home (DB_CREATE|DB_INIT_MPOOL|DB_INIT_LOCK|DB_INIT_LOG|
 * DB_INIT_TXN|DB_THREAD; Btree "crash.db", opened with DB_AUTO_COMMIT), reads
 * the counter key (its base B, 0 in a new environment) and reports B to the
 * parent through a pipe ("ready"). Then transaction j = B+1, B+2, ... writes
 * the keys "j-a", "j-b", "j-c" (values derived from j and the key; lengths
 * vary, and every 13th "j-c" is 5,000 bytes so overflow pages are logged
 * too) and sets "counter" to j, commits (DB_TXN_SYNC in mode sync,
 * DB_TXN_NOSYNC in mode nosync), and only after commit returned writes j to
 * the pipe. Every few transactions (a per-round random period) it takes a
 * checkpoint, so recovery starts from a checkpoint as well as from the
 * beginning of the log.
 *
 * The parent chooses, from the round's seed, how many reported commits K to
 * wait for and a further delay D (microseconds), then sends SIGKILL. In some
 * rounds (early kill) the child opens with DB_RECOVER itself and is killed D
 * microseconds after the fork, whether or not it is ready, so the kill can
 * land inside the child's own recovery. The parent then drains the pipe
 * (every commit the child reported before dying), reopens with DB_RECOVER and
 * checks, in a transaction, with a cursor over the whole database:
 *   - the counter C is at least the previous round's recovered counter
 *     (what a recovery recovered stays);
 *   - exactly the transactions 1..C are present, each one whole: its three
 *     keys with the right values; no key of a transaction j > C, none of a
 *     transaction without its siblings, no unknown key (survivors are a
 *     prefix of the commit order and no transaction is partial);
 *   - mode sync: C is at least the last reported commit (a commit that
 *     returned survives);
 *   - the database exists if the child reported ready (its creation was
 *     committed synchronously);
 *   - DB->verify passes (DB_OPNOTSUP from verify counts as "skipped").
 * Each round continues the previous round's environment (recovery of a
 * recovered environment), except every FRESH_EVERY-th round and after a
 * failure, which start from an empty directory.
 *
 * Reproducing: the choices of round r (K, D, early kill, checkpoint period,
 * child DB_RECOVER) are a function of (SEED, r) only, so the same seed gives
 * the same choices; the exact kill point still depends on timing. Every round
 * prints one line with its choices and results (-q: only failing rounds); a
 * failing round's line starts with FAIL and gives the first violation found.
 * After a failure the following rounds start fresh; -x stops the run after
 * that many failures (default 10).
 * The last line is "crash: N rounds, M failures (...)"; the exit status is 1
 * if any round failed, 2 for a usage or setup error.
 */
#include <db.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DB_FILE "crash.db"
#define COUNTER_KEY "counter"
#define ENV_FLAGS (DB_CREATE | DB_INIT_MPOOL | DB_INIT_LOCK | DB_INIT_LOG | DB_INIT_TXN | DB_THREAD)
#define OVERFLOW_SIZE 5000
/* The parent gives up on a child that reports nothing for this long (a hang
 * is a failure, not a reason to wait forever). */
#define PROGRESS_TIMEOUT_MS 60000
#define MAX_TXN 100000000u

enum mode { MODE_SYNC, MODE_NOSYNC };

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* ---- the data: a pure function of the transaction number ---- */

static size_t value_size(uint32_t j, char which)
{
	if (which == 'c' && j % 13 == 0)
		return OVERFLOW_SIZE;
	return 16 + (size_t)(mix(((uint64_t)j << 8) | (unsigned char)which) % 400);
}

static void make_value(uint32_t j, char which, unsigned char *buf, size_t size)
{
	size_t i;
	int n = snprintf((char *)buf, size, "%u-%c:", j, which);
	uint64_t x = mix(((uint64_t)j << 8) ^ (unsigned char)which ^ 0x5a5a);
	for (i = (size_t)n; i < size; i++) {
		buf[i] = (unsigned char)(x >> ((i % 8) * 8));
		if (i % 8 == 7)
			x = mix(x);
	}
}

/* ---- the child ---- */

static void child_fail(const char *what, int ret)
{
	fprintf(stderr, "crash child: %s: %d (%s)\n", what, ret, db_strerror(ret));
	_exit(3);
}

#define CCHECK(call) do { int r_ = (call); if (r_ != 0) child_fail(#call, r_); } while (0)

static void report_number(int fd, uint32_t v)
{
	ssize_t n;
	do
		n = write(fd, &v, sizeof v);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof v) {
		fprintf(stderr, "crash child: write to the parent: %s\n", strerror(errno));
		_exit(3);
	}
}

static void put_str(DB *db, DB_TXN *txn, const char *key, const void *data, size_t size)
{
	DBT k, d;
	memset(&k, 0, sizeof k);
	memset(&d, 0, sizeof d);
	k.data = (void *)key;
	k.size = (u_int32_t)strlen(key);
	d.data = (void *)data;
	d.size = (u_int32_t)size;
	CCHECK(db->put(db, txn, &k, &d, 0));
}

static void run_child(const char *home, enum mode mode, int recover, uint32_t ckp_every, int fd)
{
	DB_ENV *env;
	DB *db;
	DB_TXN *txn;
	DBT k, d;
	uint32_t base = 0, j;
	char key[32], cnt[16];
	static unsigned char buf[OVERFLOW_SIZE];
	const char *parts = "abc";
	int ret, p;

	CCHECK(db_env_create(&env, 0));
	env->set_errfile(env, stderr);
	env->set_errpfx(env, "crash child");
	CCHECK(env->open(env, home, ENV_FLAGS | (recover ? DB_RECOVER : 0), 0644));
	CCHECK(db_create(&db, env, 0));
	CCHECK(db->open(db, NULL, DB_FILE, NULL, DB_BTREE, DB_CREATE | DB_AUTO_COMMIT, 0644));

	CCHECK(env->txn_begin(env, NULL, &txn, 0));
	memset(&k, 0, sizeof k);
	memset(&d, 0, sizeof d);
	k.data = COUNTER_KEY;
	k.size = (u_int32_t)strlen(COUNTER_KEY);
	d.flags = DB_DBT_MALLOC;  /* DB_THREAD handles return data in memory of their own */
	ret = db->get(db, txn, &k, &d, 0);
	if (ret == 0) {
		char tmp[16];
		if (d.size == 0 || d.size >= sizeof tmp) {
			fprintf(stderr, "crash child: counter has size %u\n", d.size);
			_exit(3);
		}
		memcpy(tmp, d.data, d.size);
		tmp[d.size] = '\0';
		base = (uint32_t)strtoul(tmp, NULL, 10);
		free(d.data);
	} else if (ret != DB_NOTFOUND)
		child_fail("DB->get(counter)", ret);
	CCHECK(txn->commit(txn, 0));
	report_number(fd, base);  /* ready */

	for (j = base + 1; j < MAX_TXN; j++) {
		CCHECK(env->txn_begin(env, NULL, &txn, 0));
		for (p = 0; p < 3; p++) {
			size_t size = value_size(j, parts[p]);
			snprintf(key, sizeof key, "%u-%c", j, parts[p]);
			make_value(j, parts[p], buf, size);
			put_str(db, txn, key, buf, size);
		}
		snprintf(cnt, sizeof cnt, "%u", j);
		put_str(db, txn, COUNTER_KEY, cnt, strlen(cnt));
		CCHECK(txn->commit(txn, mode == MODE_SYNC ? DB_TXN_SYNC : DB_TXN_NOSYNC));
		report_number(fd, j);
		if (ckp_every != 0 && j % ckp_every == 0)
			CCHECK(env->txn_checkpoint(env, 0, 0, 0));
	}
	fprintf(stderr, "crash child: reached %u transactions without being killed\n", MAX_TXN);
	_exit(4);
}

/* ---- the parent ---- */

struct round {
	/* choices */
	uint64_t seed;
	int fresh, early, child_recover;
	uint32_t wait_commits, delay_us, ckp_every;
	/* observations */
	int ready;
	uint32_t base, reported, counter, txns_seen;
	int verify;          /* 1 passed, 0 skipped (DB_OPNOTSUP) */
	char why[512];       /* first failure */
	int failed;
};

static void failf(struct round *r, const char *fmt, ...)
{
	va_list ap;
	if (r->failed++)
		return;
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof r->why, fmt, ap);
	va_end(ap);
}

static void empty_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char p[4096 + 258];
	if (d == NULL) {
		if (mkdir(path, 0755) != 0) {
			fprintf(stderr, "crash: mkdir %s: %s\n", path, strerror(errno));
			exit(2);
		}
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof p, "%s/%s", path, e->d_name);
		if (unlink(p) != 0) {
			fprintf(stderr, "crash: unlink %s: %s\n", p, strerror(errno));
			exit(2);
		}
	}
	closedir(d);
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_us(uint32_t us)
{
	struct timespec ts = { us / 1000000, (long)(us % 1000000) * 1000 };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Takes one number the child sent (in order) into the round. */
static void take_number(struct round *r, uint32_t v)
{
	if (!r->ready) {
		r->ready = 1;
		r->base = v;
		r->reported = v;
		return;
	}
	if (v != r->reported + 1)
		failf(r, "child reported commit %u after %u", v, r->reported);
	r->reported = v;
}

/* Reads what the child reports until it has reported `want` commits after
 * ready (want == UINT32_MAX: until EOF). Returns 1 if the child went away. */
static int read_reports(struct round *r, int fd, uint32_t want, unsigned char *pend, size_t *npend)
{
	unsigned char buf[4096];
	int64_t last = now_ms();
	for (;;) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		ssize_t n;
		size_t i;
		if (want != UINT32_MAX && r->ready && r->reported - r->base >= want)
			return 0;
		n = poll(&pfd, 1, 1000);
		if (n < 0 && errno != EINTR) {
			perror("crash: poll");
			exit(2);
		}
		if (n <= 0) {
			if (now_ms() - last > PROGRESS_TIMEOUT_MS) {
				failf(r, "child reported nothing for %d ms (hung?)", PROGRESS_TIMEOUT_MS);
				return 1;
			}
			continue;
		}
		n = read(fd, buf, sizeof buf);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("crash: read");
			exit(2);
		}
		if (n == 0)
			return 1;
		last = now_ms();
		for (i = 0; i < (size_t)n; i++) {
			pend[(*npend)++] = buf[i];
			if (*npend == 4) {
				uint32_t v;
				memcpy(&v, pend, 4);
				*npend = 0;
				take_number(r, v);
			}
		}
	}
}

/* Open the recovered environment and check everything; fills r. */
static void check_recovered(struct round *r, const char *home, enum mode mode, uint32_t prev_counter)
{
	DB_ENV *env;
	DB *db = NULL;
	DB_TXN *txn = NULL;
	DBC *c;
	DBT k, d;
	int ret;
	uint32_t max_j = 0, j;
	unsigned char *seen = NULL;   /* bit per part: 1 a, 2 b, 4 c */
	size_t seen_len = 0;
	int have_counter = 0;
	static unsigned char buf[OVERFLOW_SIZE];

	r->counter = 0;
	if ((ret = db_env_create(&env, 0)) != 0) {
		failf(r, "db_env_create: %s", db_strerror(ret));
		return;
	}
	env->set_errfile(env, stderr);
	env->set_errpfx(env, "crash recovery");
	if ((ret = env->open(env, home, ENV_FLAGS | DB_RECOVER, 0644)) != 0) {
		failf(r, "DB_ENV->open(DB_RECOVER): %d (%s)", ret, db_strerror(ret));
		env->close(env, 0);
		return;
	}
	if ((ret = db_create(&db, env, 0)) != 0) {
		failf(r, "db_create: %s", db_strerror(ret));
		goto out;
	}
	ret = db->open(db, NULL, DB_FILE, NULL, DB_BTREE, DB_AUTO_COMMIT, 0);
	if (ret == ENOENT) {
		db->close(db, 0);
		db = NULL;
		if (r->ready)
			failf(r, "the database is missing although its creation was committed");
		else if (prev_counter != 0)
			failf(r, "the database is missing; the previous round recovered %u transactions", prev_counter);
		goto out;
	}
	if (ret != 0) {
		failf(r, "DB->open: %d (%s)", ret, db_strerror(ret));
		goto out;
	}
	if ((ret = env->txn_begin(env, NULL, &txn, 0)) != 0) {
		failf(r, "txn_begin: %d (%s)", ret, db_strerror(ret));
		goto out;
	}
	if ((ret = db->cursor(db, txn, &c, DB_READ_COMMITTED)) != 0) {
		failf(r, "DB->cursor: %d (%s)", ret, db_strerror(ret));
		goto out;
	}
	memset(&k, 0, sizeof k);
	memset(&d, 0, sizeof d);
	k.flags = d.flags = DB_DBT_REALLOC;  /* DB_THREAD handles */
	while ((ret = c->get(c, &k, &d, DB_NEXT)) == 0) {
		char ks[64];
		unsigned long jl;
		char part, *end;
		if (k.size == 0 || k.size >= sizeof ks) {
			failf(r, "a key of %u bytes", k.size);
			continue;
		}
		memcpy(ks, k.data, k.size);
		ks[k.size] = '\0';
		if (strcmp(ks, COUNTER_KEY) == 0) {
			char tmp[16];
			if (d.size == 0 || d.size >= sizeof tmp) {
				failf(r, "counter value of %u bytes", d.size);
				continue;
			}
			memcpy(tmp, d.data, d.size);
			tmp[d.size] = '\0';
			r->counter = (uint32_t)strtoul(tmp, &end, 10);
			if (*end != '\0' || r->counter == 0)
				failf(r, "counter value '%s'", tmp);
			have_counter = 1;
			continue;
		}
		jl = strtoul(ks, &end, 10);
		if (end == ks || end[0] != '-' || end[1] < 'a' || end[1] > 'c' || end[2] != '\0'
		    || jl == 0 || jl >= MAX_TXN) {
			failf(r, "unexpected key '%s'", ks);
			continue;
		}
		j = (uint32_t)jl;
		part = end[1];
		if (d.size != value_size(j, part)) {
			failf(r, "key %s: value of %u bytes, expected %zu", ks, d.size, value_size(j, part));
		} else {
			make_value(j, part, buf, d.size);
			if (memcmp(buf, d.data, d.size) != 0)
				failf(r, "key %s: wrong value", ks);
		}
		if (j > max_j)
			max_j = j;
		if (j >= seen_len) {
			size_t n = seen_len ? seen_len : 1024;
			while (n <= j)
				n *= 2;
			seen = realloc(seen, n);
			if (seen == NULL) {
				perror("crash: realloc");
				exit(2);
			}
			memset(seen + seen_len, 0, n - seen_len);
			seen_len = n;
		}
		seen[j] |= (unsigned char)(1 << (part - 'a'));
	}
	if (ret != DB_NOTFOUND)
		failf(r, "DBC->get(DB_NEXT): %d (%s)", ret, db_strerror(ret));
	free(k.data);
	free(d.data);
	if ((ret = c->close(c)) != 0)
		failf(r, "DBC->close: %d (%s)", ret, db_strerror(ret));
	ret = txn->commit(txn, 0);
	txn = NULL;
	if (ret != 0)
		failf(r, "DB_TXN->commit (reader): %d (%s)", ret, db_strerror(ret));

	/* Whole transactions 1..counter, nothing else. */
	if (!have_counter && max_j != 0)
		failf(r, "no counter, but transaction %u's keys are present (partial transaction)", max_j);
	for (j = 1; j <= (max_j > r->counter ? max_j : r->counter); j++) {
		unsigned char s = j < seen_len ? seen[j] : 0;
		if (j <= r->counter && s != 7) {
			failf(r, "transaction %u is %s but the counter is %u (%s)", j,
			    s == 0 ? "missing" : "partial", r->counter,
			    s == 0 ? "survivors are not a prefix" : "not all-or-nothing");
			break;
		}
		if (j > r->counter && s != 0) {
			failf(r, "transaction %u has %s of its keys but the counter is %u (partial transaction)",
			    j, s == 7 ? "all" : "some", r->counter);
			break;
		}
	}
	for (j = 1; j <= r->counter && j < seen_len; j++)
		r->txns_seen += seen[j] == 7;
	if (r->counter < prev_counter)
		failf(r, "counter %u is below the %u the previous round recovered", r->counter, prev_counter);
	if (r->ready && r->base != prev_counter)
		failf(r, "the child started from counter %u, the previous round recovered %u", r->base, prev_counter);
	if (mode == MODE_SYNC && r->ready && r->counter < r->reported)
		failf(r, "commit %u returned (DB_TXN_SYNC) but only %u survived recovery", r->reported, r->counter);

out:
	free(seen);
	if (txn != NULL)
		txn->abort(txn);
	if (db != NULL && (ret = db->close(db, 0)) != 0)
		failf(r, "DB->close: %d (%s)", ret, db_strerror(ret));
	/* DB->verify on a fresh handle (it destroys the handle either way). */
	{
		DB *v;
		if ((ret = db_create(&v, env, 0)) != 0)
			failf(r, "db_create (verify): %s", db_strerror(ret));
		else {
			char path[4096 + 16];
			struct stat st;
			snprintf(path, sizeof path, "%s/%s", home, DB_FILE);
			if (stat(path, &st) != 0) {
				v->close(v, 0);
				r->verify = -1;   /* nothing to verify */
			} else if ((ret = v->verify(v, DB_FILE, NULL, NULL, 0)) == 0)
				r->verify = 1;
			else if (ret == EOPNOTSUPP) /* DB_OPNOTSUP, 95 */
				r->verify = 0;
			else
				failf(r, "DB->verify: %d (%s)", ret, db_strerror(ret));
		}
	}
	if ((ret = env->close(env, 0)) != 0)
		failf(r, "DB_ENV->close: %d (%s)", ret, db_strerror(ret));
}

static void usage(void)
{
	fprintf(stderr, "usage: crash -m sync|nosync -d DIR [-n ROUNDS] [-s SEED] [-f FRESH_EVERY] [-x MAX_FAILURES] [-q]\n"
	    "       crash -V\n");
	exit(2);
}

int main(int argc, char **argv)
{
	enum mode mode = MODE_SYNC;
	const char *dir = NULL, *mode_name = NULL;
	char home[4096];
	uint64_t seed = 0;
	int have_seed = 0, quiet = 0, opt;
	unsigned long rounds = 50, fresh_every = 10, max_failures = 10, i, failures = 0, ran = 0;
	unsigned long verified = 0, verify_skipped = 0, early_kills = 0;
	uint64_t total_reported = 0, total_recovered = 0;
	uint32_t prev_counter = 0;
	int force_fresh = 1;
	char *end;

	while ((opt = getopt(argc, argv, "m:d:n:s:f:x:qV")) != -1) {
		switch (opt) {
		case 'V':
			printf("%s\n", db_version(NULL, NULL, NULL));
			return 0;
		case 'm':
			mode_name = optarg;
			if (strcmp(optarg, "sync") == 0)
				mode = MODE_SYNC;
			else if (strcmp(optarg, "nosync") == 0)
				mode = MODE_NOSYNC;
			else
				usage();
			break;
		case 'd': dir = optarg; break;
		case 'n': rounds = strtoul(optarg, &end, 10); if (*end) usage(); break;
		case 's': seed = strtoull(optarg, &end, 0); if (*end) usage(); have_seed = 1; break;
		case 'f': fresh_every = strtoul(optarg, &end, 10); if (*end || !fresh_every) usage(); break;
		case 'x': max_failures = strtoul(optarg, &end, 10); if (*end) usage(); break;
		case 'q': quiet = 1; break;
		default: usage();
		}
	}
	if (dir == NULL || mode_name == NULL || optind != argc)
		usage();
	if (!have_seed) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		seed = mix((uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ (uint64_t)getpid()) % 1000000000u;
	}
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "crash: mkdir %s: %s\n", dir, strerror(errno));
		return 2;
	}
	snprintf(home, sizeof home, "%s/home", dir);
	signal(SIGPIPE, SIG_IGN);
	printf("crash: mode %s, seed %llu, %lu rounds, fresh environment every %lu rounds, %s\n",
	    mode_name, (unsigned long long)seed, rounds, fresh_every, db_version(NULL, NULL, NULL));
	fflush(stdout);

	for (i = 0; i < rounds; i++) {
		struct round r;
		uint64_t x = mix(seed ^ mix(i + 1));
		int fds[2], status;
		pid_t pid;
		unsigned char pend[4];
		size_t npend = 0;
		int gone;

		memset(&r, 0, sizeof r);
		r.seed = x;
		r.fresh = force_fresh || i % fresh_every == 0;
		x = mix(x);
		/* An early kill (inside the child's own recovery or startup) in
		 * about one round in eight. */
		r.early = x % 8 == 0;
		r.child_recover = r.early || (x >> 8) % 2 == 0;
		x = mix(x);
		if (mode == MODE_SYNC) {
			r.wait_commits = (uint32_t)(x % 201);
			r.delay_us = (uint32_t)((x >> 16) % 3000);
		} else {
			r.wait_commits = (uint32_t)(x % 4001);
			r.delay_us = (uint32_t)((x >> 16) % 3000);
		}
		x = mix(x);
		r.ckp_every = (uint32_t)(x % 4 == 0 ? 0 : 5 + (x >> 8) % 60);
		if (r.early) {
			r.wait_commits = 0;
			r.delay_us = (uint32_t)((x >> 32) % 20000);
		}
		if (r.fresh) {
			empty_dir(home);
			prev_counter = 0;
		}

		if (pipe(fds) != 0) {
			perror("crash: pipe");
			return 2;
		}
		fflush(stdout);
		fflush(stderr);
		pid = fork();
		if (pid < 0) {
			perror("crash: fork");
			return 2;
		}
		if (pid == 0) {
			close(fds[0]);
			run_child(home, mode, r.child_recover, r.ckp_every, fds[1]);
			_exit(5);
		}
		close(fds[1]);
		if (r.early) {
			sleep_us(r.delay_us);
			gone = 0;
		} else {
			gone = read_reports(&r, fds[0], r.wait_commits, pend, &npend);
			if (!gone)
				sleep_us(r.delay_us);
		}
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR) {
				perror("crash: waitpid");
				return 2;
			}
		/* Everything the child reported before it died. */
		read_reports(&r, fds[0], UINT32_MAX, pend, &npend);
		close(fds[0]);
		if (npend != 0)
			failf(&r, "the child wrote a partial number to the pipe");
		if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)) {
			if (WIFEXITED(status))
				failf(&r, "the child exited with status %d before the kill (see its stderr)", WEXITSTATUS(status));
			else
				failf(&r, "the child died of signal %d before the kill", WTERMSIG(status));
		} else if (gone && !r.early)
			failf(&r, "the child stopped reporting before the kill");

		check_recovered(&r, home, mode, prev_counter);

		ran++;
		early_kills += r.early;
		total_reported += r.ready ? r.reported - r.base : 0;
		total_recovered += r.counter >= prev_counter ? r.counter - prev_counter : 0;
		if (r.verify == 1)
			verified++;
		else if (r.verify == 0)
			verify_skipped++;
		if (!quiet || r.failed)
			printf("%sround %lu: %s%s kill after %u commits + %u us, checkpoint every %u, child %s; "
			    "%s base %u, reported %u, recovered %u (%u whole txns), verify %s%s%s\n",
			    r.failed ? "FAIL " : "", i + 1, r.fresh ? "fresh" : "continued",
			    r.early ? ", early" : "", r.wait_commits, r.delay_us, r.ckp_every,
			    r.child_recover ? "DB_RECOVER" : "plain",
			    r.ready ? "ready," : "not ready,", r.base, r.reported, r.counter, r.txns_seen,
			    r.verify == 1 ? "ok" : r.verify == 0 ? "skipped (DB_OPNOTSUP)" : "n/a",
			    r.failed ? ": " : "", r.failed ? r.why : "");
		fflush(stdout);
		if (r.failed) {
			failures++;
			force_fresh = 1;
			if (failures >= max_failures && i + 1 < rounds) {
				printf("crash: stopping after %lu failures\n", failures);
				break;
			}
		} else {
			force_fresh = 0;
			prev_counter = r.counter;
		}
	}
	printf("crash: %lu rounds, %lu failures (mode %s, seed %llu; %llu commits reported, %llu recovered; "
	    "%lu early kills; verify passed %lu, skipped %lu%s)\n",
	    ran, failures, mode_name, (unsigned long long)seed,
	    (unsigned long long)total_reported, (unsigned long long)total_recovered, early_kills,
	    verified, verify_skipped, verify_skipped ? " (DB_OPNOTSUP: verify not supported)" : "");
	return failures ? 1 : 0;
}
