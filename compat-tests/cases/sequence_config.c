/* db_sequence_create's checks: libdb requires an opened database, and
 * checks that before the flags. (DB->open is not exercised here, so no
 * sequence handle can be created.) */
#include <db.h>
#include <stdio.h>

static void errcall(const DB_ENV *e, const char *pfx, const char *msg)
{ printf("  err [%s] %s\n", pfx ? pfx : "(null)", msg); }

static void run(DB_ENV *env)
{
	DB *db;
	DB_SEQUENCE *seq = (DB_SEQUENCE *)0x1;
	if (db_create(&db, env, 0) != 0) return;
	db->set_errcall(db, errcall);
	db->set_errpfx(db, "seq");
	printf("db_sequence_create = %d\n", db_sequence_create(&seq, db, 0));
	printf("db_sequence_create(bad flags) = %d\n", db_sequence_create(&seq, db, 1));
	printf("handle untouched = %d\n", seq == (DB_SEQUENCE *)0x1);
	printf("close = %d\n", db->close(db, 0));
}

int main(void)
{
	DB_ENV *env;
	printf("== no environment\n");
	run(NULL);
	printf("== in a created environment\n");
	if (db_env_create(&env, 0) != 0) return 1;
	run(env);
	printf("env close = %d\n", env->close(env, 0));
	return 0;
}
