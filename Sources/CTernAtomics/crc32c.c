/* CRC32C with SSE4.2's crc32 instruction: see tern_crc32c.h. */
#include <string.h>
#include "tern_crc32c.h"

int tern_crc32c_hardware(void)
{
#if defined(__x86_64__)
	return __builtin_cpu_supports("sse4.2") ? 1 : 0;
#else
	return 0;
#endif
}

#if defined(__x86_64__)
__attribute__((target("sse4.2")))
uint32_t tern_crc32c_update(uint32_t crc, const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t c = (uint32_t)~crc;
	while (n > 0 && ((uintptr_t)b & 7) != 0) {
		c = __builtin_ia32_crc32qi((uint32_t)c, *b++);
		n--;
	}
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, b, 8);
		c = __builtin_ia32_crc32di(c, w);
		b += 8;
		n -= 8;
	}
	while (n > 0) {
		c = __builtin_ia32_crc32qi((uint32_t)c, *b++);
		n--;
	}
	return ~(uint32_t)c;
}
#else
uint32_t tern_crc32c_update(uint32_t crc, const void *p, size_t n)
{
	(void)p; (void)n;
	return crc;
}
#endif
