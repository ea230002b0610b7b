// DB->open, DB->sync and DB->close for Btree databases.
//
// Open resolves the file as libdb's __db_appname does (an absolute path as
// given; else the first data directory holding it, or the create directory /
// first data directory / home for a new file), opens it in the environment's
// page cache — a private cache for a database created without an
// environment — and opens or creates the tree (or the named database in it).
// In a logged environment the file is opened in logged write-back mode (its
// pages reach the file only at checkpoints) and registered in the log so
// commit records can name it.
import CBerkeleyDB
import Glibc

/// An open database: its file in the cache, its tree, the file's latch.
/// Owned by the Database; the latch lives in the region.
final class OpenedDatabase {
    let file: CacheFile
    let tree: Btree
    let latch: SharedLatch
    /// The id commit records use for this file (its cache file id).
    let logFileID: UInt32
    /// An in-memory database's backing file, removed at close.
    let temporaryPath: String?

    init(file: CacheFile, tree: Btree, latch: SharedLatch, logFileID: UInt32, temporaryPath: String?) {
        self.file = file
        self.tree = tree
        self.latch = latch
        self.logFileID = logFileID
        self.temporaryPath = temporaryPath
    }
}

extension Database {
    static let openFlagsAllowed: UInt32 = UInt32(DB_AUTO_COMMIT | DB_CREATE | DB_EXCL | DB_MULTIVERSION
        | DB_NOMMAP | DB_RDONLY | DB_READ_UNCOMMITTED | DB_THREAD | DB_TRUNCATE)

    /// Tree latches, one per cache file id, in a region area every process shares.
    static let latchSlots = 128

    /// DB->open. `options` carries the comparators the C layer wraps.
    public func open(file: String?, database: String?, type requestedType: DBTYPE, flags: UInt32,
                     mode: Int32, options: BtreeOptions) throws(DBError) {
        let method = "DB->open"
        try requireNotOpened(method)
        if flags & ~Self.openFlagsAllowed != 0 { throw .illegalFlag(method) }
        if flags & UInt32(DB_EXCL) != 0 && flags & UInt32(DB_CREATE) == 0 { throw .illegalFlagCombination(method) }
        if flags & UInt32(DB_RDONLY) != 0 && flags & UInt32(DB_CREATE | DB_TRUNCATE) != 0 {
            throw .illegalFlagCombination(method)
        }
        switch requestedType {
        case DB_BTREE, DB_UNKNOWN: break
        case DB_HASH, DB_RECNO, DB_QUEUE, DB_HEAP:
            throw .notSupported("DB->open of a Hash, Recno, Queue or Heap database")
        default:
            throw .invalid("BDB0513 DB->open: unknown type: \(requestedType.rawValue)")
        }

        let cache = try cacheForOpen()
        let logged = environment.log != nil
        var temporaryPath: String?
        let path: String
        if let file {
            path = resolvePath(file, creating: flags & UInt32(DB_CREATE) != 0)
        } else {
            path = try Self.temporaryFile(in: environment)
            temporaryPath = path
        }
        let exists = access(path, F_OK) == 0
        if exists && flags & UInt32(DB_EXCL) != 0 && database == nil { throw DBError(EEXIST) }
        if !exists && flags & UInt32(DB_CREATE) == 0 {
            throw DBError(ENOENT, "\(file ?? path): \(String(cString: strerror(ENOENT)))")
        }
        if exists && flags & UInt32(DB_TRUNCATE) != 0 && database == nil { unlink(path) }

        var pageSize = Int(config.pageSize == 0 ? 4096 : config.pageSize)
        if access(path, F_OK) == 0, let recorded = try Btree.recordedPageSize(path: path, name: file) {
            pageSize = recorded
        }
        let cacheFile = try cache.openFile(path: path, pageSize: pageSize, create: flags & UInt32(DB_CREATE) != 0,
                                           mode: logged ? .logged : .inPlace,
                                           fileMode: mode_t(mode == 0 ? 0o660 : mode))
        let tree: Btree
        do {
            if cacheFile.pageCount == 0 {
                // A new file: its zeroed page 0 (the PageStore contract).
                let meta = try cacheFile.extend()
                cacheFile.unpin(meta, dirty: true)
            }
            if let database {
                tree = try Btree.open(store: cacheFile, subdatabase: Array(database.utf8), options: options,
                                      create: flags & UInt32(DB_CREATE) != 0, fileName: file)
            } else if try Btree.isFresh(cacheFile) {
                tree = try Btree.create(store: cacheFile, options: options)
            } else {
                tree = try Btree.open(store: cacheFile, options: options, name: file)
            }
        } catch {
            try? cacheFile.close()
            if let temporaryPath { unlink(temporaryPath) }
            throw error
        }
        let latch = try Self.latch(for: cacheFile, in: cache.region)
        if let log = environment.log {
            let registration = FileRegistration(fileID: cacheFile.fileId, path: path, databaseName: database ?? "")
            _ = try log.append(type: TernLogRecord.fileRegistration, payload: registration.encoded())
        }
        opened = OpenedDatabase(file: cacheFile, tree: tree, latch: latch, logFileID: cacheFile.fileId,
                                temporaryPath: temporaryPath)
        type = DB_BTREE
        fileName = file
        databaseName = database
        openFlags = flags
        markOpened()
        environment.openDatabases[ObjectIdentifier(self)] = self
    }

