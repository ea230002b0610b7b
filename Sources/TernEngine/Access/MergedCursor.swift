// MergedCursor: a transaction's cursor on a database it has written to. It
// walks the merge of the tree (committed data) and the transaction family's
// write sets, in key order, as DESIGN.md requires ("its reads see its own
// writes first, merged in order with committed data").
//
// A key with a write-set entry is read from the entry alone; any other key
// from the tree alone (see WriteSet.swift). The position is logical: the
// key and the token of the item (tree items of a key without an entry have
// tokens 0, 1, ... in tree order, which an entry made from them keeps), so it
// survives writes through other cursors of the transaction. A deleted item
// is a tombstone: DB_CURRENT on it is DB_KEYEMPTY and next/prev continue from
// its slot, as libdb's cursors do.
//
// Every tree read takes the file's latch shared for that read only; the
// transaction's key locks (taken by the caller) keep what it has read from
// changing under it.
//
// Used by one thread at a time, like the DBC handle it serves.
//
// Exclusivity: stored properties marked @exclusivity(unchecked) are read on
// every call. None is passed inout, or mutated in place while a closure or
// callee could reach it again, so Swift's dynamic exclusivity check on them
// could never fire; it would only cost a runtime call per access.
import CBerkeleyDB

final class MergedCursor {
    let opened: OpenedDatabase
    let txn: Transaction
    var tree: Btree { opened.tree }
    /// The position: nil when unset.
    @exclusivity(unchecked) private(set) var key: [UInt8]?
    @exclusivity(unchecked) private(set) var token: UInt64 = 0

    init(opened: OpenedDatabase, txn: Transaction) {
        self.opened = opened
        self.txn = txn
    }

    func copy() -> MergedCursor {
        let c = MergedCursor(opened: opened, txn: txn)
        c.key = key
        c.token = token
        return c
    }

    var isInitialized: Bool { key != nil }

    func place(_ key: [UInt8], _ token: UInt64) {
        self.key = key
        self.token = token
    }

    // MARK: Reading the two sources

