// DB_LOGC handles: allocation, the box (kept in DB_LOGC.fhp, a member libdb
// uses only internally; DB_LOGC.env holds the environment's EnvBox as
// Boxes.swift describes), the three methods, release.
import CBerkeleyDB
import Glibc
import TernEngine

final class LogCursorBox {
    let cursor: LogCursor
    let environment: Environment
    /// Handle-owned memory for returned records (libdb's logc->dbt).
    var dataBuffer = ReturnBuffer()

    init(cursor: LogCursor, environment: Environment) {
        self.cursor = cursor
        self.environment = environment
    }
    deinit { dataBuffer.release() }
}

enum LogCursorHandle {
    static func create(_ cursor: LogCursor, in dbenv: UnsafeMutablePointer<DB_ENV>) -> UnsafeMutablePointer<DB_LOGC>? {
        guard let raw = calloc(1, MemoryLayout<DB_LOGC>.size) else { return nil }
        let logc = raw.bindMemory(to: DB_LOGC.self, capacity: 1)
        logc.pointee.env = dbenv.pointee.env
        let box = LogCursorBox(cursor: cursor, environment: HandleSlot.box(dbenv).environment)
        logc.pointee.fhp = OpaquePointer(Unmanaged.passRetained(box).toOpaque())
        UnsupportedMethods.install(logc)
        install(logc)
        return logc
    }

    static func box(_ logc: UnsafeMutablePointer<DB_LOGC>) -> LogCursorBox {
        Unmanaged<LogCursorBox>.fromOpaque(UnsafeRawPointer(logc.pointee.fhp)!).takeUnretainedValue()
    }

    static func destroy(_ logc: UnsafeMutablePointer<DB_LOGC>) {
        if let raw = logc.pointee.fhp {
            Unmanaged<LogCursorBox>.fromOpaque(UnsafeRawPointer(raw)).release()
        }
        free(logc)
    }

    static func dbenv(_ logc: UnsafeMutablePointer<DB_LOGC>) -> UnsafePointer<DB_ENV>? {
        HandleSlot.dbenv(envSlot: logc.pointee.env)
    }

    static func install(_ h: UnsafeMutablePointer<DB_LOGC>) {
        // libdb's __logc_close_pp: bad flags leave the cursor open.
        h.pointee.close = { logc, flags in
            guard let logc else { return EINVAL }
            if flags != 0 {
                return ErrorChannel.report(LogCursorHandle.dbenv(logc), .illegalFlag("DB_LOGC->close"))
            }
            LogCursorHandle.destroy(logc)
            return 0
        }
        h.pointee.get = { logc, alsn, dbt, flags in
            guard let logc else { return EINVAL }
            return LogCursorHandle.get(logc, alsn, dbt, flags)
        }
        h.pointee.version = { logc, versionp, flags in
            guard let logc else { return EINVAL }
            let dbenv = LogCursorHandle.dbenv(logc)
            if flags != 0 { return ErrorChannel.report(dbenv, .illegalFlag("DB_LOGC->version")) }
            let box = LogCursorHandle.box(logc)
            if box.environment.panicked {
                return ErrorChannel.report(dbenv, DBError(DB_RUNRECOVERY, "BDB0060 PANIC: fatal region error detected; run recovery"))
            }
            let position = box.cursor.position
            if position.isZero { return ErrorChannel.report(dbenv, .invalid("BDB2574 DB_LOGC->get: unset cursor")) }
            return HandleCall.run(box.cursor, reportingTo: dbenv) { cursor in
                guard let header = try cursor.fileHeader(position.file) else { throw DBError(DB_NOTFOUND) }
                versionp?.pointee = header.version
            }
        }
    }

    /// libdb's __logc_get_pp and __logc_get: flag checks, then the record,
    /// copied into `dbt` by the DBT memory rules, and its LSN.
    static func get(_ logc: UnsafeMutablePointer<DB_LOGC>, _ alsn: UnsafeMutablePointer<DB_LSN>?,
                    _ dbt: UnsafeMutablePointer<DBT>?, _ flags: UInt32) -> Int32 {
        let dbenv = dbenv(logc)
        let box = box(logc)
        var target = LSN.zero
        switch flags {
        case UInt32(DB_CURRENT), UInt32(DB_FIRST), UInt32(DB_LAST), UInt32(DB_NEXT), UInt32(DB_PREV):
            break
        case UInt32(DB_SET):
            guard let alsn else { return EINVAL }
            target = LSN(file: alsn.pointee.file, offset: alsn.pointee.offset)
            if target.file == 0 && target.offset == 0 {
                return ErrorChannel.report(dbenv, .invalid("BDB2575 DB_LOGC->get: invalid LSN: 0/0"))
            }
        default:
            return ErrorChannel.report(dbenv, .illegalFlagCombination("DB_LOGC->get"))
        }
        if box.environment.panicked {
            return ErrorChannel.report(dbenv, DBError(DB_RUNRECOVERY, "BDB0060 PANIC: fatal region error detected; run recovery"))
        }
        let cursor = box.cursor
        let record: LogRecord
        do throws(DBError) {
            switch flags {
            case UInt32(DB_CURRENT):
                // libdb reads the zero LSN of an unset cursor: nothing there.
                if cursor.position.isZero { return DB_NOTFOUND }
                record = try cursor.current()
            case UInt32(DB_FIRST): record = try cursor.first()
            case UInt32(DB_LAST): record = try cursor.last()
            case UInt32(DB_NEXT): record = try cursor.next()
            case UInt32(DB_PREV): record = try cursor.prev()
            default:
                // No log file 0: libdb finds nothing there.
                if target.file == 0 { return DB_NOTFOUND }
                record = try cursor.set(target)
            }
        } catch {
            return ErrorChannel.report(dbenv, error)
        }
        alsn?.pointee = DB_LSN(file: record.lsn.file, offset: record.lsn.offset)
        guard let dbt else { return 0 }
        return record.payload.withUnsafeBytes { bytes in
            DBTMemory.give(bytes, to: dbt, buffer: &box.dataBuffer, dbenv: dbenv)
        }
    }
}
