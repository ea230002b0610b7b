// Helpers for the log tests: temporary directories, deterministic payloads,
// threads and a counting sync function. No Foundation.
import CBerkeleyDB
import Glibc
@testable import TernEngine

/// A fresh empty directory under /tmp, removed by `cleanup()`.
struct LogTestDir {
    let path: String

    init() {
        var template = Array("/tmp/tern-log-test-XXXXXX".utf8CString)
        let p = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        path = String(cString: p!)
    }

    func cleanup() {
        for f in LogFiles(directory: path).list() { unlink(LogFiles(directory: path).path(f)) }
        if let dir = opendir(path) {
            while let e = readdir(dir) {
                let name = withUnsafeBytes(of: e.pointee.d_name) {
                    String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if name != "." && name != ".." { unlink(path + "/" + name) }
            }
            closedir(dir)
        }
        rmdir(path)
    }

    func file(_ n: UInt32) -> String { LogFiles(directory: path).path(n) }

    func size(_ n: UInt32) -> Int {
        var st = stat()
        return stat(file(n), &st) == 0 ? Int(st.st_size) : -1
    }

    /// True when every byte of log file `n` from `offset` to its end is
    /// zero. Log files are pre-sized to lg_max, so the file's size is not
    /// where the log ends; this is how tests check that nothing is left
    /// after the logical end (a cut tail, a truncation).
    func isZero(_ n: UInt32, from offset: Int) -> Bool {
        let fd = open(file(n), O_RDONLY)
        precondition(fd >= 0)
        defer { close(fd) }
        var buf = [UInt8](repeating: 0, count: 65536)
        var at = offset
        while true {
            let got = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(at)) }
            precondition(got >= 0)
            if got == 0 { return true }
            if buf[0..<got].contains(where: { $0 != 0 }) { return false }
            at += got
        }
    }

    /// Overwrites bytes of a log file.
    func poke(_ n: UInt32, at offset: Int, _ bytes: [UInt8]) {
        let fd = open(file(n), O_WRONLY)
        precondition(fd >= 0)
        _ = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(offset)) }
        close(fd)
    }

    func truncateFile(_ n: UInt32, to size: Int) {
        precondition(truncate(file(n), off_t(size)) == 0)
    }

    func appendBytes(_ n: UInt32, _ bytes: [UInt8]) { poke(n, at: size(n), bytes) }

    func writeFile(_ name: String, _ bytes: [UInt8]) {
        let fd = open(path + "/" + name, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        precondition(fd >= 0)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }
}

/// xorshift64*: reproducible sizes and contents.
struct LogTestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
    mutating func next() -> UInt64 {
        state ^= state >> 12; state ^= state << 25; state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
}

/// The payload of test record `i` of `size` bytes: recognisable and distinct.
func logPayload(_ i: Int, size: Int) -> [UInt8] {
    var r = LogTestRandom(seed: UInt64(i) &* 7919 &+ 1)
    return (0..<size).map { _ in UInt8(truncatingIfNeeded: r.next()) }
}

/// The DBError code a call throws, nil when it succeeds.
func logErrorCode(_ body: () throws -> Void) -> Int32? {
    logErrorOf(body)?.code
}

/// The DBError a call throws, nil when it succeeds (another error type is
/// reported as code Int32.min so that it fails every expectation).
func logErrorOf(_ body: () throws -> Void) -> DBError? {
    do { try body(); return nil } catch let e as DBError { return e } catch { return DBError(Int32.min, "\(error)") }
}

/// A mutex-protected counter/gate for tests. @unchecked Sendable: every
/// field is touched only with `mutex` held.
final class LogTestGate: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var counters: [String: Int] = [:]

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(cond, nil)
    }
    deinit {
        pthread_mutex_destroy(mutex); pthread_cond_destroy(cond)
        mutex.deallocate(); cond.deallocate()
    }

    @discardableResult
    func add(_ key: String, _ n: Int = 1) -> Int {
        pthread_mutex_lock(mutex); defer { pthread_mutex_unlock(mutex) }
        counters[key, default: 0] += n
        pthread_cond_broadcast(cond)
        return counters[key]!
    }

    func value(_ key: String) -> Int {
        pthread_mutex_lock(mutex); defer { pthread_mutex_unlock(mutex) }
        return counters[key, default: 0]
    }

    /// Blocks until counter `key` reaches `n`.
    func wait(_ key: String, atLeast n: Int) {
        pthread_mutex_lock(mutex); defer { pthread_mutex_unlock(mutex) }
        while counters[key, default: 0] < n { pthread_cond_wait(cond, mutex) }
    }
}

/// Runs `body(i)` on `count` threads and joins them.
func logRunThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    final class Job: @unchecked Sendable {  // immutable after init
        let index: Int
        let body: @Sendable (Int) -> Void
        init(_ i: Int, _ b: @escaping @Sendable (Int) -> Void) { index = i; body = b }
    }
    var threads: [pthread_t] = []
    for i in 0..<count {
        var t = pthread_t()
        let job = Unmanaged.passRetained(Job(i, body)).toOpaque()
        let rc = pthread_create(&t, nil, { arg in
            let job = Unmanaged<AnyObject>.fromOpaque(arg!).takeRetainedValue() as! Job
            job.body(job.index)
            return nil
        }, job)
        precondition(rc == 0)
        threads.append(t)
    }
    for t in threads { pthread_join(t, nil) }
}

/// Reads the whole log forward with a cursor; stops at DB_NOTFOUND.
func logReadForward(_ c: LogCursor) throws(DBError) -> [LogRecord] {
    var out: [LogRecord] = []
    var r: LogRecord
    do { r = try c.first() } catch where error.code == DB_NOTFOUND { return [] }
    out.append(r)
    while true {
        do { r = try c.next() } catch where error.code == DB_NOTFOUND { return out }
        out.append(r)
    }
}

func logReadBackward(_ c: LogCursor) throws(DBError) -> [LogRecord] {
    var out: [LogRecord] = []
    var r: LogRecord
    do { r = try c.last() } catch where error.code == DB_NOTFOUND { return [] }
    out.append(r)
    while true {
        do { r = try c.prev() } catch where error.code == DB_NOTFOUND { return out }
        out.append(r)
    }
}
