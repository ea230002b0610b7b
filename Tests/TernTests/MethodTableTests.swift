// Every method pointer of every handle Tern allocates is set, and a method
// not built yet answers DB_OPNOTSUP and names itself on the error channel.
import CBerkeleyDB
import Glibc
import Testing
@testable import Tern
import TernEngine

/// Collects what the error callback receives. The callback is a C function
/// pointer and cannot capture, so it appends to this process-wide log.
/// Tests using it are serialised (see the suite trait).
nonisolated(unsafe) var errorLog: [String] = []

let collectErrors: @convention(c) (UnsafePointer<DB_ENV>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = {
    _, pfx, msg in
    errorLog.append((pfx.map { String(cString: $0) + ": " } ?? "") + (msg.map { String(cString: $0) } ?? ""))
}

@Suite(.serialized) struct MethodTableTests {
    @Test func environmentHasNoNullMethod() throws {
        var dbenv: UnsafeMutablePointer<DB_ENV>?
        #expect(db_env_create(&dbenv, 0) == 0)
        let env = try #require(dbenv)
        #expect(UnsupportedMethods.unset(env) == [])
        #expect(env.pointee.err != nil && env.pointee.errx != nil && env.pointee.log_printf != nil)
        #expect(env.pointee.close(env, 0) == 0)
    }

    @Test func databaseHasNoNullMethod() throws {
        var dbp: UnsafeMutablePointer<DB>?
        #expect(db_create(&dbp, nil, 0) == 0)
        let db = try #require(dbp)
        #expect(UnsupportedMethods.unset(db) == [])
        #expect(db.pointee.get_env(db) != nil)
        #expect(db.pointee.close(db, 0) == 0)
    }

    @Test func unsupportedMethodSaysWhichAndReturnsOpNotSup() throws {
        var dbenv: UnsafeMutablePointer<DB_ENV>?
        #expect(db_env_create(&dbenv, 0) == 0)
        let env = try #require(dbenv)
        errorLog = []
        env.pointee.set_errcall(env, collectErrors)
        "app".withCString { pfx in
            env.pointee.set_errpfx(env, pfx)
            #expect(env.pointee.rep_elect(env, 3, 2, 0) == DB_OPNOTSUP)
            #expect(errorLog == ["app: DB_ENV->rep_elect: not supported by Tern yet"])
            env.pointee.set_errpfx(env, nil)
        }
        #expect(env.pointee.close(env, 0) == 0)
    }

    @Test func badCreateFlagsAreRejected() {
        var dbenv: UnsafeMutablePointer<DB_ENV>?
        #expect(db_env_create(&dbenv, 1) == EINVAL)
        #expect(db_env_create(nil, 0) == EINVAL)
        var dbp: UnsafeMutablePointer<DB>?
        #expect(db_create(&dbp, nil, 0x8000) == EINVAL)
    }
}

@Suite struct ErrorTextTests {
    @Test func strerrorCoversEveryNamedCode() {
        #expect(String(cString: db_strerror(DB_NOTFOUND)) == "BDB0073 DB_NOTFOUND: No matching key/data pair found")
        #expect(String(cString: db_strerror(0)) == "BDB0062 Successful return: 0")
        #expect(String(cString: db_strerror(EINVAL)) == String(cString: strerror(EINVAL)))
        #expect(String(cString: db_strerror(-12345)) == "BDB0092 Unknown error: -12345")
        var named = 0
        for code in Int32(-31000)...(-30800) where ErrorText.berkeleyDB(code) != nil { named += 1 }
        #expect(named == 31)
    }
}
