// The lock table: grants and conflicts, counted re-requests, upgrades,
// DB_LOCK_NOWAIT, mutual exclusion under many threads, lockers and their
// errors, families (parent/child), inheritance, a full table, statistics,
// stale handles, and two views of one table.
import CBerkeleyDB
import Glibc
import Testing
@testable import TernEngine

@Suite struct LockTests {
    @Test func readersShareWritersExclude() throws {
        let t = try makeLockTable()
        let a = try t.newLocker(), b = try t.newLocker(), c = try t.newLocker()
        #expect([a, b, c] == [1, 2, 3])
        _ = try t.lock(a, "x", .read)
        _ = try t.lock(b, "x", .read)
        #expect(t.code(c, "x", .write, noWait: true) == DB_LOCK_NOTGRANTED)
        #expect(t.code(c, "x", .iwrite, noWait: true) == DB_LOCK_NOTGRANTED)
        #expect(t.code(c, "x", .iread, noWait: true) == 0)
        _ = try t.lock(c, "y", .write)
        #expect(t.code(a, "y", .read, noWait: true) == DB_LOCK_NOTGRANTED)
        // Dirty reads conflict with WRITE, not with WAS_WRITE.
        #expect(t.code(a, "y", .readUncommitted, noWait: true) == DB_LOCK_NOTGRANTED)
        _ = try t.lock(c, "w", .wasWrite)
        #expect(t.code(a, "w", .readUncommitted, noWait: true) == 0)
        #expect(t.code(a, "w", .read, noWait: true) == DB_LOCK_NOTGRANTED)
        #expect(t.heldCount(a) == 2)
        #expect(t.heldCount(c) == 3)
        let s = t.statistics(clear: false)
        #expect(s.lockNowait == 5)
        #expect(s.nlocks == 6)
        #expect(s.nobjects == 3)
    }

    @Test func reRequestIsCountedAndPutOncePerRequest() throws {
        let t = try makeLockTable()
        let a = try t.newLocker(), b = try t.newLocker()
        let h1 = try t.lock(a, "x", .write)
        let h2 = try t.lock(a, "x", .write)
        #expect(h1 == h2)
        #expect(t.heldCount(a) == 1)
        // A read on its own write lock: another lock, granted at once.
        let r = try t.lock(a, "x", .read, noWait: true)
        #expect(r.offset != h1.offset)
        #expect(t.heldCount(a) == 2)
        try t.unlock(r)
        try t.unlock(h1)
        #expect(t.code(b, "x", .read, noWait: true) == DB_LOCK_NOTGRANTED)
        try t.unlock(h2)
        #expect(t.code(b, "x", .read, noWait: true) == 0)
        // The handle is stale now.
        let e = lockError { try t.unlock(h2) }
        #expect(e == DBError(EINVAL, "DB_LOCK->lock_put: Lock is no longer valid"))
        let bogus = LockHandle(offset: 12345, generation: 0, mode: .read)
        #expect(lockError { try t.unlock(bogus) }?.code == EINVAL)
        #expect(t.statistics(clear: false).nreleases == 3)
    }

    @Test func downgradeLetsDirtyReadersIn() throws {
        let t = try makeLockTable()
        let a = try t.newLocker(), b = try t.newLocker()
        let w = try t.lock(a, "x", .write)
        #expect(t.code(b, "x", .readUncommitted, noWait: true) == DB_LOCK_NOTGRANTED)
        let ww = try t.downgrade(w, to: .wasWrite)
        #expect(ww.mode == .wasWrite)
        #expect(t.code(b, "x", .readUncommitted, noWait: true) == 0)
        #expect(t.code(b, "x", .read, noWait: true) == DB_LOCK_NOTGRANTED)
        #expect(t.statistics(clear: false).ndowngrade == 1)
        try t.unlock(ww)
        #expect(lockError { _ = try t.downgrade(ww, to: .read) }?.code == EINVAL)
    }

