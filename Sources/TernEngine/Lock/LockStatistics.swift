// Lock statistics: DB_ENV->lock_stat's values (libdb's __lock_stat, with
// DB_STAT_CLEAR's reset rule) and the lines lock_stat_print writes
// (__lock_print_stats, __lock_print_all).
//
// Tern keeps one set of counters where libdb keeps them per partition and
// per hash bucket, so the per-bucket maxima (st_maxhlocks, st_maxhobjects),
// steals and mutex wait counts are 0, and st_maxnlocks/st_maxnobjects are
// the table-wide maxima (libdb sums per-partition maxima; the same with one
// partition).
import CBerkeleyDB
import Glibc

/// DB_LOCK_STAT's fields.
public struct LockStatistics: Sendable, Equatable {
    public var id: UInt32 = 0
    public var curMaxID: UInt32 = 0
    public var initLocks: UInt32 = 0, initLockers: UInt32 = 0, initObjects: UInt32 = 0
    public var locks: UInt32 = 0, lockers: UInt32 = 0, objects: UInt32 = 0
    public var maxLocks: UInt32 = 0, maxLockers: UInt32 = 0, maxObjects: UInt32 = 0
    public var partitions: UInt32 = 0
    public var tableSize: UInt32 = 0
    public var nmodes: Int32 = 0
    public var nlockers: UInt32 = 0
    public var nlocks: UInt32 = 0, maxnlocks: UInt32 = 0, maxhlocks: UInt32 = 0
    public var maxnlockers: UInt32 = 0
    public var nobjects: UInt32 = 0, maxnobjects: UInt32 = 0, maxhobjects: UInt32 = 0
    public var nrequests: UInt64 = 0, nreleases: UInt64 = 0
    public var nupgrade: UInt64 = 0, ndowngrade: UInt64 = 0
    public var lockWait: UInt64 = 0, lockNowait: UInt64 = 0
    public var ndeadlocks: UInt64 = 0
    public var lockTimeout: UInt32 = 0, nlocktimeouts: UInt64 = 0
    public var txnTimeout: UInt32 = 0, ntxntimeouts: UInt64 = 0
    public var hashLength: UInt32 = 0
    public var regionSize: Int = 0
    public init() {}
}

extension LockTable {
    /// The statistics; `clear` resets them as DB_STAT_CLEAR does (the
    /// counters restart, the maxima restart from the current values).
    public func statistics(clear: Bool) -> LockStatistics {
        lock()
        defer { unlock() }
        func u32(_ s: LockStat) -> UInt32 { UInt32(truncatingIfNeeded: stat(s)) }
        var s = LockStatistics()
        s.id = header(LH.lockID)
        s.curMaxID = header(LH.curMaxID)
        s.initLocks = u32(.initLocks)
        s.initLockers = u32(.initLockers)
        s.initObjects = u32(.initObjects)
        s.locks = u32(.locks)
        s.lockers = u32(.lockers)
        s.objects = u32(.objects)
        s.maxLocks = u32(.maxLocks)
        s.maxLockers = u32(.maxLockers)
        s.maxObjects = u32(.maxObjects)
        s.partitions = header(LH.partitions)
        s.tableSize = u32(.tableSize)
        s.nmodes = Int32(nmodes)
        s.nlockers = header(LH.nlockers)
        s.nlocks = u32(.nlocks)
        s.maxnlocks = u32(.maxnlocks)
        s.maxnlockers = u32(.maxnlockers)
        s.nobjects = u32(.nobjects)
        s.maxnobjects = u32(.maxnobjects)
        s.nrequests = stat(.nrequests)
        s.nreleases = stat(.nreleases)
        s.nupgrade = stat(.nupgrade)
        s.ndowngrade = stat(.ndowngrade)
        s.lockWait = stat(.lockWait)
        s.lockNowait = stat(.lockNowait)
        s.ndeadlocks = stat(.ndeadlocks)
        s.lockTimeout = header(LH.lockTimeout)
        s.txnTimeout = header(LH.txnTimeout)
        s.nlocktimeouts = stat(.nlocktimeouts)
        s.ntxntimeouts = stat(.ntxntimeouts)
        s.hashLength = u32(.hashLength)
        s.regionSize = region.size
        if clear {
            let keep: [LockStat] = [.maxLocks, .maxLockers, .maxObjects, .tableSize, .nlocks, .nobjects]
            for counter in LockStat.allCases where !keep.contains(counter) { setStat(counter, 0) }
            setStat(.maxnlocks, stat(.nlocks))
            setStat(.maxnobjects, stat(.nobjects))
            setStat(.maxnlockers, UInt64(header(LH.nlockers)))
        }
        return s
    }