    @inline(__always) func cmp(_ a: [UInt8], _ b: [UInt8]) -> Int32 {
        a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in tree.cmpKeys(pa, pb) } }
    }

    @inline(__always) func cmpData(_ a: [UInt8], _ b: [UInt8]) -> Int32 {
        a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in tree.cmpSecs(pa, pb) } }
    }

    private func treeRead<R>(_ body: (BtreeCursor) throws(DBError) -> R?) throws(DBError) -> R? {
        opened.latch.lockShared()
        defer { opened.latch.unlock() }
        return try body(tree.cursor())
    }

    /// A tree cursor read where DB_NOTFOUND means nil.
    private static func found(_ c: BtreeCursor, _ op: BtreeGetOp, key: [UInt8]? = nil) throws(DBError) -> [UInt8]? {
        do throws(DBError) { return try c.get(op, key: key).key } catch where error.code == DB_NOTFOUND { return nil }
    }

    /// The first tree key after `k` (nil: the first key).
    func treeKey(after k: [UInt8]?) throws(DBError) -> [UInt8]? {
        try treeRead { (c) throws(DBError) -> [UInt8]? in
            guard let k else { return try Self.found(c, .first) }
            guard let f = try Self.found(c, .setRange, key: k) else { return nil }
            if cmp(f, k) != 0 { return f }
            return try Self.found(c, .nextNoDup)
        }
    }

    /// The last tree key before `k` (nil: the last key).
    func treeKey(before k: [UInt8]?) throws(DBError) -> [UInt8]? {
        try treeRead { (c) throws(DBError) -> [UInt8]? in
            guard let k else { return try Self.found(c, .last) }
            if try Self.found(c, .setRange, key: k) == nil { return try Self.found(c, .last) }
            return try Self.found(c, .prevNoDup)
        }
    }

    /// The tree's items of `k` (tokens 0, 1, ...) and its stored spelling.
    func treeItems(_ k: [UInt8]) throws(DBError) -> (key: [UInt8], items: [WriteItem]) {
        if !tree.hasDups && tree.keyCompare == nil {
            // One item at most, under the key exactly as given.
            opened.latch.lockShared()
            defer { opened.latch.unlock() }
            do throws(DBError) {
                return (k, [WriteItem(data: try tree.get(k), token: 0, deleted: false)])
            } catch where error.code == DB_NOTFOUND {
                return (k, [])
            }
        }
        return try treeRead { (c) throws(DBError) -> (key: [UInt8], items: [WriteItem]) in
            var items: [WriteItem] = []
            var item: (key: [UInt8], data: [UInt8])?
            do throws(DBError) { item = try c.get(.set, key: k) } catch where error.code == DB_NOTFOUND { item = nil }
            let stored = item?.key ?? k
            while let (_, d) = item {
                items.append(WriteItem(data: d, token: UInt64(items.count), deleted: false))
                do throws(DBError) { item = try c.get(.nextDup) } catch where error.code == DB_NOTFOUND { item = nil }
            }
            return (stored, items)
        } ?? (k, [])
    }

    /// The items of `k` as the transaction sees them, with the key's stored
    /// spelling.
    func items(_ k: [UInt8]) throws(DBError) -> (key: [UInt8], items: [WriteItem]) {
        let (key, items, _) = try itemsAndBase(k)
        return (key, items)
    }

    /// `items`, and the entry's before-image: the existing entry's, or the
    /// tree's items just read.
    func itemsAndBase(_ k: [UInt8]) throws(DBError) -> (key: [UInt8], items: [WriteItem], base: [[UInt8]]?) {
        if let e = try txn.entry(opened, k) {
            return (txn.storedKey(opened, k) ?? k, e.items, e.base)
        }
        let (key, items) = try treeItems(k)
        return (key, items, items.map(\.data))
    }

    /// The first key after `k` (nil: the first) with a live item in the
    /// merged view.
    func nextKey(after k: [UInt8]?) throws(DBError) -> [UInt8]? {
        var t = try treeKey(after: k)
        while let tk = t, txn.hasEntry(opened, tk) { t = try treeKey(after: tk) }
        var o = txn.overlayKey(opened, after: k)
        while let ok = o, (txn.liveCount(opened, ok) ?? 0) == 0 { o = txn.overlayKey(opened, after: ok) }
        guard let tk = t else { return o }
        guard let ok = o else { return tk }
        return cmp(tk, ok) <= 0 ? tk : ok
    }

    func prevKey(before k: [UInt8]?) throws(DBError) -> [UInt8]? {
        var t = try treeKey(before: k)
        while let tk = t, txn.hasEntry(opened, tk) { t = try treeKey(before: tk) }
        var o = txn.overlayKey(opened, before: k)
        while let ok = o, (txn.liveCount(opened, ok) ?? 0) == 0 { o = txn.overlayKey(opened, before: ok) }
        guard let tk = t else { return o }
        guard let ok = o else { return tk }
        return cmp(tk, ok) >= 0 ? tk : ok
    }

    // MARK: Positioning reads

    typealias Hit = (key: [UInt8], data: [UInt8])

    private func land(_ k: [UInt8], _ items: [WriteItem], _ i: Int) -> Hit {
        place(k, items[i].token)
        return (k, items[i].data)
    }

    /// The first (or last) live item of key `k`.
    private func landEdge(_ k: [UInt8]?, last: Bool) throws(DBError) -> Hit {
        guard let k else { throw DBError(DB_NOTFOUND) }
        let (stored, items) = try self.items(k)
        let order = last ? Array(items.indices.reversed()) : Array(items.indices)
        for i in order where !items[i].deleted { return land(stored, items, i) }
        throw DBError(DB_NOTFOUND)
    }

    /// The current key's items and the cursor's index among them.
    private func current() throws(DBError) -> (key: [UInt8], items: [WriteItem], index: Int?) {
        guard let key else { throw BtreeCursor.invalidPosition() }
        let (stored, items) = try self.items(key)
        return (stored, items, items.firstIndex { $0.token == token })
    }

    func get(_ op: BtreeGetOp, key k: [UInt8]?, data d: [UInt8]?) throws(DBError) -> Hit {
        switch op {
        case .first: return try landEdge(nextKey(after: nil), last: false)
        case .last: return try landEdge(prevKey(before: nil), last: true)
        case .next, .nextDup:
            if key == nil {
                if op == .nextDup { throw BtreeCursor.invalidPosition() }
                return try get(.first, key: nil, data: nil)
            }
            let (stored, items, index) = try current()
            if let index {
                for j in (index + 1)..<max(index + 1, items.count) where !items[j].deleted { return land(stored, items, j) }
            }
            if op == .nextDup { throw DBError(DB_NOTFOUND) }
            return try landEdge(nextKey(after: stored), last: false)
        case .prev, .prevDup:
            if key == nil {
                if op == .prevDup { throw BtreeCursor.invalidPosition() }
                return try get(.last, key: nil, data: nil)
            }
            let (stored, items, index) = try current()
            if let index, index > 0 {
                for j in (0..<index).reversed() where !items[j].deleted { return land(stored, items, j) }
            }
            if op == .prevDup { throw DBError(DB_NOTFOUND) }
            return try landEdge(prevKey(before: stored), last: true)
        case .nextNoDup:
            guard let key else { return try get(.first, key: nil, data: nil) }
            return try landEdge(nextKey(after: key), last: false)
        case .prevNoDup:
            guard let key else { return try get(.last, key: nil, data: nil) }
            return try landEdge(prevKey(before: key), last: true)
        case .current:
            let (stored, items, index) = try current()
            guard let index, !items[index].deleted else { throw DBError(DB_KEYEMPTY) }
            return (stored, items[index].data)
        case .set:
            return try landEdge(k ?? [], last: false)
        case .setRange:
            let k = k ?? []
            let (stored, items) = try self.items(k)
            if let i = items.firstIndex(where: { !$0.deleted }) { return land(stored, items, i) }
            return try landEdge(nextKey(after: k), last: false)
        case .getBoth, .getBothRange:
            let (stored, items) = try self.items(k ?? [])
            let d = d ?? []
            for i in items.indices where !items[i].deleted {
                let c = tree.sorted ? cmpData(items[i].data, d) : (items[i].data == d ? 0 : 1)
                if c == 0 || (op == .getBothRange && tree.sorted && c > 0) { return land(stored, items, i) }
            }
            throw DBError(DB_NOTFOUND)
        case .setRecno(let r):
            guard tree.recnum else { throw .illegalFlag("DBcursor->get") }
            guard r > 0 else { throw .invalid("BDB1002 illegal record number of 0") }
            var n: UInt32 = 0
            var k = try nextKey(after: nil)
            while let key = k {
                let (stored, items) = try self.items(key)
                for i in items.indices where !items[i].deleted {
                    n += 1
                    if n == r { return land(stored, items, i) }
                }
                k = try nextKey(after: stored)
            }
            throw DBError(DB_NOTFOUND)
        }
    }

    /// DB_GET_BOTHC: the next live duplicate of the current key equal to `d`.
    func getBothNext(data d: [UInt8]) throws(DBError) -> Hit {
        let (stored, items, index) = try current()
        guard let index else { throw DBError(DB_NOTFOUND) }
        for j in (index + 1)..<max(index + 1, items.count) where !items[j].deleted && cmpData(items[j].data, d) == 0 {
            return land(stored, items, j)
        }
        throw DBError(DB_NOTFOUND)
    }

    /// DB_GET_RECNO: the current item's rank among the live items.
    func recordNumber() throws(DBError) -> UInt32 {
        guard tree.recnum else { throw .illegalFlag("DBcursor->get") }
        let (stored, items, index) = try current()
        guard let index, !items[index].deleted else { throw DBError(DB_NOTFOUND) }
        var n: UInt32 = 0
        var k = try nextKey(after: nil)
        while let key = k, cmp(key, stored) < 0 {
            n += UInt32(try self.items(key).items.reduce(0) { $0 + ($1.deleted ? 0 : 1) })
            k = try nextKey(after: key)
        }
        for i in 0...index where !items[i].deleted { n += 1 }
        return n
    }

    func count() throws(DBError) -> Int {
        let (_, items, _) = try current()
        return items.reduce(0) { $0 + ($1.deleted ? 0 : 1) }
    }

    // MARK: Writes (into the transaction's own write set)

    /// DBC->put in a transaction, with libdb's outcomes (BtreeCursor.put's).
    /// Returns the key written (its stored spelling).
    @discardableResult
    func put(key k: [UInt8]?, data d: [UInt8], _ op: BtreePutOp) throws(DBError) -> [UInt8] {
        switch op {
        case .keyFirst, .keyLast, .noDupData, .overwriteDup:
            let k = k ?? []
            let (stored, token) = try Self.putKeyed(txn, opened, key: k, data: d, op)
            place(stored, token)
            return stored
        case .current:
            var (stored, items, index) = try current()
            guard let i = index, !items[i].deleted else { throw DBError(DB_NOTFOUND) }
            if tree.sorted && cmpData(d, items[i].data) != 0 {
                throw .invalid("BDB1004 Existing data sorts differently from put data")
            }
            items[i].data = d
            try txn.setEntry(opened, stored, WriteEntry(items: items))
            return stored
        case .before, .after:
            guard tree.tokens else { throw .illegalFlag("DBcursor->put") }
            var (stored, items, index) = try current()
            guard let i = index else { throw DBError(DB_NOTFOUND) }
            let t = txn.newToken()
            items.insert(WriteItem(data: d, token: t, deleted: false), at: op == .after ? i + 1 : i)
            try txn.setEntry(opened, stored, WriteEntry(items: items))
            place(stored, t)
            return stored
        }
    }

    /// A keyed put (DB->put, or DBC->put with DB_KEYFIRST and friends) into
    /// the transaction's write set: the new entry of `key` and the token of
    /// the item written. DB_KEYEXIST where libdb returns it.
    static func putKeyed(_ txn: Transaction, _ opened: OpenedDatabase, key: [UInt8], data d: [UInt8],
                         _ op: BtreePutOp, noOverwrite: Bool = false) throws(DBError) -> (key: [UInt8], token: UInt64) {
        let tree = opened.tree
        if !tree.hasDups && !noOverwrite && op != .noDupData && tree.keyCompare == nil
            && !txn.hasEntry(opened, key) {
            // A plain overwrite of a key this family has not touched needs
            // nothing from the tree: its only item is token 0 (as a tree
            // item's would be), and the commit reads the before-image in
            // its apply descent.
            try txn.setEntry(opened, key, WriteEntry(items: [WriteItem(data: d, token: 0, deleted: false)], base: nil))
            return (key, 0)
        }
        let probe = MergedCursor(opened: opened, txn: txn)
        var (stored, items, base) = try probe.itemsAndBase(key)
        // The key is locked exclusively (the caller's lockForWrite) only in
        // a locking environment: elsewhere the before-image is read at
        // commit.
        if txn.lockTable == nil { base = nil }
        if noOverwrite && items.contains(where: { !$0.deleted }) { throw DBError(DB_KEYEXIST) }
        let token: UInt64
        if !tree.hasDups {
            guard op != .noDupData else { throw .illegalFlag("DBcursor->put") }
            if let i = items.firstIndex(where: { !$0.deleted }) ?? items.indices.first {
                items[i].data = d
                items[i].deleted = false
                token = items[i].token
            } else {
                token = txn.newToken()
                items = [WriteItem(data: d, token: token, deleted: false)]
            }
        } else if tree.sorted {
            if let i = items.firstIndex(where: { !$0.deleted && probe.cmpData($0.data, d) == 0 }) {
                guard op == .overwriteDup else {
                    throw DBError(DB_KEYEXIST, op == .noDupData ? nil
                                  : "BDB0696 Duplicate data items are not supported with sorted data")
                }
                items[i].data = d
                token = items[i].token
            } else if let i = items.firstIndex(where: { $0.deleted && probe.cmpData($0.data, d) == 0 }) {
                // libdb reuses a deleted equal item: cursors standing on it
                // see it again (__bamc_put / __bam_iitem).
                items[i].data = d
                items[i].deleted = false
                token = items[i].token
            } else {
                token = txn.newToken()
                let at = items.firstIndex { probe.cmpData($0.data, d) > 0 } ?? items.count
                items.insert(WriteItem(data: d, token: token, deleted: false), at: at)
            }
        } else {
            guard op != .noDupData else { throw .illegalFlag("DBcursor->put") }
            token = txn.newToken()
            let item = WriteItem(data: d, token: token, deleted: false)
            if op == .keyFirst { items.insert(item, at: 0) } else { items.append(item) }
        }
        try txn.setEntry(opened, stored, WriteEntry(items: items, base: base))
        return (stored, token)
    }

    /// DBC->del in a transaction: the current item becomes a tombstone.
    func delete() throws(DBError) {
        var (stored, items, index) = try current()
        guard let i = index, !items[i].deleted else { throw DBError(DB_KEYEMPTY) }
        items[i].deleted = true
        try txn.setEntry(opened, stored, WriteEntry(items: items))
    }
}
