/* DB methods libdb forwards to the environment: refused on a DB created in
 * an application's environment, with libdb's message; and set_create_dir /
 * set_partition_dirs, which need one of the environment's data directories. */
#include "config_common.h"
#include <stdlib.h>

int main(void)
{
	DB_ENV *env;
	DB *db;
	u_int32_t g, b, u;
	int n;
	void *(*m)(size_t);
	void *(*r)(void *, size_t);
	void (*f)(void *);
	const char *dirs[] = { "d1", NULL };

	if (db_env_create(&env, 0) != 0) return 1;
	env->set_errcall(env, errcall);
	env->set_errpfx(env, "fwd");
	if (db_create(&db, env, 0) != 0) return 1;
	printf("set_cachesize = %d\n", db->set_cachesize(db, 0, 1 << 20, 1));
	printf("get_cachesize = %d\n", db->get_cachesize(db, &g, &b, &n));
	printf("set_encrypt = %d\n", db->set_encrypt(db, "secret", 0));
	printf("set_encrypt(bad flags) = %d\n", db->set_encrypt(db, "secret", 0x4));
	printf("get_encrypt_flags = %d\n", db->get_encrypt_flags(db, &u));
	printf("set_alloc = %d\n", db->set_alloc(db, malloc, realloc, free));
	printf("get_alloc = %d\n", db->get_alloc(db, &m, &r, &f));
	printf("set_flags(DB_ENCRYPT) = %d\n", db->set_flags(db, DB_ENCRYPT));
	printf("set_create_dir(d1) = %d\n", db->set_create_dir(db, "d1"));
	printf("set_partition_dirs(d1) = %d\n", db->set_partition_dirs(db, dirs));
	printf("close = %d\n", db->close(db, 0));
	printf("env close = %d\n", env->close(env, 0));

	if ((db = fresh(NULL)) == NULL) return 1;
	printf("private: set_create_dir(d1) = %d\n", db->set_create_dir(db, "d1"));
	printf("private: set_partition_dirs(d1) = %d\n", db->set_partition_dirs(db, dirs));
	printf("close = %d\n", db->close(db, 0));
	return 0;
}
