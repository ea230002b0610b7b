// DB_ENV configuration setters and getters: libdb's argument checks, phase
// rules (ENV_ILLEGAL_AFTER_OPEN, ENV_NOT_CONFIGURED), defaults and roundings.
//
// The method names inside error texts are libdb's own, including its slips
// (set_mp_pagesize reports "DB_ENV->get_mp_max_mmapsize" when the pool is not
// configured; mutex_set_align after open says "DB_ENV->set_mutex_align"):
// applications and scripts see exactly what libdb prints.
//
// After open, libdb reads most values from the subsystem regions. Tern has no
// regions yet (next issue), so getters answer from `config`, with the
// defaults libdb's regions start with where they are simple constants.
import CBerkeleyDB
import Glibc

extension Environment {
    /// The subsystems ENV_NOT_CONFIGURED / ENV_REQUIRES_CONFIG name.
    public enum Subsystem: Sendable {
        case lock, log, mpool, txn

        var name: String {
            switch self {
            case .lock: return "locking"
            case .log: return "logging"
            case .mpool: return "memory pool"
            case .txn: return "transaction"
            }
        }
    }

    /// True when the subsystem's region exists: the environment is open and
    /// open initialised it (transactions imply logging, as in __env_open).
    public func isOn(_ subsystem: Subsystem) -> Bool {
        guard phase == .opened else { return false }
        return isRequested(subsystem)
    }

    /// Whether the open flags ask for `subsystem`, whatever the phase: what
    /// DB_ENV->open consults while it starts the subsystems (before the
    /// environment counts as opened).
    func isRequested(_ subsystem: Subsystem) -> Bool {
        switch subsystem {
        case .lock: return openFlags & UInt32(DB_INIT_LOCK | DB_INIT_CDB) != 0
        case .log: return openFlags & UInt32(DB_INIT_LOG | DB_INIT_TXN) != 0
        case .mpool: return openFlags & UInt32(DB_INIT_MPOOL) != 0
        case .txn: return openFlags & UInt32(DB_INIT_TXN) != 0
        }
    }

    /// libdb's ENV_NOT_CONFIGURED: after open, the subsystem must be on.
    func requireConfigured(_ interface: String, _ subsystem: Subsystem) throws(DBError) {
        if phase == .opened && !isOn(subsystem) {
            throw .notConfigured(interface, subsystem: subsystem.name)
        }
    }

    // MARK: flags

    /// DB_ENV->set_flags' accepted flags (libdb's OK_FLAGS).
    static let settableFlags: UInt32 = UInt32(DB_AUTO_COMMIT | DB_CDB_ALLDB | DB_DATABASE_LOCKING
        | DB_DIRECT_DB | DB_DSYNC_DB | DB_MULTIVERSION | DB_NOLOCKING | DB_NOMMAP | DB_NOPANIC
        | DB_OVERWRITE | DB_PANIC_ENVIRONMENT | DB_REGION_INIT | DB_TIME_NOTGRANTED
        | DB_TXN_NOSYNC | DB_TXN_NOWAIT | DB_TXN_SNAPSHOT | DB_TXN_WRITE_NOSYNC | DB_YIELDCPU
        | DB_HOTBACKUP_IN_PROGRESS | DB_NOFLUSH)

