// LogFileReader: reads log file bytes for one cursor — one open file at a
// time, through a read-ahead window so a scan costs one pread per window, not
// two per record. Not thread-safe: it belongs to one cursor.
import Glibc

final class LogFileReader {
    let files: LogFiles
    private var fd: Int32 = -1
    private(set) var file: UInt32 = 0
    private let window: UnsafeMutableRawPointer
    private let windowSize = 64 * 1024
    private var windowStart = 0
    private var windowCount = 0

    init(files: LogFiles) {
        self.files = files
        window = .allocate(byteCount: windowSize, alignment: 16)
    }

    deinit {
        if fd >= 0 { close(fd) }
        window.deallocate()
    }

    /// Forgets everything read (the log was truncated or reset).
    func invalidate() {
        if fd >= 0 { close(fd) }
        fd = -1
        file = 0
        windowCount = 0
    }

    /// Forgets the read-ahead window (keeping the file open); true when
    /// there was one. See LogCursor.fetch.
    func dropWindow() -> Bool {
        defer { windowCount = 0 }
        return windowCount > 0
    }

    /// Opens file `f` if it is not the open one; false when it does not exist.
    func select(_ f: UInt32) -> Bool {
        if fd >= 0 && file == f { return true }
        invalidate()
        let newFD = open(files.path(f), O_RDONLY)
        if newFD < 0 { return false }
        fd = newFD
        file = f
        return true
    }

    /// The current size of file `f`, nil when it does not exist. Log files
    /// are pre-sized: this bounds the readable bytes, it is not the log's end.
    func size(_ f: UInt32) -> UInt32? {
        guard select(f) else { return nil }
        return UInt32(clamping: LogIO.size(fd))
    }

    /// Copies `count` bytes at `offset` of file `f`; false when the file is
    /// missing or shorter. `backward` places the window to end at the data,
    /// for traversals toward the start of the file. Bytes at or beyond
    /// `limit` are never cached: in a file the writer is still filling they
    /// may not be final (a DB_LOG_ZERO file is all zeros there).
    func read(_ f: UInt32, offset: UInt32, count: Int, into p: UnsafeMutableRawPointer,
              backward: Bool = false, limit: Int = Int.max) throws(DBError) -> Bool {
        guard select(f) else { return false }
        let off = Int(offset)
        if off >= windowStart && off + count <= windowStart + windowCount {
            p.copyMemory(from: window + (off - windowStart), byteCount: count)
            return true
        }
        if count > windowSize / 2 {
            return try LogIO.preadAll(fd, p, count, at: off) == count
        }
        windowStart = backward ? max(0, off + count - windowSize) : off
        windowCount = try LogIO.preadAll(fd, window, windowSize, at: windowStart)
        windowCount = max(0, min(windowCount, limit - windowStart))
        guard off + count <= windowStart + windowCount else { return false }
        p.copyMemory(from: window + (off - windowStart), byteCount: count)
        return true
    }
}
