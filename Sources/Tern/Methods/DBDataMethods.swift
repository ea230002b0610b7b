// DB->open and the data methods (get, put, del, exists, sync, cursor): C
// arguments in, engine call, DBT memory out. No logic beyond argument
// shapes; the engine decides everything (Sources/TernEngine/Access).
import CBerkeleyDB
import Glibc
import TernEngine

enum DBDataMethods {
    static func install(_ h: UnsafeMutablePointer<DB>) {
        h.pointee.open = { dbp, txn, file, database, type, flags, mode in
            guard let dbp else { return EINVAL }
            let options = DBDataMethods.comparators(dbp)
            let dbenv = UnsafePointer(dbp.pointee.dbenv)
            return DBMethods.call(dbp) { db throws(DBError) in
                let notices = try db.open(file: file.map { String(cString: $0) },
                                          database: database.map { String(cString: $0) },
                                          type: type, flags: flags, mode: mode, options: options,
                                          transaction: TxnHandle.transaction(txn))
                for notice in notices { _ = ErrorChannel.report(dbenv, DBError(0, notice)) }
            }
        }
        h.pointee.get = { dbp, txn, key, data, flags in
            guard let dbp, let key, let data else { return EINVAL }
            let transaction = TxnHandle.transaction(txn)
            let box = HandleSlot.box(dbp)
            let dbenv = UnsafePointer(dbp.pointee.dbenv)
            var ret: Int32 = 0
            let code = DBMethods.call(dbp) { db throws(DBError) in
                let request = try db.checkGet(flags: flags, key: DBTMemory.shape(key), data: DBTMemory.shape(data))
                let deliver = { (k: BtreeValue?, v: BtreeValue) throws(DBError) -> Int32 in
                    if let k {
                        let r = try k.withBytes { DBTMemory.give($0, to: key, buffer: &box.keyBuffer, dbenv: dbenv) }
                        if r != 0 { return r }
                    }
                    return try v.withBytes { DBTMemory.give($0, to: data, buffer: &box.dataBuffer, dbenv: dbenv) }
                }
                if let transaction {
                    ret = try db.get(request, key: DBTMemory.bytes(of: key), data: DBTMemory.bytes(of: data),
                                     txn: transaction, rmw: flags & UInt32(DB_RMW) != 0,
                                     readCommitted: flags & UInt32(DB_READ_COMMITTED) != 0, deliver)
                } else {
                    ret = try db.get(request, key: DBTMemory.bytes(of: key), data: DBTMemory.bytes(of: data), deliver)
                }
            }
            return code != 0 ? code : ret
        }
        h.pointee.exists = { dbp, txn, key, flags in
            guard let dbp, let key else { return EINVAL }
            let transaction = TxnHandle.transaction(txn)
            return DBMethods.call(dbp) { db throws(DBError) in
                // libdb's DB->exists is DB->get into a DBT that takes no bytes.
                let getFlags = try db.checkExists(flags: flags)
                let nothing = ItemShape(flags: UInt32(DB_DBT_PARTIAL | DB_DBT_USERMEM))
                _ = try db.checkGet(flags: getFlags, key: DBTMemory.shape(key), data: nothing)
                if let transaction {
                    let empty = UnsafeRawBufferPointer(start: nil, count: 0)
                    try db.get(.key, key: DBTMemory.bytes(of: key), data: empty, txn: transaction, rmw: false) {
                        (_, _) throws(DBError) in ()
                    }
                } else {
                    try db.exists(key: DBTMemory.bytes(of: key))
                }
            }
        }
        h.pointee.put = { dbp, txn, key, data, flags in
            guard let dbp, let key, let data else { return EINVAL }
            let transaction = TxnHandle.transaction(txn)
            let autoCommit = flags & UInt32(DB_AUTO_COMMIT) != 0 || DBDataMethods.isAutoCommit(dbp)
            return DBMethods.call(dbp) { db throws(DBError) in
                let request = try db.checkPut(flags: flags, key: DBTMemory.shape(key), data: DBTMemory.shape(data))
                let partial = data.pointee.flags & UInt32(DB_DBT_PARTIAL) != 0
                    ? (offset: Int(data.pointee.doff), length: Int(data.pointee.dlen)) : nil
                if let transaction {
                    try db.put(key: DBTMemory.bytes(of: key), data: DBTMemory.bytes(of: data), request,
                               partial: partial, txn: transaction)
                } else {
                    try db.put(key: DBTMemory.bytes(of: key), data: DBTMemory.bytes(of: data), request,
                               partial: partial, autoCommit: autoCommit)
                }
            }
        }
        h.pointee.del = { dbp, txn, key, flags in
            guard let dbp, let key else { return EINVAL }
            let transaction = TxnHandle.transaction(txn)
            let autoCommit = flags & UInt32(DB_AUTO_COMMIT) != 0 || DBDataMethods.isAutoCommit(dbp)
            return DBMethods.call(dbp) { db throws(DBError) in
                try db.checkDelete(flags: flags, key: DBTMemory.shape(key))
                if let transaction {
                    try db.delete(key: DBTMemory.bytes(of: key), txn: transaction)
                } else {
                    try db.delete(key: DBTMemory.bytes(of: key), autoCommit: autoCommit)
                }
            }
        }
        h.pointee.sync = { dbp, flags in
            guard let dbp else { return EINVAL }
            if flags != 0 { return ErrorChannel.report(UnsafePointer(dbp.pointee.dbenv), .illegalFlag("DB->sync")) }
            return DBMethods.call(dbp) { db in try db.sync() }
        }
        h.pointee.cursor = { dbp, txn, out, flags in
            guard let dbp, let out else { return EINVAL }
            let transaction = TxnHandle.transaction(txn)
            var cursor: DatabaseCursor?
            let code = DBMethods.call(dbp) { db throws(DBError) in
                try db.checkCursor(flags: flags)
                cursor = try db.cursor(txn: transaction)
            }
            guard code == 0, let cursor else { return code }
            guard let dbc = CursorHandle.create(cursor, on: dbp) else { return ENOMEM }
            dbc.pointee.txn = txn
            out.pointee = dbc
            return 0
        }
    }

