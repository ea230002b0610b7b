// Group commit: concurrent DB_TXN_SYNC commits share fdatasyncs. The tests
// count syncs through the injectable sync function and assert only logical
// properties (how many syncs, what is durable), never timings.
import CBerkeleyDB
import Glibc
import Testing
@testable import TernEngine

@Suite struct LogGroupCommitTests {
    @Test func overlappingCommitsShareSyncs() throws {
        let dir = LogTestDir(); defer { dir.cleanup() }
        let gate = LogTestGate()
        // The first sync is held until all 8 committers have appended: they
        // then all wait behind it, and the next leader's single sync covers
        // every one of them. So exactly 2 syncs for 8 commits.
        let log = try Log.open(.init(directory: dir.path, bufferSize: 1 << 16), sync: { fd in
            if gate.add("sync") == 1 { gate.wait("appended", atLeast: 8) }
            return fdatasync(fd)
        })
        let results = LogTestGate()
        logRunThreads(8) { i in
            do {
                let lsn = try log.append(type: UInt32(i), payload: logPayload(i, size: 100))
                gate.add("appended")
                try log.flush(upTo: lsn, sync: true)
                if log.isDurable(lsn) { results.add("durable") }
            } catch {
                results.add("failed")
            }
        }
        #expect(results.value("failed") == 0)
        #expect(results.value("durable") == 8)
        #expect(gate.value("sync") == 2)
        #expect(log.statistics.syncs == 2)
        #expect(log.statistics.coveredFlushes >= 6)
        // Durable means on disk: an independent reader finds all 8.
        #expect(try logReadForward(LogCursor(directory: dir.path)).count == 8)
    }

    @Test func manyThreadsManyCommits() throws {
        let dir = LogTestDir(); defer { dir.cleanup() }
        let gate = LogTestGate()
        let log = try Log.open(.init(directory: dir.path, bufferSize: 4096, fileSize: 256 * 1024), sync: { fd in
            gate.add("sync")
            return fdatasync(fd)
        })
        let results = LogTestGate()
        let perThread = 60
        logRunThreads(8) { t in
            let reader = LogCursor(directory: dir.path)
            for i in 0..<perThread {
                do {
                    let p = logPayload(t * 1000 + i, size: 20 + (t * 31 + i * 17) % 400)
                    let lsn = try log.append(type: UInt32(t), payload: p)
                    try log.flush(upTo: lsn, sync: true)
                    // After return: durable, and in the file for anyone to read.
                    let r = try reader.set(lsn)
                    if log.isDurable(lsn) && r.payload == p { results.add("ok") }
                } catch {
                    results.add("failed")
                }
            }
        }
        let commits = 8 * perThread
        #expect(results.value("failed") == 0)
        #expect(results.value("ok") == commits)
        let stats = log.statistics
        #expect(Int(stats.syncs) <= commits)
        #expect(Int(stats.syncs + stats.rolloverSyncs) == gate.value("sync"))
        #expect(stats.records == UInt64(commits))
        let all = try logReadForward(LogCursor(log: log))
        #expect(all.count == commits)
        for t in 0..<8 { #expect(all.filter { $0.type == UInt32(t) }.count == perThread) }
    }
}

extension LogGroupCommitTests {
    /// Transactions committing DB_TXN_SYNC into ONE database share syncs
    /// too: a commit releases the tree's latch before it waits for the
    /// disk. The first sync after the committers start is held until all 8
    /// commit records are in the log, which they can only reach if that
    /// sync's transaction no longer holds the latch; then one more sync
    /// covers the other 7. (The hold is bounded: a latch held through the
    /// sync shows as `sawAll == false`, not as a hung test.)
    @Test func transactionsOnOneTreeShareSyncs() throws {
        final class Probe: @unchecked Sendable {  // guarded by `lock`
            let lock = LocalLock()
            var log: Log?
            var armedAt: UInt64?
            var syncs = 0
            var sawAll = false
        }
        let dir = LogTestDir(); defer { dir.cleanup() }
        let probe = Probe()
        let env = Environment()
        env.logSyncForTesting = { fd in
            let (log, armedAt, first) = probe.lock.withLock { () -> (Log?, UInt64?, Bool) in
                if probe.armedAt != nil { probe.syncs += 1 }
                return (probe.log, probe.armedAt, probe.syncs == 1)
            }
            if let log, let armedAt, first {
                // No event marks an append: look at the log's record count,
                // for at most 10 s.
                let deadline = time(nil) + 10
                while log.statistics.records < armedAt + 8 && time(nil) < deadline { sched_yield() }
                let all = log.statistics.records >= armedAt + 8
                probe.lock.withLock { probe.sawAll = all }
            }
            return fdatasync(fd)
        }
        try env.open(home: dir.path, flags: UInt32(DB_CREATE | DB_INIT_MPOOL | DB_INIT_LOG | DB_INIT_TXN | DB_INIT_LOCK | DB_THREAD),
                     mode: 0, hasIsAlive: false)
        let db = Database(environment: env)
        try db.open(file: "t.db", database: nil, type: DB_BTREE, flags: UInt32(DB_CREATE | DB_AUTO_COMMIT | DB_THREAD),
                    mode: 0, options: BtreeOptions())
        // Each committer's key gets its own next key ([i, 9]), so their gap
        // locks do not conflict (an empty tree's single gap would serialize
        // them on the lock table instead).
        let load = try env.beginTransaction(parent: nil, flags: 0)
        for i in 0..<8 {
            try withBuffer([UInt8(i), 9]) { (kb) throws(DBError) in
                try withBuffer([1]) { (dd) throws(DBError) in try db.put(key: kb, data: dd, .keyLast, txn: load) }
            }
        }
        _ = try load.commit(flags: UInt32(DB_TXN_SYNC))
        let log = try #require(env.log)
        probe.lock.withLock { probe.log = log; probe.armedAt = log.statistics.records }
        let results = LogTestGate()
        // DB_THREAD handles, used from every thread as libdb allows.
        nonisolated(unsafe) let sharedEnv = env, sharedDB = db
        logRunThreads(8) { i in
            do throws(DBError) {
                let txn = try sharedEnv.beginTransaction(parent: nil, flags: 0)
                let key: [UInt8] = [UInt8(i), 1, 2, 3], data = [UInt8](repeating: UInt8(i), count: 100)
                try withBuffer(key) { (kb) throws(DBError) in
                    try withBuffer(data) { (dd) throws(DBError) in try sharedDB.put(key: kb, data: dd, .keyLast, txn: txn) }
                }
                if try txn.commit(flags: UInt32(DB_TXN_SYNC)) == nil { results.add("committed") }
            } catch {
                results.add("failed")
            }
        }
        #expect(results.value("committed") == 8)
        #expect(probe.lock.withLock { probe.sawAll })
        #expect(probe.lock.withLock { probe.syncs } == 2)
        try db.close(noSync: false)
        try env.close()
    }
}
