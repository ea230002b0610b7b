/* DB_ENV memory-pool and log methods: memp_stat, memp_stat_print, memp_sync,
 * memp_trickle, log_flush, log_archive, log_file, log_stat, log_stat_print,
 * stat_print. Prints only what does not depend on either library's layout:
 * return codes, messages, configuration echoed by the statistics, and the
 * files log_archive lists in deterministic situations. */
#include "env_common.h"
#include <sys/stat.h>
#include <unistd.h>

static int mallocs;
static void *countmalloc(size_t n) { mallocs++; return malloc(n); }

static void codecb(const DB_ENV *e, const char *pfx, const char *msg)
{
	(void)e; (void)pfx;
	printf("  err %.7s\n", msg);
}

static void quietmsg(const DB_ENV *e, const char *m) { (void)e; (void)m; }

static void printlist(const char *label, int r, char **list)
{
	char **p;
	printf("%s -> %d:", label, r);
	if (list == (char **)1) { printf(" untouched\n"); return; }
	if (list == NULL) printf(" NULL");
	else for (p = list; *p != NULL; p++) printf(" %s", *p);
	printf("\n");
	free(list);
}

/* The absolute path of a relative name, as DB_ARCH_ABS lists it. */
static int isabs(const char *listed, const char *rel)
{
	char cwd[4096], want[8192];
	if (getcwd(cwd, sizeof(cwd)) == NULL) return 0;
	snprintf(want, sizeof(want), "%s/%s", cwd, rel);
	return strcmp(listed, want) == 0;
}

static void before_open(void)
{
	DB_ENV *e = mkenv();
	DB_MPOOL_STAT *ms = NULL; DB_MPOOL_FSTAT **fs = NULL; DB_LOG_STAT *ls = NULL;
	char **list = NULL, name[64]; DB_LSN lsn = { 1, 0 }; int n = 7; DB_LOGC *c = NULL;
	printf("before open:\n");
	R(e->memp_stat(e, &ms, &fs, 0));
	R(e->memp_stat_print(e, 0));
	R(e->memp_sync(e, NULL));
	R(e->memp_sync(e, &lsn));
	R(e->memp_trickle(e, 10, &n));
	R(e->log_flush(e, NULL));
	R(e->log_archive(e, &list, 0));
	R(e->log_file(e, &lsn, name, sizeof(name)));
	R(e->log_stat(e, &ls, 0));
	R(e->log_stat_print(e, 0));
	R(e->log_cursor(e, &c, 0));
	R(e->stat_print(e, 0));
	R(e->txn_checkpoint(e, 0, 0, 0));
	e->close(e, 0);
}

