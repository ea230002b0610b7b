/* Built against the system libdb; run against Tern by the drop-in test. */
#include <db.h>
#include <stdio.h>

int main(void)
{
	int major, minor, patch;
	DB_ENV *dbenv;
	const char *v = db_version(&major, &minor, &patch);
	int ret = db_env_create(&dbenv, 0);
	if (ret == 0)
		ret = dbenv->close(dbenv, 0);
	printf("%s | %d.%d.%d | create+close %d\n", v, major, minor, patch, ret);
	return ret;
}
