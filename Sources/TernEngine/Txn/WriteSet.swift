// WriteSet: one transaction's pending writes to one database (DESIGN.md's
// deferred update). Nothing in it reaches a page before commit; abort drops
// it.
//
// Granularity is the key: an entry holds the key's whole duplicate list as
// this transaction sees it, so positional writes on unsorted duplicates
// (DB_BEFORE, DB_AFTER, DB_CURRENT, DB_KEYFIRST) are exact, and reading a
// key never mixes items from the write set with items from the tree: a key
// with an entry is read from the entry alone, a key without one from the
// tree alone.
//
// Invariants:
// - `order` lists the entries in the tree's key order, without equal keys;
//   `slots[order[i]]` holds the i-th key and its entry.
// - An entry's items are in duplicate order (sorted by the duplicate
//   comparison for DB_DUPSORT; positional for DB_DUP; one item otherwise).
//   A deleted item stays as a tombstone so cursors on it keep their place
//   (DB_KEYEMPTY, next/prev continue from its slot, as in libdb); its
//   tokens are unique within the transaction family, so a cursor names its
//   item by token whatever is inserted around it.
// - An entry made from the tree's items gives them tokens 0, 1, 2, ... in
//   tree order: a cursor positioned on the tree's i-th duplicate is then on
//   token i, so positions survive the entry's creation.
//
// Past the family's memory budget, entries spill to a file (WriteSpill
// below); keys stay in memory.
//
// Locking rule: a WriteSet belongs to one transaction, which one thread uses
// at a time (libdb's rule for DB_TXN handles); no lock guards it.
//
// Exclusivity: stored properties marked @exclusivity(unchecked) are read on
// every call. None is passed inout, or mutated in place while a closure or
// callee could reach it again, so Swift's dynamic exclusivity check on them
// could never fire; it would only cost a runtime call per access.
import CTernAtomics
import Glibc

public struct WriteItem: Sendable {
    public var data: [UInt8]
    public var token: UInt64
    public var deleted: Bool
}

public struct WriteEntry: Sendable {
    public var items: [WriteItem]
    /// The tree's items of the key when the entry was made from them, kept
    /// as the commit's before-image when the key was locked exclusively
    /// before they were read (nobody can change them until this
    /// transaction ends); nil: read at commit.
    public var base: [[UInt8]]? = nil

    public init(items: [WriteItem], base: [[UInt8]]? = nil) {
        self.items = items
        self.base = base
    }
    public var liveCount: Int { items.reduce(0) { $0 + ($1.deleted ? 0 : 1) } }
    public var live: [[UInt8]] { items.compactMap { $0.deleted ? nil : $0.data } }
    /// The first live item's data, without building `live`.
    public var firstLive: [UInt8]? { items.first { !$0.deleted }?.data }
    public func index(of token: UInt64) -> Int? { items.firstIndex { $0.token == token } }
}

/// Which database a write set is for: the file (its id in the region's page
/// cache, the same for every handle and process) and the tree's meta page,
/// so two handles on one database share the transaction's writes.
struct TreeIdentity: Hashable {
    let fileID: UInt32
    let metaPage: PageNumber
}

extension OpenedDatabase {
    var identity: TreeIdentity { TreeIdentity(fileID: file.fileId, metaPage: tree.metaPage) }
}

/// A transaction family's write-set memory budget and spill file (DESIGN.md:
/// "A write set that outgrows its memory budget spills to a temporary
/// file"). Every write set of the family (the top-level transaction's and
/// its descendants') shares one: `memoryBytes` counts the keys and
/// in-memory entries of all of them; an entry set while the count is over
/// `budget` is written to the file instead (its items, tokens, tombstones
/// and before-image, encoded), and read back whenever it is needed — so
/// reads, cursors (MergedCursor) and the commit see spilled writes exactly
/// as in-memory ones. Keys stay in memory (the sorted index), as does a
/// spilled entry's live-item count (cursor scans skip dead keys without a
/// read).
///
/// The file is `__tern.spill.txn.<pid>.<n>` in the environment home (or
/// /tmp without one), unlinked as soon as it is created: it disappears
/// when the family ends (commit, abort, environment close) or the process
/// dies; only a crash between create and unlink can leave one, and its
/// name is one that open with DB_RECOVER removes (the `__tern.spill.`
/// leftovers). It is append-only: an entry rewritten after it spilled
/// leaves its old bytes behind, so the file is at most the bytes the
/// family wrote.
///
/// Locking rule: a family is used by one thread at a time (libdb's rule for
/// DB_TXN handles; a parent does nothing while a child is active), so no
/// lock guards it.
final class WriteSpill {
    let budget: Int
    let directory: String
    private var fd: Int32 = -1
    private var end: Int64 = 0
    /// Bytes of keys and in-memory entries held by the family's write sets.
    @exclusivity(unchecked) var memoryBytes = 0
    /// The keys' part of `memoryBytes` (keys never spill).
    @exclusivity(unchecked) var keyBytes = 0
    /// Entries written to the file (tests, statistics).
    private(set) var spilledEntries = 0
    private(set) var fileBytes: Int64 = 0

