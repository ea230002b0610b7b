/* Application comparison functions: a reverse key order (set_bt_compare),
 * a numeric order on native integer keys, a case-insensitive order (which
 * key spelling is stored and returned: with an application comparator
 * DB_SET and DB_GET_BOTH hand back the stored key and data), a reverse duplicate order
 * (set_dup_compare) with DB_DUPSORT, and the cursor searches under them. */
#include "common.h"
#include <ctype.h>

static int bytecmp(const DBT *a, const DBT *b)
{
	u_int32_t n = a->size < b->size ? a->size : b->size;
	int c = n ? memcmp(a->data, b->data, n) : 0;
	if (c != 0) return c;
	return a->size < b->size ? -1 : a->size > b->size ? 1 : 0;
}
static int reverse(DB *db, const DBT *a, const DBT *b) { (void)db; return bytecmp(b, a); }
static int numeric(DB *db, const DBT *a, const DBT *b)
{
	int x, y;
	(void)db;
	memcpy(&x, a->data, sizeof(int));
	memcpy(&y, b->data, sizeof(int));
	return x < y ? -1 : x > y ? 1 : 0;
}
static int nocase(DB *db, const DBT *a, const DBT *b)
{
	u_int32_t i, n = a->size < b->size ? a->size : b->size;
	(void)db;
	for (i = 0; i < n; i++) {
		int x = tolower(((unsigned char *)a->data)[i]), y = tolower(((unsigned char *)b->data)[i]);
		if (x != y) return x - y;
	}
	return a->size < b->size ? -1 : a->size > b->size ? 1 : 0;
}

static void put1(DB *db, const char *key, const char *val, u_int32_t flags)
{
	DBT k = S(key), d = S(val);
	int r = db->put(db, NULL, &k, &d, flags);
	printf("put %s/%s: ", key, val);
	show_rc("put", r);
}

static DB *withcmp(const char *file, u_int32_t setflags,
    int (*kc)(DB *, const DBT *, const DBT *), int (*dc)(DB *, const DBT *, const DBT *),
    u_int32_t oflags)
{
	DB *db = mkdb(NULL);
	if (setflags) R(db->set_flags(db, setflags));
	if (kc) R(db->set_bt_compare(db, kc));
	if (dc) R(db->set_dup_compare(db, dc));
	R(db->open(db, NULL, file, NULL, DB_BTREE, oflags, 0644));
	return db;
}

