// Btree writes: item building, insertion with splits, removal with page
// freeing and root collapse, record-count maintenance.
//
// All of these work on `path`, the descent recorded by findLeaf(record:),
// whose last step's index is the leaf slot concerned. Pages above the leaf
// are only re-pinned for write when they change.
//
// Record counts (DB_RECNUM): an insert adds one to the count of every entry
// on the path before touching the leaf, a remove subtracts one; a split then
// recomputes the two halves' counts exactly from their contents, so counts
// above the split stay right without another pass.

import CBerkeleyDB

extension Btree {
    // MARK: Items

    /// Encodes an item, moving the largest inline fields to new overflow
    /// chains until it is at most `maxEntry` bytes. `child` nil: leaf item.
    func buildItem(child: PageNumber?, count: UInt32, _ srcs: inout [FieldSource]) throws(DBError) -> [UInt8] {
        let header = child == nil ? ItemLayout.leafHeader : ItemLayout.internalHeader
        while true {
            var size = header
            var largest = -1
            var largestCost = ItemLayout.overflowFieldSize
            for (k, s) in srcs.enumerated() {
                size += s.inlineCost
                if case .bytes = s, s.inlineCost > largestCost { largest = k; largestCost = s.inlineCost }
            }
            if size <= maxEntry { break }
            guard largest >= 0, case .bytes(let b) = srcs[largest] else { throw .badPage(0) }
            guard b.count <= Int(UInt32.max) else { throw .invalid("item of \(b.count) bytes is too large") }
            srcs[largest] = .chain(try writeChain(b), b.count)
        }
        var out: [UInt8] = []
        out.reserveCapacity(maxEntry)
        out.appendLE16(0)
        if let child {
            out.appendLE32(child)
            out.appendLE32(count)
        }
        out.append(UInt8(srcs.count))
        for s in srcs {
            switch s {
            case .bytes(let b):
                out.append(0)
                out.appendLE16(UInt16(b.count))
                out.append(contentsOf: b)
            case .chain(let pgno, let len):
                out.append(1)
                out.appendLE32(pgno)
                out.appendLE32(UInt32(len))
            }
        }
        out.setLE16(at: 0, UInt16(out.count))
        return out
    }

    /// Runs `body` on the encoded leaf item (key, data[, token]). When every
    /// field stays inline (the item is at most maxEntry bytes, so buildItem
    /// would move nothing to an overflow chain) it is encoded, byte for byte
    /// as buildItem would, into itemScratch: no allocation. Otherwise
    /// buildItem builds it, writing the chains. `pinned`, the caller's
    /// pinned leaf, is released here if building fails; `body` owns it
    /// otherwise. The scratch bytes are valid only during `body`.
    func withLeafItem<R>(key: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer,
                         token: UnsafeRawBufferPointer?, pinned: BtreePage?,
                         _ body: (UnsafeRawBufferPointer) throws(DBError) -> R) throws(DBError) -> R {
        let fieldCount = token == nil ? 2 : 3
        let size = ItemLayout.leafHeader + fieldCount * ItemLayout.inlineFieldHeader
            + key.count + data.count + (token?.count ?? 0)
        if size <= maxEntry {
            // maxEntry < pageSize <= 65536: every length fits its u16, and
            // the item fits itemScratch (pageSize bytes).
            let out = itemScratch.baseAddress!
            out.storeBytes(of: UInt16(size).littleEndian, as: UInt16.self)
            out.storeBytes(of: UInt8(fieldCount), toByteOffset: 2, as: UInt8.self)
            var at = ItemLayout.leafHeader
            func put(_ b: UnsafeRawBufferPointer) {
                out.storeBytes(of: 0, toByteOffset: at, as: UInt8.self)
                out.storeBytes(of: UInt16(b.count).littleEndian, toByteOffset: at + 1, as: UInt16.self)
                if let p = b.baseAddress, b.count > 0 { (out + at + 3).copyMemory(from: p, byteCount: b.count) }
                at += ItemLayout.inlineFieldHeader + b.count
            }
            put(key)
            put(data)
            if let token { put(token) }
            return try body(UnsafeRawBufferPointer(start: out, count: size))
        }
        let item: [UInt8]
        do throws(DBError) {
            var srcs: [FieldSource] = [.bytes(key), .bytes(data)]
            if let token { srcs.append(.bytes(token)) }
            item = try buildItem(child: nil, count: 0, &srcs)
        } catch {
            if let pinned { release(pinned) }
            throw error
        }
        return try withBuffer(item, body)
    }

