// TransactionTable: the region's transaction area ("txn"), shared by every
// process of the environment: the id allocator, libdb's DB_TXN_STAT
// counters, and one row per active transaction (txn_stat's active array).
//
// Layout (offsets in the area):
//   0    mutex (SharedMutex)
//   64   lastTxnID u32 (ids start at libdb's TXN_MINIMUM, 0x80000000)
//   68   slotCount u32
//   72   nbegins u64, 80 ncommits u64, 88 naborts u64
//   96   nactive u32, 100 maxnactive u32
//   104  lastCheckpoint file u32, offset u32; 112 timeCheckpoint u64
//   128  rows: slotCount x 96 bytes:
//        id u32 (0: free), parent u32, pid u32, status u32,
//        begin LSN file u32, offset u32, priority u32 (0 until
//        set_priority, as libdb's table shows), reserved u32,
//        name: 52 bytes, NUL-terminated (DB_TXN->set_name, at most 51)
//
// Locking rule: every field is read and written with the area's mutex held.
// A row is written by the process whose transaction it describes; a crashed
// process's rows stay until recovery re-creates the region.
import CBerkeleyDB
import CTernAtomics
import Glibc

public final class TransactionTable: @unchecked Sendable {
    static let minimumID: UInt32 = 0x8000_0000
    static let headerSize = 128
    static let rowSize = 96
    static let nameSize = 52

    let region: Region
    let base: UnsafeMutableRawPointer
    let slotCount: Int
    var mutex: SharedMutex { SharedMutex(at: base) }

    static func attach(region: Region, txMax: UInt32) throws(DBError) -> TransactionTable {
        let slots = Int(txMax == 0 ? 100 : txMax)
        let size = headerSize + slots * rowSize
        let off = try region.area("txn", size: size) { off in
            let p = region.pointer(off)
            _ = SharedMutex.initialize(at: p)
            p.setU32(64, minimumID &- 1)
            p.setU32(68, UInt32(slots))
        }
        let p = region.pointer(off)
        return TransactionTable(region: region, base: p, slotCount: Int(p.u32(68)))
    }

    private init(region: Region, base: UnsafeMutableRawPointer, slotCount: Int) {
        self.region = region
        self.base = base
        self.slotCount = slotCount
    }

    private func withLock<R>(_ body: () throws(DBError) -> R) throws(DBError) -> R {
        region.lock(mutex)
        defer { mutex.unlock() }
        return try body()
    }

    private func row(_ i: Int) -> UnsafeMutableRawPointer { base + Self.headerSize + i * Self.rowSize }

    /// Allocates an id and a row; ENOMEM with libdb's message when every row
    /// is taken (libdb sizes its table from set_tx_max).
    func begin(parent: UInt32, beginLSN: LSN) throws(DBError) -> (id: UInt32, slot: Int) {
        try withLock { () throws(DBError) -> (id: UInt32, slot: Int) in
            var slot = -1
            for i in 0..<slotCount where row(i).u32(0) == 0 { slot = i; break }
            if slot < 0 { throw DBError(ENOMEM, "BDB4525 Unable to allocate memory for transaction detail") }
            var id = base.u32(64) &+ 1
            if id < Self.minimumID { id = Self.minimumID }
            base.setU32(64, id)
            let r = row(slot)
            r.setU32(0, id)
            r.setU32(4, parent)
            r.setU32(8, UInt32(bitPattern: tern_current_pid()))
            r.setU32(12, 1)
            r.setU32(16, beginLSN.file)
            r.setU32(20, beginLSN.offset)
            r.setU32(24, 0)
            Region.zeroFill(r + 32, count: Self.nameSize)
            base.setU64(72, base.u64(72) + 1)
            let active = base.u32(96) + 1
            base.setU32(96, active)
            if active > base.u32(100) { base.setU32(100, active) }
            return (id, slot)
        }
    }

    enum Outcome { case commit, abort }

    func end(slot: Int, _ outcome: Outcome) {
        region.lock(mutex)
        defer { mutex.unlock() }
        let r = row(slot)
        guard r.u32(0) != 0 else { return }
        r.setU32(0, 0)
        base.setU32(96, base.u32(96) - 1)
        let off = outcome == .commit ? 80 : 88
        base.setU64(off, base.u64(off) + 1)
    }

