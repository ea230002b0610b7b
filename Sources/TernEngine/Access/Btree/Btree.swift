// Btree: the Btree access method over a PageStore.
//
// The tree is a B+tree of entries ordered by (key, secondary), where the
// secondary is nothing in a plain tree, the data in a DB_DUPSORT tree (under
// the duplicate comparator) and an order token in a DB_DUP tree (see
// DupToken.swift). So a duplicate set is a run of ordinary entries that may
// span leaves, and every operation (search, split, cursor re-positioning)
// works the same way for all three kinds.
//
// Invariants:
// - Internal entry i > 0 carries a separator S_i: every entry under child i
//   or later is >= S_i, every entry under earlier children is < S_i. Entry 0
//   has no separator. Deletes leave separators in place (they stay valid
//   bounds), so a search for an exact entry always lands in the leaf holding
//   it, but a lower-bound search may have to continue into the next leaf.
// - Levels: leaves are level 1, a child is one level below its parent; the
//   descent checks it, so a corrupt page cannot send it round in a cycle.
// - Leaves are doubly linked (prev/next) in key order.
// - In a DB_RECNUM tree each internal entry holds its subtree's entry count.
// - The root page never moves (root splits and collapses rewrite it in
//   place), so the meta page only changes for the free list.
// - Every change to a node bumps its generation (see BtreePage).
//
// Concurrency: a Btree is not internally synchronised. The caller holds the
// tree's latch — shared for reads (get, cursor gets, count), exclusive for
// anything that writes (put, delete, cursor put/del, named-database create
// and remove) — for the whole call. Reads mutate nothing in the Btree object,
// so concurrent readers may share it; writes use its `path` buffer, which the
// exclusive latch protects. A cursor is used by one thread at a time; it
// re-validates its position on every call, so it may be held across calls
// while other cursors write.
//
// Space: items larger than a node page allows for bt_minkey entries go to
// overflow chains; a leaf a delete empties is freed (unless DB_REVSPLITOFF)
// and its parent entry removed, recursively, and a root left with one child
// absorbs it (libdb's reverse split). As in libdb, partly filled pages are not
// merged (that is DB->compact's job, not implemented here); freed pages go
// to the file's free list and are reused before the file grows.
import CBerkeleyDB
import Glibc

/// A key or duplicate comparison: negative, zero or positive as a < = > b.
public typealias BtreeCompare = (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> Int32

public struct BtreeOptions {
    /// Fixed at creation; on open the file's flags win.
    public var flags: BtreeFlags = []
    public var minKey: UInt32 = 2
    /// nil: libdb's default, bytewise with shorter-is-smaller.
    public var compare: BtreeCompare?
    /// Sorted duplicates' comparison; nil: bytewise.
    public var dupCompare: BtreeCompare?
    public init(flags: BtreeFlags = [], minKey: UInt32 = 2, compare: BtreeCompare? = nil,
                dupCompare: BtreeCompare? = nil) {
        self.flags = flags
        self.minKey = minKey
        self.compare = compare
        self.dupCompare = dupCompare
    }
}

/// DB->put flags the tree understands.
public struct BtreePutFlags: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let noOverwrite = BtreePutFlags(rawValue: 1)
    public static let noDupData = BtreePutFlags(rawValue: 2)
}

/// Bytewise comparison, shorter is smaller: libdb's __bam_defcmp.
@inline(__always)
func defaultCompare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int32 {
    let n = min(a.count, b.count)
    if n > 0 {
        let r = memcmp(a.baseAddress!, b.baseAddress!, n)
        if r != 0 { return r < 0 ? -1 : 1 }
    }
    return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
}

/// Where a search is aimed: a key and a position among its duplicates.
struct Probe {
    enum Sec { case minus, value, plus }
    var key: UnsafeRawBufferPointer
    var mode: Sec = .minus
    var sec = UnsafeRawBufferPointer(start: nil, count: 0)
}

