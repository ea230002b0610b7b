/*
 * DB_ENV->rep_set_config / rep_get_config before open: every DB_REP_CONF_*
 * and DB_REPMGR_CONF_* flag (defaults, on, off, nonzero "on" values),
 * combinations, zero, unknown flags, and the Base API / Replication Manager
 * rules (a repmgr flag makes a repmgr application; a Base API application
 * may not set repmgr flags).
 */
#include "rep_common.h"

static const struct { const char *name; u_int32_t flag; } flags[] = {
	{ "2SITE_STRICT", DB_REPMGR_CONF_2SITE_STRICT },
	{ "ELECTIONS", DB_REPMGR_CONF_ELECTIONS },
	{ "AUTOINIT", DB_REP_CONF_AUTOINIT },
	{ "AUTOROLLBACK", DB_REP_CONF_AUTOROLLBACK },
	{ "BULK", DB_REP_CONF_BULK },
	{ "DELAYCLIENT", DB_REP_CONF_DELAYCLIENT },
	{ "INMEM", DB_REP_CONF_INMEM },
	{ "LEASE", DB_REP_CONF_LEASE },
	{ "NOWAIT", DB_REP_CONF_NOWAIT },
};
#define NFLAGS (int)(sizeof(flags) / sizeof(flags[0]))

static void show(DB_ENV *e, const char *what)
{
	int i, on, ret;
	printf("%s:", what);
	for (i = 0; i < NFLAGS; i++) {
		on = 77;
		ret = e->rep_get_config(e, flags[i].flag, &on);
		printf(" %s=%d/%d", flags[i].name, ret, on);
	}
	printf("\n");
}

static void get(DB_ENV *e, const char *name, u_int32_t which)
{
	int on = 77, ret;
	ret = e->rep_get_config(e, which, &on);
	printf("get %s -> %d (%d)\n", name, ret, on);
}

int main(void)
{
	DB_ENV *e;
	int i;

	if ((e = new_env()) == NULL)
		return 1;
	show(e, "defaults");
	get(e, "0", 0);
	get(e, "0x200", 0x200);
	get(e, "0x80000000", 0x80000000u);
	get(e, "BULK|0x200", DB_REP_CONF_BULK | 0x200);
	get(e, "BULK|DELAYCLIENT", DB_REP_CONF_BULK | DB_REP_CONF_DELAYCLIENT);
	get(e, "BULK|AUTOINIT", DB_REP_CONF_BULK | DB_REP_CONF_AUTOINIT);

	for (i = 0; i < NFLAGS; i++)
		printf("set %s off -> %d\n", flags[i].name, e->rep_set_config(e, flags[i].flag, 0));
	show(e, "all off");
	for (i = 0; i < NFLAGS; i++)
		printf("set %s on(1) -> %d\n", flags[i].name, e->rep_set_config(e, flags[i].flag, 1));
	show(e, "all on");
	get(e, "every flag", 0x1ff);
	printf("set every flag off -> %d\n", e->rep_set_config(e, 0x1ff, 0));
	show(e, "after every off");
	get(e, "every flag", 0x1ff);
	printf("set BULK on(-1) -> %d\n", e->rep_set_config(e, DB_REP_CONF_BULK, -1));
	printf("set LEASE on(42) -> %d\n", e->rep_set_config(e, DB_REP_CONF_LEASE, 42));
	printf("set INMEM|NOWAIT on -> %d\n", e->rep_set_config(e, DB_REP_CONF_INMEM | DB_REP_CONF_NOWAIT, 1));
	show(e, "after mixed");
	printf("set 0 on -> %d\n", e->rep_set_config(e, 0, 1));
	printf("set 0x200 on -> %d\n", e->rep_set_config(e, 0x200, 1));
	printf("set BULK|0x400 off -> %d\n", e->rep_set_config(e, DB_REP_CONF_BULK | 0x400, 0));
	printf("set 0x80000000 off -> %d\n", e->rep_set_config(e, 0x80000000u, 0));
	show(e, "after invalid");
	/* The repmgr flags made this a Replication Manager application. */
	printf("set_transport -> %d\n", e->rep_set_transport(e, 3, send_fn));
	printf("close -> %d\n", e->close(e, 0));

	/* Base API application: repmgr flags refused, the rest accepted. */
	if ((e = new_env()) == NULL)
		return 1;
	printf("set_transport -> %d\n", e->rep_set_transport(e, 3, send_fn));
	for (i = 0; i < NFLAGS; i++)
		printf("base set %s off -> %d\n", flags[i].name, e->rep_set_config(e, flags[i].flag, 0));
	printf("base set BULK|ELECTIONS on -> %d\n",
	    e->rep_set_config(e, DB_REP_CONF_BULK | DB_REPMGR_CONF_ELECTIONS, 1));
	printf("base set 0x200|ELECTIONS on -> %d\n",
	    e->rep_set_config(e, 0x200 | DB_REPMGR_CONF_ELECTIONS, 1));
	show(e, "base after sets");
	printf("close -> %d\n", e->close(e, 0));

	/* Only a repmgr flag makes a repmgr application. */
	if ((e = new_env()) == NULL)
		return 1;
	printf("set BULK on -> %d\n", e->rep_set_config(e, DB_REP_CONF_BULK, 1));
	printf("set 0x200|ELECTIONS on -> %d\n", e->rep_set_config(e, 0x200 | DB_REPMGR_CONF_ELECTIONS, 1));
	printf("set_transport -> %d\n", e->rep_set_transport(e, 3, send_fn));
	printf("close -> %d\n", e->close(e, 0));
	return 0;
}
