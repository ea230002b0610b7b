/* A full lock table: small set_lk_max_locks / _objects / _lockers give
 * ENOMEM with libdb's "Lock table is out of available ... entries" where
 * libdb's allocator stops (the initial allocation is 5 locks and objects
 * per partition, then batches up to the maximum); what was allocated, and
 * that releasing a lock makes room again. */
#include "common.h"

static DB_ENV *limited(u_int32_t partitions, u_int32_t locks, u_int32_t objects, u_int32_t lockers)
{
	DB_ENV *e = mkenv();
	if (partitions) R(e->set_lk_partitions(e, partitions));
	if (locks) R(e->set_lk_max_locks(e, locks));
	if (objects) R(e->set_lk_max_objects(e, objects));
	if (lockers) R(e->set_lk_max_lockers(e, lockers));
	R(e->open(e, NULL, DB_CREATE | DB_PRIVATE | DB_INIT_LOCK, 0));
	return e;
}

static void stats(DB_ENV *e, int requests)
{
	DB_LOCK_STAT *st;
	if (e->lock_stat(e, &st, 0) != 0) return;
	printf("  locks %u/%u allocated, objects %u/%u allocated, lockers %u/%u allocated;"
	    " max %u/%u/%u; maxnlocks %u maxnobjects %u",
	    st->st_nlocks, st->st_locks, st->st_nobjects, st->st_objects,
	    st->st_nlockers, st->st_lockers, st->st_maxlocks, st->st_maxobjects,
	    st->st_maxlockers, st->st_maxnlocks, st->st_maxnobjects);
	if (requests)
		printf(" requests %lu releases %lu", (unsigned long)st->st_nrequests,
		    (unsigned long)st->st_nreleases);
	printf("\n");
	free(st);
}

/* Distinct objects until the table refuses; returns how many were granted. */
static int fill(DB_ENV *e, u_int32_t locker, DB_LOCK *held, int max, const char *prefix)
{
	int i, r;
	for (i = 0; i < max; i++) {
		char name[32]; DBT o;
		snprintf(name, sizeof(name), "%s%d", prefix, i);
		o = S(name);
		if ((r = e->lock_get(e, locker, 0, &o, DB_LOCK_WRITE, &held[i])) != 0) {
			printf("  lock #%d -> %d (%s)\n", i, r, db_strerror(r));
			break;
		}
	}
	printf("  granted %d\n", i);
	return i;
}

int main(void)
{
	DB_ENV *e;
	DB_LOCK held[400];
	u_int32_t a, b, id, v;
	int n, i, r;
	DBT o;

	setvbuf(stdout, NULL, _IONBF, 0);

	printf("one partition, 10 locks:\n");
	e = limited(1, 10, 0, 0);
	v = 0; R(e->get_lk_max_locks(e, &v)); printf("  max locks %u\n", v);
	R(e->lock_id(e, &a)); R(e->lock_id(e, &b));
	n = fill(e, a, held, 400, "obj");
	stats(e, 1);
	o = S("obj3");
	R(e->lock_get(e, a, 0, &o, DB_LOCK_WRITE, &held[399]));
	R(e->lock_put(e, &held[399]));
	o = S("another");
	R(e->lock_get(e, b, 0, &o, DB_LOCK_READ, &held[399]));
	R(e->lock_put(e, &held[0]));
	R(e->lock_get(e, b, 0, &o, DB_LOCK_READ, &held[399]));
	stats(e, 1);
	{ DB_LOCKREQ req; memset(&req, 0, sizeof(req)); req.op = DB_LOCK_PUT_ALL;
	  R(e->lock_vec(e, a, 0, &req, 1, NULL)); R(e->lock_vec(e, b, 0, &req, 1, NULL)); }
	n = fill(e, a, held, 400, "again");
	stats(e, 1);
	R(e->close(e, 0));

	printf("two partitions, 30 locks:\n");
	e = limited(2, 30, 0, 0);
	R(e->lock_id(e, &a));
	n = fill(e, a, held, 400, "obj");
	stats(e, 0);
	R(e->close(e, 0));

	printf("two partitions, 6 locks (below the initial 10):\n");
	e = limited(2, 6, 0, 0);
	R(e->lock_id(e, &a));
	n = fill(e, a, held, 400, "obj");
	stats(e, 0);
	R(e->close(e, 0));

	printf("default partitions, 10 locks:\n");
	e = limited(0, 10, 0, 0);
	R(e->lock_id(e, &a));
	n = fill(e, a, held, 400, "obj");
	R(e->close(e, 0));

	printf("one partition, 10 objects:\n");
	e = limited(1, 0, 10, 0);
	R(e->lock_id(e, &a));
	n = fill(e, a, held, 400, "obj");
	stats(e, 1);
	o = S("obj0");
	R(e->lock_get(e, a, 0, &o, DB_LOCK_READ, &held[399]));
	R(e->close(e, 0));

	printf("5 lockers:\n");
	e = limited(1, 0, 0, 5);
	for (i = 0; i < 10; i++)
		if ((r = e->lock_id(e, &id)) != 0) { printf("  lock_id #%d -> %d (%s)\n", i, r, db_strerror(r)); break; }
	R(e->lock_id_free(e, 3));
	R(e->lock_id(e, &id)); printf("  id %u\n", id);
	R(e->lock_id(e, &id));
	stats(e, 0);
	R(e->close(e, 0));
	return 0;
}
