// Reading and writing an open Btree database.
//
// Reads hold the file's tree latch shared; writes hold it exclusive for the
// whole of validate -> log -> apply, so the before-images logged are the
// values the write replaces.
//
// The write path of DESIGN.md, for writes outside a transaction (each is a
// one-operation commit): in a logged environment the operation is first
// checked (DB_KEYEXIST and the like are decided before anything is logged),
// then appended to the log as a CommitRecord carrying its before-image, then
// applied to the pages from that record (`apply`), the function recovery and
// replication clients use too. A write with DB_AUTO_COMMIT is made durable
// as the environment's DB_TXN_* flags say; a plain non-transactional write is
// logged without a flush, as libdb's are not durable either.
// Without a log, writes go straight to the tree.
//
// Cursor writes are in DatabaseCursor.swift.
import CBerkeleyDB
import Glibc

extension Database {
    func openTree(_ method: String) throws(DBError) -> OpenedDatabase {
        guard let opened else { throw .illegalBeforeOpen(method) }
        return opened
    }

    var isReadOnly: Bool { openFlags & UInt32(DB_RDONLY) != 0 }

    func requireWritable(_ method: String) throws(DBError) {
        if isReadOnly { throw DBError(EACCES, "BDB0111 \(method): attempt to modify a read-only database") }
    }

    /// DB->get: `key`'s first item, or with `data` (DB_GET_BOTH) the pair;
    /// `body` sees the value in place under the shared latch.
    public func get<R>(key: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer?,
                       _ body: (BtreeValue) throws(DBError) -> R) throws(DBError) -> R {
        let o = try openTree("DB->get")
        o.latch.lockShared()
        defer { o.latch.unlock() }
        if let data {
            return try o.tree.cursor().get(.getBoth, key: key, data: data) { (_, v) throws(DBError) in try body(v) }
        }
        return try o.tree.get(key, body)
    }

    /// DB->exists: 0 or DB_NOTFOUND, as a thrown error.
    public func exists(key: UnsafeRawBufferPointer) throws(DBError) {
        try get(key: key, data: nil) { (_) throws(DBError) in () }
    }

    /// DB->put with 0, DB_NOOVERWRITE or DB_NODUPDATA (and DB_OVERWRITE_DUP,
    /// which libdb accepts and which changes nothing for these trees).
    public func put(key: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer, noOverwrite: Bool,
                    noDupData: Bool, autoCommit: Bool) throws(DBError) {
        let o = try openTree("DB->put")
        try requireWritable("DB->put")
        o.latch.lockExclusive()
        defer { o.latch.unlock() }
        guard let log = environment.log else {
            var flags: BtreePutFlags = []
            if noOverwrite { flags.insert(.noOverwrite) }
            if noDupData { flags.insert(.noDupData) }
            try o.tree.put(key: key, data: data, flags: flags)
            return
        }
        let keyBytes = Array(key)
        let op: CommitRecord.Operation
        if o.tree.hasDups {
            if noOverwrite, (try? o.tree.get(key) { (_) throws(DBError) in () }) != nil { throw DBError(DB_KEYEXIST) }
            if o.tree.sorted, try o.tree.contains(key: keyBytes, data: Array(data)) {
                throw DBError(DB_KEYEXIST, noDupData ? nil : "BDB0696 Duplicate data items are not supported with sorted data")
            }
            op = .init(kind: .putDuplicate, fileID: o.logFileID, key: keyBytes, data: Array(data), before: nil)
        } else {
            if noDupData { throw .illegalFlag("DB->put") }
            let before = try? o.tree.get(keyBytes)
            if noOverwrite && before != nil { throw DBError(DB_KEYEXIST) }
            op = .init(kind: .put, fileID: o.logFileID, key: keyBytes, data: Array(data), before: before)
        }
        try commit([op], to: log, autoCommit: autoCommit)
        try Self.apply(op, to: o.tree)
    }

    /// DB->del: the key and all its duplicates; DB_NOTFOUND if absent.
    public func delete(key: UnsafeRawBufferPointer, autoCommit: Bool) throws(DBError) {
        let o = try openTree("DB->del")
        try requireWritable("DB->del")
        o.latch.lockExclusive()
        defer { o.latch.unlock() }
        guard let log = environment.log else {
            try o.tree.delete(key: key)
            return
        }
        let keyBytes = Array(key)
        var ops: [CommitRecord.Operation] = []
        if o.tree.hasDups {
            let c = o.tree.cursor()
            var item = try? c.get(.set, key: keyBytes)
            while let (_, data) = item {
                ops.append(.init(kind: .deleteDuplicate, fileID: o.logFileID, key: keyBytes, data: data, before: data))
                item = try? c.get(.nextDup)
            }
        } else if let before = try? o.tree.get(keyBytes) {
            ops.append(.init(kind: .delete, fileID: o.logFileID, key: keyBytes, data: [], before: before))
        }
        if ops.isEmpty { throw DBError(DB_NOTFOUND) }
        try commit(ops, to: log, autoCommit: autoCommit)
        for op in ops { try Self.apply(op, to: o.tree) }
    }

    /// Appends one commit record and makes it as durable as the write asks.
    func commit(_ ops: [CommitRecord.Operation], to log: Log, autoCommit: Bool) throws(DBError) {
        let record = CommitRecord(transactionID: 0, operations: ops)
        let lsn = try log.append(type: TernLogRecord.commit, payload: record.encoded())
        guard autoCommit else { return }
        let envFlags = environment.config.flags
        let mode: LogWriteMode = envFlags & UInt32(DB_TXN_NOSYNC) != 0 ? .noSync
            : envFlags & UInt32(DB_TXN_WRITE_NOSYNC) != 0 ? .writeNoSync : .sync
        try log.commit(lsn, mode: mode)
    }

    /// Applies one logged operation to a tree: the one apply path for local
    /// commits, recovery and replication clients.
    static func apply(_ op: CommitRecord.Operation, to tree: Btree) throws(DBError) {
        switch op.kind {
        case .put, .putDuplicate:
            try tree.put(op.key, op.data)
        case .delete:
            try tree.delete(op.key)
        case .deleteDuplicate:
            let c = tree.cursor()
            _ = try c.get(.getBoth, key: op.key, data: op.data)
            try c.delete()
        }
    }

    /// DB->cursor.
    public func cursor() throws(DBError) -> DatabaseCursor {
        let o = try openTree("DB->cursor")
        return DatabaseCursor(database: self, opened: o)
    }
}

extension Database {
    /// DB_DBT_PARTIAL on put: `length` bytes at `offset` of the old value are
    /// replaced by `data`; a gap past the old end is filled with zeros.
    public static func partialPut(old: [UInt8], offset: Int, length: Int, data: [UInt8]) -> [UInt8] {
        var result = old
        if result.count < offset { result += [UInt8](repeating: 0, count: offset - result.count) }
        let end = min(result.count, offset + length)
        result.replaceSubrange(offset..<end, with: data)
        return result
    }
}
