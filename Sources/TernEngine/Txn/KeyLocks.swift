// Key locks for transactions (DESIGN.md, "Isolation is by locks in the
// shared lock table").
//
// Objects (bytes in the lock table), per database (its file's id in the
// region's page cache and its meta page, so every handle and process names
// the same object; log ids are per environment handle, so not those):
//   key lock      0x01 fileID metaPage key     shared to read, exclusive to write
//   end of tree   0x02 fileID metaPage         the "next key" past the last key
//   database      0x03 fileID metaPage         intention modes, and the
//                                              escalated or positional lock
//
// Degree 3 without phantoms (next-key locking): a reader locks every key it
// returns, the key it looked up even when absent, and, when a scan runs off
// the end, the end-of-tree object. An insert locks its key and the key after
// it (or the end-of-tree object) exclusively, so it waits for any reader that
// saw the gap it fills. Deletes and updates lock just their key (a reader
// that saw it holds it).
//
// Every read or write first holds an intention lock on the database (IREAD /
// IWRITE), so a whole-database lock (escalation past `escalationThreshold`
// key locks, or the write lock positional databases take at their first
// write: unsorted duplicates and DB_RECNUM, whose positions are not keys)
// conflicts exactly with the transactions using the database.
//
// Locks are taken before the file's tree latch, never while holding it: a
// waiter must not block other transactions' reads and commits.
//
// Locking rule: a Transaction's bookkeeping here (`locking`) is touched only
// by the thread using the transaction; the lock table has its own mutex.
import CBerkeleyDB

extension Transaction {
    /// Key locks per database before the transaction escalates to a
    /// database lock.
    static let escalationThreshold = 250

    enum LockObject {
        case key([UInt8])
        case endOfTree
        case database
    }

