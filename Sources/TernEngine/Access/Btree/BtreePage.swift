// BtreePage: the one audited unsafe view of a pinned Btree page.
//
// Every read of a page's bytes goes through this type. The fixed header
// fields live at constant offsets inside the smallest legal page (512 bytes),
// so they need no check; everything whose position comes from the page's own
// contents (slot offsets, item lengths, field lengths) is checked against the
// page bounds before use, and a violation throws DBError (libdb's
// "illegal page type or format") instead of touching memory outside the page.
//
// Page layout (all integers little-endian):
//   0  u8  type (PageKind)         1  u8  level (1 = leaf, >1 internal)
//   2  u16 slot count              4  u32 page number (self; validated)
//   8  u64 generation: bumped on every change, kept across free/reuse, so a
//          cursor that remembers (page, slot, generation) knows whether its
//          slot still names the same item
//   16 u32 prev  (leaf: left sibling; 0 = none)
//   20 u32 next  (leaf: right sibling; free page: next free; overflow: next)
//   24 u32 item area start (items occupy [itemStart, pageSize))
//   28 u32 overflow page: bytes of data on this page
//   32 ...  slot array: u16 item offsets, in key order
// Items grow down from the end of the page; the gap between the slot array
// and itemStart is the only free space (deletes close holes at once, so
// there is no fragmentation to track).
import CBerkeleyDB

enum PageKind: UInt8 {
    case meta = 1, `internal` = 2, leaf = 3, overflow = 4, free = 5
}

extension DBError {
    /// libdb's __db_pgfmt: a page that is not what the tree expects.
    static func badPage(_ pgno: PageNumber) -> DBError {
        DBError(DB_RUNRECOVERY, "BDB0068 page \(pgno): illegal page type or format")
    }
}

struct BtreePage {
    static let headerSize = 32
    static let maxLevel: UInt8 = 40

    let raw: UnsafeMutableRawPointer
    let size: Int
    let pgno: PageNumber

    // MARK: Fixed header (always in bounds: size >= 512).

    @inline(__always) func u8(_ off: Int) -> UInt8 { raw.load(fromByteOffset: off, as: UInt8.self) }
    @inline(__always) func u16(_ off: Int) -> UInt16 {
        UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: off, as: UInt16.self))
    }
    @inline(__always) func u32(_ off: Int) -> UInt32 {
        UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: off, as: UInt32.self))
    }
    @inline(__always) func u64(_ off: Int) -> UInt64 {
        UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: off, as: UInt64.self))
    }
    @inline(__always) func set8(_ off: Int, _ v: UInt8) { raw.storeBytes(of: v, toByteOffset: off, as: UInt8.self) }
    @inline(__always) func set16(_ off: Int, _ v: UInt16) { raw.storeBytes(of: v.littleEndian, toByteOffset: off, as: UInt16.self) }
    @inline(__always) func set32(_ off: Int, _ v: UInt32) { raw.storeBytes(of: v.littleEndian, toByteOffset: off, as: UInt32.self) }
    @inline(__always) func set64(_ off: Int, _ v: UInt64) { raw.storeBytes(of: v.littleEndian, toByteOffset: off, as: UInt64.self) }

    var kindByte: UInt8 { u8(0) }
    var level: UInt8 { u8(1) }
    var count: Int { Int(u16(2)) }
    var storedPgno: PageNumber { u32(4) }
    var gen: UInt64 { get { u64(8) } nonmutating set { set64(8, newValue) } }
    var prev: PageNumber { get { u32(16) } nonmutating set { set32(16, newValue) } }
    var next: PageNumber { get { u32(20) } nonmutating set { set32(20, newValue) } }
    var itemStart: Int { Int(u32(24)) }
    var overflowLength: Int { get { Int(u32(28)) } nonmutating set { set32(28, UInt32(newValue)) } }
    var isLeaf: Bool { kindByte == PageKind.leaf.rawValue }
    var slotEnd: Int { BtreePage.headerSize + 2 * count }
    var freeSpace: Int { itemStart - slotEnd }

    /// Formats the page as an empty node (or another kind), keeping and
    /// bumping its generation.
    func format(_ kind: PageKind, level: UInt8) {
        let g = gen
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: BtreePage.headerSize)
        set8(0, kind.rawValue)
        set8(1, level)
        set32(4, pgno)
        set64(8, g &+ 1)
        set32(24, UInt32(size))
    }

    func bump() { gen = gen &+ 1 }

    // MARK: Validation

    /// Checks the header of a node page before any slot is used.
    func validateNode() throws(DBError) {
        let k = kindByte
        guard k == PageKind.leaf.rawValue || k == PageKind.internal.rawValue,
              storedPgno == pgno else { throw .badPage(pgno) }
        let lv = level
        guard (k == PageKind.leaf.rawValue) == (lv == 1), lv >= 1, lv <= BtreePage.maxLevel,
              slotEnd <= itemStart, itemStart <= size else { throw .badPage(pgno) }
    }

    // MARK: Items

    /// Start offset and length of item `i`, checked to lie in the item area.
    @inline(__always) func item(_ i: Int) throws(DBError) -> (off: Int, len: Int) {
        guard i >= 0 && i < count else { throw .badPage(pgno) }
        let off = Int(u16(BtreePage.headerSize + 2 * i))
        guard off >= itemStart, off + 3 <= size else { throw .badPage(pgno) }
        let len = Int(u16(off))
        guard len >= 3, off + len <= size else { throw .badPage(pgno) }
        return (off, len)
    }

    func itemBytes(_ i: Int) throws(DBError) -> UnsafeRawBufferPointer {
        let (off, len) = try item(i)
        return UnsafeRawBufferPointer(start: raw + off, count: len)
    }

    /// Inserts an encoded item (its first two bytes are its length) as slot `i`.
    /// The caller has checked `fits`.
    func insertItem(_ bytes: UnsafeRawBufferPointer, at i: Int) {
        let n = count
        precondition(i >= 0 && i <= n && bytes.count + 2 <= freeSpace)
        let off = itemStart - bytes.count
        (raw + off).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        let slots = raw + BtreePage.headerSize
        if i < n { (slots + 2 * (i + 1)).copyMemory(from: slots + 2 * i, byteCount: 2 * (n - i)) }
        set16(BtreePage.headerSize + 2 * i, UInt16(off))
        set16(2, UInt16(n + 1))
        set32(24, UInt32(off))
    }

    func fits(_ length: Int) -> Bool { length + 2 <= freeSpace }

    /// Removes slot `i` and closes the hole its item leaves.
    func removeItem(_ i: Int) throws(DBError) {
        let (off, len) = try item(i)
        let start = itemStart
        let n = count
        // Shift the items below this one up by `len` (all within [start, off+len)).
        if off > start { (raw + start + len).copyMemory(from: raw + start, byteCount: off - start) }
        let slots = raw + BtreePage.headerSize
        if i + 1 < n { (slots + 2 * i).copyMemory(from: slots + 2 * (i + 1), byteCount: 2 * (n - i - 1)) }
        for j in 0..<(n - 1) {
            let o = Int(u16(BtreePage.headerSize + 2 * j))
            if o < off { set16(BtreePage.headerSize + 2 * j, UInt16(o + len)) }
        }
        set16(2, UInt16(n - 1))
        set32(24, UInt32(start + len))
    }

    /// Removes every item (keeps header and links).
    func clearItems() {
        set16(2, 0)
        set32(24, UInt32(size))
    }
}
