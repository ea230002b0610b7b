// EnvironmentConfig: what the application configured on a DB_ENV, before
// open or from DB_CONFIG. Field names follow DB_ENV's setters; units, defaults
// and roundings are libdb's, so getters return what libdb's return.
// Locking rule: see Environment.
import CBerkeleyDB
import Glibc

public struct EnvironmentConfig: Sendable {
    // libdb's mpool sizes its default cache as 32 8KB pages plus their buffer
    // headers plus 37 hash buckets; on x86-64 sizeof(BH) is 96 and
    // sizeof(DB_MPOOL_HASH) 56. set_cachesize adds the same 37 buckets.
    public static let bufferHeaderSize: UInt32 = 96
    public static let hashBucketSize: UInt32 = 56
    public static let defaultCacheBytes: UInt32 = 32 * (8 * 1024 + bufferHeaderSize) + 37 * hashBucketSize
    /// DB_CACHESIZE_MIN: the smallest cache libdb builds, per cache region.
    public static let minimumCacheBytes: UInt32 = 20 * 1024
    public static let gigabyte: UInt32 = 1 << 30
    public static let megabyte: UInt32 = 1 << 20
    /// LG_BASE_REGION_SIZE: set_lg_regionmax's minimum.
    public static let logBaseRegionSize: UInt32 = 130_000
    /// Log sizes libdb's log region starts with when none was configured:
    /// LG_BSIZE_DEFAULT / LG_MAX_DEFAULT, or LG_BSIZE_INMEM / LG_MAX_INMEM
    /// for in-memory logs.
    public static let defaultLogBufferSize: UInt32 = 32_000
    public static let defaultLogFileSize: UInt32 = 10 * megabyte
    public static let inMemoryLogBufferSize: UInt32 = megabyte
    public static let inMemoryLogFileSize: UInt32 = 256 * 1024

    /// DB_ENV->set_flags flags, as the public DB_* bits (libdb maps them to
    /// internal bits one to one, so the public bits are what get_flags returns).
    public var flags: UInt32 = 0

    // Cache (mpool).
    public var cacheGBytes: UInt32 = 0
    public var cacheBytes: UInt32 = EnvironmentConfig.defaultCacheBytes
    public var cacheCount: UInt32 = 1
    public var cacheMaxGBytes: UInt32 = 0
    public var cacheMaxBytes: UInt32 = 0
    public var mpMmapSize: Int = 0
    public var mpMaxOpenFD: Int32 = 0
    public var mpMaxWrite: Int32 = 0
    public var mpMaxWriteSleep: UInt32 = 0
    public var mpPageSize: UInt32 = 0
    public var mpTableSize: UInt32 = 0
    public var mpMutexCount: UInt32 = 0

    // Directories. `dataDirs` keeps libdb's order; `createDir` is one of them.
    public var dataDirs: [String] = []
    public var createDir: String?
    public var metadataDir: String?
    public var logDir: String?
    public var tmpDir: String?
    public var intermediateDirMode: String?
    /// The mode bits intermediate_dir_mode (or DB_CONFIG's
    /// set_intermediate_dir) asked for; 0 means "create no directories".
    public var dirMode: Int32 = 0

    // Logging.
    public var logBufferSize: UInt32 = 0
    public var logFileSize: UInt32 = 0
    public var logRegionMax: UInt32 = 0
    public var logFileMode: Int32 = 0
    /// DB_LOG_* bits of log_set_config.
    public var logFlags: UInt32 = 0

    // Locking.
    public var lockDetect: UInt32 = 0
    public var lockMaxLocks: UInt32 = 0
    public var lockMaxLockers: UInt32 = 0
    public var lockMaxObjects: UInt32 = 0
    /// libdb's default: 10 partitions per CPU on a multiprocessor, else 1.
    public var lockPartitions: UInt32 = EnvironmentConfig.defaultLockPartitions()
    public var lockTableSize: UInt32 = 0
    /// set_lk_conflicts' matrix (modes x modes), nil until set.
    public var lockConflicts: [UInt8]?
    public var lockModes: Int32 = 0
    public var lockTimeout: UInt32 = 0
    public var txnTimeout: UInt32 = 0
    public var registerTimeout: UInt32 = 0

    // Transactions.
    public var txMax: UInt32 = 0
    public var txTimestamp: Int = 0

    // Region memory.
    /// set_memory_init counts by DB_MEM_* type (DB_MEM_LOCK ... DB_MEM_THREAD).
    public var memoryInit: [UInt32: UInt32] = [:]
    public var memoryMax: UInt64 = 0
    public var threadCount: UInt32 = 0
    /// INVALID_REGION_SEGID until set_shm_key.
    public var shmKey: Int = -1

    // Mutexes.
    public var mutexAlign: UInt32 = 0
    public var mutexIncrement: UInt32 = 0
    public var mutexInit: UInt32 = 0
    public var mutexMax: UInt32 = 0
    public var mutexTasSpins: UInt32 = 0

    /// DB_VERB_* bits; libdb's replication setup turns DB_VERB_REP_SYSTEM on
    /// in every new handle (__rep_env_create).
    public var verbose: UInt32 = UInt32(DB_VERB_REP_SYSTEM)
    /// ENV_DEF_DATA_LEN: how much of a data item printing shows.
    public var dataLength: UInt32 = 100

    // Encryption (Debian's libdb is built with cryptography).
    public var password: String?
    public var encryptFlags: UInt32 = 0

    public init() {}

    static func defaultLockPartitions() -> UInt32 {
        let cpus = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return cpus > 1 ? 10 * UInt32(cpus) : 1
    }
}
