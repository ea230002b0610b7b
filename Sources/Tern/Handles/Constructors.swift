// Allocation and release of the C handles.
//
// A handle is calloc'd (so C code sees zeroed members where libdb has them
// zero), its box attached, then every method pointer set: first the generated
// "not supported yet" stubs, then the variadic C shims, then the methods Tern
// implements. Release undoes this in reverse and frees the struct.
import CBerkeleyDB
import CTern
import Glibc
import TernEngine

enum EnvHandle {
    static func create(isPrivateToDB: Bool = false) -> UnsafeMutablePointer<DB_ENV>? {
        guard let raw = calloc(1, MemoryLayout<DB_ENV>.size) else { return nil }
        let dbenv = raw.bindMemory(to: DB_ENV.self, capacity: 1)
        let environment = Environment()
        environment.isPrivateToDatabase = isPrivateToDB
        HandleSlot.attach(EnvBox(dbenv: dbenv, environment: environment, isPrivateToDB: isPrivateToDB),
                          to: dbenv)
        UnsupportedMethods.install(dbenv)
        tern_install_env_variadics(dbenv)
        EnvMethods.install(dbenv)
        RepMethods.install(dbenv)
        return dbenv
    }

    static func destroy(_ dbenv: UnsafeMutablePointer<DB_ENV>) {
        HandleSlot.detach(dbenv)
        free(dbenv)
    }
}

enum DBHandle {
    /// A DB handle in `dbenv`, or in a private environment of its own when
    /// `dbenv` is nil (as libdb does for databases opened without one).
    static func create(in dbenv: UnsafeMutablePointer<DB_ENV>?) -> UnsafeMutablePointer<DB>? {
        let owner: UnsafeMutablePointer<DB_ENV>
        if let dbenv {
            owner = dbenv
        } else {
            guard let privateEnv = EnvHandle.create(isPrivateToDB: true) else { return nil }
            owner = privateEnv
        }
        guard let raw = calloc(1, MemoryLayout<DB>.size) else {
            if dbenv == nil { EnvHandle.destroy(owner) }
            return nil
        }
        let dbp = raw.bindMemory(to: DB.self, capacity: 1)
        dbp.pointee.dbenv = owner
        dbp.pointee.env = owner.pointee.env
        // The handle's DB_MPOOLFILE exists from creation, as libdb's (get_mpf
        // never returns NULL); its env member is the EnvBox slot.
        guard let mpf = calloc(1, MemoryLayout<DB_MPOOLFILE>.size)?
            .bindMemory(to: DB_MPOOLFILE.self, capacity: 1) else {
            free(dbp)
            if dbenv == nil { EnvHandle.destroy(owner) }
            return nil
        }
        mpf.pointee.env = owner.pointee.env
        UnsupportedMethods.install(mpf)
        dbp.pointee.mpf = mpf
        let database = Database(environment: HandleSlot.box(owner).environment)
        HandleSlot.attach(DBBox(dbp: dbp, database: database), to: dbp)
        UnsupportedMethods.install(dbp)
        tern_install_db_variadics(dbp)
        DBMethods.install(dbp)
        return dbp
    }

    /// Frees the handle, and its private environment if it has one.
    static func destroy(_ dbp: UnsafeMutablePointer<DB>) {
        let owner = dbp.pointee.dbenv
        HandleSlot.detach(dbp)
        free(dbp.pointee.mpf)
        free(dbp)
        if let owner, HandleSlot.box(owner).isPrivateToDB { EnvHandle.destroy(owner) }
    }
}
