// Sequence: one DB_SEQUENCE handle's engine-side state, configured before
// DB_SEQUENCE->open with libdb 5.3.28's checks and messages.
//
// Invariants:
// - A sequence exists only on an opened, non-Heap database (checked by
//   `create`, as libdb's db_sequence_create).
// - The record fields start as libdb's calloc'd DB_SEQ_RECORD: value, min,
//   max and flags all 0. open supplies the defaults libdb supplies there
//   (range INT64_MIN...INT64_MAX unless set_range was called, DB_SEQ_INC
//   unless DB_SEQ_DEC was set).
// - "Open" means a key is stored (libdb's SEQ_IS_OPEN tests seq_key.data);
//   configuration setters refuse after it, getters before it.
//
// Locking rule: as libdb's, a sequence is configured from one thread before
// open; DB_THREAD sequences synchronise their get in the engine.
import CBerkeleyDB

public final class Sequence {
    /// The database the sequence lives in.
    public let database: Database
    public private(set) var value: Int64 = 0
    public private(set) var minimum: Int64 = 0
    public private(set) var maximum: Int64 = 0
    /// DB_SEQ_INC, DB_SEQ_DEC, DB_SEQ_WRAP, DB_SEQ_RANGE_SET.
    public private(set) var recordFlags: UInt32 = 0
    public private(set) var cacheSize: Int32 = 0
    /// The key given to open; nil until the sequence is open.
    public private(set) var key: [UInt8]?

    private static let settableFlags = UInt32(DB_SEQ_WRAP | DB_SEQ_INC | DB_SEQ_DEC)

    private init(database: Database) { self.database = database }

    /// db_sequence_create's checks, in libdb's order.
    public static func create(on database: Database, flags: UInt32) throws(DBError) -> Sequence {
        try database.requireOpened("db_sequence_create")
        if flags != 0 { throw .illegalFlag("db_sequence_create") }
        if database.type == DB_HEAP {
            throw .invalid("BDB4016 Heap databases may not be used with sequences.")
        }
        return Sequence(database: database)
    }

    public var isOpen: Bool { key != nil }

    private func requireNotOpened(_ method: String) throws(DBError) {
        if isOpen { throw .illegalAfterOpen(method) }
    }

    private func requireOpened(_ method: String) throws(DBError) {
        if !isOpen { throw .illegalBeforeOpen(method) }
    }

    /// Also allowed after open, where the cache must fit in the range.
    public func setCacheSize(_ size: Int32) throws(DBError) {
        if size < 0 { throw .invalid("BDB4007 Cache size must be >= 0") }
        if isOpen { try Sequence.checkCacheSize(size, minimum: minimum, maximum: maximum) }
        cacheSize = size
    }

    public func getCacheSize() throws(DBError) -> Int32 {
        try requireOpened("DB_SEQUENCE->get_cachesize")
        return cacheSize
    }

    /// libdb's __seq_chk_cachesize: the range width, computed in unsigned
    /// two's complement so that any min/max pair fits.
    public static func checkCacheSize(_ size: Int32, minimum: Int64, maximum: Int64) throws(DBError) {
        let width = UInt64(bitPattern: maximum) &- UInt64(bitPattern: minimum)
        if UInt64(UInt32(bitPattern: size)) > width {
            throw .invalid("BDB4014 Number of items to be cached is larger than the sequence range")
        }
    }

    /// DB_SEQ_INC and DB_SEQ_DEC replace each other; DB_SEQ_WRAP adds.
    public func setFlags(_ flags: UInt32) throws(DBError) {
        try requireNotOpened("DB_SEQUENCE->set_flags")
        if flags & ~Sequence.settableFlags != 0 { throw .illegalFlag("DB_SEQUENCE->set_flags") }
        let inc = UInt32(DB_SEQ_INC), dec = UInt32(DB_SEQ_DEC)
        if flags & inc != 0 && flags & dec != 0 {
            throw .illegalFlagCombination("DB_SEQUENCE->set_flags")
        }
        if flags & (inc | dec) != 0 { recordFlags &= ~(inc | dec) }
        recordFlags |= flags
    }

    public func getFlags() throws(DBError) -> UInt32 {
        try requireOpened("DB_SEQUENCE->get_flags")
        return recordFlags & Sequence.settableFlags
    }

    /// Checked against the range only when set_range was called first.
    public func setInitialValue(_ value: Int64) throws(DBError) {
        try requireNotOpened("DB_SEQUENCE->initial_value")
        if recordFlags & UInt32(DB_SEQ_RANGE_SET) != 0 && (value > maximum || value < minimum) {
            throw .invalid("BDB4008 Sequence value out of range")
        }
        self.value = value
    }

    public func setRange(minimum: Int64, maximum: Int64) throws(DBError) {
        try requireNotOpened("DB_SEQUENCE->set_range")
        if minimum >= maximum {
            throw .invalid("BDB4009 Minimum sequence value must be less than maximum sequence value")
        }
        self.minimum = minimum
        self.maximum = maximum
        recordFlags |= UInt32(DB_SEQ_RANGE_SET)
    }

    public func getRange() throws(DBError) -> (minimum: Int64, maximum: Int64) {
        try requireOpened("DB_SEQUENCE->get_range")
        return (minimum, maximum)
    }

    public func getKey() throws(DBError) -> [UInt8] {
        try requireOpened("DB_SEQUENCE->get_key")
        return key ?? []
    }

    /// The checks libdb makes before touching the database in get, remove,
    /// stat and stat_print: all need an open sequence. `method` is libdb's
    /// name ("DB_SEQUENCE->get", ...).
    public func requireOpen(for method: String) throws(DBError) {
        try requireOpened(method)
    }

    /// DB_SEQUENCE->close: a flag error is reported, but the handle is
    /// released all the same (libdb's close cannot fail to close).
    public static func closeFlagsError(_ flags: UInt32) -> DBError? {
        flags != 0 ? .illegalFlag("DB_SEQUENCE->close") : nil
    }
}
