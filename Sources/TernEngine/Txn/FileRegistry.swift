// FileRegistry: the file registrations logged in this environment, by every
// process attached to it, so that a checkpoint record can carry the whole
// table (commit records after a checkpoint's cut may name ids registered
// before it, by any process) and a database opened again reuses its id.
//
// The table lives in the region (area "file registry"): a checkpoint taken
// by one process must carry the registrations of the others, or recovery
// after that checkpoint cannot find their files.
//
//   0    mutex       SharedMutex (robust, process-shared)
//   64   u32 magic "TREG"   68 u32 count   72 u32 capacity
//   80   u64 entries: RegionOffset of an array of `capacity` u64 offsets,
//        each of a heap block holding u32 length + FileRegistration.encoded()
//
// Ids come from the region (CommitGate.allocateFileID), so no two
// (file, database) pairs share one while the region lives; recovery, which
// replays in log order, takes a later registration of an id as replacing an
// earlier one, so ids may start again in a new region. Entries live as long
// as the region (a registration outlives its handles, as libdb's dbreg ids
// are reused by later opens).
//
// Locking rule: the table's mutex guards the area and every entry block;
// it is taken inside a commit section (the gate held shared) and before the
// log mutex and the region's heap mutex, never after them. `register` appends
// the record and updates the table under it inside one commit section, so a
// checkpoint that copies the table with the gate held exclusively sees
// exactly the registrations logged up to its cut, whichever process logged
// them. A mutex found owner-dead (a process died registering) panics the
// region: DB_RUNRECOVERY. The handle's `table` pointer is guarded by `lock`.
import CBerkeleyDB
import Glibc

final class FileRegistry: @unchecked Sendable {
    static let areaName = "file registry"
    static let areaSize = 128
    static let offMutex = 0, offMagic = 64, offCount = 68, offCapacity = 72, offEntries = 80
    static let magic: UInt32 = 0x4745_5254 // "TREG"
    /// Room Region.size(for:) reserves for registrations.
    static let regionReserve = 64 << 10

    private let lock = LocalLock()
    private var region: Region?
    private var area: UnsafeMutableRawPointer?

    /// Joins (or creates) the region's table.
    func attach(_ region: Region) throws(DBError) {
        let off = try region.area(Self.areaName, size: Self.areaSize) { (o) throws(DBError) in
            let p = region.pointer(o)
            _ = SharedMutex.initialize(at: p + Self.offMutex)
            p.setU32(Self.offMagic, Self.magic)
        }
        let p = region.pointer(off)
        guard p.u32(Self.offMagic) == Self.magic else {
            throw DBError(EINVAL, "tern region: the file registry area is corrupt")
        }
        lock.withLock { self.region = region; area = p }
    }

    func detach() {
        lock.withLock { region = nil; area = nil }
    }

    /// Runs `body` with the table's mutex held.
    private func withTable<T>(_ body: (Region, UnsafeMutableRawPointer) throws(DBError) -> T) throws(DBError) -> T {
        guard let (region, p) = lock.withLock({ () -> (Region, UnsafeMutableRawPointer)? in
            guard let region, let area else { return nil }
            return (region, area)
        }) else { throw .invalid("file registry is not attached") }
        let mutex = SharedMutex(at: p + Self.offMutex)
        if mutex.lock() == .previousOwnerDied {
            mutex.unlock()
            region.noteOwnerDeath()
            region.setPanic()
            throw DBError(DB_RUNRECOVERY, "BDB0060 PANIC: a process died holding the file registry; run recovery")
        }
        defer { mutex.unlock() }
        return try body(region, p)
    }

    /// Entry `i`'s offset slot (mutex held).
    private static func slot(_ region: Region, _ p: UnsafeMutableRawPointer, _ i: Int) -> UnsafeMutableRawPointer {
        region.pointer(RegionOffset(p.u64(offEntries))) + i * 8
    }