    /// lock_stat_print's default lines (libdb's __lock_print_stats).
    public static func statisticsLines(_ s: LockStatistics, all: Bool) -> [String] {
        func dl(_ v: UInt64, _ text: String) -> String {
            v < 10_000_000 ? "\(v)\t\(text)" : "\(v / 1_000_000)M\t\(text) (\(v))"
        }
        func dl(_ v: UInt32, _ text: String) -> String { dl(UInt64(v), text) }
        func pct(_ text: String) -> String { "0\t\(text) (0%)" }
        var lines: [String] = []
        if all { lines.append("Default locking region information:") }
        lines.append(dl(s.id, "Last allocated locker ID"))
        lines.append("\(s.curMaxID == 0 ? "0" : "0x" + String(s.curMaxID, radix: 16))\tCurrent maximum unused locker ID")
        lines.append(dl(UInt64(UInt32(bitPattern: s.nmodes)), "Number of lock modes"))
        lines.append(dl(s.initLocks, "Initial number of locks allocated"))
        lines.append(dl(s.initLockers, "Initial number of lockers allocated"))
        lines.append(dl(s.initObjects, "Initial number of lock objects allocated"))
        lines.append(dl(s.maxLocks, "Maximum number of locks possible"))
        lines.append(dl(s.maxLockers, "Maximum number of lockers possible"))
        lines.append(dl(s.maxObjects, "Maximum number of lock objects possible"))
        lines.append(dl(s.locks, "Current number of locks allocated"))
        lines.append(dl(s.lockers, "Current number of lockers allocated"))
        lines.append(dl(s.objects, "Current number of lock objects allocated"))
        lines.append(dl(s.partitions, "Number of lock object partitions"))
        lines.append(dl(s.tableSize, "Size of object hash table"))
        lines.append(dl(s.nlocks, "Number of current locks"))
        lines.append(dl(s.maxnlocks, "Maximum number of locks at any one time"))
        lines.append(dl(s.maxhlocks, "Maximum number of locks in any one bucket"))
        lines.append(dl(UInt64(0), "Maximum number of locks stolen by for an empty partition"))
        lines.append(dl(UInt64(0), "Maximum number of locks stolen for any one partition"))
        lines.append(dl(s.nlockers, "Number of current lockers"))
        lines.append(dl(s.maxnlockers, "Maximum number of lockers at any one time"))
        lines.append(dl(s.nobjects, "Number of current lock objects"))
        lines.append(dl(s.maxnobjects, "Maximum number of lock objects at any one time"))
        lines.append(dl(s.maxhobjects, "Maximum number of lock objects in any one bucket"))
        lines.append(dl(UInt64(0), "Maximum number of objects stolen by for an empty partition"))
        lines.append(dl(UInt64(0), "Maximum number of objects stolen for any one partition"))
        lines.append(dl(s.nrequests, "Total number of locks requested"))
        lines.append(dl(s.nreleases, "Total number of locks released"))
        lines.append(dl(s.nupgrade, "Total number of locks upgraded"))
        lines.append(dl(s.ndowngrade, "Total number of locks downgraded"))
        lines.append(dl(s.lockWait, "Lock requests not available due to conflicts, for which we waited"))
        lines.append(dl(s.lockNowait, "Lock requests not available due to conflicts, for which we did not wait"))
        lines.append(dl(s.ndeadlocks, "Number of deadlocks"))
        lines.append(dl(s.lockTimeout, "Lock timeout value"))
        lines.append(dl(s.nlocktimeouts, "Number of locks that have timed out"))
        lines.append(dl(s.txnTimeout, "Transaction timeout value"))
        lines.append(dl(s.ntxntimeouts, "Number of transactions that have timed out"))
        lines.append("\(Environment.bytesText(gbytes: UInt32(s.regionSize >> 30), bytes: UInt32(s.regionSize & ((1 << 30) - 1))))\tRegion size")
        lines.append(pct("The number of partition locks that required waiting"))
        lines.append(pct("The maximum number of times any partition lock was waited for"))
        lines.append(pct("The number of object queue operations that required waiting"))
        lines.append(pct("The number of locker allocations that required waiting"))
        lines.append(pct("The number of region locks that required waiting"))
        lines.append(dl(s.hashLength, "Maximum hash bucket length"))
        return lines
    }

    static let separator = "=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-="

