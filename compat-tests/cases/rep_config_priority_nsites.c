/*
 * Replication configuration before DB_ENV->open: priority, nsites, limit,
 * request and clock skew. Defaults first, then valid and invalid values,
 * each call's return code and error-callback text.
 */
#include "rep_common.h"

static void show(DB_ENV *e, const char *what)
{
	u_int32_t a = 77, b = 77;
	db_timeout_t ta = 77, tb = 77;
	printf("%s:", what);
	printf(" priority ret=%d", e->rep_get_priority(e, &a));
	printf(" =%u", a);
	a = 77;
	printf(" nsites ret=%d", e->rep_get_nsites(e, &a));
	printf(" =%u", a);
	a = 77;
	printf(" limit ret=%d", e->rep_get_limit(e, &a, &b));
	printf(" =%u,%u", a, b);
	a = b = 77;
	printf(" request ret=%d", e->rep_get_request(e, &ta, &tb));
	printf(" =%u,%u", ta, tb);
	printf(" clockskew ret=%d", e->rep_get_clockskew(e, &a, &b));
	printf(" =%u,%u\n", a, b);
}

int main(void)
{
	DB_ENV *e;
	u_int32_t a, b;
	db_timeout_t ta, tb;

	if ((e = new_env()) == NULL)
		return 1;
	show(e, "defaults");

	printf("set_priority 0 -> %d\n", e->rep_set_priority(e, 0));
	show(e, "after priority 0");
	printf("set_priority 5 -> %d\n", e->rep_set_priority(e, 5));
	printf("set_priority max -> %d\n", e->rep_set_priority(e, 0xffffffffu));
	show(e, "after priority max");

	printf("set_nsites 0 -> %d\n", e->rep_set_nsites(e, 0));
	printf("set_nsites 3 -> %d\n", e->rep_set_nsites(e, 3));
	printf("set_nsites max -> %d\n", e->rep_set_nsites(e, 0xffffffffu));
	show(e, "after nsites");
	printf("set_nsites 5 -> %d\n", e->rep_set_nsites(e, 5));

	printf("set_limit 0,0 -> %d\n", e->rep_set_limit(e, 0, 0));
	show(e, "after limit 0,0");
	printf("set_limit 0,1G -> %d\n", e->rep_set_limit(e, 0, 1073741824u));
	show(e, "after limit 0,1G");
	printf("set_limit 0,1G+5 -> %d\n", e->rep_set_limit(e, 0, 1073741829u));
	show(e, "after limit 0,1G+5");
	printf("set_limit 2,3G+7 -> %d\n", e->rep_set_limit(e, 2, 3u * 1073741824u + 7));
	show(e, "after limit 2,3G+7");
	printf("set_limit 7,max -> %d\n", e->rep_set_limit(e, 7, 0xffffffffu));
	show(e, "after limit 7,max");
	a = b = 77;
	printf("get_limit NULL,b -> %d", e->rep_get_limit(e, NULL, &b));
	printf(" b=%u\n", b);
	printf("get_limit a,NULL -> %d", e->rep_get_limit(e, &a, NULL));
	printf(" a=%u\n", a);

	printf("set_request 0,10 -> %d\n", e->rep_set_request(e, 0, 10));
	printf("set_request 0,0 -> %d\n", e->rep_set_request(e, 0, 0));
	printf("set_request 5,4 -> %d\n", e->rep_set_request(e, 5, 4));
	show(e, "after bad requests");
	printf("set_request 5,5 -> %d\n", e->rep_set_request(e, 5, 5));
	show(e, "after request 5,5");
	printf("set_request 1000,2000000 -> %d\n", e->rep_set_request(e, 1000, 2000000));
	show(e, "after request 1000,2000000");
	printf("set_request 1,max -> %d\n", e->rep_set_request(e, 1, 0xffffffffu));
	show(e, "after request 1,max");
	ta = tb = 77;
	printf("get_request NULL,max -> %d", e->rep_get_request(e, NULL, &tb));
	printf(" max=%u\n", tb);
	printf("get_request min,NULL -> %d", e->rep_get_request(e, &ta, NULL));
	printf(" min=%u\n", ta);

	printf("set_clockskew 0,5 -> %d\n", e->rep_set_clockskew(e, 0, 5));
	printf("set_clockskew 5,0 -> %d\n", e->rep_set_clockskew(e, 5, 0));
	printf("set_clockskew 100,102 -> %d\n", e->rep_set_clockskew(e, 100, 102));
	show(e, "after bad clockskews");
	printf("set_clockskew 102,100 -> %d\n", e->rep_set_clockskew(e, 102, 100));
	show(e, "after clockskew 102,100");
	printf("set_clockskew 0,0 -> %d\n", e->rep_set_clockskew(e, 0, 0));
	show(e, "after clockskew 0,0");
	printf("set_clockskew 7,7 -> %d\n", e->rep_set_clockskew(e, 7, 7));
	show(e, "after clockskew 7,7");

	printf("close -> %d\n", e->close(e, 0));
	return 0;
}
