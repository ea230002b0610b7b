/* DB_ENV->log_put: an application record written with DB_FLUSH and read
 * back through a log cursor at its LSN; libdb's flag checks (DB_FLUSH with
 * DB_LOG_WRNOSYNC is an illegal combination); a second record without
 * DB_FLUSH comes after the first. LSN values differ between the libraries
 * (their records have different sizes), so only their order is printed. */
#include "common.h"

int main(void)
{
	DB_ENV *env;
	DB_LOGC *lc;
	DB_LSN first, second, at;
	DBT d;

	env = openenv("h", DB_CREATE | DB_INIT_MPOOL | DB_INIT_LOG | DB_INIT_TXN | DB_INIT_LOCK);
	memset(&d, 0, sizeof d);
	d.data = "hello application";
	d.size = 17;
	R(env->log_put(env, &first, &d, DB_FLUSH));
	R(env->log_put(env, &at, &d, DB_FLUSH | DB_LOG_WRNOSYNC));
	R(env->log_put(env, &at, &d, 0x12345678));
	d.data = "second";
	d.size = 6;
	R(env->log_put(env, &second, &d, 0));
	printf("second after first: %s\n", log_compare(&first, &second) < 0 ? "yes" : "no");
	R(env->log_flush(env, NULL));
	R(env->log_cursor(env, &lc, 0));
	memset(&d, 0, sizeof d);
	at = first;
	R(lc->get(lc, &at, &d, DB_SET));
	printf("record at first: %.*s (%u bytes)\n", (int)d.size, (char *)d.data, d.size);
	at = second;
	R(lc->get(lc, &at, &d, DB_SET));
	printf("record at second: %.*s (%u bytes)\n", (int)d.size, (char *)d.data, d.size);
	R(lc->close(lc, 0));
	R(env->close(env, 0));
	return 0;
}