    /// DB->sync: the file reaches disk (in a logged environment, through a
    /// checkpoint of the file, after the log it depends on).
    public func sync() throws(DBError) {
        guard let opened else { throw .illegalBeforeOpen("DB->sync") }
        try writeBack(opened)
    }

    /// DB->close: written back unless DB_NOSYNC, then released. The handle is
    /// closed whatever this returns.
    public func close(noSync: Bool) throws(DBError) {
        defer {
            markClosed()
            environment.openDatabases[ObjectIdentifier(self)] = nil
        }
        guard let opened else { return }
        self.opened = nil
        var failure: DBError?
        if !noSync {
            do { try writeBack(opened) } catch { failure = error }
        }
        do { try opened.file.close() } catch { failure = failure ?? error }
        if let path = opened.temporaryPath { unlink(path) }
        if environment.isPrivate { _ = environment.detachSubsystems() }
        if let failure { throw failure }
    }

    private func writeBack(_ opened: OpenedDatabase) throws(DBError) {
        if let log = environment.log {
            try log.flush(sync: true)
            try opened.file.checkpoint()
        } else {
            try opened.file.sync()
        }
    }

    /// The environment's cache, or a private one for a database created
    /// without an environment. An application environment must be open and
    /// have a memory pool.
    private func cacheForOpen() throws(DBError) -> PageCache {
        if environment.isPrivate && environment.cache == nil {
            let bytes = Int(environment.config.cacheGBytes) * Int(EnvironmentConfig.gigabyte)
                + Int(environment.config.cacheBytes)
            let region = try Region.makePrivate(size: Region.size(cacheBytes: bytes))
            do {
                environment.cache = try PageCache(region: region, cacheBytes: bytes, spillDirectory: nil)
            } catch {
                region.close()
                throw error
            }
            environment.region = region
        }
        guard environment.phase == .opened || environment.isPrivate else {
            throw .invalid("BDB0558 DB->open: environment not yet opened")
        }
        guard let cache = environment.cache else {
            throw .notConfigured("DB->open", subsystem: "memory pool")
        }
        return cache
    }

    /// libdb's __db_appname for a database file.
    func resolvePath(_ file: String, creating: Bool) -> String {
        if file.hasPrefix("/") { return file }
        let home = environment.isPrivate ? nil : environment.home
        func join(_ dir: String?, _ name: String) -> String {
            var parts: [String] = []
            if let home, !home.isEmpty { parts.append(home) }
            if let dir, !dir.isEmpty {
                if dir.hasPrefix("/") { parts = [dir] } else { parts.append(dir) }
            }
            parts.append(name)
            return parts.joined(separator: "/")
        }
        for dir in environment.config.dataDirs {
            let candidate = join(dir, file)
            if access(candidate, F_OK) == 0 { return candidate }
        }
        if creating, let dir = config.createDirectory ?? environment.config.createDir ?? environment.config.dataDirs.first {
            return join(dir, file)
        }
        return join(nil, file)
    }

    /// A file for an in-memory database's pages (removed at close): its
    /// contents never outlive the handle, as libdb's in-memory databases.
    static func temporaryFile(in environment: Environment) throws(DBError) -> String {
        let dir = environment.config.tmpDir ?? (environment.isPrivate ? "/tmp" : environment.home ?? ".")
        var template = Array("\(dir)/tern-memdb-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { let e = errno; throw DBError(e, "\(dir): \(String(cString: strerror(e)))") }
        Glibc.close(fd)
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The latch of a cache file: a region slot chosen by its file id. Files
    /// whose ids share a slot share a latch, which is only coarser.
    static func latch(for file: CacheFile, in region: Region) throws(DBError) -> SharedLatch {
        let offset = try region.area("tree latches", size: latchSlots * SharedLatch.size) { (off) throws(DBError) in
            for slot in 0..<latchSlots {
                _ = SharedLatch.initialize(at: region.pointer(off) + slot * SharedLatch.size)
            }
        }
        let slot = Int(file.fileId) % latchSlots
        return SharedLatch(at: region.pointer(offset) + slot * SharedLatch.size)
    }
}

extension Environment {
    var isPrivate: Bool { isPrivateToDatabase }
}
