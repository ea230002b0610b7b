// LogCursor: DB_LOGC — reads log records by LSN and walks the log both ways
// across file boundaries.
//
// A cursor either belongs to a Log (it then reads records still in the write
// buffer or the in-memory ring, and the writer's end is the end of the log)
// or reads a log directory on its own (db_printlog, tests, recovery before
// the writer exists), where the end of the log is the last valid record of
// the last file.
//
// Traversal rules:
// - FIRST/NEXT/LAST/PREV skip file headers (libdb skips its persist records);
//   set(file/0) returns a file's header record (type LogRecordType.fileHeader).
// - Forward, the next record follows the current one in its file, and must
//   name it as `prev`. When the file has no more valid records, the log
//   continues in the next file if that file's header names the last record
//   seen as its `prevLast`. An invalid record in the last file is the end of
//   the log (a torn tail: DB_NOTFOUND); anywhere else it is corruption
//   (DB_RUNRECOVERY, as libdb's checksum failure).
// - Backward, `prev` leads to the previous record in the file; from the first
//   record of a file, the header's prevLast leads into the earlier file. A
//   file removed by archiving ends the log there (DB_NOTFOUND).
// - DB_NOTFOUND and errors leave the cursor where it was.
//
// Not thread-safe, as a DB_LOGC: one thread at a time.
import CBerkeleyDB
import Glibc

/// One log record as a cursor returns it.
public struct LogRecord: Sendable, Equatable {
    public var lsn: LSN
    public var type: UInt32
    public var payload: [UInt8]
}

public final class LogCursor {
    let log: Log?
    let files: LogFiles
    let reader: LogFileReader
    /// The current record (zero: unset) and its frame.
    private(set) public var position: LSN = .zero
    private var positionLength: UInt32 = 0
    private var positionPrev: UInt32 = 0
    private var generation: UInt64 = 0
    /// Scratch for the record being read; grows to the largest record seen.
    private var scratch: UnsafeMutableRawPointer
    private var scratchCapacity = 4096

    /// A cursor over a Log: sees every appended record, flushed or not.
    public convenience init(log: Log) {
        self.init(log: log, files: log.files)
    }

    /// A cursor over the log files in `directory`, without a writer.
    public convenience init(directory: String) {
        self.init(log: nil, files: LogFiles(directory: directory))
    }

    init(log: Log?, files: LogFiles) {
        self.log = log
        self.files = files
        reader = LogFileReader(files: files)
        scratch = .allocate(byteCount: scratchCapacity, alignment: 16)
        generation = log?.generation ?? 0
    }

    deinit { scratch.deallocate() }

    // MARK: DB_LOGC->get

    /// DB_FIRST: the first record of the oldest log file.
    public func first() throws(DBError) -> LogRecord {
        refresh()
        guard let f = firstFile() else { throw notFound }
        guard let h = try header(f) else {
            if isLastFile(f) { throw notFound }
            throw corrupt(LSN(file: f, offset: 0))
        }
        return try forward(file: f, from: LogFormat.headerRecordSize, prevOffset: 0, lastReal: h.prevLast)
    }

    /// DB_LAST: the last record of the log.
    public func last() throws(DBError) -> LogRecord {
        refresh()
        if let log {
            let snap = log.liveSnapshot()
            if snap.last.isZero { throw notFound }
            return try take(snap.last)
        }
        let list = files.list()
        for f in list.reversed() {
            guard let h = try header(f) else {
                if f == list.last { continue }  // a torn header: crash while creating it
                throw corrupt(LSN(file: f, offset: 0))
            }
            if let lastOffset = try scan(f).lastOffset {
                return try take(LSN(file: f, offset: lastOffset))
            }
            if h.prevLast.isZero || reader.size(h.prevLast.file) == nil { throw notFound }
            return try take(h.prevLast)
        }
        throw notFound
    }

    /// DB_NEXT (DB_FIRST on an unset cursor).
    public func next() throws(DBError) -> LogRecord {
        if refresh() || position.isZero { return try first() }
        let lastReal: LSN
        if position.offset == 0 {
            guard let h = try header(position.file) else { throw corrupt(position) }
            lastReal = h.prevLast
        } else {
            lastReal = position
        }
        return try forward(file: position.file, from: position.offset + positionLength,
                           prevOffset: position.offset, lastReal: lastReal)
    }

    /// DB_PREV (DB_LAST on an unset cursor).
    public func prev() throws(DBError) -> LogRecord {
        if refresh() || position.isZero { return try last() }
        let target: LSN
        if position.offset != 0 && positionPrev != 0 {
            target = LSN(file: position.file, offset: positionPrev)
        } else {
            guard let h = try header(position.file) else { throw corrupt(LSN(file: position.file, offset: 0)) }
            target = h.prevLast
            if target.isZero || fileEnd(target.file) == nil { throw notFound }
        }
        switch try fetch(target, backward: true) {
        case .record(let frame):
            if target.file == position.file && position.offset != 0
                && target.offset + frame.length != position.offset {
                throw corrupt(target)
            }
            return finish(target, frame)
        case .end:
            throw notFound
        case .invalidHeader, .badChecksum:
            throw corrupt(target)
        }
    }

