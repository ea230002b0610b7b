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
            return CursorMethods.call(dbc) { c throws(DBError) in
                try c.checkDelete(flags: flags)
                try c.delete()
            }
        }
        h.pointee.count = { dbc, out, flags in
            guard let dbc, let out else { return EINVAL }
            return CursorMethods.call(dbc) { c throws(DBError) in
                try c.checkCount(flags: flags)
                out.pointee = db_recno_t(truncatingIfNeeded: try c.count())
            }
        }
        h.pointee.dup = { dbc, out, flags in
            guard let dbc, let out else { return EINVAL }
            var copy: DatabaseCursor?
            let code = CursorMethods.call(dbc) { c throws(DBError) in
                copy = c.duplicate(keepPosition: try DatabaseCursor.checkDuplicate(flags: flags))
            }
            guard code == 0, let copy else { return code }
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

    static func call<Failure: Error>(_ dbc: UnsafeMutablePointer<DBC>, _ body: (DatabaseCursor) throws(Failure) -> Void) -> Int32 {
        HandleCall.run(CursorHandle.box(dbc).cursor, reportingTo: UnsafePointer(dbc.pointee.dbenv), body)
    }

    static func get(_ dbc: UnsafeMutablePointer<DBC>?, _ key: UnsafeMutablePointer<DBT>?,
                    _ data: UnsafeMutablePointer<DBT>?, _ flags: UInt32) -> Int32 {
        guard let dbc, let key, let data else { return EINVAL }
        let box = CursorHandle.box(dbc)
        let dbenv = UnsafePointer(dbc.pointee.dbenv)
        var ret: Int32 = 0
        let code = call(dbc) { c throws(DBError) in
            let plan = try c.checkGet(flags: flags, key: DBTMemory.shape(key), data: DBTMemory.shape(data))
            if plan.read == .recordNumber {
                var recno = try c.recordNumber()
                ret = withUnsafeBytes(of: &recno) { DBTMemory.give($0, to: data, buffer: &box.dataBuffer, dbenv: dbenv) }
                return
            }
            ret = try c.get(plan, key: DBTMemory.bytes(of: key), data: DBTMemory.bytes(of: data)) { (k, v) throws(DBError) in
                try give(k, v, plan, key, data, box, dbenv)
            }
        }
        return code != 0 ? code : ret
    }

    /// Writes an entry into the caller's DBTs as libdb's __dbc_iget does: a
    /// key that does not fit still lets a DB_DBT_USERMEM data learn its
    /// size (through a zero ulen) and the call returns DB_BUFFER_SMALL; any
    /// other failure stops before the data. A nonzero result is thrown, so
    /// the engine leaves the cursor where it was.
    static func give(_ k: BtreeValue, _ v: BtreeValue, _ plan: CursorGetPlan, _ key: UnsafeMutablePointer<DBT>,
                     _ data: UnsafeMutablePointer<DBT>, _ box: CursorBox,
                     _ dbenv: UnsafePointer<DB_ENV>?) throws(DBError) -> Int32 {
        var keySmall = false
        // The buffers are copied out of the box, and back only when they
        // grew, rather than passed inout as box properties: each access to a
        // class property that may overlap costs a dynamic exclusivity check.
        // ReturnBuffer is a plain (pointer, capacity) pair, so the copy is
        // the buffer itself.
        if plan.returnsKey {
            var buffer = box.keyBuffer
            let r = try k.withBytes { DBTMemory.give($0, to: key, buffer: &buffer, dbenv: dbenv) }
            if buffer.memory != box.keyBuffer.memory || buffer.capacity != box.keyBuffer.capacity { box.keyBuffer = buffer }
            if r == DB_BUFFER_SMALL && data.pointee.flags & UInt32(DB_DBT_USERMEM) != 0 {
                keySmall = true
            } else if r != 0 {
                throw DBError(r)
            }
        }
        if plan.returnsData {
            let ulen = data.pointee.ulen
            if keySmall { data.pointee.ulen = 0 }
            var buffer = box.dataBuffer
            let r = try v.withBytes { DBTMemory.give($0, to: data, buffer: &buffer, dbenv: dbenv) }
            if buffer.memory != box.dataBuffer.memory || buffer.capacity != box.dataBuffer.capacity { box.dataBuffer = buffer }
            if keySmall { data.pointee.ulen = ulen }
            if r != 0 { throw DBError(r) }
        }
        if keySmall { throw DBError(DB_BUFFER_SMALL) }
        return 0
    }

    static func put(_ dbc: UnsafeMutablePointer<DBC>?, _ key: UnsafeMutablePointer<DBT>?,
                    _ data: UnsafeMutablePointer<DBT>?, _ flags: UInt32) -> Int32 {
        guard let dbc, let data else { return EINVAL }
        return call(dbc) { c throws(DBError) in
            let op = try c.checkPut(flags: flags, key: key.map { DBTMemory.shape($0) }, data: DBTMemory.shape(data))
            let keyBytes: UnsafeRawBufferPointer?
            switch op {
            case .keyFirst, .keyLast, .noDupData, .overwriteDup: keyBytes = key.map { DBTMemory.bytes(of: $0) }
            default: keyBytes = nil
            }
            let partial = data.pointee.flags & UInt32(DB_DBT_PARTIAL) != 0
                ? (offset: Int(data.pointee.doff), length: Int(data.pointee.dlen)) : nil
            try c.put(key: keyBytes, data: DBTMemory.bytes(of: data), op, partial: partial)
        }
    }
}