    /// lock_stat_print's detail sections (DB_STAT_ALL, DB_STAT_LOCK_CONF,
    /// _LOCKERS, _OBJECTS, _PARAMS): libdb's layout, Tern's values.
    public func detailLines(flags: UInt32) -> [String] {
        func has(_ f: Int32) -> Bool { flags & UInt32(f) != 0 }
        lock()
        defer { unlock() }
        func hex(_ p: UnsafeRawPointer) -> String { "0x" + String(UInt(bitPattern: p), radix: 16) }
        var lines: [String] = [Self.separator, "Lock REGINFO information:", "Environment\tRegion type",
                               "1\tRegion ID", "\(region.path ?? "process-private")\tRegion name",
                               "\(hex(region.base))\tRegion address", "\(hex(base))\tRegion primary address",
                               "\(areaSize)\tRegion allocated", "REGION_SHARED\tRegion flags"]
        if has(DB_STAT_ALL) || has(DB_STAT_LOCK_PARAMS) {
            lines.append(Self.separator)
            lines.append("Lock region parameters:")
            lines.append("0\tLock region region mutex [!Set]")
            lines.append("\(lockerTableSize)\tlocker table size")
            lines.append("\(objectTableSize)\tobject table size")
            lines.append("\(objectTableAt)\tobj_off")
            lines.append("\(lockerTableAt)\tlocker_off")
            lines.append("\(header(LH.needDD))\tneed_dd")
        }
        if has(DB_STAT_ALL) || has(DB_STAT_LOCK_CONF) {
            // libdb prints the matrix's rows for stat.st_nmodes modes, a
            // field its region never sets: the heading alone.
            lines.append(Self.separator)
            lines.append("Lock conflict matrix:")
        }
        let heading = "Locker   Mode      Count Status  ----------------- Object ---------------"
        if has(DB_STAT_ALL) || has(DB_STAT_LOCK_LOCKERS) {
            lines.append(Self.separator)
            lines.append("Locks grouped by lockers:")
            lines.append(heading)
            for bucket in 0..<Int(lockerTableSize) {
                var k = base.u32(lockerTableAt + bucket * 4)
                while k != 0 {
                    let id = String(ld(k, KR.id), radix: 16)
                    var line = String(repeating: " ", count: max(0, 8 - id.count)) + id
                    let dd = Int32(bitPattern: ld(k, KR.ddID))
                    line += " dd=\(dd < 10 && dd >= 0 ? " " : "")\(dd) locks held \(pad(ld(k, KR.nlocks), 4))"
                    line += " write locks \(pad(ld(k, KR.nwrites), 4)) pid/thread \(ld(k, KR.pid))/\(ld64(k, KR.thread))"
                    line += " flags \(pad(String(ld(k, KR.flags), radix: 16), 4)) priority \(pad(ld(k, KR.priority), 10))"
                    if ld(k, KR.flags) & LockerFlag.timeout != 0 { line += " lk timeout \(ld(k, KR.lockTimeout))" }
                    lines.append(line)
                    var lp = ld(k, KR.heldHead)
                    while lp != 0 { lines.append(lockLine(lp)); lp = ld(lp, LR.lockerNext) }
                    k = ld(k, KR.hashNext)
                }
            }
        }
        if has(DB_STAT_ALL) || has(DB_STAT_LOCK_OBJECTS) {
            lines.append(Self.separator)
            lines.append("Locks grouped by object:")
            lines.append(heading)
            for bucket in 0..<Int(objectTableSize) {
                var o = base.u32(objectTableAt + bucket * 4)
                while o != 0 {
                    var lp = first(o, .holders)
                    while lp != 0 { lines.append(lockLine(lp)); lp = ld(lp, LR.next) }
                    lp = first(o, .waiters)
                    while lp != 0 { lines.append(lockLine(lp)); lp = ld(lp, LR.next) }
                    lines.append("")
                    o = ld(o, OR.hashNext)
                }
            }
        }
        return lines
    }

    private func pad(_ v: UInt32, _ width: Int) -> String { pad(String(v), width) }
    private func pad(_ s: String, _ width: Int) -> String {
        s + String(repeating: " ", count: max(0, width - s.count))
    }

    /// libdb's __lock_printlock for a lock on a non-page object.
    private func lockLine(_ lp: UInt32) -> String {
        let modes = ["NG", "READ", "WRITE", "WAIT", "IWRITE", "IREAD", "IWR", "READ_UNCOMMITTED", "WAS_WRITE"]
        let mode = Int(ld(lp, LR.mode))
        let statusNames: [UInt32: String] = [
            LockStatus.aborted: "ABORT", LockStatus.expired: "EXPIRED", LockStatus.free: "FREE",
            LockStatus.held: "HELD", LockStatus.pending: "PENDING", LockStatus.waiting: "WAIT",
        ]
        let id = String(ld(ld(lp, LR.holder), KR.id), radix: 16)
        let refs = String(ld(lp, LR.refcount))
        var line = String(repeating: " ", count: max(0, 8 - id.count)) + id + " "
        line += pad(mode < modes.count ? modes[mode] : "UNKNOWN", 10) + " "
        line += String(repeating: " ", count: max(0, 4 - refs.count)) + refs + " "
        line += pad(statusNames[status(lp)] ?? "UNKNOWN", 7) + " "
        let o = ld(lp, LR.object)
        line += "0x" + String(o, radix: 16) + " "
        let bytes = objectBytes(o)
        let printable = bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7f }
        if printable {
            line += String(decoding: bytes, as: UTF8.self)
        } else {
            line += bytes.map { b in
                let h = String(b, radix: 16)
                return h.count == 1 ? "0" + h : h
            }.joined(separator: " ")
        }
        return line
    }
}
