// LockTable: libdb's lock manager (lock/lock.c, lock_id.c, lock_region.c)
// in the environment region. Several threads and several processes share
// one table; each process attaches its own LockTable object, a view of the
// "locks" area (layout and locking rule: LockLayout.swift).
//
// One mutex (a process-shared robust SharedMutex in the area header) guards
// the whole table, where libdb uses partition, locker and detector mutexes:
// every operation is short, and one mutex makes the deadlock detector's
// snapshot exact. A request that must wait queues its lock record, drops
// the mutex, runs the deadlock detector when the environment's lk_detect
// policy is set (as libdb does at block time), and sleeps on the record's
// status word (a futex) until a releaser promotes it, the detector aborts
// it, or a detector pass expires it -- libdb checks lock and transaction
// timeouts only when the detector runs, and so does Tern.
//
// Errors are libdb's: codes and BDB texts from the same situations.
import CBerkeleyDB
import CTernAtomics
import Glibc

public final class LockTable: @unchecked Sendable {
    static let areaName = "locks"

    let region: Region
    /// The area's first byte: every record offset is relative to it.
    let base: UnsafeMutableRawPointer
    let areaOffset: RegionOffset
    let areaSize: Int
    let mutex: SharedMutex
    // Geometry, fixed at creation (read from the header by joiners).
    let nmodes: UInt32
    let conflictsAt: Int
    let objectTableSize: UInt32, objectTableAt: Int
    let lockerTableSize: UInt32, lockerTableAt: Int
    let lockPoolAt: Int, lockCapacity: UInt32
    let objectPoolAt: Int, objectCapacity: UInt32
    let lockerPoolAt: Int, lockerCapacity: UInt32

    /// Receives libdb's DB_VERB_DEADLOCK messages ("BDB2051 %lu lockers",
    /// "BDB2050 Aborting locker %lx") while `verboseDeadlock` is on; called
    /// without the table mutex held. Process-local, set by the owning
    /// environment (set_verbose).
    public var deadlockMessages: ((String) -> Void)?
    public var verboseDeadlock = false

    private init(region: Region, area: RegionOffset, size: Int) {
        self.region = region
        areaOffset = area
        areaSize = size
        base = region.pointer(area)
        mutex = SharedMutex(at: base + LH.mutex)
        nmodes = base.u32(LH.nmodes)
        conflictsAt = Int(base.u32(LH.conflicts))
        objectTableSize = base.u32(LH.objectTableSize)
        objectTableAt = Int(base.u32(LH.objectTable))
        lockerTableSize = base.u32(LH.lockerTableSize)
        lockerTableAt = Int(base.u32(LH.lockerTable))
        lockPoolAt = Int(base.u32(LH.lockPool))
        lockCapacity = base.u32(LH.lockCapacity)
        objectPoolAt = Int(base.u32(LH.objectPool))
        objectCapacity = base.u32(LH.objectCapacity)
        lockerPoolAt = Int(base.u32(LH.lockerPool))
        lockerCapacity = base.u32(LH.lockerCapacity)
    }

    // MARK: attach

    /// The bytes the lock table needs in a region created for `config`
    /// (Region.size(for:) adds them).
    public static func areaSize(for config: EnvironmentConfig) -> Int {
        let modes = config.lockModes > 0 ? Int(config.lockModes) : 9
        return LockAreaLayout(LockPoolGeometry(config), nmodes: modes).size
    }

    /// Creates the region's lock table, or joins the one another handle or
    /// process created, sized from `config` (lk_max_locks/lockers/objects,
    /// lk_partitions, lk_tablesize, set_memory_init, lk_conflicts) and then
    /// configured as libdb's __lock_open does: the detector policy (which a
    /// joiner may set but not change: BDB2041) and nonzero timeouts.
    /// `concurrentDataStore` (DB_INIT_CDB) selects libdb's CDB matrix when
    /// no set_lk_conflicts matrix was given.
    public static func attach(region: Region, config: EnvironmentConfig,
                              concurrentDataStore: Bool = false) throws(DBError) -> LockTable {
        let table: LockTable
        if let existing = region.existingArea(areaName) {
            table = try join(region: region, area: existing.offset, size: existing.size)
        } else {
            let matrix: [UInt8]
            let modes: Int
            if config.lockModes > 0, let given = config.lockConflicts,
               given.count >= Int(config.lockModes) * Int(config.lockModes) {
                modes = Int(config.lockModes)
                matrix = Array(given.prefix(modes * modes))
            } else if concurrentDataStore {
                modes = 5
                matrix = LockConflicts.concurrentDataStore
            } else {
                modes = 9
                matrix = LockConflicts.readWriteIntention
            }
            let geometry = LockPoolGeometry(config)
            let layout = LockAreaLayout(geometry, nmodes: modes)
            let area: RegionOffset
            do {
                area = try region.area(areaName, size: layout.size) { (off: RegionOffset) throws(DBError) in
                    LockTable.format(region.pointer(off), geometry: geometry, layout: layout,
                                     matrix: matrix, nmodes: modes, config: config)
                }
            } catch {
                // Another handle created a smaller table first: join it.
                guard let existing = region.existingArea(areaName) else { throw error }
                return try finishAttach(try join(region: region, area: existing.offset, size: existing.size),
                                        config: config)
            }
            table = LockTable(region: region, area: area, size: layout.size)
        }
        return try finishAttach(table, config: config)
    }

