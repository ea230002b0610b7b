/*
 * DB_ENV->repmgr_set_ack_policy / repmgr_get_ack_policy before open: the
 * default, every DB_REPMGR_ACKS_* value, unknown values, and the rule that a
 * valid policy makes a Replication Manager application while a Base API
 * application may not set one.
 */
#include "rep_common.h"

static void get(DB_ENV *e, const char *what)
{
	int p = 77, ret;
	ret = e->repmgr_get_ack_policy(e, &p);
	printf("%s: get_ack_policy -> %d (%d)\n", what, ret, p);
}

int main(void)
{
	DB_ENV *e;
	int p;
	static const int bad[] = { 0, 8, 9, -1, 100, 0x7fffffff };

	if ((e = new_env()) == NULL)
		return 1;
	get(e, "default");
	for (p = 0; p < (int)(sizeof(bad) / sizeof(bad[0])); p++) {
		printf("set %d -> %d\n", bad[p], e->repmgr_set_ack_policy(e, bad[p]));
		get(e, "after bad");
	}
	/* An unknown policy leaves the application type undecided. */
	printf("set_transport -> %d\n", e->rep_set_transport(e, 2, send_fn));
	printf("base set ALL -> %d\n", e->repmgr_set_ack_policy(e, DB_REPMGR_ACKS_ALL));
	printf("base set 99 -> %d\n", e->repmgr_set_ack_policy(e, 99));
	get(e, "base");
	printf("close -> %d\n", e->close(e, 0));

	if ((e = new_env()) == NULL)
		return 1;
	for (p = DB_REPMGR_ACKS_ALL; p <= DB_REPMGR_ACKS_QUORUM; p++) {
		printf("set %d -> %d\n", p, e->repmgr_set_ack_policy(e, p));
		get(e, "after set");
	}
	printf("set ONE_PEER -> %d\n", e->repmgr_set_ack_policy(e, DB_REPMGR_ACKS_ONE_PEER));
	printf("set ONE_PEER again -> %d\n", e->repmgr_set_ack_policy(e, DB_REPMGR_ACKS_ONE_PEER));
	get(e, "after again");
	/* A Replication Manager application now. */
	printf("set_transport -> %d\n", e->rep_set_transport(e, 2, send_fn));
	printf("set_nsites -> %d\n", e->rep_set_nsites(e, 3));
	printf("set_config ELECTIONS -> %d\n", e->rep_set_config(e, DB_REPMGR_CONF_ELECTIONS, 0));
	printf("set ack timeout -> %d\n", e->rep_set_timeout(e, DB_REP_ACK_TIMEOUT, 5));
	printf("set NONE -> %d\n", e->repmgr_set_ack_policy(e, DB_REPMGR_ACKS_NONE));
	get(e, "repmgr");
	printf("close -> %d\n", e->close(e, 0));

	/* rep_set_nsites makes a Base API application too. */
	if ((e = new_env()) == NULL)
		return 1;
	printf("set_nsites -> %d\n", e->rep_set_nsites(e, 4));
	printf("set ALL -> %d\n", e->repmgr_set_ack_policy(e, DB_REPMGR_ACKS_ALL));
	get(e, "after nsites");
	printf("close -> %d\n", e->close(e, 0));
	return 0;
}
