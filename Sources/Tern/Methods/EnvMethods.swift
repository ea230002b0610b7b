// DB_ENV methods Tern implements. Each converts C arguments, calls the engine
// and turns a thrown DBError into libdb's return code and error-channel text.
import CBerkeleyDB
import Glibc
import TernEngine

enum EnvMethods {
    static func install(_ h: UnsafeMutablePointer<DB_ENV>) {
        installChannels(h)
        h.pointee.close = { dbenv, flags in
            guard let dbenv else { return EINVAL }
            var ret: Int32 = 0
            if flags != 0 && flags != UInt32(DB_FORCESYNC) {
                ret = ErrorChannel.report(UnsafePointer(dbenv), .illegalFlag("DB_ENV->close"))
            }
            HandleSlot.box(dbenv).environment.markClosed()
            EnvHandle.destroy(dbenv)
            return ret
        }
    }

    /// The error and message channels live in the DB_ENV struct (see
    /// ErrorChannel.swift). Setting an error channel ends the "no output
    /// configured, write to stderr" default, as libdb's ENV_NO_OUTPUT_SET.
    static func installChannels(_ h: UnsafeMutablePointer<DB_ENV>) {
        h.pointee.set_errcall = { dbenv, errcall in
            guard let dbenv else { return }
            HandleSlot.box(dbenv).noOutputSet = false
            dbenv.pointee.db_errcall = errcall
        }
        h.pointee.get_errcall = { dbenv, out in out?.pointee = dbenv?.pointee.db_errcall }
        h.pointee.set_errfile = { dbenv, file in
            guard let dbenv else { return }
            HandleSlot.box(dbenv).noOutputSet = false
            dbenv.pointee.db_errfile = file
        }
        h.pointee.get_errfile = { dbenv, out in out?.pointee = dbenv?.pointee.db_errfile }
        // libdb keeps the caller's pointer, not a copy.
        h.pointee.set_errpfx = { dbenv, pfx in dbenv?.pointee.db_errpfx = pfx }
        h.pointee.get_errpfx = { dbenv, out in out?.pointee = dbenv?.pointee.db_errpfx }
        h.pointee.set_msgcall = { dbenv, msgcall in dbenv?.pointee.db_msgcall = msgcall }
        h.pointee.get_msgcall = { dbenv, out in out?.pointee = dbenv?.pointee.db_msgcall }
        h.pointee.set_msgfile = { dbenv, file in dbenv?.pointee.db_msgfile = file }
        h.pointee.get_msgfile = { dbenv, out in out?.pointee = dbenv?.pointee.db_msgfile }
    }
}
