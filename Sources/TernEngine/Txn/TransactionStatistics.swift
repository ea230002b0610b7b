// DB_ENV->txn_stat and txn_stat_print (libdb's txn_stat.c), and
// DB_TXN->set_timeout's checks.
import CBerkeleyDB
import Glibc

extension Environment {
    public func transactionStatistics(flags: UInt32) throws(DBError) -> TransactionTable.Statistics {
        let method = "DB_ENV->txn_stat"
        try requireSubsystem(method, .txn)
        try Self.checkFlags(flags, allowed: UInt32(DB_STAT_CLEAR), method)
        try requireNotPanicked()
        var s = try transactionTable().statistics(clear: flags & UInt32(DB_STAT_CLEAR) != 0)
        if config.txMax != 0 { s.maxTxns = config.txMax }
        return s
    }

    public func transactionStatisticsText(flags: UInt32) throws(DBError) -> [String] {
        let method = "DB_ENV->txn_stat_print"
        try requireSubsystem(method, .txn)
        try Self.checkFlags(flags, allowed: UInt32(DB_STAT_ALL | DB_STAT_ALLOC | DB_STAT_CLEAR), method)
        try requireNotPanicked()
        let s = try transactionStatistics(flags: flags & UInt32(DB_STAT_CLEAR))
        var lines: [String] = []
        if flags & UInt32(DB_STAT_ALL) != 0 { lines.append("Default transaction region information:") }
        let ckp = s.lastCheckpoint
        lines.append("\(ckp.file)/\(ckp.offset)\t" + (ckp.file == 0 ? "No checkpoint LSN" : "File/offset for last checkpoint LSN"))
        if s.timeCheckpoint == 0 {
            lines.append("0\tNo checkpoint timestamp")
        } else {
            var t = time_t(s.timeCheckpoint)
            var buf = [CChar](repeating: 0, count: 32)
            ctime_r(&t, &buf)
            let stamp = String(buf.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }.prefix(24))
            lines.append("\(stamp)\tCheckpoint timestamp")
        }
        lines.append("0x\(String(s.lastTxnID, radix: 16))\tLast transaction ID allocated")
        lines.append("\(s.maxTxns)\tMaximum number of active transactions configured")
        lines.append("\(s.maxTxns)\tInitial number of transactions configured")
        lines.append("\(s.nactive)\tActive transactions")
        lines.append("\(s.maxnactive)\tMaximum active transactions")
        lines.append("\(s.nbegins)\tNumber of transactions begun")
        lines.append("\(s.naborts)\tNumber of transactions aborted")
        lines.append("\(s.ncommits)\tNumber of transactions committed")
        lines.append("0\tSnapshot transactions")
        lines.append("0\tMaximum snapshot transactions")
        lines.append("0\tNumber of transactions restored")
        lines.append("\(Self.bytesText(gbytes: 0, bytes: UInt32(truncatingIfNeeded: s.regionSize)))\tRegion size")
        lines.append("0\tThe number of region locks that required waiting (0%)")
        lines.append("Active transactions:")
        for a in s.active.sorted(by: { $0.id < $1.id }) {
            var line = "\t\(String(a.id, radix: 16)): running; xa_status ; pid/thread \(a.pid)/0; begin LSN: file/offset \(a.beginLSN.file)/\(a.beginLSN.offset)"
            if a.parent != 0 { line += "; parent: \(String(a.parent, radix: 16))" }
            if isOn(.lock) { line += "; priority: \(a.priority)" }
            lines.append(line)
        }
        return lines
    }
}

extension Environment {
    /// Counts transactions libdb would have run internally (see
    /// TransactionTable.noteInternal).
    func noteInternalTransactions(_ count: Int, committed: Bool) {
        guard isOn(.txn), let table = try? transactionTable() else { return }
        table.noteInternal(count, committed: committed)
    }
}

extension Transaction {
    /// DB_TXN->set_timeout: DB_SET_TXN_TIMEOUT or DB_SET_LOCK_TIMEOUT, in
    /// microseconds.
    public func setTimeout(_ timeout: UInt32, flags: UInt32) throws(DBError) {
        switch Int32(bitPattern: flags) {
        case DB_SET_TXN_TIMEOUT: txnTimeout = timeout
        case DB_SET_LOCK_TIMEOUT: lockTimeout = timeout
        default: throw .illegalFlag("DB_TXN->set_timeout")
        }
        applyLockTimeouts()
    }
}