/// One level of a recorded descent: the page and the slot taken (for a leaf,
/// the slot of the entry or of the insertion point).
struct Step {
    var pgno: PageNumber
    var index: Int
}

/// The descent a write records (see Btree.path): a fixed-capacity stack of
/// Steps in memory the Btree owns (allocated in init, freed in its deinit).
///
/// Why not a `var [Step]` on the Btree: every access to a class's mutable
/// stored property goes through Swift's dynamic exclusivity check
/// (swift_beginAccess/endAccess), which findLeaf paid at every level of
/// every put (~6% of an in-cache put). This type is held in a `let` and
/// mutates only through its pointers, so there is nothing to check.
///
/// Safety: `storage` holds `capacity` Steps, of which the first `count` are
/// initialised (Step is trivial, so nothing needs deinitialising); every
/// index is bounds-checked against `count`, every append against
/// `capacity`. A descent has at most BtreePage.maxLevel steps, because node
/// levels are validated to lie in 1...maxLevel and to decrease by one per
/// step. Not thread-safe: only a writer holding the tree latch exclusively
/// uses it.
struct StepPath {
    private let storage: UnsafeMutablePointer<Step>
    private let countStorage: UnsafeMutablePointer<Int>
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        storage = .allocate(capacity: capacity)
        countStorage = .allocate(capacity: 1)
        countStorage.initialize(to: 0)
    }

    /// Frees the memory (the owning Btree's deinit; no use afterwards).
    func deallocate() {
        storage.deallocate()
        countStorage.deallocate()
    }

    var count: Int { countStorage.pointee }

    subscript(i: Int) -> Step {
        get {
            precondition(i >= 0 && i < countStorage.pointee, "path index out of range")
            return storage[i]
        }
        nonmutating set {
            precondition(i >= 0 && i < countStorage.pointee, "path index out of range")
            storage[i] = newValue
        }
    }

    func removeAll() { countStorage.pointee = 0 }

    func append(_ step: Step) {
        let n = countStorage.pointee
        precondition(n < capacity, "path deeper than the maximum tree level")
        (storage + n).initialize(to: step)
        countStorage.pointee = n + 1
    }
}

/// A value handed to a caller's closure: in-page bytes or an overflow chain.
/// Valid only inside the closure (the page is pinned for its duration).
public struct BtreeValue {
    unowned(unsafe) let tree: Btree
    let inline: UnsafeRawBufferPointer?
    let chain: PageNumber
    public let count: Int

    /// Copies `dst.count` bytes starting at `offset` (DB_DBT_PARTIAL-ready).
    public func copy(into dst: UnsafeMutableRawBufferPointer, from offset: Int = 0) throws(DBError) {
        precondition(offset >= 0 && offset + dst.count <= count)
        if dst.count == 0 { return }
        if let b = inline {
            dst.baseAddress!.copyMemory(from: b.baseAddress! + offset, byteCount: dst.count)
        } else {
            try tree.readChain(chain, total: count, offset: offset, into: dst)
        }
    }

    public func bytes() throws(DBError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var err: DBError?
        out.withUnsafeMutableBytes { d in
            do throws(DBError) { try copy(into: d) } catch { err = error }
        }
        if let err { throw err }
        return out
    }

    /// Runs `body` over the bytes, in place when they are on the page.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) throws(DBError) -> R {
        if let b = inline { return body(b) }
        return try bytes().withUnsafeBytes(body)
    }
}

public final class Btree {
    public let store: any PageStore
    public let pageSize: Int
    public let flags: BtreeFlags
    public let minKey: UInt32
    public let root: PageNumber
    /// This tree's meta page: 0, or a named database's meta page.
    public let metaPage: PageNumber
    let keyCompare: BtreeCompare?
    let dupCompare: BtreeCompare?
    /// Largest encoded item (plus its slot): half a page, or less so that
    /// bt_minkey entries fit; larger fields move to overflow chains.
    let maxEntry: Int
    let usable: Int
    var hasDups: Bool { flags.contains(.dup) }
    var sorted: Bool { flags.contains(.dupSort) }
    var tokens: Bool { flags.contains(.dup) && !flags.contains(.dupSort) }
    var recnum: Bool { flags.contains(.recnum) }
    var leafFields: Int { tokens ? 3 : 2 }

