/* Reopening an environment whose process died with it open. A child writes
 * with DB_AUTO_COMMIT (synchronous commits) to a database and to two named
 * databases in one file, then dies without closing anything (_exit, or
 * SIGKILL); each reopen runs in its own process (DB_REGISTER allows one
 * handle per process, and a refused registration stays in the registry) and
 * prints the open's result, the error-channel text, and what it sees.
 *
 * libdb: a plain open joins the surviving environment and sees every write;
 * DB_RECOVER and DB_RECOVER_FATAL rebuild it from the log; DB_REGISTER finds
 * a dead registered process (or a registry it creates) and demands recovery
 * (DB_RUNRECOVERY) unless DB_RECOVER is given, and a dead registered process
 * panics the environment for every later plain open until recovery. */
#include "env_common.h"
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define BASE (DB_CREATE | DB_INIT_TXN | DB_INIT_LOG | DB_INIT_MPOOL | DB_INIT_LOCK)

static int counter;

static DB *opendb(DB_ENV *e, const char *file, const char *name, u_int32_t flags)
{
	DB *db;
	int r;
	if (db_create(&db, e, 0) != 0) return NULL;
	if (name != NULL && strcmp(name, "y") == 0) db->set_flags(db, DB_DUPSORT);
	if ((r = db->open(db, NULL, file, name, DB_BTREE, flags | DB_AUTO_COMMIT, 0644)) != 0) {
		printf("  open %s/%s -> %d\n", file, name ? name : "-", r);
		db->close(db, 0);
		return NULL;
	}
	return db;
}

static void put(DB *db, const char *key, const char *val)
{
	DBT k, d;
	memset(&k, 0, sizeof(k)); memset(&d, 0, sizeof(d));
	k.data = (void *)key; k.size = (u_int32_t)strlen(key);
	d.data = (void *)val; d.size = (u_int32_t)strlen(val);
	if (db->put(db, NULL, &k, &d, DB_AUTO_COMMIT) != 0) printf("  put failed\n");
}

static void del(DB *db, const char *key)
{
	DBT k;
	memset(&k, 0, sizeof(k));
	k.data = (void *)key; k.size = (u_int32_t)strlen(key);
	if (db->del(db, NULL, &k, DB_AUTO_COMMIT) != 0) printf("  del failed\n");
}

/* The child: opens with `flags`, writes `n` rounds, dies by `how`. */
static void writer(const char *home, u_int32_t flags, int n, int how)
{
	pid_t pid;
	int st;
	fflush(stdout);
	if ((pid = fork()) == 0) {
		DB_ENV *e = mkenv();
		DB *a, *x, *y;
		char key[32], val[32];
		int i;
		if (e->open(e, home, flags, 0) != 0) _exit(2);
		a = opendb(e, "a.db", NULL, DB_CREATE);
		x = opendb(e, "multi.db", "x", DB_CREATE);
		y = opendb(e, "multi.db", "y", DB_CREATE);
		if (a == NULL || x == NULL || y == NULL) _exit(3);
		for (i = 0; i < n; i++) {
			snprintf(key, sizeof(key), "k%04d", counter + i);
			snprintf(val, sizeof(val), "v%d", counter + i);
			put(a, key, val);
			put(x, key, val);
			snprintf(key, sizeof(key), "d%02d", (counter + i) % 7);
			put(y, key, val);
			if (i % 5 == 4) {
				snprintf(key, sizeof(key), "k%04d", counter + i - 2);
				del(a, key);
			}
		}
		if (how == SIGKILL) kill(getpid(), SIGKILL);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	counter += n;
	printf("writer (%s) died: %s\n", flags & DB_REGISTER ? "DB_REGISTER" : "plain",
	    WIFSIGNALED(st) ? "SIGKILL" : WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "_exit(0)" : "setup failed");
}

static int records(DB *db)
{
	DBC *c;
	DBT k, d;
	int n = 0;
	memset(&k, 0, sizeof(k)); memset(&d, 0, sizeof(d));
	if (db->cursor(db, NULL, &c, 0) != 0) return -1;
	while (c->get(c, &k, &d, DB_NEXT) == 0) n++;
	c->close(c);
	return n;
}

/* A reopen in its own process: open's result, then the data. */
static void reopen(const char *label, const char *home, u_int32_t flags)
{
	pid_t pid;
	int st;
	fflush(stdout);
	if ((pid = fork()) == 0) {
		DB_ENV *e = mkenv();
		DB *a, *x, *y;
		int r = e->open(e, home, flags, 0);
		printf("%s: open -> %d\n", label, r);
		if (r == 0) {
			a = opendb(e, "a.db", NULL, 0);
			x = opendb(e, "multi.db", "x", 0);
			y = opendb(e, "multi.db", "y", 0);
			printf("  records: a.db %d, multi.db/x %d, multi.db/y %d\n",
			    a ? records(a) : -1, x ? records(x) : -1, y ? records(y) : -1);
			if (a) a->close(a, 0);
			if (x) x->close(x, 0);
			if (y) y->close(y, 0);
		}
		r = e->close(e, 0);
		if (r != 0) printf("  close -> %d\n", r);
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &st, 0);
}

int main(void)
{
	mkdir("H", 0755);

	writer("H", BASE, 40, 0);
	reopen("plain open after _exit", "H", BASE);
	reopen("plain open again", "H", BASE);

	writer("H", BASE, 30, SIGKILL);
	reopen("DB_RECOVER after SIGKILL", "H", BASE | DB_RECOVER);

	writer("H", BASE, 20, 0);
	reopen("DB_RECOVER_FATAL after _exit", "H", BASE | DB_RECOVER_FATAL);
	reopen("plain open after recovery", "H", BASE);

	/* A registered writer dies. */
	reopen("DB_REGISTER | DB_RECOVER, first registered open", "H", BASE | DB_REGISTER | DB_RECOVER);
	writer("H", BASE | DB_REGISTER, 25, 0);
	reopen("plain open after a registered process died", "H", BASE);
	reopen("DB_REGISTER", "H", BASE | DB_REGISTER);
	reopen("DB_REGISTER again", "H", BASE | DB_REGISTER);
	reopen("plain open of the panicked environment", "H", BASE);
	reopen("DB_REGISTER | DB_RECOVER", "H", BASE | DB_REGISTER | DB_RECOVER);
	reopen("DB_REGISTER after recovery", "H", BASE | DB_REGISTER);
	reopen("DB_REGISTER | DB_RECOVER when nothing died", "H", BASE | DB_REGISTER | DB_RECOVER);

	writer("H", BASE | DB_REGISTER, 10, SIGKILL);
	reopen("DB_REGISTER | DB_RECOVER after SIGKILL", "H", BASE | DB_REGISTER | DB_RECOVER);

	/* A plain writer dies: the registry knows nothing of it. */
	writer("H", BASE, 10, 0);
	reopen("DB_REGISTER after a plain process died", "H", BASE | DB_REGISTER);

	/* A new home: a registry created now means recovery. */
	mkdir("N", 0755);
	reopen("DB_REGISTER in a new home", "N", BASE | DB_REGISTER);
	reopen("DB_REGISTER in a new home, again", "N", BASE | DB_REGISTER);
	reopen("DB_REGISTER | DB_RECOVER in a new home", "N", BASE | DB_REGISTER | DB_RECOVER);
	reopen("DB_REGISTER in the new home now", "N", BASE | DB_REGISTER);
	return 0;
}