    /// DB_CURRENT.
    public func current() throws(DBError) -> LogRecord {
        refresh()
        if position.isZero { throw .invalid("BDB2574 DB_LOGC->get: unset cursor") }
        return try take(position)
    }

    /// DB_SET: the record at `lsn`. Past the end: DB_NOTFOUND. An LSN that is
    /// not the start of a record: EIO "invalid log record header" (BDB2580)
    /// or DB_RUNRECOVERY "checksum mismatch" (BDB2578), libdb's two ways of
    /// failing there. Offset 0 returns the file's header record.
    public func set(_ lsn: LSN) throws(DBError) -> LogRecord {
        if lsn.isZero { throw .invalid("BDB2575 DB_LOGC->get: invalid LSN: \(lsn.file)/\(lsn.offset)") }
        refresh()
        return try take(lsn)
    }

    /// The header of log file `file` (its lg_max, its predecessor's last
    /// record); nil when the file is missing or its header is not valid.
    public func fileHeader(_ file: UInt32) throws(DBError) -> LogFileHeader? {
        refresh()
        return try header(file)
    }

    // MARK: internals

    private var notFound: DBError { DBError(DB_NOTFOUND) }

    private func corrupt(_ lsn: LSN) -> DBError {
        DBError(DB_RUNRECOVERY, "BDB2578 DB_LOGC->get: log record LSN \(lsn.file)/\(lsn.offset): checksum mismatch")
    }

    /// Drops cached data if the log was truncated or reset since the last
    /// call; true when that happened (the position is then unset).
    @discardableResult
    private func refresh() -> Bool {
        guard let log else { return false }
        let g = log.generation
        if g == generation { return false }
        generation = g
        reader.invalidate()
        position = .zero
        return true
    }

    private func firstFile() -> UInt32? {
        if let log {
            let snap = log.liveSnapshot()
            guard snap.onDisk else { return snap.firstFile }
            guard let f = snap.firstFile, f <= snap.next.file else { return nil }
            return f
        }
        return files.first
    }

    /// True when `f` is the log's last file (or beyond it).
    private func isLastFile(_ f: UInt32) -> Bool {
        if let log, let last = log.liveLastFile() { return f >= last }
        guard let last = files.last else { return true }
        return f >= last
    }

    /// Where file `f`'s readable data ends; nil when it is not in the log.
    private func fileEnd(_ f: UInt32) -> UInt32? {
        if let log {
            switch log.liveEnd(f) {
            case .absent: return nil
            case .end(let e): return e
            case .disk: break
            }
        }
        return reader.size(f)
    }

    private func read(_ f: UInt32, offset: UInt32, count: Int, into p: UnsafeMutableRawPointer,
                      backward: Bool) throws(DBError) -> Bool {
        var limit = Int.max
        if let log {
            switch log.copyLive(f, offset: offset, count: count, into: p) {
            case .copied: return true
            case .absent: return false
            case .disk(let l): limit = l
            }
        }
        return try reader.read(f, offset: offset, count: count, into: p, backward: backward, limit: limit)
    }

    enum Fetch {
        case record(LogFrame)
        /// Nothing there: past the end of the file or of the log.
        case end
        /// A frame that cannot be a record (torn, zeroed, implausible).
        case invalidHeader
        case badChecksum
    }

    /// Reads and checks the record at `lsn` into scratch.
    ///
    /// A cursor without a writer cannot know which bytes of the last file
    /// are final: log files are pre-sized, so its read-ahead window may hold
    /// zeros that the writer has since overwritten with records (a writer
    /// attached to the cursor bounds the window instead; see copyLive). So
    /// when such a cursor finds no valid record through a cached window, it
    /// drops the window and reads once more from the file. A valid record is
    /// never a stale one: its checksum covers its bytes and its LSN.
    func fetch(_ lsn: LSN, backward: Bool = false) throws(DBError) -> Fetch {
        let result = try fetchOnce(lsn, backward: backward)
        if case .record = result { return result }
        if log == nil && reader.dropWindow() { return try fetchOnce(lsn, backward: backward) }
        return result
    }

    private func fetchOnce(_ lsn: LSN, backward: Bool) throws(DBError) -> Fetch {
        guard let end = fileEnd(lsn.file), lsn.offset < end else { return .end }
        if UInt64(lsn.offset) + UInt64(LogFormat.frameSize) > UInt64(end) { return .invalidHeader }
        var frameBytes: (UInt64, UInt64) = (0, 0)
        let got = try withUnsafeMutableBytes(of: &frameBytes) { (f) throws(DBError) -> Bool in
            try read(lsn.file, offset: lsn.offset, count: LogFormat.frameSize, into: f.baseAddress!, backward: backward)
        }
        guard got else { return .invalidHeader }
        // An all-zero frame is space never written: the rest of a pre-sized
        // (or DB_LOG_ZERO) file. It ends the file's records, as libdb's
        // zero-length record does, so DB_SET there is DB_NOTFOUND, not EIO.
        if frameBytes == (0, 0) { return .end }
        let frame = withUnsafeBytes(of: &frameBytes) { LogFrame($0.baseAddress!) }
        guard frame.isPlausible(at: lsn.offset, end: end) else { return .invalidHeader }
        let n = Int(frame.length) - LogFormat.frameSize
        if n > scratchCapacity {
            scratch.deallocate()
            scratchCapacity = max(n, scratchCapacity * 2)
            scratch = .allocate(byteCount: scratchCapacity, alignment: 16)
        }
        if n > 0 {
            guard try read(lsn.file, offset: lsn.offset + UInt32(LogFormat.frameSize), count: n,
                           into: scratch, backward: backward) else { return .invalidHeader }
        }
        let sum = withUnsafeBytes(of: &frameBytes) {
            LogFormat.checksum(frame: $0.baseAddress!, lsn: lsn, payload: UnsafeRawBufferPointer(start: scratch, count: n))
        }
        guard sum == frame.checksum else { return .badChecksum }
        return .record(frame)
    }