    /// The descent a write records (writers hold the latch exclusively, so
    /// one reused buffer suffices; reads never touch it).
    let path: StepPath
    /// Where a write encodes its new leaf item when every field is inline
    /// (the common case), instead of building a [UInt8] per put: pageSize
    /// bytes, more than maxEntry. Owned by the Btree (freed in deinit) and,
    /// like `path`, used only by a writer holding the latch exclusively; an
    /// item encoded here must be in a page (or copied) before the next
    /// encode. See withLeafItem.
    let itemScratch: UnsafeMutableRawBufferPointer
    /// Open cursors of a DB_DUP tree (see CursorRegistry in BtreeCursor.swift).
    let openCursors = CursorRegistry()
    /// Cursors that have held a page (see "Held page" in BtreeCursor.swift).
    let pageHolders = PageHolderRegistry()
    /// Writes applied at a probe's leaf without a descent (LeafHint), for
    /// tests; written by writers holding the latch exclusively.
    private(set) var hintedWrites = 0

    init(store: any PageStore, meta: BtreeMeta, metaPage: PageNumber = 0, options: BtreeOptions) {
        self.store = store
        self.metaPage = metaPage
        self.pageSize = store.pageSize
        self.flags = meta.flags
        self.minKey = meta.minKey
        self.root = meta.root
        self.keyCompare = options.compare
        self.dupCompare = options.dupCompare
        self.usable = pageSize - BtreePage.headerSize
        self.maxEntry = max(min(usable / 2, usable / Int(max(2, meta.minKey))) - 2, 64)
        path = StepPath(capacity: Int(BtreePage.maxLevel) + 1)
        itemScratch = .allocate(byteCount: max(pageSize, 64), alignment: 8)
    }

    deinit {
        path.deallocate()
        itemScratch.deallocate()
    }

    /// Formats a new tree in a fresh store (only page 0, all zero; see
    /// isFresh). A store that already holds anything is EEXIST: the caller
    /// opens it instead (DB_CREATE on an existing file), or truncates first.
    public static func create(store: any PageStore, options: BtreeOptions = BtreeOptions()) throws(DBError) -> Btree {
        let ps = store.pageSize
        guard ps >= 512, ps <= 65536, ps & (ps - 1) == 0 else { throw .invalid("BDB0511 page sizes must be a power-of-2") }
        guard try isFresh(store) else { throw DBError(EEXIST) }
        var flags = options.flags
        if flags.contains(.dupSort) { flags.insert(.dup) }
        if flags.contains(.dup) && flags.contains(.recnum) { throw .illegalFlagCombination("DB->set_flags") }
        guard options.minKey >= 2 else { throw .invalid("BDB1031 minimum bt_minkey value is 2") }
        let metaPtr = try store.pin(0, forWrite: true)
        var meta = BtreeMeta()
        meta.pageSize = UInt32(truncatingIfNeeded: ps)
        meta.flags = flags
        meta.minKey = options.minKey
        // The root: a fresh page (page 1 in a new file), pinned by extend().
        let rootNo: PageNumber
        let rootPtr: UnsafeMutableRawPointer
        do throws(DBError) {
            rootNo = try store.extend()
            rootPtr = try store.pin(rootNo, forWrite: true)
        } catch {
            store.unpin(0, dirty: false)
            throw error
        }
        BtreePage(raw: rootPtr, size: ps, pgno: rootNo).format(.leaf, level: 1)
        store.unpin(rootNo, dirty: true)
        store.unpin(rootNo, dirty: true)
        meta.root = rootNo
        meta.write(metaPtr, pageSize: ps)
        store.unpin(0, dirty: true)
        return Btree(store: store, meta: meta, options: options)
    }

