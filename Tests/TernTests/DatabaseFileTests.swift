// Whole-database operations on a tree (DatabaseFiles.swift): truncate's
// count and page reuse, stat's counts and DB_FAST_STAT's saved ones,
// key_range's proportions, and renaming named databases.
import CBerkeleyDB
import Glibc
import Testing
@testable import TernEngine

@Suite struct DatabaseFileTests {
    func key(_ i: Int) -> [UInt8] {
        var s = String(i)
        while s.utf8.count < 5 { s = "0" + s }
        return bytes("k" + s)
    }

    @Test func truncateCountsRecordsAndFreesPages() throws {
        let (store, tree) = try makeTree(pageSize: 512, BtreeOptions(flags: .dup))
        #expect(try tree.truncate() == 0)
        for i in 0..<300 {
            for j in 0..<3 { try tree.put(key(i), bytes("v\(j)")) }
        }
        try tree.put(bytes("big"), [UInt8](repeating: 7, count: 5000))   // an overflow chain
        let before = store.lastPage
        #expect(try tree.truncate() == 901)
        #expect(errorCode { () throws(DBError) in _ = try tree.get(key(1)) } == DB_NOTFOUND)
        let s = try tree.statistics(fast: false, saveCounts: false)
        #expect(s.keys == 0 && s.data == 0 && s.levels == 1 && s.leafPages == 1)
        #expect(s.freePages == before - 1)   // pages 0...before but the meta and the root
        // Refilling reuses the freed pages.
        for i in 0..<300 { try tree.put(key(i), bytes("again")) }
        #expect(store.lastPage == before)
        _ = try Btree.verifyFile(store: store)
        #expect(store.outstandingPins == 0)
    }

    @Test func fullStatSavesCountsForFastStat() throws {
        let (store, tree) = try makeTree(pageSize: 512, BtreeOptions(flags: [.dup, .dupSort]))
        for i in 0..<50 {
            for j in 0..<4 { try tree.put(key(i), bytes("d\(j)")) }
        }
        var fast = try tree.statistics(fast: true, saveCounts: false)
        #expect(fast.keys == 0 && fast.data == 0)           // nothing saved yet
        let full = try tree.statistics(fast: false, saveCounts: true)
        #expect(full.keys == 50 && full.data == 200)
        #expect(full.metaFlags == 0x41 && full.minKey == 2 && full.pageSize == 512)
        #expect(full.levels >= 2 && full.internalPages >= 1 && full.pageCount == store.lastPage + 1)
        try tree.delete(key(0))
        fast = try tree.statistics(fast: true, saveCounts: false)
        #expect(fast.keys == 50 && fast.data == 200)        // the saved counts, stale by design
        // Saved in the meta page: a reopened tree sees them.
        let reopened = try Btree.open(store: store)
        fast = try reopened.statistics(fast: true, saveCounts: false)
        #expect(fast.keys == 50 && fast.data == 200)
        #expect(store.outstandingPins == 0)
    }

    @Test func recnumFastStatCountsKeysExactly() throws {
        let (_, tree) = try makeTree(pageSize: 512, BtreeOptions(flags: .recnum))
        for i in 0..<400 { try tree.put(key(i), bytes("v")) }
        var s = try tree.statistics(fast: true, saveCounts: false)
        #expect(s.keys == 400 && s.data == 0)
        try tree.delete(key(7))
        s = try tree.statistics(fast: true, saveCounts: false)
        #expect(s.keys == 399 && s.data == 0)
    }

    @Test func namedDatabaseStatsAreItsOwn() throws {
        let store = MemoryPageStore(pageSize: 512)
        let a = try Btree.open(store: store, subdatabase: bytes("a"), create: true)
        let b = try Btree.open(store: store, subdatabase: bytes("b"), create: true)
        for i in 0..<100 { try a.put(key(i), bytes("x")) }
        for i in 0..<10 { try b.put(key(i), bytes("y")) }
        let sb = try b.statistics(fast: false, saveCounts: true)
        #expect(sb.keys == 10)
        #expect(try a.statistics(fast: true, saveCounts: false).keys == 0)
        #expect(try b.statistics(fast: true, saveCounts: false).keys == 10)
        #expect(try a.truncate() == 100)
        #expect(try b.get(key(3)) == bytes("y"))
    }

