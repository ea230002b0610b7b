// Database-level access: libdb's argument checks for DB->get/put/del/cursor
// and DB->open (order and texts), DB_OVERWRITE_DUP, DB_SET_RECNO, partial
// puts and files that are not databases. Each test runs in its own scratch
// directory with a database-private environment, as db_create(NULL) makes.
import CBerkeleyDB
import Glibc
import Testing
@testable import TernEngine

@Suite struct DatabaseAccessTests {
    /// A fresh database handle in a private environment.
    func handle(_ set: DatabaseStateFlags = []) -> Database {
        let env = Environment()
        env.isPrivateToDatabase = true
        let db = Database(environment: env)
        db.config.flags.formUnion(set)
        return db
    }

    /// A scratch directory, removed with its files at the end.
    func inScratch(_ body: (String) throws -> Void) throws {
        var template = Array("/tmp/tern-dbaccess-XXXXXX".utf8CString)
        let dir = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        defer { _ = system("rm -rf '\(dir)'") }
        try body(dir)
    }

    func code(_ body: () throws(DBError) -> Void) -> DBError? {
        do throws(DBError) { try body(); return nil } catch { return error }
    }

    func put(_ db: Database, _ k: String, _ d: String, _ r: PutRequest = .keyLast) throws(DBError) {
        try withBuffer(Array(k.utf8)) { (kb) throws(DBError) in
            try withBuffer(Array(d.utf8)) { (db2) throws(DBError) in try db.put(key: kb, data: db2, r, autoCommit: false) }
        }
    }

    @Test func getChecksFollowLibdbOrder() throws {
        try inScratch { dir in
            let db = handle()
            try db.open(file: dir + "/a.db", database: nil, type: DB_BTREE, flags: UInt32(DB_CREATE), mode: 0,
                        options: BtreeOptions())
            // DB_RMW needs locking, checked before the operation itself.
            let e = code { () throws(DBError) in _ = try db.checkGet(flags: 0x12345, key: ItemShape(), data: ItemShape()) }
            #expect(e?.message == "BDB0056 DB->get: DB_READ_COMMITTED, DB_READ_UNCOMMITTED and DB_RMW require locking")
            let m = code { () throws(DBError) in _ = try db.checkGet(flags: UInt32(DB_MULTIPLE), key: ItemShape(), data: ItemShape()) }
            #expect(m?.message == "BDB0585 DB_MULTIPLE requires DB_DBT_USERMEM be set")
            let r = code { () throws(DBError) in _ = try db.checkGet(flags: UInt32(DB_SET_RECNO), key: ItemShape(), data: ItemShape()) }
            #expect(r?.message == "BDB0055 illegal flag specified to DB->get")
            let combo = ItemShape(flags: UInt32(DB_DBT_REALLOC | DB_DBT_USERMEM))
            let c = code { () throws(DBError) in _ = try db.checkGet(flags: 0, key: ItemShape(), data: combo) }
            #expect(c?.message == "BDB0054 illegal flag combination specified to data")
            let p = code { () throws(DBError) in
                _ = try db.checkGet(flags: 0, key: ItemShape(flags: UInt32(DB_DBT_PARTIAL)), data: ItemShape())
            }
            #expect(p?.message == "BDB0708 Invalid positioning flag combined with DB_DBT_PARTIAL")
            #expect(try db.checkGet(flags: UInt32(DB_GET_BOTH | DB_IGNORE_LEASE), key: ItemShape(), data: ItemShape()) == .both)
            try db.close(noSync: false)
        }
    }