    init(budget: Int, directory: String) {
        self.budget = budget
        self.directory = directory
    }

    deinit { close() }

    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    var isOverBudget: Bool { memoryBytes > budget }

    private static let counter = AtomicCounter()

    private func open() throws(DBError) -> Int32 {
        if fd >= 0 { return fd }
        let dir = directory.hasSuffix("/") ? directory : directory + "/"
        for _ in 0..<100 {
            let path = dir + "__tern.spill.txn.\(getpid()).\(Self.counter.next())"
            let f = Glibc.open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if f < 0 {
                if errno == EEXIST { continue }
                let e = errno
                throw DBError(e, "tern: cannot create the transaction spill file \(path): \(String(cString: strerror(e)))")
            }
            unlink(path)
            fd = f
            return f
        }
        throw DBError(EEXIST, "tern: cannot create a transaction spill file in \(directory)")
    }

    /// Appends `bytes`; returns where they are.
    func write(_ bytes: [UInt8]) throws(DBError) -> Int64 {
        let f = try open()
        let at = end
        var done = 0
        let failure: Int32 = bytes.withUnsafeBytes { raw in
            while done < raw.count {
                let r = pwrite(f, raw.baseAddress! + done, raw.count - done, off_t(at) + off_t(done))
                if r < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                done += r
            }
            return 0
        }
        guard failure == 0 else {
            throw DBError(failure, "tern: write of the transaction spill file failed: \(String(cString: strerror(failure)))")
        }
        end += Int64(bytes.count)
        fileBytes = end
        spilledEntries += 1
        return at
    }

    func read(at offset: Int64, count: Int) throws(DBError) -> [UInt8] {
        guard fd >= 0, count >= 0, offset >= 0, offset + Int64(count) <= end else {
            throw .malformed("transaction spill reference")
        }
        let f = fd
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buf, n in
            var done = 0
            while done < count {
                let r = pread(f, buf.baseAddress! + done, count - done, off_t(offset) + off_t(done))
                if r < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                if r == 0 { failure = EIO; break }
                done += r
            }
            n = failure == 0 ? count : 0
        }
        guard failure == 0 else {
            throw DBError(failure, "tern: read of the transaction spill file failed: \(String(cString: strerror(failure)))")
        }
        return bytes
    }
}

/// A process-wide counter (spill file names). Atomic.
final class AtomicCounter: @unchecked Sendable {
    private let word = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
    init() { word.initialize(to: 0) }
    func next() -> UInt64 { tern_atomic_fetch_add_u64(word, 1) }
}

/// A write-set entry as stored: in memory, or spilled (WriteSpill).
enum StoredEntry {
    case memory(WriteEntry, bytes: Int)
    case spilled(offset: Int64, count: Int, live: Int)
}

extension WriteEntry {
    /// Bytes the entry holds (the budget's measure).
    var byteSize: Int {
        items.reduce(48) { $0 + 24 + $1.data.count } + (base?.reduce(16) { $0 + 16 + $1.count } ?? 0)
    }

    /// Spill encoding: u32 item count, per item u64 token, u8 deleted, blob
    /// data; u8 has base, [u32 count, blobs].
    func spillEncoded() -> [UInt8] {
        var w = ByteWriter(capacity: byteSize)
        w.u32(UInt32(items.count))
        for item in items {
            w.u64(item.token)
            w.u8(item.deleted ? 1 : 0)
            w.blob(item.data)
        }
        if let base {
            w.u8(1)
            w.u32(UInt32(base.count))
            for b in base { w.blob(b) }
        } else {
            w.u8(0)
        }
        return w.bytes
    }