    @Test func upgradeWaitsForOtherReaders() throws {
        let t = try makeLockTable()
        let a = try t.newLocker(), b = try t.newLocker(), c = try t.newLocker()
        let ra = try t.lock(a, "x", .read)
        // Alone: a read holder's write is granted at once.
        _ = try t.lock(c, "z", .read)
        _ = try t.lock(c, "z", .write, noWait: true)
        let rb = try t.lock(b, "x", .read)
        #expect(t.code(a, "x", .write, noWait: true) == DB_LOCK_NOTGRANTED)
        let got = LockCell(Int32(99))
        let thread = LockThread { got.value = t.code(a, "x", .write) }
        waitUntilQueued(t, waits: 1)
        #expect(got.value == 99)
        // A new reader queues behind the upgrade (it waits at the head).
        #expect(t.code(c, "x", .read, noWait: true) == DB_LOCK_NOTGRANTED)
        try t.unlock(rb)
        thread.join()
        #expect(got.value == 0)
        #expect(t.heldCount(a) == 2)
        try t.unlock(ra)
        t.releaseAll(a)
        #expect(t.heldCount(a) == 0)
        #expect(t.code(c, "x", .write, noWait: true) == 0)
    }

    @Test func manyThreadsExcludeEachOther() throws {
        let t = try makeLockTable()
        final class Counter: @unchecked Sendable { var value = 0; var inside = 0; var overlap = false }
        let counter = Counter()
        let threads = 8, rounds = 1500
        let failures = LockCell(0)
        let workers = (0..<threads).map { i in
            LockThread {
                guard let me = try? t.newLocker() else { failures.update { $0 += 1 }; return }
                for n in 0..<rounds {
                    do throws(DBError) {
                        // Some shared reads on other objects, then the
                        // exclusive section.
                        let r = try t.lock(me, "shared-\(n % 7)", .read)
                        let w = try t.lock(me, "counter", .write)
                        counter.inside += 1
                        if counter.inside != 1 { counter.overlap = true }
                        counter.value += 1
                        counter.inside -= 1
                        try t.unlock(w)
                        try t.unlock(r)
                    } catch {
                        failures.update { $0 += 1 }
                    }
                    if n % 100 == i { sched_yield() }
                }
                try? t.freeLocker(me)
            }
        }
        for w in workers { w.join() }
        #expect(failures.value == 0)
        #expect(!counter.overlap)
        #expect(counter.value == threads * rounds)
        let s = t.statistics(clear: false)
        #expect(s.nlocks == 0)
        #expect(s.nlockers == 0)
        #expect(s.nobjects == 0)
        // Requests that grew the pool are counted twice, as in libdb.
        #expect(s.nrequests >= s.nreleases && s.nreleases == UInt64(2 * threads * rounds))
    }

    @Test func lockersAndTheirErrors() throws {
        let t = try makeLockTable { $0.lockMaxLockers = 3 }
        let a = try t.newLocker()
        _ = try t.newLocker()
        _ = try t.newLocker()
        #expect(lockError { _ = try t.newLocker() } == DBError(ENOMEM, "BDB2055 Lock table is out of available locker entries"))
        _ = try t.lock(a, "x", .read)
        #expect(lockError { try t.freeLocker(a) } == DBError(EINVAL, "BDB2047 Freeing locker with locks"))
        #expect(lockError { try t.freeLocker(0x3e7) } == DBError(EINVAL, "BDB2045 Unknown locker id: 3e7"))
        #expect(lockError { _ = try t.lock(999, "x", .read) } == DBError(EINVAL, "BDB2036 Locker does not exist"))
        t.releaseAll(a)
        try t.freeLocker(a)
        // The refused lock_id used up id 4, as libdb's does.
        #expect(try t.newLocker() == 5)
        t.setPriority(5, 7)
        #expect(t.priority(5) == 7)
        #expect(t.priority(2) == 100)
        #expect(t.priority(1) == nil)
    }

