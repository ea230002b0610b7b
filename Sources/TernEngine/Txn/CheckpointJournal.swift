// CheckpointJournal: the double-write journal that makes a checkpoint's
// in-place writes atomic. A crash while pages are being written in place can
// tear them; with the journal, every page the checkpoint writes is first
// durable in `__tern.journal` in the environment home, so recovery (or the
// next process to take the log) rewrites them all from there.
//
// Protocol (one checkpoint at a time: the checkpoint mutex):
//   1. body at offset 4096, fdatasync;
//   2. header at offset 0 (its CRC covers the body), fdatasync: committed;
//   3. pages in place, fsync each file (the caller);
//   4. truncate the journal to 0, fdatasync.
// A journal whose header is missing, torn, or whose body CRC does not match
// was never committed: the files were not touched yet, it is discarded. A
// committed one is re-applied (idempotent: the same bytes at the same
// places, so a crash while re-applying is harmless), then truncated.
//
// Format (little-endian):
//   header (4096 bytes, only the first 48 used):
//     0  u64 magic "TERNJNL1"     8  u32 version (1)
//     12 u32 file count            16 u32 page count
//     20 u32 checkpoint LSN file   24 u32 checkpoint LSN offset
//     28 u32 CRC32C of the body    32 u64 body length
//     40 u32 CRC32C of header bytes 0..<40
//   body: a sequence of entries
//     file: u32 1, u32 file index, u32 page size, u32 path length, path
//           (absolute), zero-padded to a multiple of 8
//     page: u32 2, u32 file index, u32 page number, u32 0, then the page
//   A file entry precedes the pages that name its index.
import CBerkeleyDB
import Glibc

public enum CheckpointJournal {
    public static let fileName = "__tern.journal"
    static let magic: UInt64 = 0x314C_4E4A_4E52_4554 // "TERNJNL1"
    static let version: UInt32 = 1
    static let headerSize = 4096
    static let headerUsed = 44
    /// Bodies are written and read in chunks of this size.
    static let chunk = 1 << 20

    public static func path(home: String?) -> String {
        let dir = (home?.isEmpty ?? true) ? "." : home!
        return dir.hasSuffix("/") ? dir + fileName : dir + "/" + fileName
    }

    static func ioError(_ what: String) -> DBError {
        let e = errno
        return DBError(e, "tern journal: \(what): \(String(cString: strerror(e)))")
    }

    /// Steps 1 and 2: the images, committed with `lsn` in the header.
    static func write(_ images: [CheckpointImage], lsn: LSN, path: String) throws(DBError) {
        let isNew = access(path, F_OK) != 0
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ioError("cannot open \(path)") }
        defer { close(fd) }
        guard ftruncate(fd, 0) == 0 else { throw ioError("truncate") }
        var out = ChunkWriter(fd: fd, at: headerSize)
        defer { out.release() }
        var pages: UInt32 = 0
        for (k, image) in images.enumerated() {
            let pathBytes = Array(image.path.utf8)
            try out.u32(1); try out.u32(UInt32(k)); try out.u32(UInt32(image.pageSize))
            try out.u32(UInt32(pathBytes.count))
            for byte in pathBytes { try out.u8(byte) }
            let pad = (8 - pathBytes.count % 8) % 8
            for _ in 0..<pad { try out.u8(0) }
            for pgno in image.sortedPages {
                try out.u32(2); try out.u32(UInt32(k)); try out.u32(pgno); try out.u32(0)
                try out.bytes(UnsafeRawBufferPointer(start: try image.bytes(pgno), count: image.pageSize))
                pages += 1
            }
        }
        try out.drain()
        guard fdatasync(fd) == 0 else { throw ioError("sync") }
        var header = [UInt8](repeating: 0, count: headerSize)
        header.withUnsafeMutableBytes { h in
            h.storeBytes(of: magic.littleEndian, toByteOffset: 0, as: UInt64.self)
            h.storeBytes(of: version.littleEndian, toByteOffset: 8, as: UInt32.self)
            h.storeBytes(of: UInt32(images.count).littleEndian, toByteOffset: 12, as: UInt32.self)
            h.storeBytes(of: pages.littleEndian, toByteOffset: 16, as: UInt32.self)
            h.storeBytes(of: lsn.file.littleEndian, toByteOffset: 20, as: UInt32.self)
            h.storeBytes(of: lsn.offset.littleEndian, toByteOffset: 24, as: UInt32.self)
            h.storeBytes(of: out.crc.littleEndian, toByteOffset: 28, as: UInt32.self)
            h.storeBytes(of: UInt64(out.written).littleEndian, toByteOffset: 32, as: UInt64.self)
            let crc = CRC32C.update(0, UnsafeRawBufferPointer(rebasing: h[0..<40]))
            h.storeBytes(of: crc.littleEndian, toByteOffset: 40, as: UInt32.self)
        }
        let ok = header.withUnsafeBytes { h in pwriteAll(fd, h.baseAddress!, headerSize, 0) }
        guard ok else { throw ioError("write header") }
        guard fdatasync(fd) == 0 else { throw ioError("sync") }
        if isNew {
            // The journal's directory entry must be durable before any page
            // it protects is written in place (it is kept, empty, after).
            let slash = path.lastIndex(of: "/")
            let dir = slash.map { String(path[..<$0]) } ?? "."
            let dfd = open(dir.isEmpty ? "/" : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if dfd >= 0 { _ = fsync(dfd); close(dfd) }
        }
    }

