// Argument checks of the data methods (DB->get, put, del, exists, cursor),
// in libdb's order and with its texts (__db_get_arg, __db_put_arg,
// __db_del_arg, __db_exists, __db_cursor_arg, __dbt_ferr in db_iface.c).
//
// The order matters: a call with several faults reports the first one libdb
// checks, so a C program sees the same code and the same single message.
// Each check returns the operation the engine is to perform, already decoded,
// so the C layer never interprets a flag itself.
import CBerkeleyDB
import Glibc

/// What the application put in a DBT besides its bytes: the flags and the
/// lengths the checks and the memory rules look at.
public struct ItemShape: Sendable, Equatable {
    public var flags: UInt32
    public var size: UInt32
    public var ulen: UInt32
    public var doff: UInt32
    public var dlen: UInt32

    public init(flags: UInt32 = 0, size: UInt32 = 0, ulen: UInt32 = 0, doff: UInt32 = 0, dlen: UInt32 = 0) {
        self.flags = flags
        self.size = size
        self.ulen = ulen
        self.doff = doff
        self.dlen = dlen
    }

    func has(_ flag: Int32) -> Bool { flags & UInt32(flag) != 0 }
}

/// The lookup DB->get performs after its checks.
public enum GetRequest: Sendable, Equatable {
    /// The key's first item (flags 0, DB_RMW).
    case key
    /// DB_GET_BOTH: the key/data pair.
    case both
    /// DB_SET_RECNO (DB_RECNUM trees): the record with that number.
    case recordNumber
}

/// The write DB->put performs after its checks (libdb's __dbc_put turns 0
/// and, without sorted duplicates, DB_OVERWRITE_DUP into DB_KEYLAST).
public enum PutRequest: Sendable, Equatable {
    /// Overwrite (no duplicates) or add a duplicate at the end of the set.
    case keyLast
    /// DB_NOOVERWRITE: DB_KEYEXIST if the key is present.
    case noOverwrite
    /// DB_NODUPDATA (sorted duplicates): DB_KEYEXIST, silently, if the pair is present.
    case noDupData
    /// DB_OVERWRITE_DUP with sorted duplicates: an equal pair is replaced.
    case overwriteDup
}

extension Database {
    /// libdb's LOCKING_ON: a lock subsystem (DB_INIT_LOCK or DB_INIT_CDB).
    var lockingOn: Bool { environment.isOn(.lock) }
    /// libdb's CDB_LOCKING.
    var cdbLocking: Bool { environment.phase == .opened && environment.openFlags & UInt32(DB_INIT_CDB) != 0 }
    /// DB_THREAD on the handle, or on its environment (libdb makes every
    /// handle of a DB_THREAD environment free-threaded).
    var isThreaded: Bool { (openFlags | environment.openFlags) & UInt32(DB_THREAD) != 0 }
    /// The tree's flags once open (an existing file's, whatever set_flags
    /// said), the configuration's before.
    var hasRecordNumbers: Bool { opened?.tree.recnum ?? config.flags.contains(.recnum) }
    var hasDuplicates: Bool { opened?.tree.hasDups ?? config.flags.contains(.dup) }
    var hasSortedDuplicates: Bool { opened?.tree.sorted ?? config.flags.contains(.dupSort) }

    /// libdb's __dbt_ferr: a DBT's flags, `name` being "key" or "data".
    /// `checkThread`: a DB_THREAD handle needs memory flags on a DBT the
    /// call returns into (the handle's own memory is not thread-safe).
    func checkItem(_ name: String, _ item: ItemShape, checkThread: Bool) throws(DBError) {
        let allowed = UInt32(DB_DBT_APPMALLOC | DB_DBT_BULK | DB_DBT_DUPOK | DB_DBT_MALLOC | DB_DBT_REALLOC
            | DB_DBT_USERCOPY | DB_DBT_USERMEM | DB_DBT_PARTIAL | DB_DBT_READONLY)
        if item.flags & ~allowed != 0 { throw .illegalFlag(name) }
        let memory = item.flags & UInt32(DB_DBT_MALLOC | DB_DBT_REALLOC | DB_DBT_USERCOPY | DB_DBT_USERMEM)
        if memory & (memory &- 1) != 0 { throw .illegalFlagCombination(name) }
        if item.has(DB_DBT_BULK) && item.has(DB_DBT_PARTIAL) {
            throw .invalid("BDB0629 Bulk and partial operations cannot be combined on \(name) DBT")
        }
        if checkThread && isThreaded && memory == 0 && !item.has(DB_DBT_READONLY) {
            throw .invalid("BDB0630 DB_THREAD mandates memory allocation flag on \(name) DBT")
        }
    }

