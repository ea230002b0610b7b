// Recovery (Txn/Recovery.swift) and crashes (Txn/CrashRepair.swift,
// Env/EnvRegistry.swift). A crash is simulated in process by
// Environment.abandonForTesting: the handle goes away without close — the
// log's buffered records are lost, no checkpoint, the log-writer lock
// dropped as the kernel drops it for a dead process, the region left as is.
import CBerkeleyDB
import Glibc
import Testing
@testable import TernEngine

@Suite struct RecoveryTests {
    typealias L = LoggedEnv

    /// Applies random puts and deletes to `db` and to a model.
    func workload(_ db: Database, _ model: inout [String: String], seed: UInt64, count: Int) throws {
        var rng = SplitMix(seed: seed)
        for _ in 0..<count {
            let k = "k" + pad4(Int(rng.next() % 300))
            if rng.next() % 4 == 0, model[k] != nil {
                try L.del(db, k)
                model[k] = nil
            } else {
                let v = String(repeating: Character(UnicodeScalar(UInt8(97 + rng.next() % 26))), count: Int(rng.next() % 200) + 1)
                try L.put(db, k, v)
                model[k] = v
            }
        }
    }

    func rows(_ model: [String: String]) -> [String] { model.keys.sorted().map { $0 + "=" + model[$0]! } }

    @Test func recoveryRestoresExactlyTheCommittedWrites() throws {
        try L.inScratch { dir in
            var model: [String: String] = [:]
            let env = try L.open(dir)
            let a = try L.database(env, "a.db")
            try workload(a, &model, seed: 1, count: 400)
            try env.checkpoint(kbytes: 0, minutes: 0, flags: 0)
            try workload(a, &model, seed: 2, count: 400)
            try a.sync()
            try workload(a, &model, seed: 3, count: 400)
            // Auto-commits are synchronous: all of them are in the log.
            env.abandonForTesting()

            let again = try L.open(dir, extra: DB_RECOVER)
            let report = again.recoveryReport!
            #expect(report.applied > 0)
            #expect(report.alreadyInFile > 0)   // a.db's own checkpoint (sync) is later than the last record's
            #expect(report.checkpoint != nil)
            let b = try L.database(again, "a.db", create: false)
            #expect(try L.contents(b) == rows(model))
            try b.close(noSync: false)
            try again.close()
            // And the files alone hold it now: a plain reopen.
            let third = try L.open(dir)
            let c = try L.database(third, "a.db", create: false)
            #expect(try L.contents(c) == rows(model))
            try c.close(noSync: false)
            try third.close()
        }
    }

    @Test func unflushedRecordsAreLostAndTheRestIsAPrefix() throws {
        try L.inScratch { dir in
            let env = try L.open(dir)
            let a = try L.database(env, "a.db")
            for i in 0..<50 { try L.put(a, "k" + pad4(i), "durable") }
            // Not auto-commit: logged, not flushed.
            for i in 50..<60 { try L.put(a, "k" + pad4(i), "buffered", autoCommit: false) }
            env.abandonForTesting()
            let again = try L.open(dir, extra: DB_RECOVER)
            let b = try L.database(again, "a.db", create: false)
            #expect(try L.contents(b) == (0..<50).map { "k" + pad4($0) + "=durable" })
            try b.close(noSync: false)
            try again.close()
        }
    }

    @Test func namedDatabasesInOneFileRecoverSeparately() throws {
        try L.inScratch { dir in
            let env = try L.open(dir)
            let x = try L.database(env, "multi.db", "x")
            let y = try L.database(env, "multi.db", "y", flags: [.dup, .dupSort], tree: [.dup, .dupSort])
            for i in 0..<100 {
                try L.put(x, "k" + pad4(i), "x\(i)")
                try L.put(y, "k" + pad4(i % 10), "y\(i)")
            }
            try L.del(x, "k0007")
            let expectX = try L.contents(x), expectY = try L.contents(y)
            #expect(expectY.count == 100)
            env.abandonForTesting()
            let again = try L.open(dir, extra: DB_RECOVER)
            let x2 = try L.database(again, "multi.db", "x", create: false)
            let y2 = try L.database(again, "multi.db", "y", create: false)
            #expect(try L.contents(x2) == expectX)
            #expect(try L.contents(y2) == expectY)
            try x2.close(noSync: false)
            try y2.close(noSync: false)
            try again.close()
        }
    }

