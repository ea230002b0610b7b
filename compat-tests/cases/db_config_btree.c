/* Btree configuration before open: bt_minkey, the default and custom
 * comparison and prefix routines (the defaults are called to show they
 * order keys as libdb's do), duplicate comparison, compression checks, page
 * size, and the access-method narrowing that Btree calls imply. */
#include "config_common.h"

static int mycmp(DB *db, const DBT *a, const DBT *b) { return 0; }
static int mydup(DB *db, const DBT *a, const DBT *b) { return 0; }
static size_t mypfx(DB *db, const DBT *a, const DBT *b) { return 1; }
static int mycomp(DB *db, const DBT *pk, const DBT *pd, const DBT *k, const DBT *d, DBT *dest) { return 0; }
static int mydecomp(DB *db, const DBT *pk, const DBT *pd, DBT *c, DBT *k, DBT *d) { return 0; }

static DBT dbt(const char *s, u_int32_t n)
{
	DBT d; memset(&d, 0, sizeof(d)); d.data = (void *)s; d.size = n; return d;
}

static void call_defaults(int (*cmp)(DB *, const DBT *, const DBT *),
    size_t (*pfx)(DB *, const DBT *, const DBT *))
{
	const char *k[] = { "", "a", "ab", "abc", "abd", "b", "\xff", "abc\0x" };
	u_int32_t n[] = { 0, 1, 2, 3, 3, 1, 1, 5 };
	int i, j;
	for (i = 0; i < 8; i++)
		for (j = 0; j < 8; j++) {
			DBT a = dbt(k[i], n[i]), b = dbt(k[j], n[j]);
			int c = cmp ? cmp(NULL, &a, &b) : 99;
			printf("%s%d", j ? " " : "", c < 0 ? -1 : c > 0 ? 1 : 0);
			if (pfx) printf("/%zu", pfx(NULL, &a, &b));
			if (j == 7) printf("\n");
		}
}

