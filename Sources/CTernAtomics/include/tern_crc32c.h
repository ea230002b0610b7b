/*
 * tern_crc32c.h: CRC32C with the CPU's crc32 instruction (SSE4.2), which
 * Swift cannot reach without intrinsics. TernEngine/Log/CRC32C.swift calls
 * it when tern_crc32c_hardware() says the CPU has the instruction and keeps
 * its table-driven code for CPUs without it; both compute the same function.
 */
#ifndef TERN_CRC32C_H
#define TERN_CRC32C_H
#include <stddef.h>
#include <stdint.h>

/* 1 when the running CPU has SSE4.2's crc32 instruction. */
int tern_crc32c_hardware(void);
/* The CRC32C of n bytes at p continuing from crc (pre- and post-inverted,
 * as CRC32C.update); only when tern_crc32c_hardware() returned 1. */
uint32_t tern_crc32c_update(uint32_t crc, const void *p, size_t n);
#endif
