/* DB->truncate (the record count returned, with duplicates, with an open
 * cursor, bad flags), DB->key_range (only layout-independent facts: equal
 * is zero for a missing key and positive for a present one, the three
 * proportions add up to 1, "less" never decreases along the key order) and
 * DB->stat's bt_nkeys / bt_ndata with and without DB_FAST_STAT. */
#include "common.h"

static void fill(DB *db, int n, int dups)
{
	DBT k, d;
	char kb[16], vb[16];
	int i, j;
	for (i = 0; i < n; i++)
		for (j = 0; j < dups; j++) {
			snprintf(kb, sizeof(kb), "key%04d", i);
			snprintf(vb, sizeof(vb), "val%d", j);
			k = S(kb); d = S(vb);
			if (db->put(db, NULL, &k, &d, 0) != 0) printf("put failed\n");
		}
}

static void stat1(DB *db, u_int32_t flags, const char *label)
{
	DB_BTREE_STAT *sp = NULL;
	int r = db->stat(db, NULL, &sp, flags);
	printf("stat %s -> %d", label, r);
	if (r == 0) {
		printf(" nkeys=%u ndata=%u minkey=%u re_len=%u re_pad=%u\n", sp->bt_nkeys,
		    sp->bt_ndata, sp->bt_minkey, sp->bt_re_len, sp->bt_re_pad);
		free(sp);
	} else printf(" (%s)\n", db_strerror(r));
}

static double last_less;

static void range(DB *db, const char *key)
{
	DB_KEY_RANGE kr;
	DBT k = S(key);
	double sum;
	int r = db->key_range(db, NULL, &k, &kr, 0);
	printf("key_range %s -> %d", key, r);
	if (r == 0) {
		sum = kr.less + kr.equal + kr.greater;
		printf(" equal %s, sum %s, less %s\n", kr.equal == 0 ? "zero" : kr.equal > 0 ? "positive" : "negative",
		    (sum - 1.0 < 1e-6 && 1.0 - sum < 1e-6) ? "1" : "not 1",
		    kr.less >= last_less ? "not decreasing" : "DECREASED");
		last_less = kr.less;
	} else printf(" (%s)\n", db_strerror(r));
}

int main(void)
{
	DB *db;
	DBC *c;
	DBT k, d;
	DB_KEY_RANGE kr;
	u_int32_t n;
	int i;
	char kb[16];

	printf("-- truncate\n");
	db = opendb(NULL, NULL, "t.db", NULL, 0, DB_CREATE);
	n = 99; R(db->truncate(db, NULL, &n, 0)); printf("  count %u\n", n);
	fill(db, 250, 1);
	n = 0; R(db->truncate(db, NULL, &n, 0)); printf("  count %u\n", n);
	dump(db, "after truncate");
	fill(db, 3, 1);
	R(db->cursor(db, NULL, &c, 0));
	n = 0; R(db->truncate(db, NULL, &n, 0)); printf("  count %u\n", n);
	R(c->close(c));
	n = 0; R(db->truncate(db, NULL, &n, 0x7777)); printf("  count %u\n", n);
	n = 0; R(db->truncate(db, NULL, &n, 0)); printf("  count %u\n", n);
	R(db->close(db, 0));
	db = opendb(NULL, NULL, "t.db", NULL, 0, 0);
	dump(db, "truncate persisted");
	R(db->close(db, 0));

	db = opendb(NULL, NULL, "dup.db", NULL, DB_DUP, DB_CREATE);
	fill(db, 10, 7);
	n = 0; R(db->truncate(db, NULL, &n, 0)); printf("  count with duplicates %u\n", n);
	R(db->close(db, 0));
	db = opendb(NULL, NULL, "dupsort.db", NULL, DB_DUPSORT, DB_CREATE);
	fill(db, 10, 300);
	n = 0; R(db->truncate(db, NULL, &n, 0)); printf("  count with sorted duplicates %u\n", n);
	R(db->close(db, 0));

	printf("-- key_range\n");
	db = opendb(NULL, NULL, "kr.db", NULL, 0, DB_CREATE);
	k = S("key0001"); R(db->key_range(db, NULL, &k, &kr, 0));
	printf("  empty db: less %s equal %s\n", kr.less == 0 ? "zero" : "nonzero", kr.equal == 0 ? "zero" : "nonzero");
	fill(db, 2000, 1);
	last_less = 0;
	range(db, "a");
	for (i = 0; i < 2000; i += 333) {
		snprintf(kb, sizeof(kb), "key%04d", i);
		range(db, kb);
		snprintf(kb, sizeof(kb), "key%04d+", i);
		range(db, kb);
	}
	range(db, "zzz");
	k = S("key0001"); R(db->key_range(db, NULL, &k, &kr, 0x7777));
	R(db->close(db, 0));

	printf("-- stat\n");
	db = opendb(NULL, NULL, "st.db", NULL, 0, DB_CREATE);
	stat1(db, 0, "empty");
	stat1(db, DB_FAST_STAT, "empty fast");
	fill(db, 500, 1);
	stat1(db, DB_FAST_STAT, "500 fast, before a full stat");
	stat1(db, 0, "500");
	stat1(db, DB_FAST_STAT, "500 fast, after a full stat");
	k = S("key0007"); R(db->del(db, NULL, &k, 0));
	stat1(db, 0, "after del");
	stat1(db, 0x7777, "bad flags");
	R(db->close(db, 0));

	db = opendb(NULL, NULL, "st.db", NULL, 0, 0);
	stat1(db, 0, "reopened");
	R(db->close(db, 0));

	db = mkdb(NULL);
	R(db->set_bt_minkey(db, 5));
	R(db->open(db, NULL, "st2.db", NULL, DB_BTREE, DB_CREATE, 0644));
	fill(db, 20, 3);
	stat1(db, 0, "minkey 5, no dups");
	R(db->close(db, 0));

	db = opendb(NULL, NULL, "st3.db", NULL, DB_DUPSORT, DB_CREATE);
	fill(db, 20, 3);
	stat1(db, 0, "dupsort 20x3");
	fill(db, 1, 200);
	stat1(db, 0, "dupsort + 197 more");
	R(db->close(db, 0));

	db = opendb(NULL, NULL, "st4.db", NULL, DB_RECNUM, DB_CREATE);
	fill(db, 100, 1);
	stat1(db, DB_FAST_STAT, "recnum fast");
	k = S("key0007"); R(db->del(db, NULL, &k, 0));
	stat1(db, DB_FAST_STAT, "recnum fast after del");
	stat1(db, 0, "recnum");
	R(db->close(db, 0));
	return 0;
}
