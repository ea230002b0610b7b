/* Tern only (libdb shares its log between processes; Tern's log is not in
 * the region yet): while one process has an environment's log open, another
 * process's DB_ENV->open that would open it fails (EBUSY); a second handle
 * in the same process shares it; once the first process closes, another
 * process may open it. Facts on stdout. */
#include <db.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define LOGGED (DB_INIT_MPOOL | DB_INIT_LOG | DB_INIT_TXN)

static int join(const char *home, u_int32_t flags)
{
	DB_ENV *e;
	int r;
	db_env_create(&e, 0);
	r = e->open(e, home, flags, 0);
	e->close(e, 0);
	return r;
}

/* Runs join() in a child process: its return code. */
static int join_elsewhere(const char *home, u_int32_t flags)
{
	int st;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int r = join(home, flags);
		_exit(r == EBUSY ? 1 : r == 0 ? 0 : 2);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 99;
}

int main(int argc, char **argv)
{
	const char *home = argc > 1 ? argv[1] : "home";
	DB_ENV *e, *e2;
	mkdir(home, 0777);
	db_env_create(&e, 0);
	printf("create -> %d\n", e->open(e, home, DB_CREATE | LOGGED, 0644));
	db_env_create(&e2, 0);
	printf("second handle, same process -> %d\n", e2->open(e2, home, LOGGED, 0));
	printf("second handle close -> %d\n", e2->close(e2, 0));
	printf("other process, logged -> %s\n", join_elsewhere(home, LOGGED) == 1 ? "EBUSY" : "not refused");
	printf("other process, flags 0 (adopts the log) -> %s\n", join_elsewhere(home, 0) == 1 ? "EBUSY" : "not refused");
	printf("close -> %d\n", e->close(e, 0));
	printf("other process after close -> %s\n", join_elsewhere(home, LOGGED) == 0 ? "0" : "refused");
	return 0;
}