    @Test func putFlagsAreOperationsNotBits() throws {
        try inScratch { dir in
            let db = handle([.dup, .dupSort])
            try db.open(file: dir + "/d.db", database: nil, type: DB_BTREE, flags: UInt32(DB_CREATE), mode: 0,
                        options: BtreeOptions(flags: [.dup, .dupSort]))
            // DB_NOOVERWRITE | DB_OVERWRITE_DUP is DB_OVERWRITE_DUP's value.
            #expect(try db.checkPut(flags: UInt32(DB_NOOVERWRITE | DB_OVERWRITE_DUP), key: ItemShape(), data: ItemShape()) == .overwriteDup)
            #expect(try db.checkPut(flags: UInt32(DB_NODUPDATA), key: ItemShape(), data: ItemShape()) == .noDupData)
            let u = code { () throws(DBError) in _ = try db.checkPut(flags: 0x4000_0000, key: ItemShape(), data: ItemShape()) }
            #expect(u?.message == "BDB0093 __bamc_put: Unknown flag: 0x40000000")
            try put(db, "k", "mu")
            #expect(code { () throws(DBError) in try put(db, "k", "mu") }?.code == DB_KEYEXIST)
            #expect(code { () throws(DBError) in try put(db, "k", "mu", .noDupData) }?.message == nil)
            try put(db, "k", "mu", .overwriteDup)
            try put(db, "k", "nu", .noDupData)
            let c = db.opened!.tree.cursor()
            try c.get(.set, key: Array("k".utf8))
            #expect(try c.count() == 2)
            try db.close(noSync: false)
        }
    }

