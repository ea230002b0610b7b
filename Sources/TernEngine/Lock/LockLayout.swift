// The lock table's layout in the region: one area ("locks") holding a
// header, the conflict matrix, two hash tables and three record pools.
// Everything inside is addressed by UInt32 offsets from the area's first
// byte (0 = none: the header lives there, so no record does).
//
//   header (LH)          the table mutex, configuration, counters, list heads
//   conflicts            nmodes x nmodes bytes, row = held, column = wanted
//   object hash table    UInt32 heads, one per bucket
//   locker hash table    UInt32 heads
//   lock pool            LockRecord.size each
//   object pool          ObjectRecord.size each
//   locker pool          LockerRecord.size each
//
// Locking rule: every field of every record, the hash tables, the free
// lists and the counters are read and written only under the table mutex
// (header offset 0) -- with one exception: a lock record's status word,
// which a waiting thread reads without the mutex while it sleeps on it
// (futex). The status is therefore stored atomically (release) and loaded
// atomically (acquire); it is only *changed* under the mutex. Configuration
// fixed at creation (nmodes, pool and table geometry) is written before the
// area is published and never changes.
//
// Record lifetimes: records never move and are never returned to the
// region heap; a free lock record keeps its generation, so a stale handle
// still names a record and is recognised by its generation. A waiting
// lock's record is freed only by its own waiter, after it woke, so the
// futex word a sleeper waits on stays a lock record's status word.
//
// Growth: libdb allocates lock, object and locker structures in batches up
// to the configured maxima and reports how many it allocated (st_locks,
// st_objects, st_lockers). Tern reserves the reachable maximum at creation
// and hands records out of the reserve by libdb's batch rule, so limits,
// counters and ENOMEM fall where libdb's do (LockPoolGeometry).
import CBerkeleyDB

/// Header fields (offsets from the area's first byte).
enum LH {
    static let mutex = 0                      // SharedMutex (<= 64 bytes)
    static let magic = 64                     // UInt32 "TLK1"
    static let nmodes = 68
    static let conflicts = 72                 // offset of the matrix
    static let detect = 76                    // DB_LOCK_* policy, NORUN = 0
    static let lockTimeout = 80               // microseconds, region default
    static let txnTimeout = 84
    static let needDD = 88                    // the detector must run
    static let lockID = 92                    // last id lock_id handed out
    static let curMaxID = 96
    static let nlockers = 100                 // lockers in use
    static let objectTableSize = 104
    static let objectTable = 108
    static let lockerTableSize = 112
    static let lockerTable = 116
    static let nextTimeout = 120              // UInt64 ns (CLOCK_MONOTONIC), 0 = none
    static let lockPool = 128, lockCapacity = 132
    static let objectPool = 136, objectCapacity = 140
    static let lockerPool = 144, lockerCapacity = 148
    static let freeLocks = 152, freeObjects = 156, freeLockers = 160
    static let lockersHead = 164              // every locker, newest first
    static let ddHead = 168                   // objects that have waiters, newest first
    static let partitions = 172               // libdb's partition count (growth rule)
    static let statistics = 256               // LockStat.count UInt64 counters
    static let size = statistics + LockStat.count * 8

    static let magicValue: UInt32 = 0x314B_4C54 // "TLK1"
}

/// The counters kept in the header, one UInt64 each, named after
/// DB_LOCK_STAT's fields.
enum LockStat: Int, CaseIterable {
    case initLocks, initLockers, initObjects
    case locks, lockers, objects                 // allocated so far
    case maxLocks, maxLockers, maxObjects        // configured maxima (0 = none)
    case tableSize
    case nlocks, maxnlocks, maxnlockers, nobjects, maxnobjects, hashLength
    case nrequests, nreleases, nupgrade, ndowngrade, lockWait, lockNowait, ndeadlocks
    case nlocktimeouts, ntxntimeouts

    static let count = LockStat.allCases.count
    var offset: Int { LH.statistics + rawValue * 8 }
}

/// A lock record: one lock a locker holds or waits for.
enum LR {
    static let status = 0        // LockStatus; the futex word (atomic)
    static let mode = 4
    static let generation = 8
    static let refcount = 12
    static let holder = 16       // locker record
    static let object = 20       // object record
    static let next = 24         // holders/waiters list, or the free list
    static let prev = 28
    static let lockerNext = 32   // the holder's heldby list (newest first)
    static let lockerPrev = 36
    static let list = 40         // which object list it is on: 0 none, 1 holders, 2 waiters
    static let size = 48

    static let onNone: UInt32 = 0, onHolders: UInt32 = 1, onWaiters: UInt32 = 2
}

/// An object record: a locked name (DBT) with its holders and waiters.
enum OR {
    static let hashNext = 0      // bucket chain, or the free list
    static let hashPrev = 4
    static let holdersHead = 8, holdersTail = 12
    static let waitersHead = 16, waitersTail = 20
    static let ddNext = 24, ddPrev = 28
    static let onDD = 32         // 1 while on the detector's list
    static let generation = 36
    static let bucket = 40
    static let size = 44         // the name's length
    static let hash = 48
    static let external = 56     // UInt64 region offset of a long name, 0 = inline
    static let inline = 64
    static let inlineCapacity = 64
    static let recordSize = 128
}