    public func setFlags(_ flags: UInt32, on: Bool) throws(DBError) {
        let method = "DB_ENV->set_flags"
        if flags & ~Self.settableFlags != 0 { throw .illegalFlag(method) }
        let nosync = UInt32(DB_TXN_NOSYNC), writeNosync = UInt32(DB_TXN_WRITE_NOSYNC)
        if on && flags & nosync != 0 && flags & writeNosync != 0 {
            throw .illegalFlagCombination(method)
        }
        // Debian's libdb is built without O_DIRECT support (its configure
        // finds no HAVE_O_DIRECT), so turning direct I/O on fails.
        if on && flags & UInt32(DB_DIRECT_DB) != 0 {
            throw .invalid("DB_ENV->set_flags: direct I/O either not configured or not supported")
        }
        if flags & UInt32(DB_CDB_ALLDB) != 0 && phase == .opened {
            throw .illegalAfterOpen("\(method): DB_CDB_ALLDB")
        }
        var warning: DBError?
        if flags & UInt32(DB_PANIC_ENVIRONMENT) != 0 {
            if phase != .opened { throw .illegalBeforeOpen("\(method): DB_PANIC_ENVIRONMENT") }
            // libdb reports the panic and still returns 0 from set_flags.
            if on { warning = DBError(0, "BDB1558 Environment panic set") }
            panicked = on
        }
        if flags & UInt32(DB_REGION_INIT) != 0 && phase == .opened {
            throw .illegalAfterOpen("\(method): DB_REGION_INIT")
        }
        // DB_LOG_IN_MEMORY, DB_TXN_NOSYNC and DB_TXN_WRITE_NOSYNC exclude each
        // other: setting one of the sync flags clears the others.
        if on && flags & (nosync | writeNosync) != 0 {
            config.flags &= ~(nosync | writeNosync)
            if phase != .opened {
                try setLogConfig(UInt32(DB_LOG_IN_MEMORY), on: false)
            } else if isOn(.log) && config.logFlags & UInt32(DB_LOG_IN_MEMORY) != 0 {
                throw .invalid("BDB1559 DB_TXN_NOSYNC and DB_TXN_WRITE_NOSYNC may not be used with DB_LOG_IN_MEMORY")
            }
        }
        if flags & UInt32(DB_HOTBACKUP_IN_PROGRESS) != 0 {
            // A hot backup needs transactions (ENV_REQUIRES_CONFIG).
            guard isOn(.txn) else {
                throw .notConfigured("\(method): DB_HOTBACKUP_IN_PROGRESS", subsystem: Subsystem.txn.name)
            }
            if on {
                hotBackupCount += 1
            } else if hotBackupCount == 0 {
                throw .invalid("BDB1560 Attempt to decrement hotbackup counter past zero")
            } else {
                hotBackupCount -= 1
            }
        }
        // The panic state lives in the region, not in the handle's flags.
        let stored = flags & ~UInt32(DB_PANIC_ENVIRONMENT)
        if on { config.flags |= stored } else { config.flags &= ~stored }
        if let warning { throw warning }
    }

    public func getFlags() -> UInt32 {
        var flags = config.flags
        if panicked { flags |= UInt32(DB_PANIC_ENVIRONMENT) }
        if isOn(.txn) && hotBackupCount > 0 { flags |= UInt32(DB_HOTBACKUP_IN_PROGRESS) }
        return flags
    }

    // MARK: cache

    public func setCacheSize(gbytes: UInt32, bytes: UInt32, ncache: Int32) throws(DBError) {
        try requireConfigured("DB_ENV->set_cachesize", .mpool)
        let count = ncache <= 0 ? 1 : UInt32(ncache)
        let gb = EnvironmentConfig.gigabyte
        // 64-bit region offsets: no 4GB special case; normalise to GB + bytes.
        let g = gbytes &+ bytes / gb
        var b = bytes % gb
        if phase != .opened && g / count > 10000 {
            throw .invalid("BDB3004 individual cache size too large: maximum is 10TB")
        }
        // Small caches get 25% more plus hash buckets for libdb's overhead,
        // and never go below the minimum.
        if g == 0 {
            if b < 500 * EnvironmentConfig.megabyte {
                b += b / 4 + 37 * EnvironmentConfig.hashBucketSize
            }
            if b / count < EnvironmentConfig.minimumCacheBytes {
                b = count * EnvironmentConfig.minimumCacheBytes
            }
        }
        if phase == .opened {
            // libdb resizes the cache regions; the region count stays.
            config.cacheGBytes = g
            config.cacheBytes = b
            return
        }
        config.cacheGBytes = g
        config.cacheBytes = b
        config.cacheCount = count
    }

    public func getCacheSize() throws(DBError) -> (gbytes: UInt32, bytes: UInt32, ncache: Int32) {
        try requireConfigured("DB_ENV->get_cachesize", .mpool)
        return (config.cacheGBytes, config.cacheBytes, Int32(config.cacheCount))
    }

    public func setCacheMax(gbytes: UInt32, bytes: UInt32) throws(DBError) {
        try requireNotOpened("DB_ENV->set_cache_max")
        config.cacheMaxGBytes = gbytes
        config.cacheMaxBytes = bytes
    }

    public func getCacheMax() throws(DBError) -> (gbytes: UInt32, bytes: UInt32) {
        try requireConfigured("DB_ENV->get_mp_max_ncache", .mpool)
        return (config.cacheMaxGBytes, config.cacheMaxBytes)
    }

