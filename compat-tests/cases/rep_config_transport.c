/*
 * DB_ENV->rep_set_transport before open: a NULL send function, negative and
 * special environment IDs, replacing the transport, and which calls make a
 * Base API application (and so lock out Replication Manager configuration).
 */
#include "rep_common.h"

static int send_fn2(DB_ENV *e, const DBT *c, const DBT *r, const DB_LSN *l, int eid, u_int32_t f)
{
	return 1;
}

int main(void)
{
	DB_ENV *e;

	/* Refused transports decide nothing: repmgr configuration still works. */
	if ((e = new_env()) == NULL)
		return 1;
	printf("NULL send, eid 1 -> %d\n", e->rep_set_transport(e, 1, NULL));
	printf("NULL send, eid -1 -> %d\n", e->rep_set_transport(e, -1, NULL));
	printf("eid -1 -> %d\n", e->rep_set_transport(e, -1, send_fn));
	printf("eid DB_EID_INVALID -> %d\n", e->rep_set_transport(e, DB_EID_INVALID, send_fn));
	printf("eid DB_EID_MASTER -> %d\n", e->rep_set_transport(e, DB_EID_MASTER, send_fn));
	printf("eid INT_MIN -> %d\n", e->rep_set_transport(e, -2147483647 - 1, send_fn));
	printf("set ack policy -> %d\n", e->repmgr_set_ack_policy(e, DB_REPMGR_ACKS_ONE));
	printf("close -> %d\n", e->close(e, 0));

	/* Valid transports, replaced; then repmgr configuration is refused. */
	if ((e = new_env()) == NULL)
		return 1;
	printf("eid 0 -> %d\n", e->rep_set_transport(e, 0, send_fn));
	printf("eid 7 send2 -> %d\n", e->rep_set_transport(e, 7, send_fn2));
	printf("eid max -> %d\n", e->rep_set_transport(e, 0x7fffffff, send_fn));
	printf("NULL send again -> %d\n", e->rep_set_transport(e, 1, NULL));
	printf("eid -3 again -> %d\n", e->rep_set_transport(e, -3, send_fn));
	printf("set ack policy -> %d\n", e->repmgr_set_ack_policy(e, DB_REPMGR_ACKS_ONE));
	printf("set_config 2SITE_STRICT -> %d\n", e->rep_set_config(e, DB_REPMGR_CONF_2SITE_STRICT, 1));
	printf("set heartbeat send -> %d\n", e->rep_set_timeout(e, DB_REP_HEARTBEAT_SEND, 100));
	printf("set_nsites -> %d\n", e->rep_set_nsites(e, 2));
	printf("set_priority -> %d\n", e->rep_set_priority(e, 9));
	printf("set_config BULK -> %d\n", e->rep_set_config(e, DB_REP_CONF_BULK, 1));
	printf("close -> %d\n", e->close(e, 0));

	/* A Replication Manager application may not set a transport. */
	if ((e = new_env()) == NULL)
		return 1;
	printf("set_config 2SITE_STRICT off -> %d\n", e->rep_set_config(e, DB_REPMGR_CONF_2SITE_STRICT, 0));
	printf("NULL send -> %d\n", e->rep_set_transport(e, 1, NULL));
	printf("eid -1 -> %d\n", e->rep_set_transport(e, -1, send_fn));
	printf("eid 1 -> %d\n", e->rep_set_transport(e, 1, send_fn));
	printf("set_nsites -> %d\n", e->rep_set_nsites(e, 2));
	printf("set_priority -> %d\n", e->rep_set_priority(e, 9));
	printf("close -> %d\n", e->close(e, 0));
	return 0;
}
