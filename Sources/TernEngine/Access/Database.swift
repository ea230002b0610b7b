// Database: one DB handle's engine-side state.
//
// Invariants: `phase` only moves forward (created -> opened -> closed) and the
// configuration methods check it as libdb's DB_ILLEGAL_AFTER_OPEN /
// DB_ILLEGAL_BEFORE_OPEN do; `config` holds what the application set, in
// libdb's units, so getters return what libdb's would.
//
// Locking rule: as in libdb, configuration happens from one thread before
// open and is read-only after. Data access takes the file's tree latch (in the
// region, shared by every handle and process on the file): shared to read,
// exclusive to write (DatabaseAccess.swift).
//
// Exclusivity: stored properties marked @exclusivity(unchecked) are read on
// every call. None is passed inout, or mutated in place while a closure or
// callee could reach it again, so Swift's dynamic exclusivity check on them
// could never fire; it would only cost a runtime call per access.
import CBerkeleyDB

public final class Database {
    public enum Phase: Sendable { case created, opened, closed }

    @exclusivity(unchecked) public private(set) var phase: Phase = .created
    @exclusivity(unchecked) public var config = DatabaseConfig()
    // What open decides; the getters for these refuse before open, as libdb's.
    /// DB_UNKNOWN until open decides the access method.
    @exclusivity(unchecked) public var type: DBTYPE = DB_UNKNOWN
    @exclusivity(unchecked) public var fileName: String?
    @exclusivity(unchecked) public var databaseName: String?
    @exclusivity(unchecked) public var openFlags: UInt32 = 0
    /// Opened inside a transaction (DB->get_transactional).
    @exclusivity(unchecked) public var transactional = false
    /// The locker of this handle's non-transactional writes
    /// (DatabaseLocking.swift), made at the first under `lockerLock`.
    @exclusivity(unchecked) var writeLocker: LockerID?
    let lockerLock = LocalLock()
    /// The open file and tree; nil before open and after close
    /// (DatabaseOpen.swift).
    @exclusivity(unchecked) var opened: OpenedDatabase?
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
