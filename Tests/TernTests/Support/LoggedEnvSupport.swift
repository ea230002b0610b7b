// Helpers for tests of logged environments: checkpoints, recovery, archive.
import CBerkeleyDB
import Glibc
@testable import TernEngine

enum LoggedEnv {
    static let base = DB_CREATE | DB_INIT_TXN | DB_INIT_LOG | DB_INIT_MPOOL | DB_INIT_LOCK

    /// A scratch directory, removed with its files at the end.
    static func inScratch(_ body: (String) throws -> Void) throws {
        var template = Array("/tmp/tern-recovery-XXXXXX".utf8CString)
        let dir = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        defer { _ = system("rm -rf '\(dir)'") }
        try body(dir)
    }

    static func open(_ dir: String, extra: Int32 = 0, configure: (Environment) throws -> Void = { _ in })
        throws -> Environment {
        let env = Environment()
        try configure(env)
        try env.open(home: dir, flags: UInt32(base | extra), mode: 0, hasIsAlive: false)
        return env
    }

    static func failure(_ body: () throws -> Void) -> DBError? {
        do { try body(); return nil } catch let e as DBError { return e } catch { return DBError(EIO, "\(error)") }
    }

    static func database(_ env: Environment, _ file: String, _ name: String? = nil,
                         flags: DatabaseStateFlags = [], tree: BtreeFlags = [], create: Bool = true) throws -> Database {
        let db = Database(environment: env)
        db.config.flags.formUnion(flags)
        try db.open(file: file, database: name, type: DB_BTREE, flags: UInt32(create ? DB_CREATE : 0), mode: 0,
                    options: BtreeOptions(flags: tree))
        return db
    }

    static func put(_ db: Database, _ k: String, _ d: String, autoCommit: Bool = true) throws {
        try withBuffer(Array(k.utf8)) { (kb) throws(DBError) in
            try withBuffer(Array(d.utf8)) { (db2) throws(DBError) in
                try db.put(key: kb, data: db2, .keyLast, autoCommit: autoCommit)
            }
        }
    }

    static func del(_ db: Database, _ k: String) throws {
        try withBuffer(Array(k.utf8)) { (kb) throws(DBError) in try db.delete(key: kb, autoCommit: true) }
    }

    /// Every (key, data) pair in order.
    static func contents(_ db: Database) throws -> [String] {
        let c = db.opened!.tree.cursor()
        var out: [String] = []
        var item = try? c.get(.first)
        while let (k, d) = item {
            out.append(String(decoding: k, as: UTF8.self) + "=" + String(decoding: d, as: UTF8.self))
            item = try? c.get(.next)
        }
        return out
    }

    /// The checkpoint LSN page 0 of `path` carries on disk.
    static func metaLSN(_ path: String, pageSize: Int = 4096) -> LSN? {
        let fd = Glibc.open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var page = [UInt8](repeating: 0, count: pageSize)
        let n = page.withUnsafeMutableBytes { pread(fd, $0.baseAddress, pageSize, 0) }
        guard n == pageSize else { return nil }
        return page.withUnsafeBytes { BtreeMeta.checkpointLSN($0.baseAddress!, pageSize: pageSize) }
    }

    static func fileBytes(_ path: String) -> [UInt8] {
        let fd = Glibc.open(path, O_RDONLY)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var st = stat()
        fstat(fd, &st)
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        _ = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        return bytes
    }

    /// The records of `type` in the log, oldest first.
    static func records(_ env: Environment, type: UInt32) throws -> [LogRecord] {
        let c = try env.openLogCursor(flags: 0)
        var out: [LogRecord] = []
        var r = try? c.first()
        while let rec = r {
            if rec.type == type { out.append(rec) }
            r = try? c.next()
        }
        return out
    }
}
