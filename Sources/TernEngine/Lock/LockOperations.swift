// Getting and putting locks: libdb's __lock_get_internal,
// __lock_put_internal, __lock_promote, __lock_remove_waiter,
// __lock_freelock, __lock_inherit_locks and lock_vec's PUT_ALL/PUT_OBJ, in
// the same order of decisions, so grants, queue positions, counts and
// statistics come out as libdb's do.
//
// Every function is called with the table mutex held and returns with it
// held; getInternal drops it while it sleeps.
import CBerkeleyDB
import CTernAtomics
import Glibc

/// lock_get/lock_vec flags (db.h's internal DB_LOCK_* values).
enum LockFlag {
    static let check = UInt32(DB_LOCK_CHECK)
    static let noWait = UInt32(DB_LOCK_NOWAIT)
    static let setTimeout = UInt32(DB_LOCK_SET_TIMEOUT)
    static let switchLock = UInt32(DB_LOCK_SWITCH)
    static let upgrade = UInt32(DB_LOCK_UPGRADE)
}

/// __lock_put_internal's flags.
struct PutFlags: OptionSet {
    let rawValue: UInt32
    static let doAll = PutFlags(rawValue: 1)      // release every reference
    static let free = PutFlags(rawValue: 2)       // return the record
    static let unlink = PutFlags(rawValue: 4)     // take it off its locker
    static let noPromote = PutFlags(rawValue: 8)
    static let oneWaiter = PutFlags(rawValue: 16) // promote at most one
}

extension LockTable {
    private enum Action { case grant, upgrade, head, second, tail }

    /// libdb's __lock_get_internal for locker record `k`. `name` nil means
    /// "the object of `lock`" (upgrades). On success `lock` names the lock;
    /// on failure it is reset to LOCK_INVALID unless upgrading or
    /// switching, as libdb does. Returns whether the caller should run the
    /// deadlock detector afterwards (never: libdb runs it before sleeping).
    func getInternal(_ k: UInt32, flags initialFlags: UInt32, name: UnsafeRawBufferPointer?, mode: UInt32,
                     timeout requestedTimeout: UInt32, lock: inout RawLock) throws(DBError) {
        let flags = initialFlags
        if mode >= nmodes {
            throw .invalid("BDB2037 DB_ENV->lock_get: invalid lock mode \(mode)")
        }
        var newl: UInt32 = 0
        do throws(DBError) {
            try getInternalBody(k, flags: flags, name: name, mode: mode, timeout: requestedTimeout,
                                lock: &lock, newl: &newl)
        } catch {
            if flags & (LockFlag.upgrade | LockFlag.switchLock) == 0 { lock = .invalid }
            if newl != 0 { freeLock(newl, unlink: true, free: true) }
            throw error
        }
    }

