/* DB_ENV->log_cursor and DB_LOGC: argument checks, an empty log, and walking
 * a log written by the library itself. Record contents and counts are each
 * library's own, so only codes, LSN order and DBT behaviour are printed. */
#include "env_common.h"
#include <sys/stat.h>

static int lsnlt(const DB_LSN *a, const DB_LSN *b)
{
	return a->file < b->file || (a->file == b->file && a->offset < b->offset);
}

static void walk(DB_LOGC *c, u_int32_t first, u_int32_t step, const char *label)
{
	DB_LSN lsn, prev; DBT d; int r, ordered = 1, steps = 0;
	memset(&d, 0, sizeof(d));
	r = c->get(c, &lsn, &d, first);
	printf("%s first -> %d\n", label, r);
	if (r != 0) return;
	prev = lsn;
	while ((r = c->get(c, &lsn, &d, step)) == 0) {
		if (step == DB_NEXT ? !lsnlt(&prev, &lsn) : !lsnlt(&lsn, &prev)) ordered = 0;
		prev = lsn;
		steps++;
	}
	printf("%s ends -> %d ordered %d some %d\n", label, r, ordered, steps > 0);
	/* DB_NOTFOUND at the end leaves the cursor where it was. */
	if (step == DB_NEXT) {
		memset(&d, 0, sizeof(d));
		r = c->get(c, &lsn, &d, DB_CURRENT);
		printf("%s current -> %d same %d\n", label, r, r == 0 && lsn.file == prev.file && lsn.offset == prev.offset);
	}
}

int main(void)
{
	DB_ENV *e; DB_LOGC *c; DB_LSN lsn, last; DBT d; DB *db; DBT k, v;
	u_int32_t ver; int r;
	char buf[4];

	setvbuf(stdout, NULL, _IOLBF, 0);
	mkdir("h", 0755);
	e = mkenv();
	R(e->open(e, "h", DB_CREATE | DB_INIT_MPOOL | DB_INIT_LOG | DB_INIT_TXN, 0644));
	c = NULL;
	R(e->log_cursor(e, &c, 1));
	printf("cursor %s\n", c == NULL ? "NULL" : "set");
	R(e->log_cursor(e, &c, 0));

	/* Before any get. */
	memset(&d, 0, sizeof(d));
	R(c->get(c, &lsn, &d, DB_CURRENT));
	R(c->version(c, &ver, 0));
	R(c->version(c, &ver, 1));
	lsn.file = 0; lsn.offset = 0;
	R(c->get(c, &lsn, &d, DB_SET));
	lsn.file = 0; lsn.offset = 5;
	R(c->get(c, &lsn, &d, DB_SET));
	R(c->get(c, &lsn, &d, 0));
	R(c->get(c, &lsn, &d, DB_NEXT_DUP));
	R(c->get(c, &lsn, &d, DB_FIRST | DB_MULTIPLE));

	R(c->close(c, 1));
	R(c->close(c, 0));

	/* The library's own records. */
	R(db_create(&db, e, 0));
	R(db->open(db, NULL, "a.db", NULL, DB_BTREE, DB_CREATE | DB_AUTO_COMMIT, 0644));
	memset(&k, 0, sizeof(k)); memset(&v, 0, sizeof(v));
	k.data = "k"; k.size = 1; v.data = "v"; v.size = 1;
	R(db->put(db, NULL, &k, &v, DB_AUTO_COMMIT));
	k.data = "l"; R(db->put(db, NULL, &k, &v, DB_AUTO_COMMIT));
	R(e->log_flush(e, NULL));

	R(e->log_cursor(e, &c, 0));
	walk(c, DB_FIRST, DB_NEXT, "forward");
	walk(c, DB_LAST, DB_PREV, "backward");
	/* DB_NEXT on an unset cursor starts at the first record; DB_PREV at the last. */
	R(c->close(c, 0));
	R(e->log_cursor(e, &c, 0));
	memset(&d, 0, sizeof(d));
	r = c->get(c, &lsn, &d, DB_NEXT); printf("next unset -> %d\n", r);
	r = c->get(c, &last, &d, DB_FIRST); printf("first -> %d same %d\n", r, lsn.file == last.file && lsn.offset == last.offset);
	R(c->version(c, &ver, 0));
	R(c->close(c, 0));
	R(e->log_cursor(e, &c, 0));
	r = c->get(c, &lsn, &d, DB_PREV); printf("prev unset -> %d\n", r);
	r = c->get(c, &last, &d, DB_LAST); printf("last -> %d same %d\n", r, lsn.file == last.file && lsn.offset == last.offset);

	/* DB_SET to a known record; DBT memory flags. */
	lsn = last;
	memset(&d, 0, sizeof(d));
	r = c->get(c, &lsn, &d, DB_SET); printf("set last -> %d same %d size>0 %d\n", r,
	    lsn.file == last.file && lsn.offset == last.offset, d.size > 0);
	memset(&d, 0, sizeof(d)); d.flags = DB_DBT_MALLOC;
	r = c->get(c, &lsn, &d, DB_SET); printf("malloc -> %d data %d\n", r, d.data != NULL);
	free(d.data);
	memset(&d, 0, sizeof(d)); d.flags = DB_DBT_USERMEM; d.data = buf; d.ulen = 1;
	r = c->get(c, &lsn, &d, DB_SET); printf("usermem small -> %d size>1 %d\n", r, d.size > 1);
	memset(&d, 0, sizeof(d)); d.flags = DB_DBT_REALLOC;
	r = c->get(c, &lsn, &d, DB_SET); printf("realloc -> %d data %d\n", r, d.data != NULL);
	free(d.data);
	memset(&d, 0, sizeof(d));
	r = c->get(c, &lsn, &d, DB_CURRENT); printf("current -> %d same %d\n", r, lsn.file == last.file && lsn.offset == last.offset);
	lsn.file = last.file + 5; lsn.offset = 0;
	R(c->get(c, &lsn, &d, DB_SET));
	R(c->close(c, 0));

	R(db->close(db, 0));
	R(e->close(e, 0));

	/* A log with no records: logging only, nothing written. */
	mkdir("g", 0755);
	e = mkenv();
	R(e->open(e, "g", DB_CREATE | DB_INIT_MPOOL | DB_INIT_LOG, 0644));
	R(e->log_cursor(e, &c, 0));
	memset(&d, 0, sizeof(d));
	R(c->get(c, &lsn, &d, DB_FIRST));
	R(c->get(c, &lsn, &d, DB_LAST));
	R(c->get(c, &lsn, &d, DB_NEXT));
	R(c->get(c, &lsn, &d, DB_PREV));
	lsn.file = 1; lsn.offset = 0;
	R(c->get(c, &lsn, &d, DB_SET));
	R(c->close(c, 0));
	R(e->close(e, 0));
	return 0;
}
