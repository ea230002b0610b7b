// DB->get, DB->put and DB->del inside a transaction: reads see the
// transaction family's write sets first (MergedCursor), writes go to the
// transaction's own write set and reach the log and the pages only at the
// top-level commit (Txn/TransactionCommit.swift).
import CBerkeleyDB
import Glibc

extension Database {
    /// DB->get in a transaction; `body` as in the non-transactional get.
    public func get<R>(_ request: GetRequest, key: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer,
                       txn: Transaction, rmw: Bool, readCommitted: Bool = false,
                       _ body: (BtreeValue?, BtreeValue) throws(DBError) -> R) throws(DBError) -> R {
        let o = try openTree("DB->get")
        try checkTransaction(txn)
        try txn.requireActive("DB->get")
        let keyBytes = Array(key)
        if rmw {
            try txn.lockForWrite(o, key: keyBytes)
        } else {
            try txn.lockForRead(o, key: keyBytes, readCommitted: readCommitted)
        }
        guard txn.hasWrites(o) else {
            return try get(request, key: key, data: data, body)
        }
        let c = MergedCursor(opened: o, txn: txn)
        let returnsKey = o.tree.keyCompare != nil
        let hit: MergedCursor.Hit
        switch request {
        case .key: hit = try c.get(.set, key: keyBytes, data: nil)
        case .both: hit = try c.get(.getBoth, key: keyBytes, data: Array(data))
        case .recordNumber: hit = try c.get(.setRecno(try Self.recordNumber(key)), key: nil, data: nil)
        }
        let tree = o.tree
        return try withBuffer(hit.key) { (k) throws(DBError) in
            try withBuffer(hit.data) { (d) throws(DBError) in
                let kv = BtreeValue(tree: tree, inline: k, chain: 0, count: k.count)
                let dv = BtreeValue(tree: tree, inline: d, chain: 0, count: d.count)
                let wantsKey = returnsKey || request == .recordNumber
                return try body(wantsKey ? kv : nil, dv)
            }
        }
    }

    /// DB->put in a transaction.
    public func put(key: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer, _ request: PutRequest,
                    partial: (offset: Int, length: Int)? = nil, txn: Transaction) throws(DBError) {
        let o = try openTree("DB->put")
        try requireWritable("DB->put")
        try checkTransaction(txn)
        try txn.requireActive("DB->put")
        try txn.requireNoActiveChild()
        let keyBytes = Array(key)
        try txn.lockForWrite(o, key: keyBytes)
        var newData = Array(data)
        if let partial {
            let old = (try? MergedCursor(opened: o, txn: txn).get(.set, key: keyBytes, data: nil).data) ?? []
            newData = Self.partialPut(old: old, offset: partial.offset, length: partial.length, data: newData)
        }
        let op: BtreePutOp
        switch request {
        case .noDupData: op = .noDupData
        case .overwriteDup: op = .overwriteDup
        default: op = .keyLast
        }
        _ = try MergedCursor.putKeyed(txn, o, key: keyBytes, data: newData, op,
                                      noOverwrite: request == .noOverwrite)
    }

    /// DB->del in a transaction: every live item of the key becomes a
    /// tombstone; DB_NOTFOUND if there is none.
    public func delete(key: UnsafeRawBufferPointer, txn: Transaction) throws(DBError) {
        let o = try openTree("DB->del")
        try requireWritable("DB->del")
        try checkTransaction(txn)
        try txn.requireActive("DB->del")
        try txn.requireNoActiveChild()
        let keyBytes = Array(key)
        try txn.lockForWrite(o, key: keyBytes)
        let c = MergedCursor(opened: o, txn: txn)
        var (stored, items) = try c.items(keyBytes)
        guard items.contains(where: { !$0.deleted }) else { throw DBError(DB_NOTFOUND) }
        for i in items.indices { items[i].deleted = true }
        try txn.setEntry(o, stored, WriteEntry(items: items))
    }
}

extension Database {
    /// libdb's __db_check_txn for a call given a transaction: the database
    /// must have been opened transactionally.
    public func checkTransaction(_ txn: Transaction?) throws(DBError) {
        if txn != nil && !transactional {
            throw .invalid("BDB0098 Transaction specified for a non-transactional database")
        }
    }

    /// ENOENT unless `file` names an existing file (what dbremove and
    /// dbrename in a transaction check before deferring to the commit).
    func checkExists(file: String?) throws(DBError) {
        guard let file else { throw DBError(ENOENT) }
        if access(resolvePath(file, creating: false), F_OK) != 0 { throw DBError(ENOENT) }
    }
}
