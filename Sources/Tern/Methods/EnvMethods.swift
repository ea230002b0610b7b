// DB_ENV methods Tern implements. Each converts C arguments, calls the engine
// and turns a thrown DBError into libdb's return code and error-channel text.
import CBerkeleyDB
import Glibc
import TernEngine

enum EnvMethods {
    static func install(_ h: UnsafeMutablePointer<DB_ENV>) {
        installChannels(h)
        EnvConfigMethods.install(h)
        EnvDatabaseMethods.install(h)
        EnvSubsystemMethods.install(h)
        TxnMethods.installEnv(h)
        LockMethods.install(h)
        HandleSlot.box(h).environment.messageHandler = { text in ErrorChannel.message(UnsafePointer(h), text) }
        // open validates and applies configuration only; see EnvOpen.swift.
        h.pointee.open = { dbenv, home, flags, mode in
            EnvConfigMethods.run(dbenv) { env throws(DBError) in
                do throws(DBError) {
                    try env.open(home: home.map { String(cString: $0) }, flags: flags, mode: mode,
                                 hasIsAlive: dbenv!.pointee.is_alive != nil)
                } catch {
                    // What libdb reports on the way to the failure first.
                    for notice in env.takeOpenNotices() { _ = ErrorChannel.report(UnsafePointer(dbenv), DBError(0, notice)) }
                    throw error
                }
                for notice in env.takeOpenNotices() { _ = ErrorChannel.report(UnsafePointer(dbenv), DBError(0, notice)) }
            }
        }
        // remove destroys the handle once flags, phase and DB_CONFIG passed
        // (libdb's __env_remove); a failure before that keeps it.
        h.pointee.remove = { dbenv, home, flags in
            guard let dbenv else { return EINVAL }
            let env = HandleSlot.box(dbenv).environment
            do throws(DBError) {
                try env.remove(home: home.map { String(cString: $0) }, flags: flags)
            } catch {
                return ErrorChannel.report(UnsafePointer(dbenv), error)
            }
            env.markClosed()
            EnvMethods.release(dbenv)
            return 0
        }
        h.pointee.close = { dbenv, flags in
            guard let dbenv else { return EINVAL }
            var ret: Int32 = 0
            if flags != 0 && flags != UInt32(DB_FORCESYNC) {
                ret = ErrorChannel.report(UnsafePointer(dbenv), .illegalFlag("DB_ENV->close"))
            }
            do throws(DBError) {
                try HandleSlot.box(dbenv).environment.close()
            } catch {
                let code = ErrorChannel.report(UnsafePointer(dbenv), error)
                if ret == 0 { ret = code }
            }
            EnvMethods.release(dbenv)
            return ret
        }
    }

    /// Frees the C-side copies configuration methods keep in the struct,
    /// then the handle.
    static func release(_ dbenv: UnsafeMutablePointer<DB_ENV>) {
        if let dirs = dbenv.pointee.db_data_dir { free(dirs) }
        dbenv.pointee.db_data_dir = nil
        if let conflicts = dbenv.pointee.lk_conflicts { free(conflicts) }
        dbenv.pointee.lk_conflicts = nil
        EnvHandle.destroy(dbenv)
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
