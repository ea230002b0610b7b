// Randomised model tests for transactions (deferred update): seeded
// sequences of DB->put/del/get and cursor operations inside transactions
// that commit or abort, some nested, through the engine's public API on a
// real environment (DB_INIT_MPOOL | DB_INIT_LOG | DB_INIT_TXN |
// DB_INIT_LOCK). Each read inside a transaction is checked against a model
// of the transaction's view (the committed data with the family's own writes
// over it), the committed tree against the model of the committed data
// after every top-level commit or abort, and the files against it again
// after the environment is closed and reopened.
//
// The models are plain Swift values; a nested transaction's model is a copy
// of its parent's, kept on commit and dropped on abort. Positions follow
// libdb's rules: a cursor whose item is deleted stays on its place
// (DB_CURRENT gives DB_KEYEMPTY, DB_NEXT / DB_PREV continue from there), a
// failed positioning read leaves the cursor where it was, and a put that
// rewrites a deleted item reuses its slot (libdb's __bamc_put turns it into
// a DB_CURRENT put, and __bam_iitem clears the deleted flag of every cursor
// on it) except with unsorted duplicates, which always add a new item.
//
// For unsorted duplicates the same operations also run on a
// non-transactional database (a second, independent oracle for the
// positional rules).
//
// Dictionary order is never used to drive the generator (Swift seeds its
// hashing per process): keys are always picked from sorted lists. The seeds
// are fixed; TERN_TXN_SEED=<n> in the environment mixes n into them, to
// explore other sequences.
//
// After the model tests come focused cases, and the engine bugs they found
// (sortedRewriteRevivesTheCursor, largeTransactionCommitsAtomically,
// reopenIsNotRefusedWhileAnotherThreadSpawnsAProcess, fixed).
import CBerkeleyDB
import Glibc
import Testing
@testable import TernEngine

// MARK: - Values and engine calls

/// A key/data pair as read.
private struct Pair: Equatable, CustomStringConvertible {
    var key: [UInt8]
    var data: [UInt8]
    init(_ key: [UInt8], _ data: [UInt8]) { self.key = key; self.data = data }
    var description: String { "(\(show(key)), \(show(data)))" }
}

/// A read's outcome: an item, or the error code.
private enum Out: Equatable, CustomStringConvertible {
    case hit(Pair)
    case code(Int32)
    static func of(_ p: Pair?) -> Out { p.map { .hit($0) } ?? .code(DB_NOTFOUND) }
    var description: String {
        switch self {
        case .hit(let p): return p.description
        case .code(let c): return c == 0 ? "ok" : c == DB_NOTFOUND ? "DB_NOTFOUND" : c == DB_KEYEMPTY ? "DB_KEYEMPTY"
            : c == DB_KEYEXIST ? "DB_KEYEXIST" : "error \(c)"
        }
    }
}

private func show(_ b: [UInt8]) -> String {
    if b.count <= 24, b.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return "\"" + String(decoding: b, as: UTF8.self) + "\"" }
    return "<\(b.count) bytes \(b.prefix(6).map { String($0, radix: 16) }.joined(separator: " "))>"
}

private func pad(_ i: Int, _ width: Int) -> String {
    let s = String(i)
    return String(repeating: "0", count: max(0, width - s.count)) + s
}

private func pairLess(_ a: Pair, _ b: Pair) -> Bool {
    let c = lexCompare(a.key, b.key)
    return c < 0 || (c == 0 && lexCompare(a.data, b.data) < 0)
}

/// The first index of `keys` (sorted) whose key is >= `k`.
private func lowerBound(_ keys: [[UInt8]], _ k: [UInt8]) -> Int {
    var lo = 0, hi = keys.count
    while lo < hi {
        let m = (lo + hi) / 2
        if lexCompare(keys[m], k) < 0 { lo = m + 1 } else { hi = m }
    }
    return lo
}

private func sortedKeys<V>(_ m: [[UInt8]: V]) -> [[UInt8]] {
    m.keys.sorted { lexCompare($0, $1) < 0 }
}

private func sortedPairs(_ m: [[UInt8]: [UInt8]]) -> [Pair] {
    sortedKeys(m).map { Pair($0, m[$0]!) }
}

/// Every key's list in key order, each list in its own order.
private func flatten(_ m: [[UInt8]: [[UInt8]]]) -> [Pair] {
    sortedKeys(m).flatMap { k in m[k]!.map { Pair(k, $0) } }
}

private let envFlags = UInt32(DB_CREATE | DB_INIT_MPOOL | DB_INIT_LOG | DB_INIT_TXN | DB_INIT_LOCK)

private func openEnv(_ dir: String) throws(DBError) -> Environment {
    let env = Environment()
    try env.open(home: dir, flags: envFlags, mode: 0, hasIsAlive: false)
    return env
}

private func btreeFlags(_ flags: DatabaseStateFlags) -> BtreeFlags {
    var b: BtreeFlags = []
    if flags.contains(.dup) { b.insert(.dup) }
    if flags.contains(.dupSort) { b.insert(.dupSort) }
    return b
}

/// A transactional database (DB_AUTO_COMMIT) with small pages, so a few
/// hundred items make a tree several levels deep.
private func openDB(_ env: Environment, _ file: String, _ flags: DatabaseStateFlags = []) throws(DBError) -> Database {
    let db = Database(environment: env)
    db.config.flags.formUnion(flags)
    db.config.pageSize = 512
    try db.open(file: file, database: nil, type: DB_BTREE, flags: UInt32(DB_CREATE | DB_AUTO_COMMIT), mode: 0,
                options: BtreeOptions(flags: btreeFlags(flags)))
    return db
}

private func dbPut(_ db: Database, _ k: [UInt8], _ d: [UInt8], _ r: PutRequest = .keyLast, _ t: Transaction) -> Int32 {
    errorCode { () throws(DBError) in
        try withBuffer(k) { (kb) throws(DBError) in
            try withBuffer(d) { (dd) throws(DBError) in try db.put(key: kb, data: dd, r, txn: t) }
        }
    }
}

private func dbDel(_ db: Database, _ k: [UInt8], _ t: Transaction) -> Int32 {
    errorCode { () throws(DBError) in
        try withBuffer(k) { (kb) throws(DBError) in try db.delete(key: kb, txn: t) }
    }
}

/// DB->get (DB_GET_BOTH when `both` is given) in a transaction.
private func dbGet(_ db: Database, _ k: [UInt8], both: [UInt8]? = nil, _ t: Transaction) -> Out {
    do throws(DBError) {
        let v = try withBuffer(k) { (kb) throws(DBError) -> [UInt8] in
            try withBuffer(both ?? []) { (dd) throws(DBError) -> [UInt8] in
                try db.get(both == nil ? .key : .both, key: kb, data: dd, txn: t, rmw: false) { (_, v) throws(DBError) in
                    try v.bytes()
                }
            }
        }
        return .hit(Pair(k, v))
    } catch {
        return .code(error.code)
    }
}

private func cGet(_ c: DatabaseCursor, _ op: BtreeGetOp, _ k: [UInt8]? = nil, _ d: [UInt8]? = nil) -> Out {
    do throws(DBError) {
        let p = try withOptionalBuffer(k) { (kb) throws(DBError) -> Pair in
            try withOptionalBuffer(d) { (db) throws(DBError) -> Pair in
                try c.get(op, key: kb, data: db) { (kv, dv) throws(DBError) -> Pair in Pair(try kv.bytes(), try dv.bytes()) }
            }
        }
        return .hit(p)
    } catch {
        return .code(error.code)
    }
}

private func cPut(_ c: DatabaseCursor, _ k: [UInt8]?, _ d: [UInt8], _ op: BtreePutOp) -> Int32 {
    errorCode { () throws(DBError) in
        try withOptionalBuffer(k) { (kb) throws(DBError) in
            try withBuffer(d) { (dd) throws(DBError) in try c.put(key: kb, data: dd, op) }
        }
    }
}

private func cDel(_ c: DatabaseCursor) -> Int32 { errorCode { () throws(DBError) in try c.delete() } }

private func cCount(_ c: DatabaseCursor) -> Int {
    do throws(DBError) { return try c.count() } catch { return -Int(error.code) }
}

/// `start` then `step` until a read fails: the items, and the failure's code.
private func walk(_ c: DatabaseCursor, _ start: BtreeGetOp, _ step: BtreeGetOp) -> ([Pair], Int32) {
    var items: [Pair] = []
    var o = cGet(c, start)
    while case .hit(let p) = o, items.count < 1_000_000 {
        items.append(p)
        o = cGet(c, step)
    }
    if case .code(let e) = o { return (items, e) }
    return (items, 0)
}

/// Every item of the database in order, read by a cursor in `txn` (nil: the
/// committed tree, read without a transaction).
private func dump(_ db: Database, _ txn: Transaction? = nil) throws -> [Pair] {
    let c = try db.cursor(txn: txn)
    let (items, end) = walk(c, .first, .next)
    #expect(end == DB_NOTFOUND)
    return items
}

/// The generator's seed: `base`, or, to explore, `base` mixed with the
/// number in TERN_TXN_SEED.
private func seed(_ base: UInt64) -> UInt64 {
    guard let s = getenv("TERN_TXN_SEED"), let n = UInt64(String(cString: s)) else { return base }
    return base ^ (n &* 0x9E37_79B9_7F4A_7C15)
}

