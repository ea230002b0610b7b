// Application log records in libdb's layout: DB_ENV->log_printf and
// DB_ENV->log_put_record (the call behind the logging code db_gen_log
// generates for applications).
//
// A record is what libdb's __log_put_record_int marshals:
//   u32 rectype, u32 txnid (0 without a transaction), DB_LSN prev_lsn (the
//   transaction's previous record; zero for its first and without one),
//   then each field of the DB_LOG_RECSPEC in order: a u32 for ARG/TIME/
//   DBOP/OP, the database's log file id for DB, u32 size + bytes for the DBT
//   kinds (size 0 for a NULL DBT), 8 bytes for a POINTER (zero when NULL).
// log_printf writes libdb's __db_debug record (rectype 47): op
// "DIAGNOSTIC", fileid -1, key the formatted text, data empty, arg_flags 0.
//
// Tern stores them as application records (TernLogRecord.application), so a
// log cursor returns exactly these bytes, as libdb's does.
//
// Undo: aborting a transaction hands each of its records of an application
// type (rectype >= DB_user_BEGIN, 10000) back to the function given to
// DB_ENV->set_app_dispatch with DB_TXN_ABORT, newest first, as libdb's
// abort does; without one the environment panics with libdb's messages.
// A committed child's records become its parent's. Tern's own records need
// no undo (deferred update), and __db_debug records (log_printf) have none.
// Recovery does not dispatch application records yet (libdb's backward and
// forward passes call the dispatch function for them).
//
// Locking rule: the transaction's prevLSN chain is the transaction's own
// state (one thread at a time uses a DB_TXN); the append happens in a commit
// section like DB_ENV->log_put, so checkpoints cut around it.
import CBerkeleyDB
import Glibc

/// One field of a DB_LOG_RECSPEC, with its argument already taken from the
/// caller's varargs.
public enum ApplicationLogField {
    /// LOGREC_ARG, LOGREC_TIME, LOGREC_DBOP, LOGREC_OP.
    case word(UInt32)
    /// LOGREC_DB: the record's database's log file id (not in the varargs).
    case databaseFileID
    /// LOGREC_DBT, PGDBT, PGDDBT, PGLIST, LOCKS, HDR, DATA (nil: a NULL DBT).
    case bytes(UnsafeRawBufferPointer?)
    /// LOGREC_POINTER (nil: a NULL DB_LSN pointer).
    case lsn(LSN?)
}

extension Environment {
    /// libdb's __db_debug record type.
    static let debugRecordType: UInt32 = 47
    /// libdb's DB_user_BEGIN: record types from here on are the application's.
    static let userRecordBase: UInt32 = 10000
    /// log_put_record's allowed flags (libdb's __log_put_record_pp).
    static let applicationLogFlags = UInt32(DB_LOG_CHKPNT | DB_LOG_COMMIT | DB_FLUSH | DB_LOG_NOCOPY | DB_LOG_WRNOSYNC)

    /// DB_ENV->log_printf: `text` is the formatted message (libdb formats
    /// into a 2,048-byte buffer; the caller cuts it the same way).
    public func logPrintf(_ text: UnsafeRawBufferPointer, transaction: Transaction?) throws(DBError) -> LSN {
        try requireSubsystem("DB_ENV->log_printf", .log)
        let op: [UInt8] = Array("DIAGNOSTIC".utf8)
        return try op.withUnsafeBytes { (opBytes) -> Result<LSN, DBError> in
            Result { () throws(DBError) -> LSN in
                try appendApplicationRecord(
                    type: Self.debugRecordType,
                    fields: [.bytes(opBytes), .word(UInt32(bitPattern: -1)), .bytes(text), .bytes(nil), .word(0)],
                    databaseFileID: nil, transaction: transaction, flags: 0)
            }
        }.get()
    }

