/* A process that dies with a transaction open, then recovery. A forked
 * child opens the environment (in its own home directory), commits
 * transactions (DB_TXN_SYNC, and one DB_TXN_WRITE_NOSYNC, which survives a
 * process crash), leaves one transaction open with puts, a delete and an
 * overwrite of committed keys, flushes the log and takes a checkpoint (so
 * the uncommitted changes are in the log and in the data file), and then
 * either
 *   A. calls _exit(0) without closing anything, or
 *   B. tells the parent it is ready (a pipe) and is killed with SIGKILL.
 * The parent waits for it (waitpid; prints how it ended), then
 *  1. reopens the environment without DB_RECOVER: the open succeeds (libdb
 *     does not notice the dead process), but the dead transaction's locks
 *     are still held, so a DB_TXN_NOWAIT transaction's reads of its pages
 *     are refused (DB_LOCK_DEADLOCK) and txn_stat still shows it active;
 *     closes;
 *  2. reopens with DB_RECOVER | DB_CREATE: committed data present,
 *     uncommitted writes undone (deleted key back, overwritten key old);
 *     txn_stat shows nothing active; new transactions work; closes;
 *  3. reopens normally once more and dumps the data.
 * Every process is bounded by alarm(). */
#include "txn_common.h"
#include <signal.h>
#include <sys/wait.h>

static void child(const char *home, int readyfd)
{
	DB_ENV *env;
	DB *db;
	DB_TXN *t;
	DBT k, d;
	int r;

	alarm(30);
	env = openenv(home, TXN_ENV_FLAGS);
	db = opendb(env, NULL, "crash.db", NULL, 0, DB_CREATE | DB_AUTO_COMMIT);
	if (env->txn_begin(env, NULL, &t, DB_TXN_SYNC) != 0) _exit(2);
	k = S("committed1"); d = S("sync"); db->put(db, t, &k, &d, 0);
	k = S("committed2"); d = S("sync"); db->put(db, t, &k, &d, 0);
	k = S("deleted-later"); d = S("sync"); db->put(db, t, &k, &d, 0);
	k = S("overwritten-later"); d = S("old"); db->put(db, t, &k, &d, 0);
	if (t->commit(t, 0) != 0) _exit(3);
	if (env->txn_begin(env, NULL, &t, 0) != 0) _exit(2);
	k = S("committed3"); d = S("sync at commit"); db->put(db, t, &k, &d, 0);
	if (t->commit(t, DB_TXN_SYNC) != 0) _exit(3);
	if (env->txn_begin(env, NULL, &t, DB_TXN_WRITE_NOSYNC) != 0) _exit(2);
	k = S("committed4"); d = S("write nosync"); db->put(db, t, &k, &d, 0);
	if (t->commit(t, 0) != 0) _exit(3);
	/* The transaction left open. */
	if (env->txn_begin(env, NULL, &t, 0) != 0) _exit(2);
	k = S("uncommitted1"); d = S("open"); r = db->put(db, t, &k, &d, 0);
	k = S("uncommitted2"); d = S("open"); r |= db->put(db, t, &k, &d, 0);
	k = S("deleted-later"); r |= db->del(db, t, &k, 0);
	k = S("overwritten-later"); d = S("new, uncommitted"); r |= db->put(db, t, &k, &d, 0);
	if (r != 0) _exit(4);
	/* Make sure the open transaction's log records reach the log file
	 * and its dirty pages reach crash.db, as a busy system would have:
	 * recovery must undo them in the data file. */
	if (env->log_flush(env, NULL) != 0) _exit(5);
	if (env->txn_checkpoint(env, 0, 0, DB_FORCE) != 0) _exit(5);
	if (readyfd >= 0) {
		if (write(readyfd, "r", 1) != 1) _exit(6);
		for (;;) pause();
	}
	_exit(0);
}

