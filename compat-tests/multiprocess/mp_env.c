/* Several processes in one environment at once, through the C API.
 *
 *   mp_env HOME CONFIG            run both scenarios (prints facts)
 *   mp_env HOME CONFIG verify     (internal) re-check in a fresh process
 *
 * CONFIG is "mpool" (DB_INIT_MPOOL only) or "lock" (DB_INIT_LOCK |
 * DB_INIT_MPOOL). No DB_PRIVATE, and no DB_INIT_LOG/TXN here: mp_log.c
 * covers processes sharing a log.
 *
 * The parent creates the environment and two btrees, keeps them open and
 * forks N children. Each child joins the environment (DB_ENV->open without
 * DB_CREATE) and opens the same databases with its own handles. A pipe
 * barrier makes every child attach before any writes.
 *
 * Scenario "distinct": child i puts keys "i-00000".."i-04999" and reads its
 * own keys back; then (second barrier) every child reads every other
 * child's keys. Scenario "same": every child writes the same keys
 * "k-00000".."k-01999" with its own value ("child i" + padding whose length
 * depends on i), even children ascending, odd children descending.
 *
 * With "lock" the children write concurrently. With "mpool" they write in
 * turns (a token passed along a pipe chain) while all stay attached, because
 * libdb's Data Store without locking is single-writer; their reads are
 * concurrent.
 *
 * The parent waits (waitpid), checks every key through its own handles,
 * scans each database with a cursor (keys strictly increasing, so no
 * duplicates), closes everything, then runs a fresh process (fork + exec of
 * itself) that reopens the environment and checks again. Synchronisation is
 * by pipes and waitpid only; an alarm bounds every process.
 *
 * Output is only facts (counts, return codes, exit statuses), identical on
 * libdb and Tern. Diagnostics go to stderr. */
#include <db.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Overridable for stress runs (cc -DNDISTINCT=50000 ...); run.sh's
 * expected output assumes these defaults. */
#ifndef NCHILD
#define NCHILD 4
#endif
#ifndef NDISTINCT
#define NDISTINCT 5000
#endif
#ifndef NSAME
#define NSAME 2000
#endif
#ifndef CACHE_BYTES
#define CACHE_BYTES (256 * 1024)
#endif

static const char *home;
static u_int32_t env_flags;
static int with_lock;

static void errcb(const DB_ENV *e, const char *pfx, const char *msg)
{
	(void)e;
	fprintf(stderr, "[%d] err[%s] %s\n", (int)getpid(), pfx ? pfx : "-", msg);
}

static void die(const char *what, int r)
{
	fprintf(stderr, "[%d] %s: %d (%s)\n", (int)getpid(), what, r, db_strerror(r));
}

/* Writes one byte; reads one byte (EINTR-safe). 0 on success. */
static int put_byte(int fd)
{
	char c = 'x';
	ssize_t n;
	do n = write(fd, &c, 1); while (n < 0 && errno == EINTR);
	return n == 1 ? 0 : -1;
}
static int get_byte(int fd)
{
	char c;
	ssize_t n;
	do n = read(fd, &c, 1); while (n < 0 && errno == EINTR);
	return n == 1 ? 0 : -1;
}

static DB_ENV *env_open_as(const char *dir, u_int32_t flags, int *rc)
{
	DB_ENV *env;
	int r;
	if ((r = db_env_create(&env, 0)) != 0) { *rc = r; return NULL; }
	env->set_errcall(env, errcb);
	if (flags & DB_CREATE) {
		env->set_cachesize(env, 0, CACHE_BYTES, 1);
		if (with_lock) env->set_lk_detect(env, DB_LOCK_DEFAULT);
	}
	if ((r = env->open(env, dir, flags, 0644)) != 0) {
		die("DB_ENV->open", r);
		env->close(env, 0);
		*rc = r;
		return NULL;
	}
	*rc = 0;
	return env;
}

static DB_ENV *env_open(u_int32_t extra, int *rc) { return env_open_as(home, env_flags | extra, rc); }

static DB *db_open(DB_ENV *env, const char *file, u_int32_t extra, int *rc)
{
	DB *db;
	int r;
	if ((r = db_create(&db, env, 0)) != 0) { *rc = r; return NULL; }
	if ((r = db->open(db, NULL, file, NULL, DB_BTREE, extra, 0644)) != 0) {
		die("DB->open", r);
		db->close(db, 0);
		*rc = r;
		return NULL;
	}
	*rc = 0;
	return db;
}

/* put/get retried on DB_LOCK_DEADLOCK (libdb with DB_INIT_LOCK may pick a
 * non-transactional operation as a deadlock victim). */
