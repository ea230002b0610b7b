// Log: the write-ahead log's writer — appends, buffering, file rollover,
// group commit, truncation — over log files or (DB_LOG_IN_MEMORY) a ring of
// memory.
//
// Concurrency: one mutex (LogLock) guards LogShared, the buffer and the
// process-local fd. Appends copy into the buffer under it; writes of the
// buffer to the file happen under it too (as in libdb: they are short and
// keep the file image a prefix of the log); only the group-commit fsync runs
// with the mutex released. See flush(upTo:sync:).
import CBerkeleyDB
import Glibc

/// The durability of one commit: DB_TXN_SYNC, DB_TXN_WRITE_NOSYNC, DB_TXN_NOSYNC.
public enum LogWriteMode: Sendable {
    /// Written and fdatasync'd (group commit) before returning.
    case sync
    /// Written to the OS before returning, not synced.
    case writeNoSync
    /// Left in the log buffer.
    case noSync
}

/// @unchecked Sendable: all mutable state (`shared`, the buffer, `fd`,
/// `fdFile`, the in-memory ring table, `retain`) is read and written only with
/// `lock` held; `config`, `files`, `syncFunction` and the pointers are
/// immutable after init.
public final class Log: @unchecked Sendable {
    public struct Configuration: Sendable {
        /// The log directory (home, or lg_dir resolved against it).
        public var directory: String
        /// lg_bsize; 0 takes libdb's default (32000, or 1 MiB in memory).
        public var bufferSize: UInt32
        /// lg_max; 0 takes libdb's default (10 MiB, or 256 KiB in memory).
        public var fileSize: UInt32
        /// set_lg_filemode; 0 means 0660 (then the umask).
        public var fileMode: Int32
        /// DB_LOG_IN_MEMORY: no files; a ring of bufferSize bytes.
        public var inMemory: Bool
        /// DB_LOG_DSYNC: files opened O_DSYNC; a write is durable, no fdatasync.
        public var dsync: Bool
        /// DB_LOG_ZERO: new files are zero-filled to lg_max when created.
        public var zeroFill: Bool
        /// DB_LOG_AUTO_REMOVE: kept for the checkpoint code, which removes
        /// LogFiles.archivable(before:) after each checkpoint.
        public var autoRemove: Bool

        public init(directory: String, bufferSize: UInt32 = 0, fileSize: UInt32 = 0,
                    flags: UInt32 = 0, fileMode: Int32 = 0) {
            self.directory = directory
            self.bufferSize = bufferSize
            self.fileSize = fileSize
            self.fileMode = fileMode
            inMemory = flags & UInt32(DB_LOG_IN_MEMORY) != 0
            dsync = flags & UInt32(DB_LOG_DSYNC) != 0
            zeroFill = flags & UInt32(DB_LOG_ZERO) != 0
            autoRemove = flags & UInt32(DB_LOG_AUTO_REMOVE) != 0
        }

        /// The configuration an environment's settings describe.
        public init(environment config: EnvironmentConfig, home: String) {
            var dir = home.isEmpty ? "." : home
            if let logDir = config.logDir, !logDir.isEmpty {
                dir = logDir.hasPrefix("/") ? logDir : dir + "/" + logDir
            }
            self.init(directory: dir, bufferSize: config.logBufferSize, fileSize: config.logFileSize,
                      flags: config.logFlags, fileMode: config.logFileMode)
        }
    }

    /// How a file's data is made durable: fdatasync by default; tests inject
    /// a counting one. Returns 0 or -1 with errno set.
    public typealias SyncFunction = @Sendable (Int32) -> Int32
    /// In-memory logs: the oldest LSN that must stay readable (the first LSN
    /// of the oldest active transaction, a replication client's need), or
    /// nil when everything may be overwritten. Called with the log mutex
    /// held: it must not call back into the log.
    public typealias RetainFunction = @Sendable () -> LSN?

    public static let defaultSync: SyncFunction = { fd in fdatasync(fd) }

    public let configuration: Configuration
    public let files: LogFiles
    let lock = LogLock()
    /// The region seam: in the region this points at region memory.
    let shared: UnsafeMutablePointer<LogShared>
    /// lg_bsize bytes: the write buffer, or the in-memory ring.
    let buffer: UnsafeMutableRawPointer
    let syncFunction: SyncFunction

