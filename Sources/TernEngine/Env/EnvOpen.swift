// DB_ENV->open and DB_ENV->remove, as far as configuration goes: libdb's flag
// checks (__env_open_pp, __env_open_arg), home resolution and DB_CONFIG
// (__env_config), and the move to the opened phase.
//
// After the checks, open creates or joins the region and starts the
// subsystems the flags ask for (EnvSubsystems.swift). Without DB_CREATE in a
// home holding no environment it answers ENOENT, silently, as libdb.
import CBerkeleyDB
import Glibc

extension Environment {
    static let openFlagsAllowed: UInt32 = UInt32(DB_CREATE | DB_FAILCHK | DB_FAILCHK_ISALIVE | DB_INIT_CDB
        | DB_INIT_LOCK | DB_INIT_LOG | DB_INIT_MPOOL | DB_INIT_REP | DB_INIT_TXN | DB_LOCKDOWN
        | DB_NO_CHECKPOINT | DB_PRIVATE | DB_RECOVER | DB_RECOVER_FATAL | DB_REGISTER | DB_SYSTEM_MEM
        | DB_THREAD | DB_USE_ENVIRON | DB_USE_ENVIRON_ROOT)
    /// What DB_INIT_CDB may be combined with.
    static let openFlagsCDB: UInt32 = UInt32(DB_CREATE | DB_INIT_CDB | DB_INIT_MPOOL | DB_LOCKDOWN
        | DB_PRIVATE | DB_SYSTEM_MEM | DB_THREAD | DB_USE_ENVIRON | DB_USE_ENVIRON_ROOT)

    /// `hasIsAlive`: whether the application set an is_alive callback (it
    /// lives in the C handle).
    public func open(home requestedHome: String?, flags requested: UInt32, mode: Int32,
                     hasIsAlive: Bool) throws(DBError) {
        let method = "DB_ENV->open"
        try requireNotOpened(method)
        if requested & ~Self.openFlagsAllowed != 0 { throw .illegalFlag(method) }
        if requested & UInt32(DB_INIT_CDB) != 0 && requested & ~Self.openFlagsCDB != 0 {
            throw .illegalFlagCombination(method)
        }
        var flags = requested
        try configure(home: requestedHome, flags: &flags, mode: mode)
        try checkOpenArguments(flags, hasIsAlive: hasIsAlive)
        if flags & UInt32(DB_REGISTER) != 0 && flags & UInt32(DB_FAILCHK_ISALIVE) != 0 {
            // libdb forces a thread table for DB_FAILCHK_ISALIVE.
            config.threadCount = 50
        }

        // A missing home fails where libdb first touches it, its primary
        // region file __db.001; without DB_CREATE there is no environment to
        // join there (ENOENT, silently, below).
        if flags & UInt32(DB_CREATE) != 0 && flags & UInt32(DB_PRIVATE) == 0 {
            // libdb's first file in the home is the primary region __db.001;
            // a missing home fails there.
            let dir = home ?? "."
            var st = stat()
            if stat(dir, &st) != 0 {
                let err = errno
                let file = home.map { $0 + "/__db.001" } ?? "__db.001"
                throw DBError(err, "\(file): \(String(cString: strerror(err)))")
            }
        }

        if flags & UInt32(DB_INIT_CDB) != 0 { flags |= UInt32(DB_INIT_LOCK) }
        config.threadCount = threadTableSize(hasIsAlive: hasIsAlive)
        openFlags = flags
        // The log region starts with libdb's default sizes.
        if isRequested(.log) {
            if config.logBufferSize == 0 {
                config.logBufferSize = logInMemory ? EnvironmentConfig.inMemoryLogBufferSize
                    : EnvironmentConfig.defaultLogBufferSize
            }
            if config.logFileSize == 0 {
                config.logFileSize = logInMemory ? EnvironmentConfig.inMemoryLogFileSize
                    : EnvironmentConfig.defaultLogFileSize
            }
        }
        // DB_REGISTER first, as libdb's __env_open: it decides whether
        // recovery is needed (Env/EnvRegistry.swift).
        var registration: EnvironmentRegistry?
        var registerRecovery = false
        if flags & UInt32(DB_REGISTER) != 0 {
            let (registry, needsRecovery) = try EnvironmentRegistry.register(environment: self)
            if needsRecovery {
                if flags & UInt32(DB_RECOVER) == 0 {
                    registry.unregister(recoveryFailed: true)
                    throw DBError(DB_RUNRECOVERY, "BDB1567 The DB_RECOVER flag was not specified, and recovery is needed")
                }
                registerRecovery = true
            } else {
                openFlags &= ~UInt32(DB_RECOVER)
            }
            registration = registry
        }
        do throws(DBError) {
            do {
                try attachSubsystems()
            } catch where error.code == DB_RUNRECOVERY && registration != nil && !registerRecovery
                            && openFlags & UInt32(DB_RECOVER) == 0 {
                // libdb retries a registered open that found the region
                // panicked, with recovery.
                openFlags |= UInt32(DB_RECOVER)
                try attachSubsystems()
            }
        } catch {
            registration?.unregister(recoveryFailed: registerRecovery)
            throw error
        }
        registration?.releaseExclusive()
        registrySlot = registration
        phase = .opened
    }

