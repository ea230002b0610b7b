// Database: one DB handle's engine-side state.
//
// Invariants: `phase` only moves forward (created -> opened -> closed) and the
// configuration methods check it as libdb's DB_ILLEGAL_AFTER_OPEN /
// DB_ILLEGAL_BEFORE_OPEN do; `config` holds what the application set, in
// libdb's units, so getters return what libdb's would.
//
// Locking rule: as in libdb, configuration happens from one thread before
// open and is read-only after; data access synchronises in the access method.
import CBerkeleyDB

public final class Database {
    public enum Phase: Sendable { case created, opened, closed }

    public private(set) var phase: Phase = .created
    public var config = DatabaseConfig()
    /// The environment this handle belongs to (a private one when db_create
    /// was given no environment).
    public let environment: Environment

    public init(environment: Environment) {
        self.environment = environment
    }

    public func requireNotOpened(_ method: String) throws(DBError) {
        if phase != .created { throw .illegalAfterOpen(method) }
    }

    public func requireOpened(_ method: String) throws(DBError) {
        if phase != .opened { throw .illegalBeforeOpen(method) }
    }

    public func markOpened() { phase = .opened }
    public func markClosed() { phase = .closed }
}
