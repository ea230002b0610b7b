/* Large and small items: keys and values of 0, 1, 1000, 5000, 100000 and
 * 10 MB bytes (deterministic content) round-trip through put/get, cursors
 * and partial reads and writes; a database grown to 20000 records and
 * emptied again, twice, still works. Content is shown as size + checksum. */
#include "common.h"

static const u_int32_t sizes[] = { 0, 1, 1000, 5000, 100000, 10 * 1024 * 1024 };
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))

static unsigned char *fill(u_int32_t n, unsigned seed)
{
	unsigned char *p = malloc(n ? n : 1);
	u_int32_t i;
	for (i = 0; i < n; i++) p[i] = (unsigned char)((i * 31u + seed * 7u + (i >> 8)) & 0xff);
	return p;
}

static u_int32_t sum(const void *p, u_int32_t n)
{
	const unsigned char *c = p;
	u_int32_t h = 2166136261u, i;
	for (i = 0; i < n; i++) { h ^= c[i]; h *= 16777619u; }
	return h;
}

static void pitem(const char *label, const DBT *d)
{
	printf("%s size=%u sum=%08x", label, d->size, sum(d->data, d->size));
}

int main(void)
{
	DB *db;
	DBC *c;
	DBT k, d;
	unsigned char *kb[NSIZES], *vb[NSIZES];
	u_int32_t i, j, n;
	int r, round;
	char key[32], val[64];

	db = opendb(NULL, NULL, "large.db", NULL, 0, DB_CREATE);
	for (i = 0; i < NSIZES; i++) { kb[i] = fill(sizes[i], i); vb[i] = fill(sizes[i], i + 100); }

	printf("-- values of each size under a short key\n");
	for (i = 0; i < NSIZES; i++) {
		snprintf(key, sizeof(key), "v%u", i);
		k = S(key); d = B(vb[i], sizes[i]);
		printf("put %s size %u: ", key, sizes[i]); show_rc("put", db->put(db, NULL, &k, &d, 0));
	}
	for (i = 0; i < NSIZES; i++) {
		snprintf(key, sizeof(key), "v%u", i);
		k = S(key); d = Z(); d.flags = DB_DBT_MALLOC;
		r = db->get(db, NULL, &k, &d, 0);
		printf("get %s -> %d ", key, r); pitem("data", &d);
		printf(" %s\n", d.size == sizes[i] && memcmp(d.data, vb[i], d.size) == 0 ? "same" : "DIFFERENT");
		free(d.data);
	}

	printf("-- keys of each size\n");
	for (i = 0; i < NSIZES; i++) {
		snprintf(val, sizeof(val), "key of size %u", sizes[i]);
		k = B(kb[i], sizes[i]); d = S(val);
		printf("put key size %u: ", sizes[i]); show_rc("put", db->put(db, NULL, &k, &d, 0));
	}
	for (i = 0; i < NSIZES; i++) {
		k = B(kb[i], sizes[i]); d = Z();
		r = db->get(db, NULL, &k, &d, 0);
		printf("get key size %u -> %d ", sizes[i], r); pdbt("data", &d); printf("\n");
		k = B(kb[i], sizes[i]);
		printf("exists: "); show_rc("exists", db->exists(db, NULL, &k, 0));
	}
	/* Cursor walk: keys and values in key order. */
	R(db->cursor(db, NULL, &c, 0));
	k = Z(); d = Z();
	while ((r = c->get(c, &k, &d, DB_NEXT)) == 0) {
		printf("  "); pitem("key", &k); printf(" "); pitem("data", &d); printf("\n");
	}
	printf("  end %d\n", r);

	printf("-- partial reads of the 10 MB value and key\n");
	{
		u_int32_t offs[][2] = { { 0, 16 }, { 4096, 100 }, { 5000000, 3000 },
		    { 10485700, 100 }, { 10485760, 10 }, { 20000000, 1 } };
		for (j = 0; j < 6; j++) {
			k = S("v5"); d = Z(); d.flags = DB_DBT_PARTIAL; d.doff = offs[j][0]; d.dlen = offs[j][1];
			r = db->get(db, NULL, &k, &d, 0);
			printf("partial %u/%u -> %d ", offs[j][0], offs[j][1], r); pitem("data", &d);
			printf(" %s\n", d.size == 0 || memcmp(d.data, vb[5] + offs[j][0], d.size) == 0 ? "same" : "DIFFERENT");
		}
		k = B(kb[5], sizes[5]); d = Z(); d.flags = DB_DBT_PARTIAL; d.doff = 4; d.dlen = 4;
		R(c->get(c, &k, &d, DB_SET)); pdbt("  data", &d); printf("\n");
		k = Z(); d = Z(); k.flags = DB_DBT_USERMEM; k.data = key; k.ulen = sizeof(key);
		r = R(c->get(c, &k, &d, DB_CURRENT)); printf("  key size=%u\n", k.size);
	}

	printf("-- partial writes into the 100000-byte value\n");
	k = S("v4"); d = S("PATCH"); d.flags = DB_DBT_PARTIAL; d.doff = 50000; d.dlen = 5;
	R(db->put(db, NULL, &k, &d, 0));
	k = S("v4"); d = S("END"); d.flags = DB_DBT_PARTIAL; d.doff = 100000; d.dlen = 0;
	R(db->put(db, NULL, &k, &d, 0));
	k = S("v4"); d = Z(); R(db->get(db, NULL, &k, &d, 0)); pitem("  data", &d); printf("\n");
	k = S("v4"); d = Z(); d.flags = DB_DBT_PARTIAL; d.doff = 49998; d.dlen = 9;
	R(db->get(db, NULL, &k, &d, 0)); pdbt("  data", &d); printf("\n");
	k = S("v4"); d = Z(); d.flags = DB_DBT_PARTIAL; d.doff = 99998; d.dlen = 9;
	R(db->get(db, NULL, &k, &d, 0)); pdbt("  data", &d); printf("\n");
	/* Shrink the 10 MB value to 3 bytes and grow a 1-byte one to 10 MB. */
	k = S("v5"); d = S("abc"); R(db->put(db, NULL, &k, &d, 0));
	k = S("v1"); d = B(vb[5], sizes[5]); R(db->put(db, NULL, &k, &d, 0));
	k = S("v5"); d = Z(); R(db->get(db, NULL, &k, &d, 0)); pitem("  v5", &d); printf("\n");
	k = S("v1"); d = Z(); R(db->get(db, NULL, &k, &d, 0)); pitem("  v1", &d); printf("\n");
	k = B(kb[5], sizes[5]); R(db->del(db, NULL, &k, 0));
	k = B(kb[5], sizes[5]); R(db->exists(db, NULL, &k, 0));
	R(c->close(c));
	R(db->close(db, 0));
	db = opendb(NULL, NULL, "large.db", NULL, 0, 0);
	k = S("v1"); d = Z(); R(db->get(db, NULL, &k, &d, 0)); pitem("  v1 after reopen", &d); printf("\n");
	k = B(kb[4], sizes[4]); d = Z(); R(db->get(db, NULL, &k, &d, 0)); pdbt("  key size 100000", &d); printf("\n");
	R(db->close(db, 0));

	printf("-- grow to 20000 records and empty, twice\n");
	db = opendb(NULL, NULL, "grow.db", NULL, 0, DB_CREATE);
	for (round = 0; round < 2; round++) {
		for (i = 0; i < 20000; i++) {
			j = (i * 7919u) % 20000u;
			snprintf(key, sizeof(key), "key%06u", j);
			snprintf(val, sizeof(val), "round %d value %u %.*s", round, j, (int)(j % 40), "........................................");
			k = S(key); d = S(val);
			if ((r = db->put(db, NULL, &k, &d, DB_NOOVERWRITE)) != 0) { printf("put %u -> %d\n", i, r); break; }
		}
		R(db->cursor(db, NULL, &c, 0));
		n = 0; k = Z(); d = Z();
		while ((r = c->get(c, &k, &d, DB_NEXT)) == 0) {
			snprintf(key, sizeof(key), "key%06u", n);
			if (k.size != strlen(key) || memcmp(k.data, key, k.size) != 0) { printf("order broken at %u\n", n); break; }
			n++;
		}
		printf("round %d: %u records in order, end %d\n", round, n, r);
		k = S("key012345"); d = Z(); R(db->get(db, NULL, &k, &d, 0)); pkd(&k, &d);
		/* Empty it: the odd keys with DB->del, the rest through the cursor. */
		for (i = 1; i < 20000; i += 2) {
			snprintf(key, sizeof(key), "key%06u", i);
			k = S(key);
			if ((r = db->del(db, NULL, &k, 0)) != 0) { printf("del %u -> %d\n", i, r); break; }
		}
		n = 0;
		while ((r = c->get(c, &k, &d, DB_FIRST)) == 0) {
			if ((r = c->del(c, 0)) != 0) { printf("c del -> %d\n", r); break; }
			n++;
		}
		printf("round %d: cursor deleted %u, end %d\n", round, n, r);
		CG(c, DB_FIRST, NULL, NULL);
		CG(c, DB_LAST, NULL, NULL);
		k = S("key000000"); R(db->exists(db, NULL, &k, 0));
		R(c->close(c));
	}
	k = S("after"); d = S("works"); R(db->put(db, NULL, &k, &d, 0));
	dump(db, "grow.db");
	R(db->close(db, 0));
	for (i = 0; i < NSIZES; i++) { free(kb[i]); free(vb[i]); }
	return 0;
}
