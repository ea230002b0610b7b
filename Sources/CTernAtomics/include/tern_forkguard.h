/* Descriptors a forked child must not keep: the region files' log-lock
 * descriptors (TernEngine Region.holdLog). An open-file-description lock
 * belongs to the description, which fork shares with the child, so a child
 * that lives on (and never execs: O_CLOEXEC covers exec) would keep the
 * lock held after its parent dies. A pthread_atfork child handler closes
 * every registered descriptor in the child; it takes no lock (atomic
 * slots), so it is safe whatever other threads held at fork. */
#ifndef TERN_FORKGUARD_H
#define TERN_FORKGUARD_H

/* Registers `fd`: 1, or 0 when the table is full (then nothing is done for
 * it in children). */
int tern_fork_guard_add(int fd);
/* Unregisters `fd` (no effect if it is not registered). */
void tern_fork_guard_remove(int fd);

/* getpid(), cached for the process; a fork's child reads it afresh (a
 * pthread_atfork child handler resets the cache). */
int tern_current_pid(void);

#endif
