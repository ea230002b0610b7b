// LogFiles: the log directory — naming, listing, archiving, removal — and the
// few POSIX I/O helpers the log uses (full-length pread/pwrite with EINTR
// retry).
//
// Files are named `log.` + ten decimal digits, libdb's names, so db_archive,
// log_archive and backup scripts find them. Numbers start at 1 and are
// contiguous in a healthy log; archiving removes a prefix.
import CBerkeleyDB
import Glibc

public struct LogFiles: Sendable {
    /// The log directory: the environment home, or lg_dir resolved against it.
    public let directory: String

    public init(directory: String) {
        self.directory = directory.isEmpty ? "." : directory
    }

    /// "log.0000000042".
    public static func name(_ file: UInt32) -> String {
        let digits = String(file)
        return "log." + String(repeating: "0", count: max(0, 10 - digits.count)) + digits
    }

    /// The number in a log file name, nil for any other name.
    public static func number(fromName name: String) -> UInt32? {
        let u = Array(name.utf8)
        guard u.count == 14, u[0] == UInt8(ascii: "l"), u[1] == UInt8(ascii: "o"),
              u[2] == UInt8(ascii: "g"), u[3] == UInt8(ascii: ".") else { return nil }
        var n: UInt64 = 0
        for c in u[4...] {
            guard c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") else { return nil }
            n = n * 10 + UInt64(c - UInt8(ascii: "0"))
        }
        return n == 0 || n > UInt64(UInt32.max) ? nil : UInt32(n)
    }

    public func path(_ file: UInt32) -> String { directory + "/" + Self.name(file) }

    /// The numbers of all log files in the directory, ascending. A missing
    /// directory is an empty log.
    public func list() -> [UInt32] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var result: [UInt32] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if let n = Self.number(fromName: name) { result.append(n) }
        }
        return result.sorted()
    }

    public var first: UInt32? { list().first }
    public var last: UInt32? { list().last }

    public func exists(_ file: UInt32) -> Bool { access(path(file), F_OK) == 0 }

    /// log_archive's candidates: the files wholly before `lsn` — every file
    /// whose number is below lsn.file (the file holding `lsn` is still
    /// needed). Pass the checkpoint LSN recovery would start from, or the
    /// oldest LSN any reader (active transaction, replication client) needs.
    public func archivable(before lsn: LSN) -> [UInt32] {
        list().filter { $0 < lsn.file }
    }

    /// Removes one log file. Removing a missing file is not an error (a
    /// concurrent archiver may have got there first).
    public func remove(_ file: UInt32) throws(DBError) {
        if unlink(path(file)) != 0 && errno != ENOENT {
            throw DBError(errno, "\(path(file)): \(String(cString: strerror(errno)))")
        }
    }

    /// Removes every file listed by archivable(before:) and returns them.
    @discardableResult
    public func removeArchivable(before lsn: LSN) throws(DBError) -> [UInt32] {
        let files = archivable(before: lsn)
        for f in files { try remove(f) }
        return files
    }

    /// Makes the directory's entries (a created, removed or renamed log file)
    /// durable.
    func syncDirectory() {
        let fd = open(directory, O_RDONLY | O_DIRECTORY)
        if fd >= 0 { _ = fsync(fd); close(fd) }
    }
}

/// Full-length POSIX I/O with EINTR retry.
enum LogIO {
    static func error(_ what: String) -> DBError {
        let e = errno
        return DBError(e, "\(what): \(String(cString: strerror(e)))")
    }

    static func pwriteAll(_ fd: Int32, _ p: UnsafeRawPointer, _ count: Int, at offset: Int) throws(DBError) {
        var done = 0
        while done < count {
            let n = pwrite(fd, p + done, count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw error("log write")
            }
            done += n
        }
    }

    /// Reads up to `count` bytes; returns how many were read (short at EOF).
    static func preadAll(_ fd: Int32, _ p: UnsafeMutableRawPointer, _ count: Int, at offset: Int) throws(DBError) -> Int {
        var done = 0
        while done < count {
            let n = pread(fd, p + done, count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw error("log read")
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Runs a closure from an API that only rethrows untyped errors.
    static func typed<R>(_ body: () throws -> R) throws(DBError) -> R {
        do { return try body() } catch let e as DBError { throw e } catch { throw DBError(EIO, "\(error)") }
    }

    static func size(_ fd: Int32) -> Int {
        var st = stat()
        return fstat(fd, &st) == 0 ? Int(st.st_size) : 0
    }
}
