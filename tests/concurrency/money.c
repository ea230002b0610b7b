/*
 * Concurrency test: threads move money between a few accounts in
 * transactions while an auditor thread sums all balances in transactions of
 * its own.
 *
 *   money DIR [-t THREADS] [-n TRANSFERS] [-a ACCOUNTS] [-s SEED]
 *   money -V        prints the library's db_version() string and exits
 *
 * One environment in DIR/home (an empty directory is created):
 * DB_CREATE|DB_INIT_MPOOL|DB_INIT_LOCK|DB_INIT_LOG|DB_INIT_TXN|DB_THREAD,
 * set_lk_detect(DB_LOCK_DEFAULT), one Btree of ACCOUNTS records (default 5)
 * with 512-byte pages and 100-byte values (a balance and a pattern), so the
 * accounts sit on two leaf pages (larger values would move to overflow pages
 * and leave all the accounts on one leaf) and transfers that lock them in
 * different orders deadlock for real (libdb locks Btree pages).
 *
 * Each of THREADS threads (default 8) commits TRANSFERS transfers (default
 * 2000): in a transaction, read two different accounts with DB_RMW, move a
 * random amount no larger than the first balance, write both, commit
 * (DB_TXN_NOSYNC). DB_LOCK_DEADLOCK from any call aborts the transaction and
 * retries the transfer; any other error fails the test. The thread keeps the
 * net effect of its committed transfers on every account.
 *
 * The auditor, until the last transfer thread finished, reads every account
 * in a transaction (alternately with DB->get and with a cursor), retrying on
 * DB_LOCK_DEADLOCK, and checks that the committed snapshot sums to the
 * initial total, has every account and no negative balance.
 *
 * At the end, in a transaction: the total is unchanged, every account equals
 * its initial balance plus the net of every thread's committed transfers (a
 * lost update shows even when it keeps the total), every thread committed
 * its TRANSFERS, the auditor completed at least one audit while transfers
 * ran and never saw a wrong total; then DB->verify (DB_OPNOTSUP counts as
 * skipped). A watchdog fails the run if nothing commits for 60 seconds.
 * Prints the facts; exits 0 if every check passed, 1 otherwise, 2 on a usage
 * or setup error.
 */
#include <db.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_ACCOUNTS 64
#define MAX_THREADS 64
#define VALUE_SIZE 100
#define PAGE_SIZE 512
#define INITIAL_BALANCE 1000
#define STALL_SECONDS 60

static DB_ENV *env;
static DB *db;
static int n_accounts = 5, n_threads = 8;
static long n_transfers = 2000;
static uint64_t seed = 1;
static int64_t initial_total;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int workers_running;
static int failed;                 /* any check failed */
static uint64_t progress;          /* committed transactions, for the watchdog */

struct worker {
	pthread_t tid;
	int id;
	long done;
	long deadlocks;
	int64_t net[MAX_ACCOUNTS];
};

static struct {
	long audits, audits_during, deadlocks, wrong;
	pthread_t tid;
} auditor;

static void failf(const char *fmt, ...)
{
	va_list ap;
	pthread_mutex_lock(&lock);
	failed++;
	if (failed <= 20) {
		va_start(ap, fmt);
		fputs("money: FAIL ", stdout);
		vprintf(fmt, ap);
		putchar('\n');
		fflush(stdout);
		va_end(ap);
	}
	pthread_mutex_unlock(&lock);
}

static void fatal(const char *what, int ret)
{
	printf("money: FAIL %s: %d (%s)\n", what, ret, db_strerror(ret));
	fflush(stdout);
	exit(1);
}

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void account_key(int a, char *buf, size_t size, DBT *k)
{
	snprintf(buf, size, "acct-%02d", a);
	memset(k, 0, sizeof *k);
	k->data = buf;
	k->size = (u_int32_t)strlen(buf);
}