    /// DB_ENV->log_put_record. `databaseFileID` is the log file id of the
    /// DB handle given (nil when none); a LOGREC_DB field without one is
    /// EINVAL (libdb would dereference NULL).
    public func logPutRecord(type: UInt32, fields: [ApplicationLogField], databaseFileID: UInt32?,
                             transaction: Transaction?, flags: UInt32) throws(DBError) -> LSN {
        let method = "DB_ENV->log_put_record"
        try requireSubsystem(method, .log)
        if flags & ~Self.applicationLogFlags != 0 { throw .illegalFlag(method) }
        if flags & UInt32(DB_LOG_WRNOSYNC) != 0 && flags & UInt32(DB_FLUSH) != 0 {
            throw .illegalFlagCombination(method)
        }
        return try appendApplicationRecord(type: type, fields: fields, databaseFileID: databaseFileID,
                                           transaction: transaction, flags: flags)
    }

    private func appendApplicationRecord(type: UInt32, fields: [ApplicationLogField], databaseFileID: UInt32?,
                                         transaction: Transaction?, flags: UInt32) throws(DBError) -> LSN {
        try requireNotPanicked()
        guard let log else { throw .notConfigured("DB_ENV->log_put_record", subsystem: Subsystem.log.name) }
        if let transaction {
            try transaction.requireActive("DB_ENV->log_put_record")
            try transaction.requireNoActiveChild()
        }
        var record: [UInt8] = []
        record.reserveCapacity(16 + fields.count * 8)
        func word(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { record.append(contentsOf: $0) } }
        func lsn(_ l: LSN) { word(l.file); word(l.offset) }
        word(type)
        word(transaction?.id ?? 0)
        lsn(transaction?.lastApplicationLSN ?? .zero)
        for field in fields {
            switch field {
            case .word(let v): word(v)
            case .databaseFileID:
                guard let databaseFileID else {
                    throw .invalid("DB_ENV->log_put_record: a LOGREC_DB field needs a database handle")
                }
                word(databaseFileID)
            case .bytes(let b):
                guard let b else { word(0); continue }
                guard b.count <= UInt32.max else { throw .invalid("DB_ENV->log_put_record: field too large") }
                word(UInt32(b.count))
                record.append(contentsOf: b)
            case .lsn(let l): lsn(l ?? .zero)
            }
        }
        let at = try commitSection { () throws(DBError) -> LSN in
            try log.append(type: TernLogRecord.application, payload: record)
        }
        if let transaction {
            transaction.lastApplicationLSN = at
            if type >= Self.userRecordBase { transaction.applicationUndo.append((at, record)) }
        }
        if flags & UInt32(DB_FLUSH) != 0 {
            try log.commit(at, mode: .sync)
        } else if flags & UInt32(DB_LOG_WRNOSYNC) != 0 {
            try log.commit(at, mode: .writeNoSync)
        }
        return at
    }
}

/// DB_ENV->set_app_dispatch's function, called by the C layer: the record,
/// its LSN and the db_recops value. Returns the function's result.
public typealias ApplicationDispatch = (UnsafeRawBufferPointer, LSN, UInt32) -> Int32

extension Environment {
    /// Hands an aborted transaction's application records, newest first, to
    /// the dispatch function with DB_TXN_ABORT. A missing function or a
    /// failing call panics the environment, as libdb's __txn_undo does.
    func undoApplicationRecords(_ records: [(lsn: LSN, record: [UInt8])]) throws(DBError) {
        for (lsn, record) in records.reversed() {
            let type = record.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
            var lines: [String] = []
            var code: Int32 = 0
            if let dispatch = applicationDispatch {
                code = record.withUnsafeBytes { dispatch($0, lsn, UInt32(DB_TXN_ABORT.rawValue)) }
            } else {
                lines.append("BDB0512 Illegal application-specific record type \(type) in log")
                code = EINVAL
            }
            guard code != 0 else { continue }
            let text = String(cString: db_strerror(code))
            lines.append("BDB4537 DB_TXN->abort: log undo failed for LSN: \(lsn.file) \(lsn.offset): \(text)")
            lines.append("BDB0061 PANIC: \(text)")
            panic(because: DBError(code))
            // One error-channel line per libdb message (see ErrorChannel).
            throw DBError(DB_RUNRECOVERY, lines.joined(separator: "\n"))
        }
    }
}

extension Database {
    /// The id this handle's records carry in the log (a LOGREC_DB field);
    /// nil before open.
    public var logFileID: UInt32? { opened?.logFileID }
}