    /// Opens an existing tree; a file that is not a Tern Btree fails with
    /// EINVAL "unexpected file type or format".
    public static func open(store: any PageStore, options: BtreeOptions = BtreeOptions(),
                            name: String? = nil) throws(DBError) -> Btree {
        let ps = store.pageSize
        guard ps >= 512, ps <= 65536, ps & (ps - 1) == 0 else { throw BtreeMeta.notABtree(name) }
        let p = try store.pin(0, forWrite: false)
        defer { store.unpin(0, dirty: false) }
        let meta = try BtreeMeta.read(p, pageSize: ps, lastPage: store.lastPage, name: name)
        return Btree(store: store, meta: meta, options: options)
    }

    // MARK: - Pages

    @inline(__always)
    func node(_ pgno: PageNumber, write: Bool = false) throws(DBError) -> BtreePage {
        guard pgno != 0 else { throw .badPage(pgno) }
        let p = try store.pin(pgno, forWrite: write)
        let page = BtreePage(raw: p, size: pageSize, pgno: pgno)
        do throws(DBError) { try page.validateNode() } catch {
            store.unpin(pgno, dirty: false)
            throw error
        }
        return page
    }

    @inline(__always) func release(_ page: BtreePage, dirty: Bool = false) {
        store.unpin(page.pgno, dirty: dirty)
    }

    /// Runs `body` on page 0's meta, writing it back.
    func updateMeta(_ body: (inout BtreeMeta) throws(DBError) -> Void) throws(DBError) {
        let p = try store.pin(0, forWrite: true)
        do throws(DBError) {
            var m = try BtreeMeta.read(p, pageSize: pageSize, lastPage: store.lastPage, name: nil)
            try body(&m)
            m.write(p, pageSize: pageSize)
        } catch {
            store.unpin(0, dirty: false)
            throw error
        }
        store.unpin(0, dirty: true)
    }

    /// A page for `kind`: from the free list, else a new one. Returned pinned
    /// for write and formatted.
    func allocate(_ kind: PageKind, level: UInt8) throws(DBError) -> BtreePage {
        var reused: PageNumber = 0
        try updateMeta { (m: inout BtreeMeta) throws(DBError) in
            guard m.freeHead != 0 else { return }
            let p = try store.pin(m.freeHead, forWrite: true)
            let page = BtreePage(raw: p, size: pageSize, pgno: m.freeHead)
            guard page.kindByte == PageKind.free.rawValue, page.storedPgno == m.freeHead,
                  page.next <= store.lastPage else {
                store.unpin(m.freeHead, dirty: false)
                throw .badPage(m.freeHead)
            }
            reused = m.freeHead
            m.freeHead = page.next
        }
        let pgno = reused != 0 ? reused : try store.extend()
        // extend() and the free-list pop both leave the page pinned for write.
        let page = BtreePage(raw: try store.pin(pgno, forWrite: true), size: pageSize, pgno: pgno)
        store.unpin(pgno, dirty: true)
        page.format(kind, level: level)
        return page
    }

    /// Puts a page on the free list.
    func freePage(_ pgno: PageNumber) throws(DBError) {
        try updateMeta { (m: inout BtreeMeta) throws(DBError) in
            let p = try store.pin(pgno, forWrite: true)
            let page = BtreePage(raw: p, size: pageSize, pgno: pgno)
            page.format(.free, level: 0)
            page.next = m.freeHead
            m.freeHead = pgno
            store.unpin(pgno, dirty: true)
        }
    }

    // MARK: - Reads

    /// DB->get: the first data item of `key`, handed to `body` in place.
    public func get<R>(_ key: UnsafeRawBufferPointer,
                       _ body: (BtreeValue) throws(DBError) -> R) throws(DBError) -> R {
        guard let (page, i) = try seek(Probe(key: key)) else { throw DBError(DB_NOTFOUND) }
        defer { release(page) }
        let p = try page.parse(i)
        guard try keyEquals(page, p, key) else { throw DBError(DB_NOTFOUND) }
        return try body(try value(page, p.f1))
    }

