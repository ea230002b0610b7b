// The deadlock detector and timeouts: cycles of two and three lockers with
// exactly one victim (the automatic detector at block time, lock_detect
// with each policy, priorities), cycles through transaction families,
// lock and transaction timeouts expired by a detector pass, and the access
// methods' NOTGRANTED-to-DEADLOCK rule.
import CBerkeleyDB
import Glibc
import Testing
@testable import TernEngine

@Suite struct LockDeadlockTests {
    /// Starts `locker` asking for `name` on a thread that releases
    /// everything it holds when its request returns; the result lands in
    /// the returned cell (99 while waiting).
    func ask(_ t: LockTable, _ locker: LockerID, _ name: String, _ mode: LockMode = .write)
        -> (LockThread, LockCell<Int32>) {
        let cell = LockCell(Int32(99))
        let waits = t.statistics(clear: false).lockWait
        let thread = LockThread {
            cell.value = t.code(locker, name, mode)
            t.releaseAll(locker)
        }
        waitUntilQueued(t, waits: waits + 1) { cell.value != 99 }
        return (thread, cell)
    }

    @Test func twoLockerCycleHasOneVictim() throws {
        let t = try makeLockTable { $0.lockDetect = UInt32(DB_LOCK_DEFAULT) }
        let a = try t.newLocker(), b = try t.newLocker()
        _ = try t.lock(a, "X", .write)
        _ = try t.lock(b, "Y", .write)
        let (ta, ra) = ask(t, a, "Y")
        #expect(ra.value == 99)
        let (tb, rb) = ask(t, b, "X")
        ta.join()
        tb.join()
        // DB_LOCK_DEFAULT aborts the first deadlocked locker it finds,
        // the newest: b.
        #expect(ra.value == 0)
        #expect(rb.value == DB_LOCK_DEADLOCK)
        let s = t.statistics(clear: false)
        #expect(s.ndeadlocks == 1)
        #expect(s.lockWait == 2)
        #expect(s.nlocks == 0)
    }

    @Test func oldestPolicyAbortsTheOlder() throws {
        let t = try makeLockTable { $0.lockDetect = UInt32(DB_LOCK_OLDEST) }
        let a = try t.newLocker(), b = try t.newLocker()
        _ = try t.lock(a, "X", .write)
        _ = try t.lock(b, "Y", .write)
        let (tb, rb) = ask(t, b, "X")
        let (ta, ra) = ask(t, a, "Y")
        ta.join()
        tb.join()
        #expect(ra.value == DB_LOCK_DEADLOCK)
        #expect(rb.value == 0)
    }

    /// Three lockers waiting in a cycle, broken by one lock_detect pass:
    /// returns the lockers' results (in id order) and the pass's count.
    func threeCycle(_ policy: Int32, extraLocksFor extra: Int? = nil,
                    priority: (index: Int, value: UInt32)? = nil) throws -> ([Int32], Int) {
        let t = try makeLockTable()
        let ids = try (0..<3).map { _ in try t.newLocker() }
        let names = ["X", "Y", "Z"]
        for i in 0..<3 { _ = try t.lock(ids[i], names[i], .write) }
        if let extra {
            _ = try t.lock(ids[extra], "E1", .write)
            _ = try t.lock(ids[extra], "E2", .read)
            _ = try t.lock(ids[(extra + 1) % 3], "E3", .read)
        }
        if let priority { t.setPriority(ids[priority.index], priority.value) }
        let waits = (0..<3).map { ask(t, ids[$0], names[($0 + 1) % 3]) }
        #expect(waits.allSatisfy { $0.1.value == 99 })
        let rejected = try t.detect(UInt32(bitPattern: policy))
        for w in waits { w.0.join() }
        #expect(try t.detect(UInt32(bitPattern: policy)) == 0)
        #expect(t.statistics(clear: false).ndeadlocks == 1)
        return (waits.map { $0.1.value }, rejected)
    }

