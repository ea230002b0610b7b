/* See tern_forkguard.h. Slots hold fd + 1 (0: empty). */
#include "tern_forkguard.h"
#include <pthread.h>
#include <unistd.h>

#define SLOTS 64
static int slots[SLOTS];
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* The process id, read once per process: glibc no longer caches getpid(),
 * and transactions and lockers record their pid at every begin (two
 * system calls per one-put transaction before). Reset in a fork's child. */
static int cached_pid;
static pthread_once_t pid_once = PTHREAD_ONCE_INIT;

static void in_child(void)
{
	__atomic_store_n(&cached_pid, 0, __ATOMIC_RELAXED);
	for (int i = 0; i < SLOTS; i++) {
		int v = __atomic_exchange_n(&slots[i], 0, __ATOMIC_SEQ_CST);
		if (v > 0) close(v - 1);
	}
}

static void install(void)
{
	pthread_atfork(NULL, NULL, in_child);
}

static void install_pid_reset(void)
{
	pthread_once(&once, install);
}

int tern_current_pid(void)
{
	int pid = __atomic_load_n(&cached_pid, __ATOMIC_RELAXED);
	if (pid != 0)
		return pid;
	pthread_once(&pid_once, install_pid_reset);
	pid = (int)getpid();
	__atomic_store_n(&cached_pid, pid, __ATOMIC_RELAXED);
	return pid;
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