    public func get(_ key: [UInt8]) throws(DBError) -> [UInt8] {
        try withBuffer(key) { (k) throws(DBError) in try get(k) { (v) throws(DBError) in try v.bytes() } }
    }

    /// DB_GET_BOTH without a cursor: whether (key, data) is present.
    public func contains(key: [UInt8], data: [UInt8]) throws(DBError) -> Bool {
        let c = cursor()
        do throws(DBError) {
            _ = try c.get(.getBoth, key: key, data: data)
            return true
        } catch where error.code == DB_NOTFOUND {
            return false
        }
    }

    public func cursor() -> BtreeCursor { BtreeCursor(tree: self) }

    /// Drops every cursor's held page, before the handle's file closes (a
    /// cursor still open then reads its pages afresh, as after any change).
    func releaseHeldPages() {
        pageHolders.releaseAll()
    }

    // MARK: - Writes (the caller holds the tree latch exclusively)

    /// DB->put. Plain trees overwrite; DB_DUP appends a duplicate; DB_DUPSORT
    /// inserts in order and refuses an existing pair (DB_KEYEXIST).
    public func put(key: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer,
                    flags: BtreePutFlags = []) throws(DBError) {
        if flags.contains(.noDupData) && !sorted { throw .illegalFlag("DB->put") }
        if flags.contains(.noOverwrite) {
            if let (page, i) = try seek(Probe(key: key)) {
                let eq: Bool
                do throws(DBError) { eq = try keyEquals(page, page.parse(i), key) } catch { release(page); throw error }
                release(page)
                if eq { throw DBError(DB_KEYEXIST) }
            }
        }
        if sorted {
            let probe = Probe(key: key, mode: .value, sec: data)
            if try exists(probe) {
                throw DBError(DB_KEYEXIST, flags.contains(.noDupData) ? nil
                              : "BDB0696 Duplicate data items are not supported with sorted data")
            }
            try insertEntry(key: key, data: data, token: nil, probe: probe)
        } else if tokens {
            let token = try tokenForEnd(key: key, last: true)
            try withBuffer(token) { (t) throws(DBError) in
                try insertEntry(key: key, data: data, token: t, probe: Probe(key: key, mode: .value, sec: t))
            }
        } else {
            try upsert(key: key, data: data)
        }
    }

    public func put(_ key: [UInt8], _ data: [UInt8], flags: BtreePutFlags = []) throws(DBError) {
        try withBuffer(key) { (k) throws(DBError) in
            try withBuffer(data) { (d) throws(DBError) in try put(key: k, data: d, flags: flags) }
        }
    }

    /// DB->del: removes `key` and all its duplicates; DB_NOTFOUND if absent.
    public func delete(key: UnsafeRawBufferPointer) throws(DBError) {
        var removed = 0
        while true {
            guard let sec = try firstSecondary(of: key) else { break }
            try withBuffer(sec) { (s) throws(DBError) in
                try removeExact(Probe(key: key, mode: hasDups ? .value : .minus, sec: s))
            }
            removed += 1
        }
        if removed == 0 { throw DBError(DB_NOTFOUND) }
    }

    public func delete(_ key: [UInt8]) throws(DBError) {
        try withBuffer(key) { (k) throws(DBError) in try delete(key: k) }
    }

    /// The secondary of `key`'s first entry (empty for plain trees), or nil.
    func firstSecondary(of key: UnsafeRawBufferPointer) throws(DBError) -> [UInt8]? {
        guard let (page, i) = try seek(Probe(key: key)) else { return nil }
        defer { release(page) }
        let p = try page.parse(i)
        guard try keyEquals(page, p, key) else { return nil }
        guard let s = leafSec(p) else { return [] }
        return try fieldArray(page, s)
    }

