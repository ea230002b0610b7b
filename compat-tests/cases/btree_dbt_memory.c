/* DBT memory management on gets and puts: handle-owned memory (default),
 * DB_DBT_MALLOC, DB_DBT_REALLOC, DB_DBT_USERMEM (DB_BUFFER_SMALL with the
 * needed size), DB_DBT_PARTIAL gets and puts (reading inside and beyond the
 * item, replacing, inserting, deleting and extending), flag combinations
 * libdb rejects, for keys and data and for DB->get and cursor gets. */
#include "common.h"

static void pflags(const char *label, const DBT *d)
{
	pdbt(label, d);
	printf(" ulen=%u\n", d->ulen);
}

/* DB->get of `key` with the data DBT prepared by the caller. */
static int dget(DB *db, const char *key, DBT *d, const char *what)
{
	DBT k = S(key);
	int r = db->get(db, NULL, &k, d, 0);
	printf("%s: get %s -> %d", what, key, r);
	if (r == 0) { printf(" "); pdbt("data", d); }
	else {
		printf(" (%s)", db_strerror(r));
		if (r == DB_BUFFER_SMALL) printf(" size=%u", d->size);
	}
	printf("\n");
	return r;
}

/* Partial get of `key`: doff/dlen. */
static void pget(DB *db, const char *key, u_int32_t doff, u_int32_t dlen)
{
	DBT k = S(key), d = Z();
	int r;
	d.flags = DB_DBT_PARTIAL; d.doff = doff; d.dlen = dlen;
	r = db->get(db, NULL, &k, &d, 0);
	printf("partial get %s doff=%u dlen=%u -> %d", key, doff, dlen, r);
	if (r == 0) { printf(" "); pdbt("data", &d); }
	else printf(" (%s)", db_strerror(r));
	printf("\n");
}

/* Partial put into `key`, then print the whole item. */
static void pput(DB *db, const char *key, u_int32_t doff, u_int32_t dlen, const char *val)
{
	DBT k = S(key), d = S(val);
	int r;
	d.flags = DB_DBT_PARTIAL; d.doff = doff; d.dlen = dlen;
	r = db->put(db, NULL, &k, &d, 0);
	printf("partial put %s doff=%u dlen=%u \"%s\" -> %d", key, doff, dlen, val, r);
	if (r != 0) printf(" (%s)", db_strerror(r));
	k = S(key); d = Z();
	if (db->get(db, NULL, &k, &d, 0) == 0) { printf(" now "); pdbt("data", &d); }
	else printf(" now absent");
	printf("\n");
}

