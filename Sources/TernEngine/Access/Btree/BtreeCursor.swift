// BtreeCursor: a position in a Btree that survives other writers.
//
// A cursor remembers its logical position — the entry's key and secondary
// (data for DB_DUPSORT, order token for DB_DUP) and whether it deleted that
// entry — plus a hint: the page, slot and page generation where it last saw
// it. When the page's generation is unchanged the hint is used as is; when
// anything changed the page (a put, a delete, a split, a free) the cursor
// re-finds its entry by searching for its logical position. An entry that
// is no longer there reads as deleted (DB_KEYEMPTY for DB_CURRENT), whoever
// deleted it, and DB_NEXT/DB_PREV continue from where it was, as libdb's
// cursors do over a deleted slot.
//
// A deleted position comes back to life when its exact entry is written
// again (the same key in a plain tree, the same key/data pair with sorted
// duplicates): libdb keeps a deleted item on its page while a cursor refers
// to it, a put of that entry reuses the slot and clears every cursor's
// deleted flag (__bam_iitem's __bam_ca_delete(.., 0)). A cursor's deleted
// unsorted duplicate never revives: libdb puts new ones in new slots.
//
// A failed operation (DB_NOTFOUND, an error from the caller's closure such
// as DB_BUFFER_SMALL, ...) leaves the position unchanged.
//
// Held page: a cursor made with `holdsPage` (an application's DBC) keeps
// the leaf it last landed on pinned between calls, as libdb's cursors keep
// their page, so that DB_NEXT/DB_PREV on the same page pin nothing. The pin
// only keeps the frame in the cache; the page is read under the tree latch
// like any other and trusted only while its generation is the one the
// cursor saw (it was validated when pinned, and any change bumps the
// generation). The pin goes when the cursor lands elsewhere, in deinit, and
// at the handle's close (Btree.releaseHeldPages), so no file is closed
// under a held pin.
// Locking rule: the caller holds the tree latch for each call (shared for
// get/count, exclusive for put/del); a cursor is used by one thread at a time.
//
// Exclusivity: stored properties marked @exclusivity(unchecked) are read on
// every call. None is passed inout, or mutated in place while a closure or
// callee could reach it again, so Swift's dynamic exclusivity check on them
// could never fire; it would only cost a runtime call per access.
import CBerkeleyDB

public enum BtreeGetOp: Sendable, Equatable {
    case first, last, next, prev, nextDup, nextNoDup, prevDup, prevNoDup
    case current, set, setRange, getBoth, getBothRange
    case setRecno(UInt32)
}

public enum BtreePutOp: Sendable, Equatable {
    case keyFirst, keyLast, current, before, after, noDupData
    /// DB_OVERWRITE_DUP: as DB_KEYLAST, except that with sorted duplicates an
    /// equal pair is replaced by the new data instead of DB_KEYEXIST.
    case overwriteDup
}

public final class BtreeCursor {
    public let tree: Btree
    enum State { case unset, onItem, deleted }
    @exclusivity(unchecked) var state = State.unset
    // Hint: where the entry was last seen.
    @exclusivity(unchecked) var pgno: PageNumber = 0
    @exclusivity(unchecked) var slot = 0
    @exclusivity(unchecked) var gen: UInt64 = 0
    // Logical position: the key, in memory this cursor owns and reuses from
    // step to step (`keyCount` bytes at `keyBase`, `keyCapacity` allocated),
    // so that DB_NEXT/DB_PREV copy it with one memcpy instead of building an
    // array; and the secondary (empty in a tree without duplicates).
    // Invariant: `keyBase` changes only in `setKey`, and no caller holds
    // `keyBytes` across a call that may adopt a new position.
    @exclusivity(unchecked) private var keyBase: UnsafeMutableRawPointer? = nil
    @exclusivity(unchecked) private var keyCount = 0
    @exclusivity(unchecked) private var keyCapacity = 0
    @exclusivity(unchecked) var sec: [UInt8] = []
    /// The held page (see the file comment): pinned once by this cursor
    /// while non-nil. Only `hold`, `releaseHeldPage` and deinit change it.
    @exclusivity(unchecked) private var heldRaw: UnsafeMutableRawPointer? = nil
    @exclusivity(unchecked) private var heldPgno: PageNumber = 0
    @exclusivity(unchecked) private var registeredHolder = false
    /// Whether landing keeps the page pinned (set once, before first use).
    @exclusivity(unchecked) var holdsPage = false