    static func spillDecoded(_ bytes: [UInt8]) throws(DBError) -> WriteEntry {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(DBError) -> WriteEntry in
                var r = ByteReader(raw)
                let n = try r.u32()
                guard Int(n) <= r.remaining / 13 else { throw .malformed("spilled entry item count") }
                var items: [WriteItem] = []
                items.reserveCapacity(Int(n))
                for _ in 0..<n {
                    let token = try r.u64()
                    let deleted = try r.u8() != 0
                    items.append(WriteItem(data: Array(try r.blob()), token: token, deleted: deleted))
                }
                var base: [[UInt8]]?
                if try r.u8() != 0 {
                    let m = try r.u32()
                    guard Int(m) <= r.remaining / 4 else { throw .malformed("spilled entry base count") }
                    var b: [[UInt8]] = []
                    b.reserveCapacity(Int(m))
                    for _ in 0..<m { b.append(Array(try r.blob())) }
                    base = b
                }
                guard r.isAtEnd else { throw .malformed("spilled entry trailing bytes") }
                return WriteEntry(items: items, base: base)
            }
        }
        return try result.get()
    }
}

final class WriteSet {
    /// The handle the first write came through; commit applies through it.
    let opened: OpenedDatabase
    /// The family's budget and spill file.
    let spill: WriteSpill
    var tree: Btree { opened.tree }
    /// Entries in the order they were first written (never removed; a
    /// later write of a key replaces its entry in place), and `order`, their
    /// positions in key order. A new key inserts 4 bytes into `order`
    /// instead of moving a key and an entry in two sorted arrays: random
    /// keys in a transaction of 1,000 puts moved ~24 KB per put before.
    @exclusivity(unchecked) private var slots: [(key: [UInt8], entry: StoredEntry)] = []
    @exclusivity(unchecked) private var order: [Int32] = []
    /// The last search's key (exact bytes) and answer; nil after a change.
    @exclusivity(unchecked) private var lastSearch: (key: [UInt8], result: (index: Int, found: Bool))?
    /// What this set adds to `spill.memoryBytes`.
    @exclusivity(unchecked) private var memoryBytes = 0
    @exclusivity(unchecked) private var keyBytes = 0

    init(opened: OpenedDatabase, spill: WriteSpill) {
        self.opened = opened
        self.spill = spill
    }

    deinit {
        spill.memoryBytes -= memoryBytes
        spill.keyBytes -= keyBytes
    }

    var isEmpty: Bool { order.isEmpty }
    var count: Int { order.count }

    /// The key at position `i` in key order.
    @inline(__always) func key(at i: Int) -> [UInt8] { slots[Int(order[i])].key }
    @inline(__always) private func entry(at i: Int) -> StoredEntry { slots[Int(order[i])].entry }