    @Test func removesAndRenamesAreLoggedWithPathsRelativeToTheHome() throws {
        try L.inScratch { dir in
            let env = try L.open(dir)
            let a = try L.database(env, "a.db")
            try L.put(a, "k", "v")
            try a.close(noSync: false)
            let m = try L.database(env, "m.db", "x")
            try m.close(noSync: false)
            try env.renameDatabase(file: "a.db", database: nil, newName: "b.db", flags: 0)
            try env.renameDatabase(file: "m.db", database: "x", newName: "y", flags: 0)
            try env.removeDatabase(file: "m.db", database: "y", flags: 0)
            try env.removeDatabase(file: "b.db", database: nil, flags: 0)
            let ops = try L.records(env, type: TernLogRecord.fileOperation).map { try FileOperation.decode($0.payload) }
            #expect(ops == [FileOperation(kind: .rename, path: "a.db", databaseName: "", newName: "b.db"),
                            FileOperation(kind: .rename, path: "m.db", databaseName: "x", newName: "y"),
                            FileOperation(kind: .remove, path: "m.db", databaseName: "y"),
                            FileOperation(kind: .remove, path: "b.db", databaseName: "")])
            try env.close()
        }
    }

    @Test func recoveryRedoesAFileRenameTheFilesDoNotShow() throws {
        try L.inScratch { dir in
            let env = try L.open(dir)
            let a = try L.database(env, "a.db")
            for i in 0..<20 { try L.put(a, "k" + pad4(i), "v\(i)") }
            let expected = try L.contents(a)
            try a.close(noSync: false)
            // The record of a rename whose directory change was lost (a
            // power failure before the directory reached the disk).
            try env.loggingFileOperation(FileOperation(kind: .rename, path: dir + "/a.db", databaseName: "",
                                                       newName: dir + "/b.db")) { () throws(DBError) in }
            try env.log!.flush(sync: true)
            env.abandonForTesting()
            let again = try L.open(dir, extra: DB_RECOVER)
            #expect(access(dir + "/a.db", F_OK) != 0)
            let b = try L.database(again, "b.db", create: false)
            #expect(try L.contents(b) == expected)
            try b.close(noSync: false)
            try again.close()
        }
    }

    @Test func recoveryDoesNotRemoveAFileCreatedAgainAfterTheRemove() throws {
        try L.inScratch { dir in
            let env = try L.open(dir)
            let a = try L.database(env, "a.db")
            try L.put(a, "old", "first incarnation")
            try a.close(noSync: false)
            try env.removeDatabase(file: "a.db", database: nil, flags: 0)
            let again = try L.database(env, "a.db")
            try L.put(again, "new", "second incarnation")
            env.abandonForTesting()
            let recovered = try L.open(dir, extra: DB_RECOVER)
            let b = try L.database(recovered, "a.db", create: false)
            #expect(try L.contents(b) == ["new=second incarnation"])
            try b.close(noSync: false)
            try recovered.close()
        }
    }

    @Test func corruptLogTailIsCutNotApplied() throws {
        try L.inScratch { dir in
            let env = try L.open(dir)
            let a = try L.database(env, "a.db")
            for i in 0..<20 { try L.put(a, "k" + pad4(i), "ok") }
            let lastGood = env.log!.lastLSN
            try L.put(a, "torn", "this record's bytes get damaged")
            let torn = env.log!.lastLSN
            env.abandonForTesting()
            // Damage the last record's payload: its CRC no longer matches.
            let fd = Glibc.open(dir + "/log." + String(repeating: "0", count: 9) + "\(torn.file)", O_RDWR)
            var byte: UInt8 = 0
            _ = pread(fd, &byte, 1, off_t(torn.offset) + 24)
            byte ^= 0x5A
            _ = pwrite(fd, &byte, 1, off_t(torn.offset) + 24)
            close(fd)
            let again = try L.open(dir, extra: DB_RECOVER)
            #expect(again.log!.nextLSN.offset <= torn.offset + 64)
            let b = try L.database(again, "a.db", create: false)
            #expect(try L.contents(b) == (0..<20).map { "k" + pad4($0) + "=ok" })
            #expect(lastGood < again.log!.lastLSN)   // the log continues after the last good record
            try b.close(noSync: false)
            try again.close()
        }
    }

    @Test func committedJournalIsCompletedByRecovery() throws {
        try L.inScratch { dir in
            let env = try L.open(dir)
            let a = try L.database(env, "a.db")
            for i in 0..<30 { try L.put(a, "k" + pad4(i), "v\(i)") }
            let expected = try L.contents(a)
            // A checkpoint that crashes after committing its journal, before
            // any page is written in place.
            let cache = env.cache!
            let cut = env.log!.lastLSN
            try env.log!.flush(upTo: cut, sync: true)
            let images = try cache.cutCheckpoint([a.opened!.file.fileId])
            for image in images {
                try cache.completeCheckpoint(image)
                BtreeMeta.stampCheckpoint(image.page(0)!, pageSize: image.pageSize, lsn: cut)
            }
            try CheckpointJournal.write(images, lsn: cut, path: dir + "/" + CheckpointJournal.fileName)
            env.abandonForTesting()
            let again = try L.open(dir, extra: DB_RECOVER)
            #expect(again.recoveryReport?.journal == .applied(cut, pages: images[0].count))
            // Every record was in the journal's pages: nothing to replay.
            #expect(again.recoveryReport?.applied == 0)
            let b = try L.database(again, "a.db", create: false)
            #expect(try L.contents(b) == expected)
            try b.close(noSync: false)
            try again.close()
        }
    }

    @Test func reopenWithoutRecoverJoinsTheSurvivingRegion() throws {
        try L.inScratch { dir in
            let env = try L.open(dir)
            let a = try L.database(env, "a.db")
            for i in 0..<40 { try L.put(a, "k" + pad4(i), "v") }
            // Buffered, never flushed: libdb's joiners still see such writes
            // in the surviving cache, and so does Tern.
            try L.put(a, "buffered", "v", autoCommit: false)
            // A checkpoint in flight when the process died.
            _ = try env.cache!.cutCheckpoint([a.opened!.file.fileId])
            env.abandonForTesting()
            let again = try L.open(dir)
            let b = try L.database(again, "a.db", create: false)
            #expect(try L.contents(b).count == 41)
            try b.close(noSync: false)
            try again.close()
            let third = try L.open(dir)
            let c = try L.database(third, "a.db", create: false)
            #expect(try L.contents(c).count == 41)
            try c.close(noSync: false)
            try third.close()
        }
    }

    @Test func aJournalLeftByADeadProcessIsCompletedByAPlainOpen() throws {
        try L.inScratch { dir in
            let env = try L.open(dir)
            let a = try L.database(env, "a.db")
            for i in 0..<30 { try L.put(a, "k" + pad4(i), "v\(i)") }
            let cache = env.cache!
            let cut = env.log!.lastLSN
            let images = try cache.cutCheckpoint([a.opened!.file.fileId])
            for image in images {
                try cache.completeCheckpoint(image)
                BtreeMeta.stampCheckpoint(image.page(0)!, pageSize: image.pageSize, lsn: cut)
            }
            let journal = dir + "/" + CheckpointJournal.fileName
            try CheckpointJournal.write(images, lsn: cut, path: journal)
            // Died after committing the journal, one page written in place
            // and torn.
            let fd = Glibc.open(dir + "/a.db", O_RDWR)
            let junk = [UInt8](repeating: 0xEE, count: 1000)
            _ = junk.withUnsafeBytes { pwrite(fd, $0.baseAddress, 1000, 4096 + 100) }
            close(fd)
            env.abandonForTesting()
            let again = try L.open(dir)
            #expect(L.fileBytes(journal).isEmpty)
            #expect(L.metaLSN(dir + "/a.db") == cut)
            let b = try L.database(again, "a.db", create: false)
            #expect(try L.contents(b).count == 30)
            try b.close(noSync: false)
            try again.close()
        }
    }

    @Test func checkpointsRacingCommittersRecoverExactly() throws {
        try L.inScratch { dir in
            let env = try L.open(dir, extra: DB_THREAD) { e in e.config.cacheBytes = 96 * 1024 }
            let a = try L.database(env, "a.db")
            final class Shared: @unchecked Sendable {
                let db: Database
                let env: Environment
                var models: [[String: String]] = Array(repeating: [:], count: 3)
                var writersDone = 0
                var checkpoints = 0
                var failures: [String] = []
                let lock = LocalLock()
                init(_ db: Database, _ env: Environment) { self.db = db; self.env = env }
            }
            let shared = Shared(a, env)
            logRunThreads(4) { t in
                if t == 3 {
                    while shared.lock.withLock({ shared.writersDone }) < 3 {
                        do { try shared.env.checkpoint(kbytes: 0, minutes: 0, flags: UInt32(DB_FORCE)) } catch {
                            shared.lock.withLock { shared.failures.append("checkpoint: \(error)") }
                        }
                        shared.lock.withLock { shared.checkpoints += 1 }
                    }
                    return
                }
                var rng = SplitMix(seed: UInt64(t + 10))
                var model: [String: String] = [:]
                for i in 0..<1500 {
                    let k = "t\(t)-" + pad4(Int(rng.next() % 500))
                    do {
                        if i % 5 == 4, model[k] != nil {
                            try L.del(shared.db, k)
                            model[k] = nil
                        } else {
                            let v = String(repeating: "x", count: Int(rng.next() % 300)) + "\(i)"
                            try L.put(shared.db, k, v, autoCommit: false)
                            model[k] = v
                        }
                    } catch {
                        shared.lock.withLock { shared.failures.append("writer \(t): \(error)") }
                    }
                }
                shared.lock.withLock { shared.models[t] = model; shared.writersDone += 1 }
            }
            #expect(shared.failures.isEmpty)
            #expect(shared.checkpoints > 1)
            var model: [String: String] = [:]
            for m in shared.models { model.merge(m) { $1 } }
            #expect(try L.contents(a) == rows(model))
            try env.flushLog(upTo: nil)
            env.abandonForTesting()
            let again = try L.open(dir, extra: DB_RECOVER)
            let b = try L.database(again, "a.db", create: false)
            #expect(try L.contents(b) == rows(model))
            try b.close(noSync: false)
            try again.close()
        }
    }

    @Test func deathInsideACommitSectionNeedsRecovery() throws {
        try L.inScratch { dir in
            let env = try L.open(dir)
            let a = try L.database(env, "a.db")
            for i in 0..<10 { try L.put(a, "k" + pad4(i), "v") }
            env.commitGate!.latch.lockShared()   // died mid-apply
            env.abandonForTesting()
            let e = L.failure { _ = try L.open(dir) }
            #expect(e?.code == DB_RUNRECOVERY)
            #expect(e?.message == "BDB0060 PANIC: fatal region error detected; run recovery")
            // Panicked: every joiner is refused until recovery.
            let e2 = L.failure { _ = try L.open(dir) }
            #expect(e2?.message == "BDB0060 PANIC: fatal region error detected; run recovery")
            let again = try L.open(dir, extra: DB_RECOVER)
            let b = try L.database(again, "a.db", create: false)
            #expect(try L.contents(b).count == 10)
            try b.close(noSync: false)
            try again.close()
        }
    }

    @Test func fatalRecoveryReplaysFromTheStartOfTheLog() throws {
        try L.inScratch { dir in
            let env = try L.open(dir)
            let a = try L.database(env, "a.db")
            for i in 0..<20 { try L.put(a, "k" + pad4(i), "early") }
            try a.sync()
            _ = system("cp '\(dir)/a.db' '\(dir)/backup.db'")
            for i in 20..<40 { try L.put(a, "k" + pad4(i), "later") }
            try env.checkpoint(kbytes: 0, minutes: 0, flags: 0)
            for i in 40..<50 { try L.put(a, "k" + pad4(i), "last") }
            try a.close(noSync: false)
            try env.close()
            // The file restored from the older backup: normal recovery starts
            // at the last checkpoint and misses 20..<40; fatal replays them.
            _ = system("cp '\(dir)/backup.db' '\(dir)/a.db'")
            let normal = try L.open(dir, extra: DB_RECOVER)
            let n = try L.database(normal, "a.db", create: false)
            #expect(try L.contents(n).count == 30)
            try n.close(noSync: true)
            normal.abandonForTesting()
            _ = system("cp '\(dir)/backup.db' '\(dir)/a.db'")
            let fatal = try L.open(dir, extra: DB_RECOVER_FATAL)
            let f = try L.database(fatal, "a.db", create: false)
            #expect(try L.contents(f).count == 50)
            try f.close(noSync: false)
            try fatal.close()
        }
    }

    @Test func registerNeedsRecoveryForANewRegistry() throws {
        try L.inScratch { dir in
            let e = L.failure { _ = try L.open(dir, extra: DB_REGISTER) }
            #expect(e?.code == DB_RUNRECOVERY)
            #expect(e?.message == "BDB1567 The DB_RECOVER flag was not specified, and recovery is needed")
            // The refused open left its slot filled (for another process, a
            // dead one); in this process it is ours: libdb refuses too.
            let same = L.failure { _ = try L.open(dir, extra: DB_REGISTER | DB_RECOVER) }
            #expect(same?.message == "BDB1528 DB_REGISTER limits processes to one open DB_ENV handle per environment")
            unlink(dir + "/" + EnvironmentRegistry.fileName)
            let env = try L.open(dir, extra: DB_REGISTER | DB_RECOVER)
            #expect(env.recoveryReport != nil)
            // One registered handle per process.
            let twice = L.failure { _ = try L.open(dir, extra: DB_REGISTER) }
            #expect(twice?.message == "BDB1528 DB_REGISTER limits processes to one open DB_ENV handle per environment")
            try env.close()
            // A clean close: no recovery needed, DB_RECOVER is dropped.
            let clean = try L.open(dir, extra: DB_REGISTER | DB_RECOVER)
            #expect(clean.recoveryReport == nil)
            try clean.close()
            let plain = try L.open(dir, extra: DB_REGISTER)
            try plain.close()
        }
    }

    @Test func customComparatorsAreNotReplayedSilently() throws {
        try L.inScratch { dir in
            let env = try L.open(dir)
            let db = Database(environment: env)
            var options = BtreeOptions()
            options.compare = { a, b in defaultCompare(b, a) }
            try db.open(file: "rev.db", database: nil, type: DB_BTREE, flags: UInt32(DB_CREATE), mode: 0, options: options)
            try L.put(db, "a", "1")
            env.abandonForTesting()
            let e = L.failure { _ = try L.open(dir, extra: DB_RECOVER) }
            #expect(e?.code == EINVAL)
            #expect(e?.message?.contains("application comparison function") == true)
        }
    }
}

/// A small deterministic generator.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