    public func setMpMaxOpenFD(_ value: Int32) throws(DBError) {
        try requireConfigured("DB_ENV->set_mp_max_openfd", .mpool)
        config.mpMaxOpenFD = value
    }
    public func getMpMaxOpenFD() throws(DBError) -> Int32 {
        try requireConfigured("DB_ENV->get_mp_max_openfd", .mpool)
        return config.mpMaxOpenFD
    }
    public func setMpMaxWrite(_ maxWrite: Int32, sleep: UInt32) throws(DBError) {
        try requireConfigured("DB_ENV->get_mp_max_write", .mpool)
        config.mpMaxWrite = maxWrite
        config.mpMaxWriteSleep = sleep
    }
    public func getMpMaxWrite() throws(DBError) -> (Int32, UInt32) {
        try requireConfigured("DB_ENV->get_mp_max_write", .mpool)
        return (config.mpMaxWrite, config.mpMaxWriteSleep)
    }
    public func setMpMmapSize(_ value: Int) throws(DBError) {
        try requireConfigured("DB_ENV->set_mp_max_mmapsize", .mpool)
        config.mpMmapSize = value
    }
    public func getMpMmapSize() throws(DBError) -> Int {
        try requireConfigured("DB_ENV->get_mp_max_mmapsize", .mpool)
        return config.mpMmapSize
    }
    public func setMpPageSize(_ value: UInt32) throws(DBError) {
        try requireConfigured("DB_ENV->get_mp_max_mmapsize", .mpool)
        try requireNotOpened("DB_ENV->set_mp_pagesize")
        config.mpPageSize = value
    }
    public func getMpPageSize() throws(DBError) -> UInt32 {
        try requireConfigured("DB_ENV->get_mp_max_pagesize", .mpool)
        return config.mpPageSize
    }
    public func setMpTableSize(_ value: UInt32) throws(DBError) {
        try requireConfigured("DB_ENV->get_mp_max_mmapsize", .mpool)
        try requireNotOpened("DB_ENV->set_mp_tablesize")
        config.mpTableSize = value
    }
    public func getMpTableSize() throws(DBError) -> UInt32 {
        try requireConfigured("DB_ENV->get_mp_max_tablesize", .mpool)
        return config.mpTableSize
    }
    public func setMpMutexCount(_ value: UInt32) throws(DBError) {
        try requireConfigured("DB_ENV->get_mp_max_mmapsize", .mpool)
        try requireNotOpened("DB_ENV->set_mp_mtxcount")
        config.mpMutexCount = value
    }
    public func getMpMutexCount() throws(DBError) -> UInt32 {
        try requireConfigured("DB_ENV->get_mp_max_mtxcount", .mpool)
        return config.mpMutexCount
    }

    // MARK: directories

    /// add_data_dir: appends to the data directory list (before open only).
    public func addDataDir(_ dir: String) throws(DBError) {
        try requireNotOpened("DB_ENV->add_data_dir")
        config.dataDirs.append(dir)
    }

    /// set_data_dir: add_data_dir, and the first one becomes the create dir.
    public func setDataDir(_ dir: String) throws(DBError) {
        try addDataDir(dir)
        if config.dataDirs.count == 1 { try setCreateDir(dir) }
    }

    public func setCreateDir(_ dir: String) throws(DBError) {
        guard config.dataDirs.contains(dir) else {
            throw .invalid("BDB1561 Directory \(dir) not in environment list.")
        }
        config.createDir = dir
    }

    public func setMetadataDir(_ dir: String) throws(DBError) {
        try requireNotOpened("DB_ENV->set_metadata_dir")
        if !config.dataDirs.contains(dir) { try addDataDir(dir) }
        config.metadataDir = dir
    }

    public func setLogDir(_ dir: String) { config.logDir = dir }
    public func setTmpDir(_ dir: String) { config.tmpDir = dir }

