/* DB_CONFIG replication lines: malformed ones report their line number
 * ("line N: keyword: incorrect name-value pair") and fail open, as libdb's
 * reader does; good ones apply. */
#include "env_common.h"
static void try_open(const char *text)
{
	DB_ENV *e = mkenv(); int r;
	write_db_config(text);
	printf("--- %s", text);
	r = e->open(e, ".", DB_CREATE | DB_PRIVATE | DB_INIT_MPOOL | DB_INIT_LOCK | DB_INIT_LOG | DB_INIT_TXN | DB_INIT_REP, 0);
	printf("open -> %d\n", r);
	if (r == 0) {
		u_int32_t u = 0; int on = -1;
		e->rep_get_nsites(e, &u); printf("nsites %u\n", u);
		e->rep_get_config(e, DB_REP_CONF_BULK, &on); printf("bulk %d\n", on);
	}
	e->close(e, 0);
}
int main(void)
{
	try_open("rep_set_config db_rep_conf_bulk\nrep_set_nsites 5\n");
	try_open("# c\nrep_set_config\n");
	try_open("set_tx_max 5\n\nrep_set_config db_rep_conf_bulk maybe\n");
	try_open("rep_set_config db_rep_conf_bulk on extra\n");
	try_open("rep_set_config db_bogus\n");
	try_open("rep_set_config db_rep_conf_bulk off\nrep_set_config db_bogus on\n");
	try_open("rep_set_timeout db_rep_election_timeout\n");
	try_open("rep_set_timeout db_bogus 5\n");
	try_open("rep_set_timeout db_rep_election_timeout x\n");
	try_open("repmgr_set_ack_policy\n");
	try_open("repmgr_set_ack_policy db_bogus\n");
	try_open("repmgr_set_ack_policy db_repmgr_acks_all extra\n");
	try_open("rep_set_nsites\n");
	try_open("rep_set_nsites x\n");
	try_open("rep_set_nsites 1 2\n");
	try_open("rep_set_request 1\n");
	return 0;
}
