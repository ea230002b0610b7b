/*
 * DB_ENV->rep_set_timeout / rep_get_timeout before open: every DB_REP_*
 * timeout kind (defaults, zero, a value), unknown kinds, and the rule that a
 * Base API application (one that set a transport) may not set Replication
 * Manager timeouts while setting one makes the application a repmgr one.
 */
#include "rep_common.h"

static const int kinds[] = { -1, 0, DB_REP_ACK_TIMEOUT, DB_REP_CHECKPOINT_DELAY,
    DB_REP_CONNECTION_RETRY, DB_REP_ELECTION_RETRY, DB_REP_ELECTION_TIMEOUT,
    DB_REP_FULL_ELECTION_TIMEOUT, DB_REP_HEARTBEAT_MONITOR,
    DB_REP_HEARTBEAT_SEND, DB_REP_LEASE_TIMEOUT, 10, 1000 };
#define NKINDS (int)(sizeof(kinds) / sizeof(kinds[0]))

static void show_all(DB_ENV *e, const char *what)
{
	int i, ret;
	db_timeout_t t;
	printf("%s:\n", what);
	for (i = 0; i < NKINDS; i++) {
		t = 77;
		ret = e->rep_get_timeout(e, kinds[i], &t);
		printf("  get kind %d -> %d (%u)\n", kinds[i], ret, t);
	}
}

int main(void)
{
	DB_ENV *e;
	int i;

	if ((e = new_env()) == NULL)
		return 1;
	show_all(e, "defaults");
	for (i = 0; i < NKINDS; i++)
		printf("set kind %d 0 -> %d\n", kinds[i], e->rep_set_timeout(e, kinds[i], 0));
	show_all(e, "after zeros");
	for (i = 0; i < NKINDS; i++)
		printf("set kind %d %u -> %d\n", kinds[i], 1000u * (unsigned)(i + 1),
		    e->rep_set_timeout(e, kinds[i], 1000u * (unsigned)(i + 1)));
	printf("set kind %d max -> %d\n", DB_REP_ELECTION_TIMEOUT,
	    e->rep_set_timeout(e, DB_REP_ELECTION_TIMEOUT, 0xffffffffu));
	show_all(e, "after values");
	/* Setting a repmgr timeout made this a repmgr application. */
	printf("set_transport after repmgr timeout -> %d\n", e->rep_set_transport(e, 1, send_fn));
	printf("close -> %d\n", e->close(e, 0));

	/* Base API application: repmgr timeouts are refused, others accepted. */
	if ((e = new_env()) == NULL)
		return 1;
	printf("set_transport -> %d\n", e->rep_set_transport(e, 1, send_fn));
	for (i = 0; i < NKINDS; i++)
		printf("base set kind %d 5 -> %d\n", kinds[i], e->rep_set_timeout(e, kinds[i], 5));
	for (i = 0; i < NKINDS; i++)
		printf("base set kind %d 0 -> %d\n", kinds[i], e->rep_set_timeout(e, kinds[i], 0));
	show_all(e, "base after sets");
	printf("close -> %d\n", e->close(e, 0));

	/* A refused timeout (zero or unknown kind) does not make a repmgr app. */
	if ((e = new_env()) == NULL)
		return 1;
	printf("set conn retry 0 -> %d\n", e->rep_set_timeout(e, DB_REP_CONNECTION_RETRY, 0));
	printf("set unknown 99 5 -> %d\n", e->rep_set_timeout(e, 99, 5));
	printf("set election timeout 5 -> %d\n", e->rep_set_timeout(e, DB_REP_ELECTION_TIMEOUT, 5));
	printf("set_transport -> %d\n", e->rep_set_transport(e, 0, send_fn));
	printf("close -> %d\n", e->close(e, 0));
	return 0;
}