static void run(DB_ENV *env)
{
	DB *db;
	u_int32_t u, f;
	int (*cmp)(DB *, const DBT *, const DBT *);
	size_t (*pfx)(DB *, const DBT *, const DBT *);
	int (*c1)(DB *, const DBT *, const DBT *, const DBT *, const DBT *, DBT *);
	int (*c2)(DB *, const DBT *, const DBT *, DBT *, DBT *, DBT *);

	db = fresh(env);
	printf("get_bt_minkey = %d ", db->get_bt_minkey(db, &u)); printf("%u\n", u);
	printf("set_bt_minkey(1) = %d\n", db->set_bt_minkey(db, 1));
	printf("set_bt_minkey(0) = %d\n", db->set_bt_minkey(db, 0));
	printf("set_bt_minkey(2) = %d\n", db->set_bt_minkey(db, 2));
	printf("set_bt_minkey(17) = %d\n", db->set_bt_minkey(db, 17));
	printf("get_bt_minkey = %d ", db->get_bt_minkey(db, &u)); printf("%u\n", u);
	cmp = NULL; pfx = NULL;
	{ int r_ = db->get_bt_compare(db, &cmp); printf("get_bt_compare = %d non-null %d\n", r_, cmp != NULL); }
	{ int r_ = db->get_bt_prefix(db, &pfx); printf("get_bt_prefix = %d non-null %d\n", r_, pfx != NULL); }
	printf("default routines:\n");
	call_defaults(cmp, pfx);
	{ int (*again)(DB *, const DBT *, const DBT *) = NULL; int r_ = db->get_bt_compare(db, &again); printf("get_bt_compare again = %d same %d\n", r_, again == cmp); }
	printf("get_dup_compare = %d ", db->get_dup_compare(db, &cmp)); printf("null %d\n", cmp == NULL);
	printf("set_bt_compare(custom) = %d\n", db->set_bt_compare(db, mycmp));
	{ int r_ = db->get_bt_compare(db, &cmp); printf("get_bt_compare = %d custom %d\n", r_, cmp == mycmp); }
	{ int r_ = db->get_bt_prefix(db, &pfx); printf("get_bt_prefix after compare = %d null %d\n", r_, pfx == NULL); }
	printf("set_bt_prefix(custom) = %d\n", db->set_bt_prefix(db, mypfx));
	{ int r_ = db->get_bt_prefix(db, &pfx); printf("get_bt_prefix = %d custom %d\n", r_, pfx == mypfx); }
	printf("set_bt_compare(NULL) = %d\n", db->set_bt_compare(db, NULL));
	{ int r_ = db->get_bt_compare(db, &cmp); printf("get_bt_compare = %d null %d\n", r_, cmp == NULL); }
	printf("set_h_ffactor after btree calls = %d\n", db->set_h_ffactor(db, 5));
	printf("set_re_len after btree calls = %d\n", db->set_re_len(db, 5));
	printf("set_dup_compare = %d\n", db->set_dup_compare(db, mydup));
	{ int r_ = db->get_dup_compare(db, &cmp); printf("get_dup_compare = %d custom %d\n", r_, cmp == mydup); }
	printf("get_flags = %d ", db->get_flags(db, &f)); printf("%#x\n", f);
	printf("set_bt_compress(one) = %d\n", db->set_bt_compress(db, mycomp, NULL));
	printf("set_bt_compress(other) = %d\n", db->set_bt_compress(db, NULL, mydecomp));
	printf("set_bt_compress(both) = %d\n", db->set_bt_compress(db, mycomp, mydecomp));
	c1 = NULL; c2 = NULL;
	printf("get_bt_compress = %d ", db->get_bt_compress(db, &c1, &c2));
	printf("%d %d\n", c1 == mycomp, c2 == mydecomp);
	{ int r_ = db->get_dup_compare(db, &cmp); printf("get_dup_compare compressed = %d custom %d\n", r_, cmp == mydup); }
	printf("set_flags(DB_RECNUM) compressed = %d\n", db->set_flags(db, DB_RECNUM));
	printf("set_dup_compare(NULL) compressed = %d\n", db->set_dup_compare(db, NULL));
	{ int r_ = db->get_dup_compare(db, &cmp); printf("get_dup_compare = %d null %d\n", r_, cmp == NULL); }
	printf("close = %d\n", db->close(db, 0));

	db = fresh(env);
	printf("set_flags(DB_DUPSORT) = %d\n", db->set_flags(db, DB_DUPSORT));
	{ int r_ = db->get_dup_compare(db, &cmp); printf("get_dup_compare default = %d non-null %d\n", r_, cmp != NULL); }
	call_defaults(cmp, NULL);
	printf("close = %d\n", db->close(db, 0));

	db = fresh(env);
	printf("set_bt_compress(both) = %d\n", db->set_bt_compress(db, mycomp, mydecomp));
	printf("set_flags(DB_DUP) compressed = %d\n", db->set_flags(db, DB_DUP));
	printf("set_flags(DB_DUP|DB_DUPSORT) compressed = %d\n", db->set_flags(db, DB_DUP | DB_DUPSORT));
	{ int r_ = db->get_dup_compare(db, &cmp); printf("get_dup_compare = %d non-null %d\n", r_, cmp != NULL); }
	printf("close = %d\n", db->close(db, 0));

	db = fresh(env);
	printf("set_flags(DB_RECNUM) = %d\n", db->set_flags(db, DB_RECNUM));
	printf("set_bt_compress(both) with recnum = %d\n", db->set_bt_compress(db, mycomp, mydecomp));
	printf("close = %d\n", db->close(db, 0));
	db = fresh(env);
	printf("set_flags(DB_DUP) = %d\n", db->set_flags(db, DB_DUP));
	printf("set_bt_compress(both) with dup = %d\n", db->set_bt_compress(db, mycomp, mydecomp));
	printf("close = %d\n", db->close(db, 0));

	db = fresh(env);
	printf("get_pagesize = %d ", db->get_pagesize(db, &u)); printf("%u\n", u);
	printf("set_pagesize(0) = %d\n", db->set_pagesize(db, 0));
	printf("set_pagesize(256) = %d\n", db->set_pagesize(db, 256));
	printf("set_pagesize(511) = %d\n", db->set_pagesize(db, 511));
	printf("set_pagesize(131072) = %d\n", db->set_pagesize(db, 131072));
	printf("set_pagesize(65537) = %d\n", db->set_pagesize(db, 65537));
	printf("set_pagesize(3000) = %d\n", db->set_pagesize(db, 3000));
	printf("set_pagesize(512) = %d\n", db->set_pagesize(db, 512));
	printf("set_pagesize(65536) = %d\n", db->set_pagesize(db, 65536));
	printf("set_pagesize(8192) = %d\n", db->set_pagesize(db, 8192));
	printf("get_pagesize = %d ", db->get_pagesize(db, &u)); printf("%u\n", u);
	/* Hash first, then a Btree-only call. */
	printf("get_h_nelem = %d\n", db->get_h_nelem(db, &u));
	printf("get_bt_minkey after hash = %d\n", db->get_bt_minkey(db, &u));
	printf("set_bt_compare after hash = %d\n", db->set_bt_compare(db, mycmp));
	printf("set_dup_compare on hash = %d\n", db->set_dup_compare(db, mydup));
	printf("close = %d\n", db->close(db, 0));
}

int main(void)
{
	return run_without_and_with_env(run, 1);
}
