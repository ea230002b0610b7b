// DatabaseCursor: DBC's engine side.
//
// Cursor writes are logged like DB->put's, but applied through the cursor
// first (it decides DB_KEYEXIST and the position) and logged after, with the
// latch still held so nobody sees the change before its record is in the log
// buffer. Writes on unsorted duplicates (positional: DB_BEFORE, DB_AFTER,
// DB_CURRENT, DB_KEYFIRST) are logged as the key's whole duplicate set after
// the write, with the set before it, so replaying the record restores the
// order exactly.
//
// Exclusivity: stored properties marked @exclusivity(unchecked) are read on
// every call. None is passed inout, or mutated in place while a closure or
// callee could reach it again, so Swift's dynamic exclusivity check on them
// could never fire; it would only cost a runtime call per access.
import CBerkeleyDB
import Glibc

/// What DBC->get reads, decoded by `checkGet`.
public enum CursorRead: Sendable, Equatable {
    /// A positioning get (DB_SET_RECNO's number is read from the key at
    /// get time, as libdb's __ram_getno: `.setRecno` carries a placeholder).
    case entry(BtreeGetOp)
    /// DB_GET_RECNO: the current entry's record number, returned as data.
    case recordNumber
    /// DB_GET_BOTHC: the next duplicate of the current key equal to the
    /// data. An internal flag of libdb's joins that __dbc_get_arg still
    /// accepts from applications, so Tern accepts it too.
    case bothNext
}

/// A checked DBC->get: the read, and which of the caller's DBTs it writes.
public struct CursorGetPlan: Sendable, Equatable {
    public let read: CursorRead
    /// libdb's DB_RETURNS_A_KEY: not for DB_SET / DB_GET_BOTH(_RANGE) with
    /// the default key comparator (the caller's key is the stored one);
    /// under a custom comparator the stored key is returned.
    public let returnsKey: Bool
    /// DB_GET_BOTH leaves the data alone unless a custom duplicate
    /// comparator may match different bytes.
    public let returnsData: Bool
}

/// A cursor on an open database: a BtreeCursor whose calls take the tree
/// latch, and whose writes go through the log like DB->put's.
/// Used by one thread at a time (libdb's rule for DBC handles).
public final class DatabaseCursor {
    public let database: Database
    let opened: OpenedDatabase
    let cursor: BtreeCursor
    /// The transaction the cursor was opened in (DB->cursor's txn).
    public let transaction: Transaction?
    /// Once the transaction family has written to this database, the cursor
    /// reads the merge of its write sets and the tree (MergedCursor.swift);
    /// until then it reads the tree directly, which is faster.
    @exclusivity(unchecked) var merged: MergedCursor?

    init(database: Database, opened: OpenedDatabase, cursor: BtreeCursor? = nil, transaction: Transaction? = nil) {
        self.database = database
        self.opened = opened
        self.cursor = cursor ?? opened.tree.cursor()
        self.cursor.holdsPage = true
        self.transaction = transaction
        transaction?.cursorCount += 1
    }

    deinit { transaction?.cursorCount -= 1 }

    /// DBC->dup: with `keepPosition` the copy starts where this one is.
    public func duplicate(keepPosition: Bool) -> DatabaseCursor {
        let copy = DatabaseCursor(database: database, opened: opened,
                                  cursor: keepPosition ? cursor.duplicate() : opened.tree.cursor(),
                                  transaction: transaction)
        if keepPosition { copy.merged = merged?.copy() }
        return copy
    }

    public var isInitialized: Bool { merged?.isInitialized ?? cursor.isInitialized }

    /// The merged view, if the cursor reads through it: made (carrying the
    /// tree cursor's position over) when the transaction family has written
    /// to this database, or when `forWrite`.
    func mergedView(forWrite: Bool = false) throws(DBError) -> MergedCursor? {
        if let merged { return merged }
        guard let txn = transaction, forWrite || txn.hasWrites(opened) else { return nil }
        let m = MergedCursor(opened: opened, txn: txn)
        if cursor.isInitialized {
            opened.latch.lockShared()
            defer { opened.latch.unlock() }
            // The tree position is (key, i-th duplicate): count the
            // duplicates before it.
            let probe = cursor.duplicate()
            var index: UInt64 = 0
            while (try? probe.get(.prevDup)) != nil { index += 1 }
            m.place(cursor.key, index)
        }
        merged = m
        return m
    }