int main(void)
{
	DB *db;
	DBC *c;
	DBT k, d;
	char buf[64], kbuf[64];
	int r;

	db = opendb(NULL, NULL, "mem.db", NULL, 0, DB_CREATE);
	k = S("alpha"); d = S("0123456789"); R(db->put(db, NULL, &k, &d, 0));
	k = S("beta"); d = S("the quick brown fox"); R(db->put(db, NULL, &k, &d, 0));
	k = S("gamma"); d = S(""); R(db->put(db, NULL, &k, &d, 0));

	printf("-- default (handle-owned memory)\n");
	d = Z(); dget(db, "alpha", &d, "default");
	d = Z(); dget(db, "beta", &d, "default");
	d = Z(); dget(db, "gamma", &d, "default");

	printf("-- DB_DBT_MALLOC\n");
	d = Z(); d.flags = DB_DBT_MALLOC;
	if (dget(db, "beta", &d, "malloc") == 0) free(d.data);
	d = Z(); d.flags = DB_DBT_MALLOC;
	if (dget(db, "gamma", &d, "malloc empty") == 0) free(d.data);

	printf("-- DB_DBT_REALLOC\n");
	d = Z(); d.flags = DB_DBT_REALLOC; d.data = malloc(2);
	dget(db, "beta", &d, "realloc from 2 bytes");
	dget(db, "alpha", &d, "realloc again");
	free(d.data);
	d = Z(); d.flags = DB_DBT_REALLOC;
	dget(db, "alpha", &d, "realloc from NULL");
	free(d.data);

	printf("-- DB_DBT_USERMEM\n");
	d = Z(); d.flags = DB_DBT_USERMEM; d.data = buf; d.ulen = sizeof(buf);
	dget(db, "beta", &d, "usermem 64");
	d = Z(); d.flags = DB_DBT_USERMEM; d.data = buf; d.ulen = 5;
	dget(db, "beta", &d, "usermem 5");
	d = Z(); d.flags = DB_DBT_USERMEM; d.data = buf; d.ulen = 10;
	dget(db, "alpha", &d, "usermem exact 10");
	d = Z(); d.flags = DB_DBT_USERMEM; d.data = buf; d.ulen = 9;
	dget(db, "alpha", &d, "usermem 9");
	d = Z(); d.flags = DB_DBT_USERMEM; d.data = NULL; d.ulen = 0;
	dget(db, "alpha", &d, "usermem NULL/0");
	d = Z(); d.flags = DB_DBT_USERMEM; d.data = NULL; d.ulen = 0;
	dget(db, "gamma", &d, "usermem NULL/0 empty item");
	d = Z(); d.flags = DB_DBT_USERMEM; d.data = buf; d.ulen = 4;
	dget(db, "nosuch", &d, "usermem missing key");
	d = Z(); d.flags = DB_DBT_USERMEM | DB_DBT_PARTIAL; d.data = buf; d.ulen = 3;
	d.doff = 2; d.dlen = 3;
	dget(db, "alpha", &d, "usermem 3 partial 2/3");
	d.ulen = 2;
	dget(db, "alpha", &d, "usermem 2 partial 2/3");

	printf("-- rejected combinations\n");
	d = Z(); d.flags = DB_DBT_MALLOC | DB_DBT_REALLOC;
	dget(db, "alpha", &d, "malloc|realloc");
	d = Z(); d.flags = DB_DBT_MALLOC | DB_DBT_USERMEM; d.data = buf; d.ulen = 64;
	dget(db, "alpha", &d, "malloc|usermem");
	d = Z(); d.flags = DB_DBT_REALLOC | DB_DBT_USERMEM; d.data = buf; d.ulen = 64;
	dget(db, "alpha", &d, "realloc|usermem");
	k = S("alpha"); d = S("x"); k.flags = DB_DBT_PARTIAL; k.doff = 1; k.dlen = 1;
	R(db->put(db, NULL, &k, &d, 0));
	k = S("alpha"); d = Z(); k.flags = DB_DBT_PARTIAL; k.doff = 1; k.dlen = 1;
	R(db->get(db, NULL, &k, &d, 0));
	/* DB->del ignores DB_DBT_PARTIAL on the key; put accepts
	 * DB_DBT_MALLOC and DB_DBT_APPMALLOC on the data. */
	k = S("alpha"); k.flags = DB_DBT_PARTIAL; R(db->del(db, NULL, &k, 0));
	k = S("alpha"); d = S("x"); d.flags = DB_DBT_MALLOC;
	R(db->put(db, NULL, &k, &d, 0));
	k = S("alpha"); d = Z(); R(db->get(db, NULL, &k, &d, 0)); pkd(&k, &d);
	k = S("alpha"); d = S("0123456789"); d.flags = DB_DBT_APPMALLOC;
	R(db->put(db, NULL, &k, &d, 0));
	k = S("alpha"); d = Z(); R(db->get(db, NULL, &k, &d, 0)); pkd(&k, &d);
	k = S("alpha"); d = S("0123456789"); R(db->put(db, NULL, &k, &d, 0));

	printf("-- DB_DBT_PARTIAL gets\n");
	pget(db, "alpha", 0, 3);
	pget(db, "alpha", 4, 3);
	pget(db, "alpha", 8, 5);
	pget(db, "alpha", 10, 2);
	pget(db, "alpha", 20, 2);
	pget(db, "alpha", 3, 0);
	pget(db, "alpha", 0, 10);
	pget(db, "alpha", 0, 100);
	pget(db, "gamma", 0, 4);
	pget(db, "nosuch", 0, 4);

	printf("-- DB_DBT_PARTIAL puts\n");
	pput(db, "alpha", 2, 3, "abc");
	pput(db, "alpha", 2, 3, "X");
	pput(db, "alpha", 2, 1, "LONGER");
	pput(db, "alpha", 0, 0, "<<");
	pput(db, "alpha", 3, 4, "");
	pput(db, "alpha", 100, 0, "zz");
	pput(db, "alpha", 7, 200, "tail");
	pput(db, "delta", 0, 0, "new");
	pput(db, "epsilon", 5, 2, "pad");
	pput(db, "gamma", 2, 0, "ab");
	k = S("beta"); d = S("ab"); d.flags = DB_DBT_PARTIAL; d.doff = 0; d.dlen = 1;
	R(db->put(db, NULL, &k, &d, DB_NOOVERWRITE));

	printf("-- cursor gets\n");
	R(db->cursor(db, NULL, &c, 0));
	k = Z(); d = Z(); k.flags = DB_DBT_MALLOC; d.flags = DB_DBT_MALLOC;
	if ((r = c->get(c, &k, &d, DB_FIRST)) == 0) { pkd(&k, &d); free(k.data); free(d.data); }
	else printf("first -> %d\n", r);
	k = Z(); d = Z(); k.flags = DB_DBT_REALLOC; d.flags = DB_DBT_REALLOC;
	R(c->get(c, &k, &d, DB_NEXT)); pkd(&k, &d);
	R(c->get(c, &k, &d, DB_NEXT)); pkd(&k, &d);
	free(k.data); free(d.data);
	k = Z(); d = Z(); k.flags = DB_DBT_USERMEM; k.data = kbuf; k.ulen = 2;
	d.flags = DB_DBT_USERMEM; d.data = buf; d.ulen = sizeof(buf);
	r = R(c->get(c, &k, &d, DB_NEXT));
	printf("  key size=%u data size=%u\n", k.size, d.size);
	k = Z(); d = Z(); R(c->get(c, &k, &d, DB_CURRENT)); pkd(&k, &d);
	k = Z(); d = Z(); k.flags = DB_DBT_USERMEM; k.data = kbuf; k.ulen = sizeof(kbuf);
	d.flags = DB_DBT_USERMEM; d.data = buf; d.ulen = 1;
	r = R(c->get(c, &k, &d, DB_NEXT));
	printf("  key size=%u data size=%u\n", k.size, d.size);
	k = Z(); d = Z(); R(c->get(c, &k, &d, DB_CURRENT)); pkd(&k, &d);
	/* DB_SET leaves a user-memory key alone, DB_SET_RANGE fills it in. */
	strcpy(kbuf, "beta"); k = Z(); k.flags = DB_DBT_USERMEM; k.data = kbuf;
	k.size = 4; k.ulen = sizeof(kbuf); d = Z();
	R(c->get(c, &k, &d, DB_SET)); pkd(&k, &d);
	strcpy(kbuf, "c"); k.size = 1;
	R(c->get(c, &k, &d, DB_SET_RANGE)); pkd(&k, &d);
	strcpy(kbuf, "e"); k.size = 1; k.ulen = 2;
	r = R(c->get(c, &k, &d, DB_SET_RANGE));
	printf("  key size=%u\n", k.size);
	k = Z(); d = Z(); R(c->get(c, &k, &d, DB_CURRENT)); pkd(&k, &d);
	/* Partial data on a cursor get and a cursor put. */
	k = S("beta"); d = Z(); d.flags = DB_DBT_PARTIAL; d.doff = 4; d.dlen = 5;
	R(c->get(c, &k, &d, DB_SET)); pkd(&k, &d);
	k = Z(); d = S("QUICK"); d.flags = DB_DBT_PARTIAL; d.doff = 4; d.dlen = 5;
	R(c->put(c, &k, &d, DB_CURRENT));
	k = Z(); d = Z(); R(c->get(c, &k, &d, DB_CURRENT)); pkd(&k, &d);
	k = S("beta"); d = S("!"); d.flags = DB_DBT_PARTIAL; d.doff = 19; d.dlen = 0;
	R(c->put(c, &k, &d, DB_KEYFIRST));
	k = Z(); d = Z(); R(c->get(c, &k, &d, DB_CURRENT)); pkd(&k, &d);
	R(c->close(c));
	dump(db, "final");
	R(db->close(db, 0));

	printf("-- partial puts into sorted duplicates\n");
	db = opendb(NULL, NULL, "dups.db", NULL, DB_DUPSORT, DB_CREATE);
	k = S("k"); d = S("aaa"); R(db->put(db, NULL, &k, &d, 0));
	k = S("k"); d = S("X"); d.flags = DB_DBT_PARTIAL; d.doff = 0; d.dlen = 1;
	R(db->put(db, NULL, &k, &d, 0));
	R(db->cursor(db, NULL, &c, 0));
	k = Z(); d = Z(); R(c->get(c, &k, &d, DB_FIRST)); pkd(&k, &d);
	k = Z(); d = S("b"); d.flags = DB_DBT_PARTIAL; d.doff = 1; d.dlen = 1;
	R(c->put(c, &k, &d, DB_CURRENT));
	k = Z(); d = S("a"); d.flags = DB_DBT_PARTIAL; d.doff = 1; d.dlen = 1;
	R(c->put(c, &k, &d, DB_CURRENT));
	R(c->close(c));
	dump(db, "dups");
	R(db->close(db, 0));
	return 0;
}
