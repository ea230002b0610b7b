/* Several processes committing through one shared log, through the C API.
 *
 *   mp_log HOME run     children commit, exit; the parent checks, recovers
 *   mp_log HOME kill    the parent SIGKILLs the children mid-run, recovers
 *   mp_log HOME ckpt    one process checkpoints another's database, both
 *                       are killed, recovery must keep the other's commits
 *
 * The parent creates the environment (DB_CREATE | DB_INIT_TXN | DB_INIT_LOG
 * | DB_INIT_LOCK | DB_INIT_MPOOL, not DB_PRIVATE) and the databases
 * "shared.db" and "own<i>.db", closes everything and forks NCHILD children.
 * Each child opens the environment and the databases itself, waits on a
 * pipe barrier, then makes NCOMMIT commits: for j % 5 != 4 a transaction
 * putting "s-<i>-<j>" into shared.db, "o-<j>" into its own database and
 * "hot-<j % 4>" into shared.db (so children conflict and deadlock; a
 * DB_LOCK_DEADLOCK aborts and retries), committed with DB_TXN_SYNC; for
 * j % 5 == 4 an auto-commit put of "a-<j>" into its own database. After a
 * commit returns 0 the child reports (i, j) on a pipe.
 *
 * "run": the parent waits for the children, checks every reported key (and
 * data) through its own handles, runs DB->verify on every database, closes,
 * reopens with DB_RECOVER and checks again. "kill": once the children have
 * reported KILL_AFTER commits the parent SIGKILLs them all, opens with
 * DB_RECOVER and checks that every reported commit is there, then verifies.
 *
 * "ckpt": child B opens b.db and commits 50 puts; then child A (which has
 * never opened b.db) takes a checkpoint; then B commits 50 more; then both
 * are SIGKILLed. Recovery starts after A's checkpoint, so it finds b.db only
 * if A's checkpoint record carried B's registration of it.
 *
 * Log files are small (lg_max 32 KiB), so the processes move the log to
 * new files under each other; the parent prints how many files there are.
 *
 * Output is only facts, identical on libdb and Tern. Diagnostics go to
 * stderr. An alarm bounds every process. */
#include <db.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef NCHILD
#define NCHILD 4
#endif
#ifndef NCOMMIT
#define NCOMMIT 200
#endif
#ifndef KILL_AFTER
#define KILL_AFTER 400
#endif

#define ENV_FLAGS (DB_CREATE | DB_INIT_TXN | DB_INIT_LOG | DB_INIT_LOCK | DB_INIT_MPOOL)

struct report { int child, j; };

static const char *home;

static int open_env(DB_ENV **out, u_int32_t extra)
{
	DB_ENV *e;
	int r = db_env_create(&e, 0);
	if (r != 0) return r;
	e->set_errfile(e, stderr);
	e->set_lk_detect(e, DB_LOCK_DEFAULT);
	e->set_cachesize(e, 0, 1024 * 1024, 1);
	/* Small log files: the processes roll the log over under each other. */
	e->set_lg_bsize(e, 8 * 1024);
	e->set_lg_max(e, 32 * 1024);
	r = e->open(e, home, ENV_FLAGS | extra, 0644);
	if (r != 0) { e->close(e, 0); return r; }
	*out = e;
	return 0;
}

static int open_db(DB_ENV *e, DB **out, const char *name)
{
	DB *db;
	int r = db_create(&db, e, 0);
	if (r != 0) return r;
	r = db->open(db, NULL, name, NULL, DB_BTREE, DB_CREATE | DB_AUTO_COMMIT, 0644);
	if (r != 0) { db->close(db, 0); return r; }
	*out = db;
	return 0;
}

static int put(DB *db, DB_TXN *t, const char *k, const char *d)
{
	DBT key, data;
	memset(&key, 0, sizeof key); memset(&data, 0, sizeof data);
	key.data = (void *)k; key.size = (u_int32_t)strlen(k);
	data.data = (void *)d; data.size = (u_int32_t)strlen(d) + 1;
	return db->put(db, t, &key, &data, 0);
}