    /// Step 4.
    static func clear(path: String) throws(DBError) {
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return }
            throw ioError("cannot open \(path)")
        }
        defer { close(fd) }
        guard ftruncate(fd, 0) == 0 else { throw ioError("truncate") }
        guard fdatasync(fd) == 0 else { throw ioError("sync") }
    }

    /// What a journal found at startup held.
    public enum Outcome: Equatable, Sendable {
        /// No journal, or an empty one.
        case none
        /// An uncommitted (torn) journal, discarded.
        case discarded
        /// A committed journal, re-applied: its checkpoint LSN and pages.
        case applied(LSN, pages: Int)
    }

    /// Completes a committed journal or discards an uncommitted one, then
    /// empties it. Files the journal names that no longer exist are skipped
    /// (removed since); any other I/O error is returned and the journal kept.
    @discardableResult
    public static func recover(path: String) throws(DBError) -> Outcome {
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return .none }
            throw ioError("cannot open \(path)")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw ioError("stat") }
        let size = Int(st.st_size)
        if size == 0 { return .none }
        let outcome: Outcome
        if let header = try readHeader(fd, fileSize: size), try bodyMatches(fd, header) {
            try apply(fd, header)
            outcome = .applied(header.lsn, pages: Int(header.pages))
        } else {
            outcome = .discarded
        }
        guard ftruncate(fd, 0) == 0 else { throw ioError("truncate") }
        guard fdatasync(fd) == 0 else { throw ioError("sync") }
        return outcome
    }

    struct Header {
        var files: UInt32
        var pages: UInt32
        var lsn: LSN
        var bodyCRC: UInt32
        var bodyLength: Int
    }

    static func readHeader(_ fd: Int32, fileSize: Int) throws(DBError) -> Header? {
        guard fileSize >= headerSize else { return nil }
        var h = [UInt8](repeating: 0, count: headerUsed)
        let n = h.withUnsafeMutableBytes { pread(fd, $0.baseAddress, headerUsed, 0) }
        guard n == headerUsed else { return nil }
        return h.withUnsafeBytes { (b: UnsafeRawBufferPointer) -> Header? in
            func u32(_ at: Int) -> UInt32 { UInt32(littleEndian: b.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
            let magicFound = UInt64(littleEndian: b.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
            guard magicFound == magic, u32(8) == version,
                  u32(40) == CRC32C.update(0, UnsafeRawBufferPointer(rebasing: b[0..<40])) else { return nil }
            let length = UInt64(littleEndian: b.loadUnaligned(fromByteOffset: 32, as: UInt64.self))
            guard length <= UInt64(fileSize - headerSize) else { return nil }
            return Header(files: u32(12), pages: u32(16), lsn: LSN(file: u32(20), offset: u32(24)),
                          bodyCRC: u32(28), bodyLength: Int(length))
        }
    }

    static func bodyMatches(_ fd: Int32, _ header: Header) throws(DBError) -> Bool {
        var reader = ChunkReader(fd: fd, at: headerSize, length: header.bodyLength)
        defer { reader.release() }
        var crc: UInt32 = 0
        while let piece = try reader.next(max: chunk) { crc = CRC32C.update(crc, piece) }
        return crc == header.bodyCRC
    }

    /// Writes every page of a verified body in place and fsyncs the files.
    static func apply(_ fd: Int32, _ header: Header) throws(DBError) {
        var reader = ChunkReader(fd: fd, at: headerSize, length: header.bodyLength)
        defer { reader.release() }
        var files: [UInt32: (fd: Int32, pageSize: Int)] = [:]
        var missing: [UInt32: Int] = [:]
        defer { for f in files.values { close(f.fd) } }
        while let tag = try reader.u32() {
            guard let index = try reader.u32() else { throw DBError(EIO, "tern journal: truncated entry") }
            switch tag {
            case 1:
                guard let ps = try reader.u32(), let len = try reader.u32(),
                      ps >= 512, ps <= 65536, Int(len) <= header.bodyLength,
                      let pathBytes = try reader.bytes(Int(len)) else {
                    throw DBError(EIO, "tern journal: bad file entry")
                }
                let pad = (8 - Int(len) % 8) % 8
                _ = try reader.bytes(pad)
                let path = String(decoding: pathBytes, as: UTF8.self)
                let ffd = open(path, O_RDWR | O_CLOEXEC)
                if ffd < 0 {
                    if errno != ENOENT { throw ioError("cannot open \(path)") }
                    missing[index] = Int(ps)
                } else {
                    files[index] = (ffd, Int(ps))
                }
            case 2:
                guard let pgno = try reader.u32(), try reader.u32() != nil else {
                    throw DBError(EIO, "tern journal: truncated page entry")
                }
                if let f = files[index] {
                    guard let page = try reader.bytes(f.pageSize) else { throw DBError(EIO, "tern journal: truncated page") }
                    let ok = page.withUnsafeBytes { pwriteAll(f.fd, $0.baseAddress!, f.pageSize, off_t(pgno) * off_t(f.pageSize)) }
                    guard ok else { throw ioError("write of page \(pgno)") }
                } else if let ps = missing[index] {
                    // The file was removed since: its pages are skipped.
                    guard try reader.bytes(ps) != nil else { throw DBError(EIO, "tern journal: truncated page") }
                } else {
                    throw DBError(EIO, "tern journal: page entry for an unknown file")
                }
            default:
                throw DBError(EIO, "tern journal: unknown entry \(tag)")
            }
        }
        for f in files.values where fsync(f.fd) != 0 { throw ioError("fsync") }
    }

    static func pwriteAll(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int, _ at: off_t) -> Bool {
        var done = 0
        while done < n {
            let r = pwrite(fd, p + done, n - done, at + off_t(done))
            if r < 0 { if errno == EINTR { continue }; return false }
            done += r
        }
        return true
    }
}

/// Buffered sequential pwrite with a running CRC32C.
private struct ChunkWriter {
    let fd: Int32
    var at: Int
    let buffer: UnsafeMutableRawPointer
    var used = 0
    var written = 0
    var crc: UInt32 = 0

    init(fd: Int32, at: Int) {
        self.fd = fd
        self.at = at
        buffer = .allocate(byteCount: CheckpointJournal.chunk, alignment: 16)
    }

    func release() { buffer.deallocate() }

    mutating func drain() throws(DBError) {
        guard used > 0 else { return }
        guard CheckpointJournal.pwriteAll(fd, buffer, used, off_t(at)) else {
            throw CheckpointJournal.ioError("write")
        }
        crc = CRC32C.update(crc, UnsafeRawBufferPointer(start: buffer, count: used))
        at += used
        written += used
        used = 0
    }

    mutating func bytes(_ b: UnsafeRawBufferPointer) throws(DBError) {
        var offset = 0
        while offset < b.count {
            if used == CheckpointJournal.chunk { try drain() }
            let n = min(b.count - offset, CheckpointJournal.chunk - used)
            (buffer + used).copyMemory(from: b.baseAddress! + offset, byteCount: n)
            used += n
            offset += n
        }
    }

    mutating func u32(_ v: UInt32) throws(DBError) {
        if used + 4 > CheckpointJournal.chunk { try drain() }
        buffer.storeBytes(of: v.littleEndian, toByteOffset: used, as: UInt32.self)
        used += 4
    }

    mutating func u8(_ v: UInt8) throws(DBError) {
        if used + 1 > CheckpointJournal.chunk { try drain() }
        buffer.storeBytes(of: v, toByteOffset: used, as: UInt8.self)
        used += 1
    }
}

/// Buffered sequential reads of `length` bytes from `at`.
private struct ChunkReader {
    let fd: Int32
    var at: Int
    var left: Int
    let buffer: UnsafeMutableRawPointer
    var start = 0
    var end = 0

    init(fd: Int32, at: Int, length: Int) {
        self.fd = fd
        self.at = at
        left = length
        buffer = .allocate(byteCount: CheckpointJournal.chunk, alignment: 16)
    }

    func release() { buffer.deallocate() }

    /// Refills so at least `n` bytes are buffered (fewer at the end).
    private mutating func fill(_ n: Int) throws(DBError) {
        if end - start >= n || left == 0 { return }
        let keep = end - start
        if keep > 0 && start > 0 { buffer.copyMemory(from: buffer + start, byteCount: keep) }
        start = 0
        end = keep
        while end < CheckpointJournal.chunk && left > 0 {
            let want = min(CheckpointJournal.chunk - end, left)
            let r = pread(fd, buffer + end, want, off_t(at))
            if r < 0 { if errno == EINTR { continue }; throw CheckpointJournal.ioError("read") }
            if r == 0 { throw DBError(EIO, "tern journal: shorter than its header says") }
            end += r
            at += r
            left -= r
        }
    }

    /// The next piece of at most `max` bytes; nil at the end.
    mutating func next(max: Int) throws(DBError) -> UnsafeRawBufferPointer? {
        try fill(1)
        if end == start { return nil }
        let n = min(max, end - start)
        defer { start += n }
        return UnsafeRawBufferPointer(start: buffer + start, count: n)
    }

    /// Exactly `n` bytes, or nil at the end (a short read is an error).
    mutating func bytes(_ n: Int) throws(DBError) -> [UInt8]? {
        if n == 0 { return [] }
        var out: [UInt8] = []
        out.reserveCapacity(n)
        while out.count < n {
            guard let piece = try next(max: n - out.count) else {
                if out.isEmpty { return nil }
                throw DBError(EIO, "tern journal: truncated entry")
            }
            out.append(contentsOf: piece)
        }
        return out
    }

    mutating func u32() throws(DBError) -> UInt32? {
        guard let b = try bytes(4) else { return nil }
        return b.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) }
    }
}
