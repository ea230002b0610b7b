// The lock table's entry points: what the transaction layer calls
// (newLocker ... heldCount) and what DB_ENV's lock methods need beyond
// them (lock_get flags, lock_vec operations, priorities, statistics).
// Each takes the table mutex for its duration (a waiting request drops it
// while it sleeps).
//
// Return codes follow libdb's lock subsystem: a request that would wait
// with noWait gets DB_LOCK_NOTGRANTED, a deadlock victim DB_LOCK_DEADLOCK,
// and a request whose lock or transaction timeout expired
// DB_LOCK_NOTGRANTED -- the lock subsystem's answer, which libdb's access
// methods turn into DB_LOCK_DEADLOCK unless DB_TIME_NOTGRANTED is set
// (see `accessMethodError`).
import CBerkeleyDB
import Glibc

extension LockTable {
    // MARK: lockers

    /// DB_ENV->lock_id: a new locker, ids 1, 2, ... (wrapping as libdb's).
    /// ENOMEM "BDB2055 Lock table is out of available locker entries".
    public func newLocker() throws(DBError) -> LockerID {
        lock()
        defer { unlock() }
        return try allocateLockerID()
    }

    /// Makes the locker of transaction `id` (and of `parent`, if it has no
    /// locker yet) as libdb's txn_begin does: the child joins the parent's
    /// family (its requests never conflict with its ancestors' locks, and
    /// the detector treats the family as one), takes the parent's priority
    /// (else DB_LOCK_DEFPRIORITY) and timeouts, and a transaction without a
    /// parent with timeouts gets the environment's transaction timeout.
    public func registerTransaction(_ id: LockerID, parent: LockerID?) throws(DBError) {
        lock()
        defer { unlock() }
        let k = try locker(id)
        var parentRecord: UInt32?
        if let parent {
            let p = try locker(parent)
            addToFamily(child: k, parent: p)
            parentRecord = p
        }
        st(k, KR.priority, parentRecord.map { ld($0, KR.priority) } ?? LockConstant.defaultPriority)
        var inherited = false
        if let p = parentRecord {
            // __lock_inherit_timeout.
            let pExpire = ld64(p, KR.txnExpire)
            let pHasTimeout = ld(p, KR.flags) & LockerFlag.timeout != 0
            if !(pExpire != 0 && !pHasTimeout) {
                st64(k, KR.txnExpire, pExpire)
                inherited = true
                if pHasTimeout {
                    st(k, KR.lockTimeout, ld(p, KR.lockTimeout))
                    st(k, KR.flags, ld(k, KR.flags) | LockerFlag.timeout)
                    if pExpire == 0 { inherited = false }
                }
            }
        }
        let txnTimeout = header(LH.txnTimeout)
        if !inherited && txnTimeout != 0 {
            try setTimeoutInternal(k, txnTimeout, UInt32(DB_SET_TXN_TIMEOUT))
        }
    }

    /// DB_ENV->lock_id_free (and transaction end): the locker goes.
    /// EINVAL "BDB2045 Unknown locker id" or "BDB2047 Freeing locker with
    /// locks", as libdb.
    public func freeLocker(_ id: LockerID) throws(DBError) {
        lock()
        defer { unlock() }
        guard let k = findLocker(id) else {
            throw .invalid("BDB2045 Unknown locker id: \(String(id, radix: 16))")
        }
        try freeLockerRecord(k)
    }

    /// Whether `id` names a locker.
    public func lockerExists(_ id: LockerID) -> Bool {
        lock()
        defer { unlock() }
        return findLocker(id) != nil
    }

    // MARK: locks

    /// Asks for `mode` on `object` for `locker`; blocks until granted. See
    /// the file comment for the errors; ENOMEM "BDB2055 Lock table is out
    /// of available lock entries" when the table is full, EINVAL "BDB2036
    /// Locker does not exist" for an unknown locker. A lock the locker
    /// already holds in the same mode is granted at once and counted (put
    /// it as many times); one an ancestor holds, or one of another mode the
    /// locker holds, never waits for that holder.
    public func lock(_ locker: LockerID, object: UnsafeRawBufferPointer, mode: LockMode,
                     noWait: Bool) throws(DBError) -> LockHandle {
        var raw = RawLock()
        try get(locker, flags: noWait ? LockFlag.noWait : 0, object: object, mode: mode.rawValue, lock: &raw)
        return LockHandle(offset: UInt32(truncatingIfNeeded: raw.offset), generation: raw.generation,
                          mode: LockMode(rawValue: raw.mode) ?? mode)
    }

