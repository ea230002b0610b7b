/* db_version and db_full_version: the numbers (the strings name the library). */
#include <db.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	int family, release, major, minor, patch;
	char *s = db_version(&major, &minor, &patch);
	printf("db_version %d.%d.%d, string mentions 5.3.28: %d\n",
	    major, minor, patch, strstr(s, "5.3.28") != NULL);
	printf("db_version(NULL...) returns the same string: %d\n",
	    db_version(NULL, NULL, NULL) == s);
	s = db_full_version(&family, &release, &major, &minor, &patch);
	printf("db_full_version %d.%d %d.%d.%d, mentions 5.3.28: %d\n",
	    family, release, major, minor, patch, strstr(s, "5.3.28") != NULL);
	printf("header %d.%d.%d family %d release %d\n", DB_VERSION_MAJOR,
	    DB_VERSION_MINOR, DB_VERSION_PATCH, DB_VERSION_FAMILY, DB_VERSION_RELEASE);
	return 0;
}
