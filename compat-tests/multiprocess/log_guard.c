/* Tern only: how processes share an environment's log.
 * - While one process has a logged environment open, another process opens
 *   it too (DB_INIT_LOG|DB_INIT_TXN, or flags 0 adopting them), and both
 *   commit through the one log (libdb does the same; mp_log.c compares the
 *   two under load).
 * - An in-memory log (DB_LOG_IN_MEMORY) is kept in one process (its ring
 *   table is process-local in Tern): another process gets EBUSY while that
 *   one has it open, and may open the environment once it has closed.
 * - A process that dies with the log open while a child it forked (without
 *   exec) lives on: the child must not keep the dead process's hold on the
 *   log, or the next opener believes another process is alive (it skips
 *   the crash repair, and here, being "not alone", gets EBUSY for an
 *   in-memory log).
 * Facts on stdout. */
#include <db.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define LOGGED (DB_INIT_MPOOL | DB_INIT_LOG | DB_INIT_TXN | DB_INIT_LOCK)

/* Opens the environment, commits one put into db.db (when `put`), closes. */
static int join(const char *home, u_int32_t flags, int put, int in_memory)
{
	DB_ENV *e;
	DB *db;
	DBT k, d;
	int r;
	db_env_create(&e, 0);
	if (in_memory) e->log_set_config(e, DB_LOG_IN_MEMORY, 1);
	r = e->open(e, home, flags, 0);
	if (r == 0 && put) {
		char key[32];
		snprintf(key, sizeof key, "pid-%d", (int)getpid());
		memset(&k, 0, sizeof k); memset(&d, 0, sizeof d);
		k.data = key; k.size = (u_int32_t)strlen(key);
		d.data = "v"; d.size = 1;
		r = db_create(&db, e, 0);
		if (r == 0) r = db->open(db, NULL, "db.db", NULL, DB_BTREE, DB_CREATE | DB_AUTO_COMMIT, 0644);
		if (r == 0) r = db->put(db, NULL, &k, &d, 0);
		if (r == 0) r = db->close(db, 0);
	}
	int c = e->close(e, 0);
	return r != 0 ? r : c;
}

/* Runs join() in a child process: "0", "EBUSY" or "error". */
static const char *join_elsewhere(const char *home, u_int32_t flags, int put, int in_memory)
{
	int st;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int r = join(home, flags, put, in_memory);
		_exit(r == EBUSY ? 1 : r == 0 ? 0 : 2);
	}
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st)) return "killed";
	return WEXITSTATUS(st) == 0 ? "0" : WEXITSTATUS(st) == 1 ? "EBUSY" : "error";
}

static int count(DB_ENV *e)
{
	DB *db; DBC *c; DBT k, d;
	int n = 0;
	if (db_create(&db, e, 0) != 0) return -1;
	if (db->open(db, NULL, "db.db", NULL, DB_BTREE, DB_AUTO_COMMIT, 0) != 0) { db->close(db, 0); return -1; }
	db->cursor(db, NULL, &c, 0);
	memset(&k, 0, sizeof k); memset(&d, 0, sizeof d);
	while (c->get(c, &k, &d, DB_NEXT) == 0) n++;
	c->close(c);
	db->close(db, 0);
	return n;
}

int main(int argc, char **argv)
{
	const char *home = argc > 1 ? argv[1] : "home";
	char mem[512];
	DB_ENV *e, *e2;
	mkdir(home, 0777);
	db_env_create(&e, 0);
	printf("create -> %d\n", e->open(e, home, DB_CREATE | LOGGED, 0644));
	db_env_create(&e2, 0);
	printf("second handle, same process -> %d\n", e2->open(e2, home, LOGGED, 0));
	printf("second handle close -> %d\n", e2->close(e2, 0));
	printf("other process, logged, commits -> %s\n", join_elsewhere(home, LOGGED, 1, 0));
	printf("other process, flags 0 (adopts the log), commits -> %s\n", join_elsewhere(home, 0, 1, 0));
	printf("this process sees their commits: %d\n", count(e));
	printf("close -> %d\n", e->close(e, 0));
	printf("other process after close -> %s\n", join_elsewhere(home, LOGGED, 0, 0));

	snprintf(mem, sizeof mem, "%s/mem", home);
	mkdir(mem, 0777);
	db_env_create(&e, 0);
	e->log_set_config(e, DB_LOG_IN_MEMORY, 1);
	printf("in-memory log create -> %d\n", e->open(e, mem, DB_CREATE | LOGGED, 0644));
	printf("other process, in-memory log -> %s\n", join_elsewhere(mem, LOGGED, 0, 1));
	printf("other process, log files -> %s\n", join_elsewhere(mem, LOGGED, 0, 0));
	printf("in-memory close -> %d\n", e->close(e, 0));
	printf("other process after close -> %s\n", join_elsewhere(mem, LOGGED, 0, 1));

	char dead[512];
	int keep[2];
	snprintf(dead, sizeof dead, "%s/dead", home);
	mkdir(dead, 0777);
	if (pipe(keep) != 0) return 1;
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		/* Opens the log, forks a child that waits on `keep`, dies. */
		DB_ENV *pe;
		close(keep[1]);
		db_env_create(&pe, 0);
		if (pe->open(pe, dead, DB_CREATE | LOGGED, 0644) != 0) _exit(2);
		if (fork() == 0) {
			char c;
			(void)read(keep[0], &c, 1);
			_exit(0);
		}
		_exit(0);
	}
	close(keep[0]);
	int st;
	waitpid(p, &st, 0);
	printf("process died with the log open, its child lives: exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	db_env_create(&e, 0);
	e->log_set_config(e, DB_LOG_IN_MEMORY, 1);
	printf("next opener is alone (in-memory log) -> %d\n", e->open(e, dead, DB_CREATE | LOGGED, 0644));
	printf("close -> %d\n", e->close(e, 0));
	close(keep[1]);   /* the grandchild exits */
	return 0;
}