static void make_value(int a, int64_t balance, unsigned char *v)
{
	memcpy(v, &balance, 8);
	memset(v + 8, 'A' + a % 26, VALUE_SIZE - 8);
}

/* The balance in a value read for account a; 0 and a failure if the value
 * is malformed. */
static int64_t balance_of(int a, const DBT *d)
{
	const unsigned char *v = d->data;
	int64_t b;
	u_int32_t i;
	if (d->size != VALUE_SIZE) {
		failf("account %d: value of %u bytes, expected %d", a, d->size, VALUE_SIZE);
		return 0;
	}
	for (i = 8; i < VALUE_SIZE; i++)
		if (v[i] != 'A' + a % 26) {
			failf("account %d: value corrupt at byte %u", a, i);
			return 0;
		}
	memcpy(&b, v, 8);
	return b;
}

/* DB->get of account a into buf (DB_THREAD handles need DB_DBT_USERMEM). */
static int get_account(DB_TXN *txn, int a, u_int32_t flags, unsigned char *buf, int64_t *balance)
{
	char kb[32];
	DBT k, d;
	int ret;
	account_key(a, kb, sizeof kb, &k);
	memset(&d, 0, sizeof d);
	d.data = buf;
	d.ulen = VALUE_SIZE;
	d.flags = DB_DBT_USERMEM;
	if ((ret = db->get(db, txn, &k, &d, flags)) == 0)
		*balance = balance_of(a, &d);
	return ret;
}

static int put_account(DB_TXN *txn, int a, int64_t balance)
{
	char kb[32];
	unsigned char v[VALUE_SIZE];
	DBT k, d;
	account_key(a, kb, sizeof kb, &k);
	make_value(a, balance, v);
	memset(&d, 0, sizeof d);
	d.data = v;
	d.size = VALUE_SIZE;
	return db->put(db, txn, &k, &d, 0);
}

static void note_progress(void)
{
	pthread_mutex_lock(&lock);
	progress++;
	pthread_mutex_unlock(&lock);
}

static void *transfer_thread(void *arg)
{
	struct worker *w = arg;
	uint64_t rng = mix(seed ^ mix((uint64_t)w->id + 100));
	unsigned char buf[VALUE_SIZE];

	while (w->done < n_transfers) {
		int a, b, ret;
		int64_t ba, bb, amount;
		DB_TXN *txn;

		rng = mix(rng);
		a = (int)(rng % (uint64_t)n_accounts);
		b = (int)((rng >> 20) % (uint64_t)(n_accounts - 1));
		if (b >= a)
			b++;
		for (;;) {  /* until this transfer commits */
			if ((ret = env->txn_begin(env, NULL, &txn, 0)) != 0)
				fatal("DB_ENV->txn_begin", ret);
			if ((ret = get_account(txn, a, DB_RMW, buf, &ba)) != 0 ||
			    (ret = get_account(txn, b, DB_RMW, buf, &bb)) != 0)
				goto undo;
			if (ba < 0 || bb < 0)
				failf("thread %d read a negative balance: account %d %lld, account %d %lld",
				    w->id, a, (long long)ba, b, (long long)bb);
			amount = ba > 0 ? (int64_t)((rng >> 40) % (uint64_t)(ba + 1)) : 0;
			if ((ret = put_account(txn, a, ba - amount)) != 0 ||
			    (ret = put_account(txn, b, bb + amount)) != 0)
				goto undo;
			if ((ret = txn->commit(txn, DB_TXN_NOSYNC)) != 0)
				fatal("DB_TXN->commit (transfer)", ret);
			w->net[a] -= amount;
			w->net[b] += amount;
			w->done++;
			note_progress();
			break;
		undo:
			if (ret != DB_LOCK_DEADLOCK) {
				printf("money: FAIL thread %d transfer %ld: %d (%s)\n", w->id, w->done, ret, db_strerror(ret));
				fflush(stdout);
				exit(1);
			}
			w->deadlocks++;
			if ((ret = txn->abort(txn)) != 0)
				fatal("DB_TXN->abort", ret);
		}
	}
	pthread_mutex_lock(&lock);
	workers_running--;
	pthread_cond_broadcast(&changed);
	pthread_mutex_unlock(&lock);
	return NULL;
}