    @Test func threeLockerCyclesPickTheVictimByPolicy() throws {
        let D = DB_LOCK_DEADLOCK
        // The same victims libdb picks (compat-tests/cases/lock_deadlock.c).
        #expect(try threeCycle(DB_LOCK_DEFAULT) == ([0, D, 0], 1))
        #expect(try threeCycle(DB_LOCK_RANDOM) == ([0, D, 0], 1))
        #expect(try threeCycle(DB_LOCK_OLDEST) == ([D, 0, 0], 1))
        #expect(try threeCycle(DB_LOCK_YOUNGEST) == ([0, 0, D], 1))
        #expect(try threeCycle(DB_LOCK_MAXLOCKS, extraLocksFor: 1) == ([0, D, 0], 1))
        #expect(try threeCycle(DB_LOCK_MINLOCKS, extraLocksFor: 1) == ([D, 0, 0], 1))
        #expect(try threeCycle(DB_LOCK_MAXWRITE, extraLocksFor: 2) == ([0, 0, D], 1))
        #expect(try threeCycle(DB_LOCK_MINWRITE, extraLocksFor: 0) == ([0, 0, D], 1))
        // Priority first: a higher priority is never the victim.
        #expect(try threeCycle(DB_LOCK_YOUNGEST, priority: (2, 200)) == ([0, D, 0], 1))
        #expect(try threeCycle(DB_LOCK_OLDEST, priority: (0, 200)) == ([0, D, 0], 1))
        #expect(try threeCycle(DB_LOCK_YOUNGEST, priority: (1, 50)) == ([0, D, 0], 1))
    }

    @Test func randomTransactionsAlwaysFinish() throws {
        // Threads lock random objects in random order, as transactions;
        // a deadlock victim releases everything and retries. Every
        // transaction finishes, and the table ends empty.
        let t = try makeLockTable { $0.lockDetect = UInt32(DB_LOCK_DEFAULT) }
        let committed = LockCell(0), victims = LockCell(0), errors = LockCell(0)
        let threads = (0..<6).map { i in
            LockThread {
                var rng = SeededRandom(seed: UInt64(i + 1))
                var txn = LockerID(0x8000_0000 + i * 10_000)
                for _ in 0..<200 {
                    let names = (0..<3).map { _ in "o\(Int.random(in: 0..<8, using: &rng))" }
                    var done = false
                    while !done {
                        txn += 1
                        do throws(DBError) {
                            try t.registerTransaction(txn, parent: nil)
                            for (k, name) in names.enumerated() {
                                _ = try t.lock(txn, name, k == 2 ? .write : .read)
                                sched_yield()
                                _ = try t.lock(txn, name, .write)
                            }
                            done = true
                        } catch where error.code == DB_LOCK_DEADLOCK {
                            victims.update { $0 += 1 }
                        } catch {
                            errors.update { $0 += 1 }
                            done = true
                        }
                        t.releaseAll(txn)
                        try? t.freeLocker(txn)
                    }
                    committed.update { $0 += 1 }
                }
            }
        }
        for th in threads { th.join() }
        #expect(errors.value == 0)
        #expect(committed.value == 6 * 200)
        let s = t.statistics(clear: false)
        #expect(s.nlocks == 0 && s.nobjects == 0 && s.nlockers == 0)
        #expect(s.ndeadlocks == UInt64(victims.value))
    }

    @Test func noCycleNoVictim() throws {
        let t = try makeLockTable()
        let a = try t.newLocker(), b = try t.newLocker()
        _ = try t.lock(a, "X", .write)
        let (tb, rb) = ask(t, b, "X")
        #expect(try t.detect(UInt32(DB_LOCK_DEFAULT)) == 0)
        #expect(rb.value == 99)
        t.releaseAll(a)
        tb.join()
        #expect(rb.value == 0)
    }

    @Test func familyCycleIsDetected() throws {
        // T1's child waits for T2; T2 waits for T1: a cycle through the
        // family, broken by aborting one request.
        let t = try makeLockTable { $0.lockDetect = UInt32(DB_LOCK_DEFAULT) }
        let t1: LockerID = 0x8000_0001, child: LockerID = 0x8000_0002, t2: LockerID = 0x8000_0003
        try t.registerTransaction(t1, parent: nil)
        try t.registerTransaction(child, parent: t1)
        try t.registerTransaction(t2, parent: nil)
        _ = try t.lock(t1, "A", .write)
        _ = try t.lock(t2, "B", .write)
        let (tc, rc) = ask(t, child, "B")
        let (t2t, r2) = ask(t, t2, "A")
        tc.join()
        t2t.join()
        #expect([rc.value, r2.value].filter { $0 == DB_LOCK_DEADLOCK }.count == 1)
        #expect([rc.value, r2.value].filter { $0 == 0 }.count == 1)
    }