    @inline(__always) func compare(_ a: [UInt8], _ b: [UInt8]) -> Int32 {
        a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in tree.cmpKeys(pa, pb) } }
    }

    /// The index of `key`, or where it would be inserted. A put searches
    /// its key several times in a row (the gap lock's hasEntry, the merged
    /// put, set): the last answer is kept until the set changes.
    func search(_ key: [UInt8]) -> (index: Int, found: Bool) {
        if let memo = lastSearch, memo.key == key { return memo.result }
        let result = searchOrder(key)
        lastSearch = (key, result)
        return result
    }

    private func searchOrder(_ key: [UInt8]) -> (index: Int, found: Bool) {
        let n = order.count
        if n == 0 { return (0, false) }
        let t = tree
        return key.withUnsafeBytes { kb in
            slots.withUnsafeBufferPointer { sp in
                order.withUnsafeBufferPointer { op in
                    @inline(__always) func cmp(_ i: Int) -> Int32 {
                        sp[Int(op[i])].key.withUnsafeBytes { t.cmpKeys(kb, $0) }
                    }
                    // Appending in key order is the common case of bulk loads.
                    let c = cmp(n - 1)
                    if c > 0 { return (n, false) }
                    if c == 0 { return (n - 1, true) }
                    var lo = 0, hi = n
                    while lo < hi {
                        let mid = (lo + hi) / 2
                        let c = cmp(mid)
                        if c == 0 { return (mid, true) }
                        if c < 0 { hi = mid } else { lo = mid + 1 }
                    }
                    return (lo, false)
                }
            }
        }
    }

    private func load(_ i: Int) throws(DBError) -> WriteEntry {
        switch entry(at: i) {
        case .memory(let e, _): return e
        case .spilled(let offset, let count, _):
            return try WriteEntry.spillDecoded(spill.read(at: offset, count: count))
        }
    }

    func entry(_ key: [UInt8]) throws(DBError) -> WriteEntry? {
        let (i, found) = search(key)
        return found ? try load(i) : nil
    }

    func hasEntry(_ key: [UInt8]) -> Bool { search(key).found }

    /// The live items of the key's entry (nil: no entry), without reading a
    /// spilled entry back.
    func liveCount(_ key: [UInt8]) -> Int? {
        let (i, found) = search(key)
        guard found else { return nil }
        switch entry(at: i) {
        case .memory(let e, _): return e.liveCount
        case .spilled(_, _, let live): return live
        }
    }

    /// The stored spelling of `key` (a custom comparator may match others).
    func storedKey(_ key: [UInt8]) -> [UInt8]? {
        let (i, found) = search(key)
        return found ? self.key(at: i) : nil
    }

    /// The entry as it will be stored: in memory while the family is within
    /// its budget, else spilled.
    private func store(_ entry: WriteEntry) throws(DBError) -> StoredEntry {
        let size = entry.byteSize
        if spill.memoryBytes + size > spill.budget {
            let bytes = entry.spillEncoded()
            let at = try spill.write(bytes)
            return .spilled(offset: at, count: bytes.count, live: entry.liveCount)
        }
        return .memory(entry, bytes: size)
    }

    private func account(_ e: StoredEntry, _ sign: Int) {
        if case .memory(_, let bytes) = e {
            memoryBytes += sign * bytes
            spill.memoryBytes += sign * bytes
        }
    }

    func set(_ key: [UInt8], _ entry: WriteEntry) throws(DBError) {
        let (i, found) = search(key)
        if found { account(self.entry(at: i), -1) }
        let stored = try store(entry)
        account(stored, 1)
        place(key, stored, at: i, found: found)
    }

    private func place(_ key: [UInt8], _ stored: StoredEntry, at i: Int, found: Bool) {
        if found {
            slots[Int(order[i])].entry = stored
        } else {
            lastSearch = nil
            order.insert(Int32(slots.count), at: i)
            slots.append((key, stored))
            let k = 32 + key.count
            memoryBytes += k
            keyBytes += k
            spill.memoryBytes += k
            spill.keyBytes += k
        }
    }

    /// A child's commit: its entries replace this set's for the same keys,
    /// moved as stored (spilled ones are not read back; both sets share the
    /// family's file).
    func absorb(_ child: WriteSet) {
        precondition(child.spill === spill, "WriteSet.absorb across families")
        for j in 0..<child.count {
            let key = child.key(at: j), stored = child.entry(at: j)
            let (i, found) = search(key)
            if found { account(entry(at: i), -1) }
            account(stored, 1)
            place(key, stored, at: i, found: found)
        }
    }

    /// The first key after `key` (nil: from the start) / before it (nil:
    /// from the end).
    func key(after key: [UInt8]?) -> [UInt8]? {
        guard let key else { return order.isEmpty ? nil : self.key(at: 0) }
        let (i, found) = search(key)
        let j = found ? i + 1 : i
        return j < order.count ? self.key(at: j) : nil
    }

    func key(before key: [UInt8]?) -> [UInt8]? {
        guard let key else { return order.isEmpty ? nil : self.key(at: order.count - 1) }
        let (i, _) = search(key)
        return i > 0 ? self.key(at: i - 1) : nil
    }

    /// Every entry in key order (commit), spilled ones read back one at a
    /// time.
    func forEach(_ body: ([UInt8], WriteEntry) throws(DBError) -> Void) throws(DBError) {
        for i in order.indices { try body(key(at: i), try load(i)) }
    }
}