static void mpool_only(void)
{
	DB_ENV *e = mkenv();
	DB_MPOOL_STAT *ms = NULL; DB_MPOOL_FSTAT **fs = (DB_MPOOL_FSTAT **)1; DB_LOG_STAT *ls = NULL;
	DB_LSN lsn = { 1, 0 }; int n = 7; char **list = NULL; char name[64];
	printf("mpool only:\n");
	mkdir("m", 0755);
	R(e->set_cachesize(e, 0, 1024 * 1024, 1));
	R(e->open(e, "m", DB_CREATE | DB_INIT_MPOOL, 0));
	R(e->memp_stat(e, &ms, &fs, 0));
	if (ms != NULL) {
		printf("  gbytes %u ncache %u maxopenfd %d maxwrite %d sleep %u mmapsize %lu\n",
		    ms->st_gbytes, ms->st_ncache, ms->st_maxopenfd, ms->st_maxwrite,
		    ms->st_maxwrite_sleep, (unsigned long)ms->st_mmapsize);
		printf("  clean+dirty==pages %d dirty %u\n",
		    ms->st_page_clean + ms->st_page_dirty == ms->st_pages, ms->st_page_dirty);
		free(ms);
	}
	printf("  fstat %s\n", fs == NULL ? "NULL" : "set");
	free(fs == (DB_MPOOL_FSTAT **)1 ? NULL : fs);
	R(e->memp_stat(e, NULL, NULL, 0));
	R(e->memp_stat(e, &ms, NULL, DB_STAT_CLEAR)); free(ms);
	R(e->memp_stat(e, &ms, NULL, DB_STAT_ALL));
	R(e->memp_stat(e, &ms, NULL, 0x7fffffff));
	e->set_msgcall(e, quietmsg);
	R(e->memp_stat_print(e, 0));
	R(e->memp_stat_print(e, DB_STAT_ALL));
	R(e->memp_stat_print(e, DB_STAT_CLEAR));
	R(e->memp_stat_print(e, DB_STAT_ALL | DB_STAT_MEMP_HASH));
	R(e->memp_stat_print(e, DB_STAT_LOCK_CONF));
	R(e->stat_print(e, 0));
	R(e->stat_print(e, DB_STAT_ALL));
	R(e->stat_print(e, DB_STAT_SUBSYSTEM));
	R(e->stat_print(e, DB_STAT_ALL | DB_STAT_SUBSYSTEM));
	R(e->stat_print(e, DB_STAT_MEMP_HASH));
	R(e->memp_sync(e, NULL));
	R(e->memp_sync(e, &lsn));
	n = 7; R(e->memp_trickle(e, 0, &n)); printf("  n %d\n", n);
	n = 7; R(e->memp_trickle(e, 101, &n)); printf("  n %d\n", n);
	n = 7; R(e->memp_trickle(e, -1, &n)); printf("  n %d\n", n);
	n = 7; R(e->memp_trickle(e, 50, &n)); printf("  n %d\n", n);
	R(e->memp_trickle(e, 100, NULL));
	R(e->log_flush(e, NULL));
	R(e->log_archive(e, &list, 0));
	R(e->log_file(e, &lsn, name, sizeof(name)));
	R(e->log_stat(e, &ls, 0));
	R(e->log_stat_print(e, 0));
	R(e->txn_checkpoint(e, 0, 0, 0));
	R(e->close(e, 0));
}

static void with_db(void)
{
	DB_ENV *e = mkenv();
	DB *db; DBT k, d; DB_MPOOL_STAT *ms = NULL; DB_MPOOL_FSTAT **fs = NULL;
	int i, n; char buf[16];
	printf("mpool with a database:\n");
	mkdir("d", 0755);
	R(e->set_cachesize(e, 0, 1024 * 1024, 1));
	R(e->set_alloc(e, countmalloc, realloc, free));
	R(e->open(e, "d", DB_CREATE | DB_INIT_MPOOL, 0));
	R(db_create(&db, e, 0));
	R(db->open(db, NULL, "a.db", NULL, DB_BTREE, DB_CREATE, 0644));
	memset(&k, 0, sizeof(k)); memset(&d, 0, sizeof(d));
	for (i = 0; i < 50; i++) {
		snprintf(buf, sizeof(buf), "key%03d", i);
		k.data = buf; k.size = (u_int32_t)strlen(buf) + 1;
		d.data = buf; d.size = k.size;
		db->put(db, NULL, &k, &d, 0);
	}
	R(e->memp_stat(e, &ms, &fs, 0));
	printf("  dirty>0 %d pages>0 %d\n", ms->st_page_dirty > 0, ms->st_pages > 0);
	free(ms);
	if (fs != NULL) {
		for (i = 0; fs[i] != NULL; i++)
			printf("  file %s pagesize %u\n", fs[i]->file_name, fs[i]->st_pagesize);
		free(fs);
	}
	/* The application's malloc serves the statistics. */
	mallocs = 0;
	R(e->memp_stat(e, &ms, &fs, 0));
	printf("  user mallocs %d\n", mallocs);
	free(ms); free(fs);
	n = -1; R(e->memp_trickle(e, 100, &n)); printf("  wrote>0 %d\n", n > 0);
	R(e->memp_stat(e, &ms, NULL, 0));
	printf("  dirty after trickle 100 %u\n", ms->st_page_dirty);
	free(ms);
	n = -1; R(e->memp_trickle(e, 100, &n)); printf("  n %d\n", n);
	R(db->put(db, NULL, &k, &d, 0));
	R(e->memp_sync(e, NULL));
	R(e->memp_stat(e, &ms, NULL, 0));
	printf("  dirty after sync %u\n", ms->st_page_dirty);
	free(ms);
	R(db->close(db, 0));
	R(e->close(e, 0));
}

