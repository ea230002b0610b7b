/* Cursors on a btree with record numbers (DB_RECNUM): DB_GET_RECNO and
 * DB_SET_RECNO as records are inserted and deleted before the cursor, the
 * record-number key size check, DB->get with DB_SET_RECNO, and DB_RECNUM
 * combined with duplicates (rejected), and the flag read back from the
 * file on reopen. */
#include "common.h"

int main(void)
{
	DB *db;
	DBC *c, *c2;
	DBT k, d;
	db_recno_t rn;
	char kb[16], vb[16];
	int i;

	printf("-- DB_RECNUM with DB_DUP / DB_DUPSORT\n");
	db = mkdb(NULL);
	R(db->set_flags(db, DB_RECNUM));
	R(db->set_flags(db, DB_DUP));
	R(db->open(db, NULL, "dupr.db", NULL, DB_BTREE, DB_CREATE, 0644));
	R(db->close(db, 0));
	db = mkdb(NULL);
	R(db->set_flags(db, DB_DUPSORT | DB_RECNUM));
	R(db->open(db, NULL, "dupsr.db", NULL, DB_BTREE, DB_CREATE, 0644));
	R(db->close(db, 0));

	db = opendb(NULL, NULL, "recnum.db", NULL, DB_RECNUM, DB_CREATE);
	for (i = 0; i < 50; i++) {
		snprintf(kb, sizeof(kb), "k%03d", i * 2);
		snprintf(vb, sizeof(vb), "v%d", i * 2);
		k = S(kb); d = S(vb);
		if (db->put(db, NULL, &k, &d, 0) != 0) printf("put failed\n");
	}
	R(db->cursor(db, NULL, &c, 0));
	printf("-- record numbers\n");
	CGETRECNO(c);
	CG(c, DB_FIRST, NULL, NULL);
	CGETRECNO(c);
	CG(c, DB_NEXT, NULL, NULL);
	CGETRECNO(c);
	CG(c, DB_LAST, NULL, NULL);
	CGETRECNO(c);
	CSETRECNO(c, 0);
	CSETRECNO(c, 1);
	CSETRECNO(c, 25);
	CGETRECNO(c);
	CSETRECNO(c, 50);
	CSETRECNO(c, 51);
	CG(c, DB_CURRENT, NULL, NULL);
	CSETRECNO(c, 1000000);
	CG(c, DB_SET_RECNO, "abc", NULL);
	CG(c, DB_SET, "k051", NULL);
	CG(c, DB_SET_RANGE, "k051", NULL);
	CGETRECNO(c);

	printf("-- inserts and deletes before the cursor renumber it\n");
	CSETRECNO(c, 10);
	R(db->cursor(db, NULL, &c2, 0));
	CP(c2, DB_KEYLAST, "k001", "v1");
	CP(c2, DB_KEYLAST, "k003", "v3");
	CGETRECNO(c);
	CG(c, DB_CURRENT, NULL, NULL);
	CGETRECNO(c2);
	CP(c2, DB_KEYLAST, "k099", "v99");
	CGETRECNO(c);
	CG(c2, DB_SET, "k000", NULL);
	CDEL(c2);
	CGETRECNO(c);
	CGETRECNO(c2);
	CG(c2, DB_NEXT, NULL, NULL);
	CGETRECNO(c2);
	/* The cursor's own record deleted. */
	CDEL(c);
	CGETRECNO(c);
	CG(c, DB_NEXT, NULL, NULL);
	CGETRECNO(c);
	CSETRECNO(c, 10);
	R(c2->close(c2));

	printf("-- DB->get with DB_SET_RECNO\n");
	for (rn = 1; rn <= 52; rn += 17) {
		k = B(&rn, sizeof(rn)); d = Z();
		printf("recno %u\n", rn);
		if (R(db->get(db, NULL, &k, &d, DB_SET_RECNO)) == 0) pkd(&k, &d);
	}
	/* DB_GET_RECNO is a cursor-only flag. */
	k = S("k010"); d = Z();
	R(db->get(db, NULL, &k, &d, DB_GET_RECNO));
	R(c->close(c));
	dump(db, "final");
	R(db->close(db, 0));

	printf("-- reopen without DB_RECNUM set: the flag comes from the file\n");
	db = opendb(NULL, NULL, "recnum.db", NULL, 0, 0);
	{
		u_int32_t f = 0;
		R(db->get_flags(db, &f));
		printf("flags %#x (DB_RECNUM %s)\n", f, (f & DB_RECNUM) ? "set" : "clear");
	}
	R(db->cursor(db, NULL, &c, 0));
	CSETRECNO(c, 5);
	CGETRECNO(c);
	R(c->close(c));
	R(db->close(db, 0));
	db = mkdb(NULL);
	R(db->set_flags(db, DB_DUP));
	R(db->open(db, NULL, "recnum.db", NULL, DB_BTREE, 0, 0));
	R(db->close(db, 0));
	return 0;
}
