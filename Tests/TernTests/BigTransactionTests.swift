// Big transactions: write sets past their memory budget spill to a file
// (Txn/WriteSet.swift, WriteSpill), and a commit bigger than a chunk is
// logged as a chain of CommitChunks closed by a CommitMarker
// (Txn/CommitWriter.swift), which recovery applies only when the marker is
// there (Txn/Recovery.swift). The budget and chunk size are shrunk so that a
// few hundred small items exercise both.
import CBerkeleyDB
import Glibc
import Testing
@testable import TernEngine

@Suite struct BigTransactionTests {
    typealias L = LoggedEnv

    /// An environment whose transactions spill past 8 KiB of write set and
    /// log commits in chunks of at most 4 KiB of operations.
    static func open(_ dir: String, extra: Int32 = 0) throws -> Environment {
        try L.open(dir, extra: extra) { env in
            env.writeSetBudget = 8 << 10
            env.commitChunkBytes = 4 << 10
        }
    }

    /// A scratch directory, removed without spawning a process.
    static func inScratch(_ body: (String) throws -> Void) throws {
        var template = Array("/tmp/tern-bigtxn-XXXXXX".utf8CString)
        let dir = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        defer { removeTree(dir) }
        try body(dir)
    }

    static func removeTree(_ path: String) {
        if let d = opendir(path) {
            while let e = readdir(d) {
                let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
                if name == "." || name == ".." { continue }
                let child = path + "/" + name
                var st = stat()
                if lstat(child, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR { removeTree(child) } else { unlink(child) }
            }
            closedir(d)
        }
        rmdir(path)
    }

    /// A transactional Btree database.
    static func database(_ env: Environment, _ file: String) throws -> Database {
        let db = Database(environment: env)
        try db.open(file: file, database: nil, type: DB_BTREE, flags: UInt32(DB_CREATE | DB_AUTO_COMMIT), mode: 0,
                    options: BtreeOptions(flags: []))
        return db
    }

    static func key(_ i: Int) -> [UInt8] { Array("key\(1_000_000 + i)".utf8) }
    static func value(_ i: Int, _ round: Int = 0) -> [UInt8] {
        (0..<(200 + i % 300)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i &+ round &* 7) }
    }

    static func put(_ db: Database, _ k: [UInt8], _ d: [UInt8], _ t: Transaction) throws {
        try withBuffer(k) { (kb) throws(DBError) in
            try withBuffer(d) { (dd) throws(DBError) in try db.put(key: kb, data: dd, .keyLast, txn: t) }
        }
    }

    static func del(_ db: Database, _ k: [UInt8], _ t: Transaction) throws {
        try withBuffer(k) { (kb) throws(DBError) in try db.delete(key: kb, txn: t) }
    }

    /// DB->get in `t` (nil: not found).
    static func get(_ db: Database, _ k: [UInt8], _ t: Transaction) throws -> [UInt8]? {
        let r = Result { () throws(DBError) -> [UInt8] in
            try withBuffer(k) { (kb) throws(DBError) -> [UInt8] in
                try withBuffer([]) { (dd) throws(DBError) -> [UInt8] in
                    try db.get(.key, key: kb, data: dd, txn: t, rmw: false) { (_, v) throws(DBError) in try v.bytes() }
                }
            }
        }
        if case .failure(let e) = r, e.code == DB_NOTFOUND { return nil }
        return try r.get()
    }