    /// Releases one reference to a lock (lock_put). EINVAL "DB_LOCK->
    /// lock_put: Lock is no longer valid" for a stale handle.
    public func unlock(_ handle: LockHandle) throws(DBError) {
        var raw = RawLock(offset: UInt64(handle.offset), generation: handle.generation, mode: handle.mode.rawValue)
        try put(&raw)
    }

    /// libdb's __lock_downgrade: the lock changes to a weaker `mode` in
    /// place (WRITE to WAS_WRITE for dirty readers, WRITE to IWRITE for
    /// CDB) and waiters it no longer blocks are granted.
    public func downgrade(_ handle: LockHandle, to mode: LockMode) throws(DBError) -> LockHandle {
        lock()
        defer { unlock() }
        let lp = handle.offset
        guard isLockRecord(UInt64(lp)), ld(lp, LR.generation) == handle.generation else {
            throw .invalid("lock_downgrade: Lock is no longer valid")
        }
        let k = ld(lp, LR.holder)
        if LockMode.isWrite(ld(lp, LR.mode)) && !mode.isWrite { st(k, KR.nwrites, ld(k, KR.nwrites) &- 1) }
        st(lp, LR.mode, mode.rawValue)
        bump(.ndowngrade)
        promote(ld(lp, LR.object))
        return LockHandle(offset: lp, generation: handle.generation, mode: mode)
    }

    /// Transaction end: every lock of `locker` is released (DB_LOCK_PUT_ALL)
    /// and the waiters they blocked are woken.
    public func releaseAll(_ locker: LockerID) {
        lock()
        guard let k = findLocker(locker) else { unlock(); return }
        putAll(k, readOnly: false)
        let run = wantsDetection, policy = header(LH.detect)
        unlock()
        if run { detectDeadlocks(policy) }
    }

    /// Nested commit (DB_LOCK_INHERIT): `parent` takes over the child's
    /// locks, merging them with its own of the same mode.
    public func transfer(from child: LockerID, to parent: LockerID) {
        lock()
        guard let k = findLocker(child), let p = (try? locker(parent)) ?? nil else { unlock(); return }
        inherit(child: k, parent: p)
        let run = wantsDetection, policy = header(LH.detect)
        unlock()
        if run { detectDeadlocks(policy) }
    }

    /// DB_TXN->set_timeout for `locker`, in microseconds: a lock timeout
    /// replaces the environment's for this locker's requests; a transaction
    /// timeout (0 clears it) runs from now. nil leaves a value alone.
    public func setTimeouts(_ locker: LockerID, lockTimeout: UInt32?, txnTimeout: UInt32?) {
        lock()
        defer { unlock() }
        guard let k = findLocker(locker) else { return }
        if let lockTimeout { try? setTimeoutInternal(k, lockTimeout, UInt32(DB_SET_LOCK_TIMEOUT)) }
        if let txnTimeout { try? setTimeoutInternal(k, txnTimeout, UInt32(DB_SET_TXN_TIMEOUT)) }
    }

    /// DB_TXN->set_priority / set_lk_priority: the detector aborts lower
    /// priorities first.
    public func setPriority(_ locker: LockerID, _ priority: UInt32) {
        lock()
        defer { unlock() }
        if let k = findLocker(locker) { st(k, KR.priority, priority) }
    }

    /// The priority of `locker`, nil when it does not exist.
    public func priority(_ locker: LockerID) -> UInt32? {
        lock()
        defer { unlock() }
        return findLocker(locker).map { ld($0, KR.priority) }
    }

    /// How many locks `locker` holds (each lock once, whatever its count).
    public func heldCount(_ locker: LockerID) -> Int {
        lock()
        defer { unlock() }
        return findLocker(locker).map { Int(ld($0, KR.nlocks)) } ?? 0
    }

