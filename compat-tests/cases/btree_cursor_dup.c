/* Cursors on a btree with unsorted duplicates (DB_DUP): KEYFIRST/KEYLAST
 * placing duplicates, BEFORE/AFTER/CURRENT, NEXT_DUP/PREV_DUP/NEXT_NODUP/
 * PREV_NODUP, GET_BOTH(_RANGE), count, dup with DB_POSITION, deleting
 * duplicates under a cursor, and a key with many duplicates. */
#include "common.h"

int main(void)
{
	DB *db;
	DBC *c, *c2;
	DBT k, d;
	char buf[32];
	int i, r, n;

	db = opendb(NULL, NULL, "dup.db", NULL, DB_DUP, DB_CREATE);
	R(db->cursor(db, NULL, &c, 0));

	printf("-- placing duplicates\n");
	CP(c, DB_KEYLAST, "b", "b2");
	CP(c, DB_KEYLAST, "b", "b3");
	CP(c, DB_KEYFIRST, "b", "b1");
	CG(c, DB_CURRENT, NULL, NULL);
	CP(c, DB_KEYLAST, "a", "a1");
	CP(c, DB_KEYLAST, "c", "c1");
	CP(c, DB_KEYLAST, "c", "c2");
	CP(c, DB_KEYLAST, "b", "b2");
	CG(c, DB_CURRENT, NULL, NULL);
	CP(c, DB_NODUPDATA, "b", "b9");
	CP(c, DB_OVERWRITE_DUP, "b", "b4");
	CG(c, DB_CURRENT, NULL, NULL);
	dump(db, "after keyfirst/keylast");

	printf("-- BEFORE, AFTER, CURRENT\n");
	CG(c, DB_GET_BOTH, "b", "b3");
	CP(c, DB_BEFORE, NULL, "b2.5");
	CG(c, DB_CURRENT, NULL, NULL);
	CP(c, DB_AFTER, NULL, "b2.7");
	CG(c, DB_CURRENT, NULL, NULL);
	CP(c, DB_AFTER, "ignored", "b2.8");
	CG(c, DB_CURRENT, NULL, NULL);
	CP(c, DB_CURRENT, NULL, "B2.8");
	CG(c, DB_CURRENT, NULL, NULL);
	CG(c, DB_NEXT, NULL, NULL);
	CG(c, DB_PREV, NULL, NULL);
	CG(c, DB_SET, "a", NULL);
	CP(c, DB_BEFORE, NULL, "a0");
	CG(c, DB_LAST, NULL, NULL);
	CP(c, DB_AFTER, NULL, "c3");
	dump(db, "after before/after");

	printf("-- dup navigation\n");
	CG(c, DB_SET, "b", NULL);
	CCOUNT(c);
	CG(c, DB_NEXT_DUP, NULL, NULL);
	CG(c, DB_NEXT_DUP, NULL, NULL);
	CG(c, DB_PREV_DUP, NULL, NULL);
	CG(c, DB_PREV_DUP, NULL, NULL);
	CG(c, DB_PREV_DUP, NULL, NULL);
	CG(c, DB_CURRENT, NULL, NULL);
	CG(c, DB_NEXT_NODUP, NULL, NULL);
	CG(c, DB_PREV_NODUP, NULL, NULL);
	CG(c, DB_PREV_NODUP, NULL, NULL);
	CG(c, DB_PREV_NODUP, NULL, NULL);
	CG(c, DB_CURRENT, NULL, NULL);
	CG(c, DB_LAST, NULL, NULL);
	CG(c, DB_NEXT_DUP, NULL, NULL);
	CG(c, DB_NEXT_NODUP, NULL, NULL);
	CG(c, DB_CURRENT, NULL, NULL);
	CG(c, DB_SET, "c", NULL);
	do r = CG(c, DB_NEXT_DUP, NULL, NULL); while (r == 0);
	CG(c, DB_CURRENT, NULL, NULL);
	CG(c, DB_LAST, NULL, NULL);
	CG(c, DB_PREV_NODUP, NULL, NULL);
	CG(c, DB_FIRST, NULL, NULL);
	CG(c, DB_NEXT_NODUP, NULL, NULL);

	printf("-- searching\n");
	CG(c, DB_SET_RANGE, "bb", NULL);
	CG(c, DB_SET_RANGE, "b", NULL);
	CG(c, DB_GET_BOTH, "b", "b4");
	CG(c, DB_GET_BOTH, "b", "b5");
	CG(c, DB_GET_BOTH_RANGE, "b", "b2.6");
	CG(c, DB_GET_BOTH_RANGE, "b", "b3");
	CG(c, DB_GET_BOTH_RANGE, "b", "b0");
	k = S("b"); d = Z(); R(db->get(db, NULL, &k, &d, 0)); pkd(&k, &d);

	printf("-- dup with DB_POSITION keeps the duplicate\n");
	CG(c, DB_GET_BOTH, "b", "b3");
	R(c->dup(c, &c2, DB_POSITION));
	CG(c2, DB_CURRENT, NULL, NULL);
	CG(c2, DB_NEXT_DUP, NULL, NULL);
	CCOUNT(c2);

	printf("-- deleting duplicates\n");
	CDEL(c);
	CG(c, DB_CURRENT, NULL, NULL);
	CCOUNT(c);
	CG(c2, DB_PREV_DUP, NULL, NULL);
	CG(c, DB_NEXT_DUP, NULL, NULL);
	CG(c, DB_PREV_DUP, NULL, NULL);
	CG(c, DB_PREV_DUP, NULL, NULL);
	CDEL(c);
	CP(c, DB_BEFORE, NULL, "x");
	CP(c, DB_AFTER, NULL, "x");
	CG(c, DB_NEXT_DUP, NULL, NULL);
	/* Delete every duplicate of "c" through the cursor. */
	CG(c, DB_SET, "c", NULL);
	do { CDEL(c); r = CG(c, DB_NEXT_DUP, NULL, NULL); } while (r == 0);
	CG(c, DB_CURRENT, NULL, NULL);
	CG(c, DB_PREV, NULL, NULL);
	CG(c, DB_SET, "c", NULL);
	dump(db, "after deletes");
	/* Another cursor inserts duplicates around c's position. */
	CG(c, DB_GET_BOTH, "b", "B2.8");
	CP(c2, DB_KEYFIRST, "b", "first");
	CP(c2, DB_KEYLAST, "b", "last");
	CG(c, DB_CURRENT, NULL, NULL);
	CG(c, DB_PREV_DUP, NULL, NULL);
	CG(c, DB_PREV_DUP, NULL, NULL);
	CG(c, DB_PREV_DUP, NULL, NULL);
	CG(c, DB_PREV_DUP, NULL, NULL);
	CCOUNT(c);
	R(c2->close(c2));

	printf("-- a key with many duplicates\n");
	for (i = 0; i < 500; i++) {
		snprintf(buf, sizeof(buf), "dup%03d", i);
		k = S("m"); d = S(buf);
		if ((r = db->put(db, NULL, &k, &d, 0)) != 0) printf("put %d -> %d\n", i, r);
	}
	CG(c, DB_SET, "m", NULL);
	CCOUNT(c);
	n = 1;
	while (c->get(c, &k, &d, DB_NEXT_DUP) == 0) n++;
	printf("walked %d duplicates\n", n);
	CG(c, DB_CURRENT, NULL, NULL);
	CG(c, DB_GET_BOTH, "m", "dup250");
	CP(c, DB_AFTER, NULL, "dup250.5");
	CG(c, DB_NEXT_DUP, NULL, NULL);
	CCOUNT(c);
	CG(c, DB_NEXT_NODUP, NULL, NULL);
	CG(c, DB_PREV, NULL, NULL);
	CG(c, DB_PREV_NODUP, NULL, NULL);
	k = S("m"); R(db->del(db, NULL, &k, 0));
	CG(c, DB_SET, "m", NULL);
	R(c->close(c));
	dump(db, "final");
	R(db->close(db, 0));
	return 0;
}
