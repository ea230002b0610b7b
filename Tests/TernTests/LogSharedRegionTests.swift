// The log in the region (Log/LogShared.swift): two Log handles over two
// mappings of one region file behave as two processes' handles do — one
// shared tail and buffer, each handle with its own file descriptor. And the
// file registry (Txn/FileRegistry.swift), shared the same way.
import CBerkeleyDB
import Glibc
import Testing
@testable import TernEngine

@Suite struct LogSharedRegionTests {
    /// Two mappings of one region file in `dir`, as two processes have.
    func twoMappings(_ dir: String) throws -> (Region, Region) {
        let size = Region.size(cacheBytes: 64 << 10, otherAreas: 1 << 20)
        let a = try Region.open(home: dir, size: size, create: true)
        let b = try Region.open(home: dir, size: size, create: true)
        #expect(a.created && !b.created && a.base != b.base)
        return (a, b)
    }

    @Test func appendsFromTwoHandlesInterleaveWithUniqueOrderedLSNs() throws {
        let dir = LogTestDir(); defer { dir.cleanup() }
        let (ra, rb) = try twoMappings(dir.path)
        defer { ra.close(); rb.close() }
        // Small files: the handles roll over under each other.
        let config = Log.Configuration(directory: dir.path, bufferSize: 1024, fileSize: 8192)
        let a = try Log.open(config, region: ra)
        let b = try Log.open(config, region: rb)
        let perThread = 150
        final class Appended: @unchecked Sendable {  // guarded by gate's lock via add(); arrays per thread
            var lsns: [[(LSN, Int)]] = Array(repeating: [], count: 4)
        }
        let appended = Appended()
        let failures = LogTestGate()
        logRunThreads(4) { t in
            let log = t % 2 == 0 ? a : b
            var mine: [(LSN, Int)] = []
            for i in 0..<perThread {
                let id = t * 10_000 + i
                do {
                    let lsn = try log.append(type: UInt32(t), payload: logPayload(id, size: 10 + id % 300))
                    if i % 10 == 0 { try log.flush(upTo: lsn, sync: i % 20 == 0) }
                    mine.append((lsn, id))
                } catch {
                    failures.add("failed")
                }
            }
            appended.lsns[t] = mine
        }
        #expect(failures.value("failed") == 0)
        try a.flush(sync: true)
        // Each handle sees the other's records: one tail.
        #expect(a.nextLSN == b.nextLSN && a.lastLSN == b.lastLSN)
        #expect(a.nextLSN.file >= 3)
        let records = try logReadForward(LogCursor(directory: dir.path))
        #expect(records.count == 4 * perThread)
        var seen: [LSN: Int] = [:]
        for t in 0..<4 { for (lsn, id) in appended.lsns[t] { seen[lsn] = id } }
        #expect(seen.count == 4 * perThread, "LSNs are unique")
        var previous = LSN.zero
        for r in records {
            #expect(r.lsn > previous)
            previous = r.lsn
            if let id = seen[r.lsn] {
                #expect(r.payload == logPayload(id, size: 10 + id % 300))
            } else {
                Issue.record("record at \(r.lsn) was not appended by any handle")
            }
        }
        try a.close(); try b.close()
    }

    @Test func rolloverByOneHandleMovesTheOthersWrites() throws {
        let dir = LogTestDir(); defer { dir.cleanup() }
        let (ra, rb) = try twoMappings(dir.path)
        defer { ra.close(); rb.close() }
        let config = Log.Configuration(directory: dir.path, bufferSize: 512, fileSize: 2048)
        let a = try Log.open(config, region: ra)
        let b = try Log.open(config, region: rb)
        // B writes into file 1 (its descriptor is now file 1's).
        let first = try b.append(type: 1, payload: logPayload(1, size: 100))
        try b.flush(upTo: first, sync: true)
        // A alone moves the log two files on.
        var i = 2
        while a.nextLSN.file < 3 {
            try a.append(type: 2, payload: logPayload(i, size: 300))
            i += 1
        }
        try a.flush(sync: false)
        // B's next record goes where the shared tail says, in file 3, and is
        // written there through a descriptor B reopens.
        let next = try b.append(type: 3, payload: logPayload(999, size: 100))
        #expect(next.file == 3)
        try b.flush(upTo: next, sync: true)
        #expect(b.isDurable(next) && a.isDurable(next))
        let records = try logReadForward(LogCursor(directory: dir.path))
        #expect(records.count == i - 2 + 2)
        #expect(records.first?.lsn == first && records.last?.lsn == next)
        #expect(records.last?.payload == logPayload(999, size: 100))
        // File 1 ends with its own records: nothing of B's landed there at
        // file 3's offsets.
        let file1 = records.filter { $0.lsn.file == 1 }
        #expect(dir.isZero(1, from: Int(file1.last!.lsn.offset) + LogFormat.frameSize + file1.last!.payload.count))
        try a.close(); try b.close()
    }

