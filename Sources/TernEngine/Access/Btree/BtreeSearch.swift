// Searching: comparisons of a probe (key plus duplicate position) against
// leaf entries and separators, comparing in place on the page, and the
// descents (to a leaf, to an edge, along the leaf chain) built on them.
// No heap allocation on this path when keys are inline.
import CBerkeleyDB
import Glibc

extension Btree {
    // MARK: - Comparison

    @inline(__always) func cmpKeys(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int32 {
        if let keyCompare { return keyCompare(a, b) }
        return defaultCompare(a, b)
    }

    @inline(__always) func cmpSecs(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int32 {
        if sorted, let dupCompare { return dupCompare(a, b) }
        return defaultCompare(a, b)
    }

    /// The secondary field of a leaf entry, if the tree has one.
    @inline(__always) func leafSec(_ p: ParsedItem) -> Field? {
        if tokens { return p.f2 }
        if sorted { return p.f1 }
        return nil
    }

    /// Compares a probe with leaf entry `p` (negative: probe sorts first).
    func compare(_ probe: Probe, leaf page: BtreePage, _ p: ParsedItem) throws(DBError) -> Int32 {
        let c = try withField(page, p.f0) { cmpKeys(probe.key, $0) }
        if c != 0 { return c }
        switch probe.mode {
        case .minus: return -1
        case .plus: return 1
        case .value:
            guard let s = leafSec(p) else { return 0 }
            return try withField(page, s) { cmpSecs(probe.sec, $0) }
        }
    }

    /// Compares a probe with the separator of internal entry `p`.
    func compare(_ probe: Probe, separator page: BtreePage, _ p: ParsedItem) throws(DBError) -> Int32 {
        guard p.fieldCount >= 1 else { return 1 }
        let c = try withField(page, p.f0) { cmpKeys(probe.key, $0) }
        if c != 0 { return c }
        if p.fieldCount == 1 {   // (key, minus infinity)
            return probe.mode == .minus ? 0 : 1
        }
        switch probe.mode {
        case .minus: return -1
        case .plus: return 1
        case .value: return try withField(page, p.f1) { cmpSecs(probe.sec, $0) }
        }
    }

    /// The child slot of internal `page` to follow for `probe`: the last
    /// slot whose separator is <= probe (slot 0 when none is).
    func childSlot(_ page: BtreePage, _ probe: Probe) throws(DBError) -> Int {
        let n = page.count
        guard n > 0 else { throw .badPage(page.pgno) }
        var lo = 1, hi = n   // answer in [0, n-1]: last i with sep_i <= probe
        while lo < hi {
            let mid = (lo + hi) / 2
            // Keys first; the full parse and comparison only on a tie.
            let first = try page.firstField(mid)
            var c: Int32 = 1
            if first.fieldCount >= 1 {
                c = try withField(page, first.field) { cmpKeys(probe.key, $0) }
                if c == 0 { c = try compare(probe, separator: page, page.parse(mid)) }
            }
            if c >= 0 { lo = mid + 1 } else { hi = mid }
        }
        return lo - 1
    }

    /// First slot of leaf `page` whose entry is >= probe (count if none).
    func lowerBound(_ page: BtreePage, _ probe: Probe) throws(DBError) -> Int {
        var lo = 0, hi = page.count
        while lo < hi {
            let mid = (lo + hi) / 2
            // Keys first; the full parse and comparison only on a tie.
            var c = try withField(page, page.firstField(mid).field) { cmpKeys(probe.key, $0) }
            if c == 0 { c = try compare(probe, leaf: page, page.parse(mid)) }
            if c > 0 { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    // MARK: - Descent

    /// Descends to the leaf for `probe`, returning it pinned. With `record`,
    /// fills `path` (root first; the leaf's step has index 0 for the caller).
    /// With `writeLeaf` the leaf is pinned for write, so a writer searches it
    /// and changes it under one pin (a root that may be the leaf is pinned
    /// for write too: its level is only known once it is pinned).
    func findLeaf(_ probe: Probe, record: Bool = false, writeLeaf: Bool = false) throws(DBError) -> BtreePage {
        if record { path.removeAll() }
        var page = try node(root, write: writeLeaf)
        var level = page.level
        while !page.isLeaf {
            let slot: Int
            let child: PageNumber
            do throws(DBError) {
                slot = try childSlot(page, probe)
                child = try page.child(slot)
            } catch { release(page); throw error }
            if record { path.append(Step(pgno: page.pgno, index: slot)) }
            release(page)
            page = try node(child, write: writeLeaf && level == 2)
            guard page.level == level - 1 else { release(page); throw .badPage(child) }
            level = page.level
        }
        if record { path.append(Step(pgno: page.pgno, index: 0)) }
        return page
    }

    /// The leftmost (or rightmost) leaf, pinned.
    func edgeLeaf(last: Bool) throws(DBError) -> BtreePage {
        var page = try node(root)
        var level = page.level
        while !page.isLeaf {
            let child: PageNumber
            do throws(DBError) {
                guard page.count > 0 else { throw DBError.badPage(page.pgno) }
                child = try page.child(last ? page.count - 1 : 0)
            } catch { release(page); throw error }
            release(page)
            page = try node(child)
            guard page.level == level - 1 else { release(page); throw .badPage(child) }
            level = page.level
        }
        return page
    }

    /// The sibling leaf of a pinned leaf (which it releases), pinned; nil at the end.
    func sibling(_ page: BtreePage, forward: Bool) throws(DBError) -> BtreePage? {
        let n = forward ? page.next : page.prev
        release(page)
        if n == 0 { return nil }
        let s = try node(n)
        guard s.isLeaf else { release(s); throw .badPage(n) }
        return s
    }

    /// Normalises (leaf, slot) to a real entry: moving forward past the end of
    /// leaves (or backward before their start when `slot` is -1). Returns nil
    /// with nothing pinned when the tree ends.
    func settle(_ start: BtreePage, _ slot: Int, forward: Bool) throws(DBError) -> (BtreePage, Int)? {
        var page = start
        var i = slot
        var hops = 0
        while forward ? i >= page.count : i < 0 {
            hops += 1
            guard hops <= Int(store.lastPage) + 1 else { release(page); throw .badPage(page.pgno) }
            guard let s = try sibling(page, forward: forward) else { return nil }
            page = s
            i = forward ? 0 : page.count - 1
        }
        return (page, i)
    }

    /// The first entry >= probe, pinned; nil when there is none.
    func seek(_ probe: Probe) throws(DBError) -> (BtreePage, Int)? {
        let page = try findLeaf(probe)
        let i: Int
        do throws(DBError) { i = try lowerBound(page, probe) } catch { release(page); throw error }
        return try settle(page, i, forward: true)
    }

    /// The last entry < probe, pinned; nil when there is none.
    func seekBefore(_ probe: Probe) throws(DBError) -> (BtreePage, Int)? {
        let page = try findLeaf(probe)
        let i: Int
        do throws(DBError) { i = try lowerBound(page, probe) } catch { release(page); throw error }
        return try settle(page, i - 1, forward: false)
    }

    func keyEquals(_ page: BtreePage, _ p: ParsedItem, _ key: UnsafeRawBufferPointer) throws(DBError) -> Bool {
        try withField(page, p.f0) { cmpKeys(key, $0) } == 0
    }
}

/// Where a probe found a key's leaf: its page and generation then. While
/// the generation is unchanged the key still belongs on that leaf: a leaf's
/// key range shrinks only when the leaf itself changes (a split rewrites
/// it; it is freed only once emptied), and the generation moves on every
/// change, survives free and reuse, and belongs to one page of one file.
/// (A neighbour's removal can widen the range without touching the leaf;
/// that keeps the key there too.) So a commit that kept the probe's hint
/// applies there without a second descent (Btree.upsert).
struct LeafHint {
    let pgno: PageNumber
    let gen: UInt64
}

extension Btree {
    /// Whether `key` is in the tree and, if not, the first key after it (nil:
    /// none): one descent, no cursor (next-key locking's probe); and the
    /// leaf the key belongs on. The caller holds the latch.
    func keyOrNext(_ key: UnsafeRawBufferPointer) throws(DBError) -> (present: Bool, next: [UInt8]?, leaf: LeafHint) {
        let probe = Probe(key: key)
        let leaf = try findLeaf(probe)
        let hint = LeafHint(pgno: leaf.pgno, gen: leaf.gen)
        let i: Int
        do throws(DBError) { i = try lowerBound(leaf, probe) } catch { release(leaf); throw error }
        guard let (page, j) = try settle(leaf, i, forward: true) else { return (false, nil, hint) }
        defer { release(page) }
        let p = try page.parse(j)
        if try keyEquals(page, p, key) { return (true, nil, hint) }
        return (false, try fieldArray(page, p.f0), hint)
    }
}