    @Test func recordNumberKeysAreChecked() throws {
        try inScratch { dir in
            let db = handle([.recnum])
            try db.open(file: dir + "/r.db", database: nil, type: DB_BTREE, flags: UInt32(DB_CREATE), mode: 0,
                        options: BtreeOptions(flags: [.recnum]))
            try put(db, "b", "2")
            try put(db, "a", "1")
            #expect(try db.checkGet(flags: UInt32(DB_SET_RECNO), key: ItemShape(), data: ItemShape()) == .recordNumber)
            var two: UInt32 = 2
            let got = try withUnsafeBytes(of: &two) { raw in
                try db.get(.recordNumber, key: raw, data: UnsafeRawBufferPointer(start: nil, count: 0)) { (k, v) throws(DBError) in
                    (try k!.bytes(), try v.bytes())
                }
            }
            #expect(got.0 == Array("b".utf8) && got.1 == Array("2".utf8))
            #expect(code { () throws(DBError) in _ = try Database.recordNumber(UnsafeRawBufferPointer(start: nil, count: 0)) }?.message
                    == "BDB1001 illegal record number size")
            var zero: UInt32 = 0
            let z = withUnsafeBytes(of: &zero) { raw in code { () throws(DBError) in _ = try Database.recordNumber(raw) } }
            #expect(z?.message == "BDB1002 illegal record number of 0")
            try db.close(noSync: false)
        }
    }

    @Test func openRejectsFilesThatAreNotDatabases() throws {
        try inScratch { dir in
            let text = dir + "/text.db"
            let fd = Glibc.open(text, O_CREAT | O_WRONLY, 0o644)
            _ = Glibc.write(fd, "hello, world\n", 13)
            Glibc.close(fd)
            let e = code { () throws(DBError) in
                try handle().open(file: text, database: nil, type: DB_BTREE, flags: 0, mode: 0, options: BtreeOptions())
            }
            #expect(e?.message == "BDB0004 fop_read_meta: \(text): unexpected file type or format")
            // An empty file: DB_CREATE reports it, then initialises it.
            let empty = dir + "/empty.db"
            Glibc.close(Glibc.open(empty, O_CREAT | O_WRONLY, 0o644))
            let db = handle()
            let notices = try db.open(file: empty, database: nil, type: DB_BTREE, flags: UInt32(DB_CREATE), mode: 0,
                                      options: BtreeOptions())
            #expect(notices == ["BDB0004 fop_read_meta: \(empty): unexpected file type or format"])
            try db.close(noSync: false)
            let d = code { () throws(DBError) in
                try handle().open(file: dir, database: nil, type: DB_BTREE, flags: 0, mode: 0, options: BtreeOptions())
            }
            #expect(d == DBError(EISDIR))
            let missing = code { () throws(DBError) in
                try handle().open(file: dir + "/none.db", database: nil, type: DB_BTREE, flags: 0, mode: 0, options: BtreeOptions())
            }
            #expect(missing == DBError(ENOENT))
        }
    }

    @Test func openFlagChecks() {
        let combos: [(UInt32, DBTYPE, String)] = [
            (UInt32(DB_EXCL), DB_BTREE, "BDB0054 illegal flag combination specified to DB->open"),
            (UInt32(DB_RDONLY | DB_CREATE), DB_BTREE, "BDB0054 illegal flag combination specified to DB->open"),
            (UInt32(DB_CREATE), DB_UNKNOWN, "BDB0592 DB_UNKNOWN type specified with DB_CREATE or DB_TRUNCATE"),
            (UInt32(DB_CREATE), DBTYPE(rawValue: 42), "BDB0593 unknown type: 42"),
            (UInt32(DB_AUTO_COMMIT), DB_BTREE, "BDB0633 DB_AUTO_COMMIT may not be specified in non-transactional environment"),
            (UInt32(DB_MULTIVERSION), DB_BTREE, "BDB0597 DB_MULTIVERSION illegal without a transaction specified"),
        ]
        for (flags, type, message) in combos {
            let e = code { () throws(DBError) in
                try handle().open(file: "/nonexistent/x.db", database: nil, type: type, flags: flags, mode: 0,
                                  options: BtreeOptions())
            }
            #expect(e?.message == message)
        }
    }

    // MARK: Flags read from the file (libdb's __bam_metachk)

    func open(_ db: Database, _ path: String, create: Bool = false, _ options: BtreeOptions = BtreeOptions()) throws(DBError) {
        try db.open(file: path, database: nil, type: DB_BTREE, flags: create ? UInt32(DB_CREATE) : 0, mode: 0,
                    options: options)
    }

    @Test func fileFlagsAreAdoptedOnOpen() throws {
        try inScratch { dir in
            let creator = handle([.recnum])
            try open(creator, dir + "/r.db", create: true, BtreeOptions(flags: [.recnum]))
            try creator.close(noSync: false)
            let sorted = handle([.dup, .dupSort])
            try open(sorted, dir + "/s.db", create: true, BtreeOptions(flags: [.dup, .dupSort]))
            try sorted.close(noSync: false)

            // A handle configured with nothing reports what the file has.
            let plain = handle()
            try open(plain, dir + "/r.db")
            #expect(plain.publicFlags == UInt32(DB_RECNUM))
            try plain.close(noSync: false)
            // DB_DUP alone on a sorted file: DB_DUPSORT and its comparison
            // come from the file.
            let dupOnly = handle([.dup])
            try open(dupOnly, dir + "/s.db", BtreeOptions(flags: [.dup]))
            #expect(dupOnly.publicFlags == UInt32(DB_DUP | DB_DUPSORT))
            if case .builtIn = dupOnly.config.dupCompare {} else { Issue.record("no default dup comparison") }
            try dupOnly.close(noSync: false)
        }
    }

    @Test func fileFlagsTheFileLacksAreRefused() throws {
        try inScratch { dir in
            let creator = handle([.recnum])
            try open(creator, dir + "/r.db", create: true, BtreeOptions(flags: [.recnum]))
            try creator.close(noSync: false)
            let dup = handle([.dup])
            try open(dup, dir + "/d.db", create: true, BtreeOptions(flags: [.dup]))
            try dup.close(noSync: false)

            let path = dir + "/r.db"
            let d = handle([.dup])
            #expect(code { () throws(DBError) in try open(d, path) }?.message
                    == "BDB1010 \(path): DB_DUP specified to open method but not set in database")
            // The converse: DB_RECNUM on a file made without it. DB_DUP is
            // adopted before the refusal, as libdb's handle shows.
            let r = handle([.recnum])
            let dpath = dir + "/d.db"
            #expect(code { () throws(DBError) in try open(r, dpath) }?.message
                    == "BDB1011 \(dpath): DB_RECNUM specified to open method but not set in database")
            #expect(r.publicFlags == UInt32(DB_DUP | DB_RECNUM))
            // A duplicate sort (DB_DUPSORT sets the default comparison) on
            // an unsorted file.
            let s = handle([.dup, .dupSort])
            s.config.dupCompare = .builtIn
            #expect(code { () throws(DBError) in try open(s, dpath) }?.message
                    == "BDB1015 \(dpath): duplicate sort specified but not supported in database")
        }
    }

    // MARK: Keys under a custom comparator

    @Test func getReturnsTheStoredKeyUnderACustomComparator() throws {
        try inScratch { dir in
            let folded: BtreeCompare = { a, b in
                let x = a.map { $0 | 0x20 }, y = b.map { $0 | 0x20 }
                return x.lexicographicallyPrecedes(y) ? -1 : x == y ? 0 : 1
            }
            let db = handle()
            try open(db, dir + "/c.db", create: true, BtreeOptions(compare: folded))
            try put(db, "Apple", "3")
            let empty = UnsafeRawBufferPointer(start: nil, count: 0)
            let got = try withBuffer(Array("aPPLE".utf8)) { (k) throws(DBError) in
                try db.get(.key, key: k, data: empty) { (k, v) throws(DBError) in (try k?.bytes(), try v.bytes()) }
            }
            #expect(got.0 == Array("Apple".utf8) && got.1 == Array("3".utf8))
            try db.close(noSync: false)

            // The default comparison returns no key: the caller's is the stored one.
            let plain = handle()
            try open(plain, dir + "/p.db", create: true)
            try put(plain, "Apple", "3")
            let k = try withBuffer(Array("Apple".utf8)) { (k) throws(DBError) in
                try plain.get(.key, key: k, data: empty) { (k, _) throws(DBError) in k == nil }
            }
            #expect(k)
            try plain.close(noSync: false)
        }
    }

    // MARK: Cursor puts with DB_DBT_PARTIAL

    func cursorData(_ c: DatabaseCursor) throws(DBError) -> String {
        try c.get(.current, key: nil, data: nil) { (_, v) throws(DBError) in String(decoding: try v.bytes(), as: UTF8.self) }
    }

    func cursorPut(_ c: DatabaseCursor, _ key: String?, _ data: String, _ op: BtreePutOp,
                   _ partial: (offset: Int, length: Int)?) throws(DBError) {
        try withBuffer(Array((key ?? "").utf8)) { (k) throws(DBError) in
            try withBuffer(Array(data.utf8)) { (d) throws(DBError) in
                try c.put(key: key == nil ? nil : k, data: d, op, partial: partial)
            }
        }
    }

    @Test func cursorPartialPutsSpliceIntoTheStoredItem() throws {
        try inScratch { dir in
            let db = handle()
            try open(db, dir + "/p.db", create: true)
            try put(db, "beta", "the quick brown fox")
            let c = try db.cursor()
            try withBuffer(Array("beta".utf8)) { (k) throws(DBError) in _ = try c.get(.set, key: k, data: nil) { (_, _) throws(DBError) in () } }
            try cursorPut(c, nil, "QUICK", .current, (4, 5))
            #expect(try cursorData(c) == "the QUICK brown fox")
            // A keyed put on an existing key (no duplicates) splices too.
            try cursorPut(c, "beta", "!", .keyFirst, (19, 0))
            #expect(try cursorData(c) == "the QUICK brown fox!")
            // A new key: the gap before the offset is zeros.
            try cursorPut(c, "gamma", "z", .keyFirst, (2, 0))
            #expect(try cursorData(c) == "\0\0z")
            try db.close(noSync: false)
        }
    }

    @Test func partialCurrentPutIntoSortedDuplicatesComparesTheSplicedItem() throws {
        try inScratch { dir in
            let db = handle([.dup, .dupSort])
            try open(db, dir + "/s.db", create: true, BtreeOptions(flags: [.dup, .dupSort]))
            try put(db, "k", "aaa")
            let c = try db.cursor()
            _ = try c.get(.first, key: nil, data: nil) { (_, _) throws(DBError) in () }
            // "aaa" with byte 1 replaced by "b" sorts elsewhere: refused.
            #expect(code { () throws(DBError) in try cursorPut(c, nil, "b", .current, (1, 1)) }?.message
                    == "BDB1004 Existing data sorts differently from put data")
            // By "a" it is the same item: accepted (unspliced, "a" would not be).
            try cursorPut(c, nil, "a", .current, (1, 1))
            #expect(try cursorData(c) == "aaa")
            try db.close(noSync: false)
        }
    }

    // MARK: DB_GET_BOTHC

    @Test func getBothNextFindsLaterEqualDuplicates() throws {
        try inScratch { dir in
            let db = handle([.dup])
            try open(db, dir + "/u.db", create: true, BtreeOptions(flags: [.dup]))
            for (k, d) in [("a", "1"), ("a", "2"), ("a", "1"), ("b", "1")] { try put(db, k, d) }
            let c = try db.cursor()
            let plan = try c.checkGet(flags: UInt32(DB_GET_BOTHC), key: ItemShape(), data: ItemShape())
            #expect(plan.read == .bothNext && plan.returnsKey)
            #expect(code { () throws(DBError) in
                try withBuffer(Array("1".utf8)) { (d) throws(DBError) in
                    _ = try c.get(plan, key: UnsafeRawBufferPointer(start: nil, count: 0), data: d) { (_, _) throws(DBError) in () }
                }
            }?.code == EINVAL)   // an unset cursor
            _ = try c.get(.first, key: nil, data: nil) { (_, _) throws(DBError) in () }
            func next() throws(DBError) -> [UInt8] {
                try withBuffer(Array("1".utf8)) { (d) throws(DBError) in
                    try c.get(plan, key: UnsafeRawBufferPointer(start: nil, count: 0), data: d) { (k, v) throws(DBError) in
                        try k.bytes() + v.bytes()
                    }
                }
            }
            // From the first a/1: the third entry, a/1 again, not itself.
            #expect(try next() == Array("a1".utf8))
            // No equal duplicate after it: DB_NOTFOUND, the cursor stays.
            #expect(code { () throws(DBError) in _ = try next() }?.code == DB_NOTFOUND)
            let after = try c.get(.next, key: nil, data: nil) { (k, v) throws(DBError) in try k.bytes() + v.bytes() }
            #expect(after == Array("b1".utf8))
            try db.close(noSync: false)
        }
    }
}

