// Finding the end of an existing log when the writer opens it.
import CBerkeleyDB
import Glibc

extension Log {
    /// Positions the writer after the last valid record of the existing log
    /// (mutex held). Returns nil when it did, or the number of the file to
    /// create when there is no usable file: 1 for an empty directory, or the
    /// number of a torn last file it removed, so numbering continues.
    func recoverEndLocked() throws(DBError) -> UInt32? {
        let scanner = LogCursor(directory: configuration.directory)
        var list = files.list()
        var create: UInt32 = 1
        while let f = list.last {
            guard let header = try scanner.fileHeader(f) else {
                // Torn header: the crash happened while the file was being
                // created, before anything in it could have been durable.
                try files.remove(f)
                files.syncDirectory()
                list.removeLast()
                create = f
                continue
            }
            let (lastOffset, end) = try scanner.scan(f)
            var flags = O_RDWR | O_CLOEXEC
            if configuration.dsync { flags |= O_DSYNC }
            let path = files.path(f)
            let newFD = Glibc.open(path, flags)
            if newFD < 0 { throw LogIO.error(path) }
            // Files are pre-sized (see newFileLocked), so the file's size is
            // not the log's end: `end`, found by the scan, is. What follows
            // it must read as zeros before anything is appended there.
            do throws(DBError) {
                if try !Self.isClear(newFD, after: end) {
                    // A torn or corrupt tail: cut it off, so that nothing
                    // after the end can ever be mistaken for a record, and
                    // make the cut durable before appending over it.
                    try clearTail(newFD, after: end, lgMax: header.lgMax)
                    if syncFunction(newFD) != 0 { throw LogIO.error(path) }
                } else if !configuration.zeroFill {
                    // A file from before pre-sizing, or cut short by hand:
                    // pre-size it now (a hole; the next sync commits it).
                    try Self.presize(newFD, to: Int(header.lgMax))
                }
            } catch {
                Glibc.close(newFD)
                throw error
            }
            adoptFDLocked(newFD, file: f)
            s.currentFileMax = header.lgMax
            s.last = lastOffset.map { LSN(file: f, offset: $0) } ?? header.prevLast
            s.lastOffsetInFile = lastOffset ?? 0
            s.next = LSN(file: f, offset: end)
            s.bufferStart = end
            s.bufferUsed = 0
            s.written = s.next
            s.synced = s.next
            return nil
        }
        return create
    }

    /// True when every byte of file `fd` after `end` is zero, checked
    /// without reading a pre-sized file's whole hole: the rest of the 4 KiB
    /// block holding `end` is read, and SEEK_DATA must find no data after
    /// it. A file system without SEEK_DATA reports data everywhere, so the
    /// answer is then false whenever the file is longer than that block
    /// (the tail is cleared: slower, still correct).
    static func isClear(_ fd: Int32, after end: UInt32) throws(DBError) -> Bool {
        let size = LogIO.size(fd)
        let start = Int(end)
        if size <= start { return true }
        let block = 4096
        let blockEnd = min(size, (start / block + 1) * block)
        let count = blockEnd - start
        let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 16)
        defer { bytes.deallocate() }
        let got = try LogIO.preadAll(fd, bytes.baseAddress!, count, at: start)
        if got != count || bytes.contains(where: { $0 != 0 }) { return false }
        if blockEnd >= size { return true }
        // SEEK_DATA is 3 on Linux (glibc hides the name behind _GNU_SOURCE).
        let seekData: Int32 = 3
        return lseek(fd, off_t(blockEnd), seekData) < 0 && errno == ENXIO
    }
}
