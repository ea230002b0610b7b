/* Application log records: DB_ENV->log_printf (libdb's __db_debug record:
 * op "DIAGNOSTIC", fileid -1, the text, empty data, arg_flags 0) and
 * DB_ENV->log_put_record with a record specification of every argument
 * kind, read back through a log cursor (DB_LAST) and decoded field by
 * field. Transaction ids, LSNs and database file ids differ between the
 * libraries, so only their relations are printed: the txnid field is the
 * transaction's id, a transaction's first record has a zero prev_lsn and
 * its second names the first, two records of one database carry the same
 * file id and another database's differs. Also: flag checks, a parent with
 * an active child (EPERM), and an environment without a log. */
#include "common.h"

static DB_LSN last_lsn;

static u_int32_t rd32(const unsigned char **p)
{
	u_int32_t v;
	memcpy(&v, *p, 4);
	*p += 4;
	return v;
}

static void rdlsn(const unsigned char **p, DB_LSN *l)
{
	l->file = rd32(p);
	l->offset = rd32(p);
}

static void rddbt(const char *name, const unsigned char **p)
{
	u_int32_t n = rd32(p);
	printf("  %s[%u]=\"", name, n);
	pbytes(*p, n);
	printf("\"\n");
	*p += n;
}

/* Reads the last record; prints its header facts; leaves p after it. */
static const unsigned char *last_record(DB_ENV *env, DBT *d, u_int32_t want_txnid, DB_LSN *prev)
{
	DB_LOGC *lc;
	const unsigned char *p;
	int r;
	memset(d, 0, sizeof *d);
	d->flags = DB_DBT_MALLOC;
	R(env->log_cursor(env, &lc, 0));
	r = lc->get(lc, &last_lsn, d, DB_LAST);
	if (r != 0) { printf("  DB_LAST -> %d\n", r); lc->close(lc, 0); return NULL; }
	lc->close(lc, 0);
	p = d->data;
	printf("  record of %u bytes, rectype %u", d->size, rd32(&p));
	printf(", txnid %s", rd32(&p) == want_txnid ? "as expected" : "UNEXPECTED");
	rdlsn(&p, prev);
	printf("\n");
	return p;
}

/* The application's dispatch function: says what it was handed and, as
 * libdb's recovery functions do, moves *lsn to the record's prev_lsn. */
static int dispatch(DB_ENV *env, DBT *rec, DB_LSN *lsn, db_recops op)
{
	const unsigned char *p = rec->data;
	u_int32_t type, a;
	(void)env;
	type = rd32(&p);
	p += 4;
	rdlsn(&p, lsn);		/* undo goes on at the record's prev_lsn */
	a = rd32(&p);
	printf("  dispatch op %d rectype %u a %u\n", (int)op, type, a);
	return 0;
}

static void put_a(DB_ENV *env, DB_TXN *txn, u_int32_t a, DBT *key);

/* errcb, with the LSN in "log undo failed for LSN: F O" masked. */
static void errcb_nolsn(const DB_ENV *e, const char *pfx, const char *msg)
{
	const char *at = strstr(msg, "LSN: ");
	const char *colon;
	(void)e;
	if (at != NULL && (colon = strchr(at + 5, ':')) != NULL)
		printf("  err[%s] %.*sLSN: F O%s\n", pfx ? pfx : "-", (int)(at - msg), msg, colon);
	else
		printf("  err[%s] %s\n", pfx ? pfx : "-", msg);
}

static DB_LOG_RECSPEC spec[] = {
	{LOGREC_ARG, 0, "a", "%lu"},
	{LOGREC_DB, 0, "fileid", ""},
	{LOGREC_DBT, 0, "key", ""},
	{LOGREC_DBT, 0, "nokey", ""},
	{LOGREC_POINTER, 0, "lsn", ""},
	{LOGREC_POINTER, 0, "nolsn", ""},
	{LOGREC_TIME, 0, "time", "%ld"},
	{LOGREC_OP, 0, "op", "%lu"},
	{LOGREC_Done, 0, "", ""}
};
static DB_LOG_RECSPEC nodb_spec[] = {
	{LOGREC_ARG, 0, "a", "%lu"},
	{LOGREC_DBT, 0, "key", ""},
	{LOGREC_Done, 0, "", ""}
};