    private static func join(region: Region, area: RegionOffset, size: Int) throws(DBError) -> LockTable {
        let p = region.pointer(area)
        guard size >= LH.size, p.u32(LH.magic) == LH.magicValue else {
            throw DBError(EINVAL, "tern region: the lock table is corrupt (bad magic number)")
        }
        let table = LockTable(region: region, area: area, size: size)
        guard table.geometryIsSane else {
            throw DBError(EINVAL, "tern region: the lock table is corrupt (bad geometry)")
        }
        return table
    }

    /// libdb's __lock_open after the region exists.
    private static func finishAttach(_ table: LockTable, config: EnvironmentConfig) throws(DBError) -> LockTable {
        table.lock()
        defer { table.unlock() }
        let h = table.base
        if config.lockDetect != UInt32(DB_LOCK_NORUN) {
            let current = h.u32(LH.detect)
            if current != UInt32(DB_LOCK_NORUN) && config.lockDetect != UInt32(DB_LOCK_DEFAULT)
                && current != config.lockDetect {
                throw .invalid("BDB2041 lock_open: incompatible deadlock detector mode")
            }
            if current == UInt32(DB_LOCK_NORUN) { h.setU32(LH.detect, config.lockDetect) }
        }
        if config.lockTimeout != 0 { h.setU32(LH.lockTimeout, config.lockTimeout) }
        if config.txnTimeout != 0 { h.setU32(LH.txnTimeout, config.txnTimeout) }
        return table
    }

    /// Writes an empty table into zeroed area memory (libdb's
    /// __lock_region_init). Runs before the area is published.
    private static func format(_ p: UnsafeMutableRawPointer, geometry g: LockPoolGeometry,
                               layout: LockAreaLayout, matrix: [UInt8], nmodes: Int,
                               config: EnvironmentConfig) {
        _ = SharedMutex.initialize(at: p + LH.mutex)
        p.setU32(LH.nmodes, UInt32(nmodes))
        p.setU32(LH.conflicts, UInt32(layout.conflicts))
        for (i, b) in matrix.enumerated() { p.storeBytes(of: b, toByteOffset: layout.conflicts + i, as: UInt8.self) }
        p.setU32(LH.detect, UInt32(DB_LOCK_NORUN))
        p.setU32(LH.lockTimeout, config.lockTimeout)
        p.setU32(LH.txnTimeout, config.txnTimeout)
        p.setU32(LH.lockID, 0)
        p.setU32(LH.curMaxID, LockConstant.maxLockerID)
        p.setU32(LH.objectTableSize, g.objectTableSize)
        p.setU32(LH.objectTable, UInt32(layout.objectTable))
        p.setU32(LH.lockerTableSize, g.lockerTableSize)
        p.setU32(LH.lockerTable, UInt32(layout.lockerTable))
        p.setU32(LH.lockPool, UInt32(layout.lockPool))
        p.setU32(LH.lockCapacity, g.lockCapacity)
        p.setU32(LH.objectPool, UInt32(layout.objectPool))
        p.setU32(LH.objectCapacity, g.objectCapacity)
        p.setU32(LH.lockerPool, UInt32(layout.lockerPool))
        p.setU32(LH.lockerCapacity, g.lockerCapacity)
        p.setU32(LH.partitions, g.partitions)
        func stat(_ s: LockStat, _ v: UInt32) { p.setU64(s.offset, UInt64(v)) }
        stat(.initLocks, g.initLocks)
        stat(.initObjects, g.initObjects)
        stat(.initLockers, g.initLockers)
        stat(.maxLocks, g.maxLocks)
        stat(.maxObjects, g.maxObjects)
        stat(.maxLockers, g.maxLockers)
        stat(.tableSize, g.objectTableSize)
        // The initial batches go on the free lists now.
        p.setU32(LH.magic, LH.magicValue)
        let pools = LockPools(base: p, lockPoolAt: layout.lockPool, lockCapacity: g.lockCapacity,
                              objectPoolAt: layout.objectPool, objectCapacity: g.objectCapacity,
                              lockerPoolAt: layout.lockerPool, lockerCapacity: g.lockerCapacity)
        pools.addRecords(.lock, g.initLocks)
        pools.addRecords(.object, g.initObjects)
        pools.addRecords(.locker, g.initLockers)
        p.setU64(LockStat.locks.offset, UInt64(g.initLocks))
        p.setU64(LockStat.objects.offset, UInt64(g.initObjects))
        p.setU64(LockStat.lockers.offset, UInt64(g.initLockers))
    }

