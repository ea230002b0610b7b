// The one commit path of DESIGN.md, shared by every writer in a logged
// environment: DB->put/del outside a transaction (one-operation commits),
// cursor writes, and DB_TXN->commit.
//
//   environment.commitSection { append the CommitRecord; apply it }
//   then make the record as durable as the commit asks (outside the section)
//
// Invariant (what checkpoints rely on): every record appended inside a
// commit section is fully applied to the pages before the section ends. A
// checkpoint that excludes commit sections while it reads the log's end LSN
// therefore sees every record up to that LSN applied and none after it
// started: that LSN is the "applied-through" LSN it is cut at. A big
// transaction's chunk chain is appended and applied within ONE section
// (CommitWriter.swift), so no cut falls inside a chain.
//
// The section is the commit gate (Txn/CommitGate.swift) held shared: one
// uncontended rwlock read-lock and unlock per commit. A checkpoint holds the
// gate exclusively only for its cut (memory copies), never for its I/O.
//
// Locking rule: a commit section never waits for a lock (key locks and tree
// latches are taken before it starts), never syncs the log and never enters
// another section (the gate is not recursive), so excluding sections stalls
// committers only for the length of one apply. Page changes that are not
// commits (creating a tree or a named database, truncate, the counts a full
// DB->stat saves) run in a section too, so a checkpoint never copies a
// half-changed page.
import CBerkeleyDB

extension Environment {
    /// Runs `body` as one commit section (see above). Without a log there is
    /// no gate and no checkpoint to exclude.
    @inline(__always)
    func commitSection<R>(_ body: () throws(DBError) -> R) throws(DBError) -> R {
        guard let gate = commitGate else { return try body() }
        let latch = gate.latch
        latch.lockShared()
        defer { latch.unlock() }
        return try body()
    }

    /// Logs a FileRegistration for (path, database) in a commit section and
    /// returns the id commit records will name the database by. `path` is
    /// the file as opened; the record holds it relative to the home.
    func registerFile(path: String, databaseName: String, flags: UInt32) throws(DBError) -> UInt32 {
        guard let log, let gate = commitGate else { return 0 }
        let recorded = relativeToHome(path)
        return try commitSection { () throws(DBError) -> UInt32 in
            try fileRegistry.register(path: recorded, databaseName: databaseName, flags: flags, gate: gate, log: log)
        }
    }

    /// Appends `record` to the log; the caller is inside a commit section.
    func appendCommit(_ record: CommitRecord, to log: Log) throws(DBError) -> LSN {
        try log.append(type: TernLogRecord.commit, payload: record.encoded())
    }

    /// Logs that a database handle registered as `fileID` closed (libdb's
    /// dbreg close record). The id stays registered: other handles of the
    /// same database share it.
    func logFileClosed(_ fileID: UInt32) throws(DBError) {
        guard let log, commitGate != nil else { return }
        try commitSection { () throws(DBError) in
            try fileRegistry.logClose(fileID, log: log)
        }
    }

    /// How durable an auto-commit or a DB_TXN->commit without flags is:
    /// the environment's DB_TXN_NOSYNC / DB_TXN_WRITE_NOSYNC, else sync.
    public var defaultCommitMode: LogWriteMode {
        let envFlags = config.flags
        return envFlags & UInt32(DB_TXN_NOSYNC) != 0 ? .noSync
            : envFlags & UInt32(DB_TXN_WRITE_NOSYNC) != 0 ? .writeNoSync : .sync
    }
}

extension Environment {
    /// A commit that reached the log but not (wholly) the pages: this
    /// environment, and every process in its region, must run recovery.
    /// libdb's PANIC_CHECK: this handle or another process panicked the
    /// environment; every method then fails with `panicError` (closes still
    /// release the handle) until DB_RECOVER builds a new region.
    public var needsRecovery: Bool { panicked || (region?.isPanicked ?? false) }
    public static let panicError = DBError(DB_RUNRECOVERY, "BDB0060 PANIC: fatal region error detected; run recovery")

    func panic(because error: DBError) {
        panicked = true
        region?.setPanic()
    }
}

extension Environment {
    /// DB_ENV->log_put (libdb's __log_put_pp checks): an application record
    /// with the bytes given, made durable with DB_FLUSH (or written with
    /// DB_LOG_WRNOSYNC). Returns its LSN.
    public func logPut(_ data: UnsafeRawBufferPointer, flags: UInt32) throws(DBError) -> LSN {
        let method = "DB_ENV->log_put"
        try requireSubsystem(method, .log)
        let allowed = UInt32(DB_LOG_CHKPNT | DB_LOG_COMMIT | DB_FLUSH | DB_LOG_NOCOPY | DB_LOG_WRNOSYNC)
        if flags & ~allowed != 0 { throw .illegalFlag(method) }
        if flags & UInt32(DB_LOG_WRNOSYNC) != 0 && flags & UInt32(DB_FLUSH) != 0 {
            throw .illegalFlagCombination(method)
        }
        try requireNotPanicked()
        guard let log else { throw .notConfigured(method, subsystem: Subsystem.log.name) }
        let lsn = try commitSection { () throws(DBError) -> LSN in
            try log.append(type: TernLogRecord.application, payload: data)
        }
        if flags & UInt32(DB_FLUSH) != 0 {
            try log.commit(lsn, mode: .sync)
        } else if flags & UInt32(DB_LOG_WRNOSYNC) != 0 {
            try log.commit(lsn, mode: .writeNoSync)
        }
        return lsn
    }
}

extension Environment {
    /// Appends the record of operations already applied in this commit
    /// section. If the append fails the pages hold a write the log does
    /// not: the environment panics (only recovery, which discards the pages'
    /// unlogged state, can continue).
    func appendApplied(_ record: CommitRecord, to log: Log) throws(DBError) -> LSN {
        try withBuffer(record.encoded()) { (raw) throws(DBError) -> LSN in try appendApplied(raw, to: log) }
    }

    /// `appendApplied` of a CommitRecord already encoded.
    func appendApplied(_ encoded: UnsafeRawBufferPointer, to log: Log) throws(DBError) -> LSN {
        do {
            return try log.append(type: TernLogRecord.commit, payload: encoded)
        } catch {
            panic(because: error)
            throw DBError(DB_RUNRECOVERY, "BDB0061 PANIC: \(error.message ?? String(cString: db_strerror(error.code)))")
        }
    }
}