    /// set_intermediate_dir_mode: a 9-character "rwxrwxrwx" string with '-'
    /// for absent permissions, and not all absent.
    public func setIntermediateDirMode(_ mode: String) throws(DBError) {
        try requireNotOpened("DB_ENV->set_intermediate_dir_mode")
        let bad = DBError.invalid("DB_ENV->set_intermediate_dir_mode: illegal mode \"\(mode)\"")
        let letters: [UInt8] = Array("rwxrwxrwx".utf8)
        let bytes = Array(mode.utf8)
        var bits: Int32 = 0
        for i in 0..<9 {
            guard i < bytes.count else { throw bad }
            if bytes[i] == letters[i] {
                bits |= Int32(0o400 >> i)
            } else if bytes[i] != UInt8(ascii: "-") {
                throw bad
            }
        }
        if bytes.count != 9 || bits == 0 { throw bad }
        config.intermediateDirMode = mode
        config.dirMode = bits
    }

    // MARK: logging

    static let logConfigFlags: UInt32 = UInt32(DB_LOG_AUTO_REMOVE | DB_LOG_DIRECT | DB_LOG_DSYNC
        | DB_LOG_IN_MEMORY | DB_LOG_ZERO)

    public func setLogConfig(_ flags: UInt32, on: Bool, inOpen: Bool = false) throws(DBError) {
        if flags & ~Self.logConfigFlags != 0 { throw .illegalFlag("DB_ENV->log_set_config") }
        try requireConfigured("DB_ENV->log_set_config", .log)
        // No direct I/O support in libdb's build (see setFlags), on or off.
        if flags & UInt32(DB_LOG_DIRECT) != 0 {
            throw .invalid("DB_ENV->log_set_config: direct I/O either not configured or not supported")
        }
        if isOn(.log) {
            // The log region cannot switch to memory once open.
            if !inOpen && flags & UInt32(DB_LOG_IN_MEMORY) != 0
                && config.logFlags & UInt32(DB_LOG_IN_MEMORY) == 0 {
                throw .illegalAfterOpen("DB_ENV->log_set_config: DB_LOG_IN_MEMORY")
            }
        } else if on && flags & UInt32(DB_LOG_IN_MEMORY) != 0 {
            config.flags &= ~UInt32(DB_TXN_NOSYNC | DB_TXN_WRITE_NOSYNC)
        }
        if on { config.logFlags |= flags } else { config.logFlags &= ~flags }
    }

    public func getLogConfig(_ which: UInt32) throws(DBError) -> Bool {
        if which & ~Self.logConfigFlags != 0 { throw .illegalFlag("DB_ENV->log_get_config") }
        try requireConfigured("DB_ENV->log_get_config", .log)
        return config.logFlags & which != 0
    }

    var logInMemory: Bool { config.logFlags & UInt32(DB_LOG_IN_MEMORY) != 0 }

    public func setLogBufferSize(_ value: UInt32) throws(DBError) {
        try requireNotOpened("DB_ENV->set_lg_bsize")
        config.logBufferSize = value
    }
    public func getLogBufferSize() throws(DBError) -> UInt32 {
        try requireConfigured("DB_ENV->get_lg_bsize", .log)
        return config.logBufferSize
    }
    public func setLogFileSize(_ value: UInt32) throws(DBError) {
        try requireConfigured("DB_ENV->set_lg_max", .log)
        if isOn(.log) && logInMemory && config.logBufferSize <= value {
            throw .invalid("in-memory log buffer must be larger than the log file size")
        }
        // After open, libdb's log takes the size for the files it creates
        // from now on (lp->log_nsize).
        if isOn(.log), let log {
            let size = value != 0 ? value : logInMemory ? EnvironmentConfig.inMemoryLogFileSize : EnvironmentConfig.defaultLogFileSize
            try log.setFileSize(size)
        }
        config.logFileSize = value
    }
    public func getLogFileSize() throws(DBError) -> UInt32 {
        try requireConfigured("DB_ENV->get_lg_max", .log)
        return config.logFileSize
    }
    public func setLogRegionMax(_ value: UInt32) throws(DBError) {
        try requireNotOpened("DB_ENV->set_lg_regionmax")
        if value != 0 && value < EnvironmentConfig.logBaseRegionSize {
            throw .invalid("BDB2569 log region size must be >= \(EnvironmentConfig.logBaseRegionSize)")
        }
        config.logRegionMax = value
    }
    public func getLogRegionMax() throws(DBError) -> UInt32 {
        try requireConfigured("DB_ENV->get_lg_regionmax", .log)
        return config.logRegionMax
    }
    public func setLogFileMode(_ value: Int32) throws(DBError) {
        try requireConfigured("DB_ENV->set_lg_filemode", .log)
        config.logFileMode = value
    }
    public func getLogFileMode() throws(DBError) -> Int32 {
        try requireConfigured("DB_ENV->get_lg_filemode", .log)
        return config.logFileMode
    }