    private static func decode(_ region: Region, _ block: UInt64) throws(DBError) -> FileRegistration {
        let q = region.pointer(RegionOffset(block))
        let n = Int(q.u32(0))
        return try FileRegistration.decode(UnsafeRawBufferPointer(start: q + 4, count: n))
    }

    /// Every entry, in table order (mutex held).
    private static func entries(_ region: Region, _ p: UnsafeMutableRawPointer) throws(DBError) -> [(index: Int, registration: FileRegistration)] {
        var out: [(index: Int, registration: FileRegistration)] = []
        let count = Int(p.u32(offCount))
        for i in 0..<count {
            out.append((i, try decode(region, slot(region, p, i).u64(0))))
        }
        return out
    }

    /// Stores `registration` at entry `index` (== count: a new entry),
    /// growing the array as needed (mutex held).
    private static func store(_ registration: FileRegistration, at index: Int, _ region: Region,
                              _ p: UnsafeMutableRawPointer) throws(DBError) {
        let bytes = registration.encoded()
        let block = try region.allocate(4 + bytes.count)
        let q = region.pointer(block)
        q.setU32(0, UInt32(bytes.count))
        bytes.withUnsafeBytes { (q + 4).copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        let count = Int(p.u32(offCount))
        if index == count {
            let capacity = Int(p.u32(offCapacity))
            if count == capacity {
                let newCapacity = max(16, capacity * 2)
                let array: RegionOffset
                do { array = try region.allocate(newCapacity * 8) } catch { region.free(block); throw error }
                let a = region.pointer(array)
                if capacity > 0 {
                    let old = RegionOffset(p.u64(offEntries))
                    a.copyMemory(from: region.pointer(old), byteCount: count * 8)
                    region.free(old)
                }
                p.setU64(offEntries, array.raw)
                p.setU32(offCapacity, UInt32(newCapacity))
            }
            slot(region, p, index).setU64(0, block.raw)
            p.setU32(offCount, UInt32(count + 1))
        } else {
            let s = slot(region, p, index)
            let old = RegionOffset(s.u64(0))
            s.setU64(0, block.raw)
            region.free(old)
        }
    }

    /// The registrations as of now, by id.
    func snapshot() throws(DBError) -> [FileRegistration] {
        try withTable { (region, p) throws(DBError) -> [FileRegistration] in
            try Self.entries(region, p).map(\.registration).sorted { $0.fileID < $1.fileID }
        }
    }

    /// Logs a registration of (path, databaseName) and returns its id. The
    /// caller is inside a commit section.
    func register(path: String, databaseName: String, flags: UInt32, gate: CommitGate,
                  log: Log) throws(DBError) -> UInt32 {
        try withTable { (region, p) throws(DBError) -> UInt32 in
            let all = try Self.entries(region, p)
            let existing = all.first { $0.registration.path == path && $0.registration.databaseName == databaseName }
            let id = existing?.registration.fileID ?? gate.allocateFileID()
            let registration = FileRegistration(fileID: id, path: path, databaseName: databaseName, flags: flags)
            // The table first: if the append then fails, a checkpoint
            // carries an id nothing uses, which is harmless.
            if existing?.registration != registration {
                try Self.store(registration, at: existing?.index ?? all.count, region, p)
            }
            _ = try log.append(type: TernLogRecord.fileRegistration, payload: registration.encoded())
            return id
        }
    }

    /// Logs the registration of `id` again with `closed` set (a handle of
    /// it closed). Nothing for an id the table does not hold.
    func logClose(_ id: UInt32, log: Log) throws(DBError) {
        try withTable { (region, p) throws(DBError) in
            guard var registration = try Self.entries(region, p).first(where: { $0.registration.fileID == id })?
                .registration else { return }
            registration.flags |= FileRegistration.closed
            _ = try log.append(type: TernLogRecord.fileRegistration, payload: registration.encoded())
        }
    }
}
