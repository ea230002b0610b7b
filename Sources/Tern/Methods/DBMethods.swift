// DB methods Tern implements. The error and message channel methods act on
// the handle's environment, as libdb's do.
import CBerkeleyDB
import Glibc
import TernEngine

enum DBMethods {
    static func install(_ h: UnsafeMutablePointer<DB>) {
        h.pointee.get_env = { dbp in dbp?.pointee.dbenv }
        h.pointee.close = { dbp, flags in
            guard let dbp else { return EINVAL }
            var ret: Int32 = 0
            if flags != 0 && flags != UInt32(DB_NOSYNC) {
                ret = ErrorChannel.report(UnsafePointer(dbp.pointee.dbenv), .illegalFlag("DB->close"))
            }
            HandleSlot.box(dbp).database.markClosed()
            DBHandle.destroy(dbp)
            return ret
        }
        h.pointee.set_errcall = { dbp, f in dbp?.pointee.dbenv.pointee.set_errcall(dbp?.pointee.dbenv, f) }
        h.pointee.get_errcall = { dbp, out in dbp?.pointee.dbenv.pointee.get_errcall(dbp?.pointee.dbenv, out) }
        h.pointee.set_errfile = { dbp, f in dbp?.pointee.dbenv.pointee.set_errfile(dbp?.pointee.dbenv, f) }
        h.pointee.get_errfile = { dbp, out in dbp?.pointee.dbenv.pointee.get_errfile(dbp?.pointee.dbenv, out) }
        h.pointee.set_errpfx = { dbp, p in dbp?.pointee.dbenv.pointee.set_errpfx(dbp?.pointee.dbenv, p) }
        h.pointee.get_errpfx = { dbp, out in dbp?.pointee.dbenv.pointee.get_errpfx(dbp?.pointee.dbenv, out) }
        h.pointee.set_msgcall = { dbp, f in dbp?.pointee.dbenv.pointee.set_msgcall(dbp?.pointee.dbenv, f) }
        h.pointee.get_msgcall = { dbp, out in dbp?.pointee.dbenv.pointee.get_msgcall(dbp?.pointee.dbenv, out) }
        h.pointee.set_msgfile = { dbp, f in dbp?.pointee.dbenv.pointee.set_msgfile(dbp?.pointee.dbenv, f) }
        h.pointee.get_msgfile = { dbp, out in dbp?.pointee.dbenv.pointee.get_msgfile(dbp?.pointee.dbenv, out) }
    }
}