    static func lockObject(_ opened: OpenedDatabase, _ object: LockObject) -> [UInt8] {
        let tag: UInt8
        var key: [UInt8] = []
        switch object {
        case .key(let k): tag = 1; key = k
        case .endOfTree: tag = 2
        case .database: tag = 3
        }
        let file = opened.file.fileId.littleEndian, meta = opened.tree.metaPage.littleEndian
        return [UInt8](unsafeUninitializedCapacity: 9 + key.count) { buf, count in
            let raw = UnsafeMutableRawBufferPointer(buf)
            raw[0] = tag
            raw.storeBytes(of: file, toByteOffset: 1, as: UInt32.self)
            raw.storeBytes(of: meta, toByteOffset: 5, as: UInt32.self)
            if !key.isEmpty {
                key.withUnsafeBytes { raw.baseAddress!.advanced(by: 9).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            }
            count = 9 + key.count
        }
    }

    var lockTable: LockTable? { environment.lockTable }

    /// Whether this transaction's reads take locks (DB_READ_UNCOMMITTED
    /// reads, and environments without locking, take none).
    var locksReads: Bool { lockTable != nil && !readUncommitted }

    /// Runs `body` with the lock object's bytes for `object` of `opened`,
    /// built in stack memory (the allocating form is `lockObject`).
    static func withLockObject<R>(_ opened: OpenedDatabase, tag: UInt8, key: UnsafeRawBufferPointer,
                                  _ body: (UnsafeRawBufferPointer) throws(DBError) -> R) throws(DBError) -> R {
        let file = opened.file.fileId.littleEndian, meta = opened.tree.metaPage.littleEndian
        return try withUnsafeTemporaryAllocation(byteCount: 9 + key.count, alignment: 8) { raw -> Result<R, DBError> in
            raw[0] = tag
            raw.storeBytes(of: file, toByteOffset: 1, as: UInt32.self)
            raw.storeBytes(of: meta, toByteOffset: 5, as: UInt32.self)
            if let src = key.baseAddress, key.count > 0 {
                raw.baseAddress!.advanced(by: 9).copyMemory(from: src, byteCount: key.count)
            }
            return Result { () throws(DBError) -> R in try body(UnsafeRawBufferPointer(raw)) }
        }.get()
    }

    /// One lock request for this transaction, with libdb's outcomes: a
    /// NOWAIT conflict is DB_LOCK_DEADLOCK unless the environment has
    /// DB_TIME_NOTGRANTED (the transaction stays usable); a deadlock victim
    /// must abort (BDB0102 on later calls).
    @discardableResult
    func acquire(_ table: LockTable, _ object: [UInt8], _ mode: LockMode) throws(DBError) -> LockHandle {
        try object.withUnsafeBytes { raw in
            Result { () throws(DBError) -> LockHandle in try acquire(table, raw, mode) }
        }.get()
    }

    /// `acquire` for object bytes in place.
    @discardableResult
    func acquire(_ table: LockTable, _ object: UnsafeRawBufferPointer, _ mode: LockMode) throws(DBError) -> LockHandle {
        if locking.deadlocked { throw Self.unresolvedDeadlock() }
        do throws(DBError) {
            return try table.lock(id, object: object, mode: mode, noWait: noWait)
        } catch {
            if error.code == DB_LOCK_NOTGRANTED
                && environment.config.flags & UInt32(DB_TIME_NOTGRANTED) == 0 {
                throw DBError(DB_LOCK_DEADLOCK)
            }
            if error.code == DB_LOCK_DEADLOCK { locking.deadlocked = true }
            throw error
        }
    }

    /// `acquire` of `key`'s lock (tag 1) or, with a nil key, the end of
    /// tree's (tag 2), with the object built in stack memory.
    @discardableResult
    func acquireKey(_ table: LockTable, _ opened: OpenedDatabase, _ key: UnsafeRawBufferPointer?,
                    _ mode: LockMode) throws(DBError) -> LockHandle {
        try Self.withLockObject(opened, tag: key == nil ? 2 : 1, key: key ?? UnsafeRawBufferPointer(start: nil, count: 0)) {
            (raw) throws(DBError) in try acquire(table, raw, mode)
        }
    }

    static func unresolvedDeadlock() -> DBError {
        .invalid("BDB0102 previous transaction deadlock return not resolved")
    }

    func identity(_ opened: OpenedDatabase) -> TreeIdentity {
        opened.identity
    }

    /// The intention lock (and, for positional databases, the database
    /// write lock) that precedes key locks; false when a database lock
    /// already covers every key.
    private func prepare(_ table: LockTable, _ opened: OpenedDatabase, write: Bool) throws(DBError) -> Bool {
        let id = identity(opened)
        // The common case first: this transaction's own bookkeeping.
        if let db = locking.databaseLocks[id], db || !write { return false }
        if let held = locking.intentions[id], held || !write {
            return true
        }
        var covered = false, intended = false
        for t in chain {
            if let db = t.locking.databaseLocks[id], db || !write { covered = true; break }
            if let held = t.locking.intentions[id], held || !write { intended = true }
        }
        if covered { return false }
        if !intended {
            try acquireDatabase(table, opened, write ? .iwrite : .iread)
            locking.intentions[id] = write || (locking.intentions[id] ?? false)
        }
        let tree = opened.tree
        if write && (tree.tokens || tree.recnum) {
            try lockDatabase(opened, write: true)
            return false
        }
        return true
    }

    /// A read of `key` (found or not) in this transaction. Under
    /// DB_READ_COMMITTED (the transaction's, or the operation's
    /// `readCommitted`) the lock is released at once: the read still waits
    /// for a writer of the key to finish, as libdb's degree 2 does, but
    /// holds nothing afterwards.
    func lockForRead(_ opened: OpenedDatabase, key: [UInt8], readCommitted: Bool = false) throws(DBError) {
        guard let table = lockTable, !readUncommitted else { return }
        if locking.deadlocked { throw Self.unresolvedDeadlock() }
        guard try prepare(table, opened, write: false) else { return }
        let handle = try lockKey(table, opened, key, .read)
        if readCommitted || self.readCommitted {
            try table.unlock(handle)
        } else {
            try counted(opened)
        }
    }

    /// Whether a database lock this family holds already covers reads of
    /// the database (so reads need no key locks).
    func readsCovered(_ opened: OpenedDatabase) -> Bool {
        let id = identity(opened)
        for t in chain where t.locking.databaseLocks[id] != nil { return true }
        return false
    }

    /// The end of the tree, reached by a scan (the gap after the last key).
    func lockEndOfTree(_ opened: OpenedDatabase) throws(DBError) {
        guard let table = lockTable, !readUncommitted else { return }
        guard try prepare(table, opened, write: false) else { return }
        let handle = try acquireKey(table, opened, nil, .read)
        if readCommitted { try table.unlock(handle) }
    }

    /// A write of `key`: its lock, and when the key is new to the tree the
    /// next key's (or the end of tree's), so readers of the gap block it.
    func lockForWrite(_ opened: OpenedDatabase, key: [UInt8]) throws(DBError) {
        if locking.deadlocked { throw Self.unresolvedDeadlock() }
        guard let table = lockTable else { return }
        guard try prepare(table, opened, write: true) else { return }
        try lockKey(table, opened, key, .write)
        // The key after a new one, unless this family wrote the key before
        // (it locked that gap then).
        if !hasEntry(opened, key), let next = try Self.treeNeighbour(opened, after: key) {
            // The commit applies at the leaf the probe found if it is
            // unchanged by then (LeafHint).
            leafHint = (key, ObjectIdentifier(opened.tree), next.leaf)
            if !next.present {
                if let nextKey = next.key {
                    try lockKey(table, opened, nextKey, .write)
                } else {
                    try acquireKey(table, opened, nil, .write)
                }
            }
        }
        try counted(opened)
    }

    private func acquireDatabase(_ table: LockTable, _ opened: OpenedDatabase, _ mode: LockMode) throws(DBError) {
        try Self.withLockObject(opened, tag: 3, key: UnsafeRawBufferPointer(start: nil, count: 0)) {
            (raw) throws(DBError) in _ = try acquire(table, raw, mode)
        }
    }

    @discardableResult
    private func lockKey(_ table: LockTable, _ opened: OpenedDatabase, _ key: [UInt8], _ mode: LockMode) throws(DBError) -> LockHandle {
        try key.withUnsafeBytes { k in
            Result { () throws(DBError) -> LockHandle in try acquireKey(table, opened, k, mode) }
        }.get()
    }

    /// Whether `key` is in the tree, and if not the key after it (nil key:
    /// the end of the tree). Read under the shared latch.
    static func treeNeighbour(_ opened: OpenedDatabase, after key: [UInt8]) throws(DBError) -> (present: Bool, key: [UInt8]?, leaf: LeafHint)? {
        opened.latch.lockShared()
        defer { opened.latch.unlock() }
        let r = try withBuffer(key) { (kb) throws(DBError) in try opened.tree.keyOrNext(kb) }
        return r.present ? (true, key, r.leaf) : (false, r.next, r.leaf)
    }

    /// Counts a key lock and escalates past the threshold.
    private func counted(_ opened: OpenedDatabase) throws(DBError) {
        let id = identity(opened)
        let n = (locking.keyLocks[id] ?? 0) + 1
        locking.keyLocks[id] = n
        if n > Self.escalationThreshold {
            try lockDatabase(opened, write: locking.intentions[id] ?? false)
        }
    }

    /// A whole-database lock (escalation, positional writes, truncate).
    func lockDatabase(_ opened: OpenedDatabase, write: Bool) throws(DBError) {
        guard let table = lockTable else { return }
        let id = identity(opened)
        if let held = locking.databaseLocks[id], held || !write { return }
        try acquireDatabase(table, opened, write ? .write : .read)
        locking.databaseLocks[id] = write
    }

    // MARK: Locker lifetime

    func registerLocker() throws(DBError) {
        guard let table = lockTable else { return }
        // Joins the parent's family and takes its priority and timeouts (or
        // the environment's), as libdb's txn_begin.
        try table.registerTransaction(id, parent: parent?.id)
    }

    func releaseLocks() {
        guard let table = lockTable else { return }
        table.releaseAll(id)
        try? table.freeLocker(id)
    }

    func transferLocks(to parent: Transaction) {
        for (id, write) in locking.databaseLocks.entries {
            parent.locking.databaseLocks[id] = write || (parent.locking.databaseLocks[id] ?? false)
        }
        for (id, write) in locking.intentions.entries {
            parent.locking.intentions[id] = write || (parent.locking.intentions[id] ?? false)
        }
        for (id, n) in locking.keyLocks.entries { parent.locking.keyLocks[id, default: 0] += n }
        guard let table = lockTable else { return }
        table.transfer(from: id, to: parent.id)
        try? table.freeLocker(id)
    }

    func setLockPriority(_ value: UInt32) {
        lockTable?.setPriority(id, value)
    }

    func applyLockTimeouts() {
        lockTable?.setTimeouts(id, lockTimeout: lockTimeout, txnTimeout: txnTimeout)
    }
}

