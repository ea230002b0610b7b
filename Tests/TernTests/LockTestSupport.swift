// Helpers for the lock table tests: a table in a private region, named
// lock requests, threads started now and joined later, a result cell.
import CBerkeleyDB
import Glibc
@testable import TernEngine

/// A lock table in its own private region (one partition unless the
/// configuration says otherwise).
func makeLockTable(_ configure: (inout EnvironmentConfig) -> Void = { _ in }) throws -> LockTable {
    var config = EnvironmentConfig()
    config.lockPartitions = 1
    configure(&config)
    let region = try Region.makePrivate(size: Region.size(for: config))
    return try LockTable.attach(region: region, config: config)
}

extension LockTable {
    /// `lock` on the UTF-8 bytes of `name`.
    func lock(_ locker: LockerID, _ name: String, _ mode: LockMode, noWait: Bool = false) throws(DBError) -> LockHandle {
        let bytes = Array(name.utf8)
        var result: Result<LockHandle, DBError> = .failure(DBError(EINVAL))
        bytes.withUnsafeBytes { buf in
            do throws(DBError) {
                result = .success(try self.lock(locker, object: buf, mode: mode, noWait: noWait))
            } catch {
                result = .failure(error)
            }
        }
        return try result.get()
    }

    /// The code `lock` fails with, 0 when granted (the lock is kept).
    func code(_ locker: LockerID, _ name: String, _ mode: LockMode, noWait: Bool = false) -> Int32 {
        do throws(DBError) {
            _ = try lock(locker, name, mode, noWait: noWait)
            return 0
        } catch {
            return error.code
        }
    }
}

/// The error a call throws, nil when it succeeds.
func lockError(_ body: () throws -> Void) -> DBError? {
    do {
        try body()
        return nil
    } catch let error as DBError {
        return error
    } catch {
        return DBError(-1, "not a DBError: \(error)")
    }
}

/// A value written by one thread and read by another.
final class LockCell<Value: Sendable>: @unchecked Sendable {
    private let guardLock = LocalLock()
    private var stored: Value
    init(_ v: Value) { stored = v }
    var value: Value {
        get { guardLock.withLock { stored } }
        set { guardLock.withLock { stored = newValue } }
    }
    func update(_ body: (inout Value) -> Void) { guardLock.withLock { body(&stored) } }
}

/// A thread running `body`, joined with `join()`.
final class LockThread: @unchecked Sendable {
    private var thread = pthread_t()
    private let body: @Sendable () -> Void

    init(_ body: @escaping @Sendable () -> Void) {
        self.body = body
        let me = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(&thread, nil, { arg in
            let t = Unmanaged<LockThread>.fromOpaque(arg!).takeRetainedValue()
            t.body()
            return nil
        }, me)
        precondition(rc == 0)
    }

    func join() { pthread_join(thread, nil) }
}

/// Sleeps `ms` milliseconds.
func sleepMilliseconds(_ ms: Int) { usleep(useconds_t(ms * 1000)) }

/// Waits (up to 10 s) until `t` has counted `count` requests that had to
/// wait, so a started thread is known to be queued; or until `done` says
/// its request already returned.
func waitUntilQueued(_ t: LockTable, waits count: UInt64, or done: () -> Bool = { false }) {
    for _ in 0..<10_000 {
        if t.statistics(clear: false).lockWait >= count || done() { return }
        usleep(1000)
    }
}
