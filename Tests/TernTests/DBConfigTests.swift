// Engine-level checks of DB handle and DB_SEQUENCE configuration: libdb's
// order of checks, partial application, access-method narrowing, and the
// sequence methods (reachable here by marking the database opened, which the
// C compatibility cases cannot do until DB->open exists).
import CBerkeleyDB
import Glibc
import Testing
@testable import Tern
import TernEngine

@Suite(.serialized) struct DBConfigTests {
    func database() -> Database { Database(environment: Environment()) }

    @Test func setFlagsAppliesEarlierMappingsBeforeFailing() {
        let db = database()
        #expect(throws: DBError.illegalFlag("DB->set_flags")) {
            try db.setFlags(UInt32(DB_CHKSUM) | 0x8000_0000)
        }
        #expect(db.publicFlags == UInt32(DB_CHKSUM))
    }

    @Test func duplicatesAndRecordNumbersExcludeEachOther() throws {
        let db = database()
        try db.setFlags(UInt32(DB_DUP))
        #expect(throws: DBError.illegalFlagCombination("DB->set_flags")) { try db.setFlags(UInt32(DB_RECNUM)) }
        try db.setFlags(UInt32(DB_DUPSORT))
        #expect(db.publicFlags == UInt32(DB_DUP | DB_DUPSORT))
        #expect(throws: DBError.illegalFlagCombination("DB->set_flags")) {
            try database().setFlags(UInt32(DB_DUP | DB_RECNUM))
        }
    }

    @Test func accessMethodCallsNarrowAndConflict() throws {
        let db = database()
        _ = try db.btreeMinKey()            // getters narrow too
        #expect(db.config.accessMethods == .btree)
        let conflict = DBError.invalid("BDB0506 call implies an access method which is inconsistent with previous calls")
        #expect(throws: conflict) { try db.setHashFillFactor(3) }
        #expect(throws: conflict) { try db.setFlags(UInt32(DB_RENUMBER)) }
        // Queue's DB_INORDER and the extent size are not method-checked.
        try db.setFlags(UInt32(DB_INORDER))
        try db.setQueueExtentSize(4)
        #expect(db.config.qExtentSize == 4)
    }

    @Test func pageSizeLimits() throws {
        let db = database()
        #expect(throws: DBError.invalid("BDB0509 page sizes may not be smaller than 512")) { try db.setPageSize(256) }
        #expect(throws: DBError.invalid("BDB0510 page sizes may not be larger than 65536")) { try db.setPageSize(1 << 17) }
        #expect(throws: DBError.invalid("BDB0511 page sizes must be a power-of-2")) { try db.setPageSize(3000) }
        try db.setPageSize(1024)
        #expect(db.config.pageSize == 1024)
    }

    @Test func configurationIsRefusedAfterOpen() {
        let db = database()
        db.markOpened()
        #expect(throws: DBError.illegalAfterOpen("DB->set_pagesize")) { try db.setPageSize(1024) }
        #expect(throws: DBError.illegalAfterOpen("DB->set_flags")) { try db.setFlags(UInt32(DB_DUP)) }
        #expect(throws: DBError.illegalAfterOpen("DB->set_extentsize")) { try db.setQueueExtentSize(2) }
    }

    @Test func customCompareDropsDefaultPrefixAndDupSortGetsDefaultCompare() throws {
        let db = database()
        try db.setBtreeCompare(DefaultRoutines.compare)
        guard case .none = db.config.btPrefix else { Issue.record("prefix kept"); return }
        try db.setFlags(UInt32(DB_DUPSORT))
        guard case .builtIn = db.config.duplicateCompare else { Issue.record("no default dup compare"); return }
    }

    @Test func defaultCompareOrdersLikeLibdb() {
        func cmp(_ a: [UInt8], _ b: [UInt8]) -> Int32 {
            var a = a, b = b
            return a.withUnsafeMutableBytes { pa in
                b.withUnsafeMutableBytes { pb in
                    var x = DBT(), y = DBT()
                    x.data = pa.baseAddress; x.size = UInt32(pa.count)
                    y.data = pb.baseAddress; y.size = UInt32(pb.count)
                    return DefaultRoutines.compare(nil, &x, &y)
                }
            }
        }
        #expect(cmp([1, 2], [1, 3]) < 0)
        #expect(cmp([0xff], [1, 2]) > 0)
        #expect(cmp([1], [1, 0]) < 0)
        #expect(cmp([], []) == 0)
    }

    @Test func byteOrder() throws {
        let db = database()
        try db.setByteOrder(4321)
        #expect(db.byteOrder == 4321)
        #expect(throws: DBError.invalid("BDB0041 unsupported byte order, only big and little-endian supported")) {
            try db.setByteOrder(17)
        }
        try db.setByteOrder(0)
        #expect(db.byteOrder == 1234)
    }

    // MARK: - Sequences

    @Test func sequenceNeedsAnOpenedNonHeapDatabase() throws {
        let db = database()
        #expect(throws: DBError.illegalBeforeOpen("db_sequence_create")) { _ = try Sequence.create(on: db, flags: 0) }
        db.markOpened()
        #expect(throws: DBError.illegalFlag("db_sequence_create")) { _ = try Sequence.create(on: db, flags: 1) }
        db.type = DB_HEAP
        #expect(throws: DBError.invalid("BDB4016 Heap databases may not be used with sequences.")) {
            _ = try Sequence.create(on: db, flags: 0)
        }
    }

    @Test func sequenceConfiguration() throws {
        let db = database()
        db.markOpened()
        let seq = try Sequence.create(on: db, flags: 0)
        #expect(throws: DBError.invalid("BDB4007 Cache size must be >= 0")) { try seq.setCacheSize(-1) }
        try seq.setCacheSize(10)
        #expect(throws: DBError.illegalBeforeOpen("DB_SEQUENCE->get_cachesize")) { _ = try seq.getCacheSize() }
        #expect(throws: DBError.illegalFlag("DB_SEQUENCE->set_flags")) { try seq.setFlags(UInt32(DB_SEQ_RANGE_SET)) }
        #expect(throws: DBError.illegalFlagCombination("DB_SEQUENCE->set_flags")) {
            try seq.setFlags(UInt32(DB_SEQ_INC | DB_SEQ_DEC))
        }
        try seq.setFlags(UInt32(DB_SEQ_INC | DB_SEQ_WRAP))
        try seq.setFlags(UInt32(DB_SEQ_DEC))
        #expect(seq.recordFlags == UInt32(DB_SEQ_DEC | DB_SEQ_WRAP))
        // Without a range the initial value is not checked.
        try seq.setInitialValue(-5)
        #expect(throws: DBError.invalid("BDB4009 Minimum sequence value must be less than maximum sequence value")) {
            try seq.setRange(minimum: 3, maximum: 3)
        }
        try seq.setRange(minimum: 0, maximum: 100)
        #expect(throws: DBError.invalid("BDB4008 Sequence value out of range")) { try seq.setInitialValue(101) }
        try seq.setInitialValue(100)
        #expect(seq.value == 100)
        #expect(throws: DBError.invalid("BDB4014 Number of items to be cached is larger than the sequence range")) {
            try Sequence.checkCacheSize(11, minimum: 0, maximum: 10)
        }
        try Sequence.checkCacheSize(Int32.max, minimum: Int64.min, maximum: Int64.max)
    }

    @Test func sequenceHandleThroughTheCABI() throws {
        var dbp: UnsafeMutablePointer<DB>?
        #expect(db_create(&dbp, nil, 0) == 0)
        let db = try #require(dbp)
        var seqp: UnsafeMutablePointer<DB_SEQUENCE>?
        #expect(db_sequence_create(&seqp, db, 0) == EINVAL)
        #expect(seqp == nil)
        HandleSlot.box(db).database.markOpened()
        #expect(db_sequence_create(&seqp, db, 0) == 0)
        let seq = try #require(seqp)
        #expect(UnsupportedMethods.unset(seq) == [])
        var owner: UnsafeMutablePointer<DB>?
        #expect(seq.pointee.get_db(seq, &owner) == 0 && owner == db)
        #expect(seq.pointee.set_range(seq, -10, 10) == 0)
        #expect(seq.pointee.initial_value(seq, 11) == EINVAL)
        var flags: UInt32 = 0
        #expect(seq.pointee.get_flags(seq, &flags) == EINVAL)
        #expect(seq.pointee.close(seq, 1) == EINVAL)
        #expect(db.pointee.close(db, 0) == 0)
    }

    @Test func databaseHandleHasAnMpoolFileWithEveryMethodSet() throws {
        var dbp: UnsafeMutablePointer<DB>?
        #expect(db_create(&dbp, nil, 0) == 0)
        let db = try #require(dbp)
        let mpf = try #require(db.pointee.get_mpf(db))
        #expect(UnsupportedMethods.unset(mpf) == [])
        #expect(HandleSlot.dbenv(envSlot: mpf.pointee.env) == UnsafePointer(db.pointee.dbenv))
        #expect(db.pointee.close(db, 0) == 0)
    }
}