    @Test func lockTimeoutExpiresAtADetectorPass() throws {
        let t = try makeLockTable { $0.lockTimeout = 50_000 }
        let a = try t.newLocker(), b = try t.newLocker()
        _ = try t.lock(a, "X", .write)
        let (tb, rb) = ask(t, b, "X")
        sleepMilliseconds(80)
        // No detector has run: libdb's waiter keeps waiting, and so does Tern's.
        #expect(rb.value == 99)
        #expect(try t.detect(UInt32(DB_LOCK_EXPIRE)) == 1)
        tb.join()
        #expect(rb.value == DB_LOCK_NOTGRANTED)
        let s = t.statistics(clear: false)
        #expect(s.nlocktimeouts == 1 && s.ntxntimeouts == 0)
        #expect(LockTable.accessMethodError(DBError(rb.value), timeNotGranted: false).code == DB_LOCK_DEADLOCK)
        #expect(LockTable.accessMethodError(DBError(rb.value), timeNotGranted: true).code == DB_LOCK_NOTGRANTED)
    }

    @Test func perLockerTimeoutsAndTransactionTimeouts() throws {
        let t = try makeLockTable { $0.lockDetect = UInt32(DB_LOCK_DEFAULT) }
        let holder: LockerID = 0x8000_0001, txn: LockerID = 0x8000_0002
        try t.registerTransaction(holder, parent: nil)
        try t.registerTransaction(txn, parent: nil)
        _ = try t.lock(holder, "X", .write)
        t.setTimeouts(txn, lockTimeout: nil, txnTimeout: 20_000)
        sleepMilliseconds(30)
        // Its transaction timeout has passed: refused without waiting.
        #expect(t.code(txn, "X", .read) == DB_LOCK_NOTGRANTED)
        #expect(t.statistics(clear: false).ntxntimeouts == 1)
        // A lock timeout of its own, expired by the automatic detector
        // when another request blocks.
        t.setTimeouts(txn, lockTimeout: 20_000, txnTimeout: 0)
        let (tw, rw) = ask(t, txn, "X")
        sleepMilliseconds(30)
        let other = try t.newLocker()
        _ = try t.lock(other, "W", .write)   // so its wait runs the detector
        _ = try t.lock(holder, "Y", .write)
        let (to, ro) = ask(t, other, "Y")
        tw.join()
        #expect(rw.value == DB_LOCK_NOTGRANTED)
        #expect(t.statistics(clear: false).nlocktimeouts == 1)
        t.releaseAll(holder)
        to.join()
        #expect(ro.value == 0)
        // A child inherits its parent's timeouts.
        try t.registerTransaction(0x8000_0003, parent: txn)
        _ = try t.lock(holder, "Z", .write)
        let (tc, rc) = ask(t, 0x8000_0003, "Z")
        sleepMilliseconds(30)
        #expect(try t.detect(UInt32(DB_LOCK_EXPIRE)) == 1)
        tc.join()
        #expect(rc.value == DB_LOCK_NOTGRANTED)
    }

    @Test func environmentTransactionTimeoutAppliesToNewTransactions() throws {
        let t = try makeLockTable { $0.txnTimeout = 20_000 }
        try t.registerTransaction(0x8000_0001, parent: nil)
        try t.registerTransaction(0x8000_0002, parent: nil)
        _ = try t.lock(0x8000_0001, "X", .write)
        sleepMilliseconds(30)
        #expect(t.code(0x8000_0002, "X", .write) == DB_LOCK_NOTGRANTED)
        // Plain lockers (lock_id) have no transaction timeout.
        let plain = try t.newLocker()
        let (tp, rp) = ask(t, plain, "X")
        #expect(try t.detect(UInt32(DB_LOCK_EXPIRE)) == 0)
        t.releaseAll(0x8000_0001)
        tp.join()
        #expect(rp.value == 0)
    }
}
