// DatabaseConfig: what the application configured on a DB handle before
// open, in libdb's units and with libdb's defaults, so every getter returns
// what libdb's returns before and after a setter. Locking rule: see Database.
//
// Application callbacks are C function pointers; the engine stores them as
// given and the C ABI layer hands them back unchanged. Where libdb installs a
// routine of its own (the default Btree comparison and prefix routines, the
// default duplicate comparison), the value is `.builtIn` and the C layer
// returns Tern's equivalent routine.
import CBerkeleyDB

public typealias DBCompareFunction = @convention(c) (UnsafeMutablePointer<DB>?, UnsafePointer<DBT>?,
                                                      UnsafePointer<DBT>?) -> Int32
public typealias DBPrefixFunction = @convention(c) (UnsafeMutablePointer<DB>?, UnsafePointer<DBT>?,
                                                     UnsafePointer<DBT>?) -> Int
public typealias DBHashFunction = @convention(c) (UnsafeMutablePointer<DB>?, UnsafeRawPointer?, UInt32) -> UInt32
public typealias DBAppendRecnoFunction = @convention(c) (UnsafeMutablePointer<DB>?, UnsafeMutablePointer<DBT>?,
                                                          db_recno_t) -> Int32
public typealias DBFeedbackFunction = @convention(c) (UnsafeMutablePointer<DB>?, Int32, Int32) -> Void
public typealias DBCompressFunction = @convention(c) (UnsafeMutablePointer<DB>?, UnsafePointer<DBT>?,
                                                       UnsafePointer<DBT>?, UnsafePointer<DBT>?,
                                                       UnsafePointer<DBT>?, UnsafeMutablePointer<DBT>?) -> Int32
public typealias DBDecompressFunction = @convention(c) (UnsafeMutablePointer<DB>?, UnsafePointer<DBT>?,
                                                         UnsafePointer<DBT>?, UnsafeMutablePointer<DBT>?,
                                                         UnsafeMutablePointer<DBT>?, UnsafeMutablePointer<DBT>?) -> Int32
public typealias DBPartitionFunction = @convention(c) (UnsafeMutablePointer<DB>?, UnsafeMutablePointer<DBT>?) -> UInt32

/// A routine slot: empty, libdb's own routine, or the application's.
public enum Routine<F> {
    case none
    case builtIn
    case custom(F)

    public init(_ f: F?) { self = f.map { .custom($0) } ?? .none }
}

/// The access methods a DB handle may still become. libdb starts with all
/// five and narrows the set at every access-method-specific call (setters and
/// getters alike); a call that leaves nothing fails (DB_ILLEGAL_METHOD).
public struct AccessMethods: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let btree = AccessMethods(rawValue: 1 << 0)
    public static let hash = AccessMethods(rawValue: 1 << 1)
    public static let heap = AccessMethods(rawValue: 1 << 2)
    public static let queue = AccessMethods(rawValue: 1 << 3)
    public static let recno = AccessMethods(rawValue: 1 << 4)
    public static let all: AccessMethods = [.btree, .hash, .heap, .queue, .recno]
}

/// libdb's internal DB_AM_* state bits that the public DB->set_flags values
/// map onto (several public flags set more than one: DB_DUPSORT implies
/// duplicates, DB_ENCRYPT implies checksums), plus the bits other setters set.
public struct DatabaseStateFlags: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let checksum = DatabaseStateFlags(rawValue: 1 << 0)
    public static let encrypt = DatabaseStateFlags(rawValue: 1 << 1)
    public static let notDurable = DatabaseStateFlags(rawValue: 1 << 2)
    public static let dup = DatabaseStateFlags(rawValue: 1 << 3)
    public static let dupSort = DatabaseStateFlags(rawValue: 1 << 4)
    public static let recnum = DatabaseStateFlags(rawValue: 1 << 5)
    public static let revSplitOff = DatabaseStateFlags(rawValue: 1 << 6)
    public static let renumber = DatabaseStateFlags(rawValue: 1 << 7)
    public static let snapshot = DatabaseStateFlags(rawValue: 1 << 8)
    public static let inOrder = DatabaseStateFlags(rawValue: 1 << 9)
    /// Byte order differs from the host's (set_lorder).
    public static let swap = DatabaseStateFlags(rawValue: 1 << 10)
    /// set_re_delim, set_re_len, set_re_pad were called.
    public static let delimiter = DatabaseStateFlags(rawValue: 1 << 11)
    public static let fixedLength = DatabaseStateFlags(rawValue: 1 << 12)
    public static let pad = DatabaseStateFlags(rawValue: 1 << 13)
    /// set_bt_compress was called.
    public static let compress = DatabaseStateFlags(rawValue: 1 << 14)
    /// set_lk_exclusive.
    public static let exclusive = DatabaseStateFlags(rawValue: 1 << 15)
    public static let exclusiveNoWait = DatabaseStateFlags(rawValue: 1 << 16)
}

/// What DB->set_partition / set_partition_dirs recorded.
public struct PartitionConfig {
    public var byRange = false
    public var byCallback = false
    public var count: UInt32 = 0
    /// The application's key array, kept as given (libdb keeps the pointer).
    public var keys: UnsafeMutablePointer<DBT>?
    public var callback: DBPartitionFunction?
    /// Directory names from set_partition_dirs, nil when never set.
    public var directories: [String]?
}

public struct DatabaseConfig {
    public var flags: DatabaseStateFlags = []
    public var accessMethods: AccessMethods = .all

    /// 0 until set: the page size is chosen at open (get_pagesize returns 0).
    public var pageSize: UInt32 = 0
    /// DB_PRIORITY_UNCHANGED until set; the getter then reports the file's.
    public var priority: DB_CACHE_PRIORITY = DB_PRIORITY_UNCHANGED

    // Btree.
    public var btMinKey: UInt32 = 2
    public var btCompare: Routine<DBCompareFunction> = .builtIn
    public var btPrefix: Routine<DBPrefixFunction> = .builtIn
    public var btCompress: Routine<DBCompressFunction> = .none
    public var btDecompress: Routine<DBDecompressFunction> = .none
    /// libdb's dbp->dup_compare. With compression on, libdb puts its own
    /// wrapper there and keeps the application's routine in
    /// `compressDupCompare`; `duplicateCompare` below gives the routine the
    /// application sees.
    public var dupCompare: Routine<DBCompareFunction> = .none
    public var dupCompareIsCompressWrapper = false
    public var compressDupCompare: Routine<DBCompareFunction> = .none

    // Hash.
    public var hFillFactor: UInt32 = 0
    public var hNelem: UInt32 = 0
    public var hHash: DBHashFunction?
    public var hCompare: DBCompareFunction?

    // Recno and Queue.
    public var reDelim: Int32 = 0x0a
    public var reLength: UInt32 = 0
    public var rePad: Int32 = 0x20
    public var reSource: String?
    public var qExtentSize: UInt32 = 0
    public var appendRecno: DBAppendRecnoFunction?

    // Heap.
    public var heapSizeGigabytes: UInt32 = 0
    public var heapSizeBytes: UInt32 = 0
    public var heapRegionSize: UInt32 = 0

    public var feedback: DBFeedbackFunction?
    /// The data directory set_create_dir chose, nil until set.
    public var createDirectory: String?
    /// nil until set_partition or set_partition_dirs.
    public var partition: PartitionConfig?

    public init() {}

    /// The duplicate comparison the application sees (DB->get_dup_compare).
    public var duplicateCompare: Routine<DBCompareFunction> {
        flags.contains(.compress) ? compressDupCompare : dupCompare
    }
}