    func setPriority(slot: Int, _ priority: UInt32) {
        region.lock(mutex)
        defer { mutex.unlock() }
        row(slot).setU32(24, priority)
    }

    func setName(slot: Int, _ name: String) {
        region.lock(mutex)
        defer { mutex.unlock() }
        let r = row(slot) + 32
        Region.zeroFill(r, count: Self.nameSize)
        for (i, b) in name.utf8.prefix(Self.nameSize - 1).enumerated() { r.storeBytes(of: b, toByteOffset: i, as: UInt8.self) }
    }

    /// Transactions libdb runs internally for an operation without one (an
    /// auto-commit write: 1; DB->open creating a file: a parent and a
    /// child, so `nested` 2 at once): counted as begun and committed (or
    /// aborted), as libdb's statistics count them.
    func noteInternal(_ count: Int, committed: Bool) {
        region.lock(mutex)
        defer { mutex.unlock() }
        base.setU64(72, base.u64(72) + UInt64(count))
        let off = committed ? 80 : 88
        base.setU64(off, base.u64(off) + UInt64(count))
        let peak = base.u32(96) + UInt32(count)
        if peak > base.u32(100) { base.setU32(100, peak) }
        var id = base.u32(64) &+ UInt32(count)
        if id < Self.minimumID { id = Self.minimumID &+ UInt32(count) &- 1 }
        base.setU32(64, id)
    }

    func noteCheckpoint(_ lsn: LSN, time: Int) {
        region.lock(mutex)
        defer { mutex.unlock() }
        base.setU32(104, lsn.file)
        base.setU32(108, lsn.offset)
        base.setU64(112, UInt64(time))
    }

    /// One active transaction, as txn_stat reports it.
    public struct ActiveRow: Sendable {
        public var id: UInt32
        public var parent: UInt32
        public var pid: pid_t
        public var beginLSN: LSN
        public var priority: UInt32
        public var name: String
    }

    public struct Statistics: Sendable {
        public var lastTxnID: UInt32 = 0
        public var maxTxns: UInt32 = 0
        public var nbegins: UInt64 = 0
        public var ncommits: UInt64 = 0
        public var naborts: UInt64 = 0
        public var nactive: UInt32 = 0
        public var maxnactive: UInt32 = 0
        public var lastCheckpoint = LSN(file: 0, offset: 0)
        public var timeCheckpoint: Int = 0
        public var active: [ActiveRow] = []
        public init() {}
        public var regionSize: Int = 0
    }

    func statistics(clear: Bool) -> Statistics {
        region.lock(mutex)
        defer { mutex.unlock() }
        var s = Statistics()
        s.lastTxnID = base.u32(64) < Self.minimumID ? 0 : base.u32(64)
        s.maxTxns = UInt32(slotCount)
        s.nbegins = base.u64(72)
        s.ncommits = base.u64(80)
        s.naborts = base.u64(88)
        s.nactive = base.u32(96)
        s.maxnactive = base.u32(100)
        s.lastCheckpoint = LSN(file: base.u32(104), offset: base.u32(108))
        s.timeCheckpoint = Int(base.u64(112))
        s.regionSize = Self.headerSize + slotCount * Self.rowSize
        for i in 0..<slotCount where row(i).u32(0) != 0 {
            let r = row(i)
            let name = String(decoding: UnsafeRawBufferPointer(start: r + 32, count: Self.nameSize).prefix { $0 != 0 },
                              as: UTF8.self)
            s.active.append(ActiveRow(id: r.u32(0), parent: r.u32(4), pid: pid_t(bitPattern: r.u32(8)),
                                      beginLSN: LSN(file: r.u32(16), offset: r.u32(20)), priority: r.u32(24),
                                      name: name))
        }
        if clear {
            base.setU64(72, 0); base.setU64(80, 0); base.setU64(88, 0)
            base.setU32(100, base.u32(96))
        }
        return s
    }
}
