// The environment's shared subsystems, created or joined by DB_ENV->open and
// released by close:
// - the region: `__tern.region` in the home, or anonymous memory for
//   DB_PRIVATE, sized at creation from the configuration (as libdb sizes
//   its regions at open);
// - the page cache in it (DB_INIT_MPOOL);
// - the log (DB_INIT_LOG, implied by DB_INIT_TXN), in the home or lg_dir;
// - the lock table in the region (DB_INIT_LOCK, implied by DB_INIT_CDB).
//
// Joining: the region records its creator's DB_INIT_* flags, and a process
// joining it adds them to its own (libdb's __env_open: "we may be joining an
// environment -- reset our flags to match the ones in the environment"), so
// DB_ENV->open(home, 0) from a second process gets the environment's cache.
// Several processes share the region and everything in it: the page cache
// (and the tree latches), the lock table, the commit gate, the log's buffer
// and tail (Log/LogShared.swift) and the file registry, so they commit
// concurrently through one log.
//
// Who has the log (Region.holdLog): each process with the log open holds a
// shared OFD lock on a byte of the region file; an opener that can take it
// exclusively is the only live process with the log ("alone") and keeps it
// exclusive until its open is done, so nobody joins a half-repaired region.
// An in-memory log is one process's (its ring table is process-local): an
// opener that is not alone while the log is, or would be, in memory gets
// EBUSY.
//
// Invariant: after a clean close, every database file holds all committed
// data (close checkpoints every file of the cache), so a reopen needs no
// recovery.
//
// Recovery and crashes (Txn/Recovery.swift, Txn/CrashRepair.swift):
// - DB_RECOVER / DB_RECOVER_FATAL remove the region (and its spill files)
//   and build a new one, as libdb's __env_remove_env does, then replay the
//   log into the files before open returns.
// - An opener alone finds whether a previous holder died with the
//   environment open (the commit gate's log-holder count is not zero):
//   libdb's joiners simply join such a region, and so does Tern, after
//   finishing or undoing what the dead process left in flight (a committed
//   journal, a checkpoint's frozen spill, latches it held). If it died inside
//   a commit section the pages may be half applied: the region panics and
//   open returns DB_RUNRECOVERY. The log's buffered records are in the
//   region and survive it.
// - While other processes live, a dead one is noticed only through the
//   robust mutexes it held (log, flush, checkpoint, registry, cache, lock
//   table: EOWNERDEAD panics the region, DB_RUNRECOVERY), as libdb without
//   DB_REGISTER/failchk. Not detected: a death holding only a tree latch (a
//   rwlock, not robust: its waiters hang), a commit gate share (a checkpoint
//   then waits forever), or key locks in the lock table (their waiters wait
//   for the deadlock detector or a timeout). A child forked without exec
//   does not keep a dead parent's hold (Region.holdLog's fork handler).
// - A panicked region refuses joiners with DB_RUNRECOVERY (libdb's
//   __env_attach), so only recovery (a new region) gets past it.
import CBerkeleyDB
import Glibc

extension Environment {
    /// The open flags a region records for its joiners.
    static let initFlagsMask = UInt32(DB_INIT_CDB | DB_INIT_LOCK | DB_INIT_LOG | DB_INIT_MPOOL
        | DB_INIT_REP | DB_INIT_TXN)