// MARK: Held pages

extension DatabaseAccessTests {
    func pinned(_ db: Database) -> Int { db.opened!.file.cache.stats.pinnedPages }

    /// An application cursor keeps the leaf it stands on pinned (one pin,
    /// whatever the steps on it), follows its position when writes split
    /// and refill that leaf under it, and gives the pin back when dropped
    /// and at DB->close.
    @Test func cursorHoldsItsLeafAcrossStepsAndWrites() throws {
        try inScratch { dir in
            let db = handle()
            try open(db, dir + "/h.db", create: true)
            func key(_ i: Int) -> String { String(repeating: "0", count: 6 - String(i).count) + String(i) }
            for i in stride(from: 0, to: 2000, by: 2) { try put(db, key(i), "v\(i)") }
            #expect(pinned(db) == 0)
            var seen: [String] = []
            do {
                let c = try db.cursor()
                func next() throws(DBError) -> String? {
                    do throws(DBError) {
                        return try c.get(.next, key: nil, data: nil) { (k, _) throws(DBError) in
                            String(decoding: try k.bytes(), as: UTF8.self)
                        }
                    } catch where error.code == DB_NOTFOUND { return nil }
                }
                for _ in 0..<10 { if let k = try next() { seen.append(k) } }
                #expect(pinned(db) == 1)
                // Odd keys around and after the position: the held leaf
                // changes (and splits) under the cursor.
                for i in stride(from: 1, to: 2000, by: 2) { try put(db, key(i), "w\(i)") }
                while let k = try next() { seen.append(k) }
                #expect(pinned(db) == 1)
            }
            #expect(pinned(db) == 0)
            // Every key after the position, odd ones included, in order.
            let expected = (0...18).filter { $0 % 2 == 0 }.map(key) + (19..<2000).map(key)
            #expect(seen == expected)
            // DB->close with a cursor still open releases its page first
            // (releaseHeldPages, which close calls), and the cursor dying
            // after the close touches nothing.
            var open: DatabaseCursor? = try db.cursor()
            _ = try open!.get(.first, key: nil, data: nil) { (_, _) throws(DBError) in () }
            #expect(pinned(db) == 1)
            db.opened!.tree.releaseHeldPages()
            #expect(pinned(db) == 0)
            _ = try open!.get(.next, key: nil, data: nil) { (_, _) throws(DBError) in () }
            #expect(pinned(db) == 1)
            try db.close(noSync: false)
            open = nil
            let again = handle()
            try self.open(again, dir + "/h.db")
            var n = 0
            let c = try again.cursor()
            while (try? c.get(.next, key: nil, data: nil) { (_, _) throws(DBError) in () }) != nil { n += 1 }
            #expect(n == 2000)
            try again.close(noSync: false)
        }
    }
}
