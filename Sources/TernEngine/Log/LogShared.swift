// The log's shared state and its lock: the seam for the environment region.
//
// DESIGN.md puts the log buffer and tail in the region so several processes
// can append. Everything here is therefore plain values (no references, no
// Swift collections) plus raw memory, so that moving it into the region means
// placing `LogShared`, the buffer and the mutex/condition at region offsets
// and initialising the mutex PTHREAD_PROCESS_SHARED (+ robust), instead of
// allocating them here. Process-local things (file descriptors, the
// directory path, the sync function, the in-memory log's file table) stay in
// the `Log` handle.

import Glibc

/// Counters, as log_stat reports them.
public struct LogStatistics: Sendable, Equatable {
    public var records: UInt64 = 0
    public var bytes: UInt64 = 0
    /// write(2) calls that moved buffered records to a file.
    public var writes: UInt64 = 0
    /// Group-commit syncs (one per leader), the number group commit reduces.
    public var syncs: UInt64 = 0
    /// Syncs of a finished file when the log moved to the next one.
    public var rolloverSyncs: UInt64 = 0
    /// flush(sync:) calls that found their LSN already durable or were
    /// covered by another thread's sync.
    public var coveredFlushes: UInt64 = 0
}

/// The state every appender shares. Guarded by LogLock's mutex; read and
/// written only with it held.
///
/// Invariants (file-backed log, once a file is open, i.e. next.offset != 0):
/// - buffer bytes [0, bufferUsed) are file bytes [bufferStart, bufferStart +
///   bufferUsed) of file next.file, and bufferStart + bufferUsed == next.offset;
/// - bufferStart is a record boundary (the buffer only ever holds whole
///   records and is written out whole), and the file holds exactly the bytes
///   before bufferStart: written == (next.file, bufferStart);
/// - synced <= written <= next; "lsn is durable" means lsn < synced (a record
///   lies wholly before the end position that was synced); every file before
///   next.file was synced when the log moved on, so synced only needs to
///   describe the current file.
struct LogShared {
    /// lg_max for files created from now on.
    var fileSize: UInt32
    /// The maximum size of the current file (its header's lgMax).
    var currentFileMax: UInt32
    /// lg_bsize: the write buffer (file log) or the ring (in-memory log).
    var bufferSize: UInt32
    /// Where the next record goes; offset 0 means "no file open yet".
    var next: LSN
    /// The last record appended (zero when the log is empty).
    var last: LSN
    /// Offset of the last record in the current file (0: the header), the
    /// next record's `prev`.
    var lastOffsetInFile: UInt32 = 0
    var bufferStart: UInt32 = 0
    var bufferUsed: UInt32 = 0
    var written: LSN
    var synced: LSN
    /// A group-commit leader is syncing with the mutex released.
    var syncInProgress = false
    /// Bumped by truncate/reset: cursors drop cached file data.
    var generation: UInt64 = 0
    var stats = LogStatistics()
}

/// A mutex and condition variable. Process-private now; in the region they
/// become PTHREAD_PROCESS_SHARED objects at region offsets, and this type
/// would wrap pointers into the region instead of allocating.
///
/// @unchecked Sendable: the pthread objects are the synchronisation; the
/// pointers themselves never change after init.
final class LogLock: @unchecked Sendable {
    let mutex: UnsafeMutablePointer<pthread_mutex_t>
    let cond: UnsafeMutablePointer<pthread_cond_t>

    init() {
        mutex = .allocate(capacity: 1)
        cond = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(cond, nil)
    }

    deinit {
        pthread_cond_destroy(cond)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        cond.deallocate()
    }

    @inline(__always) func lock() { pthread_mutex_lock(mutex) }
    @inline(__always) func unlock() { pthread_mutex_unlock(mutex) }
    /// Waits for a broadcast; the mutex must be held.
    func wait() { pthread_cond_wait(cond, mutex) }
    func broadcast() { pthread_cond_broadcast(cond) }
}