static void with_log(void)
{
	DB_ENV *e = mkenv();
	DB_LOG_STAT *ls = NULL; DB_MPOOL_STAT *ms = NULL; char **list = NULL;
	DB_LSN lsn; char name[64]; char small[5]; int r;
	DB *db; DBT k, d;
	printf("log:\n");
	mkdir("l", 0755);
	R(e->set_lg_bsize(e, 64 * 1024));
	R(e->set_lg_max(e, 2 * 1024 * 1024));
	R(e->set_alloc(e, countmalloc, realloc, free));
	R(e->open(e, "l", DB_CREATE | DB_INIT_MPOOL | DB_INIT_LOG | DB_INIT_TXN, 0644));
	R(e->log_stat(e, &ls, 0));
	if (ls != NULL) {
		printf("  bsize %u lg_size %u mode %o\n", ls->st_lg_bsize, ls->st_lg_size, ls->st_mode);
		printf("  cur_file %u\n", ls->st_cur_file);
		free(ls);
	}
	R(e->log_stat(e, &ls, DB_STAT_CLEAR)); free(ls);
	R(e->log_stat(e, &ls, DB_STAT_ALL));
	R(e->log_stat(e, NULL, 0x100000));
	e->set_msgcall(e, quietmsg);
	R(e->log_stat_print(e, 0));
	R(e->log_stat_print(e, DB_STAT_ALL));
	R(e->log_stat_print(e, DB_STAT_MEMP_HASH));
	R(e->stat_print(e, DB_STAT_ALL));

	/* log_file. */
	lsn.file = 1; lsn.offset = 0;
	name[0] = 0; R(e->log_file(e, &lsn, name, sizeof(name))); printf("  name %s\n", name);
	lsn.file = 42; lsn.offset = 7;
	name[0] = 0; R(e->log_file(e, &lsn, name, sizeof(name))); printf("  name %s\n", name);
	R(e->log_file(e, &lsn, small, sizeof(small)));
	R(e->log_file(e, &lsn, name, 14));
	R(e->log_file(e, &lsn, name, 15)); printf("  name %s\n", name);

	/* log_flush. */
	R(e->log_flush(e, NULL));
	lsn.file = 1; lsn.offset = 0; R(e->log_flush(e, &lsn));
	lsn.file = 0; lsn.offset = 0; R(e->log_flush(e, &lsn));

	/* log_archive on a fresh log. */
	list = (char **)1; r = e->log_archive(e, &list, 0); printlist("archive 0", r, list);
	list = (char **)1; r = e->log_archive(e, &list, DB_ARCH_DATA); printlist("archive DATA", r, list);
	list = (char **)1; r = e->log_archive(e, &list, DB_ARCH_REMOVE); printf("archive REMOVE -> %d untouched %d\n", r, list == (char **)1);
	R(e->log_archive(e, NULL, DB_ARCH_REMOVE));
	R(e->log_archive(e, &list, DB_ARCH_REMOVE | DB_ARCH_LOG));
	R(e->log_archive(e, &list, DB_ARCH_REMOVE | DB_ARCH_ABS));
	R(e->log_archive(e, &list, DB_ARCH_DATA | DB_ARCH_LOG));
	R(e->log_archive(e, &list, 0x100));
	R(e->log_archive(e, &list, DB_ARCH_ABS | DB_ARCH_DATA | DB_ARCH_LOG | DB_ARCH_REMOVE));

	/* A database makes the log non-empty in both libraries. */
	R(db_create(&db, e, 0));
	R(db->open(db, NULL, "b.db", NULL, DB_BTREE, DB_CREATE | DB_AUTO_COMMIT, 0644));
	memset(&k, 0, sizeof(k)); memset(&d, 0, sizeof(d));
	k.data = "k"; k.size = 1; d.data = "v"; d.size = 1;
	R(db->put(db, NULL, &k, &d, DB_AUTO_COMMIT));
	R(e->log_flush(e, NULL));
	list = NULL; r = e->log_archive(e, &list, DB_ARCH_DATA); printlist("archive DATA", r, list);
	list = NULL; r = e->log_archive(e, &list, DB_ARCH_DATA | DB_ARCH_ABS);
	printf("archive DATA|ABS -> %d: %s %s\n", r, list && list[0] ? (isabs(list[0], "l/b.db") ? "abs" : list[0]) : "none",
	    list && list[0] && list[1] == NULL ? "one" : "other");
	free(list);
	list = NULL; r = e->log_archive(e, &list, DB_ARCH_LOG); printlist("archive LOG", r, list);
	list = NULL; r = e->log_archive(e, &list, DB_ARCH_LOG | DB_ARCH_ABS);
	printf("archive LOG|ABS -> %d: %s %s\n", r, list && list[0] ? (isabs(list[0], "l/log.0000000001") ? "abs" : list[0]) : "none",
	    list && list[0] && list[1] == NULL ? "one" : "other");
	free(list);
	mallocs = 0;
	list = NULL; r = e->log_archive(e, &list, DB_ARCH_LOG); printlist("archive LOG (user malloc)", r, list);
	printf("  user mallocs %d\n", mallocs);
	list = (char **)1; r = e->log_archive(e, &list, 0); printlist("archive 0", r, list);
	R(e->log_archive(e, NULL, DB_ARCH_REMOVE));
	R(access("l/log.0000000001", F_OK));
	R(e->txn_checkpoint(e, 0, 0, 0));
	R(e->txn_checkpoint(e, 0, 0, DB_FORCE));
	R(e->txn_checkpoint(e, 1, 1, 0));
	R(e->txn_checkpoint(e, 0, 0, 0x7fff));
	list = (char **)1; r = e->log_archive(e, &list, 0); printlist("archive 0 after checkpoint", r, list);
	R(e->memp_sync(e, NULL));
	R(e->log_stat(e, &ls, 0));
	printf("  cur_file %u\n", ls->st_cur_file);
	free(ls);
	lsn.file = 1; lsn.offset = 0;
	R(e->memp_sync(e, &lsn));
	R(e->memp_stat(e, &ms, NULL, 0));
	printf("  dirty after sync %u\n", ms->st_page_dirty);
	free(ms);
	R(db->close(db, 0));
	R(e->close(e, 0));
}

