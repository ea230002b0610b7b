// DatabaseCursor: DBC's engine side.
//
// Cursor writes are logged like DB->put's, but applied through the cursor
// first (it decides DB_KEYEXIST and the position) and logged after, with the
// latch still held so nobody sees the change before its record is in the log
// buffer. Positional puts on unsorted duplicates (DB_BEFORE/DB_AFTER) are
// logged as duplicate inserts, since a key-only record cannot say where: the
// positional log format arrives with transactions.
import CBerkeleyDB
import Glibc

/// A cursor on an open database: a BtreeCursor whose calls take the tree
/// latch, and whose writes go through the log like DB->put's.
/// Used by one thread at a time (libdb's rule for DBC handles).
public final class DatabaseCursor {
    public let database: Database
    let opened: OpenedDatabase
    let cursor: BtreeCursor

    init(database: Database, opened: OpenedDatabase, cursor: BtreeCursor? = nil) {
        self.database = database
        self.opened = opened
        self.cursor = cursor ?? opened.tree.cursor()
    }

    /// DBC->dup: with `keepPosition` the copy starts where this one is.
    public func duplicate(keepPosition: Bool) -> DatabaseCursor {
        DatabaseCursor(database: database, opened: opened,
                       cursor: keepPosition ? cursor.duplicate() : opened.tree.cursor())
    }

    public func get<R>(_ op: BtreeGetOp, key: UnsafeRawBufferPointer?, data: UnsafeRawBufferPointer?,
                       _ body: (BtreeValue, BtreeValue) throws(DBError) -> R) throws(DBError) -> R {
        opened.latch.lockShared()
        defer { opened.latch.unlock() }
        return try cursor.get(op, key: key, data: data, body)
    }

    public func recordNumber() throws(DBError) -> UInt32 {
        opened.latch.lockShared()
        defer { opened.latch.unlock() }
        return try cursor.recordNumber()
    }

    public func count() throws(DBError) -> Int {
        opened.latch.lockShared()
        defer { opened.latch.unlock() }
        return try cursor.count()
    }

    public func put(key: UnsafeRawBufferPointer?, data: UnsafeRawBufferPointer, _ op: BtreePutOp) throws(DBError) {
        try database.requireWritable("DBcursor->put")
        opened.latch.lockExclusive()
        defer { opened.latch.unlock() }
        if let log = database.environment.log {
            let tree = opened.tree
            let logged: CommitRecord.Operation
            switch op {
            case .current:
                let (k, old) = try cursor.get(.current)
                logged = .init(kind: tree.hasDups ? .putDuplicate : .put, fileID: opened.logFileID,
                               key: k, data: Array(data), before: tree.hasDups ? nil : old)
            default:
                let k: [UInt8]
                if let key { k = Array(key) } else { k = try cursor.get(.current).key }
                let before = tree.hasDups ? nil : (try? tree.get(k))
                logged = .init(kind: tree.hasDups ? .putDuplicate : .put, fileID: opened.logFileID,
                               key: k, data: Array(data), before: before)
            }
            // Apply first through the cursor (it decides DB_KEYEXIST and the
            // position), then log: the latch is held, so no other writer or
            // reader sees the change before the record is in the log buffer.
            try cursor.put(key: key, data: data, op)
            try database.commit([logged], to: log, autoCommit: false)
        } else {
            try cursor.put(key: key, data: data, op)
        }
    }

    public func delete() throws(DBError) {
        try database.requireWritable("DBcursor->del")
        opened.latch.lockExclusive()
        defer { opened.latch.unlock() }
        if let log = database.environment.log {
            let (k, old) = try cursor.get(.current)
            let dups = opened.tree.hasDups
            let logged = CommitRecord.Operation(kind: dups ? .deleteDuplicate : .delete, fileID: opened.logFileID,
                                                key: k, data: dups ? old : [], before: old)
            try cursor.delete()
            try database.commit([logged], to: log, autoCommit: false)
        } else {
            try cursor.delete()
        }
    }
}