    // MARK: locking

    public func setLockDetect(_ mode: UInt32) throws(DBError) {
        try requireConfigured("DB_ENV->set_lk_detect", .lock)
        switch Int32(bitPattern: mode) {
        case DB_LOCK_DEFAULT, DB_LOCK_EXPIRE, DB_LOCK_MAXLOCKS, DB_LOCK_MAXWRITE, DB_LOCK_MINLOCKS,
             DB_LOCK_MINWRITE, DB_LOCK_OLDEST, DB_LOCK_RANDOM, DB_LOCK_YOUNGEST:
            break
        default:
            throw .invalid("BDB2043 DB_ENV->set_lk_detect: unknown deadlock detection mode specified")
        }
        if isOn(.lock) {
            // The lock region keeps the first mode it is given.
            if let lockTable {
                try lockTable.setDetectPolicy(mode)
                config.lockDetect = lockTable.detectPolicy
                return
            }
            let current = config.lockDetect
            if current != UInt32(DB_LOCK_NORUN) && mode != UInt32(DB_LOCK_DEFAULT) && current != mode {
                throw .invalid("BDB2044 DB_ENV->set_lk_detect: incompatible deadlock detector mode")
            }
            if current == UInt32(DB_LOCK_NORUN) { config.lockDetect = mode }
        } else {
            config.lockDetect = mode
        }
    }
    public func getLockDetect() throws(DBError) -> UInt32 {
        try requireConfigured("DB_ENV->get_lk_detect", .lock)
        if isOn(.lock), let lockTable { return lockTable.detectPolicy }
        return config.lockDetect
    }

    public func setLockMaxLocks(_ v: UInt32) throws(DBError) {
        try requireNotOpened("DB_ENV->set_lk_max_locks"); config.lockMaxLocks = v
    }
    public func getLockMaxLocks() throws(DBError) -> UInt32 {
        try requireConfigured("DB_ENV->get_lk_maxlocks", .lock); return config.lockMaxLocks
    }
    public func setLockMaxLockers(_ v: UInt32) throws(DBError) {
        try requireNotOpened("DB_ENV->set_lk_max_lockers"); config.lockMaxLockers = v
    }
    public func getLockMaxLockers() throws(DBError) -> UInt32 {
        try requireConfigured("DB_ENV->get_lk_max_lockers", .lock); return config.lockMaxLockers
    }
    public func setLockMaxObjects(_ v: UInt32) throws(DBError) {
        try requireNotOpened("DB_ENV->set_lk_max_objects"); config.lockMaxObjects = v
    }
    public func getLockMaxObjects() throws(DBError) -> UInt32 {
        try requireConfigured("DB_ENV->get_lk_max_objects", .lock); return config.lockMaxObjects
    }
    public func setLockPartitions(_ v: UInt32) throws(DBError) {
        try requireNotOpened("DB_ENV->set_lk_partitions"); config.lockPartitions = v
    }
    public func getLockPartitions() throws(DBError) -> UInt32 {
        try requireConfigured("DB_ENV->get_lk_partitions", .lock); return config.lockPartitions
    }
    public func setLockTableSize(_ v: UInt32) throws(DBError) {
        try requireNotOpened("DB_ENV->set_lk_tablesize"); config.lockTableSize = v
    }
    public func getLockTableSize() throws(DBError) -> UInt32 {
        try requireConfigured("DB_ENV->get_lk_tablesize", .lock)
        if isOn(.lock), let lockTable { return lockTable.objectTableSize }
        return config.lockTableSize
    }

    /// set_lk_conflicts copies a modes x modes matrix.
    public func setLockConflicts(_ matrix: [UInt8], modes: Int32) throws(DBError) {
        try requireNotOpened("DB_ENV->set_lk_conflicts")
        config.lockConflicts = matrix
        config.lockModes = modes
    }
    public func getLockConflicts() throws(DBError) -> (matrix: [UInt8]?, modes: Int32) {
        try requireConfigured("DB_ENV->get_lk_conflicts", .lock)
        if isOn(.lock), let lockTable {
            let m = lockTable.conflictMatrix
            return (m.matrix, Int32(m.modes))
        }
        return (config.lockConflicts, config.lockModes)
    }

