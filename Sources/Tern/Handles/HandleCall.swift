// The one place a C method's engine call is run: a thrown DBError is written
// to the handle's environment error channel and becomes the return code,
// success is 0. Each Methods/ file wraps this with its handle's lookup.
import CBerkeleyDB
import Glibc
import TernEngine

enum HandleCall {
    /// `body` may be typed-throwing (DBError) or untyped: Swift does not infer
    /// typed throws for closure literals, and the engine throws only DBError.
    static func run<Object>(_ object: Object, reportingTo dbenv: UnsafePointer<DB_ENV>?,
                            _ body: (Object) throws -> Void) -> Int32 {
        // libdb's PANIC_CHECK on entry: the engine says whether the
        // environment needs recovery.
        if let dbenv, HandleSlot.box(dbenv).environment.needsRecovery {
            return ErrorChannel.report(dbenv, Environment.panicError)
        }
        do {
            try body(object)
            return 0
        } catch let error as DBError {
            return ErrorChannel.report(dbenv, error)
        } catch {
            return ErrorChannel.report(dbenv, .invalid("unexpected error: \(error)"))
        }
    }
}
