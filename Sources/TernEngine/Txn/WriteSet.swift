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
// - `keys` is sorted by the tree's key comparison, without equal keys;
//   `entries[i]` belongs to `keys[i]`.
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
// Locking rule: a WriteSet belongs to one transaction, which one thread uses
// at a time (libdb's rule for DB_TXN handles); no lock guards it.
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

final class WriteSet {
    /// The handle the first write came through; commit applies through it.
    let opened: OpenedDatabase
    var tree: Btree { opened.tree }
    private(set) var keys: [[UInt8]] = []
    private(set) var entries: [WriteEntry] = []

    init(opened: OpenedDatabase) { self.opened = opened }

    var isEmpty: Bool { keys.isEmpty }
    var count: Int { keys.count }

    @inline(__always) func compare(_ a: [UInt8], _ b: [UInt8]) -> Int32 {
        a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in tree.cmpKeys(pa, pb) } }
    }

    /// The index of `key`, or where it would be inserted.
    func search(_ key: [UInt8]) -> (index: Int, found: Bool) {
        // Appending in key order is the common case of bulk loads.
        if let last = keys.last {
            let c = compare(key, last)
            if c > 0 { return (keys.count, false) }
            if c == 0 { return (keys.count - 1, true) }
        } else {
            return (0, false)
        }
        var lo = 0, hi = keys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let c = compare(key, keys[mid])
            if c == 0 { return (mid, true) }
            if c < 0 { hi = mid } else { lo = mid + 1 }
        }
        return (lo, false)
    }

    func entry(_ key: [UInt8]) -> WriteEntry? {
        let (i, found) = search(key)
        return found ? entries[i] : nil
    }

    /// The stored spelling of `key` (a custom comparator may match others).
    func storedKey(_ key: [UInt8]) -> [UInt8]? {
        let (i, found) = search(key)
        return found ? keys[i] : nil
    }

    func set(_ key: [UInt8], _ entry: WriteEntry) {
        let (i, found) = search(key)
        if found {
            entries[i] = entry
        } else {
            keys.insert(key, at: i)
            entries.insert(entry, at: i)
        }
    }

    /// The first key after `key` (nil: from the start) / before it (nil:
    /// from the end).
    func key(after key: [UInt8]?) -> [UInt8]? {
        guard let key else { return keys.first }
        let (i, found) = search(key)
        let j = found ? i + 1 : i
        return j < keys.count ? keys[j] : nil
    }

    func key(before key: [UInt8]?) -> [UInt8]? {
        guard let key else { return keys.last }
        let (i, _) = search(key)
        return i > 0 ? keys[i - 1] : nil
    }

    /// Every entry in key order (commit, merge into a parent).
    func forEach(_ body: ([UInt8], WriteEntry) throws(DBError) -> Void) throws(DBError) {
        for i in keys.indices { try body(keys[i], entries[i]) }
    }
}
