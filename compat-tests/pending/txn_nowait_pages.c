/* Kept pending on purpose: libdb's page-granularity locking. A NOWAIT
 * transaction is refused another key on a page a transaction locked (the
 * databases are tiny: every key sits on one leaf page). Tern locks keys
 * (DESIGN.md, next-key locking), so it grants these; the rest of the NOWAIT
 * behaviour is compat-tests/cases/txn_nowait.c. */
#include "txn_common.h"

int main(void)
{
	DB_ENV *env;
	DB *db, *other;
	DB_TXN *t1, *t2;

	env = opentxnenv(0);
	db = opendb(env, NULL, "data.db", NULL, 0, DB_CREATE | DB_AUTO_COMMIT);
	other = opendb(env, NULL, "other.db", NULL, 0, DB_CREATE | DB_AUTO_COMMIT);
	tput(db, NULL, "setup", "k", "committed", 0);
	tput(db, NULL, "setup", "m", "committed", 0);
	tput(other, NULL, "setup", "o", "other db", 0);

	printf("-- page locking: another key of the same database\n");
	R(env->txn_begin(env, NULL, &t1, 0));
	tput(db, t1, "t1", "k", "t1", 0);
	R(env->txn_begin(env, NULL, &t2, DB_TXN_NOWAIT));
	tget(db, t2, "t2", "m", 0);
	tput(db, t2, "t2", "z", "new key", 0);
	tget(other, t2, "t2", "o", 0);
	R(t2->abort(t2));
	R(t1->abort(t1));
	R(env->txn_begin(env, NULL, &t1, 0));
	tget(db, t1, "t1", "k", 0);
	R(env->txn_begin(env, NULL, &t2, DB_TXN_NOWAIT));
	tdel(db, t2, "t2", "m");
	R(t2->abort(t2));
	R(t1->commit(t1, 0));

	tdump(db, NULL, "data.db");
	R(other->close(other, 0));
	R(db->close(db, 0));
	R(env->close(env, 0));
	return 0;
}