    /// Creates (DB_CREATE) or joins the region and starts the subsystems the
    /// open flags ask for. On failure nothing stays attached.
    func attachSubsystems() throws(DBError) {
        let create = openFlags & UInt32(DB_CREATE) != 0
        let dir = home ?? "."
        let recovering = openFlags & UInt32(DB_RECOVER | DB_RECOVER_FATAL) != 0
        if recovering {
            // libdb removes the environment's regions before recovering.
            removeRegionForRecovery(home: dir)
        }
        let newRegion: Region
        if openFlags & UInt32(DB_PRIVATE) != 0 {
            newRegion = try Region.makePrivate(size: Region.size(for: config))
        } else {
            do {
                newRegion = try Region.open(home: dir, size: Region.size(for: config), create: create,
                                            mode: mode_t(mode == 0 ? 0o660 : mode),
                                            initFlags: openFlags & Self.initFlagsMask)
            } catch let error where error.code == ENOENT && !create {
                // No environment to join: libdb's silent ENOENT.
                throw DBError(ENOENT)
            }
        }
        let requestedFlags = openFlags
        if !newRegion.created {
            if newRegion.isPanicked {
                newRegion.close()
                throw DBError(DB_RUNRECOVERY, "BDB0060 PANIC: fatal region error detected; run recovery")
            }
            adoptSubsystems(of: newRegion)
        }
        var newCache: PageCache?
        var newLog: Log?
        var newLocks: LockTable?
        var newGate: CommitGate?
        var hold: Region.LogHold?
        do throws(DBError) {
            if isRequested(.mpool) {
                let cacheBytes = Int(config.cacheGBytes) * Int(EnvironmentConfig.gigabyte) + Int(config.cacheBytes)
                newCache = try PageCache(region: newRegion, cacheBytes: cacheBytes, spillDirectory: dir)
            }
            if isRequested(.lock) {
                newLocks = try attachLockTable(newRegion)
            }
            if isRequested(.log) {
                let logConfig = Log.Configuration(environment: config, home: dir)
                let h = try newRegion.holdLog()
                hold = h
                let gate = try CommitGate.attach(newRegion)
                newGate = gate
                if h.firstInProcess && !h.alone && (logConfig.inMemory || gate.logMode == .inMemory) {
                    // The in-memory log's ring table is process-local
                    // (Log/LogShared.swift).
                    throw DBError(EBUSY, "tern: another process has this environment's log open, and an "
                                  + "in-memory log (DB_LOG_IN_MEMORY) belongs to one process")
                }
                var rescan = false
                if h.alone {
                    let mode: CommitGate.LogMode = logConfig.inMemory ? .inMemory : .files
                    // Alone, the end of the log is found from the files again
                    // (as every open did when the log was per process), so
                    // files changed while nobody had the log open are seen:
                    // unless a holder died (its buffered records are in the
                    // region, their commits applied in the region's cache:
                    // they are kept), and only if the log was in files.
                    rescan = gate.logMode != mode || gate.logHolders == 0
                    gate.logMode = mode
                }
                newLog = try Log.open(logConfig, region: newRegion, rescan: rescan,
                                      sync: logSyncForTesting ?? Log.defaultSync)
                try fileRegistry.attach(newRegion)
            }
        } catch {
            try? newLog?.close()
            fileRegistry.detach()
            if hold != nil { newRegion.releaseLogHold() }
            newRegion.close()
            openFlags = requestedFlags
            throw error
        }
        region = newRegion
        cache = newCache
        log = newLog
        lockTable = newLocks
        commitGate = newGate
        guard let newGate, let hold else { return }
        do throws(DBError) {
            if hold.alone {
                // No other live process has the log, and none can join
                // until shareLogHold below.
                if newGate.logHolders != 0 && !newRegion.created && !recovering {
                    try repairAfterCrash()
                }
                if !recovering {
                    // Nobody else holds the log, so no checkpoint is in
                    // flight: a journal left behind (a crash, or a region
                    // removed since) is completed or discarded now, before
                    // anything reads the files.
                    try CheckpointJournal.recover(path: journalPath)
                }
                newGate.logHolders = 1
            } else if hold.firstInProcess {
                newGate.addLogHolder()
            }
            if newGate.lastCheckpoint.isZero && !newGate.searchedForCheckpoint && !recovering {
                // libdb's __txn_init: the last checkpoint in the log.
                if let found = try findLastCheckpoint() {
                    newGate.noteFoundCheckpoint(record: found.lsn, cut: found.record.cut)
                }
                newGate.searchedForCheckpoint = true
            }
            if recovering {
                recoveryReport = try recover(fatal: openFlags & UInt32(DB_RECOVER_FATAL) != 0)
            }
            newRegion.shareLogHold()
        } catch {
            // Nothing was checkpointed for this handle: detach without
            // writing, leaving the region as the failure found it.
            if hold.firstInProcess && !newRegion.isPanicked && error.code != DB_RUNRECOVERY {
                newGate.removeLogHolder()
            }
            try? newLog?.close()
            fileRegistry.detach()
            newRegion.releaseLogHold()
            newRegion.close()
            region = nil
            cache = nil
            log = nil
            commitGate = nil
            lockTable = nil
            openFlags = requestedFlags
            throw error
        }
    }

