/* Pending: bulk gets (DB_MULTIPLE_KEY), which Tern does not build yet, of a
 * transaction's view (its own writes merged with committed data) and after
 * it commits. The rest of this scenario is compat-tests/cases/btree_txn_env.c. */
#include "txn_common.h"

static void bulk(DB *db, DB_TXN *t, const char *label)
{
	DBC *c;
	DBT k = Z(), d = Z();
	static char buf[64 * 1024];
	void *p, *kp, *dp;
	size_t kl, dl;
	int r, n = 0;
	printf("bulk %s:", label);
	if ((r = db->cursor(db, t, &c, 0)) != 0) { printf(" cursor -> %s\n", RCS(r)); return; }
	d.data = buf; d.ulen = sizeof(buf); d.flags = DB_DBT_USERMEM;
	while ((r = c->get(c, &k, &d, DB_NEXT | DB_MULTIPLE_KEY)) == 0) {
		DB_MULTIPLE_INIT(p, &d);
		for (;;) {
			DB_MULTIPLE_KEY_NEXT(p, &d, kp, kl, dp, dl);
			if (p == NULL) break;
			printf(" %.*s=%.*s", (int)kl, (char *)kp, (int)dl, (char *)dp);
			n++;
		}
	}
	printf(" (%d pairs, end %d)\n", n, r);
	c->close(c);
}

int main(void)
{
	DB_ENV *env;
	DB *db;
	DB_TXN *t;

	env = opentxnenv(0);
	db = opendb(env, NULL, "view.db", NULL, 0, DB_CREATE | DB_AUTO_COMMIT);
	tput(db, NULL, "auto", "a", "1", 0);
	tput(db, NULL, "auto", "c", "3", 0);
	tput(db, NULL, "auto", "e", "5", 0);
	R(env->txn_begin(env, NULL, &t, 0));
	tput(db, t, "t", "b", "2", 0);
	tdel(db, t, "t", "c");
	tput(db, t, "t", "d", "4", 0);
	bulk(db, t, "in t");
	R(t->commit(t, 0));
	bulk(db, NULL, "after commit");
	R(db->close(db, 0));
	R(env->close(env, 0));
	return 0;
}