    /// A joiner's check that the header's geometry fits the area, so a
    /// corrupt header cannot send offsets outside it.
    private var geometryIsSane: Bool {
        let end = areaSize
        func fits(_ at: Int, _ count: UInt32, _ size: Int) -> Bool {
            at >= LH.size && at <= end && Int(count) <= (end - at) / size
        }
        return nmodes > 0 && nmodes <= 64 && conflictsAt >= LH.size
            && conflictsAt + Int(nmodes * nmodes) <= end
            && objectTableSize > 0 && fits(objectTableAt, objectTableSize, 4)
            && lockerTableSize > 0 && fits(lockerTableAt, lockerTableSize, 4)
            && fits(lockPoolAt, lockCapacity, LR.size)
            && fits(objectPoolAt, objectCapacity, OR.recordSize)
            && fits(lockerPoolAt, lockerCapacity, KR.size)
    }

    // MARK: the mutex

    @inline(__always) func lock() { region.lock(mutex) }
    @inline(__always) func unlock() { mutex.unlock() }

    // MARK: raw access (callers hold the mutex unless noted)

    @inline(__always) func ld(_ record: UInt32, _ field: Int) -> UInt32 {
        base.load(fromByteOffset: Int(record) + field, as: UInt32.self)
    }
    @inline(__always) func st(_ record: UInt32, _ field: Int, _ value: UInt32) {
        base.storeBytes(of: value, toByteOffset: Int(record) + field, as: UInt32.self)
    }
    @inline(__always) func ld64(_ record: UInt32, _ field: Int) -> UInt64 {
        base.load(fromByteOffset: Int(record) + field, as: UInt64.self)
    }
    @inline(__always) func st64(_ record: UInt32, _ field: Int, _ value: UInt64) {
        base.storeBytes(of: value, toByteOffset: Int(record) + field, as: UInt64.self)
    }
    @inline(__always) func header(_ field: Int) -> UInt32 { base.u32(field) }
    @inline(__always) func setHeader(_ field: Int, _ value: UInt32) { base.setU32(field, value) }
    @inline(__always) func stat(_ s: LockStat) -> UInt64 { base.u64(s.offset) }
    @inline(__always) func setStat(_ s: LockStat, _ v: UInt64) { base.setU64(s.offset, v) }
    @inline(__always) func bump(_ s: LockStat, _ by: UInt64 = 1) { base.setU64(s.offset, base.u64(s.offset) &+ by) }

    /// A lock record's status: the futex word, read without the mutex by
    /// its sleeping waiter.
    @inline(__always) func status(_ lock: UInt32) -> UInt32 {
        tern_atomic_load_u32(base.word32(Int(lock) + LR.status))
    }
    @inline(__always) func setStatus(_ lock: UInt32, _ value: UInt32) {
        tern_atomic_store_u32(base.word32(Int(lock) + LR.status), value)
    }
    /// Wakes the thread sleeping on a lock record (if any).
    @inline(__always) func wake(_ lock: UInt32) {
        _ = tern_futex_wake(base.word32(Int(lock) + LR.status), Int32.max)
    }