    @Test func fullTableIsENOMEMWithLibdbsMessage() throws {
        let t = try makeLockTable { $0.lockMaxLocks = 10 }
        let a = try t.newLocker()
        for i in 0..<10 { _ = try t.lock(a, "obj\(i)", .write) }
        let e = lockError { _ = try t.lock(a, "obj10", .write) }
        #expect(e == DBError(ENOMEM, "BDB2055 Lock table is out of available lock entries"))
        // A re-request of a held lock needs no new record.
        _ = try t.lock(a, "obj3", .write)
        let s = t.statistics(clear: false)
        #expect(s.nlocks == 10)
        #expect(s.locks == 10)
        #expect(s.maxLocks == 10)
        // As libdb, the object made for the refused request stays.
        #expect(s.nobjects == 11)
        t.releaseAll(a)
        _ = try t.lock(a, "obj10", .write)

        let objects = try makeLockTable { $0.lockMaxObjects = 6 }
        let b = try objects.newLocker()
        for i in 0..<6 { _ = try objects.lock(b, "o\(i)", .read) }
        #expect(lockError { _ = try objects.lock(b, "o6", .read) }?.code == ENOMEM)
    }

    @Test func familiesDoNotConflictWithAncestors() throws {
        let t = try makeLockTable()
        let parent: LockerID = 0x8000_0001, child: LockerID = 0x8000_0002
        let grandchild: LockerID = 0x8000_0003, other: LockerID = 0x8000_0004
        try t.registerTransaction(parent, parent: nil)
        try t.registerTransaction(child, parent: parent)
        try t.registerTransaction(grandchild, parent: child)
        try t.registerTransaction(other, parent: nil)
        _ = try t.lock(parent, "x", .write)
        // Descendants never wait for their ancestors' locks.
        let childX = try t.lock(child, "x", .write, noWait: true)
        #expect(t.code(grandchild, "x", .read, noWait: true) == 0)
        #expect(t.code(other, "x", .read, noWait: true) == DB_LOCK_NOTGRANTED)
        // But an ancestor waits for its descendants' (libdb's rule).
        _ = try t.lock(child, "y", .write)
        #expect(t.code(parent, "y", .read, noWait: true) == DB_LOCK_NOTGRANTED)
        // Nested commits: the locks move up and merge.
        t.transfer(from: grandchild, to: child)
        #expect(t.heldCount(grandchild) == 0)
        try t.freeLocker(grandchild)
        #expect(t.heldCount(child) == 3)
        t.transfer(from: child, to: parent)
        try t.freeLocker(child)
        #expect(t.heldCount(parent) == 3)   // x write (merged), x read, y write
        // The child's handle to the merged lock is stale.
        #expect(lockError { try t.unlock(childX) }?.code == EINVAL)
        #expect(t.statistics(clear: false).nlocks == 3)
        #expect(t.code(parent, "y", .read, noWait: true) == 0)
        #expect(t.code(other, "y", .read, noWait: true) == DB_LOCK_NOTGRANTED)
        t.releaseAll(parent)
        #expect(t.code(other, "x", .write, noWait: true) == 0)
        #expect(t.code(other, "y", .write, noWait: true) == 0)
        // A child takes its parent's priority.
        t.setPriority(other, 5)
        try t.registerTransaction(0x8000_0005, parent: other)
        #expect(t.priority(0x8000_0005) == 5)
    }

    @Test func nestedAbortReleasesOnlyTheChild() throws {
        let t = try makeLockTable()
        try t.registerTransaction(0x8000_0010, parent: nil)
        try t.registerTransaction(0x8000_0011, parent: 0x8000_0010)
        try t.registerTransaction(0x8000_0012, parent: nil)
        _ = try t.lock(0x8000_0010, "p", .write)
        _ = try t.lock(0x8000_0011, "c", .write)
        t.releaseAll(0x8000_0011)
        try t.freeLocker(0x8000_0011)
        #expect(t.code(0x8000_0012, "c", .write, noWait: true) == 0)
        #expect(t.code(0x8000_0012, "p", .write, noWait: true) == DB_LOCK_NOTGRANTED)
    }

