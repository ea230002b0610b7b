/*
 * tern_atomics.h: atomic loads, stores and read-modify-writes on words that
 * live in shared (region) memory.  Swift's Atomic<T> cannot be placed at an
 * offset inside an mmap'd region, so the engine reaches the compiler's
 * __atomic builtins through these inline shims.  Header-only: nothing here
 * needs linking.
 */
#ifndef TERN_ATOMICS_H
#define TERN_ATOMICS_H
#include <stdint.h>

static inline uint32_t tern_atomic_load_u32(const uint32_t *p) {
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}
static inline void tern_atomic_store_u32(uint32_t *p, uint32_t v) {
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}
static inline uint32_t tern_atomic_fetch_add_u32(uint32_t *p, uint32_t v) {
    return __atomic_fetch_add(p, v, __ATOMIC_ACQ_REL);
}
/* Stores `desired` if *p == expected; returns the value seen. */
static inline uint32_t tern_atomic_cas_u32(uint32_t *p, uint32_t expected, uint32_t desired) {
    __atomic_compare_exchange_n(p, &expected, desired, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
    return expected;
}
static inline uint64_t tern_atomic_load_u64(const uint64_t *p) {
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}
static inline void tern_atomic_store_u64(uint64_t *p, uint64_t v) {
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}
static inline uint64_t tern_atomic_fetch_add_u64(uint64_t *p, uint64_t v) {
    return __atomic_fetch_add(p, v, __ATOMIC_ACQ_REL);
}
#endif