    /// DB_AUTO_COMMIT from the open flags or the environment's flags.
    static func isAutoCommit(_ dbp: UnsafeMutablePointer<DB>) -> Bool {
        let db = HandleSlot.box(dbp).database
        return db.openFlags & UInt32(DB_AUTO_COMMIT) != 0
            || db.environment.config.flags & UInt32(DB_AUTO_COMMIT) != 0
    }

    /// The application's comparison functions as tree comparators: each call
    /// wraps the two byte strings in DBTs and calls the C function.
    static func comparators(_ dbp: UnsafeMutablePointer<DB>) -> BtreeOptions {
        let db = HandleSlot.box(dbp).database
        var options = BtreeOptions(minKey: db.config.btMinKey)
        if db.config.flags.contains(.dup) { options.flags.insert(.dup) }
        if db.config.flags.contains(.dupSort) { options.flags.insert([.dup, .dupSort]) }
        if db.config.flags.contains(.recnum) { options.flags.insert(.recnum) }
        if db.config.flags.contains(.revSplitOff) { options.flags.insert(.revSplitOff) }
        if case .custom(let f) = db.config.btCompare { options.compare = wrap(f, dbp) }
        if case .custom(let f) = db.config.duplicateCompare { options.dupCompare = wrap(f, dbp) }
        return options
    }

    private static func wrap(_ f: DBCompareFunction, _ dbp: UnsafeMutablePointer<DB>) -> BtreeCompare {
        { a, b in
            var x = DBT(), y = DBT()
            x.data = UnsafeMutableRawPointer(mutating: a.baseAddress)
            x.size = UInt32(a.count)
            y.data = UnsafeMutableRawPointer(mutating: b.baseAddress)
            y.size = UInt32(b.count)
            return f(dbp, &x, &y)
        }
    }
}
