/* txn_checkpoint and log_archive in a transactional environment written with
 * DB_AUTO_COMMIT only: whether a checkpoint happens (does the log grow?)
 * under libdb's kbyte / min / DB_FORCE / nothing-logged rules, and what
 * log_archive lists and removes with each flag once checkpoints exist.
 *
 * Log records differ in size between the libraries, so the number of log
 * files differs: the case prints how the lists relate (every file but the
 * one holding the checkpoint, all files, the same names as DB_ARCH_LOG,
 * absolute under the cwd) rather than the names themselves, except where
 * they are deterministic (database files, the single file left after
 * DB_ARCH_REMOVE relative to what was listed). */
#include "env_common.h"
#include <sys/stat.h>
#include <unistd.h>

#define BASE (DB_CREATE | DB_INIT_TXN | DB_INIT_LOG | DB_INIT_MPOOL | DB_INIT_LOCK)

static DB_ENV *env;

static int count(char **list) { int n = 0; if (list) while (list[n]) n++; return n; }

/* Prints the return code, and how many names unless the count depends on
 * how many log files the library's record sizes made (label ending in '*'). */
static char **arch(const char *label, u_int32_t flags, int *rc)
{
	char **list = NULL;
	size_t n = strlen(label);
	*rc = env->log_archive(env, &list, flags);
	if (n > 0 && label[n - 1] == '*')
		printf("%.*s -> %d, %s\n", (int)(n - 1), label, *rc, count(list) > 0 ? "some names" : "no names");
	else
		printf("%s -> %d, %d names\n", label, *rc, count(list));
	return list;
}

static DB_LSN current(void)
{
	DB_LOG_STAT *s = NULL;
	DB_LSN l = {0, 0};
	if (env->log_stat(env, &s, 0) == 0) { l.file = s->st_cur_file; l.offset = s->st_cur_offset; free(s); }
	return l;
}

static void ckp(const char *label, u_int32_t kb, u_int32_t min, u_int32_t flags)
{
	DB_LSN a = current(), b;
	int r = env->txn_checkpoint(env, kb, min, flags);
	b = current();
	printf("txn_checkpoint(%s) -> %d, checkpointed: %s\n", label, r,
	    (a.file != b.file || a.offset != b.offset) ? "yes" : "no");
}

static int exists(const char *path) { struct stat st; return stat(path, &st) == 0; }

static void fill(DB *a, DB *b, int from, int to)
{
	char key[16], val[200];
	DBT k, d;
	int i;
	memset(val, 'v', sizeof(val));
	for (i = from; i < to; i++) {
		memset(&k, 0, sizeof(k)); memset(&d, 0, sizeof(d));
		snprintf(key, sizeof(key), "k%05d", i);
		k.data = key; k.size = 6; d.data = val; d.size = sizeof(val);
		if ((i % 2 ? a : b)->put(i % 2 ? a : b, NULL, &k, &d, DB_AUTO_COMMIT) != 0) printf("put failed\n");
	}
}

static int records(DB *db)
{
	DBC *c; DBT k, d; int n = 0;
	memset(&k, 0, sizeof(k)); memset(&d, 0, sizeof(d));
	if (db->cursor(db, NULL, &c, 0) != 0) return -1;
	while (c->get(c, &k, &d, DB_NEXT) == 0) n++;
	c->close(c);
	return n;
}