    static func locking(_ method: String) -> DBError {
        .invalid("BDB0056 \(method): DB_READ_COMMITTED, DB_READ_UNCOMMITTED and DB_RMW require locking")
    }

    // MARK: Argument checks (db_iface.c), in libdb's order

    /// DBC->get's checks (__dbc_get_pp, __dbc_get_arg).
    public func checkGet(flags requested: UInt32, key: ItemShape, data: ItemShape) throws(DBError) -> CursorGetPlan {
        // The scan's case first: a bare DB_NEXT/DB_PREV with DBTs that ask
        // for nothing but where the bytes go passes every check below (any
        // one memory flag is legal; none of the other checks apply to these
        // flags), so it skips them.
        if requested == UInt32(DB_NEXT) || requested == UInt32(DB_PREV),
           Self.plainOutput(key), Self.plainOutput(data) {
            return requested == UInt32(DB_NEXT) ? Self.nextPlan : Self.prevPlan
        }
        let method = "DBcursor->get"
        var flags = requested & ~UInt32(DB_IGNORE_LEASE)
        let isolation = UInt32(DB_READ_COMMITTED | DB_READ_UNCOMMITTED | DB_RMW)
        var dirty = false
        if flags & isolation != 0 {
            if !database.lockingOn { throw Self.locking(method) }
            dirty = flags & UInt32(DB_READ_UNCOMMITTED) != 0
            flags &= ~isolation
        }
        let bulk = UInt32(DB_MULTIPLE | DB_MULTIPLE_KEY)
        let multi = flags & bulk != 0
        if flags & bulk == bulk { throw .illegalFlagCombination(method) }
        flags &= ~bulk
        let tree = opened.tree
        let read: CursorRead
        switch Int32(bitPattern: flags) {
        case DB_CONSUME, DB_CONSUME_WAIT:
            if dirty { throw .invalid("BDB0619 DB_READ_UNCOMMITTED is not supported with DB_CONSUME or DB_CONSUME_WAIT") }
            throw .illegalFlag(method)   // Queue only
        case DB_CURRENT: read = .entry(.current)
        case DB_FIRST: read = .entry(.first)
        case DB_NEXT: read = .entry(.next)
        case DB_NEXT_DUP: read = .entry(.nextDup)
        case DB_NEXT_NODUP: read = .entry(.nextNoDup)
        case DB_LAST, DB_PREV, DB_PREV_DUP, DB_PREV_NODUP:
            if multi { throw .illegalFlagCombination(method) }
            switch Int32(bitPattern: flags) {
            case DB_LAST: read = .entry(.last)
            case DB_PREV: read = .entry(.prev)
            case DB_PREV_DUP: read = .entry(.prevDup)
            default: read = .entry(.prevNoDup)
            }
        case DB_GET_BOTHC: read = .bothNext
        case DB_GET_BOTH: read = .entry(.getBoth)
        case DB_GET_BOTH_RANGE: read = .entry(.getBothRange)
        case DB_SET: read = .entry(.set)
        case DB_SET_RANGE: read = .entry(.setRange)
        case DB_GET_RECNO:
            guard tree.recnum else { throw .illegalFlag(method) }
            read = .recordNumber
        case DB_SET_RECNO:
            guard tree.recnum else { throw .illegalFlag(method) }
            read = .entry(.setRecno(0))
        default:
            throw .illegalFlag(method)
        }
        try database.checkItem("key", key, checkThread: false)
        if data.has(DB_DBT_READONLY) { throw .invalid("BDB0620 DB_DBT_READONLY should not be set on data DBT.") }
        try database.checkItem("data", data, checkThread: false)
        if multi {
            if !data.has(DB_DBT_USERMEM) { throw .invalid("BDB0621 DB_MULTIPLE/DB_MULTIPLE_KEY require DB_DBT_USERMEM be set") }
            if key.has(DB_DBT_PARTIAL) || data.has(DB_DBT_PARTIAL) {
                throw .invalid("BDB0622 DB_MULTIPLE/DB_MULTIPLE_KEY do not support DB_DBT_PARTIAL")
            }
            if data.ulen < 1024 || Int(data.ulen) < tree.pageSize || data.ulen % 1024 != 0 {
                throw .invalid("BDB0623 DB_MULTIPLE/DB_MULTIPLE_KEY buffers must be aligned, at least page size and multiples of 1KB")
            }
        }
        if key.has(DB_DBT_PARTIAL), case .entry(let op) = read, op == .getBoth || op == .getBothRange || op == .set {
            throw .invalid("BDB0710 Invalid positioning flag combined with DB_DBT_PARTIAL")
        }
        if !isInitialized {
            switch read {
            case .recordNumber, .entry(.current), .entry(.nextDup), .entry(.prevDup): throw BtreeCursor.invalidPosition()
            default: break
            }
        }
        if multi { throw .notSupported("DBcursor->get with DB_MULTIPLE or DB_MULTIPLE_KEY") }
        var returnsKey = true, returnsData = true
        if case .entry(let op) = read {
            switch op {
            case .set, .getBothRange: returnsKey = tree.keyCompare != nil
            case .getBoth:
                returnsKey = tree.keyCompare != nil
                returnsData = tree.sorted && tree.dupCompare != nil
            default: break
            }
        }
        return CursorGetPlan(read: read, returnsKey: returnsKey, returnsData: returnsData)
    }

