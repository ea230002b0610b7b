// Checkpoints (Txn/Checkpoint.swift, Cache/CacheCheckpoint.swift,
// Txn/CheckpointJournal.swift): the cut is a copy (later writes do not leak
// into the file), the meta page carries the checkpoint LSN per file, the
// journal is completed when committed and discarded when torn, txn_checkpoint
// follows libdb's thresholds, and log_archive lists what the last checkpoint
// made unneeded.
import CBerkeleyDB
import Glibc
import Testing
@testable import TernEngine

@Suite struct CheckpointTests {
    typealias L = LoggedEnv

    @Test func txnCheckpointStampsEveryDirtyFileAndLogsARecord() throws {
        try L.inScratch { dir in
            let env = try L.open(dir)
            let a = try L.database(env, "a.db")
            let b = try L.database(env, "b.db")
            for i in 0..<50 { try L.put(a, "k\(i)", "a\(i)"); try L.put(b, "k\(i)", "b\(i)") }
            try env.checkpoint(kbytes: 0, minutes: 0, flags: 0)
            let gate = env.commitGate!
            let cut = gate.lastCheckpointCut
            #expect(!gate.lastCheckpoint.isZero && !cut.isZero)
            #expect(L.metaLSN(dir + "/a.db") == cut)
            #expect(L.metaLSN(dir + "/b.db") == cut)
            let records = try L.records(env, type: TernLogRecord.checkpoint)
            #expect(records.count == 1)
            let ckp = try CheckpointRecord.decode(records[0].payload)
            #expect(records[0].lsn == gate.lastCheckpoint)
            #expect(ckp.cut == cut)
            #expect(Set(ckp.registrations.map(\.path)) == ["a.db", "b.db"])
            // The journal is empty once the checkpoint is done.
            #expect(L.fileBytes(dir + "/" + CheckpointJournal.fileName).isEmpty)
            try a.close(noSync: false)
            try b.close(noSync: false)
            try env.close()
        }
    }

    @Test func syncCheckpointsOnlyItsFile() throws {
        try L.inScratch { dir in
            let env = try L.open(dir)
            let a = try L.database(env, "a.db")
            let b = try L.database(env, "b.db")
            let bCreated = L.metaLSN(dir + "/b.db")
            for i in 0..<20 { try L.put(a, "k\(i)", "v"); try L.put(b, "k\(i)", "v") }
            try a.sync()
            let aLSN = L.metaLSN(dir + "/a.db")
            #expect(aLSN != nil && aLSN! > bCreated!)
            #expect(L.metaLSN(dir + "/b.db") == bCreated)
            // No checkpoint record for a per-file checkpoint.
            #expect(try L.records(env, type: TernLogRecord.checkpoint).isEmpty)
            try L.put(b, "late", "v")
            try b.close(noSync: false)
            #expect(L.metaLSN(dir + "/b.db")! > aLSN!)
            try a.close(noSync: false)
            try env.close()
        }
    }

    @Test func theCutIsACopyLaterWritesDoNotLeakIntoTheFile() throws {
        try L.inScratch { dir in
            let env = try L.open(dir)
            let a = try L.database(env, "a.db")
            try L.put(a, "x", "before")
            let cache = env.cache!
            let id = a.opened!.file.fileId
            // The cut, as a checkpoint takes it with the gate held.
            let images = try cache.cutCheckpoint([id])
            #expect(images.count == 1)
            // A commit after the cut, while the checkpoint does its I/O.
            try L.put(a, "x", "after!")
            for image in images { try cache.completeCheckpoint(image); try cache.writeInPlace(image) }
            cache.finishCheckpoint(images)
            // The file has the cut's state; the cache the newer one, dirty.
            let onDisk = L.fileBytes(dir + "/a.db")
            #expect(Self.contains(onDisk, "before"))
            #expect(!Self.contains(onDisk, "after!"))
            #expect(try L.contents(a) == ["x=after!"])
            try a.sync()
            #expect(Self.contains(L.fileBytes(dir + "/a.db"), "after!"))
            try a.close(noSync: false)
            try env.close()
        }
    }