    /// Writes the leaf entry (key, data[, token]) at the slot the path ends
    /// in, replacing the entry there (`replace`) or inserting before it.
    /// `page` is that leaf, pinned for write by the caller's search;
    /// ownership passes here (it is released on every path).
    func writeEntry(key: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer,
                    token: UnsafeRawBufferPointer?, replace: Bool, pinned page: BtreePage) throws(DBError) {
        try withLeafItem(key: key, data: data, token: token, pinned: page) { (item) throws(DBError) in
            if replace {
                try replaceAt(item, pinned: page)
            } else {
                try insertAt(item, pinned: page)
            }
        }
    }

    /// The overflow chains an item owns.
    func chains(of p: ParsedItem) -> [(PageNumber, Int)] {
        var out: [(PageNumber, Int)] = []
        for k in 0..<p.fieldCount where p[k].isOverflow { out.append((p[k].pgno, p[k].length)) }
        return out
    }

    func freeChains(_ list: [(PageNumber, Int)]) throws(DBError) {
        for (pg, len) in list { try freeChain(pg, total: len) }
    }

    // MARK: Counts

    func adjustCounts(_ delta: Int) throws(DBError) {
        guard recnum else { return }
        for d in 0..<(path.count - 1) {
            let page = try node(path[d].pgno, write: true)
            do throws(DBError) {
                let v = Int(try page.subtreeCount(path[d].index)) + delta
                guard v >= 0, v <= Int(UInt32.max) else { throw DBError.badPage(page.pgno) }
                try page.setSubtreeCount(path[d].index, UInt32(v))
            } catch { release(page); throw error }
            release(page, dirty: true)
        }
    }

    /// Entries under a node: a leaf's slots, or the sum of an internal node's counts.
    func entryCount(of page: BtreePage) throws(DBError) -> UInt32 {
        if page.isLeaf { return UInt32(page.count) }
        var sum: UInt32 = 0
        for i in 0..<page.count { sum &+= try page.subtreeCount(i) }
        return sum
    }

    // MARK: Insert

    /// Inserts a built leaf item at the leaf slot the path ends in. `page`
    /// is that leaf, pinned for write by the caller (no second pin); it is
    /// released here on every path.
    func insertAt(_ item: UnsafeRawBufferPointer, pinned page: BtreePage) throws(DBError) {
        do throws(DBError) { try adjustCounts(1) } catch { release(page); throw error }
        try insertIntoNode(depth: path.count - 1, index: path[path.count - 1].index, item: item, pinned: page)
    }

    /// Replaces the leaf entry the path ends in (its chains are freed).
    /// `page` is that leaf, pinned for write by the caller; it is released
    /// here on every path.
    func replaceAt(_ item: UnsafeRawBufferPointer, pinned page: BtreePage) throws(DBError) {
        let d = path.count - 1
        let i = path[d].index
        let old: [(PageNumber, Int)]
        do throws(DBError) {
            old = chains(of: try page.parse(i))
            try page.removeItem(i)
        } catch { release(page); throw error }
        page.bump()
        if !old.isEmpty {
            do throws(DBError) { try freeChains(old) } catch { release(page, dirty: true); throw error }
        }
        try insertIntoNode(depth: d, index: i, item: item, pinned: page)
    }

    /// A full node's items and the one being inserted, in order, as spans
    /// of one copy (the node's page, then the new item): a split reads them
    /// from here while it rewrites the node, without an array per item.
    struct SplitItems {
        private(set) var storage: [UInt8]
        /// (offset, length) of each item in `storage`.
        private(set) var spans: [(Int, Int)]

        init(_ page: BtreePage, inserting item: UnsafeRawBufferPointer, at index: Int) throws(DBError) {
            let n = page.count
            storage = [UInt8](unsafeUninitializedCapacity: page.size + item.count) { buf, count in
                let raw = UnsafeMutableRawBufferPointer(buf)
                raw.baseAddress!.copyMemory(from: page.raw, byteCount: page.size)
                if item.count > 0 {
                    (raw.baseAddress! + page.size).copyMemory(from: item.baseAddress!, byteCount: item.count)
                }
                count = page.size + item.count
            }
            spans = []
            spans.reserveCapacity(n + 1)
            for k in 0..<n {
                if k == index { spans.append((page.size, item.count)) }
                let b = try page.itemBytes(k)
                spans.append((b.baseAddress! - UnsafeRawPointer(page.raw), b.count))
            }
            if index >= n { spans.append((page.size, item.count)) }
        }