    static let nextPlan = CursorGetPlan(read: .entry(.next), returnsKey: true, returnsData: true)
    static let prevPlan = CursorGetPlan(read: .entry(.prev), returnsKey: true, returnsData: true)

    /// A DBT with at most one of DB_DBT_MALLOC, DB_DBT_REALLOC and
    /// DB_DBT_USERMEM and no other flag: checkItem accepts it.
    @inline(__always) static func plainOutput(_ item: ItemShape) -> Bool {
        let f = item.flags
        return f & ~UInt32(DB_DBT_MALLOC | DB_DBT_REALLOC | DB_DBT_USERMEM) == 0 && f & (f &- 1) == 0
    }

    /// DBC->put's checks (__dbc_put_pp, __dbc_put_arg).
    public func checkPut(flags: UInt32, key: ItemShape?, data: ItemShape) throws(DBError) -> BtreePutOp {
        let method = "DBcursor->put"
        try database.requireWritable(method)
        let tree = opened.tree
        let op: BtreePutOp
        var keyUsed = false
        switch Int32(bitPattern: flags) {
        case DB_AFTER, DB_BEFORE:
            // Only with unsorted duplicates.
            guard tree.tokens else { throw .illegalFlag(method) }
            op = flags == UInt32(DB_AFTER) ? .after : .before
        case DB_CURRENT: op = .current
        case DB_NODUPDATA:
            guard tree.sorted else { throw .illegalFlag(method) }
            op = .noDupData; keyUsed = true
        case DB_KEYFIRST: op = .keyFirst; keyUsed = true
        case DB_KEYLAST: op = .keyLast; keyUsed = true
        case DB_OVERWRITE_DUP: op = .overwriteDup; keyUsed = true
        default: throw .illegalFlag(method)
        }
        if keyUsed {
            guard let key else { throw DBError(EINVAL) }   // libdb would dereference NULL
            try database.checkItem("key", key, checkThread: false)
        }
        try database.checkItem("data", data, checkThread: false)
        if keyUsed, let key, key.has(DB_DBT_PARTIAL), key.dlen != 0 { throw .illegalFlag("key DBT") }
        if !isInitialized && !keyUsed { throw BtreeCursor.invalidPosition() }
        try checkTransaction()
        return op
    }

    /// libdb's __db_check_txn for a write (__dbc_put_pp, __dbc_del_pp): a
    /// transactional database is written only inside a transaction.
    func checkTransaction() throws(DBError) {
        if database.transactional && transaction == nil {
            throw .invalid("BDB0097 Transaction not specified for a transactional database")
        }
    }

    /// DBC->del's checks (__dbc_del_arg).
    public func checkDelete(flags: UInt32) throws(DBError) {
        try database.requireWritable("DBcursor->del")
        switch Int32(bitPattern: flags) {
        case 0, DB_UPDATE_SECONDARY: break
        case DB_CONSUME: throw .illegalFlag("DBC->del")   // Queue only
        default: throw .illegalFlag("DBcursor->del")
        }
        if !isInitialized { throw BtreeCursor.invalidPosition() }
        try checkTransaction()
    }

