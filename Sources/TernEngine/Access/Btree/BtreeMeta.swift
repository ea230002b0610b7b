// The meta page: page 0 of a Tern Btree file.
//
//   0  u8  PageKind.meta      4  u32 page number (0)
//   16 u32 magic "TERN"       20 u32 access method "BTRE"
//   24 u32 format version     28 u32 page size
//   32 u32 root page (fixed for the life of the tree: root splits and
//          collapses happen in place, so the meta never changes for them)
//   36 u32 free-list head (0 = empty; free pages chain through `next`)
//   40 u32 flags (BtreeFlags, fixed at creation)
//   44 u32 bt_minkey at creation (fixes the overflow threshold)
//   48 u32 reserved (0)
//
// Named databases: in a file created for them, page 0's flags carry
// `subdatabases` and page 0's tree is the master, mapping each name to the
// page number (u32 little-endian) of that database's own meta page. A
// sub-database meta has this same layout at its own page number; only
// page 0's free-list head is used (one free list per file).
//   52 u32 checkpoint LSN file, 56 u32 checkpoint LSN offset: page 0 only,
//          the last log record the file on disk reflects (stamped into the
//          image a checkpoint writes; zero: never checkpointed in a logged
//          environment). Recovery replays this file's records after it.
//   60 u32 key count, 64 u32 record count saved by the last full DB->stat
//          (libdb's dbmeta key_count/record_count, which DB_FAST_STAT returns)
//   68..123 reserved, zero
//   124 u32 FNV-1a checksum of bytes 0..<124
import CBerkeleyDB
import Glibc

public struct BtreeFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// Duplicates allowed (DB_DUP).
    public static let dup = BtreeFlags(rawValue: 1 << 0)
    /// Sorted duplicates (DB_DUPSORT; implies .dup).
    public static let dupSort = BtreeFlags(rawValue: 1 << 1)
    /// Record numbers (DB_RECNUM).
    public static let recnum = BtreeFlags(rawValue: 1 << 2)
    /// DB_REVSPLITOFF: emptied leaves stay in the tree instead of being freed.
    public static let revSplitOff = BtreeFlags(rawValue: 1 << 3)
    /// Page 0 only: the file holds named databases and page 0's tree is
    /// the master mapping names to their meta pages (libdb's BTM_SUBDB).
    static let subdatabases = BtreeFlags(rawValue: 1 << 8)
    static let known: BtreeFlags = [.dup, .dupSort, .recnum, .revSplitOff, .subdatabases]
}

struct BtreeMeta {
    static let magic: UInt32 = 0x4E52_4554      // "TERN" little-endian
    static let access: UInt32 = 0x4552_5442     // "BTRE"
    static let version: UInt32 = 1
    static let checksummed = 124

    var pageSize: UInt32 = 0
    var root: PageNumber = 0
    var freeHead: PageNumber = 0
    var flags = BtreeFlags()
    var minKey: UInt32 = 2
    var masterRoot: PageNumber = 0
    var lsnFile: UInt32 = 0
    var lsnOffset: UInt32 = 0
    var keyCount: UInt32 = 0
    var recordCount: UInt32 = 0

    static func checksum(_ p: UnsafeRawPointer) -> UInt32 {
        var h: UInt32 = 0x811C_9DC5
        for i in 0..<checksummed {
            h ^= UInt32(p.load(fromByteOffset: i, as: UInt8.self))
            h = h &* 0x0100_0193
        }
        return h
    }

    /// "unexpected file type or format", as libdb's __db_meta_setup says it.
    static func notABtree(_ name: String?) -> DBError {
        .invalid("BDB0641 __db_meta_setup: \(name ?? "unnamed"): unexpected file type or format")
    }

    /// Reads and validates page 0: magic, version, page size, checksum and
    /// ranges; anything else is "not a Tern Btree file".
    static func read(_ p: UnsafeRawPointer, pgno: PageNumber = 0, pageSize: Int, lastPage: PageNumber,
                     name: String?) throws(DBError) -> BtreeMeta {
        let page = BtreePage(raw: UnsafeMutableRawPointer(mutating: p), size: pageSize, pgno: pgno)
        guard page.kindByte == PageKind.meta.rawValue, page.storedPgno == pgno,
              page.u32(16) == magic, page.u32(20) == access else { throw notABtree(name) }
        guard page.u32(24) == version else {
            throw .invalid("BDB1009 \(name ?? "unnamed"): unsupported btree version: \(page.u32(24))")
        }
        guard page.u32(124) == checksum(p) else {
            throw .invalid("BDB0640 \(name ?? "unnamed"): metadata page checksum error")
        }
        var m = BtreeMeta()
        m.pageSize = page.u32(28)
        m.root = page.u32(32)
        m.freeHead = page.u32(36)
        m.flags = BtreeFlags(rawValue: page.u32(40))
        m.minKey = page.u32(44)
        m.masterRoot = page.u32(48)
        m.lsnFile = page.u32(52)
        m.lsnOffset = page.u32(56)
        m.keyCount = page.u32(60)
        m.recordCount = page.u32(64)
        guard Int(m.pageSize) == pageSize, m.root >= 1, m.root <= lastPage, m.freeHead <= lastPage,
              m.flags.isSubset(of: .known), m.minKey >= 2, m.masterRoot <= lastPage
        else { throw notABtree(name) }
        return m
    }

