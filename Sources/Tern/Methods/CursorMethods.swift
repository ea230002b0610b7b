// DBC methods (and their pre-4.6 c_* aliases, which old programs still call):
// C arguments in, engine cursor call, DBT memory out.
import CBerkeleyDB
import Glibc
import TernEngine

enum CursorMethods {
    static func install(_ h: UnsafeMutablePointer<DBC>) {
        h.pointee.close = { dbc in
            guard let dbc else { return EINVAL }
            CursorHandle.destroy(dbc)
            return 0
        }
        h.pointee.get = { dbc, key, data, flags in CursorMethods.get(dbc, key, data, flags) }
        h.pointee.put = { dbc, key, data, flags in CursorMethods.put(dbc, key, data, flags) }
        h.pointee.del = { dbc, flags in
            guard let dbc else { return EINVAL }
            if flags & ~UInt32(DB_UPDATE_SECONDARY) != 0 { return CursorMethods.report(dbc, .illegalFlag("DBcursor->del")) }
            return CursorMethods.call(dbc) { c in try c.delete() }
        }
        h.pointee.count = { dbc, out, flags in
            guard let dbc, let out else { return EINVAL }
            if flags != 0 { return CursorMethods.report(dbc, .illegalFlag("DBcursor->count")) }
            return CursorMethods.call(dbc) { c in out.pointee = db_recno_t(try c.count()) }
        }
        h.pointee.dup = { dbc, out, flags in
            guard let dbc, let out else { return EINVAL }
            if flags & ~UInt32(DB_POSITION) != 0 { return CursorMethods.report(dbc, .illegalFlag("DBcursor->dup")) }
            let copy = CursorHandle.box(dbc).cursor.duplicate(keepPosition: flags & UInt32(DB_POSITION) != 0)
            guard let new = CursorHandle.create(copy, on: dbc.pointee.dbp) else { return ENOMEM }
            out.pointee = new
            return 0
        }
        // The pre-4.6 names.
        h.pointee.c_close = h.pointee.close
        h.pointee.c_get = h.pointee.get
        h.pointee.c_put = h.pointee.put
        h.pointee.c_del = h.pointee.del
        h.pointee.c_count = h.pointee.count
        h.pointee.c_dup = h.pointee.dup
    }

    static func report(_ dbc: UnsafeMutablePointer<DBC>, _ error: DBError) -> Int32 {
        ErrorChannel.report(UnsafePointer(dbc.pointee.dbenv), error)
    }

    static func call(_ dbc: UnsafeMutablePointer<DBC>, _ body: (DatabaseCursor) throws -> Void) -> Int32 {
        HandleCall.run(CursorHandle.box(dbc).cursor, reportingTo: UnsafePointer(dbc.pointee.dbenv), body)
    }

    /// The read flags a cursor get may carry besides its operation.
    static let getModifiers = UInt32(DB_RMW | DB_READ_COMMITTED | DB_READ_UNCOMMITTED | DB_IGNORE_LEASE)

    static func get(_ dbc: UnsafeMutablePointer<DBC>?, _ key: UnsafeMutablePointer<DBT>?,
                    _ data: UnsafeMutablePointer<DBT>?, _ flags: UInt32) -> Int32 {
        guard let dbc, let key, let data else { return EINVAL }
        let box = CursorHandle.box(dbc)
        let dbenv = UnsafePointer(dbc.pointee.dbenv)
        let op: BtreeGetOp
        // Which of the caller's DBTs the operation writes back: libdb leaves
        // the search key of DB_SET / DB_GET_BOTH (and the data of the latter).
        var writesKey = true, writesData = true
        switch Int32(flags & ~getModifiers) {
        case DB_FIRST: op = .first
        case DB_LAST: op = .last
        case DB_NEXT: op = .next
        case DB_PREV: op = .prev
        case DB_NEXT_DUP: op = .nextDup
        case DB_NEXT_NODUP: op = .nextNoDup
        case DB_PREV_DUP: op = .prevDup
        case DB_PREV_NODUP: op = .prevNoDup
        case DB_CURRENT: op = .current
        case DB_SET: op = .set; writesKey = false
        case DB_SET_RANGE: op = .setRange
        case DB_GET_BOTH: op = .getBoth; writesKey = false; writesData = false
        case DB_GET_BOTH_RANGE: op = .getBothRange; writesKey = false
        case DB_SET_RECNO:
            guard key.pointee.size >= 4, let p = key.pointee.data else { return report(dbc, .invalid("BDB1002 illegal record number of 0")) }
            op = .setRecno(p.loadUnaligned(as: UInt32.self))
        case DB_GET_RECNO:
            var recno: UInt32 = 0
            let code = call(dbc) { c in recno = try c.recordNumber() }
            if code != 0 { return code }
            return withUnsafeBytes(of: &recno) { DBTMemory.give($0, to: data, buffer: &box.dataBuffer, dbenv: dbenv) }
        default:
            return report(dbc, .illegalFlag("DBcursor->get"))
        }
        let searchKey: UnsafeRawBufferPointer? = {
            switch op {
            case .set, .setRange, .getBoth, .getBothRange: return DBTMemory.bytes(of: key)
            default: return nil
            }
        }()
        let searchData: UnsafeRawBufferPointer? = (op == .getBoth || op == .getBothRange) ? DBTMemory.bytes(of: data) : nil
        var ret: Int32 = 0
        let code = call(dbc) { c throws(DBError) in
            ret = try c.get(op, key: searchKey, data: searchData) { (k, v) throws(DBError) in
                var r: Int32 = 0
                if writesKey {
                    r = try k.withBytes { DBTMemory.give($0, to: key, buffer: &box.keyBuffer, dbenv: dbenv) }
                }
                if writesData {
                    let rd = try v.withBytes { DBTMemory.give($0, to: data, buffer: &box.dataBuffer, dbenv: dbenv) }
                    if r == 0 { r = rd }
                }
                return r
            }
        }
        return code != 0 ? code : ret
    }

    static func put(_ dbc: UnsafeMutablePointer<DBC>?, _ key: UnsafeMutablePointer<DBT>?,
                    _ data: UnsafeMutablePointer<DBT>?, _ flags: UInt32) -> Int32 {
        guard let dbc, let data else { return EINVAL }
        let op: BtreePutOp
        switch Int32(flags) {
        case DB_KEYFIRST: op = .keyFirst
        case DB_KEYLAST: op = .keyLast
        case DB_CURRENT: op = .current
        case DB_BEFORE: op = .before
        case DB_AFTER: op = .after
        case DB_NODUPDATA: op = .noDupData
        default: return report(dbc, .illegalFlag("DBcursor->put"))
        }
        let keyBytes: UnsafeRawBufferPointer?
        switch op {
        case .keyFirst, .keyLast, .noDupData:
            guard let key else { return EINVAL }
            keyBytes = DBTMemory.bytes(of: key)
        default:
            keyBytes = nil
        }
        return call(dbc) { c in try c.put(key: keyBytes, data: DBTMemory.bytes(of: data), op) }
    }
}
