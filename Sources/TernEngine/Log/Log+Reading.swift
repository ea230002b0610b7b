// What a cursor attached to a Log sees: the log's authoritative end, the
// records still in the write buffer (or the in-memory ring), and which bytes
// are already in the files.
extension Log {
    /// The readable extent of one file as the writer knows it.
    enum LiveEnd {
        /// The file is not part of the log (beyond its end, or dropped from
        /// the in-memory ring).
        case absent
        /// The log ends in this file at this offset.
        case end(UInt32)
        /// A finished file: read it from disk.
        case disk
    }

    enum LiveCopy {
        case copied
        case absent
        /// Read from the file; bytes at or beyond `limit` are not final.
        case disk(limit: Int)
    }

    func liveEnd(_ f: UInt32) -> LiveEnd {
        if closedState != nil { return .disk }
        lock.lock(); defer { lock.unlock() }
        if configuration.inMemory {
            guard let rf = ringFiles.first(where: { $0.file == f }) else { return .absent }
            return .end(rf.length)
        }
        if closed { return .disk }
        if f > s.next.file || (f == s.next.file && s.next.offset == 0) { return .absent }
        return f == s.next.file ? .end(s.next.offset) : .disk
    }

    /// Copies bytes that are only in memory; says where else to look.
    func copyLive(_ f: UInt32, offset: UInt32, count: Int, into p: UnsafeMutableRawPointer) -> LiveCopy {
        if closedState != nil { return .disk(limit: Int.max) }
        lock.lock(); defer { lock.unlock() }
        if configuration.inMemory {
            guard let rf = ringFiles.first(where: { $0.file == f }),
                  UInt64(offset) + UInt64(count) <= UInt64(rf.length) else { return .absent }
            ringCopyOut(at: rf.start + UInt64(offset), count: count, into: p)
            return .copied
        }
        if closed { return .disk(limit: Int.max) }
        if f > s.next.file { return .absent }
        if f == s.next.file {
            if offset >= s.bufferStart {
                guard UInt64(offset) + UInt64(count) <= UInt64(s.bufferStart + s.bufferUsed) else { return .absent }
                p.copyMemory(from: buffer + Int(offset - s.bufferStart), byteCount: count)
                return .copied
            }
            return .disk(limit: Int(s.bufferStart))
        }
        return .disk(limit: Int.max)
    }

    /// (first file, last record, next LSN, generation) for cursors.
    func liveSnapshot() -> (firstFile: UInt32?, last: LSN, next: LSN, generation: UInt64, onDisk: Bool) {
        if let c = closedState { return (files.first, c.last, c.next, c.generation, true) }
        lock.lock()
        let first = configuration.inMemory ? ringFiles.first?.file : nil
        let snap = (first, s.last, s.next, s.generation, !configuration.inMemory)
        lock.unlock()
        if snap.4 { return (files.first, snap.1, snap.2, snap.3, true) }
        return snap
    }

    /// The last file as the writer knows it; nil for a closed file log
    /// (the directory then decides).
    func liveLastFile() -> UInt32? {
        if closedState != nil { return nil }
        lock.lock(); defer { lock.unlock() }
        if configuration.inMemory { return ringFiles.last?.file ?? 0 }
        return closed ? nil : s.next.file
    }

    var generation: UInt64 {
        if let c = closedState { return c.generation }
        lock.lock(); defer { lock.unlock() }; return s.generation
    }
}