static void put_a(DB_ENV *env, DB_TXN *txn, u_int32_t a, DBT *key)
{
	DB_LSN got;
	int r = env->log_put_record(env, NULL, txn, &got, 0, 20001, 0, 27, nodb_spec, a, key);
	if (r != 0) printf("  put a %u -> %d\n", a, r);
}

int main(void)
{
	DB_ENV *env, *plain;
	DB_TXN *txn, *child;
	DB *db, *db2;
	DBT d, key;
	DB_LSN prev, first, ptr, got;
	const unsigned char *p;
	u_int32_t id1, id2, size;
	int r;

	env = openenv("h", DB_CREATE | DB_INIT_MPOOL | DB_INIT_LOG | DB_INIT_TXN | DB_INIT_LOCK);

	printf("-- log_printf without a transaction\n");
	R(env->log_printf(env, NULL, "hello %d %s", 42, "world"));
	if ((p = last_record(env, &d, 0, &prev)) != NULL) {
		printf("  prev zero: %s\n", prev.file == 0 && prev.offset == 0 ? "yes" : "no");
		rddbt("op", &p);
		printf("  fileid %d\n", (int32_t)rd32(&p));
		rddbt("key", &p);
		rddbt("data", &p);
		printf("  arg_flags %u\n", rd32(&p));
		printf("  consumed all: %s\n", p == (unsigned char *)d.data + d.size ? "yes" : "no");
		free(d.data);
	}
	R(env->log_printf(env, NULL, "%s", ""));
	if ((p = last_record(env, &d, 0, &prev)) != NULL) {
		rddbt("op", &p); rd32(&p); rddbt("key", &p);
		free(d.data);
	}

	printf("-- log_printf in a transaction\n");
	R(env->txn_begin(env, NULL, &txn, 0));
	R(env->log_printf(env, txn, "first in txn"));
	if ((p = last_record(env, &d, txn->id(txn), &prev)) != NULL) {
		printf("  prev zero: %s\n", prev.file == 0 && prev.offset == 0 ? "yes" : "no");
		first = last_lsn;
		free(d.data);
	}
	R(env->log_printf(env, txn, "second in txn"));
	if ((p = last_record(env, &d, txn->id(txn), &prev)) != NULL) {
		printf("  prev is the first: %s\n", log_compare(&prev, &first) == 0 ? "yes" : "no");
		rddbt("op", &p); rd32(&p); rddbt("key", &p);
		free(d.data);
	}
	R(env->txn_begin(env, txn, &child, 0));
	R(env->log_printf(env, txn, "parent with a child"));
	R(env->log_printf(env, child, "in the child"));
	if ((p = last_record(env, &d, child->id(child), &prev)) != NULL) {
		printf("  prev zero: %s\n", prev.file == 0 && prev.offset == 0 ? "yes" : "no");
		free(d.data);
	}
	R(child->commit(child, 0));
	R(txn->commit(txn, 0));

	printf("-- log_put_record\n");
	db = opendb(env, NULL, "a.db", NULL, 0, DB_CREATE | DB_AUTO_COMMIT);
	db2 = opendb(env, NULL, "b.db", NULL, 0, DB_CREATE | DB_AUTO_COMMIT);
	memset(&key, 0, sizeof key);
	key.data = "app key";
	key.size = 7;
	ptr.file = 7;
	ptr.offset = 1234;
	size = 4 + 4 + 8 + 4 + 4 + 4 + 7 + 4 + 8 + 8 + 4 + 4;
	memset(&got, 0, sizeof got);
	R(env->log_put_record(env, db, NULL, &got, DB_FLUSH, 20000, 0, size, spec,
	    (u_int32_t)77, &key, (DBT *)NULL, &ptr, (DB_LSN *)NULL, (u_int32_t)1700000000, (u_int32_t)3));
	if ((p = last_record(env, &d, 0, &prev)) != NULL) {
		printf("  returned LSN is the record's: %s\n", log_compare(&got, &last_lsn) == 0 ? "yes" : "no");
		printf("  a %u\n", rd32(&p));
		id1 = rd32(&p);
		rddbt("key", &p);
		rddbt("nokey", &p);
		rdlsn(&p, &prev); printf("  lsn %u/%u\n", prev.file, prev.offset);
		rdlsn(&p, &prev); printf("  nolsn %u/%u\n", prev.file, prev.offset);
		printf("  time %u\n", rd32(&p));
		printf("  op %u\n", rd32(&p));
		printf("  consumed all: %s\n", p == (unsigned char *)d.data + d.size ? "yes" : "no");
		free(d.data);
	}
	R(env->log_put_record(env, db, NULL, &got, 0, 20000, 0, size, spec,
	    (u_int32_t)78, &key, (DBT *)NULL, &ptr, (DB_LSN *)NULL, (u_int32_t)0, (u_int32_t)0));
	if ((p = last_record(env, &d, 0, &prev)) != NULL) {
		rd32(&p);
		printf("  same database, same file id: %s\n", rd32(&p) == id1 ? "yes" : "no");
		free(d.data);
	}
	R(env->log_put_record(env, db2, NULL, &got, 0, 20000, 0, size, spec,
	    (u_int32_t)79, &key, (DBT *)NULL, &ptr, (DB_LSN *)NULL, (u_int32_t)0, (u_int32_t)0));
	if ((p = last_record(env, &d, 0, &prev)) != NULL) {
		rd32(&p);
		id2 = rd32(&p);
		printf("  another database, another file id: %s\n", id2 != id1 ? "yes" : "no");
		free(d.data);
	}
	R(env->txn_begin(env, NULL, &txn, 0));
	R(env->log_put_record(env, NULL, txn, &got, 0, 20001, 0, 4 + 4 + 8 + 4 + 4 + 7, nodb_spec,
	    (u_int32_t)5, &key));
	if ((p = last_record(env, &d, txn->id(txn), &prev)) != NULL) {
		printf("  prev zero: %s\n", prev.file == 0 && prev.offset == 0 ? "yes" : "no");
		printf("  a %u\n", rd32(&p));
		rddbt("key", &p);
		free(d.data);
	}
	R(txn->commit(txn, 0));

	printf("-- flags\n");
	R(env->log_put_record(env, NULL, NULL, &got, DB_FLUSH | DB_LOG_WRNOSYNC, 20001, 0, 27, nodb_spec,
	    (u_int32_t)5, &key));
	R(env->log_put_record(env, NULL, NULL, &got, 0x40000000, 20001, 0, 27, nodb_spec,
	    (u_int32_t)5, &key));
	R(env->log_put_record(env, NULL, NULL, &got, DB_LOG_WRNOSYNC, 20001, 0, 27, nodb_spec,
	    (u_int32_t)6, &key));

	R(db->close(db, 0));
	R(db2->close(db2, 0));
	R(env->close(env, 0));

	printf("-- aborts hand application records to the dispatch function\n");
	env = mkenv();
	R(env->set_app_dispatch(env, dispatch));
	mkdir("h2", 0777);
	R(env->open(env, "h2", DB_CREATE | DB_INIT_MPOOL | DB_INIT_LOG | DB_INIT_TXN | DB_INIT_LOCK, 0644));
	R(env->txn_begin(env, NULL, &txn, 0));
	put_a(env, txn, 1, &key);
	R(env->log_printf(env, txn, "not an application record"));
	put_a(env, txn, 2, &key);
	R(env->txn_begin(env, txn, &child, 0));
	put_a(env, child, 3, &key);
	R(child->commit(child, 0));
	R(env->txn_begin(env, txn, &child, 0));
	put_a(env, child, 4, &key);
	printf(" child abort:\n");
	R(child->abort(child));
	printf(" parent abort:\n");
	R(txn->abort(txn));
	R(env->txn_begin(env, NULL, &txn, 0));
	put_a(env, txn, 5, &key);
	printf(" commit:\n");
	R(txn->commit(txn, 0));
	put_a(env, NULL, 6, &key);
	R(env->close(env, 0));

	printf("-- an environment without a log\n");
	plain = openenv("p", DB_CREATE | DB_INIT_MPOOL);
	R(plain->log_printf(plain, NULL, "no log"));
	R(plain->log_put_record(plain, NULL, NULL, &got, 0, 20001, 0, 27, nodb_spec, (u_int32_t)5, &key));
	R(plain->close(plain, 0));

	printf("-- aborting application records without a dispatch function\n");
	env = openenv("h3", DB_CREATE | DB_INIT_MPOOL | DB_INIT_LOG | DB_INIT_TXN | DB_INIT_LOCK);
	env->set_errcall(env, errcb_nolsn);
	R(env->txn_begin(env, NULL, &txn, 0));
	put_a(env, txn, 7, &key);
	R(txn->abort(txn));
	R(env->log_printf(env, NULL, "after the panic"));
	/* libdb's environment is panicked now: nothing more is compared. */
	return 0;
}