    /// The thread table libdb builds when it creates the environment
    /// (__env_thread_size, __env_thread_max): set_thread_count's value, at
    /// least the DB_MEM_THREAD initial count, and, when only an is_alive
    /// callback asks for thread tracking, the DB_MEM_TRANSACTION count or at
    /// least 100. Zero means no thread table. get_thread_count reports it
    /// after open.
    func threadTableSize(hasIsAlive: Bool) -> UInt32 {
        var size = config.threadCount
        let initial = config.memoryInit[UInt32(DB_MEM_THREAD.rawValue)] ?? 0
        if initial != 0 {
            size = Swift.max(size, initial)
        } else if size == 0 && hasIsAlive {
            // libdb sizes from memory_max when set (a tenth of what the other
            // regions leave, in thread blocks); Tern keeps the floor of 100.
            size = config.memoryInit[UInt32(DB_MEM_TRANSACTION.rawValue)] ?? 0
            if size == 0 { size = 100 }
        }
        return size
    }

    /// libdb's __env_config: home (DB_HOME when allowed), open flags and mode
    /// recorded, DB_CONFIG applied, temporary directory chosen. What it sets
    /// stays set even when a later step fails, as in libdb.
    func configure(home requestedHome: String?, flags: inout UInt32, mode: Int32) throws(DBError) {
        var resolved = requestedHome
        if resolved == nil && (flags & UInt32(DB_USE_ENVIRON) != 0
                               || (flags & UInt32(DB_USE_ENVIRON_ROOT) != 0 && getuid() == 0)) {
            if let value = getenv("DB_HOME") {
                let text = String(cString: value)
                // libdb copies into a DB_MAXPATHLEN (4096) buffer.
                if text.utf8.count >= 4096 {
                    throw .invalid("BDB0157 DB_HOME: buffer too small to hold environment variable \(text)")
                }
                resolved = text
            }
        }
        if let resolved { home = resolved }
        openFlags = flags
        self.mode = mode == 0 ? 0o660 : mode
        try DBConfigFile.apply(home: home, to: self, openFlags: &openFlags)
        flags = openFlags
        if config.tmpDir == nil { config.tmpDir = chooseTmpDir(flags) }
    }

    /// libdb's __os_tmpdir on POSIX systems; each directory it tries is a
    /// traced stat.
    func chooseTmpDir(_ flags: UInt32) -> String {
        if flags & UInt32(DB_USE_ENVIRON) != 0 || (flags & UInt32(DB_USE_ENVIRON_ROOT) != 0 && getuid() == 0) {
            for name in ["TMPDIR", "TEMP", "TMP", "TempFolder"] {
                if let v = getenv(name), v.pointee != 0 { return String(cString: v) }
            }
        }
        for dir in ["/var/tmp", "/usr/tmp", "/tmp"] {
            fileOpsMessage("BDB0165 fileops: stat \(dir)")
            var st = stat()
            if stat(dir, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR { return dir }
        }
        return ""
    }

    /// libdb's __env_open_arg.
    func checkOpenArguments(_ flags: UInt32, hasIsAlive: Bool) throws(DBError) {
        func has(_ f: Int32) -> Bool { flags & UInt32(f) != 0 }
        let method = "DB_ENV->open"
        if has(DB_REGISTER) {
            if has(DB_PRIVATE) && flags & UInt32(DB_REGISTER | DB_SYSTEM_MEM) != 0 {
                throw .illegalFlagCombination(method)
            }
            if has(DB_CREATE) && !has(DB_INIT_TXN) {
                throw .invalid("BDB1569 registration requires transaction support")
            }
        }
        if has(DB_INIT_REP) && has(DB_CREATE) {
            if !has(DB_INIT_LOCK) { throw .invalid("BDB1571 replication requires locking support") }
            if !has(DB_INIT_TXN) { throw .invalid("BDB1572 replication requires transaction support") }
        }
        if has(DB_RECOVER) || has(DB_RECOVER_FATAL) {
            if has(DB_RECOVER) && has(DB_RECOVER_FATAL) { throw .illegalFlagCombination(method) }
            if has(DB_REGISTER) && has(DB_RECOVER_FATAL) { throw .illegalFlagCombination(method) }
            if !has(DB_CREATE) { throw .invalid("BDB1573 recovery requires the create flag") }
            if !has(DB_INIT_TXN) { throw .invalid("BDB1574 recovery requires transaction support") }
        }
        if has(DB_FAILCHK) {
            if !hasIsAlive { throw .invalid("BDB1575 DB_FAILCHK requires DB_ENV->is_alive be configured") }
            if config.threadCount == 0 {
                throw .invalid("BDB1576 DB_FAILCHK requires DB_ENV->set_thread_count be configured")
            }
        }
    }

    /// DB_ENV->remove: flags, phase, home and DB_CONFIG as libdb checks them,
    /// then the region file goes. The caller destroys the handle only when
    /// this returns normally or fails after configuration, as libdb does.
    public func remove(home requestedHome: String?, flags requested: UInt32) throws(DBError) {
        let method = "DB_ENV->remove"
        if requested & ~UInt32(DB_FORCE | DB_USE_ENVIRON | DB_USE_ENVIRON_ROOT) != 0 {
            throw .illegalFlag(method)
        }
        try requireNotOpened(method)
        var flags = requested
        try configure(home: requestedHome, flags: &flags, mode: 0)
        Region.remove(home: home ?? ".")
    }

    /// DB_ENV->close: the log flushed, every file checkpointed, the
    /// subsystems detached. The handle is closed whatever this returns.
    public func close() throws(DBError) {
        // libdb closes the databases still open in the environment.
        for database in openDatabases.values { try? database.close(noSync: false) }
        let panicked = phase == .opened && needsRecovery
        let failure = panicked ? (detachSubsystems(clean: false) ?? Self.panicError) : detachSubsystems()
        registrySlot?.unregister(recoveryFailed: false)
        registrySlot = nil
        markClosed()
        if let failure { throw failure }
    }
}