static int put_str(DB *db, const char *k, const char *v)
{
	DBT key, data;
	int r;
	memset(&key, 0, sizeof key); memset(&data, 0, sizeof data);
	key.data = (void *)k; key.size = (u_int32_t)strlen(k);
	data.data = (void *)v; data.size = (u_int32_t)strlen(v);
	while ((r = db->put(db, NULL, &key, &data, 0)) == DB_LOCK_DEADLOCK)
		;
	return r;
}

/* 0 and the value in buf (NUL-terminated), or the error. */
static int get_str(DB *db, const char *k, char *buf, size_t cap)
{
	DBT key, data;
	int r;
	memset(&key, 0, sizeof key); memset(&data, 0, sizeof data);
	key.data = (void *)k; key.size = (u_int32_t)strlen(k);
	data.data = buf; data.ulen = (u_int32_t)(cap - 1); data.flags = DB_DBT_USERMEM;
	while ((r = db->get(db, NULL, &key, &data, 0)) == DB_LOCK_DEADLOCK)
		;
	if (r == 0) buf[data.size] = '\0';
	return r;
}

static void distinct_key(char *k, int child, int i) { sprintf(k, "%d-%05d", child, i); }
static void distinct_val(char *v, int child, int i) { sprintf(v, "value of %d-%05d from child %d", child, i, child); }
static void same_key(char *k, int i) { sprintf(k, "k-%05d", i); }
static void same_val(char *v, int child)
{
	int n = sprintf(v, "child %d", child);
	memset(v + n, '.', (size_t)(child * 7)); /* lengths differ per child */
	v[n + child * 7] = '\0';
}

/* Which child wrote `v` to a "same" key, or -1 if it is none's value. */
static int same_owner(const char *v)
{
	char want[128];
	for (int c = 0; c < NCHILD; c++) {
		same_val(want, c);
		if (strcmp(v, want) == 0) return c;
	}
	return -1;
}

/* Cursor scan: number of records, keys strictly increasing (no duplicate),
 * per the default byte-wise order. Returns the count; *bad counts order
 * violations; *rc is the final cursor return (DB_NOTFOUND expected). */
static int scan(DB *db, int *bad, int *rc)
{
	DBC *c;
	DBT key, data;
	char prev[64];
	size_t prevlen = 0;
	int n = 0, r;
	*bad = 0;
	if ((r = db->cursor(db, NULL, &c, 0)) != 0) { *rc = r; return -1; }
	memset(&key, 0, sizeof key); memset(&data, 0, sizeof data);
	while ((r = c->get(c, &key, &data, DB_NEXT)) == 0) {
		if (n > 0) {
			size_t m = prevlen < key.size ? prevlen : key.size;
			int cmp = memcmp(prev, key.data, m);
			if (cmp > 0 || (cmp == 0 && prevlen >= key.size)) (*bad)++;
		}
		prevlen = key.size < sizeof prev ? key.size : sizeof prev;
		memcpy(prev, key.data, prevlen);
		n++;
	}
	*rc = r;
	c->close(c);
	return n;
}

/* Checks every "distinct" key: returns how many hold the right value. */
static int check_distinct(DB *db, int *missing)
{
	char k[32], v[128], got[128];
	int ok = 0;
	*missing = 0;
	for (int c = 0; c < NCHILD; c++)
		for (int i = 0; i < NDISTINCT; i++) {
			distinct_key(k, c, i); distinct_val(v, c, i);
			int r = get_str(db, k, got, sizeof got);
			if (r == DB_NOTFOUND) (*missing)++;
			else if (r == 0 && strcmp(got, v) == 0) ok++;
		}
	return ok;
}

/* Checks every "same" key: how many hold exactly one child's value; the
 * children that own at least one key in *owners (bitmask). */
static int check_same(DB *db, int *missing, unsigned *owners)
{
	char k[32], got[128];
	int ok = 0;
	*missing = 0; *owners = 0;
	for (int i = 0; i < NSAME; i++) {
		same_key(k, i);
		int r = get_str(db, k, got, sizeof got);
		if (r == DB_NOTFOUND) { (*missing)++; continue; }
		int o = r == 0 ? same_owner(got) : -1;
		if (o >= 0) { ok++; *owners |= 1u << o; }
	}
	return ok;
}

/* ---- children ---- */

struct pipes {
	int ready[2];          /* child -> parent: attached / phase done */
	int go[NCHILD][2];     /* parent -> child i: start a phase (one pipe
	                        * each, so a fast child cannot take another's) */
	int turn[NCHILD + 1][2]; /* mpool config: the writer token chain */
};

