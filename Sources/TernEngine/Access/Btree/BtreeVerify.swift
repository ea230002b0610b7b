// Btree verification: walks the whole file and checks every invariant the
// tree relies on. Used by the tests after every batch of operations; the
// basis of a later DB->verify.
//
// Checks: node headers and levels; entries strictly increasing along the
// leaf chain; every subtree within its separators; leaf prev/next links in
// tree order; DB_RECNUM subtree counts; overflow chains; and that every page
// of the file is exactly one of meta, node, overflow or free (no page leaked,
// none used twice).
import CBerkeleyDB

public struct BtreeStats: Sendable, Equatable {
    public var entries = 0
    public var leafPages = 0
    public var internalPages = 0
    public var overflowPages = 0
    public var freePages = 0
    public var depth = 0
}

extension Btree {
    struct Bound {
        var key: [UInt8]
        var mode: Probe.Sec
        var sec: [UInt8]
    }

    func fail(_ what: String) -> DBError { DBError(DB_VERIFY_BAD, "Btree verify: \(what)") }

    /// Verifies this tree; in a file holding only this tree, the whole file
    /// (free list, no leaked pages) too. Files of named databases: verifyFile.
    public func verify() throws(DBError) -> BtreeStats {
        var owner = [UInt8](repeating: 0, count: Int(store.lastPage) + 1)
        owner[0] = 1
        var stats = try verifyTree(&owner)
        if metaPage == 0 && !flags.contains(.subdatabases) {
            stats.freePages = try verifyFreeList(&owner)
        }
        return stats
    }

    /// Verifies a whole file of named databases: the master, every named
    /// tree (opened with `options(name)` for its comparators), the free list.
    public static func verifyFile(store: any PageStore,
                                  options: ([UInt8]) -> BtreeOptions = { _ in BtreeOptions() }) throws(DBError) -> BtreeStats {
        let master = try Btree.open(store: store)
        var owner = [UInt8](repeating: 0, count: Int(store.lastPage) + 1)
        owner[0] = 1
        var total = try master.verifyTree(&owner)
        for name in try master.subdatabaseNames() {
            let t = try Btree.open(store: store, subdatabase: name, options: options(name))
            let s = try t.verifyTree(&owner)
            total.entries += s.entries
            total.leafPages += s.leafPages
            total.internalPages += s.internalPages
            total.overflowPages += s.overflowPages
            total.depth = max(total.depth, s.depth)
        }
        total.freePages = try master.verifyFreeList(&owner)
        return total
    }

