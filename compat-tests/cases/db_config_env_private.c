/* DB methods libdb forwards to the environment, on a DB with its private
 * environment (db_create without one): cache size, encryption (which also
 * turns on DB_ENCRYPT), allocators, panic call; and set_create_dir /
 * set_partition_dirs against an application environment's data dirs. */
#include "config_common.h"
#include <stdlib.h>

static void panic(DB_ENV *e, int code) { }

int main(void)
{
	DB_ENV *env;
	DB *db;
	u_int32_t g, b, u;
	int n;
	void *(*m)(size_t);
	void *(*r)(void *, size_t);
	void (*f)(void *);
	const char *s, *dirs[] = { "d2", "d1", NULL }, *bad[] = { "d1", "zz", NULL }, **out;

	if ((db = fresh(NULL)) == NULL) return 1;
	{ int r_ = db->get_cachesize(db, &g, &b, &n); printf("get_cachesize = %d %u %u %d\n", r_, g, b, n); }
	printf("set_cachesize = %d\n", db->set_cachesize(db, 0, 1 << 20, 1));
	{ int r_ = db->get_cachesize(db, &g, &b, &n); printf("get_cachesize = %d %u %u %d\n", r_, g, b, n); }
	{ int r_ = db->get_encrypt_flags(db, &u); printf("get_encrypt_flags = %d %#x\n", r_, u); }
	printf("set_encrypt(empty) = %d\n", db->set_encrypt(db, "", 0));
	printf("set_encrypt = %d\n", db->set_encrypt(db, "secret", DB_ENCRYPT_AES));
	{ int r_ = db->get_encrypt_flags(db, &u); printf("get_encrypt_flags = %d %#x\n", r_, u); }
	{ int r_ = db->get_flags(db, &u); printf("get_flags = %d %#x\n", r_, u); }
	printf("set_flags(DB_ENCRYPT) = %d\n", db->set_flags(db, DB_ENCRYPT));
	printf("set_alloc = %d\n", db->set_alloc(db, malloc, realloc, free));
	{ int r_ = db->get_alloc(db, &m, &r, &f); printf("get_alloc = %d %d %d %d\n", r_, m == malloc, r == realloc, f == free); }
	printf("set_paniccall = %d\n", db->set_paniccall(db, panic));
	printf("close = %d\n", db->close(db, 0));

	if (db_env_create(&env, 0) != 0) return 1;
	env->set_errcall(env, errcall);
	printf("add_data_dir(d1) = %d\n", env->add_data_dir(env, "d1"));
	printf("add_data_dir(d2) = %d\n", env->add_data_dir(env, "d2"));
	if (db_create(&db, env, 0) != 0) return 1;
	printf("set_paniccall in env = %d\n", db->set_paniccall(db, panic));
	printf("set_create_dir(d2) = %d\n", db->set_create_dir(db, "d2"));
	{ int r_ = db->get_create_dir(db, &s); printf("get_create_dir = %d %s\n", r_, s); }
	printf("set_create_dir(d3) = %d\n", db->set_create_dir(db, "d3"));
	{ int r_ = db->get_create_dir(db, &s); printf("get_create_dir = %d %s\n", r_, s); }
	printf("set_partition_dirs(bad) = %d\n", db->set_partition_dirs(db, bad));
	printf("set_partition_dirs = %d\n", db->set_partition_dirs(db, dirs));
	{ int r_ = db->get_partition_dirs(db, &out); printf("get_partition_dirs = %d %s %s %d\n", r_, out[0], out[1], out[2] == NULL); }
	printf("close = %d\n", db->close(db, 0));
	printf("env close = %d\n", env->close(env, 0));
	return 0;
}
