// The deadlock detector: libdb's lock_deadlock.c. Under the table mutex it
// expires waiters whose lock or transaction timeout has passed, builds the
// waits-for matrix over "families" (a child transaction's locker shares its
// root's row, so a child never waits for its ancestors), finds the cycles,
// and in each picks one victim by the policy -- lowest priority first, then
// DB_LOCK_OLDEST/YOUNGEST/MINLOCKS/MAXLOCKS/MINWRITE/MAXWRITE, or the first
// locker found for DB_LOCK_DEFAULT/RANDOM -- whose waiting request is
// aborted: exactly that request returns DB_LOCK_DEADLOCK.
//
// The order of everything (lockers newest first, objects newest first,
// the candidate scan) is libdb's, so the same situation picks the same
// victim.
import CBerkeleyDB
import Glibc

extension LockTable {
    /// One row of libdb's locker_info.
    private struct LockerInfo {
        var valid = false
        var selfWait = false
        var inAbort = false
        var count: UInt32 = 0
        var id: UInt32 = 0
        var lastLock: UInt32 = 0
        var lastObject: UInt32 = 0
        var lastLockerID: UInt32 = 0
        var priority: UInt32 = 0
    }

    /// A square bit matrix, rows of `words` UInt32s (libdb's bitmaps).
    private struct BitMatrix {
        let words: Int
        var bits: [UInt32]
        init(rows: Int) {
            words = (rows + 31) / 32
            bits = [UInt32](repeating: 0, count: rows * words)
        }
        func isSet(_ row: Int, _ bit: Int) -> Bool { bits[row * words + bit / 32] & (1 << UInt32(bit % 32)) != 0 }
        mutating func set(_ row: Int, _ bit: Int) { bits[row * words + bit / 32] |= 1 << UInt32(bit % 32) }
        mutating func clear(_ row: Int, _ bit: Int) { bits[row * words + bit / 32] &= ~(1 << UInt32(bit % 32)) }
        mutating func or(_ row: Int, with other: [UInt32]) {
            for i in 0..<words { bits[row * words + i] |= other[i] }
        }
        func row(_ r: Int) -> [UInt32] { Array(bits[(r * words)..<((r + 1) * words)]) }
    }

    static let invalidDDID: UInt32 = 0xffff_ffff

    /// DB_ENV->lock_detect: one detector pass with `policy` (atype);
    /// returns how many requests it rejected (deadlock victims and expired
    /// waiters). Like libdb, a pass only runs when a request blocked or a
    /// put left waiters since the last pass, or a timeout is due.
    public func detect(_ policy: UInt32) throws(DBError) -> Int {
        detectDeadlocks(policy)
    }

    /// libdb's __lock_detect. Takes the table mutex.
    @discardableResult
    func detectDeadlocks(_ requestedPolicy: UInt32) -> Int {
        var messages: [String] = []
        lock()
        let rejected = detectLocked(requestedPolicy, messages: &messages)
        unlock()
        if let sink = deadlockMessages {
            for m in messages { sink(m) }
        }
        return rejected
    }