    @Test func keyRangeProportions() throws {
        let (_, tree) = try makeTree(pageSize: 512)
        var r = try withBuffer(bytes("x")) { (k) throws(DBError) in try tree.keyRange(k) }
        #expect(r.less == 0 && r.equal == 0 && r.greater == 1)
        for i in 0..<2000 { try tree.put(key(i), bytes("value")) }
        var last = 0.0
        for i in stride(from: 0, to: 2000, by: 97) {
            r = try withBuffer(key(i)) { (k) throws(DBError) in try tree.keyRange(k) }
            #expect(r.equal > 0)
            #expect(abs(r.less + r.equal + r.greater - 1) < 1e-9)
            #expect(r.less >= last)
            last = r.less
            r = try withBuffer(key(i) + [0x2b]) { (k) throws(DBError) in try tree.keyRange(k) }
            #expect(r.equal == 0 && r.less >= last)
            last = r.less
        }
        r = try withBuffer(bytes("zzz")) { (k) throws(DBError) in try tree.keyRange(k) }
        #expect(abs(r.less - 1) < 1e-9 && r.equal == 0)
    }

    @Test func renameNamedDatabase() throws {
        let store = MemoryPageStore(pageSize: 512)
        let one = try Btree.open(store: store, subdatabase: bytes("one"), create: true)
        try one.put(bytes("k"), bytes("v"))
        _ = try Btree.open(store: store, subdatabase: bytes("two"), create: true)
        try Btree.renameSubdatabase(store: store, name: bytes("one"), to: bytes("uno"))
        #expect(try Btree.open(store: store).subdatabaseNames() == [bytes("two"), bytes("uno")])
        #expect(try Btree.open(store: store, subdatabase: bytes("uno")).get(bytes("k")) == bytes("v"))
        do throws(DBError) {
            try Btree.renameSubdatabase(store: store, name: bytes("uno"), to: bytes("two"))
            Issue.record("renamed onto an existing name")
        } catch {
            #expect(error.code == EEXIST && error.message == "BDB0673 rename: database two exists")
        }
        #expect(errorCode { () throws(DBError) in
            try Btree.renameSubdatabase(store: store, name: bytes("nope"), to: bytes("x"))
        } == ENOENT)
        #expect(errorCode { () throws(DBError) in
            _ = try Btree.open(store: store, subdatabase: bytes("two"), create: true, exclusive: true)
        } == EEXIST)
        #expect(errorCode { () throws(DBError) in try Btree.open(store: store).requireReadOnlyIfMaster(false) } == EINVAL)
    }

    /// The handle-level paths on a real file: flags, saved counts across a
    /// reopen, stat_print's lines, rename and remove of the file.
    @Test func databaseHandleOperations() throws {
        var template = Array("/tmp/tern-dbfiles-XXXXXX".utf8CString)
        let dir = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        defer { _ = rmdir(dir) }
        func handle() -> Database {
            let env = Environment()
            env.isPrivateToDatabase = true
            return Database(environment: env)
        }
        let db = handle()
        try db.open(file: "\(dir)/a.db", database: nil, type: DB_BTREE, flags: UInt32(DB_CREATE), mode: 0,
                    options: BtreeOptions())
        // Written through the tree (the handle's write path is tested elsewhere).
        let tree = try #require(db.opened?.tree)
        for i in 0..<120 { try tree.put(key(i), bytes("v")) }
        #expect(errorCode { () throws(DBError) in _ = try db.truncate(flags: 0x7777) } == EINVAL)
        #expect(errorCode { () throws(DBError) in _ = try db.statistics(flags: 0x7777) } == EINVAL)
        #expect(try db.statistics(flags: 0).keys == 120)
        let lines = try db.statPrintLines(flags: UInt32(DB_FAST_STAT))
        #expect(lines.contains("120\tNumber of unique keys in the tree"))
        #expect(lines.contains("1007\tOverflow key/data size"))
        try db.close(noSync: false)

        let again = handle()
        try again.open(file: "\(dir)/a.db", database: nil, type: DB_UNKNOWN, flags: 0, mode: 0, options: BtreeOptions())
        #expect(try again.statistics(flags: UInt32(DB_FAST_STAT)).data == 120)   // saved by the full stat
        #expect(try again.truncate(flags: 0) == 120)
        try again.close(noSync: false)

        let renamer = handle()
        #expect(errorCode { () throws(DBError) in try renamer.checkFileCall("DB->rename", flags: 0x4000) } == EINVAL)
        try renamer.rename(file: "\(dir)/a.db", database: nil, newName: "\(dir)/b.db")
        #expect(access("\(dir)/b.db", F_OK) == 0 && access("\(dir)/a.db", F_OK) != 0)
        try handle().remove(file: "\(dir)/b.db", database: nil)
        #expect(access("\(dir)/b.db", F_OK) != 0)
        #expect(errorCode { () throws(DBError) in try handle().remove(file: "\(dir)/b.db", database: nil) } == ENOENT)
    }
}
