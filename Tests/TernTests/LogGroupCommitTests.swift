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
