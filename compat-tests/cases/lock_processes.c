/* Locks between processes: a child process joins a file-backed
 * environment, blocks on a lock the parent holds until the parent releases
 * it, then the two deadlock across processes and the automatic detector
 * (DB_LOCK_DEFAULT) picks exactly one victim. Children report through their
 * exit status; only the parent prints. Synchronisation is by pipes. */
#include "common.h"
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void wait_byte(int fd) { char c; if (read(fd, &c, 1) != 1) _exit(90); }
static void send_byte(int fd) { char c = 'x'; if (write(fd, &c, 1) != 1) _exit(91); }

/* The child: joins the environment, takes Y, reports, asks for X. */
static int child(int ready_fd, int go_fd)
{
	DB_ENV *e;
	u_int32_t b;
	DB_LOCK lx, ly;
	DBT x = S("X"), y = S("Y");
	int r;

	alarm(30);
	if (db_env_create(&e, 0) != 0) return 80;
	if (e->open(e, "H", DB_INIT_LOCK, 0) != 0) return 81;
	if (e->lock_id(e, &b) != 0) return 82;
	/* Round 1: wait for X, which the parent holds. */
	send_byte(ready_fd);
	r = e->lock_get(e, b, 0, &x, DB_LOCK_WRITE, &lx);
	if (r != 0) return 83;
	if (e->lock_put(e, &lx) != 0) return 84;
	send_byte(ready_fd);
	/* Round 2: hold Y, then ask for X, which the parent holds again. */
	wait_byte(go_fd);
	if (e->lock_get(e, b, 0, &y, DB_LOCK_WRITE, &ly) != 0) return 85;
	send_byte(ready_fd);
	r = e->lock_get(e, b, 0, &x, DB_LOCK_WRITE, &lx);
	{
		DB_LOCKREQ put;
		memset(&put, 0, sizeof(put));
		put.op = DB_LOCK_PUT_ALL;
		(void)e->lock_vec(e, b, 0, &put, 1, NULL);
	}
	(void)e->lock_id_free(e, b);
	(void)e->close(e, 0);
	return r == DB_LOCK_DEADLOCK ? 10 : r == 0 ? 11 : 12;
}

int main(void)
{
	DB_ENV *e;
	u_int32_t a;
	DB_LOCK lx, ly;
	DBT x = S("X"), y = S("Y");
	int ready[2], go[2], status = 0, r;
	pid_t pid;
	DB_LOCK_STAT *st;

	setvbuf(stdout, NULL, _IONBF, 0);
	mkdir("H", 0777);
	e = mkenv();
	R(e->set_lk_detect(e, DB_LOCK_DEFAULT));
	R(e->open(e, "H", DB_CREATE | DB_INIT_LOCK, 0644));
	R(e->lock_id(e, &a));
	R(e->lock_get(e, a, 0, &x, DB_LOCK_WRITE, &lx));
	if (pipe(ready) != 0 || pipe(go) != 0) return 1;
	fflush(stdout);
	if ((pid = fork()) == 0)
		_exit(child(ready[1], go[0]));

	/* Round 1. */
	wait_byte(ready[0]);
	usleep(300000);
	R(e->lock_stat(e, &st, 0));
	printf("child waiting: nlockers=%u nlocks=%u lock_wait=%lu\n", st->st_nlockers, st->st_nlocks,
	    (unsigned long)st->st_lock_wait);
	free(st);
	R(e->lock_put(e, &lx));
	wait_byte(ready[0]);
	printf("child got X after the parent's put\n");

	/* Round 2. */
	R(e->lock_get(e, a, 0, &x, DB_LOCK_WRITE, &lx));
	send_byte(go[1]);
	wait_byte(ready[0]);
	usleep(300000);
	r = e->lock_get(e, a, 0, &y, DB_LOCK_WRITE, &ly);
	printf("parent asks for Y -> %d\n", r);
	if (waitpid(pid, &status, 0) != pid) return 1;
	printf("child exit %d (10: DB_LOCK_DEADLOCK, 11: granted)\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	R(e->lock_stat(e, &st, 0));
	printf("after: nlockers=%u nlocks=%u deadlocks=%lu\n", st->st_nlockers, st->st_nlocks,
	    (unsigned long)st->st_ndeadlocks);
	free(st);
	R(e->close(e, 0));
	return 0;
}