    @Test func aSyncLeaderCoversTheOtherHandlesWaiters() throws {
        let dir = LogTestDir(); defer { dir.cleanup() }
        let (ra, rb) = try twoMappings(dir.path)
        defer { ra.close(); rb.close() }
        let gate = LogTestGate()
        // Whichever handle leads the first sync holds it until all 8
        // committers (4 per handle) have appended: the others queue behind
        // it on the shared flush mutex, and one more sync covers all of
        // them. Per-handle group commit would need at least 3.
        let sync: Log.SyncFunction = { fd in
            if gate.add("sync") == 1 { gate.wait("appended", atLeast: 8) }
            return fdatasync(fd)
        }
        let config = Log.Configuration(directory: dir.path, bufferSize: 1 << 16)
        let a = try Log.open(config, region: ra, sync: sync)
        let b = try Log.open(config, region: rb, sync: sync)
        let results = LogTestGate()
        logRunThreads(8) { i in
            let log = i % 2 == 0 ? a : b
            do {
                let lsn = try log.append(type: UInt32(i), payload: logPayload(i, size: 100))
                gate.add("appended")
                try log.flush(upTo: lsn, sync: true)
                if a.isDurable(lsn) && b.isDurable(lsn) { results.add("durable") }
            } catch {
                results.add("failed")
            }
        }
        #expect(results.value("failed") == 0)
        #expect(results.value("durable") == 8)
        #expect(gate.value("sync") == 2)
        #expect(a.statistics.syncs == 2 && b.statistics.syncs == 2)
        #expect(try logReadForward(LogCursor(directory: dir.path)).count == 8)
        try a.close(); try b.close()
    }

    @Test func aJoiningHandleTakesTheSharedSizes() throws {
        let dir = LogTestDir(); defer { dir.cleanup() }
        let (ra, rb) = try twoMappings(dir.path)
        defer { ra.close(); rb.close() }
        let a = try Log.open(.init(directory: dir.path, bufferSize: 4096, fileSize: 1 << 20), region: ra)
        let b = try Log.open(.init(directory: dir.path, bufferSize: 8192, fileSize: 1 << 16), region: rb)
        #expect(b.configuration.bufferSize == 4096 && b.configuration.fileSize == 1 << 20)
        try a.close()
        // Closing one handle leaves the log open for the other.
        let lsn = try b.append(type: 1, payload: logPayload(1, size: 10))
        try b.flush(upTo: lsn, sync: true)
        #expect(a.nextLSN.offset < b.nextLSN.offset)   // a's copy from its close
        try b.close()
    }

    @Test func aDeadOwnerOfTheLogMutexPanicsTheRegion() throws {
        let dir = LogTestDir(); defer { dir.cleanup() }
        let (ra, rb) = try twoMappings(dir.path)
        defer { ra.close(); rb.close() }
        let config = Log.Configuration(directory: dir.path, bufferSize: 4096)
        let a = try Log.open(config, region: ra)
        let b = try Log.open(config, region: rb)
        try a.append(type: 1, payload: logPayload(1, size: 10))
        // A thread "dies" holding a's view of the log mutex.
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { arg in
            pthread_mutex_lock(arg!.assumingMemoryBound(to: pthread_mutex_t.self))
            return nil
        }, UnsafeMutableRawPointer(a.lock.mutex.raw))
        #expect(rc == 0)
        pthread_join(thread, nil)
        #expect(!rb.isPanicked)
        let e = logErrorOf { try b.append(type: 1, payload: logPayload(2, size: 10)) }
        #expect(e?.code == DB_RUNRECOVERY)
        #expect(rb.isPanicked && ra.isPanicked)
        #expect(logErrorOf { try a.flush(sync: true) }?.code == DB_RUNRECOVERY)
    }

    @Test func aSyncLeaderThatDiedPanicsItsWaiters() throws {
        let dir = LogTestDir(); defer { dir.cleanup() }
        let (ra, rb) = try twoMappings(dir.path)
        defer { ra.close(); rb.close() }
        let config = Log.Configuration(directory: dir.path, bufferSize: 4096)
        let a = try Log.open(config, region: ra)
        let b = try Log.open(config, region: rb)
        let lsn = try b.append(type: 1, payload: logPayload(1, size: 10))
        // A leader of a's process "dies" in its sync: the flag is set and
        // the flush mutex is held by a thread that is gone.
        a.lock.lock()
        a.s.syncInProgress = true
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { arg in
            pthread_mutex_lock(arg!.assumingMemoryBound(to: pthread_mutex_t.self))
            return nil
        }, UnsafeMutableRawPointer(a.lock.flushMutex.raw))
        #expect(rc == 0)
        pthread_join(thread, nil)
        a.lock.unlock()
        // b's committer waits for that sync, finds its leader dead, and
        // panics instead of waiting for ever.
        #expect(logErrorOf { try b.flush(upTo: lsn, sync: true) }?.code == DB_RUNRECOVERY)
        #expect(rb.isPanicked && ra.isPanicked)
        #expect(!b.isDurable(lsn))
    }

    /// A checkpoint taken through one environment handle carries the files
    /// another handle registered (in another process the same: the table is
    /// in the region; compat-tests/multiprocess/mp_log.c kills both and
    /// recovers).
    @Test func aCheckpointCarriesRegistrationsOfEveryHandle() throws {
        try LoggedEnv.inScratch { dir in
            let envA = try LoggedEnv.open(dir)
            let envB = try LoggedEnv.open(dir)
            let db = try LoggedEnv.database(envB, "b.db")
            try LoggedEnv.put(db, "k", "v")
            try envA.checkpoint(kbytes: 0, minutes: 0, flags: UInt32(DB_FORCE))
            let found = try envA.findLastCheckpoint()
            #expect(found?.record.registrations.contains { $0.path.hasSuffix("b.db") } == true)
            try db.close(noSync: false)
            try envB.close()
            try envA.close()
        }
    }
}