    init(tree: Btree) {
        self.tree = tree
        if tree.tokens { tree.openCursors.add(self) }
    }

    deinit {
        releaseHeldPage()
        if registeredHolder { tree.pageHolders.remove(self) }
        keyBase?.deallocate()
    }

    /// Drops the held page's pin, if any.
    func releaseHeldPage() {
        guard heldRaw != nil else { return }
        heldRaw = nil
        tree.store.unpin(heldPgno, dirty: false)
    }

    /// Keeps `page`, which the caller pinned, as the held page (its pin
    /// becomes the cursor's), releasing the one held before.
    private func hold(_ page: BtreePage) {
        if !registeredHolder {
            registeredHolder = true
            tree.pageHolders.add(self)
        }
        if heldRaw != nil { tree.store.unpin(heldPgno, dirty: false) }
        heldRaw = page.raw
        heldPgno = page.pgno
    }

    /// The key of the logical position, in place (see the invariant above).
    var keyBytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: keyBase, count: keyCount) }

    /// A copy of the key of the logical position.
    var key: [UInt8] {
        get { Array(keyBytes) }
        set { newValue.withUnsafeBytes { setKey($0) } }
    }

    /// Makes `bytes` the key (copied; `bytes` may be anywhere but in this
    /// cursor's own key memory when that must grow, which only `key`'s
    /// setter could pass, and it passes a fresh array).
    func setKey(_ bytes: UnsafeRawBufferPointer) {
        let n = bytes.count
        if n > keyCapacity {
            let cap = max(n, 64)
            let grown = UnsafeMutableRawPointer.allocate(byteCount: cap, alignment: 1)
            keyBase?.deallocate()
            keyBase = grown
            keyCapacity = cap
        }
        if n > 0, let src = bytes.baseAddress, let dst = keyBase { dst.copyMemory(from: src, byteCount: n) }
        keyCount = n
    }

    /// DBC->dup with DB_POSITION: a new cursor at the same place.
    public func duplicate() -> BtreeCursor {
        let c = BtreeCursor(tree: tree)
        c.state = state; c.pgno = pgno; c.slot = slot; c.gen = gen; c.setKey(keyBytes); c.sec = sec
        return c
    }

    /// Takes `other`'s position (a transaction's cursor re-reads from where
    /// it was after waiting for a lock).
    func restore(from other: BtreeCursor) {
        state = other.state; pgno = other.pgno; slot = other.slot; gen = other.gen
        setKey(other.keyBytes); sec = other.sec
    }

    public var isInitialized: Bool { state != .unset }
    /// The cursor deleted its entry (DB_CURRENT would give DB_KEYEMPTY).
    public var isDeleted: Bool { state == .deleted }

    static func invalidPosition() -> DBError {
        .invalid("BDB0631 Cursor position must be set before performing this operation")
    }

    // MARK: Positioning helpers

    /// Runs `body` with the probe for the logical position.
    func withLogical<R>(_ mode: Probe.Sec? = nil, _ body: (Probe) throws(DBError) -> R) throws(DBError) -> R {
        let m = mode ?? (tree.hasDups ? .value : .minus)
        let k = keyBytes
        let r: Result<R, DBError> = sec.withUnsafeBytes { s in
            do throws(DBError) { return .success(try body(Probe(key: k, mode: m, sec: s))) } catch { return .failure(error) }
        }
        return try r.get()
    }

    /// The current entry, pinned, when it exists (nil otherwise). A deleted
    /// position whose exact entry was written again is live once more (see
    /// the file comment), so this also moves `.deleted` back to `.onItem`.
    func pinCurrent() throws(DBError) -> (BtreePage, Int)? {
        guard state != .unset else { return nil }
        // libdb never puts a new unsorted duplicate into a deleted slot, and
        // a token may be handed out again once its entry is gone.
        if state == .deleted && tree.tokens { return nil }
        if state == .onItem, let page = try tree.pinIfUnchanged(pgno, gen: gen), slot < page.count {
            return (page, slot)
        }
        let found = try withLogical { (p) throws(DBError) -> (BtreePage, Int)? in
            guard let (page, i) = try tree.seek(p) else { return nil }
            do throws(DBError) {
                if try tree.compareExact(p, page, page.parse(i)) { return (page, i) }
            } catch { tree.release(page); throw error }
            tree.release(page)
            return nil
        }
        if let (page, i) = found {
            state = .onItem
            pgno = page.pgno; slot = i; gen = page.gen
        }
        return found
    }

    /// The first entry after the logical position.
    func after() throws(DBError) -> (BtreePage, Int)? {
        if let (page, i) = try pinCurrent() { return try tree.settle(page, i + 1, forward: true) }
        return try withLogical { (p) throws(DBError) -> (BtreePage, Int)? in
            guard let (page, i) = try tree.seek(p) else { return nil }
            let exact: Bool
            do throws(DBError) { exact = try tree.compareExact(p, page, page.parse(i)) } catch { tree.release(page); throw error }
            return exact ? try tree.settle(page, i + 1, forward: true) : (page, i)
        }
    }

    /// The last entry before the logical position.
    func before() throws(DBError) -> (BtreePage, Int)? {
        if let (page, i) = try pinCurrent() { return try tree.settle(page, i - 1, forward: false) }
        return try withLogical { (p) throws(DBError) in try tree.seekBefore(p) }
    }

    /// Keeps `found` only if its key is the cursor's key.
    func sameKey(_ found: (BtreePage, Int)?) throws(DBError) -> (BtreePage, Int)? {
        guard let (page, i) = found else { return nil }
        let eq: Bool
        do throws(DBError) {
            eq = try tree.keyEquals(page, page.parse(i), keyBytes)
        } catch { tree.release(page); throw error }
        if eq { return (page, i) }
        tree.release(page)
        return nil
    }

    /// Makes (page, i), whose parsed item is `p`, the cursor's position (the
    /// page stays pinned).
    func adopt(_ page: BtreePage, _ i: Int, _ p: ParsedItem) throws(DBError) {
        // In a tree without duplicates no entry has a secondary and `sec`
        // stays empty (only entries' secondaries are ever stored in it), so
        // there is nothing to clear: reading it would cost an exclusivity
        // check per step.
        // An overflow key is read before anything changes, so that a failed
        // read leaves the old position whole.
        let chainKey = p.f0.isOverflow ? try tree.fieldArray(page, p.f0) : nil
        if let s = tree.leafSec(p) { try copyField(page, s, into: &sec) }
        if let chainKey { chainKey.withUnsafeBytes { setKey($0) } } else { setKey(page.bytes(p.f0)) }
        pgno = page.pgno
        slot = i
        gen = page.gen
        state = .onItem
    }

    func copyField(_ page: BtreePage, _ f: Field, into a: inout [UInt8]) throws(DBError) {
        a.removeAll(keepingCapacity: true)
        if !f.isOverflow {
            a.append(contentsOf: page.bytes(f))
            return
        }
        try tree.checkChain(f, page)
        a.append(contentsOf: repeatElement(0, count: f.length))
        var err: DBError?
        a.withUnsafeMutableBytes { d in
            do throws(DBError) { try tree.readChain(f.pgno, total: f.length, offset: 0, into: d) } catch { err = error }
        }
        if let err { throw err }
    }

    /// Hands `found`'s key and data to `body`, then adopts it; DB_NOTFOUND if
    /// nil. `body` runs first so that its failure (DB_BUFFER_SMALL, ENOMEM)
    /// leaves the cursor where it was, as libdb's get on a copy of the cursor.
    func land<R>(_ found: (BtreePage, Int)?,
                 _ body: (BtreeValue, BtreeValue) throws(DBError) -> R) throws(DBError) -> R {
        guard let (page, i) = found else { throw DBError(DB_NOTFOUND) }
        let p: ParsedItem
        do throws(DBError) { p = try page.parse(i) } catch { tree.release(page); throw error }
        return try landParsed(page, i, p, body)
    }

    /// DB_NEXT/DB_PREV's common case: the hint still names the cursor's
    /// entry (its page's generation is unchanged, so no item on it moved)
    /// and the neighbour is on the same page. Returns that neighbour pinned
    /// and parsed, for `landParsed` — one pin and one parse per step. nil,
    /// with nothing pinned, when the general path must decide (a deleted
    /// position, a changed page, a page edge); for an on-item position with
    /// a valid hint that path reaches the same slot (`pinCurrent` keeps the
    /// hint and `settle` stays on the page), so the two agree.
    /// (Not generic over the caller's result, so that no Optional<R>
    /// metadata is looked up per step in unspecialised code; inlined so
    /// that the parsed item is not copied out through an Optional.)
    /// On the held page, the step pins nothing: the page returned is the
    /// held one, and `landParsed` is told so (`borrowed`).
    @inline(__always)
    func stepOnPage(forward: Bool) throws(DBError) -> (BtreePage, Int, ParsedItem, borrowed: Bool)? {
        guard state == .onItem else { return nil }
        let page: BtreePage
        let borrowed: Bool
        if let raw = heldRaw, heldPgno == pgno {
            page = BtreePage(raw: raw, size: tree.pageSize, pgno: pgno)
            guard page.isLeaf, page.storedPgno == pgno, page.gen == gen else { return nil }
            borrowed = true
        } else {
            guard let pinned = try tree.pinIfUnchanged(pgno, gen: gen) else { return nil }
            page = pinned
            borrowed = false
        }
        let n = page.count
        let i = forward ? slot + 1 : slot - 1
        guard slot < n, i >= 0, i < n else { if !borrowed { tree.release(page) }; return nil }
        do throws(DBError) { return (page, i, try page.parse(i), borrowed) } catch {
            if !borrowed { tree.release(page) }
            throw error
        }
    }

    /// `land` for an entry already pinned (or, `borrowed`, on the held
    /// page) and parsed. A cursor that holds pages keeps this one.
    @inline(__always)
    func landParsed<R>(_ page: BtreePage, _ i: Int, _ p: ParsedItem, borrowed: Bool = false,
                       _ body: (BtreeValue, BtreeValue) throws(DBError) -> R) throws(DBError) -> R {
        let r: R
        do throws(DBError) {
            r = try body(try tree.value(page, p.f0), try tree.value(page, p.f1))
            try adopt(page, i, p)
        } catch {
            if !borrowed { tree.release(page) }
            throw error
        }
        if !borrowed {
            if holdsPage { hold(page) } else { tree.release(page) }
        }
        return r
    }

    // MARK: Get

    /// DBC->get. `key`/`data` are the search arguments of DB_SET, DB_SET_RANGE,
    /// DB_GET_BOTH and DB_GET_BOTH_RANGE; `body` receives the entry in place.
    public func get<R>(_ op: BtreeGetOp, key k: UnsafeRawBufferPointer? = nil, data d: UnsafeRawBufferPointer? = nil,
                       _ body: (BtreeValue, BtreeValue) throws(DBError) -> R) throws(DBError) -> R {
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        switch op {
        case .first:
            return try land(tree.settle(try tree.edgeLeaf(last: false), 0, forward: true), body)
        case .last:
            let leaf = try tree.edgeLeaf(last: true)
            return try land(tree.settle(leaf, leaf.count - 1, forward: false), body)
        case .next:
            if state == .unset { return try get(.first, body) }
            if let (page, i, p, b) = try stepOnPage(forward: true) { return try landParsed(page, i, p, borrowed: b, body) }
            return try land(after(), body)
        case .prev:
            if state == .unset { return try get(.last, body) }
            if let (page, i, p, b) = try stepOnPage(forward: false) { return try landParsed(page, i, p, borrowed: b, body) }
            return try land(before(), body)
        case .nextDup:
            guard state != .unset else { throw BtreeCursor.invalidPosition() }
            return try land(sameKey(after()), body)
        case .prevDup:
            guard state != .unset else { throw BtreeCursor.invalidPosition() }
            return try land(sameKey(before()), body)
        case .nextNoDup:
            if state == .unset { return try get(.first, body) }
            return try land(withLogical(.plus) { (p) throws(DBError) in try tree.seek(p) }, body)
        case .prevNoDup:
            if state == .unset { return try get(.last, body) }
            return try land(withLogical(.minus) { (p) throws(DBError) in try tree.seekBefore(p) }, body)
        case .current:
            guard state != .unset else { throw BtreeCursor.invalidPosition() }
            guard let found = try pinCurrent() else { throw DBError(DB_KEYEMPTY) }
            return try land(found, body)
        case .set, .setRange:
            let probe = Probe(key: k ?? empty)
            guard let (page, i) = try tree.seek(probe) else { throw DBError(DB_NOTFOUND) }
            if op == .set {
                let eq: Bool
                do throws(DBError) { eq = try tree.keyEquals(page, page.parse(i), probe.key) } catch { tree.release(page); throw error }
                guard eq else { tree.release(page); throw DBError(DB_NOTFOUND) }
            }
            return try land((page, i), body)
        case .getBoth, .getBothRange:
            return try land(findBoth(k ?? empty, d ?? empty, range: op == .getBothRange), body)
        case .setRecno(let r):
            guard tree.recnum else { throw .illegalFlag("DBcursor->get") }
            guard r > 0 else { throw .invalid("BDB1002 illegal record number of 0") }
            return try land(tree.entry(recno: r), body)
        }
    }

    /// DB_GET_BOTHC (libdb's __bam_getbothc on on-page duplicates): the
    /// first entry after the current one, among the current key's
    /// duplicates, whose data equals `d` — under the duplicate comparison
    /// in a sorted set, byte for byte otherwise. DB_NOTFOUND once past the
    /// key's duplicates, the cursor staying where it was.
    public func getBothNext<R>(data d: UnsafeRawBufferPointer,
                               _ body: (BtreeValue, BtreeValue) throws(DBError) -> R) throws(DBError) -> R {
        // libdb reads whatever page an unset cursor names; Tern refuses.
        guard state != .unset else { throw BtreeCursor.invalidPosition() }
        var found = try sameKey(after())
        while let (page, i) = found {
            let hit: Bool
            do throws(DBError) {
                let p = try page.parse(i)
                hit = try tree.withField(page, p.f1) { tree.cmpSecs(d, $0) } == 0
            } catch { tree.release(page); throw error }
            if hit { return try land((page, i), body) }
            found = try sameKey(tree.settle(page, i + 1, forward: true))
        }
        throw DBError(DB_NOTFOUND)
    }

    /// DB_GET_BOTH(_RANGE): the pair, or with `range` in a sorted set the
    /// first duplicate >= data.
    func findBoth(_ k: UnsafeRawBufferPointer, _ d: UnsafeRawBufferPointer, range: Bool) throws(DBError) -> (BtreePage, Int)? {
        if tree.sorted {
            let probe = Probe(key: k, mode: .value, sec: d)
            guard let (page, i) = try tree.seek(probe) else { return nil }
            let ok: Bool
            do throws(DBError) {
                let p = try page.parse(i)
                ok = try range ? tree.keyEquals(page, p, k) : tree.compareExact(probe, page, p)
            } catch { tree.release(page); throw error }
            if ok { return (page, i) }
            tree.release(page)
            return nil
        }
        // Unsorted or no duplicates: scan the key's entries for equal data.
        guard var (page, i) = try tree.seek(Probe(key: k)) else { return nil }
        while true {
            let hit: Bool
            do throws(DBError) {
                let p = try page.parse(i)
                guard try tree.keyEquals(page, p, k) else { tree.release(page); return nil }
                hit = try tree.withField(page, p.f1) { defaultCompare(d, $0) } == 0
            } catch { tree.release(page); throw error }
            if hit { return (page, i) }
            guard let nx = try tree.settle(page, i + 1, forward: true) else { return nil }
            (page, i) = nx
        }
    }

    /// Convenience: copies of the key and data.
    @discardableResult
    public func get(_ op: BtreeGetOp, key: [UInt8]? = nil, data: [UInt8]? = nil) throws(DBError) -> (key: [UInt8], data: [UInt8]) {
        let k = key ?? [], d = data ?? []
        return try withBuffer(k) { (kb) throws(DBError) in
            try withBuffer(d) { (db) throws(DBError) in
                try get(op, key: key == nil ? nil : kb, data: data == nil ? nil : db) { (kv, dv) throws(DBError) in
                    (try kv.bytes(), try dv.bytes())
                }
            }
        }
    }

    /// DB_GET_RECNO: the current entry's record number (DB_RECNUM trees).
    /// A deleted entry has none: DB_NOTFOUND, as libdb's __bamc_rget, whose
    /// search for the deleted key fails.
    public func recordNumber() throws(DBError) -> UInt32 {
        guard tree.recnum else { throw .illegalFlag("DBcursor->get") }
        guard state != .unset else { throw BtreeCursor.invalidPosition() }
        guard let (page, _) = try pinCurrent() else { throw DBError(DB_NOTFOUND) }
        tree.release(page)
        return try withLogical { (p) throws(DBError) in try tree.recordNumber(p) }
    }

    /// DBC->count: entries with the current key.
    public func count() throws(DBError) -> Int {
        guard state != .unset else { throw BtreeCursor.invalidPosition() }
        guard var (page, i) = try withLogical(.minus, { (p) throws(DBError) in try tree.seek(p) }) else { return 0 }
        var n = 0
        while true {
            let eq: Bool
            do throws(DBError) {
                eq = try tree.keyEquals(page, page.parse(i), keyBytes)
            } catch { tree.release(page); throw error }
            guard eq else { tree.release(page); return n }
            n += 1
            guard let nx = try tree.settle(page, i + 1, forward: true) else { return n }
            (page, i) = nx
        }
    }

    // MARK: Put and delete

    /// DBC->put. The cursor ends on the entry written.
    public func put(key k: UnsafeRawBufferPointer?, data d: UnsafeRawBufferPointer, _ op: BtreePutOp) throws(DBError) {
        switch op {
        case .keyFirst, .keyLast, .noDupData, .overwriteDup:
            let k = k ?? UnsafeRawBufferPointer(start: nil, count: 0)
            if tree.sorted {
                let probe = Probe(key: k, mode: .value, sec: d)
                if try tree.exists(probe) {
                    guard op == .overwriteDup else {
                        throw DBError(DB_KEYEXIST, op == .noDupData ? nil
                                      : "BDB0696 Duplicate data items are not supported with sorted data")
                    }
                    // libdb's iiop DB_CURRENT on the equal duplicate: the new
                    // bytes replace it (they differ only under a custom
                    // duplicate comparator).
                    try tree.replaceData(probe, data: d)
                } else {
                    try tree.insertEntry(key: k, data: d, token: nil, probe: probe)
                }
                try reposition(probe)
            } else if tree.tokens {
                guard op != .noDupData else { throw .illegalFlag("DBcursor->put") }
                // DB_OVERWRITE_DUP appends like DB_KEYLAST (__bamc_put).
                let t = try tree.tokenForEnd(key: k, last: op != .keyFirst)
                try withBuffer(t) { (tb) throws(DBError) in
                    let probe = Probe(key: k, mode: .value, sec: tb)
                    try tree.insertEntry(key: k, data: d, token: tb, probe: probe)
                    try reposition(probe)
                }
            } else {
                guard op != .noDupData else { throw .illegalFlag("DBcursor->put") }
                try tree.upsert(key: k, data: d)
                try reposition(Probe(key: k))
            }
        case .current:
            guard state != .unset else { throw BtreeCursor.invalidPosition() }
            guard let (page, _) = try pinCurrent() else { throw DBError(DB_NOTFOUND) }
            tree.release(page)
            if tree.sorted {
                let c = sec.withUnsafeBytes { tree.cmpSecs(d, $0) }
                if c != 0 { throw .invalid("BDB1004 Existing data sorts differently from put data") }
            }
            try withLogical { (p) throws(DBError) in try tree.replaceData(p, data: d) }
            if tree.sorted {
                // The data is the secondary: follow the new bytes.
                sec.removeAll(keepingCapacity: true)
                sec.append(contentsOf: d)
            }
            let k = key
            try withBuffer(k) { (kb) throws(DBError) in
                try withBuffer(sec) { (sb) throws(DBError) in
                    try reposition(Probe(key: kb, mode: tree.hasDups ? .value : .minus, sec: sb))
                }
            }
        case .before, .after:
            guard tree.tokens else { throw .illegalFlag("DBcursor->put") }
            guard state != .unset else { throw BtreeCursor.invalidPosition() }
            let neighbour = op == .after ? try sameKey(after()) : try sameKey(before())
            var other: [UInt8]? = nil
            if let (page, i) = neighbour {
                do throws(DBError) { other = try tree.fieldArray(page, try page.parse(i).f2) } catch {
                    tree.release(page)
                    throw error
                }
                tree.release(page)
            }
            // libdb inserts right next to this cursor's slot: deleted slots
            // other cursors hold on that side stay beyond the new entry.
            for h in tree.heldTokens(keyBytes) where h != sec {
                if op == .after ? lexLess(sec, h) && (other.map { lexLess(h, $0) } ?? true)
                               : lexLess(h, sec) && (other.map { lexLess($0, h) } ?? true) {
                    other = h
                }
            }
            var t: [UInt8]
            if let other {
                t = try withBuffer(sec) { (mine) throws(DBError) in
                    try withBuffer(other) { (o) throws(DBError) in
                        op == .after ? try DupToken.between(mine, o) : try DupToken.between(o, mine)
                    }
                }
            } else {
                t = try withBuffer(sec) { (mine) throws(DBError) in
                    op == .after ? try DupToken.after(mine) : try DupToken.before(mine)
                }
            }
            let k = key
            try withBuffer(k) { (kb) throws(DBError) in
                try withBuffer(t) { (tb) throws(DBError) in
                    let probe = Probe(key: kb, mode: .value, sec: tb)
                    try tree.insertEntry(key: kb, data: d, token: tb, probe: probe)
                    try reposition(probe)
                }
            }
        }
    }

    public func put(key: [UInt8]?, data: [UInt8], _ op: BtreePutOp) throws(DBError) {
        try withBuffer(key ?? []) { (kb) throws(DBError) in
            try withBuffer(data) { (db) throws(DBError) in try put(key: key == nil ? nil : kb, data: db, op) }
        }
    }

    /// Moves the cursor onto the entry `probe` names exactly.
    func reposition(_ probe: Probe) throws(DBError) {
        guard let (page, i) = try tree.seek(probe) else { throw DBError.badPage(0) }
        defer { tree.release(page) }
        try adopt(page, i, try page.parse(i))
    }

    /// DBC->del: deletes the current entry; the cursor stays on its place.
    public func delete() throws(DBError) {
        guard state != .unset else { throw BtreeCursor.invalidPosition() }
        guard let (page, _) = try pinCurrent() else {
            state = .deleted
            throw DBError(DB_KEYEMPTY)
        }
        tree.release(page)
        try withLogical { (p) throws(DBError) in try tree.removeExact(p) }
        state = .deleted
    }
}