        var count: Int { spans.count }
    }

    /// Appends `items[range]` to `page` (which has room for them).
    func fill(_ page: BtreePage, _ items: SplitItems, _ range: Range<Int>) {
        items.storage.withUnsafeBytes { raw in
            for (o, l) in items.spans[range] {
                page.insertItem(UnsafeRawBufferPointer(rebasing: raw[o..<(o + l)]), at: page.count)
            }
        }
    }

    /// Where to split `items` (all of a full node plus the new one): left
    /// gets items[..<p]. Both halves must fit; among those, an append at the
    /// right edge (or prepend at the left edge) of the leaf level leaves the
    /// old page full, as libdb does for sorted loads; otherwise the most even split.
    func splitPoint(_ items: SplitItems, inserted: Int, append: Bool, prepend: Bool) throws(DBError) -> Int {
        let m = items.count
        var total = 0
        for (_, l) in items.spans { total += l + 2 }
        var left = 0
        var best = -1
        var bestDiff = Int.max
        var validAfterFirst = false, validBeforeLast = false
        for p in 1..<m {
            left += items.spans[p - 1].1 + 2
            let right = total - left
            if left <= usable && right <= usable {
                if p == 1 { validAfterFirst = true }
                if p == m - 1 { validBeforeLast = true }
                let diff = abs(left - right)
                if diff < bestDiff { bestDiff = diff; best = p }
            }
        }
        if append && inserted == m - 1 && validBeforeLast { return m - 1 }
        if prepend && inserted == 0 && validAfterFirst { return 1 }
        guard best > 0 else { throw .badPage(0) }
        return best
    }

    /// Inserts `item` as slot `index` of the node at path[depth], splitting
    /// it (and its ancestors, up to the root) when it does not fit. `pinned`:
    /// that node, already pinned for write by the caller (ownership passes
    /// here); nil pins it. `item` may be itemScratch: it is copied before
    /// anything else is encoded.
    func insertIntoNode(depth d: Int, index i: Int, item: UnsafeRawBufferPointer,
                        pinned: BtreePage? = nil) throws(DBError) {
        let page: BtreePage
        if let pinned { page = pinned } else { page = try node(path[d].pgno, write: true) }
        // A caller's pinned leaf may already be changed (replaceAt removed
        // the old entry): errors must still release it dirty.
        let callerChanged = pinned != nil
        if page.fits(item.count) {
            page.insertItem(item, at: i)
            page.bump()
            release(page, dirty: true)
            return
        }
        let items: SplitItems
        do throws(DBError) {
            items = try SplitItems(page, inserting: item, at: i)
        } catch { release(page, dirty: callerChanged); throw error }
        let leaf = page.isLeaf
        let level = page.level
        let kind: PageKind = leaf ? .leaf : .internal
        let p: Int
        do throws(DBError) {
            p = try splitPoint(items, inserted: i, append: leaf && page.next == 0 && i == items.count - 1,
                               prepend: leaf && page.prev == 0 && i == 0)
        } catch { release(page, dirty: callerChanged); throw error }

        if d == 0 {
            // Root split in place: both halves move to new pages and the root
            // becomes an internal node over them. (A path of one step names
            // the root, unless a hinted leaf took a split it must not.)
            guard page.pgno == root else { release(page, dirty: callerChanged); throw .badPage(page.pgno) }
            let a: BtreePage, b: BtreePage
            do throws(DBError) {
                a = try allocate(kind, level: level)
                b = try allocate(kind, level: level)
            } catch { release(page, dirty: callerChanged); throw error }
            fill(a, items, 0..<p)
            fill(b, items, p..<items.count)
            if leaf { a.next = b.pgno; b.prev = a.pgno }
            let sepItem: [UInt8]
            let countA: UInt32
            do throws(DBError) {
                countA = try entryCount(of: a)
                sepItem = try separatorItem(left: a, right: b)
            } catch { release(a); release(b); release(page, dirty: callerChanged); throw error }
            release(a, dirty: true)
            release(b, dirty: true)
            var none: [FieldSource] = []
            let first = try buildItem(child: a.pgno, count: countA, &none)
            page.format(.internal, level: level + 1)
            first.withUnsafeBytes { page.insertItem($0, at: 0) }
            sepItem.withUnsafeBytes { page.insertItem($0, at: 1) }
            release(page, dirty: true)
            return
        }

        let b: BtreePage
        do throws(DBError) { b = try allocate(kind, level: level) } catch { release(page, dirty: callerChanged); throw error }
        page.clearItems()
        fill(page, items, 0..<p)
        page.bump()
        fill(b, items, p..<items.count)
        if leaf {
            b.next = page.next
            b.prev = page.pgno
            if page.next != 0 {
                do throws(DBError) {
                    let nx = try node(page.next, write: true)
                    nx.prev = b.pgno
                    release(nx, dirty: true)
                } catch { release(b); release(page, dirty: callerChanged); throw error }
            }
            page.next = b.pgno
        }
        let sepItem: [UInt8]
        let countL: UInt32
        do throws(DBError) {
            countL = try entryCount(of: page)
            sepItem = try separatorItem(left: page, right: b)
        } catch { release(b); release(page, dirty: callerChanged); throw error }
        release(b, dirty: true)
        release(page, dirty: true)
        if recnum {
            let parent = try node(path[d - 1].pgno, write: true)
            do throws(DBError) { try parent.setSubtreeCount(path[d - 1].index, countL) } catch { release(parent); throw error }
            release(parent, dirty: true)
        }
        try withBuffer(sepItem) { (sep) throws(DBError) in
            try insertIntoNode(depth: d - 1, index: path[d - 1].index + 1, item: sep)
        }
    }