static int read_own(DB *dd, int me)
{
	char k[32], v[128], got[128];
	for (int i = 0; i < NDISTINCT; i++) {
		distinct_key(k, me, i); distinct_val(v, me, i);
		if (get_str(dd, k, got, sizeof got) != 0 || strcmp(got, v) != 0) {
			fprintf(stderr, "[%d] child %d: read-back of %s failed\n", (int)getpid(), me, k);
			return 13;
		}
	}
	return 0;
}

/* Exit codes: 0 ok, 10 env open, 11 db open, 12 a put failed, 13 a
 * read-back mismatch, 14 a cross read mismatch, 15 close failed, 16 pipe. */
static int child_main(int me, struct pipes *p)
{
	int rc, status = 0;
	char k[32], v[128], got[128];
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	alarm(60);

	/* Odd children join from another directory and name no subsystem:
	 * they move into the home, open it as ".", and pass no DB_INIT_* flag
	 * (libdb then joins with the subsystems the environment has). Even
	 * children use the parent's path and flags. All join: no DB_CREATE. */
	DB_ENV *env;
	if (me % 2 == 1) {
		if (chdir(home) != 0) return 10;
		env = env_open_as(".", 0, &rc);
	} else {
		env = env_open_as(home, env_flags, &rc);
	}
	if (env == NULL) return 10;
	DB *dd = db_open(env, "distinct.db", 0, &rc);
	if (dd == NULL) return 11;
	DB *sd = db_open(env, "same.db", 0, &rc);
	if (sd == NULL) return 11;

	/* Barrier 1: everyone attached. */
	if (put_byte(p->ready[1]) || get_byte(p->go[me][0])) return 16;

	/* Phase 1: writes (in turns without locking). */
	if (!with_lock && get_byte(p->turn[me][0])) return 16;
	for (int i = 0; i < NDISTINCT; i++) {
		distinct_key(k, me, i); distinct_val(v, me, i);
		if ((rc = put_str(dd, k, v)) != 0) { die("put distinct", rc); status = 12; break; }
		if (with_lock && i % 64 == 0) sched_yield();
	}
	same_val(v, me);
	for (int j = 0; j < NSAME && status == 0; j++) {
		int i = (me % 2 == 0) ? j : NSAME - 1 - j;
		same_key(k, i);
		if ((rc = put_str(sd, k, v)) != 0) { die("put same", rc); status = 12; }
		if (with_lock && j % 4 == 0) sched_yield(); /* let the others' puts interleave */
	}
	if (!with_lock && put_byte(p->turn[me + 1][1])) return 16;
	/* Own keys read back: while the others write (with locking), or once
	 * every write is done (without, as libdb's readers need then). */
	if (with_lock && status == 0) status = read_own(dd, me);

	/* Barrier 2: every child has written; read the others' keys. */
	if (put_byte(p->ready[1]) || get_byte(p->go[me][0])) return 16;
	if (!with_lock && status == 0) status = read_own(dd, me);
	if (status == 0) {
		int missing;
		if (check_distinct(dd, &missing) != NCHILD * NDISTINCT) {
			fprintf(stderr, "[%d] child %d: cross read: %d missing\n", (int)getpid(), me, missing);
			status = 14;
		}
		unsigned owners;
		if (status == 0 && check_same(sd, &missing, &owners) != NSAME) status = 14;
	}

	if (dd->close(dd, 0) != 0 || sd->close(sd, 0) != 0) status = status ? status : 15;
	if (env->close(env, 0) != 0) status = status ? status : 15;
	return status;
}

/* ---- the checks a fresh process repeats ---- */

static void report(const char *who, DB *dd, DB *sd)
{
	int missing, bad, rc, n;
	unsigned owners;
	int ok = check_distinct(dd, &missing);
	printf("%s distinct: %d of %d keys right, %d missing\n", who, ok, NCHILD * NDISTINCT, missing);
	n = scan(dd, &bad, &rc);
	printf("%s distinct scan: %d records, %d out of order, end %d\n", who, n, bad, rc);
	ok = check_same(sd, &missing, &owners);
	printf("%s same: %d of %d keys hold one child's value, %d missing, owners nonempty %d\n",
	       who, ok, NSAME, missing, owners != 0);
	fprintf(stderr, "%s same: owners mask %#x\n", who, owners); /* not compared */
	n = scan(sd, &bad, &rc);
	printf("%s same scan: %d records, %d out of order, end %d\n", who, n, bad, rc);
	fflush(stdout);
}

