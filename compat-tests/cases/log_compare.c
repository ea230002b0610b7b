/* log_compare orders LSNs by file, then offset. */
#include <db.h>
#include <stdio.h>

int main(void)
{
	DB_LSN a[] = { {1, 0}, {1, 100}, {2, 0}, {2, 50}, {0xffffffff, 0xffffffff} };
	int i, j, n = sizeof(a) / sizeof(a[0]);
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			printf("%d ", log_compare(&a[i], &a[j]));
	printf("\n");
	return 0;
}