    /// DB->get's checks (__db_get_pp, __db_get_arg). DB_AUTO_COMMIT and
    /// DB_IGNORE_LEASE are stripped first, as libdb does.
    public func checkGet(flags requested: UInt32, key: ItemShape, data: ItemShape) throws(DBError) -> GetRequest {
        let method = "DB->get"
        var flags = requested & ~UInt32(DB_AUTO_COMMIT | DB_IGNORE_LEASE)
        try requireOpened(method)
        var dirty = false
        let isolation = UInt32(DB_READ_COMMITTED | DB_READ_UNCOMMITTED | DB_RMW)
        if flags & isolation != 0 {
            if !lockingOn { throw .invalid("BDB0056 \(method): DB_READ_COMMITTED, DB_READ_UNCOMMITTED and DB_RMW require locking") }
            if flags & UInt32(DB_READ_COMMITTED) != 0 && flags & UInt32(DB_READ_UNCOMMITTED) != 0 {
                throw .illegalFlagCombination(method)
            }
            dirty = flags & UInt32(DB_READ_COMMITTED | DB_READ_UNCOMMITTED) != 0
            flags &= ~isolation
        }
        var multiple = false
        if flags & UInt32(DB_MULTIPLE | DB_MULTIPLE_KEY) != 0 {
            if flags & UInt32(DB_MULTIPLE_KEY) != 0 { throw .illegalFlagCombination(method) }
            multiple = true
            flags &= ~UInt32(DB_MULTIPLE)
        }
        let request: GetRequest
        switch flags {
        case 0: request = .key
        case UInt32(DB_GET_BOTH): request = .both
        case UInt32(DB_SET_RECNO):
            guard hasRecordNumbers else { throw .illegalFlag(method) }
            request = .recordNumber
        case UInt32(DB_CONSUME), UInt32(DB_CONSUME_WAIT):
            if dirty {
                let which = requested & UInt32(DB_READ_UNCOMMITTED) != 0 ? "DB_READ_UNCOMMITTED" : "DB_READ_COMMITTED"
                throw .invalid("BDB0583 \(which) is not supported with DB_CONSUME or DB_CONSUME_WAIT")
            }
            if multiple { throw .illegalFlagCombination(method) }
            throw .illegalFlag(method)   // Queue only
        default:
            throw .illegalFlag(method)
        }
        // DB_RETURNS_A_KEY: only DB_SET_RECNO returns a key here (Tern's
        // comparators are applied on the C side, so a custom one counts too).
        let returnsKey = request == .recordNumber || { if case .custom = config.btCompare { return true }; return false }()
        try checkItem("key", key, checkThread: returnsKey)
        if data.has(DB_DBT_READONLY) { throw .invalid("BDB0584 DB_DBT_READONLY should not be set on data DBT.") }
        try checkItem("data", data, checkThread: true)
        if multiple {
            if !data.has(DB_DBT_USERMEM) { throw .invalid("BDB0585 DB_MULTIPLE requires DB_DBT_USERMEM be set") }
            if key.has(DB_DBT_PARTIAL) || data.has(DB_DBT_PARTIAL) {
                throw .invalid("BDB0586 DB_MULTIPLE does not support DB_DBT_PARTIAL")
            }
            let pageSize = config.pageSize == 0 ? 4096 : config.pageSize
            if data.ulen < 1024 || data.ulen < pageSize || data.ulen % 1024 != 0 {
                throw .invalid("BDB0587 DB_MULTIPLE buffers must be aligned, at least page size and multiples of 1KB")
            }
        }
        if key.has(DB_DBT_PARTIAL) { throw .invalid("BDB0708 Invalid positioning flag combined with DB_DBT_PARTIAL") }
        if multiple { throw .notSupported("DB->get with DB_MULTIPLE") }
        return request
    }

    /// DB->exists' own check (__db_exists); the rest is DB->get's.
    public func checkExists(flags: UInt32) throws(DBError) -> UInt32 {
        let flags = flags & ~UInt32(DB_AUTO_COMMIT)
        if flags & ~UInt32(DB_READ_COMMITTED | DB_READ_UNCOMMITTED | DB_RMW) != 0 {
            throw .illegalFlag("DB->exists")
        }
        return flags
    }

