/* Several named databases in one file: creating them, the master database
 * listing their names (keys only: the data is a page number), DB_EXCL on a
 * subdatabase, the empty name, get_dbname, a subdatabase in a file without
 * them, DB->remove / DB->rename of a subdatabase, and
 * DB_ENV->dbremove / dbrename. */
#include "subdb_common.h"

int main(void)
{
	DB *db, *a, *b;
	DB_ENV *env;
	DBT k, d;
	DBTYPE t;
	const char *f, *n;
	u_int32_t u;

	printf("-- creating subdatabases\n");
	/* Without an environment each handle has its own cache: handles on
	 * the same file are opened one at a time. */
	a = mkdb(NULL);
	R(a->open(a, NULL, "multi.db", "one", DB_BTREE, DB_CREATE, 0644));
	f = n = NULL; R(a->get_dbname(a, &f, &n)); printf("  dbname %s %s\n", f, n);
	put1(a, "k1", "one-1"); put1(a, "k2", "one-2");
	dump(a, "one");
	R(a->close(a, 0));
	b = mkdb(NULL);
	R(b->open(b, NULL, "multi.db", "two", DB_BTREE, DB_CREATE, 0644));
	put1(b, "k1", "two-1");
	dump(b, "two");
	R(b->close(b, 0));
	db = mkdb(NULL);
	R(db->open(db, NULL, "multi.db", "", DB_BTREE, DB_CREATE, 0644));
	put1(db, "k", "empty name");
	R(db->close(db, 0));
	names(NULL, "multi.db");

	printf("-- reopening\n");
	db = mkdb(NULL);
	R(db->open(db, NULL, "multi.db", "one", DB_UNKNOWN, 0, 0));
	t = 0; R(db->get_type(db, &t)); printf("  type %d\n", (int)t);
	dump(db, "one reopened");
	R(db->close(db, 0));
	db = mkdb(NULL);
	R(db->open(db, NULL, "multi.db", "four", DB_BTREE, 0, 0));
	R(db->close(db, 0));
	db = mkdb(NULL);
	R(db->open(db, NULL, "multi.db", "two", DB_BTREE, DB_CREATE | DB_EXCL, 0644));
	R(db->close(db, 0));
	/* (DB_TRUNCATE on a subdatabase corrupts the file in libdb 5.3: not
	 * tested.) */
	db = mkdb(NULL);
	R(db->open(db, NULL, "multi.db", "five", DB_BTREE, DB_CREATE | DB_EXCL, 0644));
	put1(db, "k", "five");
	R(db->close(db, 0));
	names(NULL, "multi.db");

	printf("-- the master database\n");
	db = mkdb(NULL);
	R(db->open(db, NULL, "multi.db", NULL, DB_UNKNOWN, 0, 0));
	R(db->close(db, 0));
	db = mkdb(NULL);
	R(db->open(db, NULL, "multi.db", NULL, DB_UNKNOWN, DB_RDONLY, 0));
	t = 0; R(db->get_type(db, &t)); printf("  type %d\n", (int)t);
	k = S("one"); R(db->exists(db, NULL, &k, 0));
	k = S("nope"); R(db->exists(db, NULL, &k, 0));
	k = S("x"); d = S("y"); R(db->put(db, NULL, &k, &d, 0));
	R(db->close(db, 0));
	db = mkdb(NULL);
	R(db->open(db, NULL, "multi.db", NULL, DB_HASH, 0, 0));
	R(db->close(db, 0));

	printf("-- subdatabases and plain files\n");
	db = opendb(NULL, NULL, "plain.db", NULL, 0, DB_CREATE);
	put1(db, "a", "b");
	R(db->close(db, 0));
	db = mkdb(NULL);
	R(db->open(db, NULL, "plain.db", "sub", DB_BTREE, DB_CREATE, 0644));
	R(db->close(db, 0));
	db = mkdb(NULL);
	R(db->open(db, NULL, "plain.db", "sub", DB_BTREE, 0, 0));
	R(db->close(db, 0));
	db = mkdb(NULL);
	R(db->open(db, NULL, NULL, "memsub", DB_BTREE, DB_CREATE, 0644));
	R(db->close(db, 0));

	printf("-- DB->remove and DB->rename of subdatabases\n");
	db = mkdb(NULL); R(db->remove(db, "multi.db", "two", 0));
	names(NULL, "multi.db");
	db = mkdb(NULL); R(db->remove(db, "multi.db", "two", 0));
	db = mkdb(NULL); R(db->remove(db, "multi.db", "two", 0x4000));
	db = mkdb(NULL); R(db->rename(db, "multi.db", "one", "uno", 0));
	names(NULL, "multi.db");
	db = mkdb(NULL); R(db->rename(db, "multi.db", "uno", "five", 0));
	names(NULL, "multi.db");
	db = mkdb(NULL); R(db->rename(db, "multi.db", "nope", "x", 0));
	db = mkdb(NULL);
	R(db->open(db, NULL, "multi.db", "uno", DB_BTREE, 0, 0));
	dump(db, "uno");
	f = n = NULL; R(db->get_dbname(db, &f, &n)); printf("  dbname %s %s\n", f, n);
	R(db->close(db, 0));
	db = mkdb(NULL);
	R(db->open(db, NULL, "multi.db", "one", DB_BTREE, 0, 0));
	R(db->close(db, 0));

	printf("-- DB_ENV->dbremove and dbrename\n");
	env = openenv("envhome", DB_CREATE | DB_INIT_MPOOL);
	db = mkdb(env);
	R(db->open(db, NULL, "e.db", "s1", DB_BTREE, DB_CREATE, 0644));
	put1(db, "k", "s1");
	R(db->close(db, 0));
	db = mkdb(env);
	R(db->open(db, NULL, "e.db", "s2", DB_BTREE, DB_CREATE, 0644));
	put1(db, "k", "s2");
	R(db->close(db, 0));
	names(env, "e.db");
	R(env->dbrename(env, NULL, "e.db", "s1", "renamed", 0));
	names(env, "e.db");
	R(env->dbremove(env, NULL, "e.db", "s2", 0));
	names(env, "e.db");
	R(env->dbremove(env, NULL, "e.db", "s2", 0));
	R(env->dbrename(env, NULL, "e.db", "s2", "x", 0));
	R(env->dbremove(env, NULL, "e.db", "s2", 0x7777));
	db = mkdb(env);
	R(db->open(db, NULL, "e.db", "renamed", DB_BTREE, 0, 0));
	dump(db, "renamed");
	R(db->close(db, 0));
	R(env->dbremove(env, NULL, "e.db", "renamed", 0));
	names(env, "e.db");
	R(env->dbremove(env, NULL, "e.db", NULL, 0));
	printf("e.db exists: %s\n", access("envhome/e.db", F_OK) == 0 ? "yes" : "no");
	R(env->close(env, 0));
	return 0;
}