    // Process-local (guarded by lock).
    var fd: Int32 = -1
    var fdFile: UInt32 = 0
    var closed = false
    /// In-memory log: the "files" in the ring, oldest first. Each holds
    /// `length` contiguous (modulo the ring) bytes from absolute position
    /// `start`; ringHead is the absolute position of the next byte.
    struct RingFile { var file: UInt32; var start: UInt64; var length: UInt32 }
    var ringFiles: [RingFile] = []
    var ringHead: UInt64 = 0
    var retain: RetainFunction?

    /// Shorthand for the shared state (mutex held).
    var s: LogShared {
        unsafeAddress { UnsafePointer(shared) }
        unsafeMutableAddress { shared }
    }

    private init(_ configuration: Configuration, sync: @escaping SyncFunction) {
        var c = configuration
        if c.bufferSize == 0 {
            c.bufferSize = c.inMemory ? EnvironmentConfig.inMemoryLogBufferSize : EnvironmentConfig.defaultLogBufferSize
        }
        if c.fileSize == 0 {
            c.fileSize = c.inMemory ? EnvironmentConfig.inMemoryLogFileSize : EnvironmentConfig.defaultLogFileSize
        }
        // The buffer must at least hold a file header; tiny values are raised.
        c.bufferSize = max(c.bufferSize, 256)
        self.configuration = c
        files = LogFiles(directory: c.directory)
        syncFunction = sync
        buffer = .allocate(byteCount: Int(c.bufferSize), alignment: 16)
        shared = .allocate(capacity: 1)
        shared.initialize(to: LogShared(fileSize: c.fileSize, currentFileMax: c.fileSize,
                                        bufferSize: c.bufferSize, next: LSN(file: 1, offset: 0),
                                        last: .zero, written: .zero, synced: .zero))
    }

    deinit {
        if fd >= 0 { Glibc.close(fd) }
        shared.deinitialize(count: 1)
        shared.deallocate()
        buffer.deallocate()
    }

    /// Opens (recovering the end of) or creates the log.
    ///
    /// File log: finds the last file with a valid header (a last file whose
    /// header is torn — a crash while creating it — is removed), scans it for
    /// the last valid record, cuts any torn or corrupt tail off the file, and
    /// continues appending right after that record. An empty directory gets
    /// log.0000000001 (libdb writes the first file at open too). A file of
    /// another format is refused with EINVAL, never overwritten.
    public static func open(_ configuration: Configuration,
                            sync: @escaping SyncFunction = Log.defaultSync) throws(DBError) -> Log {
        if configuration.inMemory && configuration.bufferSize != 0 && configuration.fileSize != 0
            && configuration.bufferSize <= configuration.fileSize {
            throw .invalid("in-memory log buffer must be larger than the log file size")
        }
        let log = Log(configuration, sync: sync)
        log.lock.lock()
        defer { log.lock.unlock() }
        if configuration.inMemory {
            if log.s.bufferSize <= log.s.fileSize {
                throw .invalid("in-memory log buffer must be larger than the log file size")
            }
            try log.newFileLocked(1)
            return log
        }
        if let first = try log.recoverEndLocked() {
            log.s.next = LSN(file: first, offset: 0)
            try log.newFileLocked(first)
        }
        return log
    }

    // MARK: state

    /// Where the next record will go.
    public var nextLSN: LSN { lock.lock(); defer { lock.unlock() }; return s.next }
    /// The last record appended (zero when the log is empty).
    public var lastLSN: LSN { lock.lock(); defer { lock.unlock() }; return s.last }
    /// Every record before this position is durable.
    public var syncedLSN: LSN { lock.lock(); defer { lock.unlock() }; return s.synced }
    /// Every record before this position has been written to the OS.
    public var writtenLSN: LSN { lock.lock(); defer { lock.unlock() }; return s.written }
    public var statistics: LogStatistics { lock.lock(); defer { lock.unlock() }; return s.stats }
    public var isInMemory: Bool { configuration.inMemory }