/* One audit: reads every account in one transaction. Returns 0 (with the
 * balances), DB_LOCK_DEADLOCK, or fails the test. */
static int audit_once(int use_cursor, int64_t *balances, const char *who)
{
	DB_TXN *txn;
	unsigned char buf[VALUE_SIZE];
	int seen[MAX_ACCOUNTS], a, ret, n = 0;

	memset(seen, 0, sizeof seen);
	if ((ret = env->txn_begin(env, NULL, &txn, 0)) != 0)
		fatal("DB_ENV->txn_begin (audit)", ret);
	if (!use_cursor) {
		for (a = 0; a < n_accounts; a++) {
			if ((ret = get_account(txn, a, 0, buf, &balances[a])) != 0)
				goto done;
			seen[a] = 1;
			n++;
		}
	} else {
		DBC *c;
		DBT k, d;
		char kb[32];
		int cret;
		if ((ret = db->cursor(db, txn, &c, 0)) != 0)
			goto done;
		memset(&k, 0, sizeof k);
		memset(&d, 0, sizeof d);
		k.data = kb;
		k.ulen = sizeof kb - 1;
		k.flags = DB_DBT_USERMEM;
		d.data = buf;
		d.ulen = VALUE_SIZE;
		d.flags = DB_DBT_USERMEM;
		while ((ret = c->get(c, &k, &d, DB_NEXT)) == 0) {
			kb[k.size] = '\0';
			if (sscanf(kb, "acct-%d", &a) != 1 || a < 0 || a >= n_accounts || seen[a]) {
				failf("%s: unexpected or repeated key '%s'", who, kb);
				continue;
			}
			seen[a] = 1;
			n++;
			balances[a] = balance_of(a, &d);
		}
		if (ret == DB_NOTFOUND)
			ret = 0;
		if ((cret = c->close(c)) != 0 && ret == 0)
			ret = cret;
	}
done:
	if (ret != 0) {
		int aret = txn->abort(txn);
		if (aret != 0)
			fatal("DB_TXN->abort (audit)", aret);
		if (ret != DB_LOCK_DEADLOCK)
			fatal(use_cursor ? "audit with a cursor" : "audit with DB->get", ret);
		return ret;
	}
	if ((ret = txn->commit(txn, 0)) != 0)
		fatal("DB_TXN->commit (audit)", ret);
	if (n != n_accounts)
		failf("%s saw %d of %d accounts", who, n, n_accounts);
	return 0;
}

