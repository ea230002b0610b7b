// DBError: how the engine reports failure.
//
// Every engine operation that can fail throws a DBError carrying the Berkeley
// DB return code the C caller will see, and the message libdb would write
// through the environment's error channel (nil when libdb writes nothing).
// The C ABI layer turns it into the return value and the error-callback text;
// the engine never writes to an error channel itself.
import CBerkeleyDB
import Glibc

/// libdb's internal name for "operation not supported" (EOPNOTSUPP on Linux).
public let DB_OPNOTSUP: Int32 = EOPNOTSUPP

public struct DBError: Error, Sendable, Equatable {
    /// A Berkeley DB code (DB_NOTFOUND, ...) or an errno value.
    public var code: Int32
    /// Text for the error channel, without the prefix; nil writes nothing.
    /// Debian's libdb starts most texts with their catalogue number
    /// ("BDB0055 illegal flag ..."); Tern's texts carry the same numbers.
    public var message: String?

    public init(_ code: Int32, _ message: String? = nil) {
        self.code = code
        self.message = message
    }

    /// EINVAL with a message, the most common argument error.
    public static func invalid(_ message: String) -> DBError { DBError(EINVAL, message) }

    /// libdb's __db_ferr: a flag outside the allowed set.
    public static func illegalFlag(_ method: String) -> DBError {
        .invalid("BDB0055 illegal flag specified to \(method)")
    }

    /// libdb's __db_ferr with iscombo: two flags that exclude each other.
    public static func illegalFlagCombination(_ method: String) -> DBError {
        .invalid("BDB0054 illegal flag combination specified to \(method)")
    }

    /// libdb's __db_mi_open: a configuration method called in the wrong phase.
    public static func illegalAfterOpen(_ method: String) -> DBError {
        .invalid("BDB1565 \(method): method not permitted after handle's open method")
    }

    public static func illegalBeforeOpen(_ method: String) -> DBError {
        .invalid("BDB1565 \(method): method not permitted before handle's open method")
    }

    /// libdb's __db_mi_env: a method only for handles without an environment.
    public static func illegalWithEnvironment(_ method: String) -> DBError {
        .invalid("BDB1564 \(method): method not permitted when environment specified")
    }

    /// libdb's __env_not_config: `subsystem` is "locking", "logging",
    /// "memory pool", "mutex", "replication" or "transaction".
    public static func notConfigured(_ interface: String, subsystem: String) -> DBError {
        .invalid("BDB1566 \(interface) interface requires an environment configured for the \(subsystem) subsystem")
    }

    /// A method Tern does not implement yet: DB_OPNOTSUP, and it says so.
    public static func notSupported(_ method: String) -> DBError {
        DBError(DB_OPNOTSUP, "\(method): not supported by Tern yet")
    }
}
