/* Cursors on a btree with sorted duplicates (DB_DUPSORT): puts land in
 * sorted order whatever the flag, BEFORE/AFTER are rejected, CURRENT must
 * keep the sort position, NODUPDATA, GET_BOTH_RANGE, dup navigation, count,
 * deletes, and another cursor's inserts around a position. */
#include "common.h"

int main(void)
{
	DB *db;
	DBC *c, *c2;
	DBT k, d;
	char buf[32];
	int i, r, n;

	db = opendb(NULL, NULL, "dupsort.db", NULL, DB_DUPSORT, DB_CREATE);
	R(db->cursor(db, NULL, &c, 0));

	printf("-- puts\n");
	CP(c, DB_KEYLAST, "b", "20");
	CP(c, DB_KEYLAST, "b", "40");
	CP(c, DB_KEYFIRST, "b", "30");
	CG(c, DB_CURRENT, NULL, NULL);
	CP(c, DB_KEYFIRST, "b", "50");
	CG(c, DB_CURRENT, NULL, NULL);
	CP(c, DB_KEYLAST, "b", "10");
	CG(c, DB_CURRENT, NULL, NULL);
	CP(c, DB_KEYLAST, "b", "30");
	CG(c, DB_CURRENT, NULL, NULL);
	CP(c, DB_KEYFIRST, "b", "30");
	CP(c, DB_NODUPDATA, "b", "30");
	CP(c, DB_NODUPDATA, "b", "35");
	CG(c, DB_CURRENT, NULL, NULL);
	CP(c, DB_NODUPDATA, "a", "1");
	CP(c, DB_NODUPDATA, "c", "1");
	CP(c, DB_OVERWRITE_DUP, "b", "40");
	CG(c, DB_CURRENT, NULL, NULL);
	CP(c, DB_OVERWRITE_DUP, "b", "45");
	CG(c, DB_CURRENT, NULL, NULL);
	CP(c, DB_BEFORE, NULL, "x");
	CP(c, DB_AFTER, NULL, "x");
	dump(db, "after puts");

	printf("-- DB_CURRENT must keep the sort order\n");
	CG(c, DB_GET_BOTH, "b", "30");
	CP(c, DB_CURRENT, NULL, "30");
	CP(c, DB_CURRENT, NULL, "31");
	CP(c, DB_CURRENT, NULL, "3");
	CG(c, DB_CURRENT, NULL, NULL);

	printf("-- navigation and search\n");
	CG(c, DB_SET, "b", NULL);
	CCOUNT(c);
	CG(c, DB_NEXT_DUP, NULL, NULL);
	CG(c, DB_PREV_DUP, NULL, NULL);
	CG(c, DB_PREV_DUP, NULL, NULL);
	CG(c, DB_NEXT_NODUP, NULL, NULL);
	CG(c, DB_PREV_NODUP, NULL, NULL);
	CG(c, DB_PREV, NULL, NULL);
	CG(c, DB_PREV_NODUP, NULL, NULL);
	CG(c, DB_GET_BOTH, "b", "35");
	CG(c, DB_GET_BOTH, "b", "36");
	CG(c, DB_GET_BOTH_RANGE, "b", "36");
	CG(c, DB_GET_BOTH_RANGE, "b", "");
	CG(c, DB_GET_BOTH_RANGE, "b", "50");
	CG(c, DB_GET_BOTH_RANGE, "b", "51");
	CG(c, DB_GET_BOTH_RANGE, "b", "5");
	CG(c, DB_GET_BOTH_RANGE, "bb", "1");
	CG(c, DB_CURRENT, NULL, NULL);
	CG(c, DB_SET_RANGE, "b", NULL);
	k = S("b"); d = Z(); R(db->get(db, NULL, &k, &d, 0)); pkd(&k, &d);
	k = S("b"); d = S("45"); R(db->get(db, NULL, &k, &d, DB_GET_BOTH)); pkd(&k, &d);

	printf("-- deletes\n");
	CG(c, DB_GET_BOTH, "b", "35");
	R(c->dup(c, &c2, DB_POSITION));
	CDEL(c);
	CG(c, DB_CURRENT, NULL, NULL);
	CG(c2, DB_CURRENT, NULL, NULL);
	CCOUNT(c);
	CP(c, DB_CURRENT, NULL, "35");
	CG(c, DB_NEXT_DUP, NULL, NULL);
	CG(c2, DB_PREV_DUP, NULL, NULL);
	/* Re-adding the deleted duplicate via another cursor. */
	CG(c, DB_GET_BOTH, "b", "40");
	CDEL(c);
	CP(c2, DB_KEYLAST, "b", "40");
	CG(c, DB_CURRENT, NULL, NULL);
	CG(c, DB_PREV_DUP, NULL, NULL);
	CG(c, DB_NEXT_DUP, NULL, NULL);
	/* Another cursor inserts duplicates on both sides of c. */
	CP(c2, DB_KEYLAST, "b", "39");
	CP(c2, DB_KEYLAST, "b", "41");
	CG(c, DB_CURRENT, NULL, NULL);
	CG(c, DB_PREV_DUP, NULL, NULL);
	CG(c, DB_NEXT_DUP, NULL, NULL);
	CG(c, DB_NEXT_DUP, NULL, NULL);
	R(c2->close(c2));
	dump(db, "after deletes");

	printf("-- many sorted duplicates inserted out of order\n");
	for (i = 0; i < 400; i++) {
		snprintf(buf, sizeof(buf), "%05d", (i * 7919) % 400);
		k = S("m"); d = S(buf);
		if ((r = db->put(db, NULL, &k, &d, 0)) != 0) printf("put %d -> %d\n", i, r);
	}
	CG(c, DB_SET, "m", NULL);
	CCOUNT(c);
	n = 1;
	while ((r = c->get(c, &k, &d, DB_NEXT_DUP)) == 0) n++;
	printf("walked %d duplicates\n", n);
	CG(c, DB_CURRENT, NULL, NULL);
	CG(c, DB_GET_BOTH_RANGE, "m", "00199x");
	CG(c, DB_PREV_DUP, NULL, NULL);
	k = S("m"); d = S("00100"); R(db->put(db, NULL, &k, &d, 0));
	k = S("m"); d = S("00100"); R(db->put(db, NULL, &k, &d, DB_NODUPDATA));
	k = S("m"); d = S("00100"); R(db->put(db, NULL, &k, &d, DB_OVERWRITE_DUP));
	CG(c, DB_LAST, NULL, NULL);
	CG(c, DB_PREV_NODUP, NULL, NULL);
	R(c->close(c));
	R(db->close(db, 0));
	return 0;
}