    @inline(__always) func conflicts(_ held: UInt32, _ wanted: UInt32) -> Bool {
        guard held < nmodes, wanted < nmodes else { return false }
        return base.load(fromByteOffset: conflictsAt + Int(held * nmodes + wanted), as: UInt8.self) != 0
    }

    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec) | 1
    }

    // MARK: record pools

    typealias Kind = LockPools.Kind

    var pools: LockPools {
        LockPools(base: base, lockPoolAt: lockPoolAt, lockCapacity: lockCapacity,
                  objectPoolAt: objectPoolAt, objectCapacity: objectCapacity,
                  lockerPoolAt: lockerPoolAt, lockerCapacity: lockerCapacity)
    }

    @discardableResult
    func addRecords(_ kind: Kind, _ count: UInt32) -> UInt32 { pools.addRecords(kind, count) }
    func pushFree(_ kind: Kind, _ record: UInt32) { pools.pushFree(kind, record) }
    func popFree(_ kind: Kind) -> UInt32? { pools.popFree(kind) }

    /// libdb's batch allocation (lock_alloc.incl, __lock_getlocker_int):
    /// a quarter of what is allocated (at least one), no more than the
    /// configured maximum allows -- except that with one partition libdb
    /// computes "maximum - current" without checking, which wraps when
    /// the initial allocation already exceeds the maximum, and then memory
    /// is the limit. Returns false when nothing could be added (ENOMEM).
    func grow(_ kind: Kind) -> Bool {
        let (current, maximum, single): (LockStat, LockStat, Bool)
        switch kind {
        case .lock: (current, maximum, single) = (.locks, .maxLocks, header(LH.partitions) <= 1)
        case .object: (current, maximum, single) = (.objects, .maxObjects, header(LH.partitions) <= 1)
        case .locker: (current, maximum, single) = (.lockers, .maxLockers, true)
        }
        let cur = UInt32(truncatingIfNeeded: stat(current))
        let maxCount = UInt32(truncatingIfNeeded: stat(maximum))
        if !single && maxCount != 0 && cur >= maxCount { return false }
        var n = cur >> 2
        if n == 0 { n = 1 }
        if maxCount != 0 && maxCount < cur &+ n { n = maxCount &- cur }
        if n == 0 { return false }
        let added = addRecords(kind, n)
        if added == 0 { return false }
        setStat(current, UInt64(cur &+ added))
        return true
    }

    /// Whether `offset` names a lock record (a handle from C may be garbage).
    func isLockRecord(_ offset: UInt64) -> Bool {
        guard offset >= UInt64(lockPoolAt) else { return false }
        let rel = offset - UInt64(lockPoolAt)
        return rel % UInt64(LR.size) == 0 && rel / UInt64(LR.size) < UInt64(header(LockPools.Cursor.locks))
    }
}

/// The three record pools of a lock table area: lock, object and locker
/// records handed out from a free list, which grows from the unused end
/// of each pool. Locking rule: the table mutex (or, while the area is
/// being formatted, nobody else can see it).
struct LockPools {
    enum Kind { case lock, object, locker }

    /// Header fields: how many records of each kind have been put into
    /// use (the pools' high-water marks; libdb's counters st_locks & co.
    /// are kept apart, since DB_STAT_CLEAR zeroes those).
    enum Cursor {
        static let locks = 176, objects = 180, lockers = 184
    }

    let base: UnsafeMutableRawPointer
    let lockPoolAt: Int, lockCapacity: UInt32
    let objectPoolAt: Int, objectCapacity: UInt32
    let lockerPoolAt: Int, lockerCapacity: UInt32

    func recordAt(_ kind: Kind, _ index: UInt32) -> UInt32 {
        switch kind {
        case .lock: return UInt32(lockPoolAt) + index * UInt32(LR.size)
        case .object: return UInt32(objectPoolAt) + index * UInt32(OR.recordSize)
        case .locker: return UInt32(lockerPoolAt) + index * UInt32(KR.size)
        }
    }

    private func fields(_ kind: Kind) -> (cursor: Int, free: Int, capacity: UInt32, link: Int) {
        switch kind {
        case .lock: return (Cursor.locks, LH.freeLocks, lockCapacity, LR.next)
        case .object: return (Cursor.objects, LH.freeObjects, objectCapacity, OR.hashNext)
        case .locker: return (Cursor.lockers, LH.freeLockers, lockerCapacity, KR.hashNext)
        }
    }

    /// Puts up to `count` unused records on the free list; returns how many.
    @discardableResult
    func addRecords(_ kind: Kind, _ count: UInt32) -> UInt32 {
        let f = fields(kind)
        let cursor = base.u32(f.cursor)
        let n = min(count, f.capacity - cursor)
        for i in 0..<n {
            let r = recordAt(kind, cursor + i)
            if kind == .lock {
                tern_atomic_store_u32(base.word32(Int(r) + LR.status), LockStatus.free)
            }
            pushFree(kind, r)
        }
        base.setU32(f.cursor, cursor + n)
        return n
    }

    func pushFree(_ kind: Kind, _ record: UInt32) {
        let f = fields(kind)
        base.storeBytes(of: base.u32(f.free), toByteOffset: Int(record) + f.link, as: UInt32.self)
        base.setU32(f.free, record)
    }

    func popFree(_ kind: Kind) -> UInt32? {
        let f = fields(kind)
        let r = base.u32(f.free)
        if r == 0 { return nil }
        base.setU32(f.free, base.load(fromByteOffset: Int(r) + f.link, as: UInt32.self))
        return r
    }
}