    /// DBC->count's checks (__dbc_count_pp).
    public func checkCount(flags: UInt32) throws(DBError) {
        if flags != 0 { throw .illegalFlag("DBcursor->count") }
        if !isInitialized { throw BtreeCursor.invalidPosition() }
    }

    /// DBC->dup's check (__dbc_dup_pp): whether the copy keeps the position.
    public static func checkDuplicate(flags: UInt32) throws(DBError) -> Bool {
        if flags != 0 && flags != UInt32(DB_POSITION) { throw .illegalFlag("DBcursor->dup") }
        return flags == UInt32(DB_POSITION)
    }

    // MARK: Operations

    /// DBC->get after `checkGet`. `key` is the caller's key bytes (the
    /// search key, or DB_SET_RECNO's record number).
    public func get<R>(_ plan: CursorGetPlan, key: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer,
                       _ body: (BtreeValue, BtreeValue) throws(DBError) -> R) throws(DBError) -> R {
        if plan.read == .bothNext {
            if let m = try mergedView() {
                return try Self.deliver(try m.getBothNext(data: Array(data)), opened.tree, body)
            }
            opened.latch.lockShared()
            defer { opened.latch.unlock() }
            return try cursor.getBothNext(data: data, body)
        }
        guard case .entry(var op) = plan.read else { throw .invalid("DBcursor->get: not an entry read") }
        if case .setRecno = op {
            // __ram_getno: the size first, then the number.
            guard key.count == MemoryLayout<UInt32>.size, let base = key.baseAddress else {
                throw .invalid("BDB1001 illegal record number size")
            }
            op = .setRecno(base.loadUnaligned(as: UInt32.self))
        }
        let searchKey: UnsafeRawBufferPointer?
        switch op {
        case .set, .setRange, .getBoth, .getBothRange: searchKey = key
        default: searchKey = nil
        }
        let searchData = (op == .getBoth || op == .getBothRange) ? data : nil
        return try get(op, key: searchKey, data: searchData, body)
    }

    public func get<R>(_ op: BtreeGetOp, key: UnsafeRawBufferPointer?, data: UnsafeRawBufferPointer?,
                       _ body: (BtreeValue, BtreeValue) throws(DBError) -> R) throws(DBError) -> R {
        if let txn = transaction, txn.locksReads, !txn.readsCovered(opened) {
            let hit = try lockedGet(txn, op, key: key.map { Array($0) }, data: data.map { Array($0) })
            return try Self.deliver(hit, opened.tree, body)
        }
        return try unlockedGet(op, key: key, data: data, body)
    }

    /// A read in a locking transaction: the key it lands on is locked, then
    /// the read is made again from the same starting position, until the
    /// key read is one already locked (a commit may have filled the gap, or
    /// changed the value, while this transaction waited). A scan that runs
    /// off the end locks the end of the tree (DESIGN.md's next-key locking).
    func lockedGet(_ txn: Transaction, _ op: BtreeGetOp, key: [UInt8]?, data: [UInt8]?) throws(DBError) -> MergedCursor.Hit {
        func read() throws(DBError) -> MergedCursor.Hit? {
            do {
                return try withOptionalBuffer(key) { (k) throws(DBError) in
                    try withOptionalBuffer(data) { (d) throws(DBError) in
                        try unlockedGet(op, key: k, data: d) { (kv, dv) throws(DBError) in (try kv.bytes(), try dv.bytes()) }
                    }
                }
            } catch where error.code == DB_NOTFOUND {
                return nil
            }
        }
        switch op {
        case .current:
            guard let hit = try read() else { throw DBError(DB_NOTFOUND) }
            return hit
        case .set, .getBoth:
            // The key searched for, present or not.
            try txn.lockForRead(opened, key: key ?? [])
            guard let hit = try read() else { throw DBError(DB_NOTFOUND) }
            return hit
        default:
            break
        }
        let originTree = cursor.duplicate()
        let originMerged = merged?.copy()
        var locked: [[UInt8]] = []
        var lockedEnd = false
        let log = database.environment.log
        while true {
            // No commit between the read and the lock (the log did not
            // move): the read stands, no second read is needed.
            let before = log?.nextLSN
            let hit = try read()
            if let hit, locked.contains(hit.key) { return hit }
            if hit == nil && (lockedEnd || !op.runsForward) { throw DBError(DB_NOTFOUND) }
            if let hit {
                try txn.lockForRead(opened, key: hit.key)
                locked.append(hit.key)
            } else {
                try txn.lockEndOfTree(opened)
                lockedEnd = true
            }
            if let before, log?.nextLSN == before {
                guard let hit else { throw DBError(DB_NOTFOUND) }
                return hit
            }
            cursor.restore(from: originTree)
            merged = originMerged?.copy()
        }
    }

