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
//
// Exclusivity: stored properties marked @exclusivity(unchecked) are read on
// every call. None is passed inout, or mutated in place while a closure or
// callee could reach it again, so Swift's dynamic exclusivity check on them
// could never fire; it would only cost a runtime call per access.
import CBerkeleyDB

public final class Environment {
    public enum Phase: Sendable { case created, opened, closed }

    @exclusivity(unchecked) public internal(set) var phase: Phase = .created
    @exclusivity(unchecked) public var config = EnvironmentConfig()
    public var replication = ReplicationConfig()

    /// The home open (or remove) resolved; nil for the current directory.
    /// libdb keeps it even when open then fails, but get_home only answers
    /// after a successful open.
    @exclusivity(unchecked) public internal(set) var home: String?
    /// DB_ENV->open's flags as libdb's get_open_flags reports them (DB_CONFIG's
    /// set_open_flags applied, DB_INIT_CDB implying DB_INIT_LOCK).
    @exclusivity(unchecked) public internal(set) var openFlags: UInt32 = 0
    /// The file mode open was given (0 means libdb's default 0660).
    public internal(set) var mode: Int32 = 0
    /// Set by set_flags(DB_PANIC_ENVIRONMENT, 1) after open.
    @exclusivity(unchecked) public internal(set) var panicked = false
    /// The shared subsystems, present between a successful open and close
    /// (EnvSubsystems.swift). Set once at open, read-only until close.
    @exclusivity(unchecked) public internal(set) var region: Region?
    @exclusivity(unchecked) public internal(set) var cache: PageCache?
    @exclusivity(unchecked) public internal(set) var log: Log?
    /// The region's transaction table, attached by the first txn_begin
    /// (TransactionCommit.swift) under `transactionTableLock`.
    @exclusivity(unchecked) var transactionTableStorage: TransactionTable?
    let transactionTableLock = LocalLock()
    /// The region's lock table (DB_INIT_LOCK, or DB_INIT_CDB).
    @exclusivity(unchecked) public internal(set) var lockTable: LockTable?
    /// The region's commit gate and checkpoint state (Txn/CommitGate.swift),
    /// present when the log is. Set at open, read-only until close.
    @exclusivity(unchecked) public internal(set) var commitGate: CommitGate?
    /// The file registrations this handle has logged (Txn/FileRegistry.swift).
    let fileRegistry = FileRegistry()
    /// This handle's DB_REGISTER slot (Env/EnvRegistry.swift), between open
    /// and close.
    var registrySlot: EnvironmentRegistry?
    /// Messages libdb writes to the error channel on the way to open's
    /// result (a panicked region seen while registering, say), reported by
    /// the C layer before the error itself. Emptied by `takeOpenNotices`.
    var openNotices: [String] = []
    /// What the last DB_RECOVER / DB_RECOVER_FATAL open did (tests,
    /// verbose output).
    public internal(set) var recoveryReport: RecoveryReport?
    public func takeOpenNotices() -> [String] {
        defer { openNotices = [] }
        return openNotices
    }
    /// Databases opened in this environment and not yet closed; environment
    /// close closes them, as libdb's does.
    var openDatabases: [ObjectIdentifier: Database] = [:]
    /// The private environment of a database created without one: it has no
    /// home and its cache is made by the database's open.
    public var isPrivateToDatabase = false
    /// Big transactions: a top-level transaction family keeps at most
    /// `writeSetBudget` bytes of write-set entries in memory and spills the
    /// rest to a temporary file (Txn/WriteSpill.swift); a commit bigger
    /// than `commitChunkBytes` (nil: Environment.commitChunkLimit's
    /// default) is logged as a chunk chain (Txn/CommitWriter.swift).
    /// Internal; tests shrink them before the first transaction begins and
    /// never change them after (the configuration rule above).
    @exclusivity(unchecked) var writeSetBudget = 64 << 20
    var commitChunkBytes: Int?
    /// Tests: the log's sync function (set before open; see LogGroupCommitTests).
    var logSyncForTesting: Log.SyncFunction?
    /// DB_HOTBACKUP_IN_PROGRESS is a counter in libdb's transaction region.
    var hotBackupCount = 0
    /// A DB_CONFIG replication line (rep_set_*, repmgr_*): `format` is the
    /// reader's "line N: keyword: incorrect name-value pair" error, passed on
    /// so malformed lines report their line number as libdb's do.
    func replicationConfigLine(_ fields: [String], _ format: DBError?) throws(DBError) {
        try applyReplicationConfigLine(fields, format: format)
    }

    /// Writes an informational message (libdb's __db_msg) on the handle's
    /// message channel; installed by the C layer. Without it messages are
    /// dropped.
    public var messageHandler: ((String) -> Void)?
    /// DB_ENV->set_app_dispatch's function, wrapped by the C layer; nil when
    /// none was given (see Txn/ApplicationRecords.swift).
    public var applicationDispatch: ApplicationDispatch?

    /// libdb's verbose file-operation trace (__os_exists and friends print
    /// "fileops: ..." when DB_VERB_FILEOPS or DB_VERB_FILEOPS_ALL is on).
    func fileOpsMessage(_ text: String) {
        if config.verbose & UInt32(DB_VERB_FILEOPS | DB_VERB_FILEOPS_ALL) != 0 {
            messageHandler?(text)
        }
    }

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

