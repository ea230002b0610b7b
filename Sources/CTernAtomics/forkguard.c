/* See tern_forkguard.h. Slots hold fd + 1 (0: empty). */
#include "tern_forkguard.h"
#include <pthread.h>
#include <unistd.h>

#define SLOTS 64
static int slots[SLOTS];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void in_child(void)
{
	for (int i = 0; i < SLOTS; i++) {
		int v = __atomic_exchange_n(&slots[i], 0, __ATOMIC_SEQ_CST);
		if (v > 0) close(v - 1);
	}
}

static void install(void)
{
	pthread_atfork(NULL, NULL, in_child);
}

int tern_fork_guard_add(int fd)
{
	pthread_once(&once, install);
	for (int i = 0; i < SLOTS; i++) {
		int expected = 0;
		if (__atomic_compare_exchange_n(&slots[i], &expected, fd + 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			return 1;
	}
	return 0;
}

void tern_fork_guard_remove(int fd)
{
	for (int i = 0; i < SLOTS; i++) {
		int expected = fd + 1;
		if (__atomic_compare_exchange_n(&slots[i], &expected, 0, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			return;
	}
}