    func unlockedGet<R>(_ op: BtreeGetOp, key: UnsafeRawBufferPointer?, data: UnsafeRawBufferPointer?,
                        _ body: (BtreeValue, BtreeValue) throws(DBError) -> R) throws(DBError) -> R {
        if transaction != nil, let m = try mergedView() {
            let hit = try m.get(op, key: key.map { Array($0) }, data: data.map { Array($0) })
            return try Self.deliver(hit, opened.tree, body)
        }
        opened.latch.lockShared()
        defer { opened.latch.unlock() }
        return try cursor.get(op, key: key, data: data, body)
    }

    /// Hands a merged-view hit to a reader's closure as BtreeValues.
    static func deliver<R>(_ hit: MergedCursor.Hit, _ tree: Btree,
                           _ body: (BtreeValue, BtreeValue) throws(DBError) -> R) throws(DBError) -> R {
        try withBuffer(hit.key) { (k) throws(DBError) in
            try withBuffer(hit.data) { (d) throws(DBError) in
                try body(BtreeValue(tree: tree, inline: k, chain: 0, count: k.count),
                         BtreeValue(tree: tree, inline: d, chain: 0, count: d.count))
            }
        }
    }

    public func recordNumber() throws(DBError) -> UInt32 {
        if let m = try mergedView() { return try m.recordNumber() }
        opened.latch.lockShared()
        defer { opened.latch.unlock() }
        return try cursor.recordNumber()
    }

    public func count() throws(DBError) -> Int {
        if let m = try mergedView() { return try m.count() }
        opened.latch.lockShared()
        defer { opened.latch.unlock() }
        return try cursor.count()
    }

    /// DBC->put after `checkPut`. `partial` is a DB_DBT_PARTIAL data DBT's
    /// (doff, dlen): as libdb's __bam_build, `data` replaces that range of
    /// the item the put overwrites — the current one for DB_CURRENT, the
    /// key's item for a keyed put without duplicates — or, when the put adds
    /// an item (a new key, a new duplicate), of an empty one. The splice is
    /// made under the same latch as the write, so the item cannot change in
    /// between.
    public func put(key: UnsafeRawBufferPointer?, data: UnsafeRawBufferPointer, _ op: BtreePutOp,
                    partial: (offset: Int, length: Int)? = nil) throws(DBError) {
        try database.requireWritable("DBcursor->put")
        if let txn = transaction {
            try txn.requireActive("DBcursor->put")
            try txn.requireNoActiveChild()
            let m = try mergedView(forWrite: true)!
            let k: [UInt8]? = key.map { Array($0) }
            if let target = k ?? m.key { try txn.lockForWrite(opened, key: target) }
            var d = Array(data)
            if let partial {
                var old: [UInt8] = []
                switch op {
                case .current: old = (try? m.get(.current, key: nil, data: nil).data) ?? []
                case .keyFirst, .keyLast, .noDupData, .overwriteDup:
                    if !opened.tree.hasDups { old = (try? m.items(k ?? []).items.first { !$0.deleted }?.data) ?? [] }
                case .before, .after: break
                }
                d = Database.partialPut(old: old, offset: partial.offset, length: partial.length, data: d)
            }
            try m.put(key: k, data: d, op)
            return
        }
        opened.latch.lockExclusive()
        defer { opened.latch.unlock() }
        guard let partial else { try put(locked: key, data: data, op); return }
        let tree = opened.tree
        var old: [UInt8] = []
        switch op {
        case .current:
            // A deleted current item reads as empty; the put itself then
            // reports DB_NOTFOUND / DB_KEYEMPTY as libdb does.
            old = (try? cursor.get(.current))?.data ?? []
        case .keyFirst, .keyLast, .noDupData, .overwriteDup:
            if !tree.hasDups { old = (try? tree.get(Array(key ?? UnsafeRawBufferPointer(start: nil, count: 0)))) ?? [] }
        case .before, .after:
            break
        }
        let spliced = Database.partialPut(old: old, offset: partial.offset, length: partial.length, data: Array(data))
        try withBuffer(spliced) { (d) throws(DBError) in try put(locked: key, data: d, op) }
    }