    func exists(_ probe: Probe) throws(DBError) -> Bool {
        guard let (page, i) = try seek(probe) else { return false }
        defer { release(page) }
        return try compareExact(probe, page, page.parse(i))
    }

    /// Whether leaf entry `p` is exactly the entry `probe` names.
    func compareExact(_ probe: Probe, _ page: BtreePage, _ p: ParsedItem) throws(DBError) -> Bool {
        guard try keyEquals(page, p, probe.key) else { return false }
        guard probe.mode == .value, let s = leafSec(p) else { return probe.mode == .minus || !hasDups }
        return try withField(page, s) { cmpSecs(probe.sec, $0) } == 0
    }

    /// Token for a new first (or last) duplicate of `key`: before (after)
    /// every entry of the key and every deleted position a cursor still
    /// holds, since libdb puts it before (after) those slots too.
    func tokenForEnd(key: UnsafeRawBufferPointer, last: Bool) throws(DBError) -> [UInt8] {
        var edge: [UInt8]? = nil
        let found = last ? try seekBefore(Probe(key: key, mode: .plus)) : try seek(Probe(key: key))
        if let (page, i) = found {
            defer { release(page) }
            let p = try page.parse(i)
            if try keyEquals(page, p, key) { edge = try fieldArray(page, p.f2) }
        }
        for t in heldTokens(key) {
            if let e = edge, last ? lexLess(t, e) || t == e : lexLess(e, t) || t == e { continue }
            edge = t
        }
        guard let edge else { return DupToken.initial }
        return try withBuffer(edge) { (t) throws(DBError) in last ? try DupToken.after(t) : try DupToken.before(t) }
    }

    /// Plain tree put: replace the entry for `key`, or insert it.
    ///
    /// One descent, one pin of the leaf: findLeaf pins it for write, the
    /// search and the change happen under that pin (insertAt/replaceAt take
    /// it over), and the new item is encoded into itemScratch, so an
    /// in-cache put that fits its leaf allocates nothing.
    func upsert(key: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer) throws(DBError) {
        _ = try upsert(key: key, data: data, capturing: false)
    }

    /// `upsert` that returns the data it replaced (nil: the key was new),
    /// read in the same descent: the before-image of a logged put.
    func upsert(key: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer,
                capturing: Bool, hint: LeafHint? = nil) throws(DBError) -> [UInt8]? {
        let probe = Probe(key: key)
        let page: BtreePage
        if let hint, let leaf = try hintedLeaf(hint, key: key, data: data) {
            page = leaf
        } else {
            page = try findLeaf(probe, record: true, writeLeaf: true)
        }
        let i: Int
        let exact: Bool
        var stored: [UInt8]? = nil
        var old: [UInt8]? = nil
        do throws(DBError) {
            i = try lowerBound(page, probe)
            if i < page.count { exact = try keyEquals(page, page.parse(i), key) } else { exact = false }
            if exact && capturing { old = try fieldArray(page, page.parse(i).f1) }
            // An overwrite keeps the stored key, as libdb replaces only the
            // data: under a custom comparator the caller's equal key may be
            // spelled differently.
            if exact && keyCompare != nil { stored = try fieldArray(page, page.parse(i).f0) }
        } catch { release(page); throw error }
        path[path.count - 1].index = i
        if let stored {
            try withBuffer(stored) { (k) throws(DBError) in
                try writeEntry(key: k, data: data, token: nil, replace: exact, pinned: page)
            }
        } else {
            try writeEntry(key: key, data: data, token: nil, replace: exact, pinned: page)
        }
        return old
    }