/* A flush past the end of the log panics the environment. */
static void flush_past_end(void)
{
	DB_ENV *e = mkenv();
	DB_LSN lsn = { 9, 100 }; int r;
	printf("flush past end:\n");
	/* The message names each library's own end-of-log offset. */
	e->set_errcall(e, codecb);
	mkdir("p", 0755);
	R(e->open(e, "p", DB_CREATE | DB_INIT_MPOOL | DB_INIT_LOG, 0));
	r = e->log_flush(e, &lsn); printf("flush past end -> %d\n", r);
	e->set_errcall(e, NULL);
	(void)e->close(e, 0);
}

static void in_memory_log(void)
{
	DB_ENV *e = mkenv();
	char **list = NULL, name[64]; DB_LSN lsn = { 1, 0 }; int r;
	printf("in-memory log:\n");
	R(e->log_set_config(e, DB_LOG_IN_MEMORY, 1));
	R(e->open(e, NULL, DB_CREATE | DB_PRIVATE | DB_INIT_MPOOL | DB_INIT_LOG, 0));
	R(e->log_file(e, &lsn, name, sizeof(name)));
	list = (char **)1; r = e->log_archive(e, &list, 0); printlist("archive 0", r, list);
	list = (char **)1; r = e->log_archive(e, &list, DB_ARCH_LOG); printlist("archive LOG", r, list);
	list = (char **)1; r = e->log_archive(e, &list, DB_ARCH_ABS); printlist("archive ABS", r, list);
	R(e->log_flush(e, NULL));
	R(e->log_flush(e, &lsn));
	R(e->close(e, 0));
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	before_open();
	mpool_only();
	with_db();
	with_log();
	in_memory_log();
	flush_past_end();
	return 0;
}
