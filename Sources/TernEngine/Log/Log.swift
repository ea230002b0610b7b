// Log: the write-ahead log's writer — appends, buffering, file rollover,
// group commit, truncation — over log files or (DB_LOG_IN_MEMORY) a ring of
// memory.
//
// Concurrency: the log mutex (LogLock, see LogShared.swift) guards LogShared,
// the buffer and this handle's process-local state (fd, fdFile, the retired
// descriptors). Appends copy into the buffer under it; writes of the buffer
// to the file happen under it too (as in libdb: they are short and keep the
// file image a prefix of the log); only the group-commit fsync runs with it
// released, under the flush mutex. See flush(upTo:sync:).
//
// Several processes: a file log opened with a region (Log.open(_:region:))
// keeps LogShared and the buffer in the region's "log" area, shared by every
// process attached. Each handle has its own descriptor for the current file
// and, before any write or sync, reopens it when the shared state has moved
// to another file or generation (another process rolled over, truncated or
// reset: ensureFDLocked), so no process ever writes through a descriptor of
// a file the log has left. A descriptor a sync leader of this handle is
// still syncing (the log mutex released) is not closed under it: it is
// retired and closed when the last such sync ends.
import CBerkeleyDB
import CTernAtomics
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
/// `fdFile`, `retired`, the in-memory ring table, `retain`) is read and
/// written only with the log mutex held; `configuration` is set before open
/// returns; `files`, `syncFunction` and the pointers are immutable after
/// init; `closedCopy` is written once, before the atomic `closedFlag`
/// publishes it.
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

    /// The sizes are the shared log's: a handle joining a log another
    /// process opened takes its lg_bsize and lg_max.
    public private(set) var configuration: Configuration
    public let files: LogFiles
    let lock: LogLock
    /// The log area (LogArea): region memory, or `ownsArea` memory.
    let area: UnsafeMutableRawPointer
    let ownsArea: Bool
    /// Keeps the mapping's owner alive as long as this handle.
    let region: Region?
    /// LogShared, in the area.
    let shared: UnsafeMutablePointer<LogShared>
    /// lg_bsize bytes: the write buffer, or the in-memory ring.
    let buffer: UnsafeMutableRawPointer
    let syncFunction: SyncFunction

    // Process-local (guarded by the log mutex).
    var fd: Int32 = -1
    /// The file and generation `fd` was opened for.
    var fdFile: UInt32 = 0
    var fdGeneration: UInt64 = 0
    /// Syncs of this handle running with the log mutex released, and the
    /// descriptors replaced meanwhile (closed when the count drops to 0).
    var localSyncs = 0
    var retired: [Int32] = []
    var closed = false
    /// After close, a region-backed handle never touches the area again
    /// (the environment unmaps the region): readers use this copy.
    private var closedCopy: LogShared?
    private let closedFlag: UnsafeMutablePointer<UInt32>
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

    /// The sizes a configuration asks for, defaults filled in.
    static func normalized(_ configuration: Configuration) -> Configuration {
        var c = configuration
        if c.bufferSize == 0 {
            c.bufferSize = c.inMemory ? EnvironmentConfig.inMemoryLogBufferSize : EnvironmentConfig.defaultLogBufferSize
        }
        if c.fileSize == 0 {
            c.fileSize = c.inMemory ? EnvironmentConfig.inMemoryLogFileSize : EnvironmentConfig.defaultLogFileSize
        }
        // The buffer must at least hold a file header; tiny values are raised.
        c.bufferSize = max(c.bufferSize, 256)
        return c
    }

    /// The bytes a file log's region area takes (Region.size(for:)).
    public static func regionAreaSize(bufferSize: UInt32) -> Int {
        LogArea.size(bufferSize: max(bufferSize == 0 ? EnvironmentConfig.defaultLogBufferSize : bufferSize, 256))
    }

    /// A handle over `area` (region memory), or over memory of its own
    /// (nil), formatted here. `c` is normalized.
    private init(_ c: Configuration, sync: @escaping SyncFunction, area regionArea: UnsafeMutableRawPointer?,
                 region: Region?) {
        configuration = c
        files = LogFiles(directory: c.directory)
        syncFunction = sync
        if let regionArea {
            area = regionArea
            ownsArea = false
        } else {
            let size = LogArea.size(bufferSize: c.bufferSize)
            area = .allocate(byteCount: size, alignment: 64)
            area.initializeMemory(as: UInt8.self, repeating: 0, count: size)
            LogArea.format(area, bufferSize: c.bufferSize)
            ownsArea = true
        }
        self.region = region
        shared = (area + LogArea.offShared).bindMemory(to: LogShared.self, capacity: 1)
        buffer = area + LogArea.bufferOffset
        lock = LogLock(area: area, onOwnerDeath: { [region] in
            region?.noteOwnerDeath()
            region?.setPanic()
        })
        closedFlag = .allocate(capacity: 1)
        closedFlag.initialize(to: 0)
    }

    deinit {
        if fd >= 0 { Glibc.close(fd) }
        for r in retired { Glibc.close(r) }
        if ownsArea { area.deallocate() }
        closedFlag.deallocate()
    }

    /// The shared state as close() left it, once this region-backed handle
    /// is closed (nil before, and always for a handle owning its memory).
    var closedState: LogShared? {
        tern_atomic_load_u32(closedFlag) != 0 ? closedCopy : nil
    }

    /// Opens (recovering the end of) or creates the log.
    ///
    /// File log: finds the last file with a valid header (a last file whose
    /// header is torn — a crash while creating it — is removed), scans it for
    /// the last valid record, cuts any torn or corrupt tail off the file, and
    /// continues appending right after that record. An empty directory gets
    /// log.0000000001 (libdb writes the first file at open too). A file of
    /// another format is refused with EINVAL, never overwritten.
    ///
    /// With a region (a file log), the log's shared state and buffer are the
    /// region's "log" area: the first handle creates it and finds the log's
    /// end as above; later handles, of any process, join the open log (its
    /// lg_bsize and lg_max win) and open the current file when they first
    /// write. `rescan` makes a handle that knows it is the only one (see
    /// attachSubsystems) find the end from the files again. An in-memory
    /// log ignores the region: its ring table is process-local.
    public static func open(_ configuration: Configuration, region: Region? = nil, rescan: Bool = false,
                            sync: @escaping SyncFunction = Log.defaultSync) throws(DBError) -> Log {
        if configuration.inMemory && configuration.bufferSize != 0 && configuration.fileSize != 0
            && configuration.bufferSize <= configuration.fileSize {
            throw .invalid("in-memory log buffer must be larger than the log file size")
        }
        var c = normalized(configuration)
        let log: Log
        if let region, !c.inMemory {
            if region.existingArea(LogArea.name) == nil {
                // Created here unless another handle got there first (then
                // its size wins: the area call returns that one).
                let bufferSize = c.bufferSize
                do throws(DBError) {
                    _ = try region.area(LogArea.name, size: LogArea.size(bufferSize: bufferSize)) { (o) throws(DBError) in
                        LogArea.format(region.pointer(o), bufferSize: bufferSize)
                    }
                } catch where error.code == EINVAL && region.existingArea(LogArea.name) != nil {
                    // Another handle's smaller area won the race: use it.
                }
            }
            guard let existing = region.existingArea(LogArea.name) else {
                throw DBError(EINVAL, "tern region: the log area is missing")
            }
            let off = existing.offset
            if let problem = LogArea.problem(region.pointer(off), areaSize: existing.size) {
                throw DBError(EINVAL, "tern region: the log area is \(problem)")
            }
            c.bufferSize = region.pointer(off).u32(LogArea.offBufferSize)
            log = Log(c, sync: sync, area: region.pointer(off), region: region)
        } else {
            log = Log(c, sync: sync, area: nil, region: nil)
        }
        try log.lock.lockChecked()
        defer { log.lock.unlock() }
        if log.area.u32(LogArea.offState) == 1 && !rescan {
            // Joining an open log.
            log.configuration.fileSize = log.s.fileSize
            return log
        }
        // A rescan keeps the generation counting up: descriptors opened for
        // the old state must not match the new one.
        let generation = log.area.u32(LogArea.offState) == 1 ? log.s.generation + 1 : 0
        log.shared.initialize(to: LogShared(fileSize: c.fileSize, currentFileMax: c.fileSize,
                                            bufferSize: c.bufferSize, next: LSN(file: 1, offset: 0),
                                            last: .zero, written: .zero, synced: .zero))
        log.s.generation = generation
        log.area.setU32(LogArea.offState, 0)
        try log.startLocked()
        log.area.setU32(LogArea.offState, 1)
        return log
    }

    /// Finds the end of the log, or creates its first file (mutex held).
    private func startLocked() throws(DBError) {
        if configuration.inMemory {
            if s.bufferSize <= s.fileSize {
                throw .invalid("in-memory log buffer must be larger than the log file size")
            }
            try newFileLocked(1)
            return
        }
        if let first = try recoverEndLocked() {
            s.next = LSN(file: first, offset: 0)
            try newFileLocked(first)
        }
    }

    /// Makes `fd` this process's descriptor for the current file (mutex
    /// held, a file open): another process may have moved the log to a new
    /// file, or truncated or reset it (the generation), since this handle
    /// last wrote. Writing through the old descriptor would put records at
    /// the new file's offsets into the old file.
    func ensureFDLocked() throws(DBError) {
        let want = s.next.file
        if fd >= 0 && fdFile == want && fdGeneration == s.generation { return }
        var flags = O_RDWR | O_CLOEXEC
        if configuration.dsync { flags |= O_DSYNC }
        let path = files.path(want)
        let newFD = Glibc.open(path, flags)
        if newFD < 0 { throw LogIO.error(path) }
        adoptFDLocked(newFD, file: want)
    }

    /// Replaces `fd` (mutex held); the old one is closed, or retired while
    /// a sync of this handle may still use it.
    func adoptFDLocked(_ newFD: Int32, file: UInt32) {
        if fd >= 0 {
            if localSyncs > 0 { retired.append(fd) } else { Glibc.close(fd) }
        }
        fd = newFD
        fdFile = file
        fdGeneration = s.generation
    }

    // MARK: state

    /// Where the next record will go.
    public var nextLSN: LSN {
        if let c = closedState { return c.next }
        lock.lock(); defer { lock.unlock() }; return s.next
    }
    /// The last record appended (zero when the log is empty).
    public var lastLSN: LSN {
        if let c = closedState { return c.last }
        lock.lock(); defer { lock.unlock() }; return s.last
    }
    /// Every record before this position is durable.
    public var syncedLSN: LSN {
        if let c = closedState { return c.synced }
        lock.lock(); defer { lock.unlock() }; return s.synced
    }
    /// Every record before this position has been written to the OS.
    public var writtenLSN: LSN {
        if let c = closedState { return c.written }
        lock.lock(); defer { lock.unlock() }; return s.written
    }
    public var statistics: LogStatistics {
        if let c = closedState { return c.stats }
        lock.lock(); defer { lock.unlock() }; return s.stats
    }
    public var isInMemory: Bool { configuration.inMemory }

    /// True when the record at `lsn` is durable.
    public func isDurable(_ lsn: LSN) -> Bool {
        if let c = closedState { return lsn < c.synced }
        lock.lock(); defer { lock.unlock() }
        return lsn < s.synced
    }

    /// lg_max for files created from now on (DB_ENV->set_lg_max after open).
    public func setFileSize(_ size: UInt32) throws(DBError) {
        if closedState != nil { throw .invalid("log is closed") }
        try lock.lockChecked(); defer { lock.unlock() }
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
        if closedState != nil { throw .invalid("log is closed") }
        try lock.lockChecked(); defer { lock.unlock() }
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
        if closedState != nil { throw .invalid("log is closed") }
        try lock.lockChecked(); defer { lock.unlock() }
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
            try ensureFDLocked()
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
        try ensureFDLocked()
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
    /// A sync leader may be syncing the old file meanwhile (its own
    /// descriptor; this handle's is retired, not closed, under it).
    func newFileLocked(_ number: UInt32) throws(DBError) {
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
            if s.next.offset != 0 {
                try writeOutLocked()
                try ensureFDLocked()
                if !configuration.dsync {
                    if syncFunction(fd) != 0 { throw LogIO.error("log sync") }
                    s.stats.rolloverSyncs += 1
                }
                s.synced = s.written
            }
            let path = files.path(number)
            var flags = O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC
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
            adoptFDLocked(newFD, file: number)
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
    /// Group commit, across threads and processes (libdb's __log_flush_int):
    /// at most one sync runs at a time (`syncInProgress`, its leader holding
    /// the flush mutex). A thread that needs a sync while none runs leads
    /// one: it writes out the whole buffer (every record appended so far, by
    /// any process), releases the log mutex and fdatasyncs its own
    /// descriptor of the file, then advances `synced` to what it wrote and
    /// wakes every waiter at once (the sync epoch, a futex word). A thread
    /// that needs a sync while one runs waits for that sync to end: if it
    /// covered its record it returns; otherwise the first of the waiters to
    /// take the log mutex leads the next sync, which covers every record
    /// appended meanwhile. So N overlapping commits cost about two syncs,
    /// not N, and the waiters the last sync covered go back to work together
    /// rather than one after another through a mutex.
    ///
    /// Invariant (under the log mutex): `syncInProgress` exactly when a
    /// leader holds the flush mutex, which it takes with a try-lock before
    /// setting the flag and releases after clearing it. A leader that dies
    /// while syncing leaves the flush mutex owner-dead: a waiter checks it
    /// each `leaderCheckInterval` and the next leader finds it, and either
    /// panics the environment (DB_RUNRECOVERY), as libdb. A truncate or reset
    /// while a sync ran (the generation changed) keeps that sync from
    /// advancing `synced`.
    ///
    /// An LSN past the end of the log is libdb's BDB2516 (DB_RUNRECOVERY).
    /// In-memory logs have nothing to flush.
    public func flush(upTo lsn: LSN? = nil, sync: Bool = true) throws(DBError) {
        if closedState != nil { return }
        try lock.lockChecked()
        var locked = true
        defer { if locked { lock.unlock() } }
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
        while s.syncInProgress {
            // Wait for the running sync to end (every waiter wakes when it
            // does); a leader found dead throws.
            if target < s.synced { break }
            let epoch = lock.syncEpoch
            s.syncWaiters += 1
            lock.unlock()
            locked = false
            let woken = lock.waitForSyncEnd(after: epoch, timeoutNanoseconds: Self.leaderCheckInterval)
            lock.lock()
            locked = true
            s.syncWaiters -= 1
            if lock.ownerDied { throw Self.deadLeader }
            if !woken && s.syncInProgress && lock.epochUnchanged(epoch) { try lock.checkSyncLeader() }
        }
        if target < s.synced {
            s.stats.coveredFlushes += 1
            return
        }
        // Lead a sync.
        try lock.takeFlushAsLeader()
        s.syncInProgress = true
        var rc: Int32 = 0, err: Int32 = 0
        var upTo = s.synced
        let generation = s.generation
        do throws(DBError) {
            try writeOutLocked()
            try ensureFDLocked()
            upTo = s.written
            let syncFD = fd
            localSyncs += 1
            lock.unlock()
            locked = false
            rc = syncFunction(syncFD)
            err = errno
            lock.lock()
            locked = true
            localSyncs -= 1
            if localSyncs == 0 && !retired.isEmpty {
                for r in retired { Glibc.close(r) }
                retired.removeAll()
            }
        } catch {
            endSyncLocked()
            throw error
        }
        endSyncLocked()
        if rc != 0 {
            errno = err
            throw LogIO.error("log sync")
        }
        s.stats.syncs += 1
        // upTo == next at write-out time > target.
        if generation == s.generation && s.synced < upTo { s.synced = upTo }
    }

    /// How long a thread waiting for another's sync sleeps before it checks
    /// that the leader's process is still alive (the flush mutex is not
    /// owner-dead). A check, not the synchronisation: the leader wakes its
    /// waiters when the sync ends.
    static let leaderCheckInterval: Int64 = 200_000_000
    static let deadLeader = DBError(DB_RUNRECOVERY, "BDB0060 PANIC: a process died holding the log mutex; run recovery")

    /// Ends the running sync (log mutex held): clears the flag, releases the
    /// flush mutex, moves the epoch on and wakes the waiters. `synced` is
    /// advanced by the caller, still under the log mutex, before any woken
    /// waiter can look.
    private func endSyncLocked() {
        s.syncInProgress = false
        lock.unlockFlush()
        lock.advanceSyncEpoch(wake: s.syncWaiters > 0)
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
        if closedState != nil { throw .invalid("log is closed") }
        try lock.lockChecked(); defer { lock.unlock() }
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
        // A descriptor of its own: this handle's may be another file's, or a
        // sync of this handle may be using it.
        var rflags = O_RDWR | O_CLOEXEC
        if configuration.dsync { rflags |= O_DSYNC }
        let rfd = Glibc.open(files.path(lsn.file), rflags)
        if rfd < 0 { throw LogIO.error(files.path(lsn.file)) }
        var ok = false
        defer { if !ok { Glibc.close(rfd) } }
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
        adoptFDLocked(rfd, file: lsn.file)
    }

    /// Discards the whole log and starts again with file `number` (a
    /// replication client after internal initialisation starts at the
    /// master's file). Files are removed highest first.
    public func reset(startingAt number: UInt32) throws(DBError) {
        guard number > 0 else { throw .invalid("log reset: file number must be at least 1") }
        if closedState != nil { throw .invalid("log is closed") }
        try lock.lockChecked(); defer { lock.unlock() }
        if configuration.inMemory {
            ringFiles.removeAll()
            ringHead = 0
        } else {
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
    /// Other handles, of this process or others, keep the shared log open.
    public func close() throws(DBError) {
        if closedState != nil { return }
        try flush(upTo: nil, sync: true)
        lock.lock(); defer { lock.unlock() }
        closed = true
        if fd >= 0 {
            if localSyncs > 0 { retired.append(fd) } else { Glibc.close(fd) }
            fd = -1
        }
        if !ownsArea {
            closedCopy = s
            tern_atomic_store_u32(closedFlag, 1)
        }
    }
}
