// Named databases sharing one file: isolation, reopening, removal and page
// reuse through the shared free list.
import CBerkeleyDB
import Glibc
import Testing
@testable import TernEngine

@Suite struct BtreeSubdatabaseTests {
    @Test func namedTreesShareAFile() throws {
        let store = MemoryPageStore(pageSize: 512)
        let a = try Btree.open(store: store, subdatabase: bytes("alpha"), create: true)
        let b = try Btree.open(store: store, subdatabase: bytes("beta"), options: BtreeOptions(flags: .dupSort), create: true)
        let c = try Btree.open(store: store, subdatabase: bytes("gamma"), options: BtreeOptions(flags: .recnum), create: true)
        for i in 0..<800 {
            try a.put(bytes("k\(i)"), bytes("a\(i)"))
            try b.put(bytes("k\(i % 10)"), bytes("b\(i)"))
            try c.put(bytes(format5(i)), [UInt8](repeating: 1, count: i % 100 == 0 ? 900 : 5))
        }
        #expect(try a.get(bytes("k5")) == bytes("a5"))
        #expect(try b.get(bytes("k5")) == bytes("b105"))
        #expect(errorCode { () throws(DBError) in _ = try c.get(bytes("k5")) } == DB_NOTFOUND)
        let stats = try Btree.verifyFile(store: store)
        #expect(stats.entries == 2400 + 3)   // and the master's three names
        // Reopen by name: flags come from each database's meta.
        let b2 = try Btree.open(store: store, subdatabase: bytes("beta"))
        #expect(b2.flags.contains(.dupSort))
        let cur = b2.cursor()
        try cur.get(.set, key: bytes("k3"))
        #expect(try cur.count() == 80)
        let c2 = try Btree.open(store: store, subdatabase: bytes("gamma"))
        #expect(try c2.cursor().get(.setRecno(101)).key == bytes(format5(100)))
        #expect(try Btree.open(store: store).subdatabaseNames() == [bytes("alpha"), bytes("beta"), bytes("gamma")])
        // Removal frees every page; a new database reuses them.
        let before = store.lastPage
        try Btree.removeSubdatabase(store: store, name: bytes("alpha"))
        #expect(errorCode { () throws(DBError) in _ = try Btree.open(store: store, subdatabase: bytes("alpha")) } == ENOENT)
        let s2 = try Btree.verifyFile(store: store)
        #expect(s2.entries == 1600 + 2 && s2.freePages > 10)
        let d = try Btree.open(store: store, subdatabase: bytes("delta"), create: true)
        for i in 0..<800 { try d.put(bytes("k\(i)"), bytes("a\(i)")) }
        #expect(store.lastPage == before)
        _ = try Btree.verifyFile(store: store)
        #expect(store.outstandingPins == 0)
    }

    @Test func namesAndPlainFilesDoNotMix() throws {
        let (store, _) = try makeTree()
        do throws(DBError) {
            _ = try Btree.open(store: store, subdatabase: bytes("x"), create: true, fileName: "plain.db")
            Issue.record("opened a name in a single-database file")
        } catch {
            #expect(error.code == EINVAL)
            #expect(error.message == "BDB1014 plain.db: multiple databases specified but not supported by file")
        }
        #expect(errorCode { () throws(DBError) in _ = try Btree.open(store: MemoryPageStore(), subdatabase: bytes("x")) } == ENOENT)
        // libdb's DB->remove of a name in a single-database file: BDB1014.
        #expect(errorCode { () throws(DBError) in try Btree.removeSubdatabase(store: store, name: bytes("x")) } == EINVAL)
    }
}
