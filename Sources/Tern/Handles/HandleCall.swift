// The one place a C method's engine call is run: a thrown DBError is written
// to the handle's environment error channel and becomes the return code,
// success is 0. Each Methods/ file wraps this with its handle's lookup.
import CBerkeleyDB
import Glibc
import TernEngine

enum HandleCall {
    /// `body` may be typed-throwing (DBError) or untyped (the engine throws
    /// only DBError). Generic over the thrown type rather than taking an
    /// untyped closure: converting a `throws(DBError)` closure to `throws`
    /// goes through a reabstraction thunk whose context is heap-allocated,
    /// a malloc and free on every call.
    static func run<Object, Failure: Error>(_ object: Object, reportingTo dbenv: UnsafePointer<DB_ENV>?,
                                            _ body: (Object) throws(Failure) -> Void) -> Int32 {
        // libdb's PANIC_CHECK on entry: the engine says whether the
        // environment needs recovery.
        if let dbenv, HandleSlot.box(dbenv).environment.needsRecovery {
            return ErrorChannel.report(dbenv, Environment.panicError)
        }
        do throws(Failure) {
            try body(object)
            return 0
        } catch {
            if let error = error as? DBError { return ErrorChannel.report(dbenv, error) }
            return ErrorChannel.report(dbenv, .invalid("unexpected error: \(error)"))
        }
    }
}