/* 1: key holds exactly `d`; 0: absent or different. */
static int holds(DB *db, const char *k, const char *d)
{
	DBT key, data;
	memset(&key, 0, sizeof key); memset(&data, 0, sizeof data);
	key.data = (void *)k; key.size = (u_int32_t)strlen(k);
	if (db->get(db, NULL, &key, &data, 0) != 0) return 0;
	return data.size == strlen(d) + 1 && memcmp(data.data, d, data.size) == 0;
}

static void child(int i, int go, int rep)
{
	DB_ENV *e; DB *shared, *own;
	char name[32], k[64], d[64];
	int j, r;
	alarm(240);
	if ((r = open_env(&e, 0)) != 0) { fprintf(stderr, "child %d env open %d\n", i, r); _exit(10); }
	snprintf(name, sizeof name, "own%d.db", i);
	if ((r = open_db(e, &shared, "shared.db")) != 0 || (r = open_db(e, &own, name)) != 0) {
		fprintf(stderr, "child %d db open %d\n", i, r); _exit(11);
	}
	char c;
	if (read(go, &c, 1) < 0) _exit(12);   /* EOF: everyone is attached */
	for (j = 0; j < NCOMMIT; j++) {
		snprintf(d, sizeof d, "%d:%d", i, j);
		for (;;) {
			if (j % 5 == 4) {
				snprintf(k, sizeof k, "a-%05d", j);
				r = put(own, NULL, k, d);
			} else {
				DB_TXN *t;
				if ((r = e->txn_begin(e, NULL, &t, 0)) != 0) break;
				snprintf(k, sizeof k, "s-%d-%05d", i, j);
				r = put(shared, t, k, d);
				if (r == 0) { snprintf(k, sizeof k, "o-%05d", j); r = put(own, t, k, d); }
				if (r == 0) { snprintf(k, sizeof k, "hot-%d", j % 4); r = put(shared, t, k, d); }
				if (r == 0) r = t->commit(t, DB_TXN_SYNC);
				else t->abort(t);
			}
			if (r != DB_LOCK_DEADLOCK) break;
		}
		if (r != 0) { fprintf(stderr, "child %d commit %d: %s\n", i, j, db_strerror(r)); _exit(13); }
		struct report m = { i, j };
		if (write(rep, &m, sizeof m) != sizeof m) _exit(14);
	}
	r = own->close(own, 0);
	r |= shared->close(shared, 0);
	r |= e->close(e, 0);
	_exit(r == 0 ? 0 : 15);
}