int main(void)
{
	DB *a, *b;
	char **all, **unneeded, **abs, **p, cwd[4096], want[8192], last[64];
	int r, i, n, ok;

	mkdir("H", 0755);
	env = mkenv();
	R(env->set_lg_bsize(env, 16 * 1024));
	R(env->set_lg_max(env, 64 * 1024));
	R(env->open(env, "H", BASE, 0));

	/* A new environment: no checkpoint record, nothing on disk yet. */
	free(arch("archive(0), new env", 0, &r));
	free(arch("archive(DB_ARCH_LOG), new env", DB_ARCH_LOG, &r));
	free(arch("archive(DB_ARCH_DATA), new env", DB_ARCH_DATA, &r));
	ckp("0,0,0 in a new environment", 0, 0, 0);
	ckp("0,0,0 with nothing logged since", 0, 0, 0);
	ckp("DB_FORCE", 0, 0, DB_FORCE);
	free(arch("archive(0) after checkpoints of an empty log", 0, &r));

	R(db_create(&a, env, 0));
	R(db_create(&b, env, 0));
	R(a->open(a, NULL, "a.db", NULL, DB_BTREE, DB_CREATE | DB_AUTO_COMMIT, 0644));
	R(b->open(b, NULL, "b.db", NULL, DB_BTREE, DB_CREATE | DB_AUTO_COMMIT, 0644));
	all = arch("archive(DB_ARCH_DATA)", DB_ARCH_DATA, &r);
	for (p = all; p && *p; p++) printf("  %s\n", *p);
	free(all);

	fill(a, b, 0, 1000);
	free(arch("archive(0) before any checkpoint of the data", 0, &r));
	all = arch("archive(DB_ARCH_LOG)*", DB_ARCH_LOG, &r);
	printf("several log files: %s\n", count(all) >= 3 ? "yes" : "no");
	free(all);

	ckp("kbytes 100000", 100000, 0, 0);
	ckp("min 1", 0, 1, 0);
	ckp("kbytes 1", 1, 0, 0);
	ckp("0,0,0 again", 0, 0, 0);
	ckp("kbytes 1 again", 1, 0, 0);
	ckp("DB_FORCE again", 0, 0, DB_FORCE);

	all = arch("archive(DB_ARCH_LOG)*", DB_ARCH_LOG, &r);
	unneeded = arch("archive(0)*", 0, &r);
	n = count(all);
	ok = count(unneeded) == n - 1;
	for (i = 0; ok && i < n - 1; i++) ok = strcmp(all[i], unneeded[i]) == 0;
	printf("archive(0) lists every log file but the last, in order: %s\n", ok ? "yes" : "no");
	snprintf(last, sizeof(last), "%s", n > 0 ? all[n - 1] : "");

	abs = arch("archive(DB_ARCH_ABS)*", DB_ARCH_ABS, &r);
	ok = count(abs) == count(unneeded) && getcwd(cwd, sizeof(cwd)) != NULL;
	for (i = 0; ok && i < count(abs); i++) {
		snprintf(want, sizeof(want), "%s/H/%s", cwd, unneeded[i]);
		ok = strcmp(abs[i], want) == 0;
	}
	printf("DB_ARCH_ABS names the same files under the cwd: %s\n", ok ? "yes" : "no");
	free(abs);
	abs = arch("archive(DB_ARCH_LOG | DB_ARCH_ABS)*", DB_ARCH_LOG | DB_ARCH_ABS, &r);
	printf("as many as DB_ARCH_LOG: %s\n", count(abs) == n ? "yes" : "no");
	free(abs);
	abs = arch("archive(DB_ARCH_DATA | DB_ARCH_ABS)", DB_ARCH_DATA | DB_ARCH_ABS, &r);
	for (p = abs; p && *p; p++) {
		snprintf(want, sizeof(want), "%s/H/", cwd);
		printf("  <cwd>/H/%s\n", strncmp(*p, want, strlen(want)) == 0 ? *p + strlen(want) : *p);
	}
	free(abs);

	/* Flag checks. */
	free(arch("archive(DB_ARCH_DATA | DB_ARCH_LOG)", DB_ARCH_DATA | DB_ARCH_LOG, &r));
	free(arch("archive(DB_ARCH_REMOVE | DB_ARCH_ABS)", DB_ARCH_REMOVE | DB_ARCH_ABS, &r));
	free(arch("archive(DB_ARCH_REMOVE | DB_ARCH_LOG)", DB_ARCH_REMOVE | DB_ARCH_LOG, &r));
	free(arch("archive(0x100)", 0x100, &r));

	/* Remove: exactly what archive(0) listed goes. */
	R(env->log_archive(env, NULL, DB_ARCH_REMOVE));
	ok = 1;
	for (i = 0; i < count(unneeded); i++) {
		snprintf(want, sizeof(want), "H/%s", unneeded[i]);
		if (exists(want)) ok = 0;
	}
	snprintf(want, sizeof(want), "H/%s", last);
	printf("removed every listed file, kept the last: %s\n", ok && exists(want) ? "yes" : "no");
	free(all);
	free(unneeded);
	all = arch("archive(DB_ARCH_LOG) after remove", DB_ARCH_LOG, &r);
	printf("the one left is the last: %s\n", count(all) == 1 && strcmp(all[0], last) == 0 ? "yes" : "no");
	free(all);
	free(arch("archive(0) after remove", 0, &r));
	all = arch("archive(DB_ARCH_DATA) after remove", DB_ARCH_DATA, &r);
	for (p = all; p && *p; p++) printf("  %s\n", *p);
	free(all);

	/* More log after the checkpoint, then a sync and a clean close. */
	fill(a, b, 1000, 1200);
	R(a->sync(a, 0));
	R(a->close(a, 0));
	R(b->close(b, 0));
	R(env->close(env, 0));

	/* Reopen: the data, then recovery of a cleanly closed environment. */
	env = mkenv();
	R(env->open(env, "H", BASE | DB_RECOVER, 0));
	R(db_create(&a, env, 0));
	R(a->open(a, NULL, "a.db", NULL, DB_BTREE, DB_AUTO_COMMIT, 0));
	printf("a.db records: %d\n", records(a));
	R(a->close(a, 0));
	ckp("0,0,0 after recovery", 0, 0, 0);
	ckp("0,0,0 once more", 0, 0, 0);
	all = arch("archive(DB_ARCH_LOG)*", DB_ARCH_LOG, &r);
	unneeded = arch("archive(0)*", 0, &r);
	printf("archive(0) lists every log file but the last: %s\n", count(unneeded) == count(all) - 1 ? "yes" : "no");
	free(all);
	free(unneeded);
	R(env->close(env, 0));
	return 0;
}
