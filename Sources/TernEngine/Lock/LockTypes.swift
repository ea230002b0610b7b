// The lock manager's public vocabulary: locker ids, lock modes, lock
// handles, and the constants libdb's lock subsystem defines (lock statuses,
// locker flags, the default conflict matrices).
//
// Locking rule: values only; nothing here is shared.

/// A locker: an id from `LockTable.newLocker()` (DB_ENV->lock_id, 1 up to
/// 0x7fffffff) or a transaction id registered by the transaction layer
/// (0x80000000 and up).
public typealias LockerID = UInt32

/// db_lockmode_t. Modes index the conflict matrix; a matrix given with
/// set_lk_conflicts may define more modes than these, which the C API
/// passes as raw values.
public enum LockMode: UInt32, Sendable {
    case ng = 0, read = 1, write = 2, wait = 3, iwrite = 4, iread = 5, iwr = 6
    case readUncommitted = 7, wasWrite = 8

    /// libdb's IS_WRITELOCK: the modes counted as writes (nwrites,
    /// DB_LOCK_MINWRITE/MAXWRITE).
    public var isWrite: Bool { LockMode.isWrite(rawValue) }

    static func isWrite(_ mode: UInt32) -> Bool {
        mode == LockMode.write.rawValue || mode == LockMode.wasWrite.rawValue
            || mode == LockMode.iwrite.rawValue || mode == LockMode.iwr.rawValue
    }
}

/// A granted lock, as C's DB_LOCK carries it: `offset` is the lock record's
/// offset inside the lock table area (DB_LOCK.off; never 0, which is
/// libdb's LOCK_INVALID), `generation` changes every time the record is
/// released, so a stale handle is recognised (DB_LOCK.gen).
public struct LockHandle: Sendable, Equatable {
    public var offset: UInt32
    public var generation: UInt32
    public var mode: LockMode

    public init(offset: UInt32, generation: UInt32, mode: LockMode) {
        self.offset = offset
        self.generation = generation
        self.mode = mode
    }
}

/// A lock as the C API sees it (DB_LOCK {off, ndx, gen, mode}), with the
/// mode raw because a custom conflict matrix may define more modes than
/// LockMode has. `offset` 0 is libdb's LOCK_INVALID.
public struct RawLock: Sendable, Equatable {
    public var offset: UInt64
    public var index: UInt32
    public var generation: UInt32
    public var mode: UInt32

    public init(offset: UInt64 = 0, index: UInt32 = 0, generation: UInt32 = 0, mode: UInt32 = 0) {
        self.offset = offset
        self.index = index
        self.generation = generation
        self.mode = mode
    }

    public static let invalid = RawLock()
    public var isValid: Bool { offset != 0 }
}

/// db_status_t: a lock record's state. The status word is also what a
/// waiting thread sleeps on (a futex), so it is read and written atomically.
enum LockStatus {
    static let aborted: UInt32 = 1   // chosen as a deadlock victim
    static let expired: UInt32 = 2   // its lock or transaction timeout passed
    static let free: UInt32 = 3      // on the free list
    static let held: UInt32 = 4
    static let pending: UInt32 = 5   // promoted; its waiter has not run yet
    static let waiting: UInt32 = 6
}

/// Locker flags (libdb's DB_LOCKER_*), plus Tern's own family bit.
enum LockerFlag {
    static let dirty: UInt32 = 0x1       // holds a WWRITE lock
    static let inAbort: UInt32 = 0x2     // aborting: never a victim again
    static let timeout: UInt32 = 0x4     // has its own lock timeout
    static let familyLocker: UInt32 = 0x8 // DB_LOCKER_FAMILY_LOCKER
}

/// libdb's lock constants.
enum LockConstant {
    static let maxLockerID: UInt32 = 0x7fff_ffff     // DB_LOCK_MAXID
    static let invalidLockerID: UInt32 = 0           // DB_LOCK_INVALIDID
    static let defaultPriority: UInt32 = 100          // DB_LOCK_DEFPRIORITY
    static let txnMaximum: UInt32 = 0xffff_ffff       // TXN_MAXIMUM
    /// DB_LOCK_DEFAULT_N: what libdb sizes its tables for when no maximum
    /// is configured.
    static let defaultCount: UInt32 = 1000
}

/// libdb's conflict matrices: row = the mode held, column = the mode asked
/// for (lock/lock_region.c).
enum LockConflicts {
    /// db_riw_conflicts: N R W WT IW IR RIW DR WW.
    static let readWriteIntention: [UInt8] = [
        0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 1, 0, 1, 0, 1, 0, 1,
        0, 1, 1, 1, 1, 1, 1, 1, 1,
        0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 1, 1, 0, 0, 0, 0, 1, 1,
        0, 0, 1, 0, 0, 0, 0, 0, 1,
        0, 1, 1, 0, 0, 0, 0, 1, 1,
        0, 0, 1, 0, 1, 0, 1, 0, 0,
        0, 1, 1, 0, 1, 1, 1, 0, 1,
    ]
    /// db_cdb_conflicts (DB_INIT_CDB): N R W WT IW.
    static let concurrentDataStore: [UInt8] = [
        0, 0, 0, 0, 0,
        0, 0, 1, 0, 0,
        0, 1, 1, 1, 1,
        0, 0, 0, 0, 0,
        0, 0, 1, 0, 1,
    ]
}