    @Test func frozenSpillIsReadAfterTheCutWhileCommittersSpillAgain() throws {
        try L.inScratch { dir in
            // A small cache: most dirty pages live in the spill.
            let env = try L.open(dir) { e in e.config.cacheBytes = 64 * 1024 }
            let a = try L.database(env, "a.db")
            let value = String(repeating: "v", count: 300)
            for i in 0..<400 { try L.put(a, pad4(i), value + "0") }
            let cache = env.cache!
            #expect(cache.stats.spilledPages > 0)
            let images = try cache.cutCheckpoint([a.opened!.file.fileId])
            // After the cut every value changes; pages are evicted again and
            // spill into the other generation.
            for i in 0..<400 { try L.put(a, pad4(i), value + "1") }
            for image in images { try cache.completeCheckpoint(image); try cache.writeInPlace(image) }
            cache.finishCheckpoint(images)
            #expect(try L.contents(a).allSatisfy { $0.hasSuffix("1") })
            // What the file holds is exactly the cut: reopen it in a fresh
            // cache without the log.
            let copy = dir + "/copy.db"
            _ = system("cp '\(dir)/a.db' '\(copy)'")
            let plain = Database(environment: { let e = Environment(); e.isPrivateToDatabase = true; return e }())
            try plain.open(file: copy, database: nil, type: DB_BTREE, flags: 0, mode: 0, options: BtreeOptions())
            let rows = try L.contents(plain)
            #expect(rows.count == 400)
            #expect(rows.allSatisfy { $0.hasSuffix("0") })
            try plain.close(noSync: true)
            try a.close(noSync: false)
            try env.close()
        }
    }

    @Test func anAbortedCheckpointLosesNothing() throws {
        try L.inScratch { dir in
            let env = try L.open(dir) { e in e.config.cacheBytes = 64 * 1024 }
            let a = try L.database(env, "a.db")
            let value = String(repeating: "w", count: 300)
            for i in 0..<300 { try L.put(a, pad4(i), value + "0") }
            let cache = env.cache!
            let images = try cache.cutCheckpoint([a.opened!.file.fileId])
            #expect(!images.isEmpty && !images[0].frozen.isEmpty)
            for i in 0..<300 where i % 3 == 0 { try L.put(a, pad4(i), value + "1") }
            // The I/O failed: everything the cut took goes back.
            cache.abortCheckpoint(images)
            let expected = (0..<300).map { pad4($0) + "=" + value + ($0 % 3 == 0 ? "1" : "0") }
            #expect(try L.contents(a) == expected)
            try a.sync()
            try a.close(noSync: false)
            try env.close()
            let again = try L.open(dir)
            let b = try L.database(again, "a.db", create: false)
            #expect(try L.contents(b) == expected)
            try b.close(noSync: false)
            try again.close()
        }
    }

    @Test func committedJournalIsCompletedAndTornOneDiscarded() throws {
        try L.inScratch { dir in
            let env = try L.open(dir)
            let a = try L.database(env, "a.db")
            try a.sync()
            let before = L.fileBytes(dir + "/a.db")
            try L.put(a, "journal", "page")
            let cache = env.cache!
            let images = try cache.cutCheckpoint([a.opened!.file.fileId])
            for image in images { try cache.completeCheckpoint(image) }
            let journal = dir + "/" + CheckpointJournal.fileName
            try CheckpointJournal.write(images, lsn: LSN(file: 1, offset: 99), path: journal)
            // A crash here: committed, nothing in place yet.
            #expect(L.fileBytes(dir + "/a.db") == before)
            #expect(try CheckpointJournal.recover(path: journal) == .applied(LSN(file: 1, offset: 99), pages: images[0].count))
            #expect(Self.contains(L.fileBytes(dir + "/a.db"), "journal"))
            #expect(L.fileBytes(journal).isEmpty)
            // Again: nothing to do.
            #expect(try CheckpointJournal.recover(path: journal) == CheckpointJournal.Outcome.none)

            // Torn: the header written, a body byte lost.
            try CheckpointJournal.write(images, lsn: LSN(file: 1, offset: 99), path: journal)
            let fd = Glibc.open(journal, O_RDWR)
            var byte: UInt8 = 0
            _ = pread(fd, &byte, 1, 4096 + 40)
            byte ^= 0xFF
            _ = pwrite(fd, &byte, 1, 4096 + 40)
            close(fd)
            let snapshot = L.fileBytes(dir + "/a.db")
            #expect(try CheckpointJournal.recover(path: journal) == .discarded)
            #expect(L.fileBytes(dir + "/a.db") == snapshot)

            // Torn differently: only part of the body, no header.
            try CheckpointJournal.write(images, lsn: LSN(file: 1, offset: 99), path: journal)
            _ = truncate(journal, 4096 + 100)
            let zeros = [UInt8](repeating: 0, count: 4096)
            let fd2 = Glibc.open(journal, O_RDWR)
            _ = zeros.withUnsafeBytes { pwrite(fd2, $0.baseAddress, 4096, 0) }
            close(fd2)
            #expect(try CheckpointJournal.recover(path: journal) == .discarded)
            cache.finishCheckpoint(images)
            try a.close(noSync: false)
            try env.close()
        }
    }