/// Token order (bytewise, as DupToken's).
@inline(__always) func lexLess(_ a: [UInt8], _ b: [UInt8]) -> Bool { a.lexicographicallyPrecedes(b) }

/// The open cursors of a DB_DUP tree in this process. Removing an entry
/// marks every cursor standing on it deleted at once, as libdb's
/// __bam_ca_delete sets C_DELETED: otherwise a duplicate added later may be
/// given the removed one's token, and a cursor that had not looked since
/// would take it for its own entry (libdb puts it in a new slot).
/// Locking rule: the registry's lock guards the list; a cursor's state is
/// changed only by a writer, which holds the tree latch exclusively, so no
/// cursor call is running.
final class CursorRegistry: @unchecked Sendable {
    private struct Entry { weak var cursor: BtreeCursor? }
    private let lock = LocalLock()
    private var entries: [Entry] = []

    func add(_ cursor: BtreeCursor) {
        lock.withLock {
            entries.removeAll { $0.cursor == nil }
            entries.append(Entry(cursor: cursor))
        }
    }

    var live: [BtreeCursor] { lock.withLock { entries.compactMap { $0.cursor } } }
}

/// The cursors of a tree that hold a page (see "Held page" above), so that
/// the handle's close can release their pins. A cursor adds itself at its
/// first hold and removes itself in deinit, so the entries are always live
/// (unowned(unsafe): no weak-reference side table per cursor).
/// Locking rule: the lock guards the list; releasing another cursor's page
/// happens only at the handle's close, when no cursor call may run (libdb's
/// rule: a DB handle is closed after its cursors).
final class PageHolderRegistry: @unchecked Sendable {
    private let lock = LocalLock()
    private var entries: [Unmanaged<BtreeCursor>] = []