    private func getInternalBody(_ k: UInt32, flags: UInt32, name: UnsafeRawBufferPointer?, mode: UInt32,
                                 timeout requestedTimeout: UInt32, lock: inout RawLock,
                                 newl: inout UInt32) throws(DBError) {
        let obj: UInt32
        if let name {
            guard let o = try object(name, create: flags & LockFlag.check == 0) else {
                throw DBError(ENOENT)
            }
            obj = o
        } else {
            guard isLockRecord(lock.offset) else {
                throw .invalid("DB_LOCK->lock_put: Lock is no longer valid")
            }
            obj = ld(UInt32(lock.offset), LR.object)
        }
        if flags & LockFlag.upgrade != 0 {
            bump(.nupgrade)
        } else if flags & (LockFlag.switchLock | LockFlag.check) == 0 {
            bump(.nrequests)
        }

        // Can it be granted? Not if any other holder, or any waiter, has a
        // conflicting lock -- except that a locker already holding a lock
        // on the object (or an ancestor's) only has to clear the holders.
        var ihold = false, grantDirty = false
        var dirtyHolder: UInt32 = 0
        var lp: UInt32 = mode == LockMode.wait.rawValue ? 0 : first(obj, .holders)
        while lp != 0 {
            let holder = ld(lp, LR.holder)
            if holder == k {
                if ld(lp, LR.mode) == mode && status(lp) == LockStatus.held {
                    if flags & LockFlag.upgrade != 0 {
                        try upgradeInPlace(k, lock: lock, mode: mode)
                        return
                    }
                    // Held already: one more reference to the same lock.
                    st(lp, LR.refcount, ld(lp, LR.refcount) + 1)
                    lock = RawLock(offset: UInt64(lp), index: ld(obj, OR.bucket),
                                   generation: ld(lp, LR.generation), mode: ld(lp, LR.mode))
                    return
                }
                ihold = true
            } else if sameFamily(holder, k) {
                ihold = true
            } else if conflicts(ld(lp, LR.mode), mode) {
                break
            } else if ld(lp, LR.mode) == LockMode.read.rawValue || ld(lp, LR.mode) == LockMode.wasWrite.rawValue {
                grantDirty = true
                dirtyHolder = holder
            }
            lp = ld(lp, LR.next)
        }

        let action: Action
        if lp != 0 {
            action = ihold || flags & LockFlag.upgrade != 0 || mode == LockMode.readUncommitted.rawValue ? .head : .tail
        } else if flags & LockFlag.upgrade != 0 {
            action = .upgrade
        } else if mode == LockMode.wait.rawValue {
            action = .tail
        } else if ihold {
            action = .grant
        } else {
            var w = first(obj, .waiters)
            while w != 0 {
                if ld(w, LR.holder) != k && conflicts(ld(w, LR.mode), mode) { break }
                w = ld(w, LR.next)
            }
            if w == 0 {
                action = .grant
            } else if grantDirty && mode == LockMode.readUncommitted.rawValue {
                let head = first(obj, .waiters)
                action = ld(head, LR.mode) == LockMode.write.rawValue && ld(head, LR.holder) == dirtyHolder
                    ? .second : .grant
            } else if mode == LockMode.readUncommitted.rawValue {
                action = .second
            } else {
                action = .tail
            }
        }

        if action == .upgrade {
            try upgradeInPlace(k, lock: lock, mode: mode)
            return
        }
        if action != .grant && flags & LockFlag.noWait != 0 && mode != LockMode.wait.rawValue {
            bump(.lockNowait)
            throw DBError(DB_LOCK_NOTGRANTED)
        }

        // A new lock record.
        if header(LH.freeLocks) == 0 {
            guard grow(.lock) else {
                throw DBError(ENOMEM, "BDB2055 Lock table is out of available lock entries")
            }
            // libdb drops its partition mutex to allocate and starts over,
            // counting the request again.
            if flags & LockFlag.upgrade == 0 && flags & (LockFlag.switchLock | LockFlag.check) == 0 {
                bump(.nrequests)
            }
        }
        let l = popFree(.lock)!
        newl = l
        bump(.nlocks)
        if stat(.nlocks) > stat(.maxnlocks) { setStat(.maxnlocks, stat(.nlocks)) }
        st(l, LR.holder, k)
        st(l, LR.refcount, 1)
        st(l, LR.mode, mode)
        st(l, LR.object, obj)
        st(l, LR.list, LR.onNone)
        let noDD = ld(k, KR.master) == 0 && ld(k, KR.childHead) == 0 && ld(k, KR.heldHead) == 0
        linkToLocker(l, k)

        if action == .grant {
            setStatus(l, LockStatus.held)
            append(l, to: obj, .holders)
        } else {
            if first(obj, .waiters) == 0 { addToDeadlockList(obj) }
            switch action {
            case .head: prepend(l, to: obj, .waiters)
            case .second: insert(l, after: first(obj, .waiters), in: obj, .waiters)
            default: append(l, to: obj, .waiters)
            }
            switch wait(k, lock: l, mode: mode, flags: flags, timeout: requestedTimeout, noDD: noDD) {
            case .granted, .queued:
                break
            case .aborted:
                throw DBError(DB_LOCK_DEADLOCK)
            case .expired:
                newl = 0
                expire(k, lock: l)
                throw DBError(DB_LOCK_NOTGRANTED)
            case .unexpected(let s):
                throw .invalid("BDB2038 Unexpected lock status: \(s)")
            }
            if status(l) == LockStatus.pending && flags & LockFlag.upgrade != 0 {
                // Granted, but what was asked is the old lock's new mode.
                remove(l, from: obj, .holders)
                if ld(l, LR.mode) != LockMode.wait.rawValue {
                    try upgradeInPlace(k, lock: lock, mode: mode)
                }
                freeLock(l, unlink: true, free: true)
                newl = 0
                return
            }
            if status(l) == LockStatus.pending { setStatus(l, LockStatus.held) }
        }
        // out:
        lock = RawLock(offset: UInt64(l), index: ld(obj, OR.bucket), generation: ld(l, LR.generation), mode: mode)
        newl = 0
        if status(l) == LockStatus.held {
            st(k, KR.nlocks, ld(k, KR.nlocks) + 1)
            if LockMode.isWrite(mode) {
                st(k, KR.nwrites, ld(k, KR.nwrites) + 1)
                if mode == LockMode.wasWrite.rawValue { st(k, KR.flags, ld(k, KR.flags) | LockerFlag.dirty) }
            }
        } else {
            // DB_LOCK_WAIT with DB_LOCK_NOWAIT: queued, not waited for.
            st(k, KR.nlocks, ld(k, KR.nlocks) + 1)
        }
    }

