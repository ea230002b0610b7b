/* DB_TXN->discard of a transaction that was neither prepared nor restored
 * by recovery: libdb reports BDB4532, panics the environment (BDB0061), and
 * every later call returns DB_RUNRECOVERY until the environment is
 * recovered. Kept pending: Tern returns DB_OPNOTSUP for discard until
 * prepare/txn_recover exist. */
#include "txn_common.h"

int main(void)
{
	DB_ENV *env;
	DB *db;
	DB_TXN *t1, *t2;
	/* Last, in an environment of its own: libdb panics the environment
	 * when DB_TXN->discard is called on a transaction that was not
	 * restored by recovery, so everything after it fails with
	 * DB_RUNRECOVERY until the environment is recovered. */
	printf("-- discard of a transaction that is not prepared\n");
	env = openenv("discard", TXN_ENV_FLAGS);
	db = opendb(env, NULL, "d.db", NULL, 0, DB_CREATE | DB_AUTO_COMMIT);
	tput(db, NULL, "auto", "kept", "committed", 0);
	R(env->txn_begin(env, NULL, &t1, 0));
	tput(db, t1, "t1", "disc", "x", 0);
	R(t1->discard(t1, 0));
	tget(db, NULL, "-", "kept", 0);
	R(env->txn_begin(env, NULL, &t2, 0));
	R(db->close(db, 0));
	/* env->close lists libdb's internal files still open: not printed. */
	env->set_errcall(env, NULL);
	R(env->close(env, 0));
	env = mkenv();
	R(env->open(env, "discard", TXN_ENV_FLAGS, 0644));
	R(env->close(env, 0));
	env = mkenv();
	R(env->open(env, "discard", TXN_ENV_FLAGS | DB_RECOVER, 0644));
	db = opendb(env, NULL, "d.db", NULL, 0, DB_AUTO_COMMIT);
	tdump(db, NULL, "after recovery");
	R(db->close(db, 0));
	R(env->close(env, 0));
	return 0;
}