    /// After open, get_lk_conflicts hands out the lock region's matrix
    /// (valid until close), as libdb's does.
    public var lockConflictsInRegion: UnsafePointer<UInt8>? {
        guard isOn(.lock), let lockTable else { return nil }
        return lockTable.conflictsPointer
    }

    public func setTimeout(_ timeout: UInt32, which: UInt32) throws(DBError) {
        if which == UInt32(DB_SET_REG_TIMEOUT) {
            config.registerTimeout = timeout
            return
        }
        try requireConfigured("DB_ENV->set_env_timeout", .lock)
        switch which {
        case UInt32(DB_SET_LOCK_TIMEOUT): config.lockTimeout = timeout
        case UInt32(DB_SET_TXN_TIMEOUT): config.txnTimeout = timeout
        default: throw .illegalFlag("DB_ENV->set_timeout")
        }
        // After open the lock region holds the environment's timeouts.
        if isOn(.lock) { lockTable?.setDefaultTimeout(timeout, which: which) }
    }

    public func getTimeout(_ which: UInt32) throws(DBError) -> UInt32 {
        if which == UInt32(DB_SET_REG_TIMEOUT) { return config.registerTimeout }
        try requireConfigured("DB_ENV->get_env_timeout", .lock)
        if isOn(.lock), let lockTable {
            switch which {
            case UInt32(DB_SET_LOCK_TIMEOUT): return lockTable.timeouts.lock
            case UInt32(DB_SET_TXN_TIMEOUT): return lockTable.timeouts.txn
            default: break
            }
        }
        switch which {
        case UInt32(DB_SET_LOCK_TIMEOUT): return config.lockTimeout
        case UInt32(DB_SET_TXN_TIMEOUT): return config.txnTimeout
        default: throw .illegalFlag("DB_ENV->get_timeout")
        }
    }

    // MARK: transactions

    public func setTxMax(_ v: UInt32) throws(DBError) {
        try requireNotOpened("DB_ENV->set_tx_max"); config.txMax = v
    }
    public func getTxMax() throws(DBError) -> UInt32 {
        try requireConfigured("DB_ENV->get_tx_max", .txn); return config.txMax
    }
    public func setTxTimestamp(_ t: Int) throws(DBError) {
        try requireNotOpened("DB_ENV->set_tx_timestamp"); config.txTimestamp = t
    }

    // MARK: region memory, threads

    public func setMemoryInit(_ type: UInt32, _ count: UInt32) throws(DBError) {
        try requireNotOpened("DB_ENV->set_memory_init")
        // libdb ignores types it does not know.
        if (UInt32(DB_MEM_LOCK.rawValue)...UInt32(DB_MEM_THREAD.rawValue)).contains(type) {
            config.memoryInit[type] = count
        }
    }

    public func getMemoryInit(_ type: UInt32) throws(DBError) -> UInt32? {
        let method = "DB_ENV->get_memory_init"
        switch type {
        case UInt32(DB_MEM_LOCK.rawValue), UInt32(DB_MEM_LOCKOBJECT.rawValue), UInt32(DB_MEM_LOCKER.rawValue):
            try requireConfigured(method, .lock)
        case UInt32(DB_MEM_LOGID.rawValue):
            try requireConfigured(method, .log)
        case UInt32(DB_MEM_TRANSACTION.rawValue):
            try requireConfigured("DB_ENV->memory_init", .txn)
        case UInt32(DB_MEM_THREAD.rawValue):
            break
        default:
            // libdb leaves the out-parameter untouched and returns 0.
            return nil
        }
        return config.memoryInit[type] ?? 0
    }

    public func setMemoryMax(gbytes: UInt32, bytes: UInt32) throws(DBError) {
        try requireNotOpened("DB_ENV->set_memory_max")
        config.memoryMax = UInt64(gbytes) * UInt64(EnvironmentConfig.gigabyte) + UInt64(bytes)
    }
    public func getMemoryMax() -> (UInt32, UInt32) {
        let gb = UInt64(EnvironmentConfig.gigabyte)
        return (UInt32(truncatingIfNeeded: config.memoryMax / gb), UInt32(config.memoryMax % gb))
    }

