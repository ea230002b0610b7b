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
// started: that LSN is the "applied-through" LSN it is cut at.
//
// Locking rule: a commit section never waits for a lock (key locks are taken
// before it starts) and never syncs the log, so excluding sections stalls
// committers only for the length of one apply.
import CBerkeleyDB

extension Environment {
    /// Runs `body` as one commit section (see above).
    func commitSection<R>(_ body: () throws(DBError) -> R) throws(DBError) -> R {
        try body()
    }

    /// Appends `record` to the log; the caller is inside a commit section.
    func appendCommit(_ record: CommitRecord, to log: Log) throws(DBError) -> LSN {
        try log.append(type: TernLogRecord.commit, payload: record.encoded())
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
    func panic(because error: DBError) {
        panicked = true
        region?.setPanic()
    }
}
