// Transactions: DB_TXN's engine side (DESIGN.md, "Transactions: deferred
// update with logical logging").
//
// A transaction keeps its writes in write sets (WriteSet.swift), one per
// database; its reads see them first. Nested transactions form a chain: a
// child reads its own write sets, then its parent's, and so on up, then the
// tree. A child's commit merges its write sets into its parent's (and hands
// its locks to the parent); its abort drops them. Only a top-level commit
// reaches the log: one CommitRecord holding every net operation with its
// before-image (or, for a big transaction, a chain of chunk records closed
// by a commit marker: CommitWriter.swift), appended and applied inside one
// commit section (CommitPath.swift), then made durable as the commit's
// flags say, then the locks are released. Write sets past the family's
// memory budget spill to a temporary file (WriteSpill in WriteSet.swift).
//
// Invariants:
// - `state` moves active -> committed | aborted once; a finished transaction
//   accepts no operation (the C layer frees its handle, as libdb does).
// - A parent does nothing while a child is active (libdb's rule); so the
//   chain's write sets change only at its newest member.
// - Before-images are read at commit, under each tree's exclusive latch, so
//   they are exactly the values the operations replace.
//
// Locking rule: a Transaction is used by one thread at a time (libdb's rule
// for DB_TXN handles). The shared transaction table (TransactionTable, in the
// region) has its own mutex.
//
// Exclusivity: stored properties marked @exclusivity(unchecked) are read on
// every call. None is passed inout, or mutated in place while a closure or
// callee could reach it again, so Swift's dynamic exclusivity check on them
// could never fire; it would only cost a runtime call per access.
import CBerkeleyDB
import Glibc

public final class Transaction {
    public enum State: Sendable { case active, committed, aborted }

    public let environment: Environment
    public let id: UInt32
    public let parent: Transaction?
    @exclusivity(unchecked) public internal(set) var state: State = .active
    public var name: String? {
        didSet { environment.transactionTableStorage?.setName(slot: slot, name ?? "") }
    }
    /// DB_TXN_NOWAIT (or the environment's default): conflicts return
    /// DB_LOCK_NOTGRANTED at once.
    @exclusivity(unchecked) public var noWait: Bool
    public let readCommitted: Bool
    public let readUncommitted: Bool
    /// Durability chosen at begin (DB_TXN_SYNC / WRITE_NOSYNC / NOSYNC), or
    /// nil for the environment's default.
    let beginMode: LogWriteMode?
    @exclusivity(unchecked) public internal(set) var priority: UInt32 = 100
    /// DB_TXN->set_timeout values (microseconds; nil: the environment's).
    @exclusivity(unchecked) var lockTimeout: UInt32?
    @exclusivity(unchecked) var txnTimeout: UInt32?
    /// Active children (at most one may be working; libdb allows several to
    /// exist).
    @exclusivity(unchecked) var children: [ObjectIdentifier: Transaction] = [:]
    @exclusivity(unchecked) var writeSets = TreeMap<WriteSet>()
    /// The top-level transaction's: see `writeSpill`.
    @exclusivity(unchecked) var writeSpillStorage: WriteSpill?
    /// Open cursors (commit and abort with open cursors fail, as libdb's).
    @exclusivity(unchecked) public var cursorCount = 0
    /// Where this transaction's row is in the region's table.
    let slot: Int
    /// The next token for a new write item (see WriteSet); shared along the
    /// family through the top-level transaction.
    @exclusivity(unchecked) private var nextTokenStorage: UInt64 = 1 << 40
    /// File operations that take effect at the top-level commit (dbremove,
    /// dbrename in a transaction), in order; a child's pass to its parent.
    @exclusivity(unchecked) var onCommit: [() throws -> Void] = []
    /// Undo actions for effects that happened at once (a file DB->open
    /// created in this transaction is removed if it aborts).
    @exclusivity(unchecked) var onAbort: [() -> Void] = []
    /// Key locks held, by database (escalation counts these).
    @exclusivity(unchecked) var locking = TransactionLocks()
    /// The leaf the last write's next-key probe found for its key, in its
    /// tree (a commit that still finds it unchanged applies there: LeafHint).
    @exclusivity(unchecked) var leafHint: (key: [UInt8], tree: ObjectIdentifier, leaf: LeafHint)?
    /// The last application record (log_printf, log_put_record) this
    /// transaction wrote: the next one's prev_lsn, as libdb chains them.
    @exclusivity(unchecked) var lastApplicationLSN: LSN?
    /// Application-type records (rectype >= DB_user_BEGIN) written in this
    /// transaction and its committed children, in log order: an abort hands
    /// them back, newest first, to the application's dispatch function.
    @exclusivity(unchecked) var applicationUndo: [(lsn: LSN, record: [UInt8])] = []

