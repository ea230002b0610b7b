/* set_cachesize rounding and minimums, cache_max, mpool getters and their
 * rules before and after open. */
#include "env_common.h"
static void show(DB_ENV *e)
{
	u_int32_t g = 7, b = 7; int n = 7, r;
	r = e->get_cachesize(e, &g, &b, &n);
	printf("get_cachesize %d: %u %u %d\n", r, g, b, n);
}
int main(void)
{
	DB_ENV *e = mkenv(); u_int32_t g, b; size_t sz; int n; db_timeout_t t;
	show(e);
	R(e->set_cachesize(e, 0, 100000, 1)); show(e);
	R(e->set_cachesize(e, 0, 1, 0)); show(e);
	R(e->set_cachesize(e, 0, 1000, 4)); show(e);
	R(e->set_cachesize(e, 0, 600 * 1024 * 1024, 1)); show(e);
	R(e->set_cachesize(e, 1, 0, 2)); show(e);
	R(e->set_cachesize(e, 0, 3u * 1024 * 1024 * 1024 + 5, 1)); show(e);
	R(e->set_cachesize(e, 20001, 0, 2)); show(e);
	R(e->set_cachesize(e, 20001, 0, 1)); show(e);
	R(e->set_cachesize(e, 0, 0, -3)); show(e);
	R(e->set_cache_max(e, 1, 500)); g = b = 9; R(e->get_cache_max(e, &g, &b)); printf("max %u %u\n", g, b);
	R(e->set_mp_mmapsize(e, 12345)); sz = 0; R(e->get_mp_mmapsize(e, &sz)); printf("mmap %zu\n", sz);
	R(e->set_mp_max_openfd(e, 17)); n = 0; R(e->get_mp_max_openfd(e, &n)); printf("openfd %d\n", n);
	R(e->set_mp_max_write(e, 5, 100)); n = 0; t = 0; R(e->get_mp_max_write(e, &n, &t)); printf("maxwrite %d %u\n", n, t);
	R(e->set_mp_pagesize(e, 8192)); g = 0; R(e->get_mp_pagesize(e, &g)); printf("pagesize %u\n", g);
	R(e->set_mp_tablesize(e, 99)); g = 0; R(e->get_mp_tablesize(e, &g)); printf("tablesize %u\n", g);
	R(e->set_mp_mtxcount(e, 33)); g = 0; R(e->get_mp_mtxcount(e, &g)); printf("mtxcount %u\n", g);
	/* Open without a cache: the mpool interfaces refuse. */
	R(e->open(e, NULL, DB_CREATE | DB_PRIVATE | DB_INIT_LOCK, 0));
	g = b = 3; n = 3; R(e->get_cachesize(e, &g, &b, &n));
	R(e->set_cachesize(e, 0, 100000, 1));
	R(e->get_cache_max(e, &g, &b));
	R(e->set_cache_max(e, 0, 1));
	R(e->set_mp_mmapsize(e, 1)); R(e->get_mp_mmapsize(e, &sz));
	R(e->set_mp_max_openfd(e, 1)); R(e->get_mp_max_openfd(e, &n));
	R(e->set_mp_max_write(e, 1, 1)); R(e->get_mp_max_write(e, &n, &t));
	R(e->set_mp_pagesize(e, 1)); R(e->get_mp_pagesize(e, &g));
	R(e->set_mp_tablesize(e, 1)); R(e->get_mp_tablesize(e, &g));
	R(e->set_mp_mtxcount(e, 1)); R(e->get_mp_mtxcount(e, &g));
	R(e->close(e, 0));
	/* With a cache: after-open setters that libdb allows or forbids. */
	e = mkenv();
	R(e->open(e, NULL, DB_CREATE | DB_PRIVATE | DB_INIT_MPOOL, 0));
	R(e->set_mp_pagesize(e, 1));
	R(e->set_mp_tablesize(e, 1));
	R(e->set_mp_mtxcount(e, 1));
	R(e->set_cache_max(e, 0, 1));
	R(e->set_mp_max_openfd(e, 9)); n = 0; R(e->get_mp_max_openfd(e, &n)); printf("openfd %d\n", n);
	R(e->set_mp_mmapsize(e, 4096)); sz = 0; R(e->get_mp_mmapsize(e, &sz)); printf("mmap %zu\n", sz);
	R(e->close(e, 0));
	return 0;
}
