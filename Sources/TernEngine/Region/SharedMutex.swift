// Mutexes that live in region memory and work across processes.
//
// SharedMutex: a pthread mutex with PTHREAD_PROCESS_SHARED and
// PTHREAD_MUTEX_ROBUST. When its holder dies (a process exits or is killed, a
// thread ends) while holding it, the kernel hands it to the next locker with
// EOWNERDEAD; `lock()` then marks it consistent and returns
// `.previousOwnerDied`, so the caller learns that the structure it guards may
// be half-updated (the environment turns this into DB_RUNRECOVERY / failchk).
// It never deadlocks silently on a dead owner.
//
// SharedLatch: a shared/exclusive latch (pthread_rwlock_t with
// PTHREAD_PROCESS_SHARED) for the access methods' tree latches. Trade-off:
// POSIX has no robust rwlock, so a process that dies holding a SharedLatch
// leaves it held forever; a latch holder must therefore never block on
// anything but another latch or a SharedMutex, and recovery after a crash
// (DB_RUNRECOVERY) re-creates the region, which re-initialises every latch.
// Failchk must treat "a dead process may hold latches" as "run recovery".
//
// Both are views: a pointer to memory the region owns. They are trivially
// copyable, hold no reference, and cost nothing to pass around. Every
// process attached to the region sees the same lock.
import Glibc

public enum MutexLockResult: Sendable, Equatable {
    case acquired
    /// The previous holder died holding the mutex; it is now held by the
    /// caller and marked consistent, but what it guards may be inconsistent.
    case previousOwnerDied
}

public struct SharedMutex: @unchecked Sendable {
    /// Bytes a SharedMutex occupies in a region (sizeof(pthread_mutex_t),
    /// rounded to 8).
    public static let size = (MemoryLayout<pthread_mutex_t>.size + 7) & ~7

    @usableFromInline let raw: UnsafeMutablePointer<pthread_mutex_t>

    /// A view of a mutex already initialised at `address`.
    @inlinable public init(at address: UnsafeMutableRawPointer) {
        raw = address.assumingMemoryBound(to: pthread_mutex_t.self)
    }

    /// Initialises a process-shared robust mutex at `address` (the region's
    /// creator does this once; joiners use `init(at:)`).
    public static func initialize(at address: UnsafeMutableRawPointer) -> SharedMutex {
        var attr = pthread_mutexattr_t()
        pthread_mutexattr_init(&attr)
        pthread_mutexattr_setpshared(&attr, Int32(PTHREAD_PROCESS_SHARED))
        pthread_mutexattr_setrobust(&attr, Int32(PTHREAD_MUTEX_ROBUST))
        let m = address.bindMemory(to: pthread_mutex_t.self, capacity: 1)
        let rc = pthread_mutex_init(m, &attr)
        pthread_mutexattr_destroy(&attr)
        precondition(rc == 0, "pthread_mutex_init failed: \(rc)")
        return SharedMutex(at: address)
    }

    @inlinable @discardableResult
    public func lock() -> MutexLockResult {
        let rc = pthread_mutex_lock(raw)
        if rc == 0 { return .acquired }
        return recover(rc)
    }

    /// Non-blocking lock: nil when another holder has it.
    public func tryLock() -> MutexLockResult? {
        let rc = pthread_mutex_trylock(raw)
        if rc == 0 { return .acquired }
        if rc == EBUSY { return nil }
        return recover(rc)
    }

    @usableFromInline func recover(_ rc: Int32) -> MutexLockResult {
        if rc == EOWNERDEAD {
            pthread_mutex_consistent(raw)
            return .previousOwnerDied
        }
        // ENOTRECOVERABLE cannot happen (EOWNERDEAD is always made
        // consistent); EINVAL means region memory is not a mutex.
        fatalError("SharedMutex: pthread_mutex_lock failed with \(rc)")
    }

    @inlinable public func unlock() {
        pthread_mutex_unlock(raw)
    }
}

public struct SharedLatch: @unchecked Sendable {
    public static let size = (MemoryLayout<pthread_rwlock_t>.size + 7) & ~7

    @usableFromInline let raw: UnsafeMutablePointer<pthread_rwlock_t>

    @inlinable public init(at address: UnsafeMutableRawPointer) {
        raw = address.assumingMemoryBound(to: pthread_rwlock_t.self)
    }

    public static func initialize(at address: UnsafeMutableRawPointer) -> SharedLatch {
        var attr = pthread_rwlockattr_t()
        pthread_rwlockattr_init(&attr)
        pthread_rwlockattr_setpshared(&attr, Int32(PTHREAD_PROCESS_SHARED))
        let l = address.bindMemory(to: pthread_rwlock_t.self, capacity: 1)
        let rc = pthread_rwlock_init(l, &attr)
        pthread_rwlockattr_destroy(&attr)
        precondition(rc == 0, "pthread_rwlock_init failed: \(rc)")
        return SharedLatch(at: address)
    }

    @inlinable public func lockShared() { pthread_rwlock_rdlock(raw) }
    @inlinable public func lockExclusive() { pthread_rwlock_wrlock(raw) }
    public func tryLockShared() -> Bool { pthread_rwlock_tryrdlock(raw) == 0 }
    public func tryLockExclusive() -> Bool { pthread_rwlock_trywrlock(raw) == 0 }
    @inlinable public func unlock() { pthread_rwlock_unlock(raw) }
}

/// A process-private mutex (per-process tables such as the cache's fd
/// table). Owns its memory.
final class LocalLock: @unchecked Sendable {
    private let m: UnsafeMutablePointer<pthread_mutex_t>
    init() {
        m = .allocate(capacity: 1)
        m.initialize(to: pthread_mutex_t())
        pthread_mutex_init(m, nil)
    }
    deinit {
        pthread_mutex_destroy(m)
        m.deallocate()
    }
    @inline(__always) func lock() { pthread_mutex_lock(m) }
    @inline(__always) func unlock() { pthread_mutex_unlock(m) }
    @inline(__always) func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        pthread_mutex_lock(m)
        defer { pthread_mutex_unlock(m) }
        return try body()
    }
}