    /// The region's lock table (created or joined; LockTable.attach), with
    /// libdb's DB_VERB_DEADLOCK messages routed to the message channel.
    private func attachLockTable(_ region: Region) throws(DBError) -> LockTable {
        let table = try LockTable.attach(region: region, config: config,
                                         concurrentDataStore: openFlags & UInt32(DB_INIT_CDB) != 0)
        // The handler, not the environment: a weak reference would give the
        // environment a side table and slow every retain of it.
        table.deadlockMessages = messageHandler
        table.verboseDeadlock = config.verbose & UInt32(DB_VERB_DEADLOCK) != 0
        return table
    }

    /// libdb's __env_remove_env before recovery: the region file and the
    /// spill files of any region, whoever left them.
    func removeRegionForRecovery(home: String) {
        Region.remove(home: home)
        guard let dirp = opendir(home) else { return }
        defer { closedir(dirp) }
        var names: [String] = []
        while let entry = readdir(dirp) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name.hasPrefix("__tern.spill.") { names.append(name) }
        }
        let prefix = home.hasSuffix("/") ? home : home + "/"
        for name in names { unlink(prefix + name) }
    }

    /// A joiner takes the subsystems the environment was created with, in
    /// addition to those it asked for.
    private func adoptSubsystems(of region: Region) {
        var recorded = region.initFlags & Self.initFlagsMask
        if recorded & UInt32(DB_INIT_CDB) != 0 { recorded |= UInt32(DB_INIT_LOCK) }
        let adoptsLog = !isRequested(.log)
        openFlags |= recorded
        if adoptsLog && isRequested(.log) {
            // EnvOpen sized the log only for a log it was asked for.
            if config.logBufferSize == 0 {
                config.logBufferSize = logInMemory ? EnvironmentConfig.inMemoryLogBufferSize
                    : EnvironmentConfig.defaultLogBufferSize
            }
            if config.logFileSize == 0 {
                config.logFileSize = logInMemory ? EnvironmentConfig.inMemoryLogFileSize
                    : EnvironmentConfig.defaultLogFileSize
            }
        }
    }

    /// Flushes the log, checkpoints the cache so the files hold every
    /// committed write, and detaches. Returns the first failure; detaches
    /// regardless, as libdb's close releases the handle whatever happens.
    /// `clean: false` (a panicked environment): nothing is flushed or
    /// checkpointed, and the region keeps its panic for the next opener.
    func detachSubsystems(clean: Bool = true) -> DBError? {
        var failure: DBError?
        if let log, clean {
            do { try log.flush(sync: true) } catch { failure = failure ?? error }
        }
        if cache != nil && clean {
            // Every file, at one cut (no checkpoint record: libdb's close
            // logs none either).
            do { try checkpoint(files: nil, record: false) } catch { failure = failure ?? error }
        }
        if let log {
            do { try log.close() } catch { failure = failure ?? error }
            if let region, let commitGate, region.logHolds <= 1 && failure == nil {
                // This process's last handle, released cleanly: a later
                // opener alone has nothing of ours to repair.
                commitGate.removeLogHolder()
            }
            region?.releaseLogHold()
        }
        region?.close()
        log = nil
        cache = nil
        lockTable = nil
        commitGate = nil
        region = nil
        fileRegistry.detach()
        return failure
    }
}