    /// The UPGRADE action: the lock the caller holds changes mode in place.
    private func upgradeInPlace(_ k: UInt32, lock: RawLock, mode: UInt32) throws(DBError) {
        guard isLockRecord(lock.offset), ld(UInt32(lock.offset), LR.generation) == lock.generation else {
            throw .invalid("DB_LOCK->lock_put: Lock is no longer valid")
        }
        let lp = UInt32(lock.offset)
        if LockMode.isWrite(mode) && !LockMode.isWrite(ld(lp, LR.mode)) {
            st(k, KR.nwrites, ld(k, KR.nwrites) + 1)
        }
        st(lp, LR.mode, mode)
    }

    private enum WaitResult { case granted, queued, aborted, expired, unexpected(UInt32) }

    /// Sleeps until lock record `l` (already on the waiters list) is
    /// promoted, aborted or expired: libdb's HEAD/TAIL/SECOND path from
    /// "First check to see if this txn has expired" on.
    private func wait(_ k: UInt32, lock l: UInt32, mode: UInt32, flags: UInt32,
                      timeout requestedTimeout: UInt32, noDD: Bool) -> WaitResult {
        var now: UInt64 = 0
        st64(k, KR.lockExpire, 0)
        let txnExpire = ld64(k, KR.txnExpire)
        if txnExpire != 0 {
            now = Self.now()
            if now >= txnExpire {
                setStatus(l, LockStatus.expired)
                st64(k, KR.lockExpire, txnExpire)
                return .expired
            }
        }
        var timeout = requestedTimeout
        if flags & LockFlag.setTimeout == 0 {
            timeout = ld(k, KR.flags) & LockerFlag.timeout != 0 ? ld(k, KR.lockTimeout) : header(LH.lockTimeout)
        }
        if mode == LockMode.wait.rawValue && flags & LockFlag.noWait != 0 {
            setStatus(l, LockStatus.waiting)
            return .queued
        }
        var lockExpire: UInt64 = 0
        if timeout != 0 {
            if now == 0 { now = Self.now() }
            lockExpire = now &+ UInt64(timeout) &* 1000
        }
        if txnExpire != 0 && (timeout == 0 || lockExpire >= txnExpire) { lockExpire = txnExpire }
        st64(k, KR.lockExpire, lockExpire)
        let next = base.u64(LH.nextTimeout)
        if lockExpire != 0 && (next == 0 || next > lockExpire) { base.setU64(LH.nextTimeout, lockExpire) }

        setStatus(l, LockStatus.waiting)
        bump(.lockWait)
        setHeader(LH.needDD, 1)
        let policy = header(LH.detect)
        unlock()
        if policy != UInt32(DB_LOCK_NORUN) && !noDD { _ = detectDeadlocks(policy) }
        let word = base.word32(Int(l) + LR.status)
        while tern_atomic_load_u32(word) == LockStatus.waiting {
            _ = tern_futex_wait(word, LockStatus.waiting, -1)
        }
        lock()

        let s = status(l)
        if s != LockStatus.expired { st64(k, KR.lockExpire, 0) }
        switch s {
        case LockStatus.aborted: return .aborted
        case LockStatus.expired: return .expired
        case LockStatus.pending: return .granted
        default: return .unexpected(s)
        }
    }

