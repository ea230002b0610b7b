// Region: create/join/validate, the allocator's invariants, robust mutexes
// across a dying process, the shared latch.
import CBerkeleyDB
import Glibc
import Testing
@testable import TernEngine

/// A fresh directory under /tmp, removed by `cleanup`.
func makeTempHome(_ tag: String) -> String {
    var template = Array("/tmp/tern-\(tag)-XXXXXX".utf8CString)
    let p = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    precondition(p != nil, "mkdtemp failed")
    return String(cString: p!)
}

func removeTree(_ path: String) {
    if let d = opendir(path) {
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            unlink(path + "/" + name)
        }
        closedir(d)
    }
    rmdir(path)
}

func writeFile(_ path: String, _ bytes: [UInt8]) {
    let fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o600)
    precondition(fd >= 0)
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
}

func fileSize(_ path: String) -> Int {
    var st = stat()
    return stat(path, &st) == 0 ? Int(st.st_size) : -1
}

/// SplitMix64: a seeded generator, so failures reproduce.
struct SeededRandom: RandomNumberGenerator {
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

@Suite struct RegionTests {
    @Test func createJoinAndAreas() throws {
        let home = makeTempHome("region")
        defer { removeTree(home) }
        let size = Region.size(cacheBytes: 256 << 10)
        let a = try Region.open(home: home, size: size, create: true)
        #expect(a.created && a.size == size)
        var initialised = 0
        let locks = try a.area("locks", size: 1000) { _ in initialised += 1 }
        let txn = try a.area("txn", size: 64) { _ in initialised += 1 }
        #expect(initialised == 2 && locks != txn)
        a.pointer(locks).storeBytes(of: 0xFEED_BEEF as UInt64, as: UInt64.self)

        let b = try Region.open(home: home, size: 1, create: true)
        #expect(!b.created && b.size == size && b.regionId == a.regionId)
        // Found by name, not re-initialised, same bytes.
        let again = try b.area("locks", size: 1000) { _ in initialised += 1 }
        #expect(again == locks && initialised == 2)
        #expect(b.pointer(again).load(as: UInt64.self) == 0xFEED_BEEF)
        #expect(b.areaNames == ["locks", "txn"])
        #expect(b.existingArea("txn")?.size == 64)
        #expect(b.existingArea("rep") == nil)
        // A joiner asking for a bigger area than exists is refused.
        #expect(throws: DBError.self) { try b.area("txn", size: 4096) { _ in } }
        #expect(a.checkHeap() == nil)
        a.close(); b.close()
        // Without create, a missing region is ENOENT.
        Region.remove(home: home)
        #expect(throws: DBError(ENOENT, "tern region \(home)/__tern.region: no such file")) {
            try Region.open(home: home, size: size, create: false)
        }
    }

    @Test func creatorInitFlagsAreRecordedForJoiners() throws {
        let home = makeTempHome("regionflags")
        defer { removeTree(home) }
        let size = Region.size(cacheBytes: 64 << 10)
        let flags = UInt32(DB_INIT_MPOOL | DB_INIT_LOCK)
        let a = try Region.open(home: home, size: size, create: true, initFlags: flags)
        #expect(a.created && a.initFlags == flags)
        // A joiner's own initFlags argument changes nothing.
        let b = try Region.open(home: home, size: size, create: true, initFlags: UInt32(DB_INIT_TXN))
        #expect(!b.created && b.initFlags == flags)
        // The log hold is per process: the first handle is alone (no other
        // process has the log), this process's further handles share it.
        #expect(try a.holdLog() == Region.LogHold(firstInProcess: true, alone: true))
        a.shareLogHold()
        #expect(try b.holdLog() == Region.LogHold(firstInProcess: false, alone: false))
        #expect(a.logHolds == 2)
        b.releaseLogHold(); a.releaseLogHold()
        #expect(a.logHolds == 0)
        #expect(try a.holdLog() == Region.LogHold(firstInProcess: true, alone: true))
        a.releaseLogHold()
        a.close(); b.close()
    }

    private func expectRejected(_ home: String, _ bytes: [UInt8], code: Int32 = EINVAL) {
        writeFile(home + "/" + Region.fileName, bytes)
        do {
            _ = try Region.open(home: home, size: 1 << 20, create: true)
            Issue.record("a bad region file was accepted")
        } catch {
            #expect(error.code == code)
            #expect(error.message?.hasPrefix("tern region ") == true)
        }
    }