    @Test func txnCheckpointFollowsLibdbThresholds() throws {
        try L.inScratch { dir in
            let env = try L.open(dir)
            let log = env.log!
            func grew(_ kbytes: UInt32, _ minutes: UInt32, _ flags: Int32 = 0) throws -> Bool {
                let before = log.nextLSN
                try env.checkpoint(kbytes: kbytes, minutes: minutes, flags: UInt32(flags))
                return log.nextLSN != before
            }
            #expect(try grew(0, 0))           // a new region: never quiescent
            #expect(try !grew(0, 0))          // nothing logged since
            #expect(try grew(0, 0, DB_FORCE))
            let a = try L.database(env, "a.db")
            for i in 0..<100 { try L.put(a, "k\(i)", String(repeating: "x", count: 100)) }
            #expect(try !grew(100_000, 0))    // not that much log
            #expect(try !grew(0, 1))          // not that long ago
            #expect(try grew(1, 0))           // more than a kilobyte
            #expect(try !grew(1, 0))
            #expect(try !grew(0, 0))
            try a.close(noSync: false)
            try env.close()
            // The region remembers the last checkpoint across a reopen; the
            // database's close was logged after it (libdb's dbreg close).
            let again = try L.open(dir)
            func grewAgain() throws -> Bool {
                let before = again.log!.nextLSN
                try again.checkpoint(kbytes: 0, minutes: 0, flags: 0)
                return again.log!.nextLSN != before
            }
            #expect(try grewAgain())
            #expect(try !grewAgain())
            try again.close()
            let third = try L.open(dir)
            let before = third.log!.nextLSN
            try third.checkpoint(kbytes: 0, minutes: 0, flags: 0)
            #expect(third.log!.nextLSN == before)
            try third.close()
        }
    }

    @Test func archiveListsLogFilesBeforeTheLastCut() throws {
        try L.inScratch { dir in
            let env = try L.open(dir) { e in
                try e.setLogBufferSize(16 * 1024)
                try e.setLogFileSize(64 * 1024)
            }
            #expect(try env.archiveLog(flags: UInt32(DB_ARCH_LOG)) == nil)   // libdb: nothing on disk yet
            let a = try L.database(env, "a.db")
            let b = try L.database(env, "b.db")
            #expect(try env.archiveLog(flags: UInt32(DB_ARCH_DATA)) == ["a.db", "b.db"])
            let value = String(repeating: "v", count: 200)
            for i in 0..<1000 { try L.put(i % 2 == 0 ? a : b, pad4(i), value) }
            #expect(try env.archiveLog(flags: 0) == nil)   // no checkpoint yet
            try env.checkpoint(kbytes: 0, minutes: 0, flags: 0)
            let all = try env.archiveLog(flags: UInt32(DB_ARCH_LOG)) ?? []
            #expect(all.count >= 3)
            let unneeded = try env.archiveLog(flags: 0) ?? []
            #expect(unneeded == Array(all.dropLast()))
            try env.archiveLog(flags: UInt32(DB_ARCH_REMOVE)).map { _ in Issue.record("remove lists nothing") }
            #expect(try env.archiveLog(flags: UInt32(DB_ARCH_LOG)) == [all.last!])
            #expect(try env.archiveLog(flags: 0) == nil)
            // The files the last checkpoint names survive the removal.
            #expect(try env.archiveLog(flags: UInt32(DB_ARCH_DATA)) == ["a.db", "b.db"])
            // set_lg_max after open applies to the next files.
            try env.setLogFileSize(32 * 1024)
            for i in 0..<400 { try L.put(a, "again" + pad4(i), value) }
            let newer = try env.archiveLog(flags: UInt32(DB_ARCH_LOG)) ?? []
            #expect(newer.count >= 3)
            try a.close(noSync: false)
            try b.close(noSync: false)
            try env.close()
        }
    }

    static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard n.count <= haystack.count else { return false }
        for i in 0...(haystack.count - n.count) where haystack[i] == n[0] {
            if Array(haystack[i..<(i + n.count)]) == n { return true }
        }
        return false
    }
}

/// "%04d".
func pad4(_ n: Int) -> String {
    let digits = String(n)
    return String(repeating: "0", count: Swift.max(0, 4 - digits.count)) + digits
}
