// DB_ENV->dbremove and DB_ENV->dbrename: C arguments in, engine call
// (Environment.removeDatabase / renameDatabase in DatabaseFiles.swift holds
// the checks), return code out.
import CBerkeleyDB
import Glibc
import TernEngine

enum EnvDatabaseMethods {
    static func install(_ h: UnsafeMutablePointer<DB_ENV>) {
        h.pointee.dbremove = { dbenv, txn, file, database, flags in
            EnvConfigMethods.run(dbenv) { env throws(DBError) in
                try env.removeDatabase(file: file.map { String(cString: $0) },
                                       database: database.map { String(cString: $0) },
                                       flags: flags, transaction: TxnHandle.transaction(txn))
            }
        }
        h.pointee.dbrename = { dbenv, txn, file, database, newName, flags in
            EnvConfigMethods.run(dbenv) { env throws(DBError) in
                guard let newName else { throw DBError(EINVAL) }
                try env.renameDatabase(file: file.map { String(cString: $0) },
                                       database: database.map { String(cString: $0) },
                                       newName: String(cString: newName), flags: flags,
                                       transaction: TxnHandle.transaction(txn))
            }
        }
    }
}
