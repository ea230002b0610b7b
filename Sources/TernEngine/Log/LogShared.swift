// The log's shared state and its locks, in the environment region.
//
// DESIGN.md puts the log buffer and tail in the region so several processes
// can append. A file log's LogShared, its lg_bsize write buffer and its two
// mutexes live in the region area "log" (LogArea below); every process
// attached to the environment appends through them. Everything there is
// plain values (no references, no Swift collections) plus raw memory.
// Process-local things stay in the `Log` handle: file descriptors (each
// process has its own, reopened when the shared state names another file),
// the directory path, the sync function, the in-memory log's ring table.
//
// A standalone Log (Log.open without a region: tests, tools) and an
// in-memory log (DB_LOG_IN_MEMORY) use the same layout in memory the handle
// allocates itself. In-memory logs stay process-local: their ring table is
// Swift arrays in the handle, so an environment whose log is in memory is
// one process's (attachSubsystems refuses a second process with EBUSY).
//
// Locking rules (LogLock):
// - the log mutex (robust, process-shared) guards LogShared and the buffer:
//   every read or write of them holds it. Writes of the buffer to the file
//   happen under it, so the file image stays a prefix of the log.
// - the flush mutex (robust, process-shared) is held by the group-commit
//   leader for as long as `syncInProgress` is set, across its fdatasync
//   (with the log mutex released), so a leader's death is seen (owner-dead)
//   by whoever looks next. It is only ever try-locked, with the log mutex
//   held (a leader taking it, a waiter checking on the leader), and
//   released by the leader with the log mutex held; nobody blocks on it.
// - the sync epoch (a futex word in the area header) moves on when a sync
//   ends; threads waiting for a sync sleep on it and the leader wakes them
//   all. Written with the log mutex held, read without it by sleepers.
// - a robust mutex found with a dead owner (EOWNERDEAD: a process died
//   inside it) means the log may be half updated: the area's `dead` flag and
//   the region's panic flag are set, and every later append, flush, truncate
//   or reset throws DB_RUNRECOVERY, as libdb panics.
import CBerkeleyDB
import CTernAtomics
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

/// The state every appender, in every process, shares. Guarded by LogLock's
/// log mutex; read and written only with it held.
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
    /// A group-commit leader (holding the flush mutex) is syncing with the
    /// log mutex released; others needing a sync wait for it to end.
    var syncInProgress = false
    /// Threads sleeping on the sync epoch (the leader skips the wake-up
    /// system call when there are none).
    var syncWaiters: UInt32 = 0
    /// Bumped by truncate/reset: cursors drop cached file data.
    var generation: UInt64 = 0
    var stats = LogStatistics()
}

/// The "log" area: two mutexes, a small header, LogShared, then the buffer.
///
///   0    log mutex     SharedMutex (robust, process-shared)
///   64   flush mutex   SharedMutex (robust, process-shared)
///   128  u32 magic "TLOG"   132 u32 version   136 u32 state (0: the log's
///        end is not known yet, 1: open)   140 u32 dead (atomic: a mutex
///        was found owner-dead)   144 u32 buffer size   148 u32 size of
///        LogShared (this build's layout; a mismatch is refused)
///        152 u32 sync epoch (futex word: moves on when a sync ends)
///   192  LogShared
///   ...  the buffer, 64-aligned, `buffer size` bytes
enum LogArea {
    static let name = "log"
    static let offMutex = 0, offFlushMutex = 64, offMagic = 128, offVersion = 132
    static let offState = 136, offDead = 140, offBufferSize = 144, offSharedSize = 148
    static let offSyncEpoch = 152
    static let offShared = 192
    static let magic: UInt32 = 0x474F_4C54 // "TLOG"
    static let version: UInt32 = 2
    static var bufferOffset: Int { (offShared + MemoryLayout<LogShared>.stride + 63) & ~63 }

    static func size(bufferSize: UInt32) -> Int { bufferOffset + Int(bufferSize) }

    /// Lays out an empty area at `p` (zeroed): mutexes and header; state 0.
    static func format(_ p: UnsafeMutableRawPointer, bufferSize: UInt32) {
        _ = SharedMutex.initialize(at: p + offMutex)
        _ = SharedMutex.initialize(at: p + offFlushMutex)
        p.setU32(offVersion, version)
        p.setU32(offBufferSize, bufferSize)
        p.setU32(offSharedSize, UInt32(MemoryLayout<LogShared>.stride))
        p.setU32(offState, 0)
        p.setU32(offMagic, magic)
    }