int main(void)
{
	DB *db;
	DBC *c;
	DBT k, d;
	int i, r, n;
	const char *words[] = { "pear", "apple", "fig", "banana", "cherry", "date", "", "applesauce" };

	printf("-- reverse key order\n");
	db = withcmp("rev.db", 0, reverse, NULL, DB_CREATE);
	for (i = 0; i < 8; i++) put1(db, words[i], "x", 0);
	dump(db, "reverse");
	R(db->cursor(db, NULL, &c, 0));
	CG(c, DB_SET_RANGE, "c", NULL);
	CG(c, DB_SET_RANGE, "zzz", NULL);
	CG(c, DB_SET_RANGE, "", NULL);
	CG(c, DB_SET_RANGE, "apple", NULL);
	CG(c, DB_SET_RANGE, "a", NULL);
	CG(c, DB_FIRST, NULL, NULL);
	CG(c, DB_LAST, NULL, NULL);
	CG(c, DB_PREV, NULL, NULL);
	R(c->close(c));
	R(db->close(db, 0));
	printf("-- reopened with the same comparator\n");
	db = withcmp("rev.db", 0, reverse, NULL, 0);
	put1(db, "grape", "y", 0);
	dump(db, "reverse reopened");
	R(db->close(db, 0));

	printf("-- numeric keys\n");
	db = withcmp("num.db", DB_RECNUM, numeric, NULL, DB_CREATE);
	{
		int keys[] = { 300, -5, 42, 7, 1000000, 0, -70000, 8 };
		char v[16];
		for (i = 0; i < 8; i++) {
			snprintf(v, sizeof(v), "n%d", keys[i]);
			k = B(&keys[i], sizeof(int)); d = S(v);
			if ((r = db->put(db, NULL, &k, &d, 0)) != 0) printf("put -> %d\n", r);
		}
	}
	R(db->cursor(db, NULL, &c, 0));
	n = 0; k = Z(); d = Z();
	while ((r = c->get(c, &k, &d, DB_NEXT)) == 0) {
		int x;
		memcpy(&x, k.data, sizeof(int));
		printf("  %d -> ", x); pbytes(d.data, d.size); printf("\n");
	}
	{
		int probe = 10;
		k = B(&probe, sizeof(int)); d = Z();
		R(c->get(c, &k, &d, DB_SET_RANGE)); pdbt("  data", &d); printf("\n");
		CGETRECNO(c);
		CSETRECNO(c, 2);
	}
	R(c->close(c));
	R(db->close(db, 0));

	printf("-- case-insensitive keys\n");
	db = withcmp("nocase.db", 0, nocase, NULL, DB_CREATE);
	put1(db, "Apple", "1", 0);
	put1(db, "APPLE", "2", DB_NOOVERWRITE);
	put1(db, "apple", "3", 0);
	put1(db, "Banana", "4", 0);
	put1(db, "avocado", "5", 0);
	dump(db, "nocase");
	k = S("aPPLE"); d = Z(); R(db->get(db, NULL, &k, &d, 0)); pkd(&k, &d);
	R(db->cursor(db, NULL, &c, 0));
	CG(c, DB_SET, "APPLE", NULL);
	CG(c, DB_SET_RANGE, "APPLE", NULL);
	CG(c, DB_SET_RANGE, "B", NULL);
	k = S("BANANA"); R(db->del(db, NULL, &k, 0));
	R(c->close(c));
	dump(db, "nocase after del");
	R(db->close(db, 0));

	printf("-- reverse duplicate order\n");
	db = withcmp("dup.db", DB_DUPSORT, NULL, reverse, DB_CREATE);
	for (i = 0; i < 8; i++) put1(db, "k", words[i], 0);
	put1(db, "k", "fig", 0);
	put1(db, "k", "fig", DB_NODUPDATA);
	put1(db, "j", "only", 0);
	dump(db, "reverse dups");
	R(db->cursor(db, NULL, &c, 0));
	CG(c, DB_GET_BOTH_RANGE, "k", "c");
	CG(c, DB_GET_BOTH_RANGE, "k", "zzz");
	CG(c, DB_GET_BOTH_RANGE, "k", "a");
	CG(c, DB_GET_BOTH, "k", "date");
	CG(c, DB_NEXT_DUP, NULL, NULL);
	CP(c, DB_CURRENT, NULL, "cherry");
	CP(c, DB_CURRENT, NULL, "CHERRY");
	CCOUNT(c);
	R(c->close(c));
	R(db->close(db, 0));

	printf("-- both comparators, case-insensitive duplicates\n");
	db = withcmp("both.db", DB_DUPSORT, reverse, nocase, DB_CREATE);
	put1(db, "a", "X", 0);
	put1(db, "a", "x", 0);
	put1(db, "a", "y", 0);
	put1(db, "b", "Y", 0);
	put1(db, "b", "y", DB_NODUPDATA);
	dump(db, "both");
	/* With application comparators DB_SET and DB_GET_BOTH return the
	 * stored key and data, not the caller's. */
	R(db->cursor(db, NULL, &c, 0));
	CG(c, DB_GET_BOTH, "a", "x");
	CG(c, DB_GET_BOTH_RANGE, "a", "x");
	CG(c, DB_SET, "b", NULL);
	R(c->close(c));
	k = S("a"); d = S("Y"); R(db->get(db, NULL, &k, &d, DB_GET_BOTH)); pkd(&k, &d);
	R(db->close(db, 0));

	printf("-- set_dup_compare implies DB_DUPSORT\n");
	db = mkdb(NULL);
	R(db->set_dup_compare(db, reverse));
	{
		u_int32_t f = 0;
		R(db->get_flags(db, &f)); printf("  flags %#x\n", f);
	}
	R(db->open(db, NULL, "implied.db", NULL, DB_BTREE, DB_CREATE, 0644));
	put1(db, "k", "a", 0);
	put1(db, "k", "b", 0);
	put1(db, "k", "b", 0);
	dump(db, "implied");
	R(db->close(db, 0));
	return 0;
}