    /// The hinted leaf, pinned for write with the path set to it alone, when
    /// it is unchanged since the probe (so `key` belongs there: LeafHint)
    /// and the entry fits in it without overflow pages, counts to update or
    /// a split (which would need the ancestors); else nil (descend).
    private func hintedLeaf(_ hint: LeafHint, key: UnsafeRawBufferPointer,
                            data: UnsafeRawBufferPointer) throws(DBError) -> BtreePage? {
        if recnum || hasDups { return nil }
        let size = ItemLayout.leafHeader + 2 * ItemLayout.inlineFieldHeader + key.count + data.count
        guard size <= maxEntry, let page = try pinIfUnchanged(hint.pgno, gen: hint.gen, forWrite: true) else { return nil }
        guard page.fits(size) else { release(page); return nil }
        hintedWrites += 1
        path.removeAll()
        path.append(Step(pgno: page.pgno, index: 0))
        return page
    }

    /// Inserts a new entry, which `probe` names exactly (it must be absent).
    func insertEntry(key: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer,
                     token: UnsafeRawBufferPointer?, probe: Probe) throws(DBError) {
        let page = try findLeaf(probe, record: true, writeLeaf: true)
        let i: Int
        do throws(DBError) { i = try lowerBound(page, probe) } catch { release(page); throw error }
        path[path.count - 1].index = i
        try writeEntry(key: key, data: data, token: token, replace: false, pinned: page)
    }

    /// Replaces the data of the entry `probe` names exactly (keeping its key
    /// and token); DB_NOTFOUND if it is gone.
    func replaceData(_ probe: Probe, data: UnsafeRawBufferPointer) throws(DBError) {
        let page = try findLeaf(probe, record: true, writeLeaf: true)
        let i: Int
        var token: [UInt8]? = nil
        var stored: [UInt8]? = nil
        do throws(DBError) {
            i = try lowerBound(page, probe)
            guard i < page.count, try compareExact(probe, page, page.parse(i)) else { throw DBError(DB_NOTFOUND) }
            if tokens { token = try fieldArray(page, page.parse(i).f2) }
            // The stored key stays (see upsert).
            if keyCompare != nil { stored = try fieldArray(page, page.parse(i).f0) }
        } catch { release(page); throw error }
        path[path.count - 1].index = i
        // Copies (token, stored key) were taken above: the page changes below.
        try withBuffer(stored ?? []) { (sk) throws(DBError) in
            let key = stored == nil ? probe.key : sk
            try withBuffer(token ?? []) { (t) throws(DBError) in
                try writeEntry(key: key, data: data, token: token == nil ? nil : t, replace: true, pinned: page)
            }
        }
    }

    /// Removes the entry `probe` names exactly; DB_NOTFOUND if absent.
    func removeExact(_ probe: Probe) throws(DBError) {
        let page = try findLeaf(probe, record: true)
        let i: Int
        do throws(DBError) {
            i = try lowerBound(page, probe)
            guard i < page.count, try compareExact(probe, page, page.parse(i)) else { throw DBError(DB_NOTFOUND) }
        } catch { release(page); throw error }
        release(page)
        path[path.count - 1].index = i
        try removeAt()
        if tokens { markRemoved(probe) }
    }
}

/// Runs `body` over an array's bytes with typed throws.
@inline(__always)
func withBuffer<R>(_ a: [UInt8], _ body: (UnsafeRawBufferPointer) throws(DBError) -> R) throws(DBError) -> R {
    let r: Result<R, DBError> = a.withUnsafeBytes { b in
        do throws(DBError) { return .success(try body(b)) } catch { return .failure(error) }
    }
    return try r.get()
}

/// `withBuffer` for an optional array (nil stays nil).
func withOptionalBuffer<R>(_ a: [UInt8]?, _ body: (UnsafeRawBufferPointer?) throws(DBError) -> R) throws(DBError) -> R {
    guard let a else { return try body(nil) }
    return try withBuffer(a) { (b) throws(DBError) in try body(b) }
}

extension BtreeGetOp {
    /// Whether running out of items means the end of the tree was reached
    /// (the gap a next-key lock must cover).
    var runsForward: Bool {
        switch self {
        case .first, .last, .next, .nextNoDup, .setRange: return true
        default: return false
        }
    }
}