    func write(_ p: UnsafeMutableRawPointer, pgno: PageNumber = 0, pageSize: Int) {
        let page = BtreePage(raw: p, size: pageSize, pgno: pgno)
        p.initializeMemory(as: UInt8.self, repeating: 0, count: 128)
        page.set8(0, PageKind.meta.rawValue)
        page.set32(4, pgno)
        page.set32(16, BtreeMeta.magic)
        page.set32(20, BtreeMeta.access)
        page.set32(24, BtreeMeta.version)
        page.set32(28, pageSize == 65536 ? 65536 : UInt32(pageSize))
        page.set32(32, root)
        page.set32(36, freeHead)
        page.set32(40, flags.rawValue)
        page.set32(44, minKey)
        page.set32(48, masterRoot)
        page.set32(52, lsnFile)
        page.set32(56, lsnOffset)
        page.set32(60, keyCount)
        page.set32(64, recordCount)
        page.set32(124, BtreeMeta.checksum(p))
    }
}

extension Btree {
    /// The page size recorded in an existing file's meta page, read before the
    /// file is opened in the cache (which needs it). nil for an empty file;
    /// a file too short or not a Tern Btree is "unexpected file type".
    public static func recordedPageSize(path: String, name: String?) throws(DBError) -> Int? {
        let fd = Glibc.open(path, O_RDONLY)
        guard fd >= 0 else { let e = errno; throw DBError(e, "\(path): \(String(cString: strerror(e)))") }
        defer { Glibc.close(fd) }
        var header = [UInt8](repeating: 0, count: 128)
        let n = header.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 128, 0) }
        if n == 0 { return nil }
        guard n == 128 else { throw BtreeMeta.notABtree(name) }
        let (recognised, size) = header.withUnsafeBytes { raw -> (Bool, Int) in
            let page = BtreePage(raw: UnsafeMutableRawPointer(mutating: raw.baseAddress!), size: 128, pgno: 0)
            let ok = page.kindByte == PageKind.meta.rawValue && page.u32(16) == BtreeMeta.magic
                && page.u32(20) == BtreeMeta.access
            return (ok, Int(page.u32(28)))
        }
        guard recognised, size >= 512, size <= 65536, size & (size - 1) == 0 else { throw BtreeMeta.notABtree(name) }
        return size
    }
}

extension BtreeMeta {
    /// Stamps `lsn` as the checkpoint LSN of page 0's image (bytes 52..<60)
    /// and fixes its checksum: the file on disk will reflect the log through
    /// `lsn`. A page that is not a Tern Btree meta page (a file created but
    /// never formatted) is left alone; returns whether it was stamped.
    @discardableResult
    static func stampCheckpoint(_ p: UnsafeMutableRawPointer, pageSize: Int, lsn: LSN) -> Bool {
        let page = BtreePage(raw: p, size: pageSize, pgno: 0)
        guard page.kindByte == PageKind.meta.rawValue, page.u32(16) == magic, page.u32(20) == access,
              page.u32(24) == version else { return false }
        page.set32(52, lsn.file)
        page.set32(56, lsn.offset)
        page.set32(124, checksum(p))
        return true
    }

    /// The checkpoint LSN page 0 carries (zero: never checkpointed with
    /// one); nil when the page is not a valid meta page.
    static func checkpointLSN(_ p: UnsafeRawPointer, pageSize: Int) -> LSN? {
        let page = BtreePage(raw: UnsafeMutableRawPointer(mutating: p), size: pageSize, pgno: 0)
        guard page.kindByte == PageKind.meta.rawValue, page.u32(16) == magic, page.u32(20) == access,
              page.u32(24) == version, page.u32(124) == checksum(p) else { return nil }
        return LSN(file: page.u32(52), offset: page.u32(56))
    }
}