/* Checks every reported commit; prints one line. */
static void check(const char *who, int reported[NCHILD][NCOMMIT], int total)
{
	DB_ENV *e; DB *shared, *own[NCHILD];
	char name[32], k[64], d[64];
	int i, j, r, present = 0, missing = 0;
	if ((r = open_env(&e, strcmp(who, "recovered") == 0 ? DB_RECOVER : 0)) != 0) {
		printf("%s env open -> %d\n", who, r); return;
	}
	printf("%s env open -> 0\n", who);
	r = open_db(e, &shared, "shared.db");
	for (i = 0; i < NCHILD && r == 0; i++) {
		snprintf(name, sizeof name, "own%d.db", i);
		r = open_db(e, &own[i], name);
	}
	if (r != 0) { printf("%s db open -> %d\n", who, r); exit(1); }
	for (i = 0; i < NCHILD; i++)
		for (j = 0; j < NCOMMIT; j++) {
			if (!reported[i][j]) continue;
			int ok;
			snprintf(d, sizeof d, "%d:%d", i, j);
			if (j % 5 == 4) {
				snprintf(k, sizeof k, "a-%05d", j);
				ok = holds(own[i], k, d);
			} else {
				snprintf(k, sizeof k, "s-%d-%05d", i, j);
				ok = holds(shared, k, d);
				snprintf(k, sizeof k, "o-%05d", j);
				ok = ok && holds(own[i], k, d);
			}
			if (ok) present++; else { missing++; fprintf(stderr, "%s: missing %d:%d\n", who, i, j); }
		}
	printf("%s: %s reported commits present, %d missing\n", who,
	    present == total ? "all" : "NOT all", missing);
	r = 0;
	for (i = 0; i < NCHILD; i++) r |= own[i]->close(own[i], 0);
	r |= shared->close(shared, 0);
	printf("%s db closes -> %d\n", who, r);
	/* DB->verify on handles of their own (verify destroys its handle). */
	int vr = 0;
	for (i = -1; i < NCHILD; i++) {
		DB *v;
		if (i < 0) snprintf(name, sizeof name, "shared.db");
		else snprintf(name, sizeof name, "own%d.db", i);
		db_create(&v, e, 0);
		r = v->verify(v, name, NULL, NULL, 0);
		if (r != 0) { fprintf(stderr, "%s verify %s: %d\n", who, name, r); vr = r; }
	}
	printf("%s verify -> %d\n", who, vr);
	char **list = NULL;
	r = e->log_archive(e, &list, DB_ARCH_LOG);
	int nlogs = 0;
	if (r == 0 && list != NULL) { for (char **p = list; *p != NULL; p++) nlogs++; free(list); }
	if (strcmp(who, "parent") == 0)   /* after a kill, how far the log got varies */
		printf("%s log_archive -> %d, more than one log file: %s\n", who, r, nlogs > 1 ? "yes" : "no");
	printf("%s env close -> %d\n", who, e->close(e, 0));
}

/* One message from a ckpt child; -1 on EOF. */
static int next_report(int fd, struct report *m)
{
	return read(fd, m, sizeof *m) == sizeof *m ? 0 : -1;
}

static int ckpt_mode(void)
{
	int toA[2], toB[2], rep[2], r, j, present = 0;
	char c = 'x', k[32];
	pid_t a, b;
	struct report m;
	if (pipe(toA) != 0 || pipe(toB) != 0 || pipe(rep) != 0) return 1;
	fflush(stdout);
	if ((b = fork()) == 0) {
		DB_ENV *e; DB *db;
		alarm(120);
		close(rep[0]);
		if ((r = open_env(&e, 0)) != 0 || (r = open_db(e, &db, "b.db")) != 0) _exit(20);
		for (j = 0; j < 100; j++) {
			if (j == 50) {
				struct report half = { 1, -1 };
				if (write(rep[1], &half, sizeof half) < 0 || read(toB[0], &c, 1) != 1) _exit(21);
			}
			snprintf(k, sizeof k, "b-%05d", j);
			if ((r = put(db, NULL, k, "b")) != 0) _exit(22);
			struct report done = { 1, j };
			if (write(rep[1], &done, sizeof done) < 0) _exit(23);
		}
		struct report end = { 1, -2 };
		if (write(rep[1], &end, sizeof end) < 0) _exit(24);
		(void)read(toB[0], &c, 1);   /* until killed */
		_exit(25);
	}
	if ((a = fork()) == 0) {
		DB_ENV *e;
		alarm(120);
		close(rep[0]);
		if ((r = open_env(&e, 0)) != 0) _exit(30);
		if (read(toA[0], &c, 1) != 1) _exit(31);
		struct report done = { 0, e->txn_checkpoint(e, 0, 0, DB_FORCE) };
		if (write(rep[1], &done, sizeof done) < 0) _exit(32);
		(void)read(toA[0], &c, 1);   /* until killed */
		_exit(33);
	}
	close(rep[1]);
	int reported = 0, ckpt = -99;
	while (next_report(rep[0], &m) == 0) {
		if (m.child == 1 && m.j >= 0) reported++;
		else if (m.child == 1 && m.j == -1) { if (write(toA[1], &c, 1) != 1) break; }
		else if (m.child == 0) { ckpt = m.j; if (write(toB[1], &c, 1) != 1) break; }
		else if (m.child == 1 && m.j == -2) break;
	}
	kill(a, SIGKILL); kill(b, SIGKILL);
	waitpid(a, NULL, 0); waitpid(b, NULL, 0);
	printf("checkpoint by the other process -> %d\n", ckpt);
	printf("reported %d\n", reported);
	DB_ENV *e; DB *db;
	if ((r = open_env(&e, DB_RECOVER)) != 0) { printf("recovered env open -> %d\n", r); return 0; }
	printf("recovered env open -> 0\n");
	if ((r = open_db(e, &db, "b.db")) != 0) { printf("recovered b.db open -> %d\n", r); return 0; }
	for (j = 0; j < 100; j++) {
		snprintf(k, sizeof k, "b-%05d", j);
		present += holds(db, k, "b");
	}
	printf("recovered: %d of %d b.db commits present\n", present, reported);
	printf("recovered closes -> %d\n", db->close(db, 0) | e->close(e, 0));
	return 0;
}

