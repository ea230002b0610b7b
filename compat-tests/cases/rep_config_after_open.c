/*
 * Replication configuration after DB_ENV->open. Without DB_INIT_REP every
 * rep method (but repmgr_get_ack_policy) refuses with libdb's "requires an
 * environment configured for the replication subsystem", after the argument
 * checks libdb makes first. With DB_INIT_REP, values set before open carry
 * over, setters keep working, in-memory replication can no longer be
 * configured, leases cannot be turned off, and the application type chosen
 * before open still holds.
 */
#include "rep_common.h"

static void show(DB_ENV *e, const char *what)
{
	u_int32_t a = 77, b = 77;
	db_timeout_t t = 77, u = 77;
	int on = 77, p = 77;
	printf("%s:\n", what);
	printf("  get_priority -> %d", e->rep_get_priority(e, &a));
	printf(" (%u)\n", a);
	a = 77;
	printf("  get_nsites -> %d", e->rep_get_nsites(e, &a));
	printf(" (%u)\n", a);
	a = 77;
	printf("  get_limit -> %d", e->rep_get_limit(e, &a, &b));
	printf(" (%u,%u)\n", a, b);
	printf("  get_request -> %d", e->rep_get_request(e, &t, &u));
	printf(" (%u,%u)\n", t, u);
	a = b = 77;
	printf("  get_clockskew -> %d", e->rep_get_clockskew(e, &a, &b));
	printf(" (%u,%u)\n", a, b);
	t = 77;
	printf("  get_timeout election -> %d", e->rep_get_timeout(e, DB_REP_ELECTION_TIMEOUT, &t));
	printf(" (%u)\n", t);
	t = 77;
	printf("  get_timeout ack -> %d", e->rep_get_timeout(e, DB_REP_ACK_TIMEOUT, &t));
	printf(" (%u)\n", t);
	t = 77;
	printf("  get_timeout 99 -> %d", e->rep_get_timeout(e, 99, &t));
	printf(" (%u)\n", t);
	printf("  get_config BULK -> %d", e->rep_get_config(e, DB_REP_CONF_BULK, &on));
	printf(" (%d)\n", on);
	on = 77;
	printf("  get_config ELECTIONS -> %d", e->rep_get_config(e, DB_REPMGR_CONF_ELECTIONS, &on));
	printf(" (%d)\n", on);
	on = 77;
	printf("  get_config 0x200 -> %d", e->rep_get_config(e, 0x200, &on));
	printf(" (%d)\n", on);
	printf("  get_ack_policy -> %d", e->repmgr_get_ack_policy(e, &p));
	printf(" (%d)\n", p);
}

static void set_all(DB_ENV *e, const char *what)
{
	printf("%s:\n", what);
	printf("  set_priority -> %d\n", e->rep_set_priority(e, 42));
	printf("  set_nsites -> %d\n", e->rep_set_nsites(e, 5));
	printf("  set_limit -> %d\n", e->rep_set_limit(e, 0, 1073741825u));
	printf("  set_request -> %d\n", e->rep_set_request(e, 100, 200));
	printf("  set_request bad -> %d\n", e->rep_set_request(e, 0, 200));
	printf("  set_clockskew -> %d\n", e->rep_set_clockskew(e, 105, 100));
	printf("  set_clockskew bad -> %d\n", e->rep_set_clockskew(e, 0, 100));
	printf("  set_timeout election -> %d\n", e->rep_set_timeout(e, DB_REP_ELECTION_TIMEOUT, 99));
	printf("  set_timeout election 0 -> %d\n", e->rep_set_timeout(e, DB_REP_ELECTION_TIMEOUT, 0));
	printf("  set_timeout 99 -> %d\n", e->rep_set_timeout(e, 99, 5));
	printf("  set_timeout lease -> %d\n", e->rep_set_timeout(e, DB_REP_LEASE_TIMEOUT, 500));
	printf("  set_config BULK on -> %d\n", e->rep_set_config(e, DB_REP_CONF_BULK, 1));
	printf("  set_config 0x200 -> %d\n", e->rep_set_config(e, 0x200, 1));
	printf("  set_config NOWAIT on -> %d\n", e->rep_set_config(e, DB_REP_CONF_NOWAIT, 1));
	printf("  set_config INMEM on -> %d\n", e->rep_set_config(e, DB_REP_CONF_INMEM, 1));
	printf("  set_config INMEM off -> %d\n", e->rep_set_config(e, DB_REP_CONF_INMEM, 0));
	printf("  set_config LEASE off -> %d\n", e->rep_set_config(e, DB_REP_CONF_LEASE, 0));
	printf("  set_config LEASE on -> %d\n", e->rep_set_config(e, DB_REP_CONF_LEASE, 1));
	printf("  set_config LEASE off -> %d\n", e->rep_set_config(e, DB_REP_CONF_LEASE, 0));
	printf("  set_config LEASE|INMEM on -> %d\n", e->rep_set_config(e, DB_REP_CONF_LEASE | DB_REP_CONF_INMEM, 1));
	printf("  set_transport NULL -> %d\n", e->rep_set_transport(e, 1, NULL));
	printf("  set_transport -> %d\n", e->rep_set_transport(e, 4, send_fn));
	printf("  set_ack_policy -> %d\n", e->repmgr_set_ack_policy(e, DB_REPMGR_ACKS_ONE));
	printf("  set_ack_policy bad -> %d\n", e->repmgr_set_ack_policy(e, 99));
	printf("  set_config ELECTIONS off -> %d\n", e->rep_set_config(e, DB_REPMGR_CONF_ELECTIONS, 0));
	printf("  set_timeout ack -> %d\n", e->rep_set_timeout(e, DB_REP_ACK_TIMEOUT, 5));
}

