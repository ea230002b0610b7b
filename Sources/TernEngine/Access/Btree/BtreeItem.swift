// Items: how entries are encoded inside node pages.
//
//   leaf item:      u16 length, u8 field count, fields
//   internal item:  u16 length, u32 child page, u32 subtree count, u8 field count, fields
//   field:          u8 0, u16 n, n bytes            (inline)
//                   u8 1, u32 first page, u32 total (overflow chain)
//
// A leaf entry has fields (key, data) and, in an unsorted-duplicate tree,
// a third: the duplicate's order token (see DupToken.swift). An internal
// entry's fields are its separator: none for slot 0 (minus infinity), the
// key alone (meaning (key, minus infinity): the child holds everything from
// the first duplicate of key on), or key and secondary (data for DUPSORT,
// token for DUP) when a split fell inside a duplicate set.
//
// Every field is parsed with bounds checks against its item, which was
// itself checked against the page.

struct Field {
    var isOverflow = false
    /// Inline: byte offset of the bytes in the page.
    var offset = 0
    var length = 0
    /// Overflow: first page of the chain.
    var pgno: PageNumber = 0
}

struct ParsedItem {
    var fieldCount = 0
    var f0 = Field()
    var f1 = Field()
    var f2 = Field()
    var child: PageNumber = 0
    var subtreeCount: UInt32 = 0

    subscript(i: Int) -> Field {
        switch i { case 0: f0; case 1: f1; default: f2 }
    }
}

enum ItemLayout {
    static let leafHeader = 3          // len, nfields
    static let internalHeader = 11     // len, child, count, nfields
    static let inlineFieldHeader = 3
    static let overflowFieldSize = 9
}

extension BtreePage {
    /// Parses item `i` of this (validated) node page.
    func parse(_ i: Int) throws(DBError) -> ParsedItem {
        let (off, len) = try item(i)
        var p = ParsedItem()
        var cur = off + 2
        let end = off + len
        if !isLeaf {
            guard cur + 9 <= end else { throw .badPage(pgno) }
            p.child = u32(cur)
            p.subtreeCount = u32(cur + 4)
            cur += 8
        }
        guard cur < end else { throw .badPage(pgno) }
        let n = Int(u8(cur))
        cur += 1
        guard n <= 3 else { throw .badPage(pgno) }
        p.fieldCount = n
        for k in 0..<n {
            guard cur < end else { throw .badPage(pgno) }
            var f = Field()
            let kind = u8(cur)
            if kind == 0 {
                guard cur + 3 <= end else { throw .badPage(pgno) }
                f.length = Int(u16(cur + 1))
                f.offset = cur + 3
                cur += 3 + f.length
                guard cur <= end else { throw .badPage(pgno) }
            } else if kind == 1 {
                guard cur + 9 <= end else { throw .badPage(pgno) }
                f.isOverflow = true
                f.pgno = u32(cur + 1)
                f.length = Int(u32(cur + 5))
                cur += 9
            } else {
                throw .badPage(pgno)
            }
            switch k { case 0: p.f0 = f; case 1: p.f1 = f; default: p.f2 = f }
        }
        return p
    }

    /// Field 0 of item `i` (a leaf entry's key, an internal entry's
    /// separator key) and the item's field count, with parse's checks on
    /// what it reads but without parsing the other fields: the binary
    /// searches compare keys first and parse fully only on a tie. A field
    /// count of 0 gives an empty Field, as parse's f0.
    @inline(__always) func firstField(_ i: Int) throws(DBError) -> (field: Field, fieldCount: Int) {
        let (off, len) = try item(i)
        var cur = off + 2
        let end = off + len
        if !isLeaf {
            guard cur + 9 <= end else { throw .badPage(pgno) }
            cur += 8
        }
        guard cur < end else { throw .badPage(pgno) }
        let n = Int(u8(cur))
        cur += 1
        guard n <= 3 else { throw .badPage(pgno) }
        var f = Field()
        guard n > 0 else { return (f, 0) }
        guard cur < end else { throw .badPage(pgno) }
        let kind = u8(cur)
        if kind == 0 {
            guard cur + 3 <= end else { throw .badPage(pgno) }
            f.length = Int(u16(cur + 1))
            f.offset = cur + 3
            guard cur + 3 + f.length <= end else { throw .badPage(pgno) }
        } else if kind == 1 {
            guard cur + 9 <= end else { throw .badPage(pgno) }
            f.isOverflow = true
            f.pgno = u32(cur + 1)
            f.length = Int(u32(cur + 5))
        } else {
            throw .badPage(pgno)
        }
        return (f, n)
    }

    /// The child page of internal item `i` (cheaper than a full parse).
    func child(_ i: Int) throws(DBError) -> PageNumber {
        let (off, len) = try item(i)
        guard len >= 11 else { throw .badPage(pgno) }
        return u32(off + 2)
    }

    func subtreeCount(_ i: Int) throws(DBError) -> UInt32 {
        let (off, len) = try item(i)
        guard len >= 11 else { throw .badPage(pgno) }
        return u32(off + 6)
    }

    func setSubtreeCount(_ i: Int, _ v: UInt32) throws(DBError) {
        let (off, len) = try item(i)
        guard len >= 11 else { throw .badPage(pgno) }
        set32(off + 6, v)
    }

    /// In-page bytes of an inline field.
    @inline(__always) func bytes(_ f: Field) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: raw + f.offset, count: f.length)
    }
}

/// A field to encode: bytes to store (inline, or in a new overflow chain if
/// the item would be too big) or an existing chain being moved.
enum FieldSource {
    case bytes(UnsafeRawBufferPointer)
    case chain(PageNumber, Int)

    var inlineCost: Int {
        switch self {
        case .bytes(let b): ItemLayout.inlineFieldHeader + b.count
        case .chain: ItemLayout.overflowFieldSize
        }
    }
}

/// Appends helpers for building items in a reusable [UInt8].
extension Array where Element == UInt8 {
    mutating func appendLE16(_ v: UInt16) { append(UInt8(v & 0xff)); append(UInt8(v >> 8)) }
    mutating func appendLE32(_ v: UInt32) {
        for s in stride(from: 0, to: 32, by: 8) { append(UInt8((v >> UInt32(s)) & 0xff)) }
    }
    mutating func setLE16(at i: Int, _ v: UInt16) { self[i] = UInt8(v & 0xff); self[i + 1] = UInt8(v >> 8) }
}
