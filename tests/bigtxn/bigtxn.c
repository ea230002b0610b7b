/*
 * One big transaction, end to end (`make bigtxn-test`): put N values of
 * SIZE bytes (default 2,048 x 1 MiB = 2 GiB) with distinct keys in ONE
 * transaction, commit with DB_TXN_SYNC, close; then reopen (with
 * DB_RECOVER, or without) and check every value against its checksum.
 * Built with `cc bigtxn.c -ldb` against /usr/include/db.h, so the same
 * binary runs against the system libdb or Tern (LD_LIBRARY_PATH).
 *
 *   bigtxn -V                            the library's version string
 *   bigtxn -d DIR -p load|crash [-n N] [-s SIZE] [-c CACHE]
 *                                        (crash: _exit right after the commit)
 *   bigtxn -d DIR -p verify|recover [-n N] [-s SIZE] [-c CACHE]
 *
 * The environment uses the library's default cache unless -c gives one
 * (bytes). Exit status 0 only when every check passed.
 */
#include <db.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The value of item i: xorshift64 bytes seeded by i. */
static void fill(unsigned char *buf, size_t size, uint32_t i) {
    uint64_t x = 0x9E3779B97F4A7C15ULL ^ ((uint64_t)i * 0xD6E8FEB86659FD93ULL);
    size_t n = 0;
    while (n < size) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        size_t k = size - n < 8 ? size - n : 8;
        memcpy(buf + n, &x, k);
        n += k;
    }
}

static void die(const char *what, int ret) {
    fprintf(stderr, "FAIL: %s: %s\n", what, db_strerror(ret));
    exit(1);
}

static DB_ENV *open_env(const char *dir, u_int32_t extra, long cache) {
    DB_ENV *env;
    int ret = db_env_create(&env, 0);
    if (ret != 0) die("db_env_create", ret);
    env->set_errfile(env, stderr);
    env->set_errpfx(env, "bigtxn");
    if (cache > 0 && (ret = env->set_cachesize(env, 0, (u_int32_t)cache, 1)) != 0) die("set_cachesize", ret);
    /* BIGTXN_LOCKS: a bigger lock table, should a library need one (the
     * defaults suffice for both libdb and Tern at 2,048 items). */
    const char *locks = getenv("BIGTXN_LOCKS");
    if (locks != NULL && atol(locks) > 0) {
        env->set_lk_max_locks(env, (u_int32_t)atol(locks));
        env->set_lk_max_objects(env, (u_int32_t)atol(locks));
    }
    ret = env->open(env, dir, DB_CREATE | DB_INIT_TXN | DB_INIT_LOG | DB_INIT_MPOOL | DB_INIT_LOCK | extra, 0600);
    if (ret != 0) die("DB_ENV->open", ret);
    return env;
}

static DB *open_db(DB_ENV *env, u_int32_t flags) {
    DB *db;
    int ret = db_create(&db, env, 0);
    if (ret != 0) die("db_create", ret);
    ret = db->open(db, NULL, "big.db", NULL, DB_BTREE, flags | DB_AUTO_COMMIT, 0600);
    if (ret != 0) die("DB->open", ret);
    return db;
}

