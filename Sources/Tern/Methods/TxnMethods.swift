// DB_TXN methods and DB_ENV->txn_begin / txn_stat / txn_stat_print: C
// arguments in, engine call (Sources/TernEngine/Txn), results out.
import CBerkeleyDB
import Glibc
import TernEngine

enum TxnMethods {
    static func run(_ h: UnsafeMutablePointer<DB_TXN>, _ body: (Transaction) throws(DBError) -> Void) -> Int32 {
        guard let txn = TxnHandle.transaction(h) else { return EINVAL }
        return HandleCall.run(txn, reportingTo: TxnHandle.dbenv(h), body)
    }

    static func installEnv(_ h: UnsafeMutablePointer<DB_ENV>) {
        h.pointee.txn_begin = { dbenv, parent, out, flags in
            guard let dbenv, let out else { return EINVAL }
            var created: Transaction?
            let ret = EnvConfigMethods.run(dbenv) { env throws(DBError) in
                created = try env.beginTransaction(parent: TxnHandle.transaction(parent), flags: flags)
            }
            if ret != 0 { return ret }
            guard let created, let handle = TxnHandle.create(created, in: dbenv, parent: parent) else {
                try? created?.abort()
                return ENOMEM
            }
            out.pointee = handle
            return 0
        }
        h.pointee.txn_stat = { dbenv, out, flags in
            guard let dbenv, let out else { return EINVAL }
            var stats = TransactionTable.Statistics()
            let ret = EnvConfigMethods.run(dbenv) { env throws(DBError) in
                stats = try env.transactionStatistics(flags: flags)
            }
            if ret != 0 { return ret }
            let activeSize = MemoryLayout<DB_TXN_ACTIVE>.stride * stats.active.count
            let head = (MemoryLayout<DB_TXN_STAT>.size + 15) & ~15
            guard let p = UserMemory.allocate(head + activeSize, dbenv) else { return ENOMEM }
            let sp = p.bindMemory(to: DB_TXN_STAT.self, capacity: 1)
            sp.pointee.st_last_ckp = DB_LSN(file: stats.lastCheckpoint.file, offset: stats.lastCheckpoint.offset)
            sp.pointee.st_time_ckp = stats.timeCheckpoint
            sp.pointee.st_last_txnid = stats.lastTxnID
            sp.pointee.st_inittxns = stats.maxTxns
            sp.pointee.st_maxtxns = stats.maxTxns
            sp.pointee.st_naborts = UInt(stats.naborts)
            sp.pointee.st_nbegins = UInt(stats.nbegins)
            sp.pointee.st_ncommits = UInt(stats.ncommits)
            sp.pointee.st_nactive = stats.nactive
            sp.pointee.st_maxnactive = stats.maxnactive
            sp.pointee.st_regsize = roff_t(stats.regionSize)
            let ap = (p + head).bindMemory(to: DB_TXN_ACTIVE.self, capacity: max(stats.active.count, 1))
            for (i, a) in stats.active.enumerated() {
                var row = DB_TXN_ACTIVE()
                row.txnid = a.id
                row.parentid = a.parent
                row.pid = a.pid
                row.lsn = DB_LSN(file: a.beginLSN.file, offset: a.beginLSN.offset)
                row.priority = a.priority
                withUnsafeMutableBytes(of: &row.name) { dst in
                    for (j, b) in a.name.utf8.prefix(dst.count - 1).enumerated() { dst[j] = b }
                }
                row.status = UInt32(TXN_RUNNING)
                (ap + i).initialize(to: row)
            }
            sp.pointee.st_txnarray = stats.active.isEmpty ? nil : ap
            out.pointee = sp
            return 0
        }
        h.pointee.log_put = { dbenv, lsnp, dbt, flags in
            guard let dbenv, let dbt else { return EINVAL }
            var lsn = LSN(file: 0, offset: 0)
            let ret = EnvConfigMethods.run(dbenv) { env throws(DBError) in
                lsn = try env.logPut(DBTMemory.bytes(of: dbt), flags: flags)
            }
            if ret == 0, let lsnp { lsnp.pointee = DB_LSN(file: lsn.file, offset: lsn.offset) }
            return ret
        }
        h.pointee.txn_stat_print = { dbenv, flags in
            EnvConfigMethods.run(dbenv) { env throws(DBError) in
                let lines = try env.transactionStatisticsText(flags: flags)
                EnvSubsystemMethods.print(dbenv, lines)
            }
        }
    }

    static func install(_ h: UnsafeMutablePointer<DB_TXN>) {
        h.pointee.commit = { txnp, flags in
            guard let txnp else { return EINVAL }
            let dbenv = TxnHandle.dbenv(txnp)
            let ret = TxnMethods.run(txnp) { t throws(DBError) in
                if let notice = try t.commit(flags: flags) { _ = ErrorChannel.report(dbenv, notice) }
            }
            // The handle is gone unless the transaction is still active
            // (a refused argument leaves it usable, as libdb's checks do).
            if TxnHandle.transaction(txnp)?.state != .active { TxnHandle.destroy(txnp) }
            return ret
        }
        h.pointee.abort = { txnp in
            guard let txnp else { return EINVAL }
            let ret = TxnMethods.run(txnp) { t throws(DBError) in try t.abort() }
            if TxnHandle.transaction(txnp)?.state != .active { TxnHandle.destroy(txnp) }
            return ret
        }
        h.pointee.discard = { txnp, flags in
            guard let txnp else { return EINVAL }
            let ret = TxnMethods.run(txnp) { t throws(DBError) in try t.discard(flags: flags) }
            if TxnHandle.transaction(txnp)?.state != .active { TxnHandle.destroy(txnp) }
            return ret
        }
        h.pointee.id = { txnp in txnp?.pointee.txnid ?? 0 }
        h.pointee.set_name = { txnp, name in
            guard let txnp, let name else { return EINVAL }
            free(txnp.pointee.name)
            txnp.pointee.name = strdup(name)
            TxnHandle.transaction(txnp)?.name = String(cString: name)
            return 0
        }
        h.pointee.get_name = { txnp, namep in
            guard let txnp, let namep else { return EINVAL }
            namep.pointee = UnsafePointer(txnp.pointee.name)
            return 0
        }
        h.pointee.set_priority = { txnp, priority in
            guard let txnp else { return EINVAL }
            return TxnMethods.run(txnp) { t throws(DBError) in t.setPriority(priority) }
        }
        h.pointee.get_priority = { txnp, priorityp in
            guard let txnp, let priorityp else { return EINVAL }
            return TxnMethods.run(txnp) { t throws(DBError) in priorityp.pointee = t.priority }
        }
        h.pointee.set_timeout = { txnp, timeout, flags in
            guard let txnp else { return EINVAL }
            return TxnMethods.run(txnp) { t throws(DBError) in try t.setTimeout(timeout, flags: flags) }
        }
    }
}