    @Test func statisticsAndClear() throws {
        let t = try makeLockTable { $0.lockTimeout = 5000; $0.txnTimeout = 7000 }
        let a = try t.newLocker(), b = try t.newLocker()
        let h = try t.lock(a, "x", .write)
        _ = try t.lock(a, "x", .write)
        #expect(t.code(b, "x", .read, noWait: true) == DB_LOCK_NOTGRANTED)
        try t.unlock(h)
        var s = t.statistics(clear: true)
        #expect(s.id == 2)
        #expect(s.curMaxID == 0x7fff_ffff)
        #expect(s.nmodes == 9)
        #expect(s.nlockers == 2 && s.maxnlockers == 2)
        #expect(s.nlocks == 1 && s.maxnlocks == 1)
        #expect(s.nrequests == 3 && s.nreleases == 1 && s.lockNowait == 1)
        #expect(s.lockTimeout == 5000 && s.txnTimeout == 7000)
        #expect(s.initLocks == 5 && s.initObjects == 5 && s.partitions == 1)
        s = t.statistics(clear: false)
        #expect(s.nrequests == 0 && s.nreleases == 0 && s.lockNowait == 0)
        #expect(s.nlocks == 1 && s.maxnlocks == 1 && s.nobjects == 1)
        #expect(s.initLocks == 0)   // libdb's clear zeroes these too
    }

    @Test func twoViewsOfOneTable() throws {
        let home = makeTempHome("locks")
        defer { removeTree(home) }
        var config = EnvironmentConfig()
        config.lockPartitions = 1
        let size = Region.size(for: config)
        let r1 = try Region.open(home: home, size: size, create: true)
        let r2 = try Region.open(home: home, size: size, create: false)
        let t1 = try LockTable.attach(region: r1, config: config)
        // A joiner with another configuration takes the table as it is.
        var other = config
        other.lockMaxLocks = 3
        other.lockDetect = UInt32(DB_LOCK_OLDEST)
        let t2 = try LockTable.attach(region: r2, config: other)
        #expect(t1.detectPolicy == UInt32(DB_LOCK_OLDEST))
        var third = config
        third.lockDetect = UInt32(DB_LOCK_YOUNGEST)
        #expect(lockError { _ = try LockTable.attach(region: r2, config: third) }
                == DBError(EINVAL, "BDB2041 lock_open: incompatible deadlock detector mode"))
        let a = try t1.newLocker(), b = try t2.newLocker()
        #expect(b == a + 1)
        let h = try t1.lock(a, "x", .write)
        #expect(t2.code(b, "x", .read, noWait: true) == DB_LOCK_NOTGRANTED)
        let got = LockCell(Int32(99))
        let waiter = LockThread { got.value = t2.code(b, "x", .read) }
        waitUntilQueued(t1, waits: 1)
        #expect(got.value == 99)
        try t1.unlock(h)
        waiter.join()
        #expect(got.value == 0)
        #expect(t1.heldCount(b) == 1)
    }

    @Test func environmentAttachesTheTable() throws {
        let env = Environment()
        try env.open(home: nil, flags: UInt32(DB_CREATE | DB_PRIVATE | DB_INIT_LOCK), mode: 0, hasIsAlive: false)
        #expect(env.lockTable != nil)
        let a = try env.lockID()
        var raw = RawLock()
        let name = Array("x".utf8)
        var failure: DBError?
        name.withUnsafeBytes { buf in
            do throws(DBError) {
                try env.lockGet(locker: a, flags: 0, object: buf, mode: LockMode.write.rawValue, lock: &raw)
            } catch { failure = error }
        }
        #expect(failure == nil)
        #expect(raw.isValid && raw.mode == LockMode.write.rawValue)
        try env.lockPut(&raw)
        #expect(!raw.isValid)
        #expect(try env.lockDetect(flags: 0, policy: UInt32(DB_LOCK_DEFAULT)) == 0)
        #expect(lockError { _ = try env.lockDetect(flags: 0, policy: 0) }
                == DBError(EINVAL, "BDB2048 DB_ENV->lock_detect: unknown deadlock detection mode specified"))
        try env.close()
        #expect(env.lockTable == nil)

        let plain = Environment()
        #expect(lockError { _ = try plain.lockID() }
                == DBError(EINVAL, "BDB1566 DB_ENV->lock_id interface requires an environment configured for the locking subsystem"))
    }
}
