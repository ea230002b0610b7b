// Overflow chains: items too large for a node page live in a chain of
// overflow pages (header `next` links them, header overflow-length says how
// many bytes each holds). Every page of a chain is validated as it is read
// (kind, self number, length) and a walk stops after the number of pages the
// total length needs, so a corrupt chain cannot loop or run past the item.
import CBerkeleyDB

extension Btree {
    // MARK: - Overflow chains

    var overflowCapacity: Int { pageSize - BtreePage.headerSize }

    /// Stores `bytes` in a new chain and returns its first page.
    func writeChain(_ bytes: UnsafeRawBufferPointer) throws(DBError) -> PageNumber {
        precondition(bytes.count > 0)
        let cap = overflowCapacity
        var first: PageNumber = 0
        var prevPage: BtreePage?
        var done = 0
        while done < bytes.count {
            let page = try allocate(.overflow, level: 0)
            let n = min(cap, bytes.count - done)
            (page.raw + BtreePage.headerSize).copyMemory(from: bytes.baseAddress! + done, byteCount: n)
            page.overflowLength = n
            done += n
            if let prevPage {
                prevPage.next = page.pgno
                release(prevPage, dirty: true)
            } else {
                first = page.pgno
            }
            prevPage = page
        }
        if let prevPage { release(prevPage, dirty: true) }
        return first
    }

    /// Walks a chain, validating every page, handing each page's bytes to `body`.
    func walkChain(_ first: PageNumber, total: Int,
                   _ body: (PageNumber, UnsafeRawBufferPointer, Int) throws(DBError) -> Bool) throws(DBError) {
        let cap = overflowCapacity
        var pgno = first
        var seen = 0
        let maxPages = total / cap + 1
        var pages = 0
        while seen < total {
            pages += 1
            guard pgno != 0, pages <= maxPages else { throw .badPage(pgno) }
            let p = try store.pin(pgno, forWrite: false)
            let page = BtreePage(raw: p, size: pageSize, pgno: pgno)
            let n = page.overflowLength
            guard page.kindByte == PageKind.overflow.rawValue, page.storedPgno == pgno,
                  n > 0, n <= cap, seen + n <= total else {
                store.unpin(pgno, dirty: false)
                throw .badPage(pgno)
            }
            let next = page.next
            let more: Bool
            do throws(DBError) {
                more = try body(pgno, UnsafeRawBufferPointer(start: p + BtreePage.headerSize, count: n), seen)
            } catch {
                store.unpin(pgno, dirty: false)
                throw error
            }
            store.unpin(pgno, dirty: false)
            seen += n
            if !more { return }
            pgno = next
        }
    }

    /// Copies `dst.count` bytes of a chain from `offset`.
    func readChain(_ first: PageNumber, total: Int, offset: Int, into dst: UnsafeMutableRawBufferPointer) throws(DBError) {
        let end = offset + dst.count
        try walkChain(first, total: total) { (_, bytes, at) throws(DBError) -> Bool in
            let lo = max(at, offset), hi = min(at + bytes.count, end)
            if lo < hi {
                (dst.baseAddress! + (lo - offset)).copyMemory(from: bytes.baseAddress! + (lo - at), byteCount: hi - lo)
            }
            return at + bytes.count < end
        }
    }

    func freeChain(_ first: PageNumber, total: Int) throws(DBError) {
        var pages: [PageNumber] = []
        try walkChain(first, total: total) { (pgno, _, _) throws(DBError) -> Bool in
            pages.append(pgno)
            return true
        }
        for p in pages { try freePage(p) }
    }

    /// A whole field's bytes, in a fresh array.
    func fieldArray(_ page: BtreePage, _ f: Field) throws(DBError) -> [UInt8] {
        if !f.isOverflow { return Array(page.bytes(f)) }
        try checkChain(f, page)
        var out = [UInt8](repeating: 0, count: f.length)
        var err: DBError?
        out.withUnsafeMutableBytes { d in
            do throws(DBError) { try readChain(f.pgno, total: f.length, offset: 0, into: d) } catch { err = error }
        }
        if let err { throw err }
        return out
    }

    /// Runs `body` over a field's bytes: in place when inline, else read into
    /// a temporary array. Reads touch no shared mutable state of the Btree,
    /// so readers holding the latch shared may share one Btree object.
    @inline(__always)
    func withField<R>(_ page: BtreePage, _ f: Field, _ body: (UnsafeRawBufferPointer) -> R) throws(DBError) -> R {
        if !f.isOverflow { return body(page.bytes(f)) }
        return try fieldArray(page, f).withUnsafeBytes(body)
    }

    /// An overflow field's length must be one the file could hold: checked
    /// before anything is allocated for it.
    @inline(__always) func checkChain(_ f: Field, _ page: BtreePage) throws(DBError) {
        guard f.length <= Int(store.lastPage) * overflowCapacity else { throw .badPage(page.pgno) }
    }

    func value(_ page: BtreePage, _ f: Field) throws(DBError) -> BtreeValue {
        if f.isOverflow { try checkChain(f, page) }
        return BtreeValue(tree: self, inline: f.isOverflow ? nil : page.bytes(f), chain: f.pgno, count: f.length)
    }
}
