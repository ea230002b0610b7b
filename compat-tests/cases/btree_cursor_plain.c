/* Cursors on a btree without duplicates: every get operation, where it
 * leaves the cursor after success and failure, the put operations (legal
 * and not), count, dup with and without DB_POSITION, delete then CURRENT /
 * NEXT / PREV, and a position surviving another cursor's inserts and
 * deletes around it. */
#include "common.h"

int main(void)
{
	DB *db;
	DBC *c, *c2, *c3;
	DBT k, d;

	db = opendb(NULL, NULL, "plain.db", NULL, 0, DB_CREATE);
	k = S("c"); d = S("C1"); db->put(db, NULL, &k, &d, 0);
	k = S("e"); d = S("E1"); db->put(db, NULL, &k, &d, 0);
	k = S("g"); d = S("G1"); db->put(db, NULL, &k, &d, 0);
	k = S("i"); d = S("I1"); db->put(db, NULL, &k, &d, 0);
	k = S("k"); d = S("K1"); db->put(db, NULL, &k, &d, 0);

	printf("-- unpositioned cursor\n");
	R(db->cursor(db, NULL, &c, 0));
	CG(c, DB_CURRENT, NULL, NULL);
	CCOUNT(c);
	CDEL(c);
	CP(c, DB_CURRENT, NULL, "x");
	CG(c, DB_NEXT_DUP, NULL, NULL);
	CG(c, DB_PREV_DUP, NULL, NULL);
	CG(c, DB_NEXT, NULL, NULL);
	R(c->close(c));
	R(db->cursor(db, NULL, &c, 0));
	CG(c, DB_PREV, NULL, NULL);
	R(c->close(c));
	R(db->cursor(db, NULL, &c, 0));
	CG(c, DB_NEXT_NODUP, NULL, NULL);
	R(c->close(c));
	R(db->cursor(db, NULL, &c, 0));
	CG(c, DB_PREV_NODUP, NULL, NULL);

	printf("-- walking\n");
	CG(c, DB_FIRST, NULL, NULL);
	CG(c, DB_NEXT, NULL, NULL);
	CG(c, DB_NEXT_NODUP, NULL, NULL);
	CG(c, DB_NEXT_DUP, NULL, NULL);
	CG(c, DB_CURRENT, NULL, NULL);
	CG(c, DB_PREV_DUP, NULL, NULL);
	CG(c, DB_PREV, NULL, NULL);
	CG(c, DB_PREV_NODUP, NULL, NULL);
	CG(c, DB_PREV, NULL, NULL);
	CG(c, DB_CURRENT, NULL, NULL);
	CG(c, DB_LAST, NULL, NULL);
	CG(c, DB_NEXT, NULL, NULL);
	CG(c, DB_CURRENT, NULL, NULL);
	CG(c, DB_PREV, NULL, NULL);
	CCOUNT(c);

	printf("-- searching\n");
	CG(c, DB_SET, "g", NULL);
	CG(c, DB_SET, "h", NULL);
	CG(c, DB_CURRENT, NULL, NULL);
	CG(c, DB_SET_RANGE, "h", NULL);
	CG(c, DB_SET_RANGE, "a", NULL);
	CG(c, DB_SET_RANGE, "k", NULL);
	CG(c, DB_SET_RANGE, "z", NULL);
	CG(c, DB_CURRENT, NULL, NULL);
	CG(c, DB_SET_RANGE, "", NULL);
	CG(c, DB_GET_BOTH, "e", "E1");
	CG(c, DB_GET_BOTH, "e", "E2");
	CG(c, DB_GET_BOTH, "f", "E1");
	CG(c, DB_GET_BOTH_RANGE, "e", "E0");
	CG(c, DB_GET_BOTH_RANGE, "e", "E1");
	CG(c, DB_GET_BOTH_RANGE, "e", "E2");
	CG(c, DB_GET_BOTH_RANGE, "f", "");
	CG(c, DB_GET_BOTH, "e", NULL);
	CG(c, DB_SET, NULL, NULL);
	CGETRECNO(c);
	CSETRECNO(c, 1);
	CG(c, DB_SET_RECNO, "x", NULL);
	CG(c, 0, NULL, NULL);
	CG(c, 0x7777, NULL, NULL);
	CG(c, DB_CONSUME, NULL, NULL);
	CG(c, DB_NEXT | DB_RMW, NULL, NULL);
	CG(c, DB_CURRENT, NULL, NULL);

	printf("-- puts\n");
	CP(c, DB_KEYFIRST, "f", "F1");
	CG(c, DB_CURRENT, NULL, NULL);
	CP(c, DB_KEYLAST, "h", "H1");
	CG(c, DB_CURRENT, NULL, NULL);
	CP(c, DB_KEYLAST, "h", "H2");
	CG(c, DB_CURRENT, NULL, NULL);
	CP(c, DB_KEYFIRST, "c", "C2");
	CG(c, DB_CURRENT, NULL, NULL);
	CP(c, DB_CURRENT, NULL, "C3");
	CG(c, DB_CURRENT, NULL, NULL);
	CP(c, DB_CURRENT, "ignored", "C4");
	CG(c, DB_CURRENT, NULL, NULL);
	CP(c, DB_BEFORE, NULL, "x");
	CP(c, DB_AFTER, NULL, "x");
	CP(c, DB_NODUPDATA, "m", "M1");
	CP(c, DB_NOOVERWRITE, "m", "M1");
	CP(c, DB_NOOVERWRITE, "m", "M2");
	CG(c, DB_CURRENT, NULL, NULL);
	CP(c, DB_OVERWRITE_DUP, "m", "M3");
	CP(c, 0, "n", "N1");
	CP(c, 0x7777, "n", "N1");
	CP(c, DB_APPEND, "n", "N1");
	dump(db, "after puts");

	printf("-- dup\n");
	CG(c, DB_SET, "g", NULL);
	R(c->dup(c, &c2, DB_POSITION));
	CG(c2, DB_CURRENT, NULL, NULL);
	CG(c2, DB_NEXT, NULL, NULL);
	CG(c, DB_CURRENT, NULL, NULL);
	R(c->dup(c, &c3, 0));
	CG(c3, DB_CURRENT, NULL, NULL);
	CG(c3, DB_NEXT, NULL, NULL);
	R(c3->close(c3));
	R(c->dup(c, &c3, 0x7777));
	R(c2->close(c2));

	printf("-- delete, then CURRENT, NEXT, PREV\n");
	CG(c, DB_SET, "g", NULL);
	CDEL(c);
	CG(c, DB_CURRENT, NULL, NULL);
	CDEL(c);
	CP(c, DB_CURRENT, NULL, "G9");
	CCOUNT(c);
	R(c->dup(c, &c2, DB_POSITION));
	CG(c2, DB_CURRENT, NULL, NULL);
	CG(c2, DB_PREV, NULL, NULL);
	R(c2->close(c2));
	CG(c, DB_NEXT, NULL, NULL);
	CG(c, DB_PREV, NULL, NULL);
	CG(c, DB_SET, "g", NULL);
	k = S("g"); d = Z(); R(db->get(db, NULL, &k, &d, 0));
	CG(c, DB_SET, "i", NULL);
	CDEL(c);
	CG(c, DB_PREV, NULL, NULL);
	CG(c, DB_SET, "e", NULL);
	CDEL(c);
	CG(c, DB_NEXT, NULL, NULL);
	CG(c, DB_FIRST, NULL, NULL);
	CDEL(c);
	CG(c, DB_PREV, NULL, NULL);
	CG(c, DB_CURRENT, NULL, NULL);
	dump(db, "after deletes");

	printf("-- another cursor changes records around a position\n");
	CG(c, DB_SET, "h", NULL);
	R(db->cursor(db, NULL, &c2, 0));
	CP(c2, DB_KEYFIRST, "ha", "HA");
	CP(c2, DB_KEYFIRST, "gz", "GZ");
	CG(c, DB_CURRENT, NULL, NULL);
	CG(c, DB_NEXT, NULL, NULL);
	CG(c, DB_PREV, NULL, NULL);
	CG(c, DB_PREV, NULL, NULL);
	CG(c, DB_NEXT, NULL, NULL);
	CG(c2, DB_SET, "ha", NULL);
	CDEL(c2);
	CG(c2, DB_SET, "gz", NULL);
	CDEL(c2);
	CG(c, DB_CURRENT, NULL, NULL);
	CG(c, DB_NEXT, NULL, NULL);
	CG(c, DB_PREV, NULL, NULL);
	CG(c, DB_PREV, NULL, NULL);
	/* c2 deletes the record c stands on. */
	CG(c, DB_SET, "h", NULL);
	CG(c2, DB_SET, "h", NULL);
	CDEL(c2);
	CG(c, DB_CURRENT, NULL, NULL);
	CG(c, DB_NEXT, NULL, NULL);
	/* A deleted key is re-added while a cursor still refers to it. */
	CG(c, DB_SET, "k", NULL);
	CDEL(c);
	k = S("k"); d = S("K2"); R(db->put(db, NULL, &k, &d, 0));
	CG(c, DB_CURRENT, NULL, NULL);
	CG(c, DB_NEXT, NULL, NULL);
	CG(c, DB_SET, "k", NULL);
	/* DB->put overwriting the data under a cursor. */
	k = S("k"); d = S("K3"); R(db->put(db, NULL, &k, &d, 0));
	CG(c, DB_CURRENT, NULL, NULL);
	/* DB->del of the key under a cursor. */
	k = S("k"); R(db->del(db, NULL, &k, 0));
	CG(c, DB_CURRENT, NULL, NULL);
	CG(c, DB_PREV, NULL, NULL);
	R(c2->close(c2));
	R(c->close(c));
	dump(db, "final");

	printf("-- empty database\n");
	R(db->truncate(db, NULL, NULL, 0));
	R(db->cursor(db, NULL, &c, 0));
	CG(c, DB_FIRST, NULL, NULL);
	CG(c, DB_LAST, NULL, NULL);
	CG(c, DB_NEXT, NULL, NULL);
	CG(c, DB_PREV, NULL, NULL);
	CG(c, DB_SET_RANGE, "a", NULL);
	CP(c, DB_KEYLAST, "only", "1");
	CG(c, DB_NEXT, NULL, NULL);
	CG(c, DB_PREV, NULL, NULL);
	CG(c, DB_CURRENT, NULL, NULL);
	R(c->close(c));
	R(db->cursor(db, NULL, &c, 0x7777));
	R(db->close(db, 0));
	return 0;
}
