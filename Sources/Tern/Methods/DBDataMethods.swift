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
            if txn != nil { return Unsupported.report(dbp, "DB->open in a transaction") }
            let options = DBDataMethods.comparators(dbp)
            return DBMethods.call(dbp) { db in
                try db.open(file: file.map { String(cString: $0) }, database: database.map { String(cString: $0) },
                            type: type, flags: flags, mode: mode, options: options)
            }
        }
        h.pointee.get = { dbp, txn, key, data, flags in
            guard let dbp, let key, let data else { return EINVAL }
            if txn != nil { return Unsupported.report(dbp, "DB->get in a transaction") }
            let box = HandleSlot.box(dbp)
            let dbenv = UnsafePointer(dbp.pointee.dbenv)
            let op = flags & ~UInt32(DB_RMW | DB_READ_COMMITTED | DB_READ_UNCOMMITTED | DB_IGNORE_LEASE)
            var ret: Int32 = 0
            let code = DBMethods.call(dbp) { db throws(DBError) in
                switch op {
                case 0, UInt32(DB_GET_BOTH):
                    let both = op == UInt32(DB_GET_BOTH) ? DBTMemory.bytes(of: data) : nil
                    ret = try db.get(key: DBTMemory.bytes(of: key), data: both) { (v) throws(DBError) in
                        try v.withBytes { DBTMemory.give($0, to: data, buffer: &box.dataBuffer, dbenv: dbenv) }
                    }
                default:
                    throw DBError.illegalFlag("DB->get")
                }
            }
            return code != 0 ? code : ret
        }
        h.pointee.exists = { dbp, txn, key, flags in
            guard let dbp, let key else { return EINVAL }
            if txn != nil { return Unsupported.report(dbp, "DB->exists in a transaction") }
            if flags & ~UInt32(DB_RMW | DB_READ_COMMITTED | DB_READ_UNCOMMITTED) != 0 {
                return ErrorChannel.report(UnsafePointer(dbp.pointee.dbenv), .illegalFlag("DB->exists"))
            }
            return DBMethods.call(dbp) { db in try db.exists(key: DBTMemory.bytes(of: key)) }
        }
        h.pointee.put = { dbp, txn, key, data, flags in
            guard let dbp, let key, let data else { return EINVAL }
            if txn != nil { return Unsupported.report(dbp, "DB->put in a transaction") }
            let autoCommit = flags & UInt32(DB_AUTO_COMMIT) != 0 || DBDataMethods.isAutoCommit(dbp)
            let op = flags & ~UInt32(DB_AUTO_COMMIT)
            switch op {
            case 0, UInt32(DB_NOOVERWRITE), UInt32(DB_NODUPDATA), UInt32(DB_OVERWRITE_DUP),
                 UInt32(DB_NOOVERWRITE | DB_OVERWRITE_DUP):
                break
            default:
                return ErrorChannel.report(UnsafePointer(dbp.pointee.dbenv), .illegalFlag("DB->put"))
            }
            return DBMethods.call(dbp) { db in
                let keyBytes = DBTMemory.bytes(of: key)
                if data.pointee.flags & UInt32(DB_DBT_PARTIAL) != 0 {
                    let old: [UInt8]? = try? db.get(key: keyBytes, data: nil) { (v) throws(DBError) in try v.bytes() }
                    let spliced = Database.partialPut(old: old ?? [], offset: Int(data.pointee.doff),
                                                      length: Int(data.pointee.dlen), data: Array(DBTMemory.bytes(of: data)))
                    try spliced.withUnsafeBytes { bytes in
                        try db.put(key: keyBytes, data: bytes, noOverwrite: op & UInt32(DB_NOOVERWRITE) != 0,
                                   noDupData: op == UInt32(DB_NODUPDATA), autoCommit: autoCommit)
                    }
                } else {
                    try db.put(key: keyBytes, data: DBTMemory.bytes(of: data),
                               noOverwrite: op & UInt32(DB_NOOVERWRITE) != 0,
                               noDupData: op == UInt32(DB_NODUPDATA), autoCommit: autoCommit)
                }
            }
        }
        h.pointee.del = { dbp, txn, key, flags in
            guard let dbp, let key else { return EINVAL }
            if txn != nil { return Unsupported.report(dbp, "DB->del in a transaction") }
            if flags & ~UInt32(DB_AUTO_COMMIT) != 0 {
                return ErrorChannel.report(UnsafePointer(dbp.pointee.dbenv), .illegalFlag("DB->del"))
            }
            let autoCommit = flags & UInt32(DB_AUTO_COMMIT) != 0 || DBDataMethods.isAutoCommit(dbp)
            return DBMethods.call(dbp) { db in try db.delete(key: DBTMemory.bytes(of: key), autoCommit: autoCommit) }
        }
        h.pointee.sync = { dbp, flags in
            guard let dbp else { return EINVAL }
            if flags != 0 { return ErrorChannel.report(UnsafePointer(dbp.pointee.dbenv), .illegalFlag("DB->sync")) }
            return DBMethods.call(dbp) { db in try db.sync() }
        }
        h.pointee.cursor = { dbp, txn, out, flags in
            guard let dbp, let out else { return EINVAL }
            if txn != nil { return Unsupported.report(dbp, "DB->cursor in a transaction") }
            let allowed = UInt32(DB_CURSOR_BULK | DB_READ_COMMITTED | DB_READ_UNCOMMITTED | DB_WRITECURSOR | DB_TXN_SNAPSHOT)
            if flags & ~allowed != 0 {
                return ErrorChannel.report(UnsafePointer(dbp.pointee.dbenv), .illegalFlag("DB->cursor"))
            }
            var cursor: DatabaseCursor?
            let code = DBMethods.call(dbp) { db in cursor = try db.cursor() }
            guard code == 0, let cursor else { return code }
            guard let dbc = CursorHandle.create(cursor, on: dbp) else { return ENOMEM }
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
