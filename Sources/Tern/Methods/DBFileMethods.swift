// DB methods on a whole database: truncate, stat, key_range, remove and
// rename. C arguments in, engine call (Sources/TernEngine/Access/
// DatabaseFiles.swift holds every check), C results out.
//
// remove and rename destroy the handle, as libdb's do, except when the
// engine's pre-checks (phase, flags) fail: libdb returns early then and the
// handle stays usable.
import CBerkeleyDB
import Glibc
import TernEngine

enum DBFileMethods {
    static func install(_ h: UnsafeMutablePointer<DB>) {
        h.pointee.truncate = { dbp, txn, countp, flags in
            guard let dbp else { return EINVAL }
            let transaction = TxnHandle.transaction(txn)
            return DBMethods.call(dbp) { db in
                let n = try db.truncate(flags: flags, transaction: transaction)
                countp?.pointee = n
            }
        }
        h.pointee.stat = { dbp, txn, spp, flags in
            guard let dbp else { return EINVAL }
            let transaction = TxnHandle.transaction(txn)
            return DBMethods.call(dbp) { db in
                let s = try db.statistics(flags: flags, transaction: transaction)
                let dbenv = UnsafePointer(dbp.pointee.dbenv)
                guard let raw = DBFileMethods.allocate(MemoryLayout<DB_BTREE_STAT>.size, dbenv: dbenv) else {
                    throw DBError(ENOMEM)
                }
                let out = raw.bindMemory(to: DB_BTREE_STAT.self, capacity: 1)
                out.pointee = DBFileMethods.cStat(s)
                spp?.assumingMemoryBound(to: UnsafeMutablePointer<DB_BTREE_STAT>?.self).pointee = out
            }
        }
        h.pointee.stat_print = { dbp, flags in
            guard let dbp else { return EINVAL }
            return DBMethods.call(dbp) { db in
                for line in try db.statPrintLines(flags: flags) {
                    ErrorChannel.message(UnsafePointer(dbp.pointee.dbenv), line)
                }
            }
        }
        h.pointee.key_range = { dbp, txn, key, range, flags in
            guard let dbp, let key else { return EINVAL }
            let transaction = TxnHandle.transaction(txn)
            return DBMethods.call(dbp) { db in
                let r = try db.keyRange(key: DBTMemory.bytes(of: key), flags: flags, transaction: transaction)
                range?.pointee = DB_KEY_RANGE(less: r.less, equal: r.equal, greater: r.greater)
            }
        }
        h.pointee.verify = { dbp, file, database, outfile, flags in
            guard let dbp else { return EINVAL }
            let ret = DBMethods.call(dbp) { db in
                try db.verify(file: file.map { String(cString: $0) }, database: database.map { String(cString: $0) },
                              flags: flags)
            }
            DBHandle.destroy(dbp)
            return ret
        }
        h.pointee.remove = { dbp, file, database, flags in
            guard let dbp else { return EINVAL }
            let pre = DBMethods.call(dbp) { db in try db.checkFileCall("DB->remove", flags: flags) }
            if pre != 0 { return pre }
            let ret = DBMethods.call(dbp) { db in
                try db.remove(file: file.map { String(cString: $0) }, database: database.map { String(cString: $0) })
            }
            DBHandle.destroy(dbp)
            return ret
        }
        h.pointee.rename = { dbp, file, database, newName, flags in
            guard let dbp else { return EINVAL }
            let pre = DBMethods.call(dbp) { db in try db.checkFileCall("DB->rename", flags: flags) }
            if pre != 0 { return pre }
            let ret = DBMethods.call(dbp) { db in
                guard let newName else { throw DBError(EINVAL) }
                try db.rename(file: file.map { String(cString: $0) }, database: database.map { String(cString: $0) },
                              newName: String(cString: newName))
            }
            DBHandle.destroy(dbp)
            return ret
        }
    }

    static func cStat(_ s: BtreeStatistics) -> DB_BTREE_STAT {
        var c = DB_BTREE_STAT()
        c.bt_magic = s.magic
        c.bt_version = s.version
        c.bt_metaflags = s.metaFlags
        c.bt_nkeys = s.keys
        c.bt_ndata = s.data
        c.bt_pagecnt = s.pageCount
        c.bt_pagesize = s.pageSize
        c.bt_minkey = s.minKey
        c.bt_re_len = s.recordLength
        c.bt_re_pad = s.recordPad
        c.bt_levels = s.levels
        c.bt_int_pg = s.internalPages
        c.bt_leaf_pg = s.leafPages
        c.bt_dup_pg = s.duplicatePages
        c.bt_over_pg = s.overflowPages
        c.bt_empty_pg = s.emptyPages
        c.bt_free = s.freePages
        c.bt_int_pgfree = UInt(s.internalFree)
        c.bt_leaf_pgfree = UInt(s.leafFree)
        c.bt_dup_pgfree = UInt(s.duplicateFree)
        c.bt_over_pgfree = UInt(s.overflowFree)
        return c
    }

    /// libdb's __os_umalloc: the application's malloc (set_alloc) if any.
    static func allocate(_ size: Int, dbenv: UnsafePointer<DB_ENV>?) -> UnsafeMutableRawPointer? {
        if let userMalloc = dbenv?.pointee.db_malloc { return userMalloc(size) }
        return malloc(size)
    }
}
