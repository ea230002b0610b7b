// Locks for writes made outside a transaction in a locking environment
// (libdb locks them too): the key exclusively and, for an insert, the key
// after it (or the end of the tree), for the length of the write's commit.
// They make such a write wait for transactions that read or wrote the key or
// the gap it fills, so those keep degree 3.
//
// Reads outside a transaction take no locks: with deferred update they see
// only committed data and cannot see a half-done transaction, so waiting
// for writers would only delay them (libdb's non-transactional reads wait,
// which can deadlock a thread against its own transaction).
//
// Locking rule: the handle's locker is made once, under `lockerLock`; it is
// shared by the handle's threads (their short write locks are counted, and
// the tree latch orders their writes).
import CBerkeleyDB

extension Database {
    /// The handle's locker for non-transactional writes.
    func nonTransactionalLocker(_ table: LockTable) throws(DBError) -> LockerID {
        try lockerLock.withLock { () throws(DBError) -> LockerID in
            if let id = writeLocker { return id }
            let id = try table.newLocker()
            writeLocker = id
            return id
        }
    }

    /// Takes the locks of a non-transactional write of `key` (`insert`: the
    /// key may be new, so the next key is locked too) and runs `body` with
    /// the leaf the last probe found for the key (LeafHint); the locks are
    /// released when it returns.
    func withWriteLocks<R>(_ o: OpenedDatabase, key: UnsafeRawBufferPointer, insert: Bool,
                           _ body: (LeafHint?) throws(DBError) -> R) throws(DBError) -> R {
        guard let table = environment.lockTable else { return try body(nil) }
        let locker = try nonTransactionalLocker(table)
        // Nearly always two locks (the key, the next key): those inline.
        var first: LockHandle?, second: LockHandle?
        var more: [LockHandle] = []
        defer {
            for h in more.reversed() { try? table.unlock(h) }
            if let second { try? table.unlock(second) }
            if let first { try? table.unlock(first) }
        }
        func take(_ tag: UInt8, _ k: UnsafeRawBufferPointer) throws(DBError) {
            let h = try Transaction.withLockObject(o, tag: tag, key: k) { (raw) throws(DBError) -> LockHandle in
                try table.lock(locker, object: raw, mode: .write, noWait: false)
            }
            if first == nil { first = h } else if second == nil { second = h } else { more.append(h) }
        }
        try take(1, key)
        var hint: LeafHint? = nil
        if insert {
            let keyBytes = Array(key)
            let log = environment.log
            var locked: [UInt8]?? = .none
            while true {
                let before = log?.nextLSN
                guard let probe = try Transaction.treeNeighbour(o, after: keyBytes) else { break }
                hint = probe.leaf
                if probe.present { break }
                if case .some(let k) = locked, k == probe.key { break }
                if let next = probe.key {
                    try withBuffer(next) { (n) throws(DBError) in try take(1, n) }
                } else {
                    try take(2, UnsafeRawBufferPointer(start: nil, count: 0))
                }
                locked = .some(probe.key)
                if let before, log?.nextLSN == before { break }
            }
        }
        return try body(hint)
    }
}