static int verify_main(void)
{
	int rc;
	alarm(60);
	DB_ENV *env = env_open(0, &rc);
	printf("fresh env open -> %d\n", rc);
	if (env == NULL) return 1;
	DB *dd = db_open(env, "distinct.db", 0, &rc);
	printf("fresh distinct open -> %d\n", rc);
	DB *sd = db_open(env, "same.db", 0, &rc);
	printf("fresh same open -> %d\n", rc);
	if (dd == NULL || sd == NULL) return 1;
	report("fresh", dd, sd);
	{
		int r1 = dd->close(dd, 0), r2 = sd->close(sd, 0), r3 = env->close(env, 0);
		printf("fresh closes -> %d %d %d\n", r1, r2, r3);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) { fprintf(stderr, "usage: mp_env HOME mpool|lock [verify]\n"); return 2; }
	home = argv[1];
	with_lock = strcmp(argv[2], "lock") == 0;
	env_flags = DB_INIT_MPOOL | (with_lock ? DB_INIT_LOCK : 0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 3 && strcmp(argv[3], "verify") == 0) return verify_main();

	alarm(120);
	mkdir(home, 0777);
	printf("config %s, %d children\n", with_lock ? "DB_INIT_LOCK|DB_INIT_MPOOL" : "DB_INIT_MPOOL", NCHILD);
	int rc;
	DB_ENV *env = env_open(DB_CREATE, &rc);
	printf("parent env open -> %d\n", rc);
	if (env == NULL) return 1;
	DB *dd = db_open(env, "distinct.db", DB_CREATE, &rc);
	printf("parent distinct open -> %d\n", rc);
	DB *sd = db_open(env, "same.db", DB_CREATE, &rc);
	printf("parent same open -> %d\n", rc);
	if (dd == NULL || sd == NULL) return 1;
	/* Make the files exist on disk before the children open them. */
	printf("parent syncs -> %d %d\n", dd->sync(dd, 0), sd->sync(sd, 0));

	struct pipes p;
	if (pipe(p.ready)) { perror("pipe"); return 1; }
	for (int i = 0; i < NCHILD; i++) if (pipe(p.go[i])) { perror("pipe"); return 1; }
	for (int i = 0; i <= NCHILD; i++) if (pipe(p.turn[i])) { perror("pipe"); return 1; }

	pid_t pids[NCHILD];
	fflush(stdout);
	for (int i = 0; i < NCHILD; i++) {
		pid_t pid = fork();
		if (pid < 0) { perror("fork"); return 1; }
		if (pid == 0) {
			int st = child_main(i, &p);
			/* A failure byte, in case the parent waits at a barrier. */
			if (st != 0) { char f = 'F'; ssize_t n = write(p.ready[1], &f, 1); (void)n; }
			_exit(st);
		}
		pids[i] = pid;
	}
	/* Two barriers. A child that fails sends 'F' instead; the parent then
	 * kills the others (which may wait for a turn or a barrier). */
	int ok = 1;
	for (int phase = 0; phase < 2 && ok; phase++) {
		for (int i = 0; i < NCHILD; i++) {
			char c;
			ssize_t n;
			do n = read(p.ready[0], &c, 1); while (n < 0 && errno == EINTR);
			if (n != 1 || c == 'F') { ok = 0; break; }
		}
		if (!ok) break;
		if (phase == 0 && !with_lock) put_byte(p.turn[0][1]);
		for (int i = 0; i < NCHILD; i++) put_byte(p.go[i][1]);
	}
	if (!ok) for (int i = 0; i < NCHILD; i++) kill(pids[i], SIGKILL);
	for (int i = 0; i < NCHILD; i++) {
		int st;
		while (waitpid(pids[i], &st, 0) < 0 && errno == EINTR)
			;
		if (WIFEXITED(st)) printf("child %d exit %d\n", i, WEXITSTATUS(st));
		else printf("child %d killed by signal %d\n", i, WTERMSIG(st));
	}
	printf("barriers passed %d\n", ok);

	report("parent", dd, sd);
	{
		int r1 = dd->close(dd, 0), r2 = sd->close(sd, 0), r3 = env->close(env, 0);
		printf("parent closes -> %d %d %d\n", r1, r2, r3);
	}

	/* A fresh process reopens the environment. */
	fflush(stdout);
	pid_t v = fork();
	if (v == 0) {
		execl("/proc/self/exe", argv[0], home, argv[2], "verify", (char *)NULL);
		_exit(127);
	}
	int st;
	while (waitpid(v, &st, 0) < 0 && errno == EINTR)
		;
	printf("fresh process exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	return 0;
}
