/* Hash, Recno, Queue and Heap configuration before open: defaults, valid
 * and invalid values, and the "inconsistent access method" refusals. */
#include "config_common.h"

static u_int32_t myhash(DB *db, const void *p, u_int32_t n) { return n; }
static int mycmp(DB *db, const DBT *a, const DBT *b) { return 0; }
static int myappend(DB *db, DBT *d, db_recno_t r) { return 0; }

static void run(DB_ENV *env)
{
	DB *db;
	u_int32_t u, g;
	int i;
	const char *s;
	u_int32_t (*h)(DB *, const void *, u_int32_t);
	int (*cmp)(DB *, const DBT *, const DBT *);
	int (*app)(DB *, DBT *, db_recno_t);

	printf("-- hash\n");
	db = fresh(env);
	printf("get_h_ffactor = %d ", db->get_h_ffactor(db, &u)); printf("%u\n", u);
	printf("get_h_nelem = %d ", db->get_h_nelem(db, &u)); printf("%u\n", u);
	h = myhash; { int r_ = db->get_h_hash(db, &h); printf("get_h_hash = %d null %d\n", r_, h == NULL); }
	cmp = mycmp; { int r_ = db->get_h_compare(db, &cmp); printf("get_h_compare = %d null %d\n", r_, cmp == NULL); }
	printf("set_h_ffactor(0) = %d\n", db->set_h_ffactor(db, 0));
	printf("set_h_ffactor(40) = %d\n", db->set_h_ffactor(db, 40));
	printf("set_h_nelem(1000) = %d\n", db->set_h_nelem(db, 1000));
	printf("set_h_hash = %d\n", db->set_h_hash(db, myhash));
	printf("set_h_compare = %d\n", db->set_h_compare(db, mycmp));
	printf("get_h_ffactor = %d ", db->get_h_ffactor(db, &u)); printf("%u\n", u);
	printf("get_h_nelem = %d ", db->get_h_nelem(db, &u)); printf("%u\n", u);
	{ int r_ = db->get_h_hash(db, &h); printf("get_h_hash = %d custom %d\n", r_, h == myhash); }
	{ int r_ = db->get_h_compare(db, &cmp); printf("get_h_compare = %d custom %d\n", r_, cmp == mycmp); }
	printf("set_flags(DB_DUP) on hash = %d\n", db->set_flags(db, DB_DUP));
	printf("set_bt_minkey on hash = %d\n", db->set_bt_minkey(db, 4));
	printf("get_re_len on hash = %d\n", db->get_re_len(db, &u));
	printf("set_q_extentsize on hash = %d\n", db->set_q_extentsize(db, 4));
	printf("get_q_extentsize = %d ", db->get_q_extentsize(db, &u)); printf("%u\n", u);
	printf("get_heapsize on hash = %d\n", db->get_heapsize(db, &u, &g));
	printf("close = %d\n", db->close(db, 0));

	printf("-- recno\n");
	db = fresh(env);
	printf("get_re_delim = %d ", db->get_re_delim(db, &i)); printf("%d\n", i);
	printf("get_re_len = %d ", db->get_re_len(db, &u)); printf("%u\n", u);
	printf("get_re_pad = %d ", db->get_re_pad(db, &i)); printf("%d\n", i);
	s = "x"; { int r_ = db->get_re_source(db, &s); printf("get_re_source = %d null %d\n", r_, s == NULL); }
	app = myappend; { int r_ = db->get_append_recno(db, &app); printf("get_append_recno = %d null %d\n", r_, app == NULL); }
	printf("set_re_delim(',') = %d\n", db->set_re_delim(db, ','));
	printf("set_re_len(0) = %d\n", db->set_re_len(db, 0));
	printf("set_re_len(100) = %d\n", db->set_re_len(db, 100));
	printf("set_re_pad(-1) = %d\n", db->set_re_pad(db, -1));
	printf("set_re_pad('#') = %d\n", db->set_re_pad(db, '#'));
	printf("set_re_source = %d\n", db->set_re_source(db, "source.txt"));
	printf("set_append_recno = %d\n", db->set_append_recno(db, myappend));
	printf("get_re_delim = %d ", db->get_re_delim(db, &i)); printf("%d\n", i);
	printf("get_re_len = %d ", db->get_re_len(db, &u)); printf("%u\n", u);
	printf("get_re_pad = %d ", db->get_re_pad(db, &i)); printf("%d\n", i);
	printf("get_re_source = %d ", db->get_re_source(db, &s)); printf("%s\n", s);
	printf("set_re_source again = %d\n", db->set_re_source(db, "other"));
	printf("get_re_source = %d ", db->get_re_source(db, &s)); printf("%s\n", s);
	{ int r_ = db->get_append_recno(db, &app); printf("get_append_recno = %d custom %d\n", r_, app == myappend); }
	printf("get_flags = %d ", db->get_flags(db, &u)); printf("%#x\n", u);
	printf("set_h_nelem on recno = %d\n", db->set_h_nelem(db, 5));
	printf("get_bt_compare on recno = %d\n", db->get_bt_compare(db, &cmp));
	printf("set_flags(DB_RENUMBER) = %d\n", db->set_flags(db, DB_RENUMBER));
	printf("close = %d\n", db->close(db, 0));

	printf("-- queue\n");
	db = fresh(env);
	printf("get_q_extentsize = %d ", db->get_q_extentsize(db, &u)); printf("%u\n", u);
	printf("set_q_extentsize(0) = %d\n", db->set_q_extentsize(db, 0));
	printf("set_q_extentsize(16) = %d\n", db->set_q_extentsize(db, 16));
	printf("get_q_extentsize = %d ", db->get_q_extentsize(db, &u)); printf("%u\n", u);
	printf("set_re_len(64) = %d\n", db->set_re_len(db, 64));
	printf("set_re_pad(0) = %d\n", db->set_re_pad(db, 0));
	printf("get_re_pad = %d ", db->get_re_pad(db, &i)); printf("%d\n", i);
	printf("set_append_recno(NULL) = %d\n", db->set_append_recno(db, NULL));
	printf("set_flags(DB_INORDER) = %d\n", db->set_flags(db, DB_INORDER));
	printf("get_flags = %d ", db->get_flags(db, &u)); printf("%#x\n", u);
	/* Still Queue or Recno: a Recno-only call narrows to Recno. */
	printf("get_re_delim = %d\n", db->get_re_delim(db, &i));
	printf("set_re_pad after narrowing = %d\n", db->set_re_pad(db, 'z'));
	printf("get_heap_regionsize = %d\n", db->get_heap_regionsize(db, &u));
	printf("close = %d\n", db->close(db, 0));

	printf("-- heap\n");
	db = fresh(env);
	printf("get_heapsize = %d ", db->get_heapsize(db, &g, &u)); printf("%u %u\n", g, u);
	printf("get_heap_regionsize = %d ", db->get_heap_regionsize(db, &u)); printf("%u\n", u);
	printf("set_heapsize(1, 4096, 77) = %d\n", db->set_heapsize(db, 1, 4096, 77));
	printf("set_heap_regionsize(0) = %d\n", db->set_heap_regionsize(db, 0));
	printf("set_heap_regionsize(12) = %d\n", db->set_heap_regionsize(db, 12));
	printf("get_heapsize = %d ", db->get_heapsize(db, &g, &u)); printf("%u %u\n", g, u);
	printf("get_heap_regionsize = %d ", db->get_heap_regionsize(db, &u)); printf("%u\n", u);
	printf("set_flags(DB_DUP) on heap = %d\n", db->set_flags(db, DB_DUP));
	printf("set_flags(DB_CHKSUM) on heap = %d\n", db->set_flags(db, DB_CHKSUM));
	printf("set_re_len on heap = %d\n", db->set_re_len(db, 3));
	printf("close = %d\n", db->close(db, 0));
}

int main(void)
{
	return run_without_and_with_env(run, 1);
}
