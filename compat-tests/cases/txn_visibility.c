/* Transaction visibility in one thread: a transaction's writes are seen by
 * itself and, after commit, by everyone; after abort by no one. Nested
 * transactions: a child sees its parent's writes, a child's commit merges
 * its writes into the parent (still undone by the parent's abort), a
 * child's abort discards only the child's writes. DB_TXN->id (nonzero,
 * distinct for parent and child: values are not printed), set_name /
 * get_name, discard of a transaction that was not prepared, committing or
 * aborting a parent with an unresolved child (libdb resolves the child the
 * same way), the parent used while its child is open, a cursor left open at
 * commit, and txn_begin argument checks. A DB_TXN handle is freed by commit,
 * abort and discard, so it is never used afterwards. */
#include "txn_common.h"

int main(void)
{
	DB_ENV *env;
	DB *db;
	DB_TXN *t1, *t2, *p, *c1, *c2, *gc;
	DBC *cur;
	const char *name;
	u_int32_t pid_, cid;

	env = opentxnenv(0);
	db = opendb(env, NULL, "vis.db", NULL, 0, DB_CREATE | DB_AUTO_COMMIT);

	printf("-- commit and abort\n");
	R(env->txn_begin(env, NULL, &t1, 0));
	tput(db, t1, "t1", "a", "1", 0);
	tput(db, t1, "t1", "b", "1", 0);
	tget(db, t1, "t1", "a", 0);
	R(t1->commit(t1, 0));
	tget(db, NULL, "-", "a", 0);
	tget(db, NULL, "-", "b", 0);
	R(env->txn_begin(env, NULL, &t2, 0));
	tput(db, t2, "t2", "a", "2", 0);
	tput(db, t2, "t2", "c", "2", 0);
	tdel(db, t2, "t2", "b");
	tget(db, t2, "t2", "a", 0);
	tget(db, t2, "t2", "b", 0);
	tget(db, t2, "t2", "c", 0);
	tdump(db, t2, "inside t2");
	R(t2->abort(t2));
	tdump(db, NULL, "after t2 aborted");
	/* Auto-commit writes (NULL txn on a DB_AUTO_COMMIT handle). */
	tput(db, NULL, "auto", "d", "auto", 0);
	tdel(db, NULL, "auto", "a");
	tdump(db, NULL, "after auto-commit writes");

	printf("-- nested: child commit merges into parent\n");
	R(env->txn_begin(env, NULL, &p, 0));
	tput(db, p, "p", "p1", "parent", 0);
	R(env->txn_begin(env, p, &c1, 0));
	tget(db, c1, "c1", "p1", 0);
	tput(db, c1, "c1", "c1", "child1", 0);
	tput(db, c1, "c1", "p1", "child1", 0);
	tdel(db, c1, "c1", "d");
	tdump(db, c1, "inside c1");
	R(c1->commit(c1, 0));
	tdump(db, p, "p after c1 committed");
	printf("-- nested: child abort discards only its own writes\n");
	R(env->txn_begin(env, p, &c2, 0));
	tput(db, c2, "c2", "c2", "child2", 0);
	tput(db, c2, "c2", "p1", "child2", 0);
	tdel(db, c2, "c2", "c1");
	tdel(db, c2, "c2", "b");
	tdump(db, c2, "inside c2");
	R(c2->abort(c2));
	tdump(db, p, "p after c2 aborted");
	printf("-- nested: parent abort discards committed children\n");
	R(env->txn_begin(env, p, &c1, 0));
	tput(db, c1, "c1'", "c3", "child3", 0);
	R(env->txn_begin(env, c1, &gc, 0));
	tput(db, gc, "gc", "g", "grandchild", 0);
	R(gc->commit(gc, 0));
	R(c1->commit(c1, 0));
	tdump(db, p, "p before abort");
	R(p->abort(p));
	tdump(db, NULL, "after p aborted");

	printf("-- nested: committed children of a committed parent\n");
	R(env->txn_begin(env, NULL, &p, 0));
	R(env->txn_begin(env, p, &c1, 0));
	tput(db, c1, "c1", "n1", "kept", 0);
	R(c1->commit(c1, 0));
	R(env->txn_begin(env, p, &c2, 0));
	tput(db, c2, "c2", "n2", "dropped", 0);
	R(c2->abort(c2));
	R(p->commit(p, 0));
	tdump(db, NULL, "after p committed");

	printf("-- ids\n");
	R(env->txn_begin(env, NULL, &p, 0));
	R(env->txn_begin(env, p, &c1, 0));
	pid_ = p->id(p);
	cid = c1->id(c1);
	printf("parent id nonzero: %s\n", pid_ != 0 ? "yes" : "no");
	printf("child id nonzero: %s\n", cid != 0 ? "yes" : "no");
	printf("parent and child ids differ: %s\n", pid_ != cid ? "yes" : "no");
	R(env->txn_begin(env, NULL, &t1, 0));
	printf("two top-level ids differ: %s\n", t1->id(t1) != pid_ ? "yes" : "no");
	printf("id stable: %s\n", p->id(p) == pid_ ? "yes" : "no");
	R(t1->abort(t1));

	printf("-- names\n");
	name = (const char *)1;
	R(p->get_name(p, &name));
	printf("unnamed: %s\n", name == NULL ? "NULL" : name == (const char *)1 ? "untouched" : name);
	R(p->set_name(p, "the parent"));
	name = NULL;
	R(p->get_name(p, &name));
	printf("name: %s\n", name ? name : "NULL");
	R(p->set_name(p, "renamed"));
	name = NULL;
	R(p->get_name(p, &name));
	printf("name: %s\n", name ? name : "NULL");
	R(p->set_name(p, ""));
	name = NULL;
	R(p->get_name(p, &name));
	printf("name: \"%s\"\n", name ? name : "NULL");
	R(c1->set_name(c1, "the child"));
	name = NULL;
	R(c1->get_name(c1, &name));
	printf("child name: %s\n", name ? name : "NULL");

	printf("-- the parent used while its child is open\n");
	tput(db, p, "p", "pw", "while child open", 0);
	tget(db, p, "p", "pw", 0);
	tdel(db, p, "p", "b");
	texists(db, p, "p", "b");
	R(db->cursor(db, p, &cur, 0));
	if (cur != NULL) {
		CG(cur, DB_FIRST, NULL, NULL);
		CP(cur, DB_KEYFIRST, "pc", "parent cursor");
		R(cur->close(cur));
	}
	R(env->txn_begin(env, p, &c2, 0));
	tput(db, c2, "c2 (second child)", "c2w", "second child", 0);
	R(c2->commit(c2, 0));
	tput(db, c1, "c1", "cw", "child", 0);
	tget(db, c1, "c1", "pw", 0);

	printf("-- committing a parent with an open child\n");
	R(p->commit(p, 0));
	tdump(db, NULL, "after parent commit (child left open)");

	printf("-- aborting a parent with an open child\n");
	R(env->txn_begin(env, NULL, &p, 0));
	R(env->txn_begin(env, p, &c1, 0));
	tput(db, c1, "c1", "lost", "child of aborted parent", 0);
	R(env->txn_begin(env, c1, &gc, 0));
	tput(db, gc, "gc", "lost2", "grandchild of aborted parent", 0);
	R(p->abort(p));
	tdump(db, NULL, "after parent abort (children left open)");

	printf("-- a cursor left open at commit and at abort\n");
	R(env->txn_begin(env, NULL, &t1, 0));
	R(db->cursor(db, t1, &cur, 0));
	CP(cur, DB_KEYFIRST, "cur", "cursor write");
	CG(cur, DB_FIRST, NULL, NULL);
	R(t1->commit(t1, 0));
	R(env->txn_begin(env, NULL, &t1, 0));
	R(db->cursor(db, t1, &cur, 0));
	CP(cur, DB_KEYFIRST, "cur2", "aborted cursor write");
	R(t1->abort(t1));
	tdump(db, NULL, "after cursor transactions");

	printf("-- txn_begin and commit arguments\n");
	t1 = NULL;
	R(env->txn_begin(env, NULL, &t1, 0x40000000));
	R(env->txn_begin(env, NULL, &t1, DB_TXN_SYNC | DB_TXN_NOSYNC));
	R(env->txn_begin(env, NULL, &t1, DB_TXN_NOSYNC | DB_TXN_WRITE_NOSYNC));
	R(env->txn_begin(env, NULL, &t1, DB_TXN_SYNC | DB_TXN_WRITE_NOSYNC));
	/* A commit with bad flags reports them and still resolves the
	 * transaction (the handle is gone either way). */
	R(env->txn_begin(env, NULL, &t1, DB_TXN_SYNC));
	tput(db, t1, "t1", "badflag1", "x", 0);
	R(t1->commit(t1, 0x40000000));
	tget(db, NULL, "-", "badflag1", 0);
	R(env->txn_begin(env, NULL, &t1, 0));
	tput(db, t1, "t1", "badflag2", "x", 0);
	R(t1->commit(t1, DB_TXN_NOSYNC | DB_TXN_SYNC));
	tget(db, NULL, "-", "badflag2", 0);
	R(env->txn_begin(env, NULL, &t1, 0));
	tput(db, t1, "t1", "nosync", "x", 0);
	R(t1->commit(t1, DB_TXN_NOSYNC));
	R(env->txn_begin(env, NULL, &t1, DB_TXN_NOSYNC));
	tput(db, t1, "t1", "e", "nosync", 0);
	R(t1->commit(t1, DB_TXN_SYNC));
	R(env->txn_begin(env, NULL, &t1, DB_TXN_WRITE_NOSYNC));
	tput(db, t1, "t1", "f", "write nosync", 0);
	R(t1->commit(t1, 0));
	tdump(db, NULL, "final");

	R(db->close(db, 0));
	R(env->close(env, 0));

	/* DB_TXN->discard of a transaction that is not prepared panics the
	 * environment in libdb: that part is compat-tests/pending/txn_discard.c. */
	return 0;
}