    init(environment: Environment, id: UInt32, parent: Transaction?, slot: Int, flags: UInt32) {
        self.environment = environment
        self.id = id
        self.parent = parent
        self.slot = slot
        let envFlags = environment.config.flags
        noWait = flags & UInt32(DB_TXN_NOWAIT) != 0
            || (envFlags & UInt32(DB_TXN_NOWAIT) != 0 && flags & UInt32(DB_TXN_WAIT) == 0)
        readCommitted = flags & UInt32(DB_READ_COMMITTED) != 0
        readUncommitted = flags & UInt32(DB_READ_UNCOMMITTED) != 0
        beginMode = flags & UInt32(DB_TXN_SYNC) != 0 ? .sync
            : flags & UInt32(DB_TXN_NOSYNC) != 0 ? .noSync
            : flags & UInt32(DB_TXN_WRITE_NOSYNC) != 0 ? .writeNoSync : nil
        if let parent { priority = parent.priority }
    }

    var root: Transaction { parent?.root ?? self }

    func newToken() -> UInt64 {
        let r = root
        r.nextTokenStorage += 1
        return r.nextTokenStorage
    }

    /// The chain from this transaction up to its top-level ancestor.
    var chain: UnfoldSequence<Transaction, (Transaction?, Bool)> {
        sequence(first: self) { $0.parent }
    }

    /// libdb refuses writes through a parent while a child is active.
    func requireNoActiveChild() throws(DBError) {
        if !children.isEmpty { throw DBError(EPERM, "BDB4538 Child transaction is active") }
    }

    func requireActive(_ method: String) throws(DBError) {
        guard state == .active else {
            throw .invalid("BDB4535 transaction already \(state == .committed ? "committed" : "aborted")")
        }
    }

    // MARK: Write sets

    /// The family's write-set budget and spill file (WriteSpill), made by
    /// the top-level transaction at its first write.
    var writeSpill: WriteSpill {
        let r = root
        if let s = r.writeSpillStorage { return s }
        let home = environment.home.flatMap { $0.isEmpty ? nil : $0 } ?? "."
        let s = WriteSpill(budget: environment.writeSetBudget, directory: home)
        r.writeSpillStorage = s
        return s
    }

    func writeSet(for opened: OpenedDatabase) -> WriteSet {
        let id = opened.identity
        if let ws = writeSets[id] { return ws }
        let ws = WriteSet(opened: opened, spill: writeSpill)
        writeSets[id] = ws
        return ws
    }

    /// The entry for `key` as this transaction sees it: its own, else the
    /// nearest ancestor's; nil when the key is read from the tree.
    func entry(_ opened: OpenedDatabase, _ key: [UInt8]) throws(DBError) -> WriteEntry? {
        let id = opened.identity
        for t in chain {
            if let ws = t.writeSets[id], ws.hasEntry(key) { return try ws.entry(key) }
        }
        return nil
    }

    /// Whether any member of the chain has an entry for `key`.
    func hasEntry(_ opened: OpenedDatabase, _ key: [UInt8]) -> Bool {
        let id = opened.identity
        for t in chain where t.writeSets[id]?.hasEntry(key) ?? false { return true }
        return false
    }

    /// The live items of the nearest entry for `key` (nil: no entry),
    /// without reading a spilled entry back.
    func liveCount(_ opened: OpenedDatabase, _ key: [UInt8]) -> Int? {
        let id = opened.identity
        for t in chain {
            if let n = t.writeSets[id]?.liveCount(key) { return n }
        }
        return nil
    }

    /// The spelling `key` is stored under in the nearest write set that has
    /// it.
    func storedKey(_ opened: OpenedDatabase, _ key: [UInt8]) -> [UInt8]? {
        let id = opened.identity
        for t in chain {
            if let k = t.writeSets[id]?.storedKey(key) { return k }
        }
        return nil
    }

    /// Whether any member of the chain wrote to this database.
    func hasWrites(_ opened: OpenedDatabase) -> Bool {
        let id = opened.identity
        for t in chain where !(t.writeSets[id]?.isEmpty ?? true) { return true }
        return false
    }

    /// The smallest key after `key` (nil: the first) that any member of the
    /// chain has an entry for, and the largest before.
    func overlayKey(_ opened: OpenedDatabase, after key: [UInt8]?) -> [UInt8]? {
        let id = opened.identity
        var best: [UInt8]?
        for t in chain {
            guard let ws = t.writeSets[id], let k = ws.key(after: key) else { continue }
            if best == nil || ws.compare(k, best!) < 0 { best = k }
        }
        return best
    }

    func overlayKey(_ opened: OpenedDatabase, before key: [UInt8]?) -> [UInt8]? {
        let id = opened.identity
        var best: [UInt8]?
        for t in chain {
            guard let ws = t.writeSets[id], let k = ws.key(before: key) else { continue }
            if best == nil || ws.compare(k, best!) > 0 { best = k }
        }
        return best
    }

    /// Records the key's new entry in this transaction's own write set.
    func setEntry(_ opened: OpenedDatabase, _ key: [UInt8], _ entry: WriteEntry) throws(DBError) {
        try writeSet(for: opened).set(key, entry)
    }
}

/// The key locks a transaction holds, per database, for escalation.
struct TransactionLocks {
    /// Databases this transaction holds a whole-database lock on, and in
    /// which mode (true: write).
    var databaseLocks = TreeMap<Bool>()
    /// Key locks taken per database.
    var keyLocks = TreeMap<Int>()
    /// Intention locks taken per database (true: write intention).
    var intentions = TreeMap<Bool>()
    /// A lock request returned DB_LOCK_DEADLOCK: only abort is allowed.
    var deadlocked = false
}
