// DB_ENV's lock methods on the engine side: lock_id, lock_id_free,
// lock_get, lock_put, lock_vec, lock_detect, lock_stat, lock_stat_print,
// set_lk_priority/get_lk_priority. Each follows libdb's pre-processing
// order (lock/lock_method.c, lock.c, lock_id.c, lock_deadlock.c,
// lock_stat.c): ENV_REQUIRES_CONFIG (the lock subsystem must exist, so
// before open they fail too), then the flag checks, then the panic check;
// with DB_NOLOCKING set, gets and puts succeed without doing anything.
import CBerkeleyDB
import Glibc

extension Environment {
    /// The lock table for `method`, or libdb's ENV_REQUIRES_CONFIG error.
    func requireLockTable(_ method: String) throws(DBError) -> LockTable {
        try requireSubsystem(method, .lock)
        guard let lockTable else { throw .notConfigured(method, subsystem: Subsystem.lock.name) }
        return lockTable
    }

    var lockingDisabled: Bool { config.flags & UInt32(DB_NOLOCKING) != 0 }

    /// DB_ENV->lock_id.
    public func lockID() throws(DBError) -> UInt32 {
        let table = try requireLockTable("DB_ENV->lock_id")
        try requireNotPanicked()
        return try table.newLocker()
    }

    /// DB_ENV->lock_id_free.
    public func lockIDFree(_ id: UInt32) throws(DBError) {
        let table = try requireLockTable("DB_ENV->lock_id_free")
        try requireNotPanicked()
        try table.freeLocker(id)
    }

    /// DB_ENV->lock_get: `lock` is written as libdb writes the DB_LOCK.
    public func lockGet(locker: UInt32, flags: UInt32, object: UnsafeRawBufferPointer, mode: UInt32,
                        lock: inout RawLock) throws(DBError) {
        let method = "DB_ENV->lock_get"
        let table = try requireLockTable(method)
        try Self.checkFlags(flags, allowed: UInt32(DB_LOCK_NOWAIT | DB_LOCK_UPGRADE | DB_LOCK_SWITCH), method)
        try requireNotPanicked()
        if lockingDisabled { return }
        try table.get(locker, flags: flags, object: object, mode: mode, lock: &lock)
    }

    /// DB_ENV->lock_put (libdb names it DB_LOCK->lock_put in its messages).
    public func lockPut(_ lock: inout RawLock) throws(DBError) {
        let table = try requireLockTable("DB_LOCK->lock_put")
        try requireNotPanicked()
        if lockingDisabled { return }
        try table.put(&lock)
    }

    /// DB_ENV->lock_vec: nil when every request succeeded, else the index
    /// of the failed one and its error. Argument errors throw.
    public func lockVector(locker: UInt32, flags: UInt32, _ ops: [LockTable.VectorOperation],
                           locks: inout [RawLock]) throws(DBError) -> (failed: Int, error: DBError)? {
        let method = "DB_ENV->lock_vec"
        let table = try requireLockTable(method)
        try Self.checkFlags(flags, allowed: UInt32(DB_LOCK_NOWAIT), method)
        try requireNotPanicked()
        if lockingDisabled { return nil }
        return table.vector(locker, flags: flags, ops, locks: &locks)
    }

    /// DB_ENV->lock_detect: how many requests the pass rejected.
    public func lockDetect(flags: UInt32, policy: UInt32) throws(DBError) -> Int {
        let method = "DB_ENV->lock_detect"
        let table = try requireLockTable(method)
        try Self.checkFlags(flags, allowed: 0, method)
        switch Int32(bitPattern: policy) {
        case DB_LOCK_DEFAULT, DB_LOCK_EXPIRE, DB_LOCK_MAXLOCKS, DB_LOCK_MAXWRITE, DB_LOCK_MINLOCKS,
             DB_LOCK_MINWRITE, DB_LOCK_OLDEST, DB_LOCK_RANDOM, DB_LOCK_YOUNGEST:
            break
        default:
            throw .invalid("BDB2048 DB_ENV->lock_detect: unknown deadlock detection mode specified")
        }
        try requireNotPanicked()
        return try table.detect(policy)
    }

    /// DB_ENV->lock_stat.
    public func lockStatistics(flags: UInt32) throws(DBError) -> LockStatistics {
        let method = "DB_ENV->lock_stat"
        let table = try requireLockTable(method)
        try Self.checkFlags(flags, allowed: UInt32(DB_STAT_CLEAR), method)
        try requireNotPanicked()
        return table.statistics(clear: flags & UInt32(DB_STAT_CLEAR) != 0)
    }

    /// The lines DB_ENV->lock_stat_print writes.
    public func lockStatisticsText(flags: UInt32) throws(DBError) -> [String] {
        let method = "DB_ENV->lock_stat_print"
        let table = try requireLockTable(method)
        let detail = UInt32(DB_STAT_ALL | DB_STAT_LOCK_CONF | DB_STAT_LOCK_LOCKERS | DB_STAT_LOCK_OBJECTS
                            | DB_STAT_LOCK_PARAMS)
        try Self.checkFlags(flags, allowed: UInt32(DB_STAT_ALLOC | DB_STAT_CLEAR) | detail, method)
        try requireNotPanicked()
        return lockLines(table, flags: flags)
    }

    func lockLines(_ table: LockTable, flags original: UInt32) -> [String] {
        let flags = original & ~UInt32(DB_STAT_CLEAR | DB_STAT_SUBSYSTEM)
        var lines: [String] = []
        if flags == 0 || flags & UInt32(DB_STAT_ALL) != 0 {
            let s = table.statistics(clear: original & UInt32(DB_STAT_CLEAR) != 0)
            lines += LockTable.statisticsLines(s, all: original & UInt32(DB_STAT_ALL) != 0)
            if flags == 0 { return lines }
        }
        let detail = UInt32(DB_STAT_ALL | DB_STAT_LOCK_CONF | DB_STAT_LOCK_LOCKERS | DB_STAT_LOCK_OBJECTS
                            | DB_STAT_LOCK_PARAMS)
        if flags & detail != 0 { lines += table.detailLines(flags: flags) }
        return lines
    }

    /// DB_ENV->set_lk_priority: without a lock table libdb answers EINVAL
    /// and says nothing.
    public func setLockPriority(locker: UInt32, priority: UInt32) throws(DBError) {
        guard isOn(.lock), let lockTable, lockTable.lockerExists(locker) else { throw DBError(EINVAL) }
        lockTable.setPriority(locker, priority)
    }

    /// DB_ENV->get_lk_priority.
    public func getLockPriority(locker: UInt32) throws(DBError) -> UInt32 {
        guard isOn(.lock), let lockTable, let p = lockTable.priority(locker) else { throw DBError(EINVAL) }
        return p
    }
}