    func add(_ cursor: BtreeCursor) {
        lock.withLock { entries.append(Unmanaged.passUnretained(cursor)) }
    }

    func remove(_ cursor: BtreeCursor) {
        lock.withLock {
            if let i = entries.lastIndex(where: { $0.toOpaque() == Unmanaged.passUnretained(cursor).toOpaque() }) {
                entries.swapAt(i, entries.count - 1)
                entries.removeLast()
            }
        }
    }

    func releaseAll() {
        lock.withLock { for c in entries { c.takeUnretainedValue().releaseHeldPage() } }
    }
}

extension Btree {
    /// After the entry `probe` names was removed: the cursors on it are on a
    /// deleted entry now (DB_DUP trees; see CursorRegistry).
    func markRemoved(_ probe: Probe) {
        for c in openCursors.live where c.state == .onItem && c.sec.elementsEqual(probe.sec) {
            if cmpKeys(c.keyBytes, probe.key) == 0 { c.state = .deleted }
        }
    }

    /// The tokens of `key`'s duplicates that cursors deleted but still stand
    /// on: slots libdb keeps, so new duplicates must sort around them as
    /// libdb places them (and never take their token, see CursorRegistry).
    func heldTokens(_ key: UnsafeRawBufferPointer) -> [[UInt8]] {
        openCursors.live.filter { c in
            c.state == .deleted && cmpKeys(c.keyBytes, key) == 0
        }.map(\.sec)
    }

    /// Pins `pgno` if it is still the leaf a cursor saw at generation `gen`.
    func pinIfUnchanged(_ pgno: PageNumber, gen: UInt64, forWrite: Bool = false) throws(DBError) -> BtreePage? {
        guard pgno != 0, pgno <= store.lastPage else { return nil }
        let p = try store.pin(pgno, forWrite: forWrite)
        let page = BtreePage(raw: p, size: pageSize, pgno: pgno)
        guard page.isLeaf, page.storedPgno == pgno, page.gen == gen else {
            store.unpin(pgno, dirty: false)
            return nil
        }
        do throws(DBError) { try page.validateNode() } catch { store.unpin(pgno, dirty: false); return nil }
        return page
    }
}