    /// The write itself, the latch held exclusively.
    private func put(locked key: UnsafeRawBufferPointer?, data: UnsafeRawBufferPointer, _ op: BtreePutOp) throws(DBError) {
        guard let log = database.environment.log else {
            try cursor.put(key: key, data: data, op)
            return
        }
        let tree = opened.tree
        let id = opened.logFileID
        let newData = Array(data)
        // What the put replaces, read before it (nil: nothing, it adds).
        var k: [UInt8]
        var replaced: [UInt8]?
        switch op {
        case .current:
            // DB_NOTFOUND on a deleted entry comes from the cursor's put below.
            (k, replaced) = (try? cursor.get(.current)) ?? (cursor.key, nil)
        case .before, .after:
            k = cursor.key
        case .keyFirst, .keyLast, .noDupData, .overwriteDup:
            k = Array(key ?? UnsafeRawBufferPointer(start: nil, count: 0))
            if !tree.hasDups {
                replaced = try? tree.get(k)
            } else if tree.sorted && op == .overwriteDup {
                replaced = try? tree.cursor().get(.getBoth, key: k, data: newData).data
            }
        }
        // Unsorted duplicates: a positional write is logged as the key's
        // whole duplicate set after it, with the set before it.
        let before = tree.tokens ? Database.duplicates(of: k, in: tree) : []
        // Apply first through the cursor (it decides DB_KEYEXIST and the
        // position), then log: the latch is held, so no other writer or
        // reader sees the change before the record is in the log buffer.
        try database.commitApplied(log) { () throws(DBError) -> [CommitRecord.Operation] in
            try cursor.put(key: key, data: data, op)
            if tree.tokens {
                k = cursor.key
                return [.init(kind: .setDuplicates, fileID: id, key: k,
                              data: CommitRecord.encodeList(Database.duplicates(of: k, in: tree)),
                              before: CommitRecord.encodeList(before))]
            }
            // The stored key (a custom comparator may match another spelling).
            if !tree.hasDups, replaced != nil { k = cursor.key }
            if !tree.hasDups {
                return [.init(kind: .put, fileID: id, key: k, data: newData, before: replaced)]
            } else if let replaced {
                // A sorted duplicate replaced in place: its removal and the
                // new one's insertion.
                return [.init(kind: .deleteDuplicate, fileID: id, key: k, data: replaced, before: replaced),
                       .init(kind: .putDuplicate, fileID: id, key: k, data: newData, before: nil)]
            } else {
                return [.init(kind: .putDuplicate, fileID: id, key: k, data: newData, before: nil)]
            }
        }
    }

    public func delete() throws(DBError) {
        try database.requireWritable("DBcursor->del")
        if let txn = transaction {
            try txn.requireActive("DBcursor->del")
            try txn.requireNoActiveChild()
            let m = try mergedView(forWrite: true)!
            if let k = m.key { try txn.lockForWrite(opened, key: k) }
            try m.delete()
            return
        }
        opened.latch.lockExclusive()
        defer { opened.latch.unlock() }
        if let log = database.environment.log {
            let (k, old) = try cursor.get(.current)
            let tree = opened.tree
            if tree.tokens {
                let before = Database.duplicates(of: k, in: tree)
                try database.commitApplied(log) { () throws(DBError) -> [CommitRecord.Operation] in
                    try cursor.delete()
                    return [.init(kind: .setDuplicates, fileID: opened.logFileID, key: k,
                                  data: CommitRecord.encodeList(Database.duplicates(of: k, in: tree)),
                                  before: CommitRecord.encodeList(before))]
                }
                return
            }
            let dups = tree.hasDups
            let logged = CommitRecord.Operation(kind: dups ? .deleteDuplicate : .delete, fileID: opened.logFileID,
                                                key: k, data: dups ? old : [], before: old)
            try database.commitApplied(log) { () throws(DBError) -> [CommitRecord.Operation] in
                try cursor.delete()
                return [logged]
            }
        } else {
            try cursor.delete()
        }
    }
}
