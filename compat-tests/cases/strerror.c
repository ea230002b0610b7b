/* db_strerror: libdb's exact text for every Berkeley DB code, 0, errno values. */
#include <db.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	int code;
	for (code = -31000; code <= -30800; code++)
		if (strstr(db_strerror(code), "Unknown error") == NULL)
			printf("%d %s\n", code, db_strerror(code));
	printf("0 %s\n", db_strerror(0));
	printf("EINVAL %s\n", db_strerror(EINVAL));
	printf("ENOENT %s\n", db_strerror(ENOENT));
	printf("ENOMEM %s\n", db_strerror(ENOMEM));
	printf("-12345 %s\n", db_strerror(-12345));
	printf("-30990 %s\n", db_strerror(-30990));
	return 0;
}
