// Environment: one DB_ENV handle's engine-side state.
//
// Invariants:
// - `phase` only moves forward: created -> opened -> closed. Configuration
//   methods check it exactly as libdb's ENV_ILLEGAL_AFTER_OPEN /
//   ENV_ILLEGAL_BEFORE_OPEN do, so a C program sees the same EINVAL and text.
// - `config` holds what the application asked for, in libdb's units, so every
//   getter returns what libdb's would (including libdb's own defaults and
//   roundings). Subsystems read it at open.
//
// Locking rule: like libdb's, a DB_ENV handle's configuration methods are not
// free-threaded: the application calls them from one thread before open, and
// after open the configuration is read-only. The Environment object is
// therefore unsynchronised; state shared between threads or processes after
// open lives in the region, under its own mutexes.
import CBerkeleyDB

public final class Environment {
    public enum Phase: Sendable { case created, opened, closed }

    public private(set) var phase: Phase = .created
    public var config = EnvironmentConfig()
    public var replication = ReplicationConfig()

    public init() {}

    /// Fails unless the handle is still being configured (libdb's
    /// ENV_ILLEGAL_AFTER_OPEN).
    public func requireNotOpened(_ method: String) throws(DBError) {
        if phase != .created { throw .illegalAfterOpen(method) }
    }

    /// Fails unless the handle has been opened (libdb's ENV_ILLEGAL_BEFORE_OPEN).
    public func requireOpened(_ method: String) throws(DBError) {
        if phase != .opened { throw .illegalBeforeOpen(method) }
    }

    public func markOpened() { phase = .opened }
    public func markClosed() { phase = .closed }
}