    /// True when the record at `lsn` is durable.
    public func isDurable(_ lsn: LSN) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return lsn < s.synced
    }

    /// lg_max for files created from now on (DB_ENV->set_lg_max after open).
    public func setFileSize(_ size: UInt32) throws(DBError) {
        lock.lock(); defer { lock.unlock() }
        if configuration.inMemory && s.bufferSize <= size {
            throw .invalid("in-memory log buffer must be larger than the log file size")
        }
        s.fileSize = size
    }

    /// In-memory logs: what must not be overwritten (see RetainFunction).
    public func setRetain(_ function: RetainFunction?) {
        lock.lock(); defer { lock.unlock() }
        retain = function
    }

    // MARK: append

    /// Appends one record and returns its LSN. The payload is copied once,
    /// into the log buffer (or written straight to the file when it is larger
    /// than the buffer); nothing is allocated.
    ///
    /// Errors: EINVAL "record larger than maximum file size" when the record
    /// cannot fit in a fresh file of lg_max bytes (libdb's BDB2513);
    /// DB_LOG_BUFFER_FULL for an in-memory log whose ring holds only records
    /// still needed; I/O errors from writing the buffer out.
    @discardableResult
    public func append(type: UInt32, payload: UnsafeRawBufferPointer) throws(DBError) -> LSN {
        guard type < LogRecordType.reservedBase else {
            throw .invalid("log record type \(type) is reserved")
        }
        lock.lock(); defer { lock.unlock() }
        return try appendLocked(type: type, payload: payload, expected: nil)
    }

    @discardableResult
    public func append(type: UInt32, payload: [UInt8]) throws(DBError) -> LSN {
        try LogIO.typed { try payload.withUnsafeBytes { p in try append(type: type, payload: p) } }
    }

    /// Appends a record that must land at `lsn`: a replication client storing
    /// the master's records at the master's LSNs. A record for a later file
    /// than the current one switches to that file (the master switched; its
    /// lg_max decides, so a record may make the current file exceed the local
    /// lg_max). Any other mismatch is EINVAL and nothing is written.
    public func append(at lsn: LSN, type: UInt32, payload: UnsafeRawBufferPointer) throws(DBError) {
        guard type < LogRecordType.reservedBase else {
            throw .invalid("log record type \(type) is reserved")
        }
        lock.lock(); defer { lock.unlock() }
        _ = try appendLocked(type: type, payload: payload, expected: lsn)
    }

    func appendLocked(type: UInt32, payload: UnsafeRawBufferPointer, expected: LSN?) throws(DBError) -> LSN {
        if closed { throw .invalid("log is closed") }
        let total64 = UInt64(LogFormat.frameSize) + UInt64(payload.count)
        let needed = total64 + UInt64(LogFormat.headerRecordSize)
        if needed > UInt64(s.fileSize) && (expected == nil || needed > UInt64(UInt32.max)) {
            throw .invalid("BDB2513 DB_ENV->log_put: record larger than maximum file size (\(needed) > \(s.fileSize))")
        }
        let total = UInt32(total64)
        var newFile: UInt32? = nil
        if let expected {
            if expected.file > s.next.file || s.next.offset == 0 {
                guard expected.file == s.next.file + (s.next.offset == 0 ? 0 : 1),
                      expected.offset == LogFormat.headerRecordSize else {
                    throw .invalid("log_put: record \(expected) does not follow the end of the log \(s.next)")
                }
                newFile = expected.file
            } else if expected != s.next {
                throw .invalid("log_put: record \(expected) does not follow the end of the log \(s.next)")
            }
        } else if s.next.offset == 0 || UInt64(s.next.offset) + total64 > UInt64(s.currentFileMax) {
            newFile = s.next.offset == 0 ? s.next.file : s.next.file + 1
        }

        if configuration.inMemory {
            try ringReserveLocked(total: total, newFile: newFile)
            if let newFile { try newFileLocked(newFile) }
            let lsn = s.next
            ringWriteRecordLocked(lsn: lsn, total: total, type: type, payload: payload)
            recordAppendedLocked(lsn: lsn, total: total)
            return lsn
        }

        if let newFile { try newFileLocked(newFile) }
        let lsn = s.next
        let prev = s.lastOffsetInFile
        if s.bufferUsed + total > s.bufferSize { try writeOutLocked() }
        if total > s.bufferSize {
            // Larger than the whole buffer (now empty): frame from the stack,
            // payload straight from the caller, both written in place.
            var frame: (UInt64, UInt64) = (0, 0)
            try withUnsafeMutableBytes(of: &frame) { (f) throws(DBError) in
                LogFormat.writeFrame(f.baseAddress!, lsn: lsn, length: total, prev: prev, type: type, payload: payload)
                try LogIO.pwriteAll(fd, f.baseAddress!, LogFormat.frameSize, at: Int(lsn.offset))
                if let p = payload.baseAddress {
                    try LogIO.pwriteAll(fd, p, payload.count, at: Int(lsn.offset) + LogFormat.frameSize)
                }
            }
            s.bufferStart = lsn.offset + total
            s.written = LSN(file: lsn.file, offset: s.bufferStart)
            if configuration.dsync { s.synced = s.written }
            s.stats.writes += 1
        } else {
            let dst = buffer + Int(s.bufferUsed)
            if let p = payload.baseAddress {
                (dst + LogFormat.frameSize).copyMemory(from: p, byteCount: payload.count)
            }
            LogFormat.writeFrame(dst, lsn: lsn, length: total, prev: prev, type: type, payload: payload)
            s.bufferUsed += total
        }
        recordAppendedLocked(lsn: lsn, total: total)
        return lsn
    }

    private func recordAppendedLocked(lsn: LSN, total: UInt32) {
        s.last = lsn
        s.lastOffsetInFile = lsn.offset
        s.next.offset = lsn.offset + total
        s.stats.records += 1
        s.stats.bytes += UInt64(total)
        if configuration.inMemory { ringFiles[ringFiles.count - 1].length = s.next.offset }
    }

    /// Writes the buffered records to the current file (mutex held).
    func writeOutLocked() throws(DBError) {
        guard s.bufferUsed > 0 else { return }
        try LogIO.pwriteAll(fd, buffer, Int(s.bufferUsed), at: Int(s.bufferStart))
        s.bufferStart += s.bufferUsed
        s.bufferUsed = 0
        s.written = LSN(file: s.next.file, offset: s.bufferStart)
        if configuration.dsync { s.synced = s.written }
        s.stats.writes += 1
    }

    /// Starts file `number` (mutex held): finishes the current file (written
    /// and synced, so `synced` never has to describe an older file), creates
    /// the new one and puts its header record in the buffer.
    func newFileLocked(_ number: UInt32) throws(DBError) {
        // A group-commit leader may be syncing the current fd unlocked.
        while s.syncInProgress { lock.wait() }
        let header = LogFileHeader(file: number, lgMax: s.fileSize, prevLast: s.last)
        if configuration.inMemory {
            // Space was reserved by ringReserveLocked.
            ringFiles.append(RingFile(file: number, start: ringHead, length: 0))
            var bytes = [UInt8](repeating: 0, count: Int(LogFormat.headerRecordSize))
            bytes.withUnsafeMutableBytes { header.write(record: $0.baseAddress!) }
            bytes.withUnsafeBytes { ringCopyIn($0, at: ringHead) }
            ringHead += UInt64(LogFormat.headerRecordSize)
            ringFiles[ringFiles.count - 1].length = LogFormat.headerRecordSize
        } else {
            if fd >= 0 && s.next.offset != 0 {
                try writeOutLocked()
                if !configuration.dsync {
                    if syncFunction(fd) != 0 { throw LogIO.error("log sync") }
                    s.stats.rolloverSyncs += 1
                }
                s.synced = s.written
            }
            let path = files.path(number)
            var flags = O_RDWR | O_CREAT | O_TRUNC
            if configuration.dsync { flags |= O_DSYNC }
            let mode = configuration.fileMode == 0 ? 0o660 : configuration.fileMode
            let newFD = Glibc.open(path, flags, mode_t(mode))
            if newFD < 0 { throw LogIO.error(path) }
            // The file is created at its full size up front (libdb's
            // __log_newfile does the same), so that appends never change
            // the file's size and each commit's fdatasync writes only data,
            // not an inode size update too (~30% slower per sync, measured).
            // The file's size therefore says nothing about where the log
            // ends: readers stop at the first all-zero frame (see
            // LogCursor.fetch), and reopening scans for the last valid record.
            do throws(DBError) {
                if configuration.zeroFill {
                    try Self.zeroFill(newFD, from: 0, to: Int(s.fileSize))
                } else {
                    try Self.presize(newFD, to: Int(s.fileSize))
                }
            } catch {
                Glibc.close(newFD); throw error
            }
            if fd >= 0 { Glibc.close(fd) }
            fd = newFD
            fdFile = number
            files.syncDirectory()
            header.write(record: buffer)
            s.bufferStart = 0
            s.bufferUsed = LogFormat.headerRecordSize
            s.written = LSN(file: number, offset: 0)
        }
        s.currentFileMax = s.fileSize
        s.next = LSN(file: number, offset: LogFormat.headerRecordSize)
        s.lastOffsetInFile = 0
    }

    /// Extends file `fd` to `size` bytes without writing anything: the new
    /// part is a hole, reading as zeros and taking no disk space (libdb
    /// writes one byte at lg_max - 1 for the same effect). Never shrinks.
    static func presize(_ fd: Int32, to size: Int) throws(DBError) {
        guard LogIO.size(fd) < size else { return }
        if ftruncate(fd, off_t(size)) != 0 { throw LogIO.error("log file extend") }
    }

    /// Removes everything after `end` from the current file `fd` so that no
    /// stale or torn bytes there can ever be read as records (they could:
    /// a record written over a torn one may be followed by an intact later
    /// record whose prev names its offset), leaving the file pre-sized to
    /// `lgMax` with zeros after `end`. Not synced: the caller syncs.
    func clearTail(_ fd: Int32, after end: UInt32, lgMax: UInt32) throws(DBError) {
        let size = LogIO.size(fd)
        if configuration.zeroFill {
            try Self.zeroFill(fd, from: Int(end), to: max(size, Int(lgMax)))
            return
        }
        // Cutting and re-extending leaves a hole: zeros, whatever was there.
        if ftruncate(fd, off_t(end)) != 0 { throw LogIO.error("log truncate") }
        try Self.presize(fd, to: Int(lgMax))
    }

    static func zeroFill(_ fd: Int32, from: Int, to: Int) throws(DBError) {
        guard to > from else { return }
        let chunk = 65536
        let zeros = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 16)
        defer { zeros.deallocate() }
        zeros.initializeMemory(as: UInt8.self, repeating: 0, count: chunk)
        var at = from
        while at < to {
            let n = min(chunk, to - at)
            try LogIO.pwriteAll(fd, zeros, n, at: at)
            at += n
        }
    }

    // MARK: flush and group commit

    /// Makes the records up to and including `lsn` (all records when nil)
    /// written (`sync: false`) or durable (`sync: true`).
    ///
    /// Group commit: the first thread that needs a sync becomes the leader:
    /// it writes out the whole buffer (every record appended so far, its
    /// followers' included), marks a sync in progress, releases the mutex and
    /// fdatasyncs; threads arriving meanwhile wait on the condition. When the
    /// leader finishes it advances `synced` to what it wrote and broadcasts;
    /// each waiter whose record lies before `synced` returns without syncing,
    /// and one of the others becomes the next leader, whose single sync
    /// covers every record appended while the previous sync ran. So N
    /// overlapping commits cost about two syncs, not N.
    ///
    /// An LSN past the end of the log is libdb's BDB2516 (DB_RUNRECOVERY).
    /// In-memory logs have nothing to flush.
    public func flush(upTo lsn: LSN? = nil, sync: Bool = true) throws(DBError) {
        lock.lock(); defer { lock.unlock() }
        if configuration.inMemory || closed || s.next.offset == 0 { return }
        let target: LSN
        if let lsn, !lsn.isZero {
            if lsn > s.last && !(lsn.file == s.next.file && lsn.offset == 0) {
                throw DBError(DB_RUNRECOVERY, "BDB2516 DB_ENV->log_flush: LSN of \(lsn.file)/\(lsn.offset) past current end-of-log of \(s.next.file)/\(s.next.offset)")
            }
            target = lsn
        } else {
            // Everything, header of the current file included.
            target = s.last > LSN(file: s.next.file, offset: 0) ? s.last : LSN(file: s.next.file, offset: 0)
        }
        if !sync || configuration.dsync {
            if target < s.written { return }
            try writeOutLocked()
            if configuration.dsync { s.synced = s.written }
            return
        }
        while true {
            if target < s.synced {
                s.stats.coveredFlushes += 1
                return
            }
            if s.syncInProgress {
                lock.wait()
                continue
            }
            try writeOutLocked()
            let upTo = s.written
            let syncFD = fd
            s.syncInProgress = true
            lock.unlock()
            let rc = syncFunction(syncFD)
            let err = errno
            lock.lock()
            s.syncInProgress = false
            lock.broadcast()
            if rc != 0 {
                errno = err
                throw LogIO.error("log sync")
            }
            s.stats.syncs += 1
            if s.synced < upTo { s.synced = upTo }
            // upTo == next at write-out time > target: done.
        }
    }

    /// The commit path's flush for one durability mode.
    public func commit(_ lsn: LSN, mode: LogWriteMode) throws(DBError) {
        switch mode {
        case .sync: try flush(upTo: lsn, sync: true)
        case .writeNoSync: try flush(upTo: lsn, sync: false)
        case .noSync: break
        }
    }

    // MARK: truncate, reset, close

    /// Cuts the log after the record at `lsn`: it becomes the last record and
    /// the next append follows it. Later files are removed (highest first, so
    /// a crash part-way leaves a prefix), the file holding `lsn` is cut and
    /// synced. Used by recovery (the end of a torn log) and by replication
    /// clients rolling back. `lsn` at offset 0 keeps only that file's header.
    /// Cursors see the change at their next call (they drop cached data).
    public func truncate(after lsn: LSN) throws(DBError) {
        lock.lock(); defer { lock.unlock() }
        while s.syncInProgress { lock.wait() }
        if lsn.isZero || lsn > s.last && !(lsn.file == s.next.file && lsn.offset == 0) {
            throw .invalid("log truncate: LSN \(lsn) is not in the log (end \(s.next))")
        }
        if configuration.inMemory {
            try ringTruncateLocked(after: lsn)
            s.generation += 1
            return
        }
        try writeOutLocked()
        // Read and check the record at lsn (all data is in files now).
        let rfd = lsn.file == fdFile ? fd : Glibc.open(files.path(lsn.file), O_RDWR)
        if rfd < 0 { throw LogIO.error(files.path(lsn.file)) }
        var ok = false
        defer { if !ok && rfd != fd { Glibc.close(rfd) } }
        var frame: (UInt64, UInt64) = (0, 0)
        let got = try withUnsafeMutableBytes(of: &frame) { (f) throws(DBError) -> Int in
            try LogIO.preadAll(rfd, f.baseAddress!, LogFormat.frameSize, at: Int(lsn.offset))
        }
        let fr = withUnsafeBytes(of: &frame) { LogFrame($0.baseAddress!) }
        guard got == LogFormat.frameSize, fr.isPlausible(at: lsn.offset, end: UInt32.max) else {
            throw DBError(EIO, "BDB2580 DB_LOGC->get: LSN \(lsn.file)/\(lsn.offset): invalid log record header")
        }
        var header: LogFileHeader? = nil
        var hbytes: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
        let hn = try withUnsafeMutableBytes(of: &hbytes) { (h) throws(DBError) -> Int in
            try LogIO.preadAll(rfd, h.baseAddress!, h.count, at: 0)
        }
        if hn == Int(LogFormat.headerRecordSize) {
            header = withUnsafeBytes(of: &hbytes) { LogFileHeader(payload: UnsafeRawBufferPointer(rebasing: $0[LogFormat.frameSize...])) }
        }
        guard let header else {
            throw DBError(EIO, "BDB2580 DB_LOGC->get: LSN \(lsn.file)/0: invalid log record header")
        }
        let end = lsn.offset + fr.length
        if lsn.file < s.next.file {
            var f = s.next.file
            while f > lsn.file {
                try files.remove(f)
                f -= 1
            }
        }
        try clearTail(rfd, after: end, lgMax: header.lgMax)
        if syncFunction(rfd) != 0 { throw LogIO.error("log sync") }
        files.syncDirectory()
        if rfd != fd {
            if fd >= 0 { Glibc.close(fd) }
            fd = rfd
            fdFile = lsn.file
        }
        ok = true
        s.currentFileMax = header.lgMax
        s.last = lsn.offset == 0 ? header.prevLast : lsn
        s.lastOffsetInFile = lsn.offset
        s.next = LSN(file: lsn.file, offset: end)
        s.bufferStart = end
        s.bufferUsed = 0
        s.written = s.next
        s.synced = s.next
        s.generation += 1
    }

    /// Discards the whole log and starts again with file `number` (a
    /// replication client after internal initialisation starts at the
    /// master's file). Files are removed highest first.
    public func reset(startingAt number: UInt32) throws(DBError) {
        guard number > 0 else { throw .invalid("log reset: file number must be at least 1") }
        lock.lock(); defer { lock.unlock() }
        while s.syncInProgress { lock.wait() }
        if configuration.inMemory {
            ringFiles.removeAll()
            ringHead = 0
        } else {
            if fd >= 0 { Glibc.close(fd); fd = -1; fdFile = 0 }
            for f in files.list().reversed() { try files.remove(f) }
        }
        s.last = .zero
        s.next = LSN(file: number, offset: 0)
        s.bufferUsed = 0
        s.bufferStart = 0
        s.written = .zero
        s.synced = .zero
        s.generation += 1
        try newFileLocked(number)
    }

    /// Writes and syncs what is buffered and closes the file. Further appends
    /// fail; cursors over an in-memory log keep working until released.
    public func close() throws(DBError) {
        try flush(upTo: nil, sync: true)
        lock.lock(); defer { lock.unlock() }
        while s.syncInProgress { lock.wait() }
        closed = true
        if fd >= 0 { Glibc.close(fd); fd = -1 }
    }
}