    /// libdb's "expired:" label: the request is withdrawn and counted as a
    /// lock or transaction timeout (the caller answers DB_LOCK_NOTGRANTED).
    private func expire(_ k: UInt32, lock l: UInt32) {
        putInternal(l, [.unlink, .free])
        if ld64(k, KR.lockExpire) == ld64(k, KR.txnExpire) {
            bump(.ntxntimeouts)
        } else {
            bump(.nlocktimeouts)
        }
        st64(k, KR.lockExpire, 0)
    }

    // MARK: put

    /// libdb's __lock_put_internal.
    func putInternal(_ lp: UInt32, _ flags: PutFlags) {
        if ld(lp, LR.list) == LR.onNone {
            // Released by locker or object already; only the record is left.
            if flags.contains(.free) && status(lp) != LockStatus.free { freeLock(lp, unlink: false, free: true) }
            return
        }
        bump(.nreleases, flags.contains(.doAll) ? UInt64(ld(lp, LR.refcount)) : 1)
        if !flags.contains(.doAll) && ld(lp, LR.refcount) > 1 {
            st(lp, LR.refcount, ld(lp, LR.refcount) - 1)
            return
        }
        st(lp, LR.generation, ld(lp, LR.generation) &+ 1)
        let obj = ld(lp, LR.object)
        let s = status(lp)
        if s != LockStatus.held && s != LockStatus.pending {
            removeWaiter(obj, lp, status: LockStatus.aborted)
        } else {
            remove(lp, from: obj, .holders)
        }
        var stateChanged = flags.contains(.noPromote) ? false : promote(obj, oneWaiter: flags.contains(.oneWaiter))
        if first(obj, .holders) == 0 && first(obj, .waiters) == 0 {
            reclaimObject(obj)
            stateChanged = true
        }
        if flags.contains(.unlink) || flags.contains(.free) {
            freeLock(lp, unlink: flags.contains(.unlink), free: flags.contains(.free))
        }
        if !stateChanged { setHeader(LH.needDD, 1) }
    }

    /// libdb's __lock_freelock.
    func freeLock(_ lp: UInt32, unlink: Bool, free: Bool) {
        if unlink {
            unlinkFromLocker(lp)
            if status(lp) == LockStatus.held {
                let k = ld(lp, LR.holder)
                st(k, KR.nlocks, ld(k, KR.nlocks) &- 1)
                if LockMode.isWrite(ld(lp, LR.mode)) { st(k, KR.nwrites, ld(k, KR.nwrites) &- 1) }
            }
        }
        if free {
            // A new generation: a handle to the old lock is stale now,
            // however the record was released (put, inherit, abort).
            st(lp, LR.generation, ld(lp, LR.generation) &+ 1)
            setStatus(lp, LockStatus.free)
            st(lp, LR.list, LR.onNone)
            pushFree(.lock, lp)
            setStat(.nlocks, stat(.nlocks) &- 1)
        }
    }

