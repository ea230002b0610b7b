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
    /// The id commit records use for this database (its FileRegistration's;
    /// the cache file id without a log).
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
    /// libdb's OKFLAGS in __db_open_arg (DB_AUTO_COMMIT is stripped before).
    static let openFlagsAllowed: UInt32 = UInt32(DB_AUTO_COMMIT | DB_CREATE | DB_EXCL | DB_FCNTL_LOCKING
        | DB_MULTIVERSION | DB_NOMMAP | DB_NO_AUTO_COMMIT | DB_RDONLY | DB_RDWRMASTER | DB_READ_UNCOMMITTED
        | DB_THREAD | DB_TRUNCATE)

    /// Tree latches, one per cache file id, in a region area every process shares.
    static let latchSlots = 128

    /// libdb's DBMETASIZE: how much of a file __fop_read_meta reads; a
    /// shorter file is "unexpected file type or format" before any magic is
    /// looked at.
    static let metaReadSize = 512

    /// DB->open. `options` carries the comparators the C layer wraps.
    /// Returns the messages libdb writes to the error channel on the way to
    /// a successful open (DB_CREATE of an empty file reports it as not a
    /// database, then initialises it), for the caller to report.
    @discardableResult
    public func open(file: String?, database: String?, type requestedType: DBTYPE, flags requested: UInt32,
                     mode: Int32, options: BtreeOptions, transaction: Transaction? = nil) throws(DBError) -> [String] {
        let method = "DB->open"
        try requireNotOpened(method)
        // __db_open_pp: DB_AUTO_COMMIT (asked for, or the environment's
        // default) needs transactions; then it is no longer a flag.
        let envAutoCommit = environment.config.flags & UInt32(DB_AUTO_COMMIT) != 0
            && requested & UInt32(DB_NO_AUTO_COMMIT) == 0
        if (requested & UInt32(DB_AUTO_COMMIT) != 0 || envAutoCommit) && !environment.isOn(.txn) {
            throw .invalid("BDB0633 DB_AUTO_COMMIT may not be specified in non-transactional environment")
        }
        let flags = requested & ~UInt32(DB_AUTO_COMMIT)
        func has(_ f: Int32) -> Bool { flags & UInt32(f) != 0 }
        try checkOpenArguments(flags, type: requestedType)

        var notices: [String] = []
        let cache = try cacheForOpen()
        let logged = environment.log != nil
        var temporaryPath: String?
        let path: String
        var truncate = has(DB_TRUNCATE)
        var existedBefore = true
        var createdSubdatabase = false
        if let file {
            path = resolvePath(file, creating: has(DB_CREATE))
            existedBefore = access(path, F_OK) == 0
        } else {
            if has(DB_TRUNCATE) && database == nil {
                // libdb's DB_TRUNCATE first opens the database without
                // DB_CREATE to empty it; for an unnamed in-memory database
                // that inner open complains, and its failure is ignored.
                notices.append("BDB0635 DB_CREATE must be specified to create databases.")
            }
            if database == nil && !has(DB_CREATE) {
                throw DBError(ENOENT, "BDB0635 DB_CREATE must be specified to create databases.")
            }
            if database == nil && requestedType == DB_UNKNOWN {
                throw .invalid("BDB0636 DBTYPE of unknown without existing file")
            }
            path = try Self.temporaryFile(in: environment)
            temporaryPath = path
            truncate = false
        }

        var st = stat()
        let exists = temporaryPath == nil && stat(path, &st) == 0
        if exists && (st.st_mode & S_IFMT) == S_IFDIR { throw DBError(EISDIR) }
        if !exists && temporaryPath == nil && !has(DB_CREATE) { throw DBError(ENOENT) }
        // DB_TRUNCATE empties the whole file even when a database name is
        // given: "discarding all previous databases it might have held", as
        // documented (libdb 5.3 truncates the file there too, then fails).
        if exists && truncate {
            if has(DB_EXCL) { throw DBError(EEXIST) }
            // libdb empties the file in place (its inode and mode stay).
            let fd = Glibc.open(path, O_WRONLY | O_TRUNC)
            guard fd >= 0 else { throw DBError(errno) }
            Glibc.close(fd)
        }

        // What the file holds: libdb reads its first DBMETASIZE bytes.
        var pageSize = Int(config.pageSize == 0 ? 4096 : config.pageSize)
        var emptyOnDisk = temporaryPath != nil || !exists
        if exists && !truncate {
            let n = Self.readableBytes(path, upTo: Self.metaReadSize)
            let short = "BDB0004 fop_read_meta: \(path): unexpected file type or format"
            if n < 0 { throw DBError(errno) }
            if n == 0 {
                emptyOnDisk = true
            } else if n < Self.metaReadSize {
                throw .invalid(short)
            } else {
                if has(DB_EXCL) && database == nil { throw DBError(EEXIST) }
                if let recorded = try Btree.recordedPageSize(path: path, name: path) { pageSize = recorded }
                // A named database of another type may live in a Btree
                // master (libdb allows it): not built, rather than "not a
                // database". The master itself must be what was asked for.
                if database != nil && requestedType != DB_BTREE && requestedType != DB_UNKNOWN {
                    throw .notSupported("DB->open of a Hash, Recno, Queue or Heap database")
                }
                try Self.checkAccessMethod(requestedType, name: path)
            }
        }
        if requestedType != DB_BTREE && requestedType != DB_UNKNOWN {
            throw .notSupported("DB->open of a Hash, Recno, Queue or Heap database")
        }

        let cacheFile: CacheFile
        do {
            cacheFile = try cache.openFile(path: path, pageSize: pageSize, create: has(DB_CREATE) || truncate,
                                           mode: logged ? .logged : .inPlace,
                                           fileMode: mode_t(mode == 0 ? 0o660 : mode))
        } catch where error.code == ENOENT {
            // A missing directory: libdb's open fails silently.
            throw DBError(ENOENT)
        }
        let tree: Btree
        do throws(DBError) {
            if emptyOnDisk && exists && cacheFile.pageCount == 0 {
                // An empty file that no handle has pages of: not a database.
                // DB_CREATE says so and then initialises it.
                let short = "BDB0004 fop_read_meta: \(path): unexpected file type or format"
                if has(DB_EXCL) { throw DBError(EEXIST, short) }
                if !has(DB_CREATE) { throw DBError.invalid(short) }
                notices.append(short)
            }
            // Creating writes pages: a commit section, so no checkpoint
            // copies them half made.
            tree = try environment.commitSection { () throws(DBError) -> Btree in
                if cacheFile.pageCount == 0 {
                    // A new file: its zeroed page 0 (the PageStore contract).
                    let meta = try cacheFile.extend()
                    cacheFile.unpin(meta, dirty: true)
                }
                if let database {
                    if transaction != nil || environment.isOn(.txn), has(DB_CREATE), !has(DB_EXCL) {
                        // Whether this open creates the named database (an
                        // aborted transaction then removes it).
                        do throws(DBError) {
                            _ = try Btree.open(store: cacheFile, subdatabase: Array(database.utf8), options: options,
                                               create: false, exclusive: false, fileName: file)
                        } catch where error.code == ENOENT {
                            createdSubdatabase = true
                        }
                    }
                    let t = try Btree.open(store: cacheFile, subdatabase: Array(database.utf8), options: options,
                                           create: has(DB_CREATE), exclusive: has(DB_EXCL), fileName: file)
                    if has(DB_EXCL) { createdSubdatabase = true }
                    // libdb's __db_init_subdb checks a named database's meta
                    // under the database's name.
                    try adoptFileFlags(t, name: database)
                    return t
                } else if try Btree.isFresh(cacheFile) {
                    let t = try Btree.create(store: cacheFile, options: options)
                    try adoptFileFlags(t, name: path)
                    return t
                } else {
                    let t = try Btree.open(store: cacheFile, options: options, name: path)
                    try adoptFileFlags(t, name: path)
                    try t.requireReadOnlyIfMaster(has(DB_RDONLY) || has(DB_RDWRMASTER))
                    return t
                }
            }
        } catch {
            try? cacheFile.close()
            if let temporaryPath { unlink(temporaryPath) }
            throw error
        }
        let latch = try Self.latch(for: cacheFile, in: cache.region)
        if let transaction, let file {
            // A file (or named database) created in a transaction is gone
            // if it aborts.
            if !existedBefore {
                transaction.onAbort.append { unlink(path) }
            } else if createdSubdatabase, let database {
                let env = environment
                transaction.onAbort.append { try? Database(environment: env).removeDatabase(file: file, database: database) }
            }
        }
        var logFileID = cacheFile.fileId
        if logged {
            do throws(DBError) {
                // A file or named database DB_CREATE / DB_TRUNCATE made
                // reaches the disk now (libdb writes a new file's metadata
                // at create too), so recovery always finds what it replays
                // into: a checkpoint of the file (a no-op when clean).
                if temporaryPath == nil && (has(DB_CREATE) || truncate) {
                    try environment.checkpointFile(cacheFile.fileId)
                }
                var flags: UInt32 = 0
                if options.compare != nil { flags |= FileRegistration.customKeyCompare }
                if options.dupCompare != nil { flags |= FileRegistration.customDupCompare }
                if temporaryPath != nil { flags |= FileRegistration.temporary }
                logFileID = try environment.registerFile(path: path, databaseName: database ?? "", flags: flags)
            } catch {
                try? cacheFile.close()
                if let temporaryPath { unlink(temporaryPath) }
                throw error
            }
        }
        opened = OpenedDatabase(file: cacheFile, tree: tree, latch: latch, logFileID: logFileID,
                                temporaryPath: temporaryPath)
        type = DB_BTREE
        fileName = file
        databaseName = database
        openFlags = requested
        // libdb's DB_AM_TXN: opened in a transaction or with auto-commit
        // (asked for, or the environment's default).
        transactional = transaction != nil || requested & UInt32(DB_AUTO_COMMIT) != 0 || envAutoCommit
        // libdb opens in internal transactions (a parent and, when it
        // creates, a child), which its statistics count.
        let created = file == nil || !existedBefore || createdSubdatabase
        if transaction != nil {
            if created { environment.noteInternalTransactions(1, committed: true) }
        } else if transactional {
            environment.noteInternalTransactions(created ? 2 : 1, committed: true)
        }
        markOpened()
        environment.openDatabases[ObjectIdentifier(self)] = self
        return notices
    }

    /// libdb's __db_open_arg, in its order.
    func checkOpenArguments(_ flags: UInt32, type: DBTYPE) throws(DBError) {
        let method = "DB->open"
        func has(_ f: Int32) -> Bool { flags & UInt32(f) != 0 }
        if flags & ~Self.openFlagsAllowed != 0 { throw .illegalFlag(method) }
        if has(DB_EXCL) && !has(DB_CREATE) { throw .illegalFlagCombination(method) }
        if has(DB_RDONLY) && has(DB_CREATE) { throw .illegalFlagCombination(method) }
        switch type {
        case DB_UNKNOWN:
            if has(DB_CREATE) || has(DB_TRUNCATE) {
                throw .invalid("BDB0592 DB_UNKNOWN type specified with DB_CREATE or DB_TRUNCATE")
            }
        case DB_BTREE: try requireAccessMethod(.btree)
        case DB_HASH: try requireAccessMethod(.hash)
        case DB_HEAP: try requireAccessMethod(.heap)
        case DB_QUEUE: try requireAccessMethod(.queue)
        case DB_RECNO: try requireAccessMethod(.recno)
        default:
            throw .invalid("BDB0593 unknown type: \(type.rawValue)")
        }
        if !environment.isPrivate {
            if environment.phase != .opened { throw .invalid("BDB0594 database environment not yet opened") }
            if !environment.isOn(.mpool) { throw .invalid("BDB0595 environment did not include a memory pool") }
            if has(DB_THREAD) && environment.openFlags & UInt32(DB_THREAD) == 0 {
                throw .invalid("BDB0596 environment not created using DB_THREAD")
            }
        }
        // Tern's DB->open takes no transaction yet (the C layer refuses one).
        if has(DB_MULTIVERSION) { throw .invalid("BDB0597 DB_MULTIVERSION illegal without a transaction specified") }
        if has(DB_TRUNCATE) && lockingOn { throw .invalid("BDB0599 DB_TRUNCATE illegal with locking specified") }
    }

    /// libdb's __bam_metachk, in its order: the handle adopts the flags
    /// fixed in the file's meta page (DB_DUP, DB_RECNUM, DB_DUPSORT with the
    /// default duplicate comparison), so DB->get_flags reports what the
    /// file was created with; but it may not ask for duplicates, record
    /// numbers or a duplicate sort the file lacks. As in libdb the flags are
    /// adopted one by one, so a refused open leaves those adopted before
    /// the refusal (DB->get_flags shows them). A tree just created from the
    /// handle's configuration always passes. DB_REVSPLITOFF is not a file
    /// property in libdb and stays as configured.
    func adoptFileFlags(_ tree: Btree, name: String) throws(DBError) {
        if tree.hasDups {
            config.flags.insert(.dup)
        } else if config.flags.contains(.dup) {
            throw .invalid("BDB1010 \(name): DB_DUP specified to open method but not set in database")
        }
        if tree.recnum {
            config.flags.insert(.recnum)
            // __db_fcchk(DB_AM_DUP, DB_AM_RECNUM): a file cannot hold both,
            // and a handle asking for DB_DUP on a file without was refused
            // above, so only a damaged file gets here.
            if config.flags.contains(.dup) { throw .illegalFlagCombination("DB->open") }
        } else if config.flags.contains(.recnum) {
            throw .invalid("BDB1011 \(name): DB_RECNUM specified to open method but not set in database")
        }
        if tree.sorted {
            if !hasDuplicateCompare { config.dupCompare = .builtIn }
            config.flags.insert(.dupSort)
        } else if hasDuplicateCompare {
            // libdb tests dbp->dup_compare, which DB_DUPSORT and
            // set_dup_compare both set.
            throw .invalid("BDB1015 \(name): duplicate sort specified but not supported in database")
        }
    }

    /// Whether libdb's dbp->dup_compare would be set.
    private var hasDuplicateCompare: Bool {
        if case .none = config.dupCompare { return false }
        return true
    }

    /// An existing Tern Btree file opened as another access method: what
    /// libdb's __db_meta_setup / __bam_metachk say of a Btree file opened so.
    static func checkAccessMethod(_ type: DBTYPE, name: String) throws(DBError) {
        switch type {
        case DB_BTREE, DB_UNKNOWN: return
        case DB_RECNO: throw .invalid("BDB0506 call implies an access method which is inconsistent with previous calls")
        default: throw BtreeMeta.notABtree(name)
        }
    }

    /// How many of the file's first `count` bytes there are (-1 with errno
    /// set if it cannot be read).
    static func readableBytes(_ path: String, upTo count: Int) -> Int {
        let fd = Glibc.open(path, O_RDONLY)
        guard fd >= 0 else { return -1 }
        defer { Glibc.close(fd) }
        var buffer = [UInt8](repeating: 0, count: count)
        var total = 0
        while total < count {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + total, count - total, off_t(total)) }
            if n < 0 { return -1 }
            if n == 0 { break }
            total += n
        }
        return total
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
        let panicked = environment.needsRecovery
        if panicked {
            // Nothing reaches the file or the log: only recovery may.
            failure = Environment.panicError
        } else {
            if !noSync {
                do { try writeBack(opened) } catch { failure = error }
            }
            // libdb logs the close of a registered file (a dbreg close record).
            do { try environment.logFileClosed(opened.logFileID) } catch { failure = failure ?? error }
        }
        opened.tree.releaseHeldPages()
        do { try opened.file.close() } catch { failure = failure ?? error }
        if let path = opened.temporaryPath { unlink(path) }
        if environment.isPrivate { _ = environment.detachSubsystems() }
        if let failure { throw failure }
    }

    private func writeBack(_ opened: OpenedDatabase) throws(DBError) {
        if environment.log != nil {
            // A checkpoint of the file (Txn/Checkpoint.swift): the log
            // through its cut first, then its pages via the journal.
            try environment.checkpointFile(opened.file.fileId)
        } else {
            try opened.file.sync()
        }
    }

    /// The environment's cache, or a private one for a database created
    /// without an environment. An application environment must be open and
    /// have a memory pool.
    func cacheForOpen() throws(DBError) -> PageCache {
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
        // checkOpenArguments saw to an opened environment with a pool.
        guard let cache = environment.cache else {
            throw .invalid("BDB0595 environment did not include a memory pool")
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
