/* General DB configuration before open: byte order, cache priority,
 * feedback, exclusive locking, partitions, create_dir, the getters libdb
 * refuses before open, get_env, get_mpf and get_transactional. */
#include "config_common.h"

static void myfeedback(DB *db, int op, int pct) { }
static u_int32_t mypart(DB *db, DBT *key) { return 0; }

static void run(DB_ENV *env)
{
	DB *db;
	u_int32_t u;
	int i, j;
	DBTYPE t;
	const char *f, *d, **dirs;
	DB_CACHE_PRIORITY p;
	void (*fb)(DB *, int, int);
	u_int32_t (*cb)(DB *, DBT *);
	DBT keys[3], *kp;
	const char *names[] = { "p1", "p2", NULL };

	if ((db = fresh(env)) == NULL) return;
	printf("get_env matches = %d\n", env == NULL ? db->get_env(db) != NULL : db->get_env(db) == env);
	printf("get_mpf non-null = %d\n", db->get_mpf(db) != NULL);
	printf("get_type = %d\n", db->get_type(db, &t));
	printf("get_dbname = %d\n", db->get_dbname(db, &f, &d));
	printf("get_open_flags = %d\n", db->get_open_flags(db, &u));
	printf("get_byteswapped = %d\n", db->get_byteswapped(db, &i));
	printf("get_multiple = %d\n", db->get_multiple(db));
	printf("get_assoc_flags = %d\n", db->get_assoc_flags(db, &u));
	printf("get_transactional = %d\n", db->get_transactional(db));

	printf("get_lorder = %d ", db->get_lorder(db, &i)); printf("%d\n", i);
	printf("set_lorder(4321) = %d\n", db->set_lorder(db, 4321));
	printf("get_lorder = %d ", db->get_lorder(db, &i)); printf("%d\n", i);
	printf("set_lorder(1) = %d\n", db->set_lorder(db, 1));
	printf("get_lorder = %d ", db->get_lorder(db, &i)); printf("%d\n", i);
	printf("set_lorder(0) = %d\n", db->set_lorder(db, 0));
	printf("get_lorder = %d ", db->get_lorder(db, &i)); printf("%d\n", i);
	printf("set_lorder(4321) = %d\n", db->set_lorder(db, 4321));
	printf("set_lorder(1234) = %d\n", db->set_lorder(db, 1234));
	printf("get_lorder = %d ", db->get_lorder(db, &i)); printf("%d\n", i);

	printf("get_priority = %d ", db->get_priority(db, &p)); printf("%d\n", p);
	printf("set_priority(HIGH) = %d\n", db->set_priority(db, DB_PRIORITY_HIGH));
	printf("get_priority = %d ", db->get_priority(db, &p)); printf("%d\n", p);
	printf("set_priority(99) = %d\n", db->set_priority(db, (DB_CACHE_PRIORITY)99));
	printf("get_priority = %d ", db->get_priority(db, &p)); printf("%d\n", p);
	printf("set_priority(UNCHANGED) = %d\n", db->set_priority(db, DB_PRIORITY_UNCHANGED));
	printf("get_priority = %d ", db->get_priority(db, &p)); printf("%d\n", p);

	fb = myfeedback;
	{ int r_ = db->get_feedback(db, &fb); printf("get_feedback = %d null %d\n", r_, fb == NULL); }
	printf("set_feedback = %d\n", db->set_feedback(db, myfeedback));
	{ int r_ = db->get_feedback(db, &fb); printf("get_feedback = %d custom %d\n", r_, fb == myfeedback); }

	printf("get_lk_exclusive = %d ", db->get_lk_exclusive(db, &i, &j)); printf("%d %d\n", i, j);
	printf("set_lk_exclusive(1) = %d\n", db->set_lk_exclusive(db, 1));
	printf("get_lk_exclusive = %d ", db->get_lk_exclusive(db, &i, &j)); printf("%d %d\n", i, j);
	printf("set_lk_exclusive(0) = %d\n", db->set_lk_exclusive(db, 0));
	printf("get_lk_exclusive = %d ", db->get_lk_exclusive(db, &i, &j)); printf("%d %d\n", i, j);

	f = "x"; { int r_ = db->get_create_dir(db, &f); printf("get_create_dir = %d null %d\n", r_, f == NULL); }
	printf("set_create_dir(nowhere) = %d\n", db->set_create_dir(db, "nowhere"));

	cb = mypart; u = 9;
	printf("get_partition_callback = %d ", db->get_partition_callback(db, &u, &cb));
	printf("%u null %d\n", u, cb == NULL);
	kp = keys; u = 9;
	printf("get_partition_keys = %d ", db->get_partition_keys(db, &u, &kp)); printf("%u null %d\n", u, kp == NULL);
	dirs = names;
	{ int r_ = db->get_partition_dirs(db, &dirs); printf("get_partition_dirs = %d null %d\n", r_, dirs == NULL); }
	memset(keys, 0, sizeof(keys));
	printf("set_partition(1, keys) = %d\n", db->set_partition(db, 1, keys, NULL));
	printf("set_partition(3, none) = %d\n", db->set_partition(db, 3, NULL, NULL));
	printf("set_partition(3, both) = %d\n", db->set_partition(db, 3, keys, mypart));
	printf("set_partition(3, keys) = %d\n", db->set_partition(db, 3, keys, NULL));
	printf("get_partition_keys = %d ", db->get_partition_keys(db, &u, &kp));
	printf("%u offset %d\n", u, (int)(kp - keys));
	printf("get_partition_callback = %d ", db->get_partition_callback(db, &u, &cb));
	printf("%u null %d\n", u, cb == NULL);
	printf("set_partition(2, callback) = %d\n", db->set_partition(db, 2, NULL, mypart));
	printf("set_partition_dirs = %d\n", db->set_partition_dirs(db, names));
	printf("get_partition_dirs = %d ", db->get_partition_dirs(db, &dirs));
	if (dirs == NULL) printf("null\n");
	else { for (i = 0; dirs[i] != NULL; i++) printf("%s ", dirs[i]); printf("copied %d\n", dirs != names); }
	printf("close = %d\n", db->close(db, 0));

	if ((db = fresh(env)) == NULL) return;
	printf("set_partition(2, callback) = %d\n", db->set_partition(db, 2, NULL, mypart));
	printf("get_partition_callback = %d ", db->get_partition_callback(db, &u, &cb));
	printf("%u custom %d\n", u, cb == mypart);
	printf("set_partition(2, keys) = %d\n", db->set_partition(db, 2, keys, NULL));
	printf("get_partition_keys = %d ", db->get_partition_keys(db, &u, &kp)); printf("%u null %d\n", u, kp == NULL);
	printf("close(DB_NOSYNC|1) = %d\n", db->close(db, DB_NOSYNC | 1));
}

int main(void)
{
	return run_without_and_with_env(run, 1);
}