    /// libdb's __lock_remove_waiter: off the queue with `status`, and its
    /// sleeper woken to find out.
    func removeWaiter(_ obj: UInt32, _ lp: UInt32, status newStatus: UInt32) {
        let doWakeup = status(lp) == LockStatus.waiting
        remove(lp, from: obj, .waiters)
        setStatus(lp, newStatus)
        if first(obj, .waiters) == 0 {
            st(obj, OR.generation, ld(obj, OR.generation) &+ 1)
            removeFromDeadlockList(obj)
        }
        if doWakeup { wake(lp) }
    }

    /// libdb's __lock_promote: grants waiters in queue order until one
    /// conflicts with a holder. Returns whether the object's state changed
    /// (there were no waiters, or someone was promoted).
    @discardableResult
    func promote(_ obj: UInt32, oneWaiter: Bool = false) -> Bool {
        var w = first(obj, .waiters)
        var stateChanged = w == 0
        var hadWaiters = false
        while w != 0 {
            hadWaiters = true
            let next = ld(w, LR.next)
            if status(w) != LockStatus.waiting { w = next; continue }
            let waiter = ld(w, LR.holder), wanted = ld(w, LR.mode)
            var h = first(obj, .holders)
            while h != 0 {
                let holder = ld(h, LR.holder)
                if holder != waiter && conflicts(ld(h, LR.mode), wanted) && !sameFamily(holder, waiter) { break }
                h = ld(h, LR.next)
            }
            if h != 0 { break }
            remove(w, from: obj, .waiters)
            setStatus(w, LockStatus.pending)
            append(w, to: obj, .holders)
            wake(w)
            stateChanged = true
            if oneWaiter { break }
            w = next
        }
        if hadWaiters && first(obj, .waiters) == 0 {
            st(obj, OR.generation, ld(obj, OR.generation) &+ 1)
            removeFromDeadlockList(obj)
        }
        return stateChanged
    }

    /// lock_put of a handle: libdb's __lock_put_nolock. Returns whether the
    /// detector should run.
    func putHandle(_ lock: inout RawLock) throws(DBError) -> Bool {
        guard isLockRecord(lock.offset), ld(UInt32(lock.offset), LR.generation) == lock.generation else {
            lock = .invalid
            throw .invalid("DB_LOCK->lock_put: Lock is no longer valid")
        }
        putInternal(UInt32(lock.offset), [.unlink, .free])
        lock = .invalid
        return wantsDetection
    }

    /// libdb's run_dd test after puts and vectors.
    var wantsDetection: Bool {
        header(LH.detect) != UInt32(DB_LOCK_NORUN) && (header(LH.needDD) != 0 || base.u64(LH.nextTimeout) != 0)
    }

    /// lock_vec's DB_LOCK_PUT_ALL (`readOnly`: DB_LOCK_PUT_READ, which
    /// keeps the write locks). Returns how many lock records it released.
    func putAll(_ k: UInt32, readOnly: Bool) {
        var lp = ld(k, KR.heldHead)
        while lp != 0 {
            let next = ld(lp, LR.lockerNext)
            let mode = ld(lp, LR.mode)
            if !readOnly || mode == LockMode.read.rawValue || mode == LockMode.readUncommitted.rawValue {
                unlinkFromLocker(lp)
                if status(lp) == LockStatus.held {
                    st(k, KR.nlocks, ld(k, KR.nlocks) &- 1)
                    if LockMode.isWrite(mode) { st(k, KR.nwrites, ld(k, KR.nwrites) &- 1) }
                }
                putInternal(lp, [.free, .doAll])
            }
            lp = next
        }
    }