    @Test func foreignAndCorruptFilesAreErrors() throws {
        let home = makeTempHome("badregion")
        defer { removeTree(home) }
        expectRejected(home, [])                                    // empty
        expectRejected(home, [UInt8](repeating: 7, count: 100))     // truncated header
        var rng = SeededRandom(seed: 42)
        for _ in 0..<20 {                                           // random bytes
            let n = Int.random(in: 4096...20000, using: &rng)
            expectRejected(home, (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) })
        }
        // A real region, then damaged in several ways.
        Region.remove(home: home)
        let size = Region.size(cacheBytes: 64 << 10)
        let r = try Region.open(home: home, size: size, create: true)
        _ = try r.area("cache", size: 100) { _ in }
        r.close()
        let path = home + "/" + Region.fileName
        var good = [UInt8](repeating: 0, count: fileSize(path))
        let fd = open(path, O_RDONLY)
        _ = good.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        close(fd)
        var bad = good; bad[0] ^= 0xFF                               // magic
        expectRejected(home, bad)
        bad = good; bad[8] = 99                                      // version
        expectRejected(home, bad, code: DB_VERSION_MISMATCH)
        expectRejected(home, Array(good[0..<(good.count / 2)]))      // truncated
        bad = good; bad[256 + 16 + 7] = 0x7F                         // area offset out of bounds
        expectRejected(home, bad)
        bad = good; bad[64 + 7] = 0x40                               // heap free head
        expectRejected(home, bad)
        // The intact copy still opens.
        writeFile(path, good)
        let again = try Region.open(home: home, size: size, create: false)
        #expect(again.existingArea("cache") != nil)
    }

    @Test func allocatorInvariantsUnderRandomAllocAndFree() throws {
        let r = try Region.makePrivate(size: 2 << 20)
        let capacity = r.heap.capacity
        var rng = SeededRandom(seed: 7)
        var live: [(RegionOffset, Int, UInt8)] = []
        var tag: UInt8 = 0
        for step in 0..<6000 {
            if live.isEmpty || Int.random(in: 0..<100, using: &rng) < 55 {
                let n = Int.random(in: 0...(Bool.random(using: &rng) ? 64 : 20000), using: &rng)
                do {
                    let off = try r.allocate(n)
                    #expect(off.raw % 16 == 0)
                    #expect(Int(off.raw) >= Region.headerSize && Int(off.raw) + n <= r.size)
                    tag &+= 1
                    r.pointer(off).initializeMemory(as: UInt8.self, repeating: tag, count: n)
                    live.append((off, n, tag))
                } catch {
                    #expect(error.code == ENOMEM)
                }
            } else {
                let k = Int.random(in: 0..<live.count, using: &rng)
                let (off, n, t) = live.remove(at: k)
                // Nobody else wrote into this block.
                let p = r.pointer(off)
                #expect((0..<n).allSatisfy { p.load(fromByteOffset: $0, as: UInt8.self) == t })
                r.free(off)
            }
            if step % 250 == 0, let problem = r.checkHeap() {
                Issue.record("heap invariant broken at step \(step): \(problem)")
                return
            }
        }
        #expect(r.checkHeap() == nil)
        for (off, _, _) in live { r.free(off) }
        #expect(r.checkHeap() == nil)
        #expect(r.heapInUse == 0)
        // Everything coalesced back into one block.
        #expect(r.heap.freeSpace().largest == capacity)
        // A bad free is refused without damage.
        #expect(r.heap.free(RegionOffset(Region.headerSize + 48)) == false)
        #expect(r.checkHeap() == nil)
        // Too big is ENOMEM, not a crash.
        #expect(throws: DBError.self) { try r.allocate(r.size * 2) }
    }

    @Test func robustMutexReportsDeadOwner() throws {
        let r = try Region.makePrivate(size: 1 << 20)
        let off = try r.allocate(SharedMutex.size)
        let m = SharedMutex.initialize(at: r.pointer(off))
        #expect(m.lock() == .acquired)
        m.unlock()
        // A child process takes the mutex and exits holding it. The child
        // runs only C functions (lock, _exit): async-signal-safe enough.
        let raw = m.raw
        let pid = fork()
        if pid == 0 {
            pthread_mutex_lock(raw)
            _exit(0)
        }
        #expect(pid > 0)
        var status: Int32 = 0
        #expect(waitpid(pid, &status, 0) == pid)
        #expect(m.tryLock() == .previousOwnerDied)
        m.unlock()
        #expect(m.lock() == .acquired)
        m.unlock()
        // Through the region, the death is counted for the environment.
        let pid2 = fork()
        if pid2 == 0 {
            pthread_mutex_lock(raw)
            _exit(0)
        }
        _ = waitpid(pid2, &status, 0)
        #expect(r.ownerDeaths == 0)
        #expect(r.lock(m) == .previousOwnerDied)
        m.unlock()
        #expect(r.ownerDeaths == 1)
    }

    @Test func robustMutexReportsDeadThread() throws {
        let r = try Region.makePrivate(size: 1 << 20)
        let m = SharedMutex.initialize(at: r.pointer(try r.allocate(SharedMutex.size)))
        var thread = pthread_t()
        let box = UnsafeMutablePointer<pthread_mutex_t>(m.raw)
        let rc = pthread_create(&thread, nil, { arg in
            pthread_mutex_lock(arg!.assumingMemoryBound(to: pthread_mutex_t.self))
            return nil // exits holding it
        }, UnsafeMutableRawPointer(box))
        #expect(rc == 0)
        pthread_join(thread, nil)
        #expect(m.lock() == .previousOwnerDied)
        m.unlock()
    }

    @Test func mutexExcludesThreads() async throws {
        let r = try Region.makePrivate(size: 1 << 20)
        let off = try r.allocate(SharedMutex.size + 8)
        let m = SharedMutex.initialize(at: r.pointer(off))
        let counter = off + SharedMutex.size
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<20000 {
                        m.lock()
                        let p = r.pointer(counter)
                        p.storeBytes(of: p.load(as: UInt64.self) + 1, as: UInt64.self)
                        m.unlock()
                    }
                }
            }
        }
        #expect(r.pointer(counter).load(as: UInt64.self) == 80000)
    }

    @Test func sharedLatchSharedAndExclusive() throws {
        let r = try Region.makePrivate(size: 1 << 20)
        let l = SharedLatch.initialize(at: r.pointer(try r.allocate(SharedLatch.size)))
        l.lockShared()
        #expect(l.tryLockShared())       // readers share
        #expect(!l.tryLockExclusive())   // a writer waits for them
        l.unlock(); l.unlock()
        l.lockExclusive()
        #expect(!l.tryLockShared())
        l.unlock()
        // Across processes: a child sees the parent's exclusive hold.
        l.lockExclusive()
        let raw = l.raw
        let pid = fork()
        if pid == 0 {
            _exit(pthread_rwlock_tryrdlock(raw) == EBUSY ? 0 : 1)
        }
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        l.unlock()
        #expect((status >> 8) & 0xFF == 0)
    }
}
