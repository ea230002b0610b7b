/*
 * The demo program: built against the system libdb (cc demo.c -ldb), it is
 * run unchanged on Tern. It opens an environment, stores some records,
 * closes, reopens and reads them back in key order.
 */
#include <db.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(x) do { int r_ = (x); if (r_ != 0) { \
	fprintf(stderr, "%s: %s\n", #x, db_strerror(r_)); exit(1); } } while (0)

static void open_db(DB_ENV **envp, DB **dbp, const char *home)
{
	CHECK(db_env_create(envp, 0));
	CHECK((*envp)->open(*envp, home, DB_CREATE | DB_INIT_MPOOL | DB_INIT_LOG | DB_INIT_TXN | DB_INIT_LOCK, 0));
	CHECK(db_create(dbp, *envp, 0));
	CHECK((*dbp)->open(*dbp, NULL, "birds.db", NULL, DB_BTREE, DB_CREATE | DB_AUTO_COMMIT, 0644));
}

int main(int argc, char **argv)
{
	static const char *birds[][2] = {
		{ "arctic tern", "Sterna paradisaea" }, { "common tern", "Sterna hirundo" },
		{ "sandwich tern", "Thalasseus sandvicensis" }, { "little tern", "Sternula albifrons" },
	};
	const char *home = argc > 1 ? argv[1] : ".";
	DB_ENV *env; DB *db; DBC *c; DBT k, d;
	size_t i;

	printf("library: %s\n", db_version(NULL, NULL, NULL));
	open_db(&env, &db, home);
	for (i = 0; i < sizeof(birds) / sizeof(birds[0]); i++) {
		memset(&k, 0, sizeof k); memset(&d, 0, sizeof d);
		k.data = (void *)birds[i][0]; k.size = (u_int32_t)strlen(birds[i][0]) + 1;
		d.data = (void *)birds[i][1]; d.size = (u_int32_t)strlen(birds[i][1]) + 1;
		CHECK(db->put(db, NULL, &k, &d, 0));
	}
	CHECK(db->close(db, 0));
	CHECK(env->close(env, 0));
	printf("stored %zu records (logged, then checkpointed at close)\n", i);

	open_db(&env, &db, home);
	CHECK(db->cursor(db, NULL, &c, 0));
	memset(&k, 0, sizeof k); memset(&d, 0, sizeof d);
	while (c->get(c, &k, &d, DB_NEXT) == 0)
		printf("  %-14s %s\n", (char *)k.data, (char *)d.data);
	CHECK(c->close(c));
	CHECK(db->close(db, 0));
	CHECK(env->close(env, 0));
	return 0;
}