int main(void)
{
	DB_ENV *e;

	/* Opened without replication. */
	if ((e = new_env()) == NULL)
		return 1;
	printf("open without DB_INIT_REP -> %d\n",
	    e->open(e, NULL, DB_CREATE | DB_INIT_MPOOL | DB_PRIVATE, 0));
	show(e, "no rep");
	set_all(e, "no rep sets");
	printf("close -> %d\n", e->close(e, 0));

	/* Base API application, configured before open. */
	if ((e = new_env()) == NULL)
		return 1;
	printf("set_priority -> %d\n", e->rep_set_priority(e, 7));
	printf("set_nsites -> %d\n", e->rep_set_nsites(e, 3));
	printf("set_limit -> %d\n", e->rep_set_limit(e, 1, 5));
	printf("set_request -> %d\n", e->rep_set_request(e, 30, 60));
	printf("set_clockskew -> %d\n", e->rep_set_clockskew(e, 110, 100));
	printf("set_timeout election -> %d\n", e->rep_set_timeout(e, DB_REP_ELECTION_TIMEOUT, 12));
	printf("set_config AUTOINIT off -> %d\n", e->rep_set_config(e, DB_REP_CONF_AUTOINIT, 0));
	printf("set_transport -> %d\n", e->rep_set_transport(e, 2, send_fn));
	printf("open with DB_INIT_REP -> %d\n", e->open(e, NULL, REP_FLAGS, 0));
	show(e, "base after open");
	set_all(e, "base sets after open");
	show(e, "base after sets");
	printf("close -> %d\n", e->close(e, 0));

	/* Replication Manager application, configured before open. */
	if ((e = new_env()) == NULL)
		return 1;
	printf("set_ack_policy -> %d\n", e->repmgr_set_ack_policy(e, DB_REPMGR_ACKS_ALL_PEERS));
	printf("set_config LEASE on -> %d\n", e->rep_set_config(e, DB_REP_CONF_LEASE, 1));
	printf("set_config INMEM on -> %d\n", e->rep_set_config(e, DB_REP_CONF_INMEM, 1));
	printf("set_config INMEM off -> %d\n", e->rep_set_config(e, DB_REP_CONF_INMEM, 0));
	printf("open with DB_INIT_REP -> %d\n", e->open(e, NULL, REP_FLAGS, 0));
	show(e, "repmgr after open");
	set_all(e, "repmgr sets after open");
	show(e, "repmgr after sets");
	printf("close -> %d\n", e->close(e, 0));

	/* No decision before open: the first deciding call after open decides. */
	if ((e = new_env()) == NULL)
		return 1;
	printf("open with DB_INIT_REP -> %d\n", e->open(e, NULL, REP_FLAGS, 0));
	show(e, "undecided after open");
	printf("set_config 2SITE_STRICT off -> %d\n", e->rep_set_config(e, DB_REPMGR_CONF_2SITE_STRICT, 0));
	printf("set_transport -> %d\n", e->rep_set_transport(e, 4, send_fn));
	printf("close -> %d\n", e->close(e, 0));
	return 0;
}
