/* db_sequence_create's checks: libdb requires an opened database, and
 * checks that before the flags. (DB->open is not exercised here, so no
 * sequence handle can be created.) */
#include "config_common.h"

static void run(DB_ENV *env)
{
	DB *db;
	DB_SEQUENCE *seq = (DB_SEQUENCE *)0x1;
	if ((db = fresh(env)) == NULL) return;
	db->set_errpfx(db, "seq");
	printf("db_sequence_create = %d\n", db_sequence_create(&seq, db, 0));
	printf("db_sequence_create(bad flags) = %d\n", db_sequence_create(&seq, db, 1));
	printf("handle untouched = %d\n", seq == (DB_SEQUENCE *)0x1);
	printf("close = %d\n", db->close(db, 0));
}

int main(void)
{
	return run_without_and_with_env(run, 0);
}