    /// libdb's access-method rule (__db_lget): DB_LOCK_NOTGRANTED from the
    /// lock subsystem becomes DB_LOCK_DEADLOCK unless the environment has
    /// DB_TIME_NOTGRANTED.
    public static func accessMethodError(_ error: DBError, timeNotGranted: Bool) -> DBError {
        if error.code == DB_LOCK_NOTGRANTED && !timeNotGranted { return DBError(DB_LOCK_DEADLOCK, error.message) }
        return error
    }

    // MARK: the C API's operations

    /// DB_ENV->lock_get (flags DB_LOCK_NOWAIT, DB_LOCK_UPGRADE,
    /// DB_LOCK_SWITCH): `lock` receives the lock, or LOCK_INVALID when the
    /// request failed inside the lock manager, as libdb leaves it.
    public func get(_ locker: LockerID, flags: UInt32, object: UnsafeRawBufferPointer?, mode: UInt32,
                    timeout: UInt32 = 0, lock raw: inout RawLock) throws(DBError) {
        lock()
        defer { unlock() }
        guard let k = findLocker(locker) else { throw .invalid("BDB2036 Locker does not exist") }
        try getInternal(k, flags: flags, name: object, mode: mode, timeout: timeout, lock: &raw)
    }

    /// DB_ENV->lock_put; runs the detector afterwards when libdb would.
    public func put(_ raw: inout RawLock) throws(DBError) {
        lock()
        let run: Bool
        do throws(DBError) {
            run = try putHandle(&raw)
        } catch {
            unlock()
            throw error
        }
        let policy = header(LH.detect)
        unlock()
        if run { detectDeadlocks(policy) }
    }

    /// One DB_LOCKREQ of DB_ENV->lock_vec.
    public enum VectorOperation {
        case get(mode: UInt32, object: [UInt8]?, timeout: UInt32?)
        case inherit
        case put(RawLock)
        case putAll, putRead, upgradeWrite
        case putObject([UInt8]?)
        case timeout
        case trade(RawLock)
        case invalid(Int32)
    }

    /// DB_ENV->lock_vec: the requests in order, stopping at the first
    /// failure; returns the locks the GETs obtained (LOCK_INVALID for the
    /// others) and the index of the failed request. The detector runs
    /// afterwards when libdb's would.
    public func vector(_ locker: LockerID, flags initialFlags: UInt32, _ ops: [VectorOperation],
                       locks: inout [RawLock]) -> (failed: Int, error: DBError)? {
        var flags = initialFlags
        var failure: (Int, DBError)?
        var detectAfterPut = false
        lock()
        let k = findLocker(locker)
        for (i, op) in ops.enumerated() {
            do throws(DBError) {
                switch op {
                case .get(let mode, let object, let timeout):
                    if timeout != nil { flags |= LockFlag.setTimeout }
                    guard let k else { throw .invalid("BDB2036 Locker does not exist") }
                    var raw = locks[i]
                    defer { locks[i] = raw }
                    if let object {
                        try Self.withBytes(object) { (bytes: UnsafeRawBufferPointer) throws(DBError) in
                            try getInternal(k, flags: flags, name: bytes, mode: mode, timeout: timeout ?? 0,
                                            lock: &raw)
                        }
                    } else {
                        // No object: the object of the lock passed in.
                        try getInternal(k, flags: flags, name: nil, mode: mode, timeout: timeout ?? 0, lock: &raw)
                    }
                case .inherit:
                    guard let k else { throw .invalid("Locker is not valid") }
                    let p = ld(k, KR.parent)
                    guard p != 0 else { throw .invalid("BDB2039 Not a child transaction") }
                    inherit(child: k, parent: p)
                case .put(let handle):
                    var raw = handle
                    defer { locks[i] = raw }
                    if try putHandle(&raw) { detectAfterPut = true }
                case .putAll:
                    if let k { putAll(k, readOnly: false) }
                case .putRead:
                    if let k { putAll(k, readOnly: true) }
                case .upgradeWrite:
                    if let k { try upgradeWrites(k, flags: flags) }
                case .putObject(let object):
                    guard let object else { throw DBError(EINVAL) }
                    try Self.withBytes(object) { (bytes: UnsafeRawBufferPointer) throws(DBError) in
                        try putObject(bytes)
                    }
                case .timeout:
                    guard let k else { throw DBError(EINVAL) }
                    try setTimeoutInternal(k, 0, UInt32(DB_SET_TXN_NOW))
                case .trade(let handle):
                    guard let k else { throw .invalid("BDB2040 Locker does not exist") }
                    try trade(handle, to: k)
                case .invalid(let code):
                    throw .invalid("BDB2035 Invalid lock operation: \(code)")
                }
            } catch {
                failure = (i, error)
                break
            }
        }
        // libdb: a successful vector, or any put in it, runs the detector
        // when a pass is due.
        let run = detectAfterPut || (failure == nil && wantsDetection), policy = header(LH.detect)
        unlock()
        if run { detectDeadlocks(policy) }
        return failure
    }

