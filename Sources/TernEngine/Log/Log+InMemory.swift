// The in-memory log (DB_LOG_IN_MEMORY): the same records, LSNs and "files"
// as on disk, kept in a ring of lg_bsize bytes instead of files.
//
// Each file occupies a contiguous (modulo the ring) span starting with its
// header record; positions are absolute byte counts (UInt64, never wrapping)
// taken modulo lg_bsize to address the ring, so "is this still in the ring"
// is a comparison. When an append needs room, whole files are dropped from
// the front, as libdb does, but only files holding nothing the retain
// function still needs; otherwise the append fails with DB_LOG_BUFFER_FULL
// (libdb's BDB2535). lg_bsize > lg_max guarantees a record always fits once
// older files are gone.
import CBerkeleyDB
import Glibc

extension Log {
    /// Makes room for a record of `total` bytes (plus a header when it
    /// starts file `newFile`) by dropping old files; changes nothing when it
    /// throws. Mutex held.
    func ringReserveLocked(total: UInt32, newFile: UInt32?) throws(DBError) {
        let size = UInt64(s.bufferSize)
        let required = UInt64(total) + (newFile != nil ? UInt64(LogFormat.headerRecordSize) : 0)
        guard required <= size else {
            throw DBError(DB_LOG_BUFFER_FULL, "BDB2535 In-memory log buffer is full (an active transaction spans the buffer)")
        }
        let candidates = ringFiles.count + (newFile != nil ? 1 : 0)
        var drop = 0
        var tail = ringFiles.first?.start ?? ringHead
        let needed = retain?()
        while size - (ringHead - tail) < required {
            // Dropping ringFiles[drop] makes the following file the oldest;
            // the file being appended to is never dropped.
            guard drop + 1 < candidates else {
                throw DBError(DB_LOG_BUFFER_FULL, "BDB2535 In-memory log buffer is full (an active transaction spans the buffer)")
            }
            let (nextFile, nextStart) = drop + 1 < ringFiles.count
                ? (ringFiles[drop + 1].file, ringFiles[drop + 1].start) : (newFile!, ringHead)
            if let needed, !needed.isZero, needed < LSN(file: nextFile, offset: 0) {
                throw DBError(DB_LOG_BUFFER_FULL, "BDB2535 In-memory log buffer is full (an active transaction spans the buffer)")
            }
            tail = nextStart
            drop += 1
        }
        if drop > 0 { ringFiles.removeFirst(drop) }
    }

    /// Frames and copies one record at the ring's head. Mutex held, space
    /// reserved.
    func ringWriteRecordLocked(lsn: LSN, total: UInt32, type: UInt32, payload: UnsafeRawBufferPointer) {
        var frame: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &frame) { f in
            LogFormat.writeFrame(f.baseAddress!, lsn: lsn, length: total, prev: s.lastOffsetInFile,
                                 type: type, payload: payload)
            ringCopyIn(UnsafeRawBufferPointer(f), at: ringHead)
        }
        ringCopyIn(payload, at: ringHead + UInt64(LogFormat.frameSize))
        ringHead += UInt64(total)
    }

    /// Copies bytes into the ring at absolute position `at`, wrapping.
    func ringCopyIn(_ bytes: UnsafeRawBufferPointer, at: UInt64) {
        guard let src = bytes.baseAddress, bytes.count > 0 else { return }
        let size = Int(s.bufferSize)
        let pos = Int(at % UInt64(size))
        let first = min(bytes.count, size - pos)
        (buffer + pos).copyMemory(from: src, byteCount: first)
        if first < bytes.count { buffer.copyMemory(from: src + first, byteCount: bytes.count - first) }
    }

    func ringCopyOut(at: UInt64, count: Int, into p: UnsafeMutableRawPointer) {
        guard count > 0 else { return }
        let size = Int(s.bufferSize)
        let pos = Int(at % UInt64(size))
        let first = min(count, size - pos)
        p.copyMemory(from: buffer + pos, byteCount: first)
        if first < count { (p + first).copyMemory(from: buffer, byteCount: count - first) }
    }

    /// truncate(after:) for the ring. Mutex held.
    func ringTruncateLocked(after lsn: LSN) throws(DBError) {
        guard let i = ringFiles.firstIndex(where: { $0.file == lsn.file }) else {
            throw .invalid("log truncate: LSN \(lsn) is no longer in the in-memory log")
        }
        let rf = ringFiles[i]
        var frameBytes: (UInt64, UInt64) = (0, 0)
        var header = [UInt8](repeating: 0, count: Int(LogFormat.headerRecordSize))
        let frame = withUnsafeMutableBytes(of: &frameBytes) { f -> LogFrame in
            ringCopyOut(at: rf.start + UInt64(lsn.offset), count: LogFormat.frameSize, into: f.baseAddress!)
            return LogFrame(f.baseAddress!)
        }
        guard frame.isPlausible(at: lsn.offset, end: rf.length) else {
            throw DBError(EIO, "BDB2580 DB_LOGC->get: LSN \(lsn.file)/\(lsn.offset): invalid log record header")
        }
        header.withUnsafeMutableBytes { ringCopyOut(at: rf.start, count: $0.count, into: $0.baseAddress!) }
        let prevLast = header.withUnsafeBytes {
            LogFileHeader(payload: UnsafeRawBufferPointer(rebasing: $0[LogFormat.frameSize...]))?.prevLast ?? .zero
        }
        let end = lsn.offset + frame.length
        ringFiles.removeLast(ringFiles.count - i - 1)
        ringFiles[i].length = end
        ringHead = rf.start + UInt64(end)
        s.last = lsn.offset == 0 ? prevLast : lsn
        s.lastOffsetInFile = lsn.offset
        s.next = LSN(file: lsn.file, offset: end)
    }
}
