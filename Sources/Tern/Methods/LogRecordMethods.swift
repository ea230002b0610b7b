// DB_ENV->log_printf and DB_ENV->log_put_record: the C shims
// (Sources/CTern/variadic_methods.c) format the text or take the fields off
// the va_list; these entry points hand them to the engine
// (TernEngine/Txn/ApplicationRecords.swift). No logic beyond argument shapes.
import CBerkeleyDB
import CTern
import TernEngine

@_cdecl("tern_log_printf_text")
func tern_log_printf_text(_ dbenv: UnsafeMutablePointer<DB_ENV>?, _ txn: UnsafeMutablePointer<DB_TXN>?,
                          _ text: UnsafePointer<CChar>?, _ size: UInt32) -> Int32 {
    EnvConfigMethods.run(dbenv) { env throws(DBError) in
        _ = try env.logPrintf(UnsafeRawBufferPointer(start: text, count: text == nil ? 0 : Int(size)),
                              transaction: TxnHandle.transaction(txn))
    }
}

@_cdecl("tern_log_put_record_fields")
func tern_log_put_record_fields(_ dbenv: UnsafeMutablePointer<DB_ENV>?, _ dbp: UnsafeMutablePointer<DB>?,
                                _ txn: UnsafeMutablePointer<DB_TXN>?, _ lsnp: UnsafeMutablePointer<DB_LSN>?,
                                _ flags: UInt32, _ rectype: UInt32,
                                _ fields: UnsafePointer<tern_logrec_field>?, _ count: UInt32) -> Int32 {
    var lsn = LSN.zero
    let ret = EnvConfigMethods.run(dbenv) { env throws(DBError) in
        guard let fields else {
            throw DBError.invalid(count == UInt32.max
                ? "DB_ENV->log_put_record: record specification missing or not terminated by LOGREC_Done"
                : "DB_ENV->log_put_record: unknown field type in the record specification")
        }
        var list: [ApplicationLogField] = []
        list.reserveCapacity(Int(count))
        for f in UnsafeBufferPointer(start: fields, count: Int(count)) {
            switch Int32(f.kind) {
            case TERN_LOGREC_WORD: list.append(.word(f.word))
            case TERN_LOGREC_DB: list.append(.databaseFileID)
            case TERN_LOGREC_BYTES:
                list.append(.bytes(f.present == 0 ? nil
                    : UnsafeRawBufferPointer(start: f.data, count: f.data == nil ? 0 : Int(f.size))))
            default:
                list.append(.lsn(f.present == 0 ? nil : LSN(file: f.lsn.file, offset: f.lsn.offset)))
            }
        }
        let fileID = dbp.flatMap { HandleSlot.box($0).database.logFileID }
        lsn = try env.logPutRecord(type: rectype, fields: list, databaseFileID: fileID,
                                   transaction: TxnHandle.transaction(txn), flags: flags)
    }
    if ret == 0, let lsnp { lsnp.pointee = DB_LSN(file: lsn.file, offset: lsn.offset) }
    return ret
}