    /// Runs `body` over the bytes of `array` (Array.withUnsafeBytes cannot
    /// take a typed-throws closure: the error is carried out by hand).
    static func withBytes(_ array: [UInt8], _ body: (UnsafeRawBufferPointer) throws(DBError) -> Void) throws(DBError) {
        var failure: DBError?
        array.withUnsafeBytes { bytes in
            do throws(DBError) {
                try body(bytes)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// DB_LOCK_UPGRADE_WRITE: read locks go; a locker that supported dirty
    /// readers has its WWRITE locks made WRITE again.
    private func upgradeWrites(_ k: UInt32, flags: UInt32) throws(DBError) {
        let dirty = ld(k, KR.flags) & LockerFlag.dirty != 0
        putAll(k, readOnly: true)
        guard dirty else { return }
        var lp = ld(k, KR.heldHead)
        while lp != 0 {
            let next = ld(lp, LR.lockerNext)
            if ld(lp, LR.mode) == LockMode.wasWrite.rawValue {
                st(k, KR.flags, ld(k, KR.flags) | LockerFlag.inAbort)
                var raw = RawLock(offset: UInt64(lp), generation: ld(lp, LR.generation), mode: ld(lp, LR.mode))
                try getInternal(k, flags: flags | LockFlag.upgrade, name: nil, mode: LockMode.write.rawValue,
                                timeout: 0, lock: &raw)
            }
            lp = next
        }
    }

    // MARK: configuration held in the table

    /// The deadlock detector policy (region's lk_detect).
    public var detectPolicy: UInt32 {
        lock()
        defer { unlock() }
        return header(LH.detect)
    }

    /// set_lk_detect after open: libdb keeps the first policy set; a
    /// different one (other than DB_LOCK_DEFAULT) is an error.
    public func setDetectPolicy(_ policy: UInt32) throws(DBError) {
        lock()
        defer { unlock() }
        let current = header(LH.detect)
        if current != UInt32(DB_LOCK_NORUN) && policy != UInt32(DB_LOCK_DEFAULT) && current != policy {
            throw .invalid("BDB2044 DB_ENV->set_lk_detect: incompatible deadlock detector mode")
        }
        if current == UInt32(DB_LOCK_NORUN) { setHeader(LH.detect, policy) }
    }

    /// The environment's lock and transaction timeouts (microseconds).
    public var timeouts: (lock: UInt32, txn: UInt32) {
        lock()
        defer { unlock() }
        return (header(LH.lockTimeout), header(LH.txnTimeout))
    }

    public func setDefaultTimeout(_ timeout: UInt32, which: UInt32) {
        lock()
        defer { unlock() }
        if which == UInt32(DB_SET_LOCK_TIMEOUT) { setHeader(LH.lockTimeout, timeout) }
        if which == UInt32(DB_SET_TXN_TIMEOUT) { setHeader(LH.txnTimeout, timeout) }
    }

    /// The matrix in the region (fixed at creation: no mutex needed).
    public var conflictsPointer: UnsafePointer<UInt8> {
        UnsafePointer((base + conflictsAt).assumingMemoryBound(to: UInt8.self))
    }

    /// The conflict matrix (row = held mode, column = wanted).
    public var conflictMatrix: (modes: Int, matrix: [UInt8]) {
        let n = Int(nmodes)
        return (n, (0..<(n * n)).map { base.load(fromByteOffset: conflictsAt + $0, as: UInt8.self) })
    }
}