    private func detectLocked(_ requestedPolicy: UInt32, messages: inout [String]) -> Int {
        var policy = requestedPolicy
        var rejected = 0
        var now: UInt64 = 0
        let nextTimeout = base.u64(LH.nextTimeout)
        if header(LH.needDD) == 0 {
            if nextTimeout == 0 { return 0 }
            now = Self.now()
            if now < nextTimeout { return 0 }
            policy = UInt32(DB_LOCK_EXPIRE)
        }
        setHeader(LH.needDD, 0)

        // __dd_build.
        var minTimeout: UInt64 = 0
        func expireOrTrack(_ lp: UInt32) -> Bool {
            let k = ld(lp, LR.holder)
            let expires = ld64(k, KR.lockExpire)
            if expires != 0 {
                if now == 0 { now = Self.now() }
                if now >= expires {
                    setStatus(lp, LockStatus.expired)
                    wake(lp)
                    rejected += 1
                    return true
                }
                if minTimeout == 0 || minTimeout > expires { minTimeout = expires }
            }
            return false
        }
        func finish() {
            if base.u64(LH.nextTimeout) != 0 { base.setU64(LH.nextTimeout, minTimeout) }
        }

        if policy == UInt32(DB_LOCK_EXPIRE) {
            var o = header(LH.ddHead)
            while o != 0 {
                var lp = first(o, .waiters)
                while lp != 0 {
                    if status(lp) == LockStatus.waiting { _ = expireOrTrack(lp) }
                    lp = ld(lp, LR.next)
                }
                o = ld(o, OR.ddNext)
            }
            finish()
            return rejected
        }

        let count = Int(header(LH.nlockers))
        if count == 0 { return rejected }
        if wantsMessages { messages.append("BDB2051 \(count) lockers") }

        var matrix = BitMatrix(rows: count)
        var idmap = [LockerInfo](repeating: LockerInfo(), count: count)
        var prioritySet = false
        var id = 0
        var k = header(LH.lockersHead)
        while k != 0 {
            if ld(k, KR.master) == 0 && id < count {
                st(k, KR.ddID, UInt32(id))
                idmap[id].id = ld(k, KR.id)
                idmap[id].priority = ld(k, KR.priority)
                if id > 0 && idmap[id - 1].priority != idmap[id].priority { prioritySet = true }
                idmap[id].count = countFor(policy, k)
                id += 1
            } else {
                st(k, KR.ddID, Self.invalidDDID)
            }
            k = ld(k, KR.allNext)
        }

        /// The detector id of locker `k`, a family member taking its
        /// root's (and adding its counts there, once).
        func ddID(_ k: UInt32) -> Int? {
            let dd = ld(k, KR.ddID)
            if dd != Self.invalidDDID { return Int(dd) }
            let root = ld(k, KR.master)
            guard root != 0 else { return nil }
            let rootDD = ld(root, KR.ddID)
            guard rootDD != Self.invalidDDID else { return nil }
            st(k, KR.ddID, rootDD)
            idmap[Int(rootDD)].count &+= countFor(policy, k)
            return Int(rootDD)
        }

        var holders = [UInt32](repeating: 0, count: matrix.words)
        var o = header(LH.ddHead)
        while o != 0 {
            for i in 0..<holders.count { holders[i] = 0 }
            var lp = first(o, .holders)
            while lp != 0 {
                if let dd = ddID(ld(lp, LR.holder)) {
                    idmap[dd].valid = true
                    if status(lp) == LockStatus.held { holders[dd / 32] |= 1 << UInt32(dd % 32) }
                }
                lp = ld(lp, LR.next)
            }
            var isFirst = true
            lp = first(o, .waiters)
            while lp != 0 {
                defer { isFirst = false; lp = ld(lp, LR.next) }
                if status(lp) == LockStatus.waiting && expireOrTrack(lp) { continue }
                guard let dd = ddID(ld(lp, LR.holder)) else { continue }
                idmap[dd].valid = true
                if status(lp) != LockStatus.waiting { continue }
                matrix.or(dd, with: holders)
                if isFirst {
                    if matrix.isSet(dd, dd) { idmap[dd].selfWait = true }
                    matrix.clear(dd, dd)
                }
            }
            o = ld(o, OR.ddNext)
        }

        // Each locker's most recent lock (a waiting child's first).
        for i in 0..<id where idmap[i].valid {
            guard let k = findLocker(idmap[i].id) else { continue }
            var found = false
            var child = ld(k, KR.childHead)
            while child != 0 && !found {
                let lp = ld(child, KR.heldHead)
                if lp != 0 {
                    if ld(child, KR.flags) & LockerFlag.inAbort != 0 { idmap[i].inAbort = true }
                    if status(lp) == LockStatus.waiting {
                        idmap[i].lastLockerID = ld(child, KR.id)
                        idmap[i].lastLock = lp
                        idmap[i].lastObject = ld(lp, LR.object)
                        found = true
                    }
                }
                child = ld(child, KR.childNext)
            }
            if !found {
                let lp = ld(k, KR.heldHead)
                if lp != 0 {
                    idmap[i].lastLockerID = ld(k, KR.id)
                    idmap[i].lastLock = lp
                    idmap[i].lastObject = ld(lp, LR.object)
                }
            }
            if ld(k, KR.flags) & LockerFlag.inAbort != 0 { idmap[i].inAbort = true }
        }
        finish()
        let nlockers = id
        if nlockers == 0 { return rejected }

        // __dd_find.
        let original = matrix
        var deadlocks: [Int] = []   // rows holding a cycle
        for i in 0..<nlockers where idmap[i].valid {
            for j in 0..<nlockers where matrix.isSet(i, j) {
                matrix.or(i, with: matrix.row(j))
                if !matrix.isSet(i, i) { continue }
                deadlocks.append(i)
                for m in 0..<nlockers where matrix.isSet(i, m) { idmap[m].valid = false }
                break
            }
        }

        let bad = -1
        for row in deadlocks {
            rejected += 1
            var killid = row
            let limit = row
            var keeper = idmap[killid].inAbort ? bad : killid
            if keeper == bad || !verify(idmap, deadMap: matrix.row(row), original: original, count: nlockers,
                                        which: keeper) {
                killid = bad
            }
            let defaultLike = policy == UInt32(DB_LOCK_DEFAULT) || policy == UInt32(DB_LOCK_RANDOM)
            if !(prioritySet == false && killid != bad && defaultLike) {
                var i = (limit + 1) % nlockers
                while i != limit {
                    defer { i = (i + 1) % nlockers }
                    if !matrix.isSet(row, i) || idmap[i].inAbort { continue }
                    let cid: Int
                    if killid == bad {
                        if keeper == bad {
                            keeper = i
                            if verify(idmap, deadMap: matrix.row(row), original: original, count: nlockers, which: i) {
                                killid = i
                            }
                            continue
                        }
                        cid = keeper
                    } else {
                        cid = killid
                    }
                    if idmap[i].priority > idmap[cid].priority { continue }
                    if idmap[i].priority == idmap[cid].priority {
                        var skip: Bool
                        switch Int32(bitPattern: policy) {
                        case DB_LOCK_OLDEST: skip = Self.isOlder(idmap[cid].id, idmap[i].id)
                        case DB_LOCK_YOUNGEST: skip = Self.isOlder(idmap[i].id, idmap[cid].id)
                        case DB_LOCK_MAXLOCKS, DB_LOCK_MAXWRITE: skip = idmap[i].count < idmap[cid].count
                        case DB_LOCK_MINLOCKS, DB_LOCK_MINWRITE: skip = idmap[i].count > idmap[cid].count
                        default: skip = true
                        }
                        if skip { continue }
                    }
                    keeper = i
                    if verify(idmap, deadMap: matrix.row(row), original: original, count: nlockers, which: i) {
                        killid = i
                    }
                }
            }
            if killid == bad {
                if keeper == bad { continue }
                // Removing one locker will not break this deadlock: run
                // the detector again.
                setHeader(LH.needDD, 1)
                killid = keeper
            }
            if abortLocker(idmap[killid]) {
                if wantsMessages {
                    messages.append("BDB2050 Aborting locker \(String(idmap[killid].id, radix: 16))")
                }
            } else {
                setHeader(LH.needDD, 1)
            }
        }
        return rejected
    }