int main(int argc, char **argv)
{
	static int reported[NCHILD][NCOMMIT];
	const char *mode = argc > 2 ? argv[2] : "run";
	int kill_mode = strcmp(mode, "kill") == 0;
	int go[2], rep[2], i, r, total = 0;
	pid_t pids[NCHILD];
	DB_ENV *e; DB *db;
	home = argc > 1 ? argv[1] : "home";
	alarm(300);
	setvbuf(stdout, NULL, _IOLBF, 0);
	mkdir(home, 0777);
	if (strcmp(mode, "ckpt") == 0) {
		if ((r = open_env(&e, 0)) != 0) { printf("create -> %d\n", r); return 1; }
		printf("mode ckpt\ncreate -> %d\n", e->close(e, 0));
		return ckpt_mode();
	}
	printf("mode %s, %d children, %d commits each\n", mode, NCHILD, NCOMMIT);
	if ((r = open_env(&e, 0)) != 0) { printf("create -> %d\n", r); return 1; }
	r = open_db(e, &db, "shared.db");
	if (r == 0) r = db->close(db, 0);
	for (i = 0; i < NCHILD && r == 0; i++) {
		char name[32];
		snprintf(name, sizeof name, "own%d.db", i);
		r = open_db(e, &db, name);
		if (r == 0) r = db->close(db, 0);
	}
	r |= e->close(e, 0);
	printf("create -> %d\n", r);
	if (pipe(go) != 0 || pipe(rep) != 0) return 1;
	for (i = 0; i < NCHILD; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			close(go[1]); close(rep[0]);
			child(i, go[0], rep[1]);
		}
	}
	close(go[0]); close(rep[1]);
	close(go[1]);   /* the barrier opens once every child reads EOF */
	struct report m;
	int killed = 0;
	while (read(rep[0], &m, sizeof m) == sizeof m) {
		if (m.child >= 0 && m.child < NCHILD && m.j >= 0 && m.j < NCOMMIT && !reported[m.child][m.j]) {
			reported[m.child][m.j] = 1;
			total++;
		}
		if (kill_mode && !killed && total >= KILL_AFTER) {
			for (i = 0; i < NCHILD; i++) kill(pids[i], SIGKILL);
			killed = 1;
		}
	}
	close(rep[0]);
	int exits_ok = 0, signalled = 0;
	for (i = 0; i < NCHILD; i++) {
		int st;
		waitpid(pids[i], &st, 0);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0) exits_ok++;
		else if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) signalled++;
		else fprintf(stderr, "child %d status %#x\n", i, st);
	}
	if (kill_mode) {
		/* A child may have finished before the kill: either is fine. */
		printf("children exited or were killed: %d of %d\n", exits_ok + signalled, NCHILD);
		printf("reported at least %d: %s\n", KILL_AFTER, total >= KILL_AFTER ? "yes" : "no");
		check("recovered", reported, total);
	} else {
		printf("children exited 0: %d of %d\n", exits_ok, NCHILD);
		printf("reported %d\n", total);
		check("parent", reported, total);
		check("recovered", reported, total);
	}
	return 0;
}
