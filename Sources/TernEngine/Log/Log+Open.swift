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
            var flags = O_RDWR
            if configuration.dsync { flags |= O_DSYNC }
            let path = files.path(f)
            let newFD = Glibc.open(path, flags)
            if newFD < 0 { throw LogIO.error(path) }
            let size = LogIO.size(newFD)
            if size > Int(end) {
                // A torn or corrupt tail: cut it off, so that nothing after
                // the end can ever be mistaken for a record, and make the cut
                // durable before appending over it.
                do throws(DBError) {
                    if configuration.zeroFill {
                        try Self.zeroFill(newFD, from: Int(end), to: size)
                    } else if ftruncate(newFD, off_t(end)) != 0 {
                        throw LogIO.error(path)
                    }
                    if syncFunction(newFD) != 0 { throw LogIO.error(path) }
                } catch {
                    Glibc.close(newFD)
                    throw error
                }
            }
            fd = newFD
            fdFile = f
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
}