/// A scratch directory, removed with its files at the end (without
/// system(): a child process briefly holds copies of this process's file
/// descriptors, see reopenIsNotRefusedWhileAnotherThreadSpawnsAProcess).
private func inScratch(_ body: (String) throws -> Void) throws {
    var template = Array("/tmp/tern-txnmodel-XXXXXX".utf8CString)
    let dir = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
    defer { removeScratchTree(dir) }
    try body(dir)
}

private func removeScratchTree(_ path: String) {
    if let d = opendir(path) {
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name == "." || name == ".." { continue }
            let child = path + "/" + name
            var st = stat()
            if lstat(child, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR { removeScratchTree(child) } else { unlink(child) }
        }
        closedir(d)
    }
    rmdir(path)
}

// MARK: - Models with duplicates

/// Sorted duplicates: each key's data, sorted (the default comparison).
private struct SortedModel {
    var map: [[UInt8]: [[UInt8]]] = [:]

    func has(_ k: [UInt8], _ d: [UInt8]) -> Bool { map[k]?.contains(d) ?? false }
    func flat() -> [Pair] { flatten(map) }

    mutating func insert(_ k: [UInt8], _ d: [UInt8]) {
        var list = map[k] ?? []
        let i = list.firstIndex { lexCompare($0, d) > 0 } ?? list.count
        list.insert(d, at: i)
        map[k] = list
    }

    mutating func remove(_ k: [UInt8], _ d: [UInt8]) {
        guard var list = map[k], let i = list.firstIndex(of: d) else { return }
        list.remove(at: i)
        map[k] = list.isEmpty ? nil : list
    }

    /// The first pair after `p` (nil: the first pair), the last before.
    func after(_ p: Pair?) -> Pair? {
        let all = flat()
        guard let p else { return all.first }
        return all.first { pairLess(p, $0) }
    }

    func before(_ p: Pair?) -> Pair? {
        let all = flat()
        guard let p else { return all.last }
        return all.last { pairLess($0, p) }
    }
}

/// A cursor's place in a sorted-duplicate model.
private struct SortedPos {
    var pair: Pair
    var deleted = false
}

/// Unsorted duplicates: each key's items in order, with the deleted ones
/// kept as tombstones so a cursor on one keeps its place. Tombstones only
/// matter to a cursor standing on one (an insert is always next to a live
/// item or to the cursor's own slot, so the live order does not depend on
/// them), so keeping them all, as Tern does, is libdb's behaviour too.
private struct DupModel {
    struct Item { var id: Int; var data: [UInt8]; var deleted = false }
    struct Pos: Equatable { var key: [UInt8]; var id: Int }
    var map: [[UInt8]: [Item]] = [:]
    var nextID = 0

    init(_ committed: [[UInt8]: [[UInt8]]]) {
        for k in sortedKeys(committed) { map[k] = committed[k]!.map { Item(id: newIDValue(), data: $0) } }
    }

    private mutating func newIDValue() -> Int { nextID += 1; return nextID }
    mutating func newID() -> Int { newIDValue() }

    /// The live items only (what a commit leaves in the tree).
    var committed: [[UInt8]: [[UInt8]]] {
        var out: [[UInt8]: [[UInt8]]] = [:]
        for k in sortedKeys(map) {
            let live = map[k]!.filter { !$0.deleted }.map(\.data)
            if !live.isEmpty { out[k] = live }
        }
        return out
    }

    func liveKeys() -> [[UInt8]] { sortedKeys(map).filter { k in map[k]!.contains { !$0.deleted } } }
    func flat() -> [Pair] { flatten(committed) }

    func item(_ p: Pos) -> Item? { map[p.key]?.first { $0.id == p.id } }
    func index(_ p: Pos) -> Int? { map[p.key]?.firstIndex { $0.id == p.id } }

    func firstOf(_ k: [UInt8]?) -> (Pair, Pos)? {
        guard let k, let it = map[k]?.first(where: { !$0.deleted }) else { return nil }
        return (Pair(k, it.data), Pos(key: k, id: it.id))
    }

    func lastOf(_ k: [UInt8]?) -> (Pair, Pos)? {
        guard let k, let it = map[k]?.last(where: { !$0.deleted }) else { return nil }
        return (Pair(k, it.data), Pos(key: k, id: it.id))
    }

    func keyAfter(_ k: [UInt8]?) -> [UInt8]? {
        guard let k else { return liveKeys().first }
        return liveKeys().first { lexCompare($0, k) > 0 }
    }

    func keyBefore(_ k: [UInt8]?) -> [UInt8]? {
        guard let k else { return liveKeys().last }
        return liveKeys().last { lexCompare($0, k) < 0 }
    }

    /// DB_NEXT / DB_NEXT_DUP from `p` (nil: unset).
    func next(_ p: Pos?, dupOnly: Bool = false) -> (Pair, Pos)? {
        guard let p else { return firstOf(keyAfter(nil)) }
        let items = map[p.key]!
        let i = index(p)!
        for j in (i + 1)..<max(i + 1, items.count) where !items[j].deleted {
            return (Pair(p.key, items[j].data), Pos(key: p.key, id: items[j].id))
        }
        return dupOnly ? nil : firstOf(keyAfter(p.key))
    }

    func prev(_ p: Pos?, dupOnly: Bool = false) -> (Pair, Pos)? {
        guard let p else { return lastOf(keyBefore(nil)) }
        let items = map[p.key]!
        let i = index(p)!
        for j in (0..<i).reversed() where !items[j].deleted {
            return (Pair(p.key, items[j].data), Pos(key: p.key, id: items[j].id))
        }
        return dupOnly ? nil : lastOf(keyBefore(p.key))
    }

    mutating func insert(_ k: [UInt8], _ d: [UInt8], at i: Int) -> Pos {
        let id = newID()
        var items = map[k] ?? []
        items.insert(Item(id: id, data: d), at: i)
        map[k] = items
        return Pos(key: k, id: id)
    }
}

/// The unsorted-duplicate operations on a non-transactional database in a
/// private environment: what Tern's plain cursors do with the same calls.
private final class Shadow {
    let db: Database
    let cursors: [DatabaseCursor]

    init(_ path: String, _ content: [[UInt8]: [[UInt8]]]) throws {
        let env = Environment()
        env.isPrivateToDatabase = true
        db = Database(environment: env)
        db.config.flags.formUnion([.dup])
        db.config.pageSize = 512
        try db.open(file: path, database: nil, type: DB_BTREE, flags: UInt32(DB_CREATE), mode: 0,
                    options: BtreeOptions(flags: [.dup]))
        cursors = [try db.cursor(), try db.cursor()]
        for p in flatten(content) { #expect(put(p.key, p.data) == 0) }
    }

    func put(_ k: [UInt8], _ d: [UInt8], _ r: PutRequest = .keyLast) -> Int32 {
        errorCode { () throws(DBError) in
            try withBuffer(k) { (kb) throws(DBError) in
                try withBuffer(d) { (dd) throws(DBError) in try db.put(key: kb, data: dd, r, autoCommit: false) }
            }
        }
    }

    func del(_ k: [UInt8]) -> Int32 {
        errorCode { () throws(DBError) in try withBuffer(k) { (kb) throws(DBError) in try db.delete(key: kb, autoCommit: false) } }
    }

    func close() { try? db.close(noSync: true) }
}

// MARK: - Tests

@Suite struct TransactionModelTests {

    // MARK: 1. Plain database: DB->put / del / get in nested transactions