    public func setThreadCount(_ v: UInt32) throws(DBError) {
        try requireNotOpened("DB_ENV->set_thread_count"); config.threadCount = v
    }

    /// set_isalive / get_isalive after open need the thread table, which
    /// libdb allocates only when set_thread_count was called before open.
    public func requireThreadTable(setter: Bool) throws(DBError) {
        if phase == .opened && config.threadCount == 0 {
            throw .invalid("BDB\(setter ? "1563" : "1562") is_alive method specified but no thread region allocated")
        }
    }

    public func setShmKey(_ key: Int) throws(DBError) {
        try requireNotOpened("DB_ENV->set_shm_key"); config.shmKey = key
    }

    // MARK: mutexes

    public func setMutexAlign(_ align: UInt32) throws(DBError) {
        try requireNotOpened("DB_ENV->set_mutex_align")
        if align == 0 || align & (align - 1) != 0 {
            throw .invalid("BDB2018 DB_ENV->mutex_set_align: alignment value must be a non-zero power-of-two")
        }
        config.mutexAlign = align
    }
    public func setMutexIncrement(_ v: UInt32) throws(DBError) {
        try requireNotOpened("DB_ENV->set_mutex_increment")
        config.mutexInit = 0
        config.mutexIncrement = v
    }
    public func setMutexInit(_ v: UInt32) throws(DBError) {
        try requireNotOpened("DB_ENV->set_mutex_init")
        config.mutexInit = v
        config.mutexIncrement = 0
    }
    public func setMutexMax(_ v: UInt32) throws(DBError) {
        try requireNotOpened("DB_ENV->set_mutex_max")
        config.mutexMax = v
        config.mutexIncrement = 0
    }
    /// Clamped to 1...1,000,000; allowed at any time.
    public func setMutexTasSpins(_ v: UInt32) {
        config.mutexTasSpins = v == 0 ? 1 : min(v, 1_000_000)
    }

    // MARK: verbose

    static let verboseFlags: Set<UInt32> = [
        UInt32(DB_VERB_BACKUP), UInt32(DB_VERB_DEADLOCK), UInt32(DB_VERB_FILEOPS),
        UInt32(DB_VERB_FILEOPS_ALL), UInt32(DB_VERB_RECOVERY), UInt32(DB_VERB_REGISTER),
        UInt32(DB_VERB_REPLICATION), UInt32(DB_VERB_REP_ELECT), UInt32(DB_VERB_REP_LEASE),
        UInt32(DB_VERB_REP_MISC), UInt32(DB_VERB_REP_MSGS), UInt32(DB_VERB_REP_SYNC),
        UInt32(DB_VERB_REP_SYSTEM), UInt32(DB_VERB_REP_TEST), UInt32(DB_VERB_REPMGR_CONNFAIL),
        UInt32(DB_VERB_REPMGR_MISC), UInt32(DB_VERB_WAITSFOR),
    ]

    /// One DB_VERB_* value at a time; anything else is EINVAL with no text.
    public func setVerbose(_ which: UInt32, on: Bool) throws(DBError) {
        guard Self.verboseFlags.contains(which) else { throw DBError(EINVAL) }
        if on { config.verbose |= which } else { config.verbose &= ~which }
        lockTable?.verboseDeadlock = config.verbose & UInt32(DB_VERB_DEADLOCK) != 0
    }
    public func getVerbose(_ which: UInt32) throws(DBError) -> Bool {
        guard Self.verboseFlags.contains(which) else { throw DBError(EINVAL) }
        return config.verbose & which != 0
    }

    // MARK: encryption

    public func setEncrypt(password: String?, flags: UInt32) throws(DBError) {
        try requireNotOpened("DB_ENV->set_encrypt")
        if flags != 0 && flags & ~UInt32(DB_ENCRYPT_AES) != 0 { throw .illegalFlag("DB_ENV->set_encrypt") }
        guard let password, !password.isEmpty else {
            throw .invalid("BDB1556 Empty password specified to set_encrypt")
        }
        config.password = password
        config.encryptFlags = flags
    }
    public func getEncryptFlags() -> UInt32 {
        config.password != nil && config.encryptFlags == UInt32(DB_ENCRYPT_AES) ? UInt32(DB_ENCRYPT_AES) : 0
    }
}