/// A locker record.
enum KR {
    static let id = 0
    static let hashNext = 4      // bucket chain, or the free list
    static let hashPrev = 8
    static let allNext = 12      // the table's locker list, newest first
    static let allPrev = 16
    static let parent = 20       // locker record, 0 = none
    static let master = 24       // the family's root, 0 = this is a root
    static let childHead = 28    // a root's family members, newest first
    static let childNext = 32
    static let childPrev = 36
    static let heldHead = 40     // lock records, newest first
    static let nlocks = 44
    static let nwrites = 48
    static let priority = 52
    static let flags = 56        // LockerFlag
    static let lockTimeout = 60  // its own lock timeout (with LockerFlag.timeout)
    static let txnExpire = 64    // UInt64 ns, 0 = none
    static let lockExpire = 72   // UInt64 ns, 0 = none
    static let ddID = 80
    static let pid = 84          // the process and thread that made it
    static let thread = 88       // (UInt64 pthread_t), for statistics
    static let size = 96
}

/// How many records of each kind the table may hand out, and how many it
/// starts with, by libdb's rules (lock_region.c, lock_alloc.incl,
/// lock_id.c), for the configuration the table is created from.
struct LockPoolGeometry: Equatable {
    var partitions: UInt32
    var initLocks: UInt32, initObjects: UInt32, initLockers: UInt32
    var maxLocks: UInt32, maxObjects: UInt32, maxLockers: UInt32
    var lockCapacity: UInt32, objectCapacity: UInt32, lockerCapacity: UInt32
    var objectTableSize: UInt32, lockerTableSize: UInt32

    /// What Tern reserves where libdb is bounded only by memory: no
    /// maximum configured (a file-backed libdb region holds about 4,500
    /// locks by default, a private one as many as malloc gives), or a
    /// maximum below the initial allocation with one partition, where
    /// libdb's batch size wraps around.
    static let unboundedCapacity: UInt32 = 10_000
    /// Never reserve more than this many records of one kind.
    static let capacityCeiling: UInt32 = 1 << 22

    init(_ config: EnvironmentConfig) {
        let parts = max(config.lockPartitions, 1)
        partitions = parts
        let memInit = config.memoryInit
        // __lock_region_size: at least 5 locks and objects per partition.
        initLocks = max(memInit[UInt32(DB_MEM_LOCK.rawValue)] ?? 0, parts &* 5)
        initObjects = max(memInit[UInt32(DB_MEM_LOCKOBJECT.rawValue)] ?? 0, parts &* 5)
        initLockers = memInit[UInt32(DB_MEM_LOCKER.rawValue)] ?? 0
        maxLocks = config.lockMaxLocks
        maxObjects = config.lockMaxObjects
        maxLockers = config.lockMaxLockers
        lockCapacity = Self.capacity(initial: initLocks, maximum: maxLocks, partitions: parts)
        objectCapacity = Self.capacity(initial: initObjects, maximum: maxObjects, partitions: parts)
        // Lockers are not partitioned: their batch rule is the
        // single-partition one.
        lockerCapacity = Self.capacity(initial: initLockers, maximum: maxLockers, partitions: 1)
        // __lock_region_size's table sizes.
        if config.lockMaxLockers != 0 {
            lockerTableSize = Self.tableSize(config.lockMaxLockers)
        } else if config.txMax != 0 {
            lockerTableSize = Self.tableSize(config.txMax)
        } else {
            lockerTableSize = Self.tableSize(max(LockConstant.defaultCount / 10, initLockers))
        }
        var count = config.lockMaxObjects
        if count == 0 { count = max(LockConstant.defaultCount, initObjects) }
        let suggested = UInt32(truncatingIfNeeded: (UInt64(count) * 2 + UInt64(initObjects)) / 3)
        objectTableSize = config.lockTableSize != 0 ? config.lockTableSize : Self.tableSize(suggested)
    }

    /// The most records of one kind libdb's batch allocation reaches.
    static func capacity(initial: UInt32, maximum: UInt32, partitions: UInt32) -> UInt32 {
        let reachable: UInt32
        if maximum == 0 {
            reachable = max(initial, unboundedCapacity)
        } else if maximum >= initial {
            reachable = maximum
        } else if partitions > 1 {
            // Growth needs current < maximum: the initial batch is all.
            reachable = initial
        } else {
            // One partition: maximum - current wraps; memory is the limit.
            reachable = max(initial, unboundedCapacity)
        }
        return max(min(reachable, capacityCeiling), 1)
    }

    /// libdb's __db_tablesize: a prime near the next power of two, at least 37.
    static func tableSize(_ n: UInt32) -> UInt32 {
        let table: [(UInt32, UInt32)] = [
            (32, 37), (64, 67), (128, 131), (256, 257), (512, 521), (1024, 1031), (2048, 2053),
            (4096, 4099), (8192, 8191), (16384, 16381), (32768, 32771), (65536, 65537),
            (131072, 131071), (262144, 262147), (393216, 393209), (524288, 524287),
            (786432, 786431), (1048576, 1048573), (1572864, 1572869), (2097152, 2097169),
            (3145728, 3145721), (4194304, 4194301),
        ]
        for (power, prime) in table where power >= n { return prime }
        return 4194301
    }
}

/// Where everything sits in an area built for a geometry.
struct LockAreaLayout {
    var conflicts: Int
    var objectTable: Int
    var lockerTable: Int
    var lockPool: Int
    var objectPool: Int
    var lockerPool: Int
    var size: Int

    init(_ g: LockPoolGeometry, nmodes: Int) {
        func align(_ n: Int) -> Int { (n + 63) & ~63 }
        conflicts = align(LH.size)
        objectTable = align(conflicts + nmodes * nmodes)
        lockerTable = align(objectTable + Int(g.objectTableSize) * 4)
        lockPool = align(lockerTable + Int(g.lockerTableSize) * 4)
        objectPool = align(lockPool + Int(g.lockCapacity) * LR.size)
        lockerPool = align(objectPool + Int(g.objectCapacity) * OR.recordSize)
        size = align(lockerPool + Int(g.lockerCapacity) * KR.size)
    }
}