    /// DB->put's checks (__db_put_pp, __db_put_arg), then the flags
    /// __bamc_put accepts: any other bit makes it "Unknown flag".
    public func checkPut(flags requested: UInt32, key: ItemShape, data: ItemShape) throws(DBError) -> PutRequest {
        let method = "DB->put"
        let flags = requested & ~UInt32(DB_AUTO_COMMIT)
        try requireOpened(method)
        try requireWritable(method)
        let opMask = UInt32(DB_OPFLAGS_MASK)
        let bulk = UInt32(DB_MULTIPLE | DB_MULTIPLE_KEY)
        if flags & bulk != 0 {
            if flags & bulk == bulk { throw .illegalFlag(method) }
            switch flags & opMask {
            case 0, UInt32(DB_OVERWRITE_DUP): break
            default: throw .invalid("BDB0605 DB->put: DB_MULTIPLE(_KEY) can only be combined with DB_OVERWRITE_DUP")
            }
            if !key.has(DB_DBT_BULK) { throw .invalid("BDB0606 DB->put with DB_MULTIPLE(_KEY) requires a bulk key buffer") }
        }
        if flags & UInt32(DB_MULTIPLE) != 0 && !data.has(DB_DBT_BULK) {
            throw .invalid("BDB0607 DB->put with DB_MULTIPLE requires a bulk data buffer")
        }
        let sorted = hasSortedDuplicates
        switch flags & opMask {
        case 0, UInt32(DB_NOOVERWRITE), UInt32(DB_OVERWRITE_DUP): break
        case UInt32(DB_NODUPDATA) where sorted: break
        default: throw .illegalFlag(method)   // DB_APPEND is Recno/Queue/Heap only
        }
        try checkItem("key", key, checkThread: false)
        if flags & UInt32(DB_MULTIPLE_KEY) == 0 { try checkItem("data", data, checkThread: false) }
        if key.has(DB_DBT_PARTIAL) { throw .illegalFlag("key DBT") }
        if data.has(DB_DBT_PARTIAL) && (hasDuplicates || sorted || key.has(DB_DBT_DUPOK)) {
            throw .invalid("BDB0608 a partial put in the presence of duplicates requires a cursor operation")
        }
        if flags & bulk != 0 { throw .notSupported("DB->put with DB_MULTIPLE or DB_MULTIPLE_KEY") }
        switch flags {
        case 0: return .keyLast
        case UInt32(DB_NOOVERWRITE): return .noOverwrite
        case UInt32(DB_NODUPDATA): return .noDupData
        case UInt32(DB_OVERWRITE_DUP): return sorted ? .overwriteDup : .keyLast
        default:
            throw .invalid("BDB0093 __bamc_put: Unknown flag: \(Self.hex(flags))")
        }
    }

    /// DB->del's checks (__db_del_pp, __db_del_arg).
    public func checkDelete(flags requested: UInt32, key: ItemShape) throws(DBError) {
        let method = "DB->del"
        let flags = requested & ~UInt32(DB_AUTO_COMMIT)
        try requireOpened(method)
        try requireWritable(method)
        switch flags {
        case 0: break
        case UInt32(DB_MULTIPLE), UInt32(DB_MULTIPLE_KEY):
            if !key.has(DB_DBT_BULK) {
                throw .invalid("BDB0581 DB->del with DB_MULTIPLE(_KEY) requires multiple key records")
            }
            throw .notSupported("DB->del with DB_MULTIPLE or DB_MULTIPLE_KEY")
        default:
            throw .illegalFlag(method)   // DB_CONSUME is Queue only
        }
    }

    /// DB->cursor's checks (__db_cursor_arg).
    public func checkCursor(flags requested: UInt32) throws(DBError) {
        let method = "DB->cursor"
        try requireOpened(method)
        var flags = requested
        if flags & UInt32(DB_READ_COMMITTED | DB_READ_UNCOMMITTED) != 0 && !lockingOn {
            throw .invalid("BDB0056 \(method): DB_READ_COMMITTED, DB_READ_UNCOMMITTED and DB_RMW require locking")
        }
        flags &= ~UInt32(DB_CURSOR_BULK | DB_READ_COMMITTED | DB_READ_UNCOMMITTED | DB_TXN_SNAPSHOT)
        if flags & UInt32(DB_WRITECURSOR) != 0 {
            if isReadOnly { throw Self.readOnly(method) }
            if !cdbLocking { throw .illegalFlag(method) }
            flags &= ~UInt32(DB_WRITECURSOR)
        } else if flags & UInt32(DB_WRITELOCK) != 0 {
            if isReadOnly { throw Self.readOnly(method) }
            flags &= ~UInt32(DB_WRITELOCK)
        }
        if flags != 0 { throw .illegalFlag(method) }
    }

    /// libdb's __db_rdonly.
    static func readOnly(_ method: String) -> DBError {
        DBError(EACCES, "BDB0111 \(method): attempt to modify a read-only database")
    }

    /// C's %#x: "0" for zero, else 0x and lowercase hex digits.
    static func hex(_ value: UInt32) -> String {
        value == 0 ? "0" : "0x" + String(value, radix: 16)
    }
}
