/*
 * Base API vs Replication Manager, before open: the first successful call
 * that decides the application type wins, and every later call of the other
 * kind is refused with libdb's message; refused calls decide nothing.
 * Runs every ordered pair of deciding calls on a fresh environment, and
 * shows that configuration calls deciding nothing work in either kind.
 */
#include "rep_common.h"

#define NCALLS 10
static const char *names[NCALLS] = {
	"transport", "nsites", "ack_policy", "conf 2SITE_STRICT", "conf ELECTIONS",
	"ack timeout", "connection retry", "election retry", "heartbeat monitor",
	"heartbeat send",
};

static int call(DB_ENV *e, int i)
{
	switch (i) {
	case 0: return e->rep_set_transport(e, 1, send_fn);
	case 1: return e->rep_set_nsites(e, 3);
	case 2: return e->repmgr_set_ack_policy(e, DB_REPMGR_ACKS_ALL);
	case 3: return e->rep_set_config(e, DB_REPMGR_CONF_2SITE_STRICT, 0);
	case 4: return e->rep_set_config(e, DB_REPMGR_CONF_ELECTIONS, 1);
	case 5: return e->rep_set_timeout(e, DB_REP_ACK_TIMEOUT, 10);
	case 6: return e->rep_set_timeout(e, DB_REP_CONNECTION_RETRY, 10);
	case 7: return e->rep_set_timeout(e, DB_REP_ELECTION_RETRY, 10);
	case 8: return e->rep_set_timeout(e, DB_REP_HEARTBEAT_MONITOR, 10);
	case 9: return e->rep_set_timeout(e, DB_REP_HEARTBEAT_SEND, 10);
	}
	return -1;
}

/* Calls that never decide the application type, valid in both kinds. */
static void neutral(DB_ENV *e)
{
	u_int32_t a = 77;
	db_timeout_t t = 77;
	int on = 77, p = 77;
	printf("  neutral: %d", e->rep_set_priority(e, 3));
	printf(" %d", e->rep_set_limit(e, 1, 2));
	printf(" %d", e->rep_set_request(e, 10, 20));
	printf(" %d", e->rep_set_clockskew(e, 3, 2));
	printf(" %d", e->rep_set_config(e, DB_REP_CONF_BULK | DB_REP_CONF_NOWAIT, 1));
	printf(" %d", e->rep_set_timeout(e, DB_REP_CHECKPOINT_DELAY, 7));
	printf(" %d", e->rep_set_timeout(e, DB_REP_ELECTION_TIMEOUT, 7));
	printf(" %d", e->rep_set_timeout(e, DB_REP_FULL_ELECTION_TIMEOUT, 7));
	printf(" %d", e->rep_set_timeout(e, DB_REP_LEASE_TIMEOUT, 7));
	printf(" %d", e->rep_get_priority(e, &a));
	printf(" %d", e->rep_get_config(e, DB_REPMGR_CONF_ELECTIONS, &on));
	printf(" %d", e->repmgr_get_ack_policy(e, &p));
	printf(" %d\n", e->rep_get_timeout(e, DB_REP_ACK_TIMEOUT, &t));
	printf("  values: priority %u elections %d ack %d acktimeout %u\n", a, on, p, t);
}

int main(void)
{
	DB_ENV *e;
	int i, j;

	for (i = 0; i < NCALLS; i++)
		for (j = 0; j < NCALLS; j++) {
			if ((e = new_env()) == NULL)
				return 1;
			printf("%s then %s:\n", names[i], names[j]);
			printf("  first -> %d\n", call(e, i));
			printf("  second -> %d\n", call(e, j));
			if (j == 0)
				neutral(e);
			printf("  close -> %d\n", e->close(e, 0));
		}

	/* Neutral calls first: the type is still open. */
	if ((e = new_env()) == NULL)
		return 1;
	printf("neutral first:\n");
	neutral(e);
	printf("  transport -> %d\n", call(e, 0));
	printf("  ack_policy -> %d\n", call(e, 2));
	printf("  close -> %d\n", e->close(e, 0));
	return 0;
}
