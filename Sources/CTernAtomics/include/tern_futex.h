/*
 * tern_futex.h: blocking on a 32-bit word in shared (region) memory.
 * The lock table's waiters sleep on their lock record's status word and
 * whoever changes the status wakes them (Linux futexes, the shared -- not
 * PRIVATE -- operations, so a waker in another process reaches them).
 * syscall() is variadic, which Swift cannot call; these shims can.
 * Header-only.
 */
#ifndef TERN_FUTEX_H
#define TERN_FUTEX_H
#include <errno.h>
#include <stdint.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Sleeps while *addr == expected, for at most timeout_ns nanoseconds
 * (negative: no limit). Returns 0 when woken, else the errno: EAGAIN
 * (the word no longer held `expected`), EINTR, ETIMEDOUT. Callers recheck
 * the word whatever this returns. */
static inline int tern_futex_wait(uint32_t *addr, uint32_t expected, int64_t timeout_ns) {
    struct timespec ts, *tp = NULL;
    if (timeout_ns >= 0) {
        ts.tv_sec = (time_t)(timeout_ns / 1000000000LL);
        ts.tv_nsec = (long)(timeout_ns % 1000000000LL);
        tp = &ts;
    }
    long r = syscall(SYS_futex, addr, FUTEX_WAIT, expected, tp, NULL, 0);
    return r == 0 ? 0 : errno;
}

/* Wakes up to `count` sleepers on addr; returns how many were woken. */
static inline int tern_futex_wake(uint32_t *addr, int count) {
    long r = syscall(SYS_futex, addr, FUTEX_WAKE, count, NULL, NULL, 0);
    return r < 0 ? 0 : (int)r;
}
#endif