static void show_txn_stat(DB_ENV *env)
{
	DB_TXN_STAT *st;
	int r = env->txn_stat(env, &st, 0);
	if (r != 0) { printf("txn_stat -> %s\n", RCS(r)); return; }
	printf("txn_stat: nactive=%u nrestores=%u\n", st->st_nactive, st->st_nrestores);
	free(st);
}

static void after_crash(const char *home)
{
	DB_ENV *env;
	DB *db;
	DB_TXN *t;
	int r;

	printf("-- reopen without DB_RECOVER\n");
	env = mkenv();
	r = env->open(env, home, TXN_ENV_FLAGS, 0644);
	printf("env open -> %s\n", RCS(r));
	if (r == 0) {
		show_txn_stat(env);
		db = mkdb(env);
		r = db->open(db, NULL, "crash.db", NULL, DB_BTREE, DB_AUTO_COMMIT, 0644);
		printf("db open -> %s\n", RCS(r));
		if (r == 0) {
			if (env->txn_begin(env, NULL, &t, DB_TXN_NOWAIT) == 0) {
				/* Keys the dead transaction wrote: its locks
				 * outlive it. (A key it did not touch is
				 * refused by libdb only because libdb locks
				 * whole pages; Tern locks keys, so that probe
				 * is not made here.) */
				tget(db, t, "nowait", "overwritten-later", 0);
				tget(db, t, "nowait", "uncommitted1", 0);
				t->abort(t);
			}
		}
		R(db->close(db, 0));
		R(env->close(env, 0));
	} else
		env->close(env, 0);

	printf("-- reopen with DB_RECOVER\n");
	env = mkenv();
	r = env->open(env, home, TXN_ENV_FLAGS | DB_RECOVER, 0644);
	printf("env open DB_RECOVER -> %s\n", RCS(r));
	if (r != 0) { env->close(env, 0); return; }
	show_txn_stat(env);
	db = opendb(env, NULL, "crash.db", NULL, 0, DB_AUTO_COMMIT);
	tdump(db, NULL, "after recovery");
	tget(db, NULL, "-", "uncommitted1", 0);
	tget(db, NULL, "-", "deleted-later", 0);
	tget(db, NULL, "-", "overwritten-later", 0);
	R(env->txn_begin(env, NULL, &t, DB_TXN_NOWAIT));
	tput(db, t, "t", "uncommitted1", "now committed", DB_NOOVERWRITE);
	R(t->commit(t, 0));
	R(db->close(db, 0));
	R(env->close(env, 0));

	printf("-- reopen normally\n");
	env = openenv(home, TXN_ENV_FLAGS);
	db = opendb(env, NULL, "crash.db", NULL, 0, DB_AUTO_COMMIT);
	tdump(db, NULL, "final");
	R(db->close(db, 0));
	R(env->close(env, 0));
}

static void report(int status)
{
	if (WIFEXITED(status)) printf("child exited with status %d\n", WEXITSTATUS(status));
	else if (WIFSIGNALED(status)) printf("child killed by signal %d%s\n", WTERMSIG(status),
	    WTERMSIG(status) == SIGKILL ? " (SIGKILL)" : "");
	else printf("child ended oddly\n");
}

int main(void)
{
	pid_t pid;
	int status, fds[2];
	char c;

	alarm(50);
	fflush(stdout);

	printf("== A. _exit(0) with a transaction open\n");
	fflush(stdout);
	if ((pid = fork()) == 0) child("exit-home", -1);
	waitpid(pid, &status, 0);
	report(status);
	after_crash("exit-home");

	printf("== B. SIGKILL with a transaction open\n");
	fflush(stdout);
	if (pipe(fds) != 0) { printf("pipe failed\n"); return 1; }
	if ((pid = fork()) == 0) {
		close(fds[0]);
		child("kill-home", fds[1]);
	}
	close(fds[1]);
	if (read(fds[0], &c, 1) == 1) printf("child ready\n");
	else printf("child did not get ready\n");
	close(fds[0]);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	report(status);
	after_crash("kill-home");
	return 0;
}
