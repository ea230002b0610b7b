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
        if isReadOnly { throw Self.readOnly(method) }
    }

    /// DB->get after `checkGet`: `body` sees the entry in place under the
    /// shared latch — the key for DB_SET_RECNO, and for any lookup under a
    /// custom key comparator (libdb's DB_RETURNS_A_KEY: the comparator may
    /// match a stored key spelled differently from the search key, and the
    /// stored one is returned); the data always (DB_GET_BOTH returns the
    /// stored item, which a custom duplicate comparison may make differ
    /// from `data`).
    public func get<R>(_ request: GetRequest, key: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer,
                       _ body: (BtreeValue?, BtreeValue) throws(DBError) -> R) throws(DBError) -> R {
        let o = try openTree("DB->get")
        o.latch.lockShared()
        defer { o.latch.unlock() }
        let returnsKey = o.tree.keyCompare != nil
        switch request {
        case .key where returnsKey:
            return try o.tree.cursor().get(.set, key: key, data: nil) { (k, v) throws(DBError) in try body(k, v) }
        case .key:
            return try o.tree.get(key) { (v) throws(DBError) in try body(nil, v) }
        case .both:
            return try o.tree.cursor().get(.getBoth, key: key, data: data) { (k, v) throws(DBError) in
                try body(returnsKey ? k : nil, v)
            }
        case .recordNumber:
            let recno = try Self.recordNumber(key)
            return try o.tree.cursor().get(.setRecno(recno)) { (k, v) throws(DBError) in try body(k, v) }
        }
    }

    /// libdb's __ram_getno: a record number key is exactly a db_recno_t
    /// (native byte order), never 0.
    static func recordNumber(_ key: UnsafeRawBufferPointer) throws(DBError) -> UInt32 {
        guard key.count == MemoryLayout<UInt32>.size else { throw .invalid("BDB1001 illegal record number size") }
        let recno = key.loadUnaligned(as: UInt32.self)
        if recno == 0 { throw .invalid("BDB1002 illegal record number of 0") }
        return recno
    }

    /// DB->exists after `checkExists` and `checkGet`: 0 or DB_NOTFOUND, thrown.
    public func exists(key: UnsafeRawBufferPointer) throws(DBError) {
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        try get(.key, key: key, data: empty) { (_, _) throws(DBError) in () }
    }

    /// DB->put after `checkPut`. `partial` is a DB_DBT_PARTIAL data DBT's
    /// (doff, dlen): `data` replaces that range of the current item (an
    /// absent item reads as empty), under the same latch as the write.
    public func put(key: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer, _ request: PutRequest,
                    partial: (offset: Int, length: Int)? = nil, autoCommit: Bool) throws(DBError) {
        if transactional {
            // libdb runs the write in an internal transaction, which its
            // statistics count.
            do throws(DBError) {
                try putUnlocked(key: key, data: data, request, partial: partial, autoCommit: autoCommit)
                environment.noteInternalTransactions(1, committed: true)
            } catch {
                environment.noteInternalTransactions(1, committed: false)
                throw error
            }
        } else {
            try putUnlocked(key: key, data: data, request, partial: partial, autoCommit: autoCommit)
        }
    }

    func putUnlocked(key: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer, _ request: PutRequest,
                     partial: (offset: Int, length: Int)?, autoCommit: Bool) throws(DBError) {
        let o = try openTree("DB->put")
        try requireWritable("DB->put")
        try withWriteLocks(o, key: key, insert: true) { (hint) throws(DBError) in
            try putLocked(o, key: key, data: data, request, partial: partial, autoCommit: autoCommit, hint: hint)
        }
    }

    private func putLocked(_ o: OpenedDatabase, key: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer,
                           _ request: PutRequest, partial: (offset: Int, length: Int)?,
                           autoCommit: Bool, hint: LeafHint?) throws(DBError) {
        o.latch.lockExclusive()
        defer { o.latch.unlock() }
        if let partial {
            // checkPut refuses partial puts with duplicates, so the key has
            // at most one item.
            let old = (try? o.tree.get(Array(key))) ?? []
            let spliced = Self.partialPut(old: old, offset: partial.offset, length: partial.length, data: Array(data))
            try withBuffer(spliced) { (d) throws(DBError) in try put(o, key: key, data: d, request, autoCommit: autoCommit) }
        } else {
            try put(o, key: key, data: data, request, autoCommit: autoCommit, hint: hint)
        }
    }

    /// The write itself, the latch held exclusively.
    private func put(_ o: OpenedDatabase, key: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer,
                     _ request: PutRequest, autoCommit: Bool, hint: LeafHint? = nil) throws(DBError) {
        // DB_OVERWRITE_DUP in a sorted set: the stored item equal to `data`
        // under the duplicate comparison, replaced rather than refused.
        var replaced: [UInt8]?
        if request == .overwriteDup {
            replaced = try? o.tree.cursor().get(.getBoth, key: key, data: data) { (_, v) throws(DBError) in try v.bytes() }
        }
        guard let log = environment.log else {
            if let replaced {
                let c = o.tree.cursor()
                _ = try c.get(.getBoth, key: Array(key), data: replaced)
                try c.delete()
                try o.tree.put(key: key, data: data)
                return
            }
            var flags: BtreePutFlags = []
            if request == .noOverwrite { flags.insert(.noOverwrite) }
            if request == .noDupData { flags.insert(.noDupData) }
            try o.tree.put(key: key, data: data, flags: flags)
            return
        }
        if !o.tree.hasDups && request != .noOverwrite {
            // One descent (at the leaf the lock probe found, if it is
            // unchanged): the put reads the value it replaces, the record
            // is logged right after it in the same commit section, under
            // the exclusive latch.
            let env = environment
            let lsn = try env.commitSection { () throws(DBError) -> LSN in
                let before = try o.tree.upsert(key: key, data: data, capturing: true, hint: hint)
                let record = CommitRecord.encodedSingle(.put, o.logFileID, key: key, data: data, before: before)
                return try withBuffer(record) { (r) throws(DBError) -> LSN in try env.appendApplied(r, to: log) }
            }
            if autoCommit { try log.commit(lsn, mode: env.defaultCommitMode) }
            return
        }
        let keyBytes = Array(key)
        var ops: [CommitRecord.Operation] = []
        if o.tree.hasDups {
            if request == .noOverwrite, (try? o.tree.get(key) { (_) throws(DBError) in () }) != nil {
                throw DBError(DB_KEYEXIST)
            }
            if let replaced {
                ops.append(.init(kind: .deleteDuplicate, fileID: o.logFileID, key: keyBytes, data: replaced, before: replaced))
            } else if o.tree.sorted, try o.tree.contains(key: keyBytes, data: Array(data)) {
                throw DBError(DB_KEYEXIST, request == .noDupData ? nil
                              : "BDB0696 Duplicate data items are not supported with sorted data")
            }
            ops.append(.init(kind: .putDuplicate, fileID: o.logFileID, key: keyBytes, data: Array(data), before: nil))
        } else if request == .noOverwrite {
            let before = try? o.tree.get(keyBytes)
            if before != nil { throw DBError(DB_KEYEXIST) }
            ops.append(.init(kind: .put, fileID: o.logFileID, key: keyBytes, data: Array(data), before: nil))
        }
        try commitAndApply(ops, o, to: log, autoCommit: autoCommit)
    }

    /// DB->del: the key and all its duplicates; DB_NOTFOUND if absent.
    public func delete(key: UnsafeRawBufferPointer, autoCommit: Bool) throws(DBError) {
        if transactional {
            do throws(DBError) {
                try deleteUnlocked(key: key, autoCommit: autoCommit)
                environment.noteInternalTransactions(1, committed: true)
            } catch {
                environment.noteInternalTransactions(1, committed: false)
                throw error
            }
        } else {
            try deleteUnlocked(key: key, autoCommit: autoCommit)
        }
    }

    func deleteUnlocked(key: UnsafeRawBufferPointer, autoCommit: Bool) throws(DBError) {
        let o = try openTree("DB->del")
        try requireWritable("DB->del")
        try withWriteLocks(o, key: key, insert: false) { (_) throws(DBError) in
            try deleteLocked(o, key: key, autoCommit: autoCommit)
        }
    }

    private func deleteLocked(_ o: OpenedDatabase, key: UnsafeRawBufferPointer, autoCommit: Bool) throws(DBError) {
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
        try commitAndApply(ops, o, to: log, autoCommit: autoCommit)
    }

    /// A one-operation commit through the commit path (Txn/CommitPath.swift):
    /// logged and applied in one commit section, then made as durable as an
    /// auto-commit asks (a plain non-transactional write is not flushed, as
    /// libdb's is not durable either).
    func commitAndApply(_ ops: [CommitRecord.Operation], _ o: OpenedDatabase, to log: Log,
                        autoCommit: Bool) throws(DBError) {
        let env = environment
        let lsn = try env.commitSection { () throws(DBError) -> LSN in
            let lsn = try env.appendCommit(CommitRecord(transactionID: 0, operations: ops), to: log)
            for op in ops { try Self.apply(op, to: o.tree) }
            return lsn
        }
        if autoCommit { try log.commit(lsn, mode: env.defaultCommitMode) }
    }

    /// Logs operations a cursor already applied, inside the same commit
    /// section as the apply (`body`).
    func commitApplied(_ log: Log, _ body: () throws(DBError) -> [CommitRecord.Operation]) throws(DBError) {
        let env = environment
        try env.commitSection { () throws(DBError) in
            let ops = try body()
            _ = try env.appendCommit(CommitRecord(transactionID: 0, operations: ops), to: log)
        }
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
        case .truncate:
            _ = try tree.truncate()
        case .setDuplicates:
            let items = try CommitRecord.decodeList(op.data)
            do { try tree.delete(op.key) } catch where error.code == DB_NOTFOUND {}
            for item in items { try tree.put(op.key, item) }
        }
    }

    /// Every duplicate of `key` in order (empty: the key is absent).
    static func duplicates(of key: [UInt8], in tree: Btree) -> [[UInt8]] {
        let c = tree.cursor()
        var items: [[UInt8]] = []
        var item = try? c.get(.set, key: key)
        while let (_, data) = item {
            items.append(data)
            item = try? c.get(.nextDup)
        }
        return items
    }

    /// DB->cursor.
    public func cursor(txn: Transaction? = nil) throws(DBError) -> DatabaseCursor {
        let o = try openTree("DB->cursor")
        try checkTransaction(txn)
        if let txn { try txn.requireActive("DB->cursor") }
        return DatabaseCursor(database: self, opened: o, transaction: txn)
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
