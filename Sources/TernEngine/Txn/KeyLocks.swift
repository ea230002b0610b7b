// Key locks for transactions (DESIGN.md, "Isolation is by locks"): filled in
// when the lock table lands; until then a transaction takes no locks.
extension Transaction {
    static func unresolvedDeadlock() -> DBError { .invalid("BDB0102 previous transaction deadlock return not resolved") }
    func lockForRead(_ opened: OpenedDatabase, key: [UInt8]) throws(DBError) {}
    func lockEndOfTree(_ opened: OpenedDatabase) throws(DBError) {}
    var locksReads: Bool { false }
    func lockForWrite(_ opened: OpenedDatabase, key: [UInt8]) throws(DBError) {}
    func releaseLocks() {}
    func registerLocker() throws(DBError) {}
    func transferLocks(to parent: Transaction) {}
    func setLockPriority(_ value: UInt32) {}
    func applyLockTimeouts() {}
}
extension Transaction {
    func lockDatabase(_ opened: OpenedDatabase, write: Bool) throws(DBError) {}
}