int main(int argc, char **argv) {
    const char *dir = NULL, *phase = NULL;
    long n = 2048, size = 1 << 20, cache = 0;
    int c;
    while ((c = getopt(argc, argv, "Vd:p:n:s:c:")) != -1) {
        switch (c) {
        case 'V': printf("%s\n", db_version(NULL, NULL, NULL)); return 0;
        case 'd': dir = optarg; break;
        case 'p': phase = optarg; break;
        case 'n': n = atol(optarg); break;
        case 's': size = atol(optarg); break;
        case 'c': cache = atol(optarg); break;
        default: return 2;
        }
    }
    if (dir == NULL || phase == NULL || n <= 0 || size <= 0) {
        fprintf(stderr, "usage: bigtxn -d DIR -p load|verify|recover [-n N] [-s SIZE] [-c CACHE]\n");
        return 2;
    }
    unsigned char *buf = malloc((size_t)size), *got = malloc((size_t)size);
    if (buf == NULL || got == NULL) die("malloc", ENOMEM);
    char key[32];
    DBT k, d;
    int ret;
    double t0 = now();

    int crash = strcmp(phase, "crash") == 0;
    if (crash || strcmp(phase, "load") == 0) {
        DB_ENV *env = open_env(dir, 0, cache);
        DB *db = open_db(env, DB_CREATE);
        DB_TXN *txn;
        if ((ret = env->txn_begin(env, NULL, &txn, 0)) != 0) die("txn_begin", ret);
        for (long i = 0; i < n; i++) {
            snprintf(key, sizeof key, "key%08ld", i);
            fill(buf, (size_t)size, (uint32_t)i);
            memset(&k, 0, sizeof k); memset(&d, 0, sizeof d);
            k.data = key; k.size = (u_int32_t)strlen(key);
            d.data = buf; d.size = (u_int32_t)size;
            if ((ret = db->put(db, txn, &k, &d, 0)) != 0) {
                fprintf(stderr, "put %ld\n", i);
                die("DB->put", ret);
            }
        }
        double t1 = now();
        if ((ret = txn->commit(txn, DB_TXN_SYNC)) != 0) die("DB_TXN->commit", ret);
        double t2 = now();
        if (crash) {
            /* Committed (durable: DB_TXN_SYNC), never checkpointed: the
             * process dies with the environment open, so the next open
             * needs DB_RECOVER and must replay the whole transaction. */
            printf("bigtxn: crash: %ld x %ld bytes committed: puts %.1fs, commit %.1fs, then _exit\n",
                   n, size, t1 - t0, t2 - t1);
            fflush(stdout);
            _exit(0);
        }
        if ((ret = db->close(db, 0)) != 0) die("DB->close", ret);
        if ((ret = env->close(env, 0)) != 0) die("DB_ENV->close", ret);
        printf("bigtxn: load: %ld x %ld bytes in one transaction: puts %.1fs, commit %.1fs, close %.1fs\n",
               n, size, t1 - t0, t2 - t1, now() - t2);
        return 0;
    }

    int recover = strcmp(phase, "recover") == 0;
    if (!recover && strcmp(phase, "verify") != 0) { fprintf(stderr, "unknown phase %s\n", phase); return 2; }
    DB_ENV *env = open_env(dir, recover ? DB_RECOVER : 0, cache);
    double t1 = now();
    DB *db = open_db(env, 0);
    DBC *cur;
    if ((ret = db->cursor(db, NULL, &cur, 0)) != 0) die("DB->cursor", ret);
    long count = 0, bad = 0;
    memset(&k, 0, sizeof k); memset(&d, 0, sizeof d);
    d.data = got; d.ulen = (u_int32_t)size; d.flags = DB_DBT_USERMEM;
    while ((ret = cur->get(cur, &k, &d, DB_NEXT)) == 0) {
        char expect[32];
        snprintf(expect, sizeof expect, "key%08ld", count);
        fill(buf, (size_t)size, (uint32_t)count);
        if (k.size != strlen(expect) || memcmp(k.data, expect, k.size) != 0 || d.size != (u_int32_t)size
            || memcmp(got, buf, (size_t)size) != 0) {
            if (bad++ < 5) fprintf(stderr, "FAIL: item %ld differs\n", count);
        }
        count++;
    }
    if (ret != DB_NOTFOUND) die("DBC->get", ret);
    cur->close(cur);
    /* And a few by key. */
    for (long i = 0; i < n; i += (n / 16 > 0 ? n / 16 : 1)) {
        snprintf(key, sizeof key, "key%08ld", i);
        memset(&k, 0, sizeof k);
        k.data = key; k.size = (u_int32_t)strlen(key);
        fill(buf, (size_t)size, (uint32_t)i);
        if ((ret = db->get(db, NULL, &k, &d, 0)) != 0 || d.size != (u_int32_t)size || memcmp(got, buf, (size_t)size) != 0) {
            fprintf(stderr, "FAIL: get %s: %s\n", key, ret ? db_strerror(ret) : "differs");
            bad++;
        }
    }
    db->close(db, 0);
    env->close(env, 0);
    printf("bigtxn: %s: open %.1fs, %ld items checked in %.1fs, %ld bad\n",
           phase, t1 - t0, count, now() - t1, bad);
    if (count != n) { fprintf(stderr, "FAIL: %ld items, expected %ld\n", count, n); return 1; }
    return bad == 0 ? 0 : 1;
}