    /// The header of file `f`; nil when missing, torn or corrupt. A file that
    /// is not a Tern log at all is an error.
    func header(_ f: UInt32) throws(DBError) -> LogFileHeader? {
        switch try fetch(LSN(file: f, offset: 0)) {
        case .record:
            guard let h = LogFileHeader(payload: UnsafeRawBufferPointer(start: scratch, count: LogFormat.headerPayloadSize)) else {
                throw foreign(f)
            }
            if h.version != LogFormat.version {
                throw .invalid("\(files.path(f)): unsupported Tern log version \(h.version)")
            }
            if h.file != f { throw corrupt(LSN(file: f, offset: 0)) }
            return h
        case .end:
            return nil
        case .invalidHeader, .badChecksum:
            if try looksForeign(f) { throw foreign(f) }
            return nil
        }
    }

    private func foreign(_ f: UInt32) -> DBError {
        .invalid("\(files.path(f)): not a Tern log file")
    }

    /// A file whose first bytes are neither a Tern header nor zeros (a torn
    /// header is short or zeroed; a Berkeley DB or other file is neither).
    private func looksForeign(_ f: UInt32) throws(DBError) -> Bool {
        guard let size = fileEnd(f), size >= LogFormat.headerRecordSize else { return false }
        var bytes: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let got = try withUnsafeMutableBytes(of: &bytes) { (b) throws(DBError) -> Bool in
            try read(f, offset: 0, count: 24, into: b.baseAddress!, backward: false)
        }
        guard got else { return false }
        if bytes == (0, 0, 0) { return false }
        return UInt64(littleEndian: bytes.2) != LogFormat.magic
    }

    /// Walks forward from `from` in `file` to the next valid record; see the
    /// traversal rules above.
    private func forward(file: UInt32, from: UInt32, prevOffset: UInt32, lastReal: LSN) throws(DBError) -> LogRecord {
        var f = file, offset = from, prev = prevOffset
        while true {
            let lsn = LSN(file: f, offset: offset)
            let result = try fetch(lsn)
            if case .record(let frame) = result, frame.prev == prev {
                return finish(lsn, frame)
            }
            if case .end = result {
                // Clean end of this file.
            } else if isLastFile(f) {
                throw notFound  // torn tail
            }
            let g = f + 1
            guard fileEnd(g) != nil else {
                if case .end = result { throw notFound }
                if isLastFile(f) { throw notFound }
                throw corrupt(lsn)
            }
            guard let h = try header(g) else {
                if isLastFile(g) { throw notFound }
                throw corrupt(LSN(file: g, offset: 0))
            }
            guard h.prevLast == lastReal else { throw corrupt(lsn) }
            f = g
            offset = LogFormat.headerRecordSize
            prev = 0
        }
    }

    /// Scans file `f` forward: its last valid record and where valid data ends.
    func scan(_ f: UInt32) throws(DBError) -> (lastOffset: UInt32?, end: UInt32) {
        var offset = LogFormat.headerRecordSize
        var prev: UInt32 = 0
        var lastOffset: UInt32? = nil
        while case .record(let frame) = try fetch(LSN(file: f, offset: offset)), frame.prev == prev {
            lastOffset = offset
            prev = offset
            offset += frame.length
        }
        return (lastOffset, offset)
    }

    /// set(): the record at lsn, with libdb's errors.
    private func take(_ lsn: LSN) throws(DBError) -> LogRecord {
        switch try fetch(lsn) {
        case .record(let frame): return finish(lsn, frame)
        case .end: throw notFound
        case .invalidHeader:
            throw DBError(EIO, "BDB2580 DB_LOGC->get: LSN \(lsn.file)/\(lsn.offset): invalid log record header")
        case .badChecksum: throw corrupt(lsn)
        }
    }

    private func finish(_ lsn: LSN, _ frame: LogFrame) -> LogRecord {
        position = lsn
        positionLength = frame.length
        positionPrev = frame.prev
        let n = Int(frame.length) - LogFormat.frameSize
        let payload = [UInt8](UnsafeRawBufferPointer(start: scratch, count: n))
        return LogRecord(lsn: lsn, type: frame.type, payload: payload)
    }
}