    /// Every pair, read by a cursor in `t` (nil: the committed tree).
    static func dump(_ db: Database, _ t: Transaction?) throws -> [[UInt8]: [UInt8]] {
        let c = try db.cursor(txn: t)
        var out: [[UInt8]: [UInt8]] = [:]
        var last: [UInt8]?
        var op = BtreeGetOp.first
        while let pair = try Self.read(c, op) {
            if let last { #expect(last.lexicographicallyPrecedes(pair.0), "cursor order") }
            last = pair.0
            out[pair.0] = pair.1
            op = .next
        }
        return out
    }

    static func read(_ c: DatabaseCursor, _ op: BtreeGetOp) throws -> ([UInt8], [UInt8])? {
        let r = Result { () throws(DBError) -> ([UInt8], [UInt8]) in
            try c.get(op, key: nil, data: nil) { (kv, dv) throws(DBError) in (try kv.bytes(), try dv.bytes()) }
        }
        if case .failure(let e) = r, e.code == DB_NOTFOUND { return nil }
        return try r.get()
    }

    /// The commit-related records of the log, oldest first.
    static func chainRecords(_ env: Environment) throws -> (chunks: [LogRecord], markers: [CommitMarker], markerLSNs: [LSN], commits: Int) {
        let chunks = try L.records(env, type: TernLogRecord.commitChunk)
        let markerRecords = try L.records(env, type: TernLogRecord.commitMarker)
        let markers = try markerRecords.map { try CommitMarker.decode($0.payload) }
        return (chunks, markers, markerRecords.map(\.lsn), try L.records(env, type: TernLogRecord.commit).count)
    }

    @Test func spilledWritesAreReadAndCommittedAsAChain() throws {
        try Self.inScratch { dir in
            let env = try Self.open(dir)
            let db = try Self.database(env, "big.db")
            // Committed data underneath, some of which the transaction
            // overwrites or deletes.
            var model: [[UInt8]: [UInt8]] = [:]
            let t0 = try env.beginTransaction(parent: nil, flags: 0)
            for i in stride(from: 0, to: 400, by: 3) {
                try Self.put(db, Self.key(i), Self.value(i, 9), t0)
                model[Self.key(i)] = Self.value(i, 9)
            }
            try t0.commit(flags: 0)
            // A commit within one chunk is one record.
            let small = try env.beginTransaction(parent: nil, flags: 0)
            try Self.put(db, Self.key(1), Self.value(1, 9), small)
            model[Self.key(1)] = Self.value(1, 9)
            let commitsBefore = try Self.chainRecords(env).commits
            try small.commit(flags: 0)
            let before = try Self.chainRecords(env)
            #expect(before.commits == commitsBefore + 1)

            let t = try env.beginTransaction(parent: nil, flags: 0)
            for i in 0..<400 {
                try Self.put(db, Self.key(i), Self.value(i), t)
                model[Self.key(i)] = Self.value(i)
            }
            for i in stride(from: 0, to: 400, by: 7) {
                try Self.del(db, Self.key(i), t)
                model[Self.key(i)] = nil
            }
            let spill = t.writeSpill
            #expect(spill.spilledEntries > 300, "entries past the budget went to the file")
            #expect(spill.memoryBytes <= spill.budget + spill.keyBytes, "entries in memory stay within the budget")
            #expect(try Self.dump(db, t) == model, "a cursor merges spilled writes with the tree")
            for i in 0..<400 { #expect(try Self.get(db, Self.key(i), t) == model[Self.key(i)], "get \(i)") }
            try t.commit(flags: UInt32(DB_TXN_SYNC))

            #expect(try Self.dump(db, nil) == model)
            let all = try Self.chainRecords(env)
            let chunks = Array(all.chunks.dropFirst(before.chunks.count))
            #expect(all.markers.count == before.markers.count + 1)
            #expect(chunks.count > 10, "about 200 KiB of operations in 4 KiB chunks")
            if let m = all.markers.last {
                #expect(m.transactionID == t.id)
                #expect(m.count == UInt32(chunks.count))
                #expect(m.first == chunks.first?.lsn && m.last == chunks.last?.lsn)
                #expect(m.last < all.markerLSNs.last!)
            }
            for (n, c) in chunks.enumerated() {
                let chunk = try CommitChunk.decode(c.payload)
                #expect(chunk.sequence == UInt32(n) && chunk.transactionID == t.id)
                #expect(c.payload.count < 4096 + 1024, "a chunk exceeds the limit by at most one entry")
            }
            try db.close(noSync: false)
            try env.close()
            // No spill file is left behind.
            #expect(try Self.spillLeftovers(dir).isEmpty)
        }
    }

    static func spillLeftovers(_ dir: String) throws -> [String] {
        guard let d = opendir(dir) else { return [] }
        defer { closedir(d) }
        var names: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name.hasPrefix("__tern.spill.txn.") { names.append(name) }
        }
        return names
    }

    @Test func nestedTransactionsOverSpilledWriteSets() throws {
        try Self.inScratch { dir in
            let env = try Self.open(dir)
            let db = try Self.database(env, "nested.db")
            var model: [[UInt8]: [UInt8]] = [:]
            let top = try env.beginTransaction(parent: nil, flags: 0)
            for i in 0..<200 {
                try Self.put(db, Self.key(i), Self.value(i), top)
                model[Self.key(i)] = Self.value(i)
            }
            #expect(top.writeSpill.spilledEntries > 0)
            // A child that overwrites, deletes and adds, then aborts: the
            // parent's (spilled) writes are untouched.
            let a = try env.beginTransaction(parent: top, flags: 0)
            for i in 0..<50 { try Self.put(db, Self.key(i), Self.value(i, 1), a) }
            for i in 50..<70 { try Self.del(db, Self.key(i), a) }
            for i in 200..<260 { try Self.put(db, Self.key(i), Self.value(i, 1), a) }
            #expect(try Self.get(db, Self.key(10), a) == Self.value(10, 1))
            #expect(try Self.get(db, Self.key(60), a) == nil)
            try a.abort()
            #expect(try Self.dump(db, top) == model, "a child's abort drops only its writes")
            // A child that commits: its writes become the parent's.
            let b = try env.beginTransaction(parent: top, flags: 0)
            for i in 100..<150 {
                try Self.put(db, Self.key(i), Self.value(i, 2), b)
                model[Self.key(i)] = Self.value(i, 2)
            }
            for i in 150..<170 {
                try Self.del(db, Self.key(i), b)
                model[Self.key(i)] = nil
            }
            for i in 300..<340 {
                try Self.put(db, Self.key(i), Self.value(i, 2), b)
                model[Self.key(i)] = Self.value(i, 2)
            }
            // A grandchild of b reads all three levels, spilled or not.
            let c = try env.beginTransaction(parent: b, flags: 0)
            #expect(try Self.dump(db, c) == model)
            try c.commit(flags: 0)
            try b.commit(flags: 0)
            #expect(try Self.dump(db, top) == model, "a child's commit merges into its parent")
            #expect(try Self.dump(db, nil).isEmpty, "nothing reaches the tree before the top-level commit")
            try top.commit(flags: 0)
            #expect(try Self.dump(db, nil) == model)
            // An aborted big transaction leaves nothing.
            let gone = try env.beginTransaction(parent: nil, flags: 0)
            for i in 1000..<1200 { try Self.put(db, Self.key(i), Self.value(i), gone) }
            try gone.abort()
            #expect(try Self.dump(db, nil) == model)
            try db.close(noSync: false)
            try env.close()
        }
    }

    /// Commits a chained transaction with DB_TXN_SYNC, then "crashes"
    /// (no checkpoint, region and log left as they are).
    func commitChainAndCrash(_ dir: String) throws -> (model: [[UInt8]: [UInt8]], marker: LSN, base: [[UInt8]: [UInt8]]) {
        let env = try Self.open(dir)
        let db = try Self.database(env, "r.db")
        var model: [[UInt8]: [UInt8]] = [:]
        let t0 = try env.beginTransaction(parent: nil, flags: 0)
        for i in 0..<20 {
            try Self.put(db, Self.key(i), Self.value(i, 5), t0)
            model[Self.key(i)] = Self.value(i, 5)
        }
        try t0.commit(flags: UInt32(DB_TXN_SYNC))
        try env.checkpoint(kbytes: 0, minutes: 0, flags: UInt32(DB_FORCE))
        let base = model
        let t = try env.beginTransaction(parent: nil, flags: 0)
        for i in 10..<300 {
            try Self.put(db, Self.key(i), Self.value(i), t)
            model[Self.key(i)] = Self.value(i)
        }
        try Self.del(db, Self.key(3), t)
        model[Self.key(3)] = nil
        try t.commit(flags: UInt32(DB_TXN_SYNC))
        let records = try Self.chainRecords(env)
        #expect(records.markers.last?.transactionID == t.id && (records.markers.last?.count ?? 0) > 5)
        env.abandonForTesting()
        return (model, records.markerLSNs.last!, base)
    }

    @Test func recoveryAppliesAChainWhoseMarkerIsLogged() throws {
        try Self.inScratch { dir in
            let (model, _, _) = try commitChainAndCrash(dir)
            let env = try Self.open(dir, extra: DB_RECOVER)
            let report = env.recoveryReport!
            #expect(report.chains == 1)
            #expect(report.commitChunks > 5)
            let db = try Self.database(env, "r.db")
            #expect(try Self.dump(db, nil) == model)
            try db.close(noSync: false)
            try env.close()
            let again = try Self.open(dir)
            let db2 = try Self.database(again, "r.db")
            #expect(try Self.dump(db2, nil) == model, "and the files hold it after recovery")
            try db2.close(noSync: false)
            try again.close()
        }
    }

    @Test func recoveryIgnoresAChainWithoutItsMarker() throws {
        try Self.inScratch { dir in
            let (_, marker, base) = try commitChainAndCrash(dir)
            // The log ends just before the marker: the crash came after the
            // last chunk reached the disk, before the marker did.
            let path = dir + "/log." + String(repeating: "0", count: 10 - String(marker.file).count) + "\(marker.file)"
            #expect(truncate(path, off_t(marker.offset)) == 0)
            let env = try Self.open(dir, extra: DB_RECOVER)
            let report = env.recoveryReport!
            #expect(report.chains == 0)
            #expect(report.commitChunks > 5, "the torn chain's chunks were read and not applied")
            let db = try Self.database(env, "r.db")
            #expect(try Self.dump(db, nil) == base, "nothing of the torn transaction is applied")
            // The environment goes on: a new transaction commits after the
            // torn chain, and is recovered without it.
            let t = try env.beginTransaction(parent: nil, flags: 0)
            try Self.put(db, Self.key(999), Self.value(999), t)
            try t.commit(flags: UInt32(DB_TXN_SYNC))
            env.abandonForTesting()
            let again = try Self.open(dir, extra: DB_RECOVER)
            let db2 = try Self.database(again, "r.db")
            var expected = base
            expected[Self.key(999)] = Self.value(999)
            #expect(try Self.dump(db2, nil) == expected)
            try db2.close(noSync: false)
            try again.close()
        }
    }

    @Test func chainRecordsRejectMalformedInput() throws {
        let ops = [CommitRecord.Operation(kind: .put, fileID: 3, key: [1, 2], data: [3], before: nil)]
        let chunk = CommitChunk(transactionID: 7, sequence: 2, operations: ops)
        #expect(try CommitChunk.decode(chunk.encoded()) == chunk)
        let marker = CommitMarker(transactionID: 7, first: LSN(file: 1, offset: 28), last: LSN(file: 2, offset: 100), count: 3)
        #expect(try CommitMarker.decode(marker.encoded()) == marker)
        let bytes = chunk.encoded()
        for n in 0..<bytes.count {
            #expect(throws: DBError.self) { try CommitChunk.decode(Array(bytes.prefix(n))) }
        }
        var reversed = marker
        reversed.first = LSN(file: 3, offset: 0)
        #expect(throws: DBError.self) { try CommitMarker.decode(reversed.encoded()) }
        // A spilled entry's encoding round-trips and rejects truncation.
        let entry = WriteEntry(items: [WriteItem(data: [9, 9], token: 4, deleted: false),
                                       WriteItem(data: [], token: 5, deleted: true)], base: [[1], [2, 3]])
        let e = try WriteEntry.spillDecoded(entry.spillEncoded())
        #expect(e.items.map(\.data) == entry.items.map(\.data) && e.items.map(\.token) == [4, 5] && e.base! == entry.base!)
        let eb = entry.spillEncoded()
        for n in 0..<eb.count {
            #expect(throws: DBError.self) { try WriteEntry.spillDecoded(Array(eb.prefix(n))) }
        }
    }
}