    /// Why an existing area cannot be used, or nil.
    static func problem(_ p: UnsafeMutableRawPointer, areaSize: Int) -> String? {
        if p.u32(offMagic) != magic || p.u32(offVersion) != version { return "corrupt or of another version" }
        if p.u32(offSharedSize) != UInt32(MemoryLayout<LogShared>.stride) { return "laid out by another build" }
        let b = p.u32(offBufferSize)
        if b < 256 || size(bufferSize: b) > areaSize { return "corrupt (buffer size \(b))" }
        return nil
    }
}

/// The log's two mutexes (see the locking rules above): views of memory the
/// area (region, or the handle's own allocation) owns.
///
/// @unchecked Sendable: the mutexes are the synchronisation; the pointers
/// never change after init.
final class LogLock: @unchecked Sendable {
    let mutex: SharedMutex
    let flushMutex: SharedMutex
    private let dead: UnsafeMutablePointer<UInt32>
    private let epochWord: UnsafeMutablePointer<UInt32>
    /// Called once per owner death found (the region panics).
    private let onOwnerDeath: @Sendable () -> Void

    init(area: UnsafeMutableRawPointer, onOwnerDeath: @escaping @Sendable () -> Void) {
        mutex = SharedMutex(at: area + LogArea.offMutex)
        flushMutex = SharedMutex(at: area + LogArea.offFlushMutex)
        dead = area.word32(LogArea.offDead)
        epochWord = area.word32(LogArea.offSyncEpoch)
        self.onOwnerDeath = onOwnerDeath
    }

    private func noteDeath() {
        tern_atomic_store_u32(dead, 1)
        onOwnerDeath()
    }

    @inline(__always) func lock() {
        if mutex.lock() == .previousOwnerDied { noteDeath() }
    }
    @inline(__always) func unlock() { mutex.unlock() }
    /// Takes the flush mutex to lead a sync (log mutex held, no sync
    /// running). Only a leader holds it, and it is released whenever
    /// `syncInProgress` is cleared, so it is free unless a leader died.
    func takeFlushAsLeader() throws(DBError) {
        switch flushMutex.tryLock() {
        case .acquired?: return
        case .previousOwnerDied?:
            flushMutex.unlock()
            noteDeath()
            throw Log.deadLeader
        case nil:
            throw DBError(DB_RUNRECOVERY, "BDB0060 PANIC: log flush mutex held with no sync running; run recovery")
        }
    }
    func unlockFlush() { flushMutex.unlock() }

    /// Whether the leader of the running sync is still alive (log mutex
    /// held, `syncInProgress` set): its flush mutex is held, not
    /// owner-dead. Throws DB_RUNRECOVERY (the region panics) if it died.
    func checkSyncLeader() throws(DBError) {
        guard flushMutex.tryLock() != nil else { return }
        // Owner-dead, or free while a sync is marked running: its leader
        // is gone either way.
        flushMutex.unlock()
        noteDeath()
        throw Log.deadLeader
    }

    /// The sync epoch now (read with the log mutex held, before sleeping).
    var syncEpoch: UInt32 { tern_atomic_load_u32(epochWord) }
    func epochUnchanged(_ epoch: UInt32) -> Bool { tern_atomic_load_u32(epochWord) == epoch }

    /// Sleeps (log mutex released) until the sync epoch moves past `epoch`
    /// or the timeout passes; false on timeout.
    func waitForSyncEnd(after epoch: UInt32, timeoutNanoseconds: Int64) -> Bool {
        while tern_atomic_load_u32(epochWord) == epoch {
            let rc = tern_futex_wait(epochWord, epoch, timeoutNanoseconds)
            if rc == ETIMEDOUT { return tern_atomic_load_u32(epochWord) != epoch }
        }
        return true
    }

    /// Moves the epoch on (log mutex held) and wakes every sleeper.
    func advanceSyncEpoch(wake: Bool) {
        tern_atomic_store_u32(epochWord, tern_atomic_load_u32(epochWord) &+ 1)
        if wake { _ = tern_futex_wake(epochWord, Int32.max) }
    }

    /// A process died holding one of the log's mutexes.
    var ownerDied: Bool { tern_atomic_load_u32(dead) != 0 }

    /// lock(), then DB_RUNRECOVERY (unlocked again) if the log is dead.
    func lockChecked() throws(DBError) {
        lock()
        if ownerDied {
            unlock()
            throw DBError(DB_RUNRECOVERY, "BDB0060 PANIC: a process died holding the log mutex; run recovery")
        }
    }
}
