/* DB->put / get / del / exists on a btree without an environment: plain
 * puts, DB_NOOVERWRITE, DB_OVERWRITE_DUP on a dup db, DB_NODUPDATA on a
 * DUPSORT db, DB_GET_BOTH, DB_SET_RECNO with DB_RECNUM, DB_RMW in a locking
 * environment, DB_NOTFOUND, persistence across close/reopen, invalid flags,
 * zero-length keys and data (a NULL
 * DBT pointer crashes libdb and is not tested). */
#include "common.h"

static void get(DB *db, const char *key, u_int32_t flags)
{
	DBT k = S(key), d = Z();
	int r = db->get(db, NULL, &k, &d, flags);
	printf("get %s flags=%#x -> %d", key, flags, r);
	if (r == 0) { printf(" "); pdbt("data", &d); }
	else printf(" (%s)", db_strerror(r));
	printf("\n");
}

int main(void)
{
	DB *db;
	DB_ENV *env;
	DBT k, d;
	db_recno_t rn;
	u_int32_t i;
	char kb[16], db_[16];

	printf("-- plain btree\n");
	db = opendb(NULL, NULL, "plain.db", NULL, 0, DB_CREATE);
	k = S("apple"); d = S("red"); R(db->put(db, NULL, &k, &d, 0));
	k = S("banana"); d = S("yellow"); R(db->put(db, NULL, &k, &d, 0));
	k = S("cherry"); d = S("dark red"); R(db->put(db, NULL, &k, &d, 0));
	get(db, "apple", 0); get(db, "banana", 0); get(db, "durian", 0);
	k = S("apple"); d = S("green"); R(db->put(db, NULL, &k, &d, DB_NOOVERWRITE));
	get(db, "apple", 0);
	k = S("apple"); d = S("green"); R(db->put(db, NULL, &k, &d, 0));
	get(db, "apple", 0);
	k = S("date"); d = S("brown"); R(db->put(db, NULL, &k, &d, DB_NOOVERWRITE));
	get(db, "date", 0);
	/* DB_GET_BOTH: key and data must both match. */
	k = S("apple"); d = S("green"); R(db->get(db, NULL, &k, &d, DB_GET_BOTH)); pkd(&k, &d);
	k = S("apple"); d = S("red"); R(db->get(db, NULL, &k, &d, DB_GET_BOTH));
	k = S("zzz"); d = S("red"); R(db->get(db, NULL, &k, &d, DB_GET_BOTH));
	/* exists */
	k = S("banana"); R(db->exists(db, NULL, &k, 0));
	k = S("bananas"); R(db->exists(db, NULL, &k, 0));
	k = S("banana"); R(db->exists(db, NULL, &k, DB_RMW));
	k = S("banana"); R(db->exists(db, NULL, &k, DB_NEXT));
	/* del */
	k = S("banana"); R(db->del(db, NULL, &k, 0));
	k = S("banana"); R(db->del(db, NULL, &k, 0));
	get(db, "banana", 0);
	k = S("banana"); R(db->exists(db, NULL, &k, 0));
	/* Zero-length key and zero-length data are ordinary items. */
	k = B("", 0); d = S("empty key"); R(db->put(db, NULL, &k, &d, 0));
	k = S("nodata"); d = B("", 0); R(db->put(db, NULL, &k, &d, 0));
	get(db, "", 0); get(db, "nodata", 0);
	/* A key DBT with data NULL and size 0 is the empty key (a NULL DBT
	 * pointer crashes libdb, so it is not tested). */
	k = Z(); d = Z(); R(db->get(db, NULL, &k, &d, 0)); pkd(&k, &d);
	k = Z(); d = S("via null data"); R(db->put(db, NULL, &k, &d, 0));
	get(db, "", 0);
	/* Binary keys with embedded NULs sort bytewise. */
	k = B("a\0b", 3); d = S("nul inside"); R(db->put(db, NULL, &k, &d, 0));
	k = B("a\0b", 3); d = Z(); R(db->get(db, NULL, &k, &d, 0)); pkd(&k, &d);
	/* Invalid flags. */
	k = S("apple"); d = S("x");
	R(db->put(db, NULL, &k, &d, 0x12345));
	R(db->put(db, NULL, &k, &d, DB_APPEND));
	R(db->put(db, NULL, &k, &d, DB_NODUPDATA));
	R(db->put(db, NULL, &k, &d, DB_OVERWRITE_DUP));
	R(db->put(db, NULL, &k, &d, DB_NOOVERWRITE | DB_NODUPDATA));
	R(db->put(db, NULL, &k, &d, DB_CURRENT));
	d = Z();
	R(db->get(db, NULL, &k, &d, 0x12345));
	R(db->get(db, NULL, &k, &d, DB_NEXT));
	R(db->get(db, NULL, &k, &d, DB_SET_RECNO));
	R(db->get(db, NULL, &k, &d, DB_CONSUME));
	R(db->get(db, NULL, &k, &d, DB_RMW));
	R(db->get(db, NULL, &k, &d, DB_MULTIPLE));
	R(db->del(db, NULL, &k, 0x12345));
	R(db->del(db, NULL, &k, DB_MULTIPLE_KEY));
	R(db->exists(db, NULL, &k, 0x12345));
	dump(db, "plain before close");
	R(db->close(db, 0));

	printf("-- reopen\n");
	db = opendb(NULL, NULL, "plain.db", NULL, 0, 0);
	dump(db, "plain after reopen");
	get(db, "cherry", 0);
	R(db->close(db, 0));

	printf("-- unsorted duplicates (DB_DUP)\n");
	db = opendb(NULL, NULL, "dup.db", NULL, DB_DUP, DB_CREATE);
	k = S("k"); d = S("one"); R(db->put(db, NULL, &k, &d, 0));
	k = S("k"); d = S("two"); R(db->put(db, NULL, &k, &d, 0));
	k = S("k"); d = S("one"); R(db->put(db, NULL, &k, &d, 0));
	k = S("k"); d = S("one"); R(db->put(db, NULL, &k, &d, DB_OVERWRITE_DUP));
	k = S("k"); d = S("three"); R(db->put(db, NULL, &k, &d, DB_NOOVERWRITE));
	k = S("k"); d = S("three"); R(db->put(db, NULL, &k, &d, DB_NODUPDATA));
	get(db, "k", 0);
	k = S("k"); d = S("two"); R(db->get(db, NULL, &k, &d, DB_GET_BOTH)); pkd(&k, &d);
	k = S("k"); d = S("four"); R(db->get(db, NULL, &k, &d, DB_GET_BOTH));
	dump(db, "dup");
	/* del removes every duplicate of the key. */
	k = S("k"); R(db->del(db, NULL, &k, 0));
	dump(db, "dup after del");
	R(db->close(db, 0));

	printf("-- sorted duplicates (DB_DUPSORT)\n");
	db = opendb(NULL, NULL, "dupsort.db", NULL, DB_DUPSORT, DB_CREATE);
	k = S("k"); d = S("zeta"); R(db->put(db, NULL, &k, &d, 0));
	k = S("k"); d = S("alpha"); R(db->put(db, NULL, &k, &d, 0));
	k = S("k"); d = S("mu"); R(db->put(db, NULL, &k, &d, 0));
	k = S("k"); d = S("mu"); R(db->put(db, NULL, &k, &d, 0));
	k = S("k"); d = S("mu"); R(db->put(db, NULL, &k, &d, DB_NODUPDATA));
	k = S("k"); d = S("nu"); R(db->put(db, NULL, &k, &d, DB_NODUPDATA));
	k = S("k"); d = S("mu"); R(db->put(db, NULL, &k, &d, DB_OVERWRITE_DUP));
	k = S("j"); d = S("x"); R(db->put(db, NULL, &k, &d, DB_NODUPDATA));
	k = S("j"); d = S("y"); R(db->put(db, NULL, &k, &d, DB_NOOVERWRITE));
	get(db, "k", 0);
	k = S("k"); d = S("nu"); R(db->get(db, NULL, &k, &d, DB_GET_BOTH)); pkd(&k, &d);
	k = S("k"); d = S("n"); R(db->get(db, NULL, &k, &d, DB_GET_BOTH));
	dump(db, "dupsort");
	R(db->close(db, 0));

	printf("-- DB_RECNUM and DB_SET_RECNO\n");
	db = opendb(NULL, NULL, "recnum.db", NULL, DB_RECNUM, DB_CREATE);
	for (i = 0; i < 10; i++) {
		snprintf(kb, sizeof(kb), "key%02u", 9 - i);
		snprintf(db_, sizeof(db_), "val%u", 9 - i);
		k = S(kb); d = S(db_);
		if (db->put(db, NULL, &k, &d, 0) != 0) printf("put failed\n");
	}
	for (rn = 0; rn <= 11; rn += (rn < 2 || rn > 8) ? 1 : 3) {
		k = B(&rn, sizeof(rn)); d = Z();
		printf("recno %u:\n", rn);
		if (show_rc("get DB_SET_RECNO", db->get(db, NULL, &k, &d, DB_SET_RECNO)) == 0)
			pkd(&k, &d);
	}
	k = B("x", 1); d = Z(); R(db->get(db, NULL, &k, &d, DB_SET_RECNO));
	k = S("key03"); R(db->del(db, NULL, &k, 0));
	rn = 4; k = B(&rn, sizeof(rn)); d = Z();
	if (R(db->get(db, NULL, &k, &d, DB_SET_RECNO)) == 0) pkd(&k, &d);
	R(db->close(db, 0));

	printf("-- DB_RMW in a locking environment\n");
	env = openenv("lockenv", DB_CREATE | DB_INIT_MPOOL | DB_INIT_LOCK);
	db = opendb(env, NULL, "rmw.db", NULL, 0, DB_CREATE);
	k = S("a"); d = S("1"); R(db->put(db, NULL, &k, &d, 0));
	get(db, "a", DB_RMW);
	get(db, "b", DB_RMW);
	k = S("a"); d = S("1"); R(db->get(db, NULL, &k, &d, DB_GET_BOTH | DB_RMW));
	k = S("a"); R(db->exists(db, NULL, &k, DB_RMW));
	R(db->close(db, 0));
	R(env->close(env, 0));
	return 0;
}
