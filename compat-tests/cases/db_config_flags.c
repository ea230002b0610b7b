/* DB->set_flags / get_flags before open: every database flag, the
 * combinations libdb refuses at set time, partial application of a call
 * that fails, and the access-method narrowing flags imply; for a DB without
 * an environment and for one in a created (not opened) DB_ENV. */
#include "config_common.h"

/* fresh(), with the prefix "flags". */
static DB *flags_db(DB_ENV *env)
{
	DB *db = fresh(env);
	if (db == NULL) { printf("db_create failed\n"); return NULL; }
	db->set_errpfx(db, "flags");
	return db;
}

static void set(DB *db, const char *name, u_int32_t f)
{
	u_int32_t got = 0xdeadbeef;
	int ret = db->set_flags(db, f);
	int gret = db->get_flags(db, &got);
	printf("set_flags(%s) = %d; get_flags = %d %#x\n", name, ret, gret, got);
}

static void run(DB_ENV *env)
{
	DB *db;
	u_int32_t got;

	db = flags_db(env);
	printf("default get_flags = %d ", db->get_flags(db, &got)); printf("%#x\n", got);
	set(db, "0", 0);
	set(db, "DB_CHKSUM", DB_CHKSUM);
	set(db, "DB_DUP", DB_DUP);
	set(db, "DB_RECNUM after DB_DUP", DB_RECNUM);
	set(db, "DB_DUPSORT", DB_DUPSORT);
	set(db, "DB_REVSPLITOFF", DB_REVSPLITOFF);
	set(db, "DB_INORDER", DB_INORDER);
	set(db, "DB_RENUMBER on btree/hash", DB_RENUMBER);
	set(db, "DB_ENCRYPT", DB_ENCRYPT);
	set(db, "DB_TXN_NOT_DURABLE", DB_TXN_NOT_DURABLE);
	set(db, "0x40000000", 0x40000000);
	printf("close = %d\n", db->close(db, 0));

	db = flags_db(env);
	set(db, "DB_DUP|DB_RECNUM", DB_DUP | DB_RECNUM);
	set(db, "DB_DUPSORT|DB_RECNUM", DB_DUPSORT | DB_RECNUM);
	set(db, "DB_RECNUM", DB_RECNUM);
	set(db, "DB_DUP after DB_RECNUM", DB_DUP);
	set(db, "DB_DUPSORT after DB_RECNUM", DB_DUPSORT);
	set(db, "DB_CHKSUM|bad (partially applied)", DB_CHKSUM | 0x80000000);
	printf("close = %d\n", db->close(db, 0));

	db = flags_db(env);
	set(db, "DB_RENUMBER", DB_RENUMBER);
	set(db, "DB_SNAPSHOT", DB_SNAPSHOT);
	set(db, "DB_INORDER", DB_INORDER);
	set(db, "DB_DUP on recno", DB_DUP);
	set(db, "DB_REVSPLITOFF on recno", DB_REVSPLITOFF);
	set(db, "DB_CHKSUM|DB_DUP on recno", DB_CHKSUM | DB_DUP);
	printf("close = %d\n", db->close(db, 0));

	db = flags_db(env);
	set(db, "DB_DUP|DB_RENUMBER", DB_DUP | DB_RENUMBER);
	set(db, "DB_RECNUM", DB_RECNUM);
	printf("close = %d\n", db->close(db, 0));

	db = flags_db(env);
	set(db, "all flags", DB_CHKSUM | DB_DUPSORT | DB_REVSPLITOFF | DB_INORDER);
	printf("close(0x1) = %d\n", db->close(db, 1));
	db = flags_db(env);
	printf("close(DB_NOSYNC) = %d\n", db->close(db, DB_NOSYNC));
}

int main(void)
{
	return run_without_and_with_env(run, 1);
}