    /// Whether verbose deadlock messages are wanted (a sink is installed).
    private var wantsMessages: Bool { verboseDeadlock && deadlockMessages != nil }

    private func countFor(_ policy: UInt32, _ k: UInt32) -> UInt32 {
        switch Int32(bitPattern: policy) {
        case DB_LOCK_MINLOCKS, DB_LOCK_MAXLOCKS: return ld(k, KR.nlocks)
        case DB_LOCK_MINWRITE, DB_LOCK_MAXWRITE: return ld(k, KR.nwrites)
        default: return 0
        }
    }

    /// libdb's __dd_verify: is `which` really part of the deadlock --
    /// does taking it out break the cycle?
    private func verify(_ idmap: [LockerInfo], deadMap: [UInt32], original: BitMatrix, count: Int,
                        which: Int) -> Bool {
        var acc = [UInt32](repeating: 0, count: original.words)
        var participants = 0
        func isSet(_ map: [UInt32], _ b: Int) -> Bool { map[b / 32] & (1 << UInt32(b % 32)) != 0 }
        for j in 0..<count where isSet(deadMap, j) && j != which {
            var row = original.row(j)
            if idmap[j].selfWait { row[j / 32] |= 1 << UInt32(j % 32) }
            for w in 0..<acc.count { acc[w] |= row[w] }
            participants += 1
        }
        if participants == 1 { return true }
        for j in 0..<count where isSet(deadMap, j) && j != which {
            if !isSet(acc, j) { return true }
        }
        return false
    }

    /// libdb's __dd_isolder: lockers (lock_id) are older than transactions;
    /// within a space, the smaller id is older (the current id ranges
    /// libdb compares against make no difference before ids wrap).
    static func isOlder(_ a: UInt32, _ b: UInt32) -> Bool {
        let maxID = LockConstant.maxLockerID
        if a <= maxID && b > maxID { return true }
        if b <= maxID && a > maxID { return false }
        return a < b
    }

    /// libdb's __dd_abort: the victim's newest lock must still be the
    /// request it waits on; it is taken off the queue as ABORTED and its
    /// waiter woken. False when that no longer holds (already aborted).
    private func abortLocker(_ info: LockerInfo) -> Bool {
        guard let k = findLocker(info.lastLockerID), ld(k, KR.flags) & LockerFlag.inAbort == 0 else {
            return false
        }
        let lp = ld(k, KR.heldHead)
        guard lp != 0, lp == info.lastLock, ld(lp, LR.holder) == k, ld(lp, LR.object) == info.lastObject,
              status(lp) == LockStatus.waiting else {
            return false
        }
        let obj = ld(lp, LR.object)
        bump(.ndeadlocks)
        setStatus(lp, LockStatus.aborted)
        remove(lp, from: obj, .waiters)
        if first(obj, .waiters) == 0 {
            removeFromDeadlockList(obj)
        } else {
            promote(obj)
        }
        wake(lp)
        return true
    }
}