    @Test func plainDatabaseTransactionsMatchTheModel() throws {
        try inScratch { dir in
            let env = try openEnv(dir)
            let db = try openDB(env, "plain.db")
            var rng = BtreeRandom(seed: seed(0x7E51_0001))
            var committed: [[UInt8]: [UInt8]] = [:]

            func randomKey() -> [UInt8] {
                let r = Int.random(in: 0..<100, using: &rng)
                if r == 0 { return [] }
                if r == 1 { return [UInt8](repeating: 0x6C, count: 600) + [UInt8(Int.random(in: 0..<3, using: &rng))] }
                return bytes("k\(Int.random(in: 100..<300, using: &rng))")
            }
            func randomData() -> [UInt8] {
                let r = Int.random(in: 0..<100, using: &rng)
                if r < 4 { return [UInt8](repeating: UInt8(0x41 + r), count: Int.random(in: 600...2500, using: &rng)) }
                if r == 4 { return [] }
                return bytes("d\(Int.random(in: 0..<1000, using: &rng))")
            }
            /// A key of the view half the time, any key otherwise.
            func probeKey(_ view: [[UInt8]: [UInt8]]) -> [UInt8] {
                let keys = sortedKeys(view)
                if keys.isEmpty || Bool.random(using: &rng) { return randomKey() }
                return keys[Int.random(in: 0..<keys.count, using: &rng)]
            }

            var operations = 0
            for round in 0..<90 {
                // txns[i]'s view is views[i]; only the newest one acts.
                var txns = [try env.beginTransaction(parent: nil, flags: 0)]
                var views = [committed]
                func endChild(commit: Bool) throws {
                    let child = txns.removeLast()
                    let view = views.removeLast()
                    if commit {
                        try child.commit(flags: 0)
                        views[views.count - 1] = view
                    } else {
                        try child.abort()
                    }
                    #expect(child.state == (commit ? .committed : .aborted))
                }
                let steps = Int.random(in: 4...40, using: &rng)
                for _ in 0..<steps {
                    operations += 1
                    let t = txns.last!
                    let top = views.count - 1
                    switch Int.random(in: 0..<100, using: &rng) {
                    case 0..<34:
                        let k = randomKey(), d = randomData()
                        let noOverwrite = Int.random(in: 0..<5, using: &rng) == 0
                        let code = dbPut(db, k, d, noOverwrite ? .noOverwrite : .keyLast, t)
                        if noOverwrite && views[top][k] != nil {
                            #expect(code == DB_KEYEXIST, "round \(round): DB_NOOVERWRITE put of \(show(k))")
                        } else {
                            #expect(code == 0, "round \(round): put of \(show(k))")
                            views[top][k] = d
                        }
                    case 34..<50:
                        let k = probeKey(views[top])
                        let code = dbDel(db, k, t)
                        #expect(code == (views[top][k] == nil ? DB_NOTFOUND : 0), "round \(round): del of \(show(k))")
                        views[top][k] = nil
                    case 50..<72:
                        let k = probeKey(views[top])
                        let got = dbGet(db, k, t)
                        #expect(got == .of(views[top][k].map { Pair(k, $0) }), "round \(round): get of \(show(k)) at depth \(top)")
                    case 72..<76:
                        let k = probeKey(views[top])
                        let d = Bool.random(using: &rng) ? (views[top][k] ?? randomData()) : randomData()
                        let got = dbGet(db, k, both: d, t)
                        #expect(got == .of(views[top][k] == d ? Pair(k, d) : nil), "round \(round): DB_GET_BOTH of \(show(k))")
                    case 76..<83:
                        if txns.count < 4 {
                            txns.append(try env.beginTransaction(parent: t, flags: 0))
                            views.append(views[top])
                        }
                    case 83..<93:
                        if txns.count > 1 { try endChild(commit: Int.random(in: 0..<10, using: &rng) < 6) }
                    default:
                        // The whole view, both ways, through a cursor of the
                        // transaction.
                        let expected = sortedPairs(views[top])
                        let c = try db.cursor(txn: t)
                        let forward = walk(c, .first, .next)
                        #expect(forward.0 == expected && forward.1 == DB_NOTFOUND, "round \(round): DB_NEXT walk at depth \(top)")
                        let backward = walk(c, .last, .prev)
                        #expect(backward.0 == expected.reversed() && backward.1 == DB_NOTFOUND, "round \(round): DB_PREV walk")
                    }
                }
                // Children are resolved one by one, or left for the top-level
                // commit or abort to resolve (libdb commits / aborts them).
                let leaveChildren = txns.count > 1 && Int.random(in: 0..<10, using: &rng) < 3
                if !leaveChildren {
                    while txns.count > 1 { try endChild(commit: Int.random(in: 0..<10, using: &rng) < 6) }
                }
                let commit = Int.random(in: 0..<100, using: &rng) < 65
                if commit {
                    if round % 10 == 0 {
                        // With a cursor still open: libdb closes it at the
                        // commit; Tern's refuses writes afterwards.
                        let c = try db.cursor(txn: txns[0])
                        try txns[0].commit(flags: 0)
                        #expect(cPut(c, [1], [1], .keyLast) == EINVAL)
                    } else {
                        try txns[0].commit(flags: 0)
                    }
                    committed = views.last!
                } else {
                    try txns[0].abort()
                }
                for t in txns { #expect(t.state == (commit ? .committed : .aborted), "round \(round)") }
                // A finished transaction accepts nothing.
                #expect(dbPut(db, [1], [1], .keyLast, txns.last!) == EINVAL)
                #expect(dbGet(db, [1], txns[0]) == .code(EINVAL))
                #expect(try dump(db) == sortedPairs(committed), "round \(round): committed tree after \(commit ? "commit" : "abort")")
            }
            #expect(operations > 1500)
            try db.close(noSync: false)
            try env.close()
        }
    }

    // MARK: 2. Cursor walks over pending writes

    func walkKey(_ i: Int) -> [UInt8] { bytes("w" + pad(i, 4)) }

    /// Random DB->put / del on keys half of which are committed.
    func randomWrites(_ db: Database, _ t: Transaction, _ view: inout [[UInt8]: [UInt8]], _ n: Int,
                      _ rng: inout BtreeRandom) {
        for _ in 0..<n {
            var k = walkKey(Int.random(in: 0..<400, using: &rng))
            if Int.random(in: 0..<6, using: &rng) == 0 { k += [UInt8(Int.random(in: 0x21..<0x7F, using: &rng))] }
            let d = bytes("p\(Int.random(in: 0..<10_000, using: &rng))")
            switch Int.random(in: 0..<100, using: &rng) {
            case 0..<50:
                #expect(dbPut(db, k, d, .keyLast, t) == 0)
                view[k] = d
            case 50..<60:
                #expect(dbPut(db, k, d, .noOverwrite, t) == (view[k] == nil ? 0 : DB_KEYEXIST))
                if view[k] == nil { view[k] = d }
            default:
                #expect(dbDel(db, k, t) == (view[k] == nil ? DB_NOTFOUND : 0))
                view[k] = nil
            }
        }
    }

    /// Every kind of positioning read, in `t`, against the model's view.
    func checkWalks(_ db: Database, _ t: Transaction, _ view: [[UInt8]: [UInt8]], _ what: String,
                    _ rng: inout BtreeRandom) throws {
        let exp = sortedPairs(view)
        let keys = exp.map(\.key)
        let c = try db.cursor(txn: t)
        let fwd = walk(c, .first, .next)
        #expect(fwd.0 == exp && fwd.1 == DB_NOTFOUND, "\(what): DB_FIRST/DB_NEXT walk")
        if let last = exp.last {
            // DB_NOTFOUND at the end leaves the cursor on the last item.
            #expect(cGet(c, .current) == .hit(last), "\(what): DB_CURRENT after the end")
            #expect(cGet(c, .next) == .code(DB_NOTFOUND))
            #expect(cGet(c, .prev) == .of(exp.dropLast().last), "\(what): DB_PREV after the end")
        }
        let bwd = walk(c, .last, .prev)
        #expect(bwd.0 == exp.reversed() && bwd.1 == DB_NOTFOUND, "\(what): DB_LAST/DB_PREV walk")
        if let first = exp.first { #expect(cGet(c, .current) == .hit(first), "\(what): DB_CURRENT after the start") }
        // From unset cursors: DB_NEXT_NODUP is DB_FIRST, DB_PREV_NODUP is DB_LAST.
        let nodup = walk(try db.cursor(txn: t), .nextNoDup, .nextNoDup)
        #expect(nodup.0 == exp && nodup.1 == DB_NOTFOUND, "\(what): DB_NEXT_NODUP walk")
        let prevNodup = walk(try db.cursor(txn: t), .prevNoDup, .prevNoDup)
        #expect(prevNodup.0 == exp.reversed() && prevNodup.1 == DB_NOTFOUND, "\(what): DB_PREV_NODUP walk")
        #expect(cGet(try db.cursor(txn: t), .next) == .of(exp.first), "\(what): DB_NEXT from unset")
        #expect(cGet(try db.cursor(txn: t), .prev) == .of(exp.last), "\(what): DB_PREV from unset")

        func probe() -> [UInt8] {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0: return []
            case 1: return [0xFF]
            case 2..<6 where !keys.isEmpty: return keys[Int.random(in: 0..<keys.count, using: &rng)]
            case 6 where !keys.isEmpty:
                return keys[Int.random(in: 0..<keys.count, using: &rng)] + [UInt8(Int.random(in: 0..<256, using: &rng))]
            default: return walkKey(Int.random(in: 0..<400, using: &rng))
            }
        }
        // DB_SET: exact keys only; a miss leaves the cursor where it was.
        let s = try db.cursor(txn: t)
        var at: Int?
        for _ in 0..<60 {
            let k = probe()
            let i = lowerBound(keys, k)
            let hit = i < keys.count && keys[i] == k
            #expect(cGet(s, .set, k) == .of(hit ? exp[i] : nil), "\(what): DB_SET \(show(k))")
            if hit { at = i }
            if let at { #expect(cGet(s, .current) == .hit(exp[at]), "\(what): DB_CURRENT after DB_SET \(show(k))") }
        }
        // DB_SET_RANGE, then a few steps either way.
        let r = try db.cursor(txn: t)
        for _ in 0..<60 {
            let k = probe()
            var i = lowerBound(keys, k)
            #expect(cGet(r, .setRange, k) == .of(i < exp.count ? exp[i] : nil), "\(what): DB_SET_RANGE \(show(k))")
            guard i < exp.count else { continue }
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                if Bool.random(using: &rng) {
                    #expect(cGet(r, .next) == .of(i + 1 < exp.count ? exp[i + 1] : nil), "\(what): DB_NEXT after DB_SET_RANGE")
                    if i + 1 < exp.count { i += 1 }
                } else {
                    #expect(cGet(r, .prev) == .of(i > 0 ? exp[i - 1] : nil), "\(what): DB_PREV after DB_SET_RANGE")
                    if i > 0 { i -= 1 }
                }
            }
        }
    }

    /// A cursor positioned by DB_SET while writes happen around it.
    func interleaved(_ db: Database, _ t: Transaction, _ view: inout [[UInt8]: [UInt8]], _ what: String,
                     _ rng: inout BtreeRandom) throws {
        let c = try db.cursor(txn: t)
        func after(_ k: [UInt8]) -> Pair? {
            sortedPairs(view).first { lexCompare($0.key, k) > 0 }
        }
        func before(_ k: [UInt8]) -> Pair? {
            sortedPairs(view).last { lexCompare($0.key, k) < 0 }
        }
        for step in 0..<40 {
            let keys = sortedKeys(view)
            guard !keys.isEmpty else { return }
            let i = Int.random(in: 0..<keys.count, using: &rng)
            let k = keys[i]
            let d = bytes("i\(step)-\(Int.random(in: 0..<1000, using: &rng))")
            let w = "\(what), step \(step) at \(show(k))"
            #expect(cGet(c, .set, k) == .hit(Pair(k, view[k]!)), "\(w): DB_SET")
            switch Int.random(in: 0..<7, using: &rng) {
            case 0:
                // A key written just after the cursor's: DB_NEXT reaches it.
                let nk = k + [UInt8(Int.random(in: 0x21..<0x7F, using: &rng))]
                #expect(dbPut(db, nk, d, .keyLast, t) == 0)
                view[nk] = d
                #expect(cGet(c, .next) == .of(after(k)), "\(w): DB_NEXT after a put behind it")
            case 1:
                // The following key deleted: DB_NEXT skips it.
                if i + 1 < keys.count {
                    #expect(dbDel(db, keys[i + 1], t) == 0)
                    view[keys[i + 1]] = nil
                }
                #expect(cGet(c, .next) == .of(after(k)), "\(w): DB_NEXT after deleting the next key")
            case 2:
                // The cursor's own key deleted by DB->del: DB_CURRENT is
                // DB_KEYEMPTY, DB_NEXT goes on from its place.
                #expect(dbDel(db, k, t) == 0)
                view[k] = nil
                #expect(cGet(c, .current) == .code(DB_KEYEMPTY), "\(w): DB_CURRENT on a key deleted by DB->del")
                let n = after(k)
                #expect(cGet(c, .next) == .of(n), "\(w): DB_NEXT from a deleted key")
                if let n { #expect(cGet(c, .prev) == .of(before(n.key)), "\(w): DB_PREV back over the deleted key") }
            case 3:
                // Deleted, then written again: the put reuses the slot the
                // cursor is on (libdb's DB_CURRENT put), so it sees the item.
                #expect(dbDel(db, k, t) == 0)
                #expect(cGet(c, .current) == .code(DB_KEYEMPTY))
                #expect(dbPut(db, k, d, .keyLast, t) == 0)
                view[k] = d
                #expect(cGet(c, .current) == .hit(Pair(k, d)), "\(w): DB_CURRENT after the key is written again")
            case 4:
                // DBC->del twice: the second is DB_KEYEMPTY; DB_PREV leaves
                // the deleted place (or fails and stays on it).
                #expect(cDel(c) == 0)
                view[k] = nil
                #expect(cDel(c) == DB_KEYEMPTY, "\(w): second DBC->del")
                #expect(cGet(c, .current) == .code(DB_KEYEMPTY))
                let p = before(k)
                #expect(cGet(c, .prev) == .of(p), "\(w): DB_PREV from a cursor-deleted key")
                if p == nil { #expect(cGet(c, .current) == .code(DB_KEYEMPTY), "\(w): still on the deleted key") }
            case 5:
                #expect(cPut(c, nil, d, .current) == 0, "\(w): DB_CURRENT put")
                view[k] = d
                #expect(cGet(c, .current) == .hit(Pair(k, d)))
                #expect(dbGet(db, k, t) == .hit(Pair(k, d)))
            default:
                // DB_KEYFIRST / DB_KEYLAST of another key moves the cursor
                // there.
                let nk = walkKey(Int.random(in: 0..<400, using: &rng))
                #expect(cPut(c, nk, d, Bool.random(using: &rng) ? .keyFirst : .keyLast) == 0)
                view[nk] = d
                #expect(cGet(c, .current) == .hit(Pair(nk, d)), "\(w): DB_CURRENT after a keyed cursor put")
                #expect(cGet(c, .next) == .of(after(nk)), "\(w): DB_NEXT after a keyed cursor put")
            }
        }
    }

    @Test func cursorWalksSeeTheMergedView() throws {
        try inScratch { dir in
            let env = try openEnv(dir)
            let db = try openDB(env, "walk.db")
            var rng = BtreeRandom(seed: seed(0x7E51_0002))
            var committed: [[UInt8]: [UInt8]] = [:]
            let load = try env.beginTransaction(parent: nil, flags: 0)
            for i in stride(from: 0, to: 400, by: 3) {
                let d = bytes("c\(i)")
                #expect(dbPut(db, walkKey(i), d, .keyLast, load) == 0)
                committed[walkKey(i)] = d
            }
            try load.commit(flags: 0)
            #expect(try dump(db) == sortedPairs(committed))

            for round in 0..<8 {
                let top = try env.beginTransaction(parent: nil, flags: 0)
                var view = committed
                // Before any write, the cursors read the tree directly.
                try checkWalks(db, top, view, "round \(round), no writes", &rng)
                randomWrites(db, top, &view, 80, &rng)
                var reader = top
                var child: Transaction?
                let parentView = view
                if round % 3 == 1 {
                    child = try env.beginTransaction(parent: top, flags: 0)
                    reader = child!
                    try checkWalks(db, reader, view, "round \(round), child before its writes", &rng)
                    randomWrites(db, child!, &view, 40, &rng)
                }
                try checkWalks(db, reader, view, "round \(round)", &rng)
                try interleaved(db, reader, &view, "round \(round)", &rng)
                try checkWalks(db, reader, view, "round \(round), after interleaved writes", &rng)
                if let child {
                    if Bool.random(using: &rng) {
                        try child.commit(flags: 0)
                    } else {
                        try child.abort()
                        view = parentView
                    }
                    try checkWalks(db, top, view, "round \(round), parent after the child", &rng)
                }
                if round % 4 != 3 {
                    try top.commit(flags: 0)
                    committed = view
                } else {
                    try top.abort()
                }
                #expect(try dump(db) == sortedPairs(committed), "round \(round): committed tree")
            }
            try db.close(noSync: false)
            try env.close()
        }
    }

    // MARK: 3. Sorted duplicates

    func sortedKey(_ rng: inout BtreeRandom) -> [UInt8] { bytes("s\(Int.random(in: 0..<12, using: &rng))") }

    func sortedData(_ rng: inout BtreeRandom) -> [UInt8] {
        if Int.random(in: 0..<40, using: &rng) == 0 {
            return [UInt8](repeating: 0x76, count: 300) + [UInt8(Int.random(in: 0..<4, using: &rng))]
        }
        return bytes("v" + pad(Int.random(in: 0..<30, using: &rng), 2))
    }

    /// `n` random operations in `t` through DB-> calls and two cursors.
    fileprivate func sortedOps(_ db: Database, _ t: Transaction, _ m: inout SortedModel, _ n: Int, _ what: String,
                   _ rng: inout BtreeRandom) throws {
        let cs = [try db.cursor(txn: t), try db.cursor(txn: t)]
        var pos: [SortedPos?] = [nil, nil]
        /// A write of (k, d) over a deleted item a cursor stands on would
        /// revive that cursor (sortedRewriteRevivesTheCursor tests it); the
        /// random runs leave it out.
        func blocked(_ k: [UInt8], _ d: [UInt8]) -> Bool {
            pos.contains { $0 != nil && $0!.deleted && $0!.pair == Pair(k, d) }
        }
        func removed(_ k: [UInt8], _ d: [UInt8]?) {
            for i in pos.indices where pos[i] != nil && pos[i]!.pair.key == k && (d == nil || pos[i]!.pair.data == d!) {
                pos[i]!.deleted = true
            }
        }
        func expectMove(_ ci: Int, _ got: Out, _ want: Pair?, _ w: String) {
            #expect(got == .of(want), "\(w)")
            if let want, got == .hit(want) { pos[ci] = SortedPos(pair: want) }
        }
        for step in 0..<n {
            let ci = Int.random(in: 0..<2, using: &rng)
            let c = cs[ci]
            let k = sortedKey(&rng)
            let d = Bool.random(using: &rng) && !(m.map[k]?.isEmpty ?? true)
                ? m.map[k]![Int.random(in: 0..<m.map[k]!.count, using: &rng)] : sortedData(&rng)
            let w = "\(what), step \(step), cursor \(ci), \(show(k))/\(show(d))"
            switch Int.random(in: 0..<100, using: &rng) {
            case 0..<18:
                if blocked(k, d) { continue }
                let noDup = Int.random(in: 0..<4, using: &rng) == 0
                let code = dbPut(db, k, d, noDup ? .noDupData : .keyLast, t)
                #expect(code == (m.has(k, d) ? DB_KEYEXIST : 0), "\(w): DB->put\(noDup ? " DB_NODUPDATA" : "")")
                if code == 0 { m.insert(k, d) }
            case 18..<22:
                if blocked(k, d) { continue }
                let code = dbPut(db, k, d, .noOverwrite, t)
                #expect(code == (m.map[k] != nil ? DB_KEYEXIST : 0), "\(w): DB->put DB_NOOVERWRITE")
                if code == 0 { m.insert(k, d) }
            case 22..<30:
                if blocked(k, d) { continue }
                let op: BtreePutOp = Bool.random(using: &rng) ? .keyFirst : .keyLast
                let code = cPut(c, k, d, op)
                #expect(code == (m.has(k, d) ? DB_KEYEXIST : 0), "\(w): DBC->put \(op)")
                if code == 0 {
                    m.insert(k, d)
                    pos[ci] = SortedPos(pair: Pair(k, d))
                    #expect(cGet(c, .current) == .hit(Pair(k, d)), "\(w): DB_CURRENT after DBC->put")
                }
            case 30..<36:
                let code = dbDel(db, k, t)
                #expect(code == (m.map[k] == nil ? DB_NOTFOUND : 0), "\(w): DB->del")
                m.map[k] = nil
                removed(k, nil)
            case 36..<46:
                expectMove(ci, cGet(c, .getBoth, k, d), m.has(k, d) ? Pair(k, d) : nil, "\(w): DB_GET_BOTH")
            case 46..<54:
                guard let p = pos[ci] else { continue }
                if p.deleted {
                    #expect(cDel(c) == DB_KEYEMPTY, "\(w): DBC->del on a deleted item")
                } else {
                    #expect(cDel(c) == 0, "\(w): DBC->del of \(p.pair)")
                    m.remove(p.pair.key, p.pair.data)
                    removed(p.pair.key, p.pair.data)
                }
            case 54..<60:
                guard let p = pos[ci] else { continue }
                #expect(cGet(c, .current) == (p.deleted ? .code(DB_KEYEMPTY) : .hit(p.pair)), "\(w): DB_CURRENT on \(p.pair)")
            case 60..<80:
                let ops: [BtreeGetOp] = [.next, .prev, .nextDup, .prevDup, .nextNoDup, .prevNoDup]
                let op = ops[Int.random(in: 0..<ops.count, using: &rng)]
                let p = pos[ci]
                if p == nil && (op == .nextDup || op == .prevDup) { continue }
                let want: Pair?
                switch op {
                case .next: want = m.after(p?.pair)
                case .prev: want = m.before(p?.pair)
                case .nextDup: want = m.after(p!.pair).flatMap { $0.key == p!.pair.key ? $0 : nil }
                case .prevDup: want = m.before(p!.pair).flatMap { $0.key == p!.pair.key ? $0 : nil }
                case .nextNoDup:
                    let nk = sortedKeys(m.map).first { p == nil || lexCompare($0, p!.pair.key) > 0 }
                    want = nk.map { Pair($0, m.map[$0]!.first!) }
                default:
                    let pk = sortedKeys(m.map).last { p == nil || lexCompare($0, p!.pair.key) < 0 }
                    want = pk.map { Pair($0, m.map[$0]!.last!) }
                }
                expectMove(ci, cGet(c, op), want, "\(w): \(op) from \(p.map { "\($0.pair)\($0.deleted ? " (deleted)" : "")" } ?? "unset")")
            case 80..<84:
                let first = Bool.random(using: &rng)
                expectMove(ci, cGet(c, first ? .first : .last), first ? m.after(nil) : m.before(nil), "\(w): DB_FIRST/DB_LAST")
            case 84..<88:
                if Bool.random(using: &rng) {
                    expectMove(ci, cGet(c, .set, k), m.map[k].map { Pair(k, $0[0]) }, "\(w): DB_SET")
                } else {
                    let probe = k + (Bool.random(using: &rng) ? [] : [0x2E])
                    let want = sortedKeys(m.map).first { lexCompare($0, probe) >= 0 }.map { Pair($0, m.map[$0]![0]) }
                    expectMove(ci, cGet(c, .setRange, probe), want, "\(w): DB_SET_RANGE \(show(probe))")
                }
            case 88..<91:
                guard let p = pos[ci], !p.deleted else { continue }
                #expect(cCount(c) == m.map[p.pair.key]!.count, "\(w): DBC->count at \(p.pair)")
            case 91..<96:
                #expect(dbGet(db, k, t) == .of(m.map[k].map { Pair(k, $0[0]) }), "\(w): DB->get")
                #expect(dbGet(db, k, both: d, t) == .of(m.has(k, d) ? Pair(k, d) : nil), "\(w): DB->get DB_GET_BOTH")
            default:
                try checkSorted(db, t, m, w)
            }
        }
    }

    /// Whole-view checks with a fresh cursor: both walks, and each key's
    /// duplicates by DB_NEXT_DUP and DB_PREV_DUP, with their count.
    fileprivate func checkSorted(_ db: Database, _ t: Transaction, _ m: SortedModel, _ what: String) throws {
        let c = try db.cursor(txn: t)
        let exp = m.flat()
        let fwd = walk(c, .first, .next)
        #expect(fwd.0 == exp && fwd.1 == DB_NOTFOUND, "\(what): DB_NEXT walk")
        let bwd = walk(c, .last, .prev)
        #expect(bwd.0 == exp.reversed() && bwd.1 == DB_NOTFOUND, "\(what): DB_PREV walk")
        let nodup = walk(c, .first, .nextNoDup)
        #expect(nodup.0 == sortedKeys(m.map).map { Pair($0, m.map[$0]!.first!) }, "\(what): DB_NEXT_NODUP walk")
        let prevNodup = walk(c, .last, .prevNoDup)
        #expect(prevNodup.0 == sortedKeys(m.map).reversed().map { Pair($0, m.map[$0]!.last!) }, "\(what): DB_PREV_NODUP walk")
        for k in sortedKeys(m.map) {
            let dups = m.map[k]!.map { Pair(k, $0) }
            let down = { () -> ([Pair], Int32) in
                var items: [Pair] = []
                var o = cGet(c, .set, k)
                while case .hit(let p) = o { items.append(p); o = cGet(c, .nextDup) }
                return (items, { if case .code(let e) = o { return e } else { return 0 } }())
            }()
            #expect(down.0 == dups && down.1 == DB_NOTFOUND, "\(what): DB_NEXT_DUP walk of \(show(k))")
            #expect(cCount(c) == dups.count, "\(what): DBC->count of \(show(k))")
            var up: [Pair] = []
            var o = cGet(c, .current)
            while case .hit(let p) = o { up.append(p); o = cGet(c, .prevDup) }
            #expect(up == dups.reversed() && o == .code(DB_NOTFOUND), "\(what): DB_PREV_DUP walk of \(show(k))")
        }
    }

    @Test func sortedDuplicateTransactionsMatchTheModel() throws {
        try inScratch { dir in
            let env = try openEnv(dir)
            let db = try openDB(env, "sorted.db", [.dup, .dupSort])
            var rng = BtreeRandom(seed: seed(0x7E51_0003))
            var committed = SortedModel()
            for round in 0..<40 {
                let top = try env.beginTransaction(parent: nil, flags: 0)
                var view = committed
                try sortedOps(db, top, &view, 60, "round \(round)", &rng)
                if round % 2 == 0 {
                    let child = try env.beginTransaction(parent: top, flags: 0)
                    var childView = view
                    try sortedOps(db, child, &childView, 40, "round \(round) child", &rng)
                    try checkSorted(db, child, childView, "round \(round) child end")
                    if Int.random(in: 0..<10, using: &rng) < 6 {
                        try child.commit(flags: 0)
                        view = childView
                    } else {
                        try child.abort()
                    }
                    try checkSorted(db, top, view, "round \(round) after the child")
                }
                try sortedOps(db, top, &view, 30, "round \(round) again", &rng)
                try checkSorted(db, top, view, "round \(round) end")
                if Int.random(in: 0..<10, using: &rng) < 7 {
                    try top.commit(flags: 0)
                    committed = view
                } else {
                    try top.abort()
                }
                #expect(try dump(db) == committed.flat(), "round \(round): committed tree")
            }
            try db.close(noSync: false)
            try env.close()
        }
    }

    /// libdb reuses a deleted sorted duplicate's slot when the same pair is
    /// put again (__bamc_put: "cmp == 0 ... IS_DELETED -> iiop = DB_CURRENT"),
    /// and __bam_iitem clears the deleted flag of the cursors on it: the
    /// cursor that deleted the item sees it again at DB_CURRENT, and DB_NEXT
    /// goes to the item after it. Tern's plain cursors do this; the check
    /// runs on both paths, for a pair from the tree and one the transaction
    /// added.
    @Test func sortedRewriteRevivesTheCursor() throws {
        try inScratch { dir in
            let env = try openEnv(dir)
            let db = try openDB(env, "revive.db", [.dup, .dupSort])
            let plainEnv = Environment()
            plainEnv.isPrivateToDatabase = true
            let plain = Database(environment: plainEnv)
            plain.config.flags.formUnion([.dup, .dupSort])
            try plain.open(file: dir + "/plain.db", database: nil, type: DB_BTREE, flags: UInt32(DB_CREATE), mode: 0,
                           options: BtreeOptions(flags: [.dup, .dupSort]))
            let load = try env.beginTransaction(parent: nil, flags: 0)
            for d in ["a", "b", "c"] {
                #expect(dbPut(db, bytes("k"), bytes(d), .keyLast, load) == 0)
                try withBuffer(bytes("k")) { (k) throws(DBError) in
                    try withBuffer(bytes(d)) { (v) throws(DBError) in try plain.put(key: k, data: v, .keyLast, autoCommit: false) }
                }
            }
            try load.commit(flags: 0)

            /// Delete (k, d) through a cursor, put it back with DB->put, and
            /// read around the cursor.
            func scenario(_ c: DatabaseCursor, _ d: String, _ put: () -> Int32) -> [Out] {
                var outs = [cGet(c, .getBoth, bytes("k"), bytes(d))]
                outs.append(.code(cDel(c)))
                outs.append(cGet(c, .current))
                outs.append(.code(put()))
                outs.append(cGet(c, .current))
                outs.append(cGet(c, .next))
                outs.append(cGet(c, .prev))
                return outs
            }
            let expected: [Out] = [.hit(Pair(bytes("k"), bytes("b"))), .code(0), .code(DB_KEYEMPTY), .code(0),
                                   .hit(Pair(bytes("k"), bytes("b"))), .hit(Pair(bytes("k"), bytes("c"))),
                                   .hit(Pair(bytes("k"), bytes("b")))]
            let oracle = scenario(try plain.cursor(), "b") {
                errorCode { () throws(DBError) in
                    try withBuffer(bytes("k")) { (k) throws(DBError) in
                        try withBuffer(bytes("b")) { (v) throws(DBError) in try plain.put(key: k, data: v, .keyLast, autoCommit: false) }
                    }
                }
            }
            #expect(oracle == expected, "non-transactional cursor")

            let t = try env.beginTransaction(parent: nil, flags: 0)
            do {
                let got = scenario(try db.cursor(txn: t), "b") { dbPut(db, bytes("k"), bytes("b"), .keyLast, t) }
                #expect(got == expected, "transactional cursor, pair from the tree")
            }
            // A pair the transaction itself added.
            #expect(dbPut(db, bytes("k"), bytes("bb"), .keyLast, t) == 0)
            do {
                let got = scenario(try db.cursor(txn: t), "bb") { dbPut(db, bytes("k"), bytes("bb"), .keyLast, t) }
                #expect(got == [.hit(Pair(bytes("k"), bytes("bb"))), .code(0), .code(DB_KEYEMPTY), .code(0),
                                .hit(Pair(bytes("k"), bytes("bb"))), .hit(Pair(bytes("k"), bytes("c"))),
                                .hit(Pair(bytes("k"), bytes("bb")))],
                        "transactional cursor, pair from the write set")
            }
            #expect(try dump(db, t).map { String(decoding: $0.data, as: UTF8.self) } == ["a", "b", "bb", "c"])
            try t.commit(flags: 0)
            #expect(try dump(db).map { String(decoding: $0.data, as: UTF8.self) } == ["a", "b", "bb", "c"])
            try plain.close(noSync: true)
            try db.close(noSync: false)
            try env.close()
        }
    }

    // MARK: 4. Unsorted duplicates: positional cursor writes

    func dupKey(_ rng: inout BtreeRandom) -> [UInt8] { bytes("u\(Int.random(in: 0..<8, using: &rng))") }

    func dupData(_ rng: inout BtreeRandom) -> [UInt8] {
        if Int.random(in: 0..<50, using: &rng) == 0 {
            return [UInt8](repeating: 0x78, count: 700) + [UInt8(Int.random(in: 0..<4, using: &rng))]
        }
        return bytes("x\(Int.random(in: 0..<20, using: &rng))")
    }

    /// `n` random operations in `t` through DB-> calls and two cursors,
    /// mirrored on `shadow` when given.
    fileprivate func dupOps(_ db: Database, _ t: Transaction, _ m: inout DupModel, _ shadow: Shadow?, _ n: Int, _ what: String,
                _ rng: inout BtreeRandom) throws {
        let cs = [try db.cursor(txn: t), try db.cursor(txn: t)]
        var pos: [DupModel.Pos?] = [nil, nil]
        /// The engine's and the shadow's outcome must both be `want`.
        func same(_ got: Out, _ shadowGot: Out?, _ want: Out, _ w: String) {
            #expect(got == want, "\(w)")
            if let shadowGot { #expect(shadowGot == want, "\(w) (non-transactional cursor)") }
        }
        func sameCode(_ got: Int32, _ shadowGot: Int32?, _ want: Int32, _ w: String) {
            same(.code(got), shadowGot.map { .code($0) }, .code(want), w)
        }
        func move(_ ci: Int, _ got: Out, _ shadowGot: Out?, _ want: (Pair, DupModel.Pos)?, _ w: String) {
            same(got, shadowGot, .of(want?.0), w)
            if let want { pos[ci] = want.1 }
        }
        for step in 0..<n {
            let ci = Int.random(in: 0..<2, using: &rng)
            let c = cs[ci]
            let sc = shadow?.cursors[ci]
            let k = dupKey(&rng)
            let d = dupData(&rng)
            let p = pos[ci]
            let here = p.flatMap { m.item($0) }
            let w = "\(what), step \(step), cursor \(ci) at \(p.map { "\(show($0.key))#\($0.id)\(here!.deleted ? " (deleted)" : "")" } ?? "unset")"
            switch Int.random(in: 0..<100, using: &rng) {
            case 0..<14:
                let first = Bool.random(using: &rng)
                let op: BtreePutOp = first ? .keyFirst : .keyLast
                sameCode(cPut(c, k, d, op), sc.map { cPut($0, k, d, op) }, 0, "\(w): DBC->put \(op) \(show(k))")
                pos[ci] = m.insert(k, d, at: first ? 0 : m.map[k]?.count ?? 0)
            case 14..<26:
                guard let p else { continue }
                let after = Bool.random(using: &rng)
                let op: BtreePutOp = after ? .after : .before
                sameCode(cPut(c, nil, d, op), sc.map { cPut($0, nil, d, op) }, 0, "\(w): DBC->put \(op)")
                pos[ci] = m.insert(p.key, d, at: m.index(p)! + (after ? 1 : 0))
            case 26..<31:
                guard let p else { continue }
                let want = here!.deleted ? DB_NOTFOUND : 0
                sameCode(cPut(c, nil, d, .current), sc.map { cPut($0, nil, d, .current) }, want, "\(w): DBC->put DB_CURRENT")
                if want == 0 { m.map[p.key]![m.index(p)!].data = d }
            case 31..<39:
                guard let p else { continue }
                sameCode(cDel(c), sc.map { cDel($0) }, here!.deleted ? DB_KEYEMPTY : 0, "\(w): DBC->del")
                m.map[p.key]![m.index(p)!].deleted = true
            case 39..<44:
                guard let p else { continue }
                same(cGet(c, .current), sc.map { cGet($0, .current) },
                     here!.deleted ? .code(DB_KEYEMPTY) : .hit(Pair(p.key, here!.data)), "\(w): DB_CURRENT")
            case 44..<50:
                let noOverwrite = Int.random(in: 0..<4, using: &rng) == 0
                let exists = m.firstOf(k) != nil
                let want = noOverwrite && exists ? DB_KEYEXIST : 0
                sameCode(dbPut(db, k, d, noOverwrite ? .noOverwrite : .keyLast, t),
                         shadow.map { $0.put(k, d, noOverwrite ? .noOverwrite : .keyLast) }, want, "\(w): DB->put \(show(k))")
                if want == 0 { _ = m.insert(k, d, at: m.map[k]?.count ?? 0) }
            case 50..<53:
                let exists = m.firstOf(k) != nil
                sameCode(dbDel(db, k, t), shadow.map { $0.del(k) }, exists ? 0 : DB_NOTFOUND, "\(w): DB->del \(show(k))")
                for i in (m.map[k] ?? []).indices { m.map[k]![i].deleted = true }
            case 53..<80:
                let ops: [BtreeGetOp] = [.next, .prev, .nextDup, .prevDup, .nextNoDup, .prevNoDup]
                let op = ops[Int.random(in: 0..<ops.count, using: &rng)]
                if p == nil && (op == .nextDup || op == .prevDup) { continue }
                let want: (Pair, DupModel.Pos)?
                switch op {
                case .next: want = m.next(p)
                case .prev: want = m.prev(p)
                case .nextDup: want = m.next(p, dupOnly: true)
                case .prevDup: want = m.prev(p, dupOnly: true)
                case .nextNoDup: want = m.firstOf(m.keyAfter(p?.key))
                default: want = m.lastOf(m.keyBefore(p?.key))
                }
                move(ci, cGet(c, op), sc.map { cGet($0, op) }, want, "\(w): \(op)")
            case 80..<84:
                let first = Bool.random(using: &rng)
                let op: BtreeGetOp = first ? .first : .last
                move(ci, cGet(c, op), sc.map { cGet($0, op) }, first ? m.next(nil) : m.prev(nil), "\(w): \(op)")
            case 84..<88:
                move(ci, cGet(c, .set, k), sc.map { cGet($0, .set, k) }, m.firstOf(k), "\(w): DB_SET \(show(k))")
            case 88..<92:
                // DB_GET_BOTH: the first live duplicate with those bytes.
                let both = m.map[k].flatMap { items in
                    items.first { !$0.deleted && $0.data == d }.map { (Pair(k, d), DupModel.Pos(key: k, id: $0.id)) }
                }
                move(ci, cGet(c, .getBoth, k, d), sc.map { cGet($0, .getBoth, k, d) }, both, "\(w): DB_GET_BOTH \(show(k))/\(show(d))")
            case 92..<95:
                guard let p, !here!.deleted else { continue }
                let live = m.map[p.key]!.filter { !$0.deleted }.count
                #expect(cCount(c) == live, "\(w): DBC->count")
                if let sc { #expect(cCount(sc) == live, "\(w): DBC->count (non-transactional cursor)") }
            default:
                let exp = m.flat()
                let fresh = try db.cursor(txn: t)
                let fwd = walk(fresh, .first, .next)
                #expect(fwd.0 == exp && fwd.1 == DB_NOTFOUND, "\(w): DB_NEXT walk")
                let bwd = walk(fresh, .last, .prev)
                #expect(bwd.0 == exp.reversed() && bwd.1 == DB_NOTFOUND, "\(w): DB_PREV walk")
                if let shadow { #expect(try dump(shadow.db) == exp, "\(w): non-transactional database") }
                #expect(dbGet(db, k, t) == .of(m.firstOf(k)?.0), "\(w): DB->get \(show(k))")
            }
        }
    }

    @Test func unsortedDuplicateCursorWritesMatchTheModel() throws {
        try inScratch { dir in
            let env = try openEnv(dir)
            let db = try openDB(env, "dup.db", [.dup])
            var rng = BtreeRandom(seed: seed(0x7E51_0004))
            var committed: [[UInt8]: [[UInt8]]] = [:]
            for round in 0..<30 {
                var shadow: Shadow? = try Shadow(dir + "/shadow\(round).db", committed)
                #expect(try dump(shadow!.db) == flatten(committed))
                let top = try env.beginTransaction(parent: nil, flags: 0)
                var model = DupModel(committed)
                try dupOps(db, top, &model, shadow, 80, "round \(round)", &rng)
                if round % 3 == 1 {
                    // The shadow cannot follow an abort: it stops here.
                    shadow?.close()
                    shadow = nil
                    let child = try env.beginTransaction(parent: top, flags: 0)
                    var childModel = model
                    try dupOps(db, child, &childModel, nil, 40, "round \(round) child", &rng)
                    #expect(try dump(db, child) == childModel.flat(), "round \(round): child's view")
                    if Bool.random(using: &rng) {
                        try child.commit(flags: 0)
                        model = childModel
                    } else {
                        try child.abort()
                    }
                    try dupOps(db, top, &model, nil, 30, "round \(round) after the child", &rng)
                }
                #expect(try dump(db, top) == model.flat(), "round \(round): transaction's view")
                shadow?.close()
                if round % 4 != 2 {
                    try top.commit(flags: 0)
                    committed = model.committed
                    #expect(try dump(db) == flatten(committed), "round \(round): committed tree after commit")
                } else {
                    try top.abort()
                    #expect(try dump(db) == flatten(committed), "round \(round): committed tree unchanged by abort")
                }
            }
            #expect(committed.values.reduce(0) { $0 + $1.count } > 20)
            try db.close(noSync: false)
            try env.close()
        }
    }

    // MARK: 5. Persistence

    @Test func committedDataSurvivesCloseAndReopen() throws {
        try inScratch { dir in
            var rng = BtreeRandom(seed: seed(0x7E51_0005))
            var plain: [[UInt8]: [UInt8]] = [:]
            var sorted = SortedModel()
            var unsorted: [[UInt8]: [[UInt8]]] = [:]
            for phase in 0..<4 {
                let env = try openEnv(dir)
                let a = try openDB(env, "p-plain.db")
                let b = try openDB(env, "p-sorted.db", [.dup, .dupSort])
                let c = try openDB(env, "p-dup.db", [.dup])
                #expect(try dump(a) == sortedPairs(plain), "phase \(phase): plain database after reopen")
                #expect(try dump(b) == sorted.flat(), "phase \(phase): sorted database after reopen")
                #expect(try dump(c) == flatten(unsorted), "phase \(phase): unsorted database after reopen")
                if phase == 3 { try env.close(); break }
                for _ in 0..<25 {
                    let top = try env.beginTransaction(parent: nil, flags: 0)
                    var views = [(plain, sorted, unsorted)]
                    var txns = [top]
                    for _ in 0..<Int.random(in: 5...30, using: &rng) {
                        let t = txns.last!
                        var (p, s, u) = views.removeLast()
                        let k = bytes("q\(Int.random(in: 0..<60, using: &rng))")
                        let d = Int.random(in: 0..<30, using: &rng) == 0
                            ? [UInt8](repeating: 0x7A, count: 1500) : bytes("r\(Int.random(in: 0..<40, using: &rng))")
                        switch Int.random(in: 0..<100, using: &rng) {
                        case 0..<25:
                            #expect(dbPut(a, k, d, .keyLast, t) == 0)
                            p[k] = d
                        case 25..<33:
                            #expect(dbDel(a, k, t) == (p[k] == nil ? DB_NOTFOUND : 0))
                            p[k] = nil
                        case 33..<53:
                            #expect(dbPut(b, k, d, .keyLast, t) == (s.has(k, d) ? DB_KEYEXIST : 0))
                            if !s.has(k, d) { s.insert(k, d) }
                        case 53..<58:
                            #expect(dbDel(b, k, t) == (s.map[k] == nil ? DB_NOTFOUND : 0))
                            s.map[k] = nil
                        case 58..<73:
                            #expect(dbPut(c, k, d, .keyLast, t) == 0)
                            u[k, default: []].append(d)
                        case 73..<80:
                            let cur = try c.cursor(txn: t)
                            #expect(cPut(cur, k, d, .keyFirst) == 0)
                            u[k, default: []].insert(d, at: 0)
                        case 80..<86:
                            #expect(dbDel(c, k, t) == (u[k] == nil ? DB_NOTFOUND : 0))
                            u[k] = nil
                        case 86..<92:
                            if txns.count < 3 {
                                txns.append(try env.beginTransaction(parent: t, flags: 0))
                                views.append((p, s, u))
                            }
                        default:
                            if txns.count > 1 {
                                let child = txns.removeLast()
                                if Bool.random(using: &rng) {
                                    // The parent's view becomes the child's.
                                    try child.commit(flags: 0)
                                    views.removeLast()
                                } else {
                                    try child.abort()
                                    (p, s, u) = views.removeLast()
                                }
                            }
                        }
                        views.append((p, s, u))
                    }
                    if Int.random(in: 0..<10, using: &rng) < 6 {
                        try top.commit(flags: 0)
                        (plain, sorted, unsorted) = views.last!
                    } else {
                        try top.abort()
                    }
                }
                #expect(try dump(a) == sortedPairs(plain), "phase \(phase): plain database before close")
                #expect(try dump(b) == sorted.flat(), "phase \(phase): sorted database before close")
                #expect(try dump(c) == flatten(unsorted), "phase \(phase): unsorted database before close")
                if phase == 1 {
                    // DB_ENV->close closes the databases itself.
                    try env.close()
                } else {
                    try a.close(noSync: false)
                    try b.close(noSync: false)
                    try c.close(noSync: false)
                    try env.close()
                }
            }
        }
    }

    // MARK: 6. Focused cases

    /// A transaction bigger than the cache can hold dirty: libdb commits it
    /// (its cache writes pages back under the log). Whatever happens, a
    /// commit is all or nothing: after a failed one the tree must not hold
    /// part of it.
    @Test func largeTransactionCommitsAtomically() throws {
        try inScratch { dir in
            let env = try openEnv(dir)
            let db = try openDB(env, "big.db")
            let t = try env.beginTransaction(parent: nil, flags: 0)
            var model: [[UInt8]: [UInt8]] = [:]
            for i in 0..<3000 {
                let k = bytes("b" + pad(i, 5)), d = [UInt8](repeating: UInt8(i & 0xFF), count: 1000)
                #expect(dbPut(db, k, d, .keyLast, t) == 0)
                model[k] = d
            }
            let failure: DBError?
            do throws(DBError) { try t.commit(flags: 0); failure = nil } catch { failure = error }
            #expect(failure == nil, "a 3000-item transaction's commit")
            // Its pages outgrew the region's spill index (4096 entries, 3/4
            // usable): the index grew instead of failing the apply.
            #expect((env.cache?.stats.spilledPages ?? 0) > 4096, "pages spilled before the checkpoint")
            // A checkpoint lets the cache serve reads again after a failure.
            try db.sync()
            let items = try dump(db)
            #expect(items.count == (failure == nil ? 3000 : 0),
                    "commit \(failure.map { "failed (\($0))" } ?? "succeeded"): the tree holds \(items.count) of its 3000 items")
            if failure == nil { #expect(items == sortedPairs(model)) }
            try db.close(noSync: false)
            try env.close()
        }
    }

    @Test func sortedDuplicateRangeReadsAndOverwrite() throws {
        try inScratch { dir in
            let env = try openEnv(dir)
            let db = try openDB(env, "s.db", [.dup, .dupSort])
            let t0 = try env.beginTransaction(parent: nil, flags: 0)
            for d in ["b", "d", "f"] { #expect(dbPut(db, bytes("k"), bytes(d), .keyLast, t0) == 0) }
            try t0.commit(flags: 0)
            let t = try env.beginTransaction(parent: nil, flags: 0)
            #expect(dbPut(db, bytes("k"), bytes("c"), .keyLast, t) == 0)
            do {
                let c = try db.cursor(txn: t)
                #expect(cGet(c, .getBothRange, bytes("k"), bytes("bb")) == .hit(Pair(bytes("k"), bytes("c"))))
                #expect(cGet(c, .getBothRange, bytes("k"), bytes("e")) == .hit(Pair(bytes("k"), bytes("f"))))
                #expect(cGet(c, .getBothRange, bytes("k"), bytes("g")) == .code(DB_NOTFOUND))
                #expect(cGet(c, .current) == .hit(Pair(bytes("k"), bytes("f"))))
                // DB_CURRENT must keep the item's place in the sort.
                #expect(cPut(c, nil, bytes("g"), .current) == EINVAL)
                #expect(cPut(c, nil, bytes("f"), .current) == 0)
            }
            #expect(dbPut(db, bytes("k"), bytes("d"), .overwriteDup, t) == 0)
            #expect(dbPut(db, bytes("k"), bytes("d"), .noDupData, t) == DB_KEYEXIST)
            let expected = ["b", "c", "d", "f"].map { Pair(bytes("k"), bytes($0)) }
            #expect(try dump(db, t) == expected)
            try t.commit(flags: 0)
            #expect(try dump(db) == expected)
            try db.close(noSync: false)
            try env.close()
        }
    }

    /// A parent's cursors, one positioned before the transaction wrote
    /// anything (it reads the tree) and a DB_POSITION copy of it, keep their
    /// places through a child's positional writes and commit.
    @Test func parentCursorKeepsItsPlaceAcrossAChild() throws {
        try inScratch { dir in
            let env = try openEnv(dir)
            let db = try openDB(env, "u.db", [.dup])
            let t0 = try env.beginTransaction(parent: nil, flags: 0)
            for d in ["1", "2", "3"] { #expect(dbPut(db, bytes("k"), bytes(d), .keyLast, t0) == 0) }
            #expect(dbPut(db, bytes("m"), bytes("9"), .keyLast, t0) == 0)
            try t0.commit(flags: 0)
            let t = try env.beginTransaction(parent: nil, flags: 0)
            let c = try db.cursor(txn: t)
            #expect(cGet(c, .set, bytes("k")) == .hit(Pair(bytes("k"), bytes("1"))))
            #expect(cGet(c, .next) == .hit(Pair(bytes("k"), bytes("2"))))
            let copy = c.duplicate(keepPosition: true)
            #expect(cGet(copy, .current) == .hit(Pair(bytes("k"), bytes("2"))))
            let child = try env.beginTransaction(parent: t, flags: 0)
            do {
                let cc = try db.cursor(txn: child)
                #expect(cGet(cc, .set, bytes("k")) == .hit(Pair(bytes("k"), bytes("1"))))
                #expect(cPut(cc, nil, bytes("1a"), .after) == 0)
                #expect(cGet(cc, .next) == .hit(Pair(bytes("k"), bytes("2"))))
                #expect(cDel(cc) == 0)
                #expect(cPut(cc, bytes("k"), bytes("0"), .keyFirst) == 0)
            }
            try child.commit(flags: 0)
            // Both stood on "2", which the child deleted.
            #expect(cGet(c, .current) == .code(DB_KEYEMPTY))
            #expect(cGet(c, .next) == .hit(Pair(bytes("k"), bytes("3"))))
            #expect(cGet(copy, .prev) == .hit(Pair(bytes("k"), bytes("1a"))))
            #expect(cGet(copy, .prev) == .hit(Pair(bytes("k"), bytes("1"))))
            #expect(cGet(copy, .prev) == .hit(Pair(bytes("k"), bytes("0"))))
            #expect(cCount(copy) == 4)
            #expect(cGet(copy, .prev) == .code(DB_NOTFOUND))
            withExtendedLifetime((c, copy)) {}
            try t.commit(flags: 0)
            #expect(try dump(db) == [("k", "0"), ("k", "1"), ("k", "1a"), ("k", "3"), ("m", "9")].map { Pair(bytes($0.0), bytes($0.1)) })
            try env.close()
        }
    }

    /// Two handles on one database share the transaction's writes; two
    /// databases of one file commit together.
    @Test func handlesAndSubdatabasesInOneTransaction() throws {
        try inScratch { dir in
            let env = try openEnv(dir)
            let a = try openDB(env, "same.db")
            let b = try openDB(env, "same.db")
            func sub(_ name: String) throws(DBError) -> Database {
                let db = Database(environment: env)
                try db.open(file: "multi.db", database: name, type: DB_BTREE, flags: UInt32(DB_CREATE | DB_AUTO_COMMIT),
                            mode: 0, options: BtreeOptions())
                return db
            }
            let s1 = try sub("one"), s2 = try sub("two")
            let t = try env.beginTransaction(parent: nil, flags: 0)
            #expect(dbPut(a, bytes("x"), bytes("1"), .keyLast, t) == 0)
            #expect(dbGet(b, bytes("x"), t) == .hit(Pair(bytes("x"), bytes("1"))))
            #expect(dbPut(b, bytes("x"), bytes("2"), .keyLast, t) == 0)
            #expect(dbGet(a, bytes("x"), t) == .hit(Pair(bytes("x"), bytes("2"))))
            #expect(dbPut(s1, bytes("x"), bytes("one"), .keyLast, t) == 0)
            #expect(dbPut(s2, bytes("x"), bytes("two"), .keyLast, t) == 0)
            #expect(dbGet(s1, bytes("x"), t) == .hit(Pair(bytes("x"), bytes("one"))))
            #expect(dbGet(s2, bytes("x"), t) == .hit(Pair(bytes("x"), bytes("two"))))
            #expect(try dump(s1) == [] && dump(a) == [])
            try t.commit(flags: 0)
            #expect(try dump(a) == [Pair(bytes("x"), bytes("2"))])
            #expect(try dump(b) == [Pair(bytes("x"), bytes("2"))])
            #expect(try dump(s1) == [Pair(bytes("x"), bytes("one"))])
            #expect(try dump(s2) == [Pair(bytes("x"), bytes("two"))])
            try env.close()
        }
    }

    @Test func recordNumbersAndPartialPutsSeePendingWrites() throws {
        try inScratch { dir in
            let env = try openEnv(dir)
            let db = Database(environment: env)
            db.config.flags.formUnion([.recnum])
            try db.open(file: "r.db", database: nil, type: DB_BTREE, flags: UInt32(DB_CREATE | DB_AUTO_COMMIT), mode: 0,
                        options: BtreeOptions(flags: [.recnum]))
            let t0 = try env.beginTransaction(parent: nil, flags: 0)
            for k in ["a", "c", "e"] { #expect(dbPut(db, bytes(k), bytes(k + k), .keyLast, t0) == 0) }
            try t0.commit(flags: 0)
            let t = try env.beginTransaction(parent: nil, flags: 0)
            #expect(dbPut(db, bytes("b"), bytes("bb"), .keyLast, t) == 0)
            #expect(dbDel(db, bytes("c"), t) == 0)
            do {
                let c = try db.cursor(txn: t)
                #expect(cGet(c, .setRecno(3)) == .hit(Pair(bytes("e"), bytes("ee"))))
                #expect(try c.recordNumber() == 3)
                #expect(cGet(c, .setRecno(4)) == .code(DB_NOTFOUND))
            }
            try withBuffer(bytes("a")) { (k) throws(DBError) in
                try withBuffer(bytes("XY")) { (d) throws(DBError) in try db.put(key: k, data: d, .keyLast, partial: (1, 0), txn: t) }
            }
            #expect(dbGet(db, bytes("a"), t) == .hit(Pair(bytes("a"), bytes("aXYa"))))
            try t.commit(flags: 0)
            #expect(try dump(db) == [("a", "aXYa"), ("b", "bb"), ("e", "ee")].map { Pair(bytes($0.0), bytes($0.1)) })
            try env.close()
        }
    }

    /// Under a comparator that matches other spellings, a transaction's put
    /// keeps the stored key's spelling, in its view and after commit.
    @Test func customComparatorKeepsTheStoredKey() throws {
        try inScratch { dir in
            let env = try openEnv(dir)
            let folded: BtreeCompare = { a, b in
                let x = a.map { $0 | 0x20 }, y = b.map { $0 | 0x20 }
                return x.lexicographicallyPrecedes(y) ? -1 : x == y ? 0 : 1
            }
            let db = Database(environment: env)
            try db.open(file: "c.db", database: nil, type: DB_BTREE, flags: UInt32(DB_CREATE | DB_AUTO_COMMIT), mode: 0,
                        options: BtreeOptions(compare: folded))
            let t0 = try env.beginTransaction(parent: nil, flags: 0)
            #expect(dbPut(db, bytes("Apple"), bytes("1"), .keyLast, t0) == 0)
            try t0.commit(flags: 0)
            let t = try env.beginTransaction(parent: nil, flags: 0)
            #expect(dbPut(db, bytes("APPLE"), bytes("2"), .keyLast, t) == 0)
            #expect(dbPut(db, bytes("banana"), bytes("3"), .keyLast, t) == 0)
            let expected = [Pair(bytes("Apple"), bytes("2")), Pair(bytes("banana"), bytes("3"))]
            #expect(try dump(db, t) == expected)
            try t.commit(flags: 0)
            #expect(try dump(db) == expected)
            try env.close()
        }
    }

    /// Closing an environment and opening it again in the same process must
    /// not depend on what other threads do. The log hold
    /// (Region.holdLog) is an open-file-description lock on a descriptor a
    /// child process inherits between fork and exec (O_CLOEXEC closes it
    /// only at exec), so while any thread is starting a process (system(),
    /// posix_spawn) the closed environment's descriptor is still open in the
    /// child. It used to keep an exclusive lock held and the reopen failed
    /// with EBUSY; now the last release unlocks explicitly, and a hold held
    /// elsewhere only means "another process has the log", never a refusal.
    @Test func reopenIsNotRefusedWhileAnotherThreadSpawnsAProcess() throws {
        try inScratch { dir in
            final class Flag: @unchecked Sendable { var stop = false }
            let flag = Flag()
            let box = Unmanaged.passRetained(flag).toOpaque()
            var thread = pthread_t()
            pthread_create(&thread, nil, { p in
                let f = Unmanaged<Flag>.fromOpaque(p!).takeUnretainedValue()
                while !f.stop { _ = system("true") }
                return nil
            }, box)
            var refused = 0, other: [Int32] = []
            for _ in 0..<200 {
                let env = Environment()
                do throws(DBError) {
                    try env.open(home: dir, flags: envFlags, mode: 0, hasIsAlive: false)
                    try env.close()
                } catch {
                    if error.code == EBUSY { refused += 1 } else { other.append(error.code) }
                }
            }
            flag.stop = true
            pthread_join(thread, nil)
            Unmanaged<Flag>.fromOpaque(box).release()
            #expect(refused == 0, "\(refused) of 200 reopens refused with EBUSY while another thread ran system()")
            #expect(other.isEmpty)
        }
    }
}
