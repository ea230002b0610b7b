/*
 * Replication lines in DB_CONFIG: applied at DB_ENV->open through the same
 * checks as the methods (values, Base API / Replication Manager decision),
 * visible through the getters afterwards; a refused value fails the open.
 */
#include "rep_common.h"
#include <sys/stat.h>

static DB_ENV *open_with(const char *home, const char *config)
{
	DB_ENV *e;
	FILE *fp;
	char path[256];
	int ret;

	mkdir(home, 0755);
	snprintf(path, sizeof(path), "%s/DB_CONFIG", home);
	if ((fp = fopen(path, "w")) == NULL)
		return NULL;
	fputs(config, fp);
	fclose(fp);
	if (db_env_create(&e, 0) != 0)
		return NULL;
	e->set_errcall(e, errcall);
	e->set_errpfx(e, home);
	ret = e->open(e, home, REP_FLAGS, 0);
	printf("%s: open -> %d\n", home, ret);
	if (ret != 0) {
		(void)e->close(e, 0);
		return NULL;
	}
	return e;
}

static void show(DB_ENV *e)
{
	u_int32_t a = 77, b = 77;
	db_timeout_t t = 77, u = 77;
	int on = 77, p = 77, i;
	printf("  priority %d", e->rep_get_priority(e, &a));
	printf(" (%u)", a);
	a = 77;
	printf(" nsites %d", e->rep_get_nsites(e, &a));
	printf(" (%u)", a);
	printf(" limit %d", e->rep_get_limit(e, &a, &b));
	printf(" (%u,%u)", a, b);
	printf(" request %d", e->rep_get_request(e, &t, &u));
	printf(" (%u,%u)", t, u);
	printf(" skew %d", e->rep_get_clockskew(e, &a, &b));
	printf(" (%u,%u)\n", a, b);
	for (i = DB_REP_ACK_TIMEOUT; i <= DB_REP_LEASE_TIMEOUT; i++) {
		printf("  timeout %d -> %d", i, e->rep_get_timeout(e, i, &t));
		printf(" (%u)\n", t);
	}
	for (i = 0; i < 9; i++) {
		printf("  config 0x%x -> %d", 1u << i, e->rep_get_config(e, 1u << i, &on));
		printf(" (%d)\n", on);
	}
	printf("  ack %d", e->repmgr_get_ack_policy(e, &p));
	printf(" (%d)\n", p);
}

int main(void)
{
	DB_ENV *e;

	if ((e = open_with("base",
	    "rep_set_priority 12\n"
	    "rep_set_nsites 4\n"
	    "rep_set_limit 1 1073741830\n"
	    "rep_set_request 100 4000\n"
	    "rep_set_clockskew 102 100\n"
	    "rep_set_timeout db_rep_election_timeout 5000\n"
	    "rep_set_timeout DB_REP_LEASE_TIMEOUT 700\n"
	    "rep_set_config db_rep_conf_bulk\n"
	    "rep_set_config db_rep_conf_autoinit off\n"
	    "rep_set_config DB_REP_CONF_NOWAIT on\n")) != NULL) {
		show(e);
		printf("  set ack policy -> %d\n", e->repmgr_set_ack_policy(e, DB_REPMGR_ACKS_ALL));
		printf("  close -> %d\n", e->close(e, 0));
	}
	if ((e = open_with("repmgr",
	    "repmgr_set_ack_policy db_repmgr_acks_one_peer\n"
	    "rep_set_timeout db_rep_ack_timeout 333\n"
	    "rep_set_timeout db_rep_heartbeat_send 444\n"
	    "rep_set_config db_repmgr_conf_elections off\n")) != NULL) {
		show(e);
		printf("  set transport -> %d\n", e->rep_set_transport(e, 1, send_fn));
		printf("  close -> %d\n", e->close(e, 0));
	}
	/* Refused values fail the open with the method's message. */
	e = open_with("badrequest", "rep_set_request 0 5\n");
	e = open_with("badskew", "rep_set_clockskew 100 102\n");
	e = open_with("badzero", "rep_set_timeout db_rep_election_timeout 0\n");
	e = open_with("mixed", "rep_set_nsites 3\nrepmgr_set_ack_policy db_repmgr_acks_all\n");
	e = open_with("mixed2", "rep_set_config db_repmgr_conf_2site_strict off\nrep_set_nsites 3\n");
	return 0;
}