    func verifyTree(_ owner: inout [UInt8]) throws(DBError) -> BtreeStats {
        var stats = BtreeStats()
        if metaPage != 0 {
            guard Int(metaPage) < owner.count, owner[Int(metaPage)] == 0 else { throw fail("meta page \(metaPage) used twice") }
            owner[Int(metaPage)] = 1
        }
        func claim(_ p: PageNumber) throws(DBError) {
            guard Int(p) < owner.count, owner[Int(p)] == 0 else { throw fail("page \(p) used twice or out of range") }
            owner[Int(p)] = 1
        }
        var leaves: [PageNumber] = []
        var lastEntry: (key: [UInt8], sec: [UInt8])? = nil

        func claimChain(_ f: Field) throws(DBError) {
            guard f.isOverflow else { return }
            try walkChain(f.pgno, total: f.length) { (pg, _, _) throws(DBError) -> Bool in
                try claim(pg)
                stats.overflowPages += 1
                return true
            }
        }

        func within(_ page: BtreePage, _ p: ParsedItem, _ lo: Bound?, _ hi: Bound?) throws(DBError) -> Bool {
            if let lo {
                let c = try withBuffer(lo.key) { (k) throws(DBError) in
                    try withBuffer(lo.sec) { (s) throws(DBError) in try compare(Probe(key: k, mode: lo.mode, sec: s), leaf: page, p) }
                }
                if c > 0 { return false }
            }
            if let hi {
                let c = try withBuffer(hi.key) { (k) throws(DBError) in
                    try withBuffer(hi.sec) { (s) throws(DBError) in try compare(Probe(key: k, mode: hi.mode, sec: s), leaf: page, p) }
                }
                if c <= 0 { return false }
            }
            return true
        }

        func walk(_ pgno: PageNumber, level: UInt8?, lo: Bound?, hi: Bound?, depth: Int) throws(DBError) -> UInt32 {
            try claim(pgno)
            let page = try node(pgno)
            defer { release(page) }
            if let level, page.level != level { throw fail("page \(pgno) has level \(page.level), expected \(level)") }
            if page.isLeaf {
                stats.leafPages += 1
                stats.depth = max(stats.depth, depth)
                leaves.append(pgno)
                for i in 0..<page.count {
                    let p = try page.parse(i)
                    guard p.fieldCount == leafFields else { throw fail("page \(pgno) slot \(i): field count") }
                    for k in 0..<p.fieldCount { try claimChain(p[k]) }
                    guard try within(page, p, lo, hi) else { throw fail("page \(pgno) slot \(i) outside its separators") }
                    let key = try fieldArray(page, p.f0)
                    let sec = try leafSec(p).map { (f) throws(DBError) in try fieldArray(page, f) } ?? []
                    if let last = lastEntry {
                        var c = withBuffer2(last.key, key) { cmpKeys($0, $1) }
                        if c == 0 && hasDups { c = withBuffer2(last.sec, sec) { cmpSecs($0, $1) } }
                        guard c < 0 else { throw fail("page \(pgno) slot \(i) out of order") }
                    }
                    lastEntry = (key, sec)
                    stats.entries += 1
                }
                return UInt32(page.count)
            }
            stats.internalPages += 1
            guard page.count > 0 else { throw fail("empty internal page \(pgno)") }
            var bounds: [Bound?] = []
            for i in 0..<page.count {
                let p = try page.parse(i)
                if i == 0 { bounds.append(lo); continue }
                guard p.fieldCount >= 1 else { throw fail("page \(pgno) slot \(i): no separator") }
                try claimChain(p.f0)
                if p.fieldCount == 2 { try claimChain(p.f1) }
                bounds.append(Bound(key: try fieldArray(page, p.f0), mode: p.fieldCount == 2 ? .value : .minus,
                                    sec: p.fieldCount == 2 ? try fieldArray(page, p.f1) : []))
            }
            var total: UInt32 = 0
            for i in 0..<page.count {
                let p = try page.parse(i)
                let n = try walk(p.child, level: page.level - 1, lo: bounds[i],
                                 hi: i + 1 < page.count ? bounds[i + 1] : hi, depth: depth + 1)
                if recnum && n != p.subtreeCount {
                    throw fail("page \(pgno) slot \(i): count \(p.subtreeCount), subtree holds \(n)")
                }
                total &+= n
            }
            return total
        }

        let rootPage = try node(root)
        let rootLevel = rootPage.level
        release(rootPage)
        _ = try walk(root, level: rootLevel, lo: nil, hi: nil, depth: 1)
        // Leaf links.
        for (k, leaf) in leaves.enumerated() {
            let page = try node(leaf)
            let okPrev = page.prev == (k > 0 ? leaves[k - 1] : 0)
            let okNext = page.next == (k + 1 < leaves.count ? leaves[k + 1] : 0)
            release(page)
            guard okPrev && okNext else { throw fail("leaf \(leaf) links wrong") }
        }
        return stats
    }

    /// Walks the file's free list, then checks every page is accounted for.
    func verifyFreeList(_ owner: inout [UInt8]) throws(DBError) -> Int {
        func claim(_ p: PageNumber) throws(DBError) {
            guard Int(p) < owner.count, owner[Int(p)] == 0 else { throw fail("page \(p) used twice or out of range") }
            owner[Int(p)] = 1
        }
        var freePages = 0
        let mp = try store.pin(0, forWrite: false)
        let meta: BtreeMeta
        do throws(DBError) { meta = try BtreeMeta.read(mp, pageSize: pageSize, lastPage: store.lastPage, name: nil) } catch {
            store.unpin(0, dirty: false); throw error
        }
        store.unpin(0, dirty: false)
        var f = meta.freeHead
        while f != 0 {
            try claim(f)
            freePages += 1
            let p = BtreePage(raw: try store.pin(f, forWrite: false), size: pageSize, pgno: f)
            let ok = p.kindByte == PageKind.free.rawValue
            let next = p.next
            store.unpin(f, dirty: false)
            guard ok else { throw fail("free-list page \(f) is not free") }
            f = next
        }
        if let leaked = owner.firstIndex(of: 0) { throw fail("page \(leaked) is in no tree and not free") }
        return freePages
    }
}

@inline(__always)
func withBuffer2<R>(_ a: [UInt8], _ b: [UInt8], _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> R) -> R {
    a.withUnsafeBytes { x in b.withUnsafeBytes { y in body(x, y) } }
}
