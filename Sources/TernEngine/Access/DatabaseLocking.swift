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
    /// key may be new, so the next key is locked too) and runs `body`; the
    /// locks are released when it returns.
    func withWriteLocks<R>(_ o: OpenedDatabase, key: UnsafeRawBufferPointer, insert: Bool,
                           _ body: () throws(DBError) -> R) throws(DBError) -> R {
        guard let table = environment.lockTable else { return try body() }
        let locker = try nonTransactionalLocker(table)
        var held: [LockHandle] = []
        defer { for h in held.reversed() { try? table.unlock(h) } }
        func take(_ object: [UInt8]) throws(DBError) {
            let h = try object.withUnsafeBytes { raw in
                Result { () throws(DBError) -> LockHandle in try table.lock(locker, object: raw, mode: .write, noWait: false) }
            }.get()
            held.append(h)
        }
        let keyBytes = Array(key)
        try take(Transaction.lockObject(o, .key(keyBytes)))
        if insert {
            let log = environment.log
            var locked: [UInt8]?? = .none
            while true {
                let before = log?.nextLSN
                guard let probe = try Transaction.treeNeighbour(o, after: keyBytes) else { break }
                if probe.present { break }
                if case .some(let k) = locked, k == probe.key { break }
                try take(Transaction.lockObject(o, probe.key.map { .key($0) } ?? .endOfTree))
                locked = .some(probe.key)
                if let before, log?.nextLSN == before { break }
            }
        }
        return try body()
    }
}