    /// The parent entry for `right`, the new right half of a split.
    /// Leaf split: the separator is a copy of right's first key — with its
    /// secondary only when the split fell inside a duplicate set — so that
    /// left's last entry < separator <= right's first. Internal split:
    /// right's first separator moves up (chains and all) and that entry
    /// becomes right's keyless slot 0.
    func separatorItem(left: BtreePage, right: BtreePage) throws(DBError) -> [UInt8] {
        let countR = try entryCount(of: right)
        let r0 = try right.parse(0)
        if !right.isLeaf {
            var srcs: [FieldSource] = []
            for k in 0..<r0.fieldCount {
                let f = r0[k]
                srcs.append(f.isOverflow ? .chain(f.pgno, f.length) : .bytes(right.bytes(f)))
            }
            let item = try buildItem(child: right.pgno, count: countR, &srcs)
            var none: [FieldSource] = []
            let keyless = try buildItem(child: r0.child, count: r0.subtreeCount, &none)
            try right.removeItem(0)
            keyless.withUnsafeBytes { right.insertItem($0, at: 0) }
            return item
        }
        let lLast = try left.parse(left.count - 1)
        var fields = [r0.f0]
        if hasDups {
            let same = try withField(right, r0.f0) { rk in
                Result { () throws(DBError) -> Bool in
                    try withFieldCopy(left, lLast.f0) { cmpKeys($0, rk) } == 0
                }
            }.get()
            if same, let s = leafSec(r0) { fields.append(s) }
        }
        // Copies: the leaf keeps its own chains.
        var srcs: [FieldSource] = []
        for f in fields {
            if f.isOverflow {
                let bytes = try fieldArray(right, f)
                srcs.append(.chain(try withBuffer(bytes) { (b) throws(DBError) in try writeChain(b) }, f.length))
            } else {
                srcs.append(.bytes(right.bytes(f)))
            }
        }
        return try buildItem(child: right.pgno, count: countR, &srcs)
    }

    /// Like withField (kept separate for nesting inside a withField body).
    func withFieldCopy<R>(_ page: BtreePage, _ f: Field, _ body: (UnsafeRawBufferPointer) -> R) throws(DBError) -> R {
        if !f.isOverflow { return body(page.bytes(f)) }
        return try fieldArray(page, f).withUnsafeBytes(body)
    }

    // MARK: Remove

    /// Removes the leaf entry the path ends in; frees a leaf it empties
    /// (unless DB_REVSPLITOFF) and collapses a root left with one child.
    func removeAt() throws(DBError) {
        let d = path.count - 1
        let i = path[d].index
        let page = try node(path[d].pgno, write: true)
        let old: [(PageNumber, Int)]
        do throws(DBError) {
            old = chains(of: try page.parse(i))
            try page.removeItem(i)
        } catch { release(page); throw error }
        page.bump()
        let empty = page.count == 0
        release(page, dirty: true)
        try freeChains(old)
        try adjustCounts(-1)
        if empty && d > 0 && !flags.contains(.revSplitOff) {
            try removeEmpty(depth: d)
            try collapseRoot()
        }
    }