    /// lock_vec's DB_LOCK_PUT_OBJ: every holder and waiter of the object
    /// goes, without promotion. As in libdb, the lock records are unlinked
    /// but not freed.
    func putObject(_ name: UnsafeRawBufferPointer) throws(DBError) {
        guard let obj = try object(name, create: false) else { throw DBError(EINVAL) }
        while true {
            let w = first(obj, .waiters)
            if w == 0 { break }
            putInternal(w, [.unlink, .noPromote, .doAll])
        }
        var h = first(obj, .holders)
        while h != 0 {
            let next = ld(h, LR.next)
            let last = next == 0
            putInternal(h, [.unlink, .noPromote, .doAll])
            if last { break }
            h = next
        }
    }

    /// libdb's __lock_inherit_locks: the child's locks move to `parent`,
    /// merged into a parent's lock of the same mode on the same object.
    func inherit(child k: UInt32, parent p: UInt32) {
        var lp = ld(k, KR.heldHead)
        while lp != 0 {
            let obj = ld(lp, LR.object)
            unlinkFromLocker(lp)
            let mode = ld(lp, LR.mode)
            var h = first(obj, .holders)
            while h != 0 {
                if ld(h, LR.holder) == p && ld(h, LR.mode) == mode { break }
                h = ld(h, LR.next)
            }
            if h != 0 {
                st(h, LR.refcount, ld(h, LR.refcount) + ld(lp, LR.refcount))
                remove(lp, from: obj, .holders)
                if status(lp) == LockStatus.held {
                    st(k, KR.nlocks, ld(k, KR.nlocks) &- 1)
                    if LockMode.isWrite(mode) { st(k, KR.nwrites, ld(k, KR.nwrites) &- 1) }
                }
                freeLock(lp, unlink: false, free: true)
            } else {
                st(lp, LR.holder, p)
                linkToLocker(lp, p)
                if status(lp) == LockStatus.held {
                    st(k, KR.nlocks, ld(k, KR.nlocks) &- 1)
                    if LockMode.isWrite(mode) { st(k, KR.nwrites, ld(k, KR.nwrites) &- 1) }
                }
                st(p, KR.nlocks, ld(p, KR.nlocks) + 1)
                if LockMode.isWrite(mode) { st(p, KR.nwrites, ld(p, KR.nwrites) + 1) }
            }
            promote(obj)
            lp = ld(k, KR.heldHead)
        }
    }

    /// lock_vec's DB_LOCK_TRADE: the lock changes locker, unchecked.
    func trade(_ lock: RawLock, to k: UInt32) throws(DBError) {
        guard isLockRecord(lock.offset) else { throw DBError(DB_NOTFOUND) }
        let lp = UInt32(lock.offset)
        if ld(lp, LR.generation) != lock.generation { throw DBError(DB_NOTFOUND) }
        freeLock(lp, unlink: true, free: false)
        linkToLocker(lp, k)
        st(lp, LR.holder, k)
        st(k, KR.nlocks, ld(k, KR.nlocks) + 1)
        if LockMode.isWrite(ld(lp, LR.mode)) { st(k, KR.nwrites, ld(k, KR.nwrites) + 1) }
    }

    /// libdb's __lock_set_timeout_internal.
    func setTimeoutInternal(_ k: UInt32, _ timeout: UInt32, _ op: UInt32) throws(DBError) {
        switch op {
        case UInt32(DB_SET_TXN_TIMEOUT):
            st64(k, KR.txnExpire, timeout == 0 ? 0 : Self.now() &+ UInt64(timeout) &* 1000)
        case UInt32(DB_SET_LOCK_TIMEOUT):
            st(k, KR.lockTimeout, timeout)
            st(k, KR.flags, ld(k, KR.flags) | LockerFlag.timeout)
        case UInt32(DB_SET_TXN_NOW):
            let now = Self.now()
            st64(k, KR.txnExpire, now)
            st64(k, KR.lockExpire, now)
            let next = base.u64(LH.nextTimeout)
            if next == 0 || next > now { base.setU64(LH.nextTimeout, now) }
        default:
            throw DBError(EINVAL)
        }
    }
}