static void *auditor_thread(void *arg)
{
	int64_t balances[MAX_ACCOUNTS];
	(void)arg;
	for (;;) {
		int running, a, ret;
		int64_t sum = 0;
		pthread_mutex_lock(&lock);
		running = workers_running;
		pthread_mutex_unlock(&lock);
		if (!running)
			break;
		ret = audit_once(auditor.audits % 2 == 1, balances, "auditor");
		if (ret == DB_LOCK_DEADLOCK) {
			auditor.deadlocks++;
			continue;
		}
		for (a = 0; a < n_accounts; a++) {
			sum += balances[a];
			if (balances[a] < 0)
				failf("auditor saw account %d at %lld", a, (long long)balances[a]);
		}
		if (sum != initial_total) {
			auditor.wrong++;
			failf("auditor saw a total of %lld, expected %lld", (long long)sum, (long long)initial_total);
		}
		auditor.audits++;
		pthread_mutex_lock(&lock);
		if (workers_running)
			auditor.audits_during++;
		progress++;
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static void usage(void)
{
	fprintf(stderr, "usage: money DIR [-t THREADS] [-n TRANSFERS] [-a ACCOUNTS] [-s SEED]\n"
	    "       money -V\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static struct worker workers[MAX_THREADS];
	int64_t balances[MAX_ACCOUNTS], expected[MAX_ACCOUNTS], total = 0;
	char home[4096];
	struct timespec t0, t1;
	long transfers_done = 0, deadlocks = 0;
	uint64_t last_progress = 0;
	time_t last_change;
	DB_TXN *txn;
	DB *v;
	int opt, i, a, ret;
	char *end;
	const char *dir;

	while ((opt = getopt(argc, argv, "t:n:a:s:V")) != -1) {
		switch (opt) {
		case 't': n_threads = (int)strtol(optarg, &end, 10); if (*end) usage(); break;
		case 'n': n_transfers = strtol(optarg, &end, 10); if (*end) usage(); break;
		case 'a': n_accounts = (int)strtol(optarg, &end, 10); if (*end) usage(); break;
		case 's': seed = strtoull(optarg, &end, 0); if (*end) usage(); break;
		case 'V': printf("%s\n", db_version(NULL, NULL, NULL)); return 0;
		default: usage();
		}
	}
	if (optind != argc - 1 || n_threads < 1 || n_threads > MAX_THREADS || n_transfers < 1 ||
	    n_accounts < 2 || n_accounts > MAX_ACCOUNTS)
		usage();
	dir = argv[optind];
	snprintf(home, sizeof home, "%s/home", dir);
	if ((mkdir(dir, 0755) != 0 && errno != EEXIST) || mkdir(home, 0755) != 0) {
		fprintf(stderr, "money: cannot create %s (it must not exist yet): %s\n", home, strerror(errno));
		return 2;
	}
	printf("money: %s; %d threads x %ld transfers over %d accounts, seed %llu\n",
	    db_version(NULL, NULL, NULL), n_threads, n_transfers, n_accounts, (unsigned long long)seed);
	fflush(stdout);

	if ((ret = db_env_create(&env, 0)) != 0)
		fatal("db_env_create", ret);
	env->set_errfile(env, stdout);
	env->set_errpfx(env, "money");
	if ((ret = env->set_lk_detect(env, DB_LOCK_DEFAULT)) != 0)
		fatal("DB_ENV->set_lk_detect(DB_LOCK_DEFAULT)", ret);
	if ((ret = env->open(env, home, DB_CREATE | DB_INIT_MPOOL | DB_INIT_LOCK | DB_INIT_LOG |
	    DB_INIT_TXN | DB_THREAD, 0644)) != 0)
		fatal("DB_ENV->open", ret);
	if ((ret = db_create(&db, env, 0)) != 0)
		fatal("db_create", ret);
	if ((ret = db->set_pagesize(db, PAGE_SIZE)) != 0)
		fatal("DB->set_pagesize", ret);
	if ((ret = db->open(db, NULL, "money.db", NULL, DB_BTREE,
	    DB_CREATE | DB_AUTO_COMMIT | DB_THREAD, 0644)) != 0)
		fatal("DB->open", ret);

	if ((ret = env->txn_begin(env, NULL, &txn, 0)) != 0)
		fatal("DB_ENV->txn_begin (setup)", ret);
	for (a = 0; a < n_accounts; a++) {
		if ((ret = put_account(txn, a, INITIAL_BALANCE)) != 0)
			fatal("DB->put (setup)", ret);
		initial_total += INITIAL_BALANCE;
	}
	if ((ret = txn->commit(txn, 0)) != 0)
		fatal("DB_TXN->commit (setup)", ret);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	workers_running = n_threads;
	for (i = 0; i < n_threads; i++) {
		workers[i].id = i;
		if ((ret = pthread_create(&workers[i].tid, NULL, transfer_thread, &workers[i])) != 0) {
			fprintf(stderr, "money: pthread_create: %s\n", strerror(ret));
			return 2;
		}
	}
	if ((ret = pthread_create(&auditor.tid, NULL, auditor_thread, NULL)) != 0) {
		fprintf(stderr, "money: pthread_create: %s\n", strerror(ret));
		return 2;
	}
	/* Watchdog: wait for the transfer threads to finish, failing the run
	 * if nothing commits for STALL_SECONDS (a hang, e.g. an undetected
	 * deadlock). */
	last_change = time(NULL);
	pthread_mutex_lock(&lock);
	while (workers_running > 0) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		pthread_cond_timedwait(&changed, &lock, &until);
		if (progress != last_progress) {
			last_progress = progress;
			last_change = time(NULL);
		} else if (time(NULL) - last_change >= STALL_SECONDS) {
			printf("money: FAIL no transaction committed for %d seconds (%d threads still running, "
			    "%llu commits so far): hung\n", STALL_SECONDS, workers_running, (unsigned long long)progress);
			fflush(stdout);
			_exit(1);
		}
	}
	pthread_mutex_unlock(&lock);
	for (i = 0; i < n_threads; i++)
		pthread_join(workers[i].tid, NULL);
	pthread_join(auditor.tid, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);

	/* The final state. */
	for (a = 0; a < n_accounts; a++)
		expected[a] = INITIAL_BALANCE;
	for (i = 0; i < n_threads; i++) {
		transfers_done += workers[i].done;
		deadlocks += workers[i].deadlocks;
		if (workers[i].done != n_transfers)
			failf("thread %d committed %ld of %ld transfers", i, workers[i].done, n_transfers);
		for (a = 0; a < n_accounts; a++)
			expected[a] += workers[i].net[a];
	}
	while ((ret = audit_once(0, balances, "final audit")) == DB_LOCK_DEADLOCK)
		;
	for (a = 0; a < n_accounts; a++) {
		total += balances[a];
		if (balances[a] != expected[a])
			failf("account %d holds %lld, its committed transfers give %lld (lost update)",
			    a, (long long)balances[a], (long long)expected[a]);
	}
	if (total != initial_total)
		failf("final total %lld, initial %lld", (long long)total, (long long)initial_total);
	if (auditor.audits_during == 0)
		failf("the auditor completed no audit while transfers ran");

	printf("money: %ld of %ld transfers committed (%ld per thread), %ld deadlock retries, %.2f s\n",
	    transfers_done, (long)n_threads * n_transfers, n_transfers, deadlocks,
	    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	printf("money: total %lld (initial %lld), balances", (long long)total, (long long)initial_total);
	for (a = 0; a < n_accounts; a++)
		printf(" %lld", (long long)balances[a]);
	printf("; every account matches the committed transfers: %s\n", failed ? "see failures" : "yes");
	printf("money: auditor: %ld audits (%ld while transfers ran), %ld saw a wrong total, %ld deadlock retries\n",
	    auditor.audits, auditor.audits_during, auditor.wrong, auditor.deadlocks);

	if ((ret = db->close(db, 0)) != 0)
		failf("DB->close: %d (%s)", ret, db_strerror(ret));
	if ((ret = db_create(&v, env, 0)) != 0)
		fatal("db_create (verify)", ret);
	ret = v->verify(v, "money.db", NULL, NULL, 0);
	if (ret == 0)
		printf("money: DB->verify ok\n");
	else if (ret == EOPNOTSUPP)  /* DB_OPNOTSUP, 95 */
		printf("money: DB->verify skipped (DB_OPNOTSUP: not supported by this library)\n");
	else
		failf("DB->verify: %d (%s)", ret, db_strerror(ret));
	if ((ret = env->close(env, 0)) != 0)
		failf("DB_ENV->close: %d (%s)", ret, db_strerror(ret));
	printf("money: %s\n", failed ? "FAILED" : "passed");
	return failed ? 1 : 0;
}