    /// Frees the empty node at path[depth] and removes its parent entry,
    /// recursively when that empties the parent.
    func removeEmpty(depth d: Int) throws(DBError) {
        let pg = path[d].pgno
        let page = try node(pg, write: true)
        let leaf = page.isLeaf
        let prev = page.prev, next = page.next
        release(page)
        if leaf {
            if prev != 0 {
                let p = try node(prev, write: true)
                p.next = next
                release(p, dirty: true)
            }
            if next != 0 {
                let n = try node(next, write: true)
                n.prev = prev
                release(n, dirty: true)
            }
        }
        try freePage(pg)
        let parent = try node(path[d - 1].pgno, write: true)
        let i = path[d - 1].index
        var old: [(PageNumber, Int)] = []
        do throws(DBError) {
            old = chains(of: try parent.parse(i))
            try parent.removeItem(i)
            if i == 0 && parent.count > 0 {
                // The new first entry's separator becomes minus infinity.
                let e = try parent.parse(0)
                old += chains(of: e)
                var none: [FieldSource] = []
                let keyless = try buildItem(child: e.child, count: e.subtreeCount, &none)
                try parent.removeItem(0)
                keyless.withUnsafeBytes { parent.insertItem($0, at: 0) }
            }
        } catch { release(parent); throw error }
        parent.bump()
        let empty = parent.count == 0
        if empty && d - 1 == 0 { parent.format(.leaf, level: 1) }
        release(parent, dirty: true)
        try freeChains(old)
        if empty && d - 1 > 0 { try removeEmpty(depth: d - 1) }
    }

    /// While the root is an internal node with one child, pulls the child's
    /// contents up into the root page and frees the child.
    func collapseRoot() throws(DBError) {
        while true {
            let r = try node(root, write: true)
            guard !r.isLeaf, r.count == 1 else { release(r); return }
            let c: BtreePage
            do throws(DBError) {
                c = try node(try r.child(0))
                guard c.level == r.level - 1 else { release(c); throw DBError.badPage(c.pgno) }
            } catch { release(r); throw error }
            let g = r.gen
            r.raw.copyMemory(from: c.raw, byteCount: pageSize)
            r.set32(4, root)
            r.gen = g &+ 1
            let cp = c.pgno
            release(c)
            release(r, dirty: true)
            try freePage(cp)
        }
    }

    // MARK: Record numbers

    /// The 1-based record number of the entry `probe` names exactly.
    func recordNumber(_ probe: Probe) throws(DBError) -> UInt32 {
        var before: UInt32 = 0
        var page = try node(root)
        var level = page.level
        while !page.isLeaf {
            let child: PageNumber
            do throws(DBError) {
                let slot = try childSlot(page, probe)
                for k in 0..<slot { before &+= try page.subtreeCount(k) }
                child = try page.child(slot)
            } catch { release(page); throw error }
            release(page)
            page = try node(child)
            guard page.level == level - 1 else { release(page); throw .badPage(child) }
            level = page.level
        }
        defer { release(page) }
        let i = try lowerBound(page, probe)
        guard i < page.count, try compareExact(probe, page, page.parse(i)) else { throw DBError(DB_NOTFOUND) }
        return before &+ UInt32(i + 1)
    }

    /// The entry with record number `recno`, pinned; nil past the end.
    func entry(recno: UInt32) throws(DBError) -> (BtreePage, Int)? {
        guard recno > 0 else { return nil }
        var r = recno
        var page = try node(root)
        var level = page.level
        while !page.isLeaf {
            var child: PageNumber = 0
            do throws(DBError) {
                for k in 0..<page.count {
                    let c = try page.subtreeCount(k)
                    if r <= c { child = try page.child(k); break }
                    r -= c
                }
            } catch { release(page); throw error }
            release(page)
            if child == 0 { return nil }
            page = try node(child)
            guard page.level == level - 1 else { release(page); throw .badPage(child) }
            level = page.level
        }
        guard Int(r) <= page.count else { release(page); return nil }
        return (page, Int(r) - 1)
    }
}
