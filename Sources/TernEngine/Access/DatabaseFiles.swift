// Whole-database operations: DB->truncate, DB->stat, DB->key_range,
// DB->remove / DB->rename and their environment forms DB_ENV->dbremove /
// dbrename (libdb's db_truncate.c, bt_stat.c, db_remove.c, db_rename.c).
//
// Locking rule: truncate and the counts a full stat saves in the meta page
// write the tree, so they hold the file's tree latch exclusively; stat and
// key_range otherwise read under it shared. remove / rename open the file in
// the cache themselves and hold its latch exclusively while they change the
// master database (a named database) — a whole file is unlinked or renamed
// without a latch, as libdb does it with no handle open on it.
//
// In a logged environment truncate is a commit record (kind 6) and remove /
// rename are FileOperation records (Txn/FileOperationRecord.swift), each
// appended in the commit section that makes the change. A change inside a
// file also ends with the log flushed and the file checkpointed, so the
// file on disk holds the new state and replaying the log from the file's
// checkpoint cannot resurrect what was removed or truncated.
import CBerkeleyDB
import Glibc

/// DB->stat's answer for a Btree (DB_BTREE_STAT, field for field).
public struct BtreeStatistics: Sendable, Equatable {
    public var magic: UInt32 = 0x053162          // DB_BTREEMAGIC, as libdb reports it
    public var version: UInt32 = 9               // libdb 5.3's btree version
    public var metaFlags: UInt32 = 0
    public var keys: UInt32 = 0
    public var data: UInt32 = 0
    public var pageCount: UInt32 = 0
    public var pageSize: UInt32 = 0
    public var minKey: UInt32 = 0
    public var recordLength: UInt32 = 0
    public var recordPad: UInt32 = 0x20          // libdb's default re_pad (' ')
    public var levels: UInt32 = 0
    public var internalPages: UInt32 = 0
    public var leafPages: UInt32 = 0
    public var duplicatePages: UInt32 = 0
    public var overflowPages: UInt32 = 0
    public var emptyPages: UInt32 = 0
    public var freePages: UInt32 = 0
    public var internalFree: UInt64 = 0
    public var leafFree: UInt64 = 0
    public var duplicateFree: UInt64 = 0
    public var overflowFree: UInt64 = 0
    public init() {}
}

/// DB->key_range's answer (DB_KEY_RANGE).
public struct KeyRange: Sendable, Equatable {
    public var less: Double
    public var equal: Double
    public var greater: Double
}

extension Btree {
    /// Every page of the tree below (and including) its root, found by a
    /// walk that checks each child's level: nodes and overflow pages.
    struct Census {
        var nodes: [PageNumber] = []
        var overflow: [PageNumber] = []
        var entries = 0
        var stats = BtreeStatistics()
    }

    func census() throws(DBError) -> Census {
        var c = Census()
        // A page budget bounds the walk on a damaged file (a cycle).
        let budget = Int(store.lastPage) + 1
        func visit(_ pgno: PageNumber, level: UInt8?) throws(DBError) {
            guard c.nodes.count + c.overflow.count < budget else { throw .badPage(pgno) }
            let page = try node(pgno)
            defer { release(page) }
            if let level, page.level != level { throw .badPage(pgno) }
            c.nodes.append(pgno)
            if page.isLeaf {
                c.stats.leafPages += 1
                c.stats.leafFree += UInt64(max(page.freeSpace, 0))
                if page.count == 0 && pgno != root { c.stats.emptyPages += 1 }
                c.entries += page.count
            } else {
                c.stats.internalPages += 1
                c.stats.internalFree += UInt64(max(page.freeSpace, 0))
            }
            for i in 0..<page.count {
                let p = try page.parse(i)
                for k in 0..<p.fieldCount where p[k].isOverflow {
                    try walkChain(p[k].pgno, total: p[k].length) { (pg, bytes, _) throws(DBError) -> Bool in
                        c.overflow.append(pg)
                        c.stats.overflowPages += 1
                        c.stats.overflowFree += UInt64(max(overflowCapacity - bytes.count, 0))
                        return true
                    }
                }
                if !page.isLeaf {
                    guard page.level > 1 else { throw .badPage(pgno) }
                    try visit(p.child, level: page.level - 1)
                }
            }
        }
        let top = try node(root)
        c.stats.levels = UInt32(top.level)
        release(top)
        try visit(root, level: nil)
        return c
    }

    /// The pages on the file's free list (page 0's), bounded by the file size.
    func freeListLength() throws(DBError) -> UInt32 {
        let p = try store.pin(0, forWrite: false)
        let head: PageNumber
        do throws(DBError) {
            head = try BtreeMeta.read(p, pageSize: pageSize, lastPage: store.lastPage, name: nil).freeHead
        } catch { store.unpin(0, dirty: false); throw error }
        store.unpin(0, dirty: false)
        var n: UInt32 = 0
        var pgno = head
        while pgno != 0 {
            guard n <= store.lastPage, pgno <= store.lastPage else { throw .badPage(pgno) }
            let q = try store.pin(pgno, forWrite: false)
            let page = BtreePage(raw: q, size: pageSize, pgno: pgno)
            let ok = page.kindByte == PageKind.free.rawValue && page.storedPgno == pgno
            let next = page.next
            store.unpin(pgno, dirty: false)
            guard ok else { throw .badPage(pgno) }
            n += 1
            pgno = next
        }
        return n
    }

    /// This tree's own meta page (page 0, or a named database's).
    func readOwnMeta() throws(DBError) -> BtreeMeta {
        let p = try store.pin(metaPage, forWrite: false)
        defer { store.unpin(metaPage, dirty: false) }
        return try BtreeMeta.read(p, pgno: metaPage, pageSize: pageSize, lastPage: store.lastPage, name: nil)
    }

    /// Saves a full stat's counts in this tree's meta page, where DB_FAST_STAT
    /// finds them (libdb's dbmeta key_count / record_count).
    func saveCounts(keys: UInt32, data: UInt32) throws(DBError) {
        let p = try store.pin(metaPage, forWrite: true)
        do throws(DBError) {
            var m = try BtreeMeta.read(p, pgno: metaPage, pageSize: pageSize, lastPage: store.lastPage, name: nil)
            if m.keyCount == keys && m.recordCount == data { store.unpin(metaPage, dirty: false); return }
            m.keyCount = keys
            m.recordCount = data
            m.write(p, pgno: metaPage, pageSize: pageSize)
        } catch {
            store.unpin(metaPage, dirty: false)
            throw error
        }
        store.unpin(metaPage, dirty: true)
    }

    /// The number of distinct keys, by a cursor that skips duplicates.
    func distinctKeys() throws(DBError) -> Int {
        let c = cursor()
        var n = 0
        var op = BtreeGetOp.first
        while true {
            do throws(DBError) {
                try c.get(op) { (_, _) throws(DBError) in () }
            } catch where error.code == DB_NOTFOUND {
                return n
            }
            n += 1
            op = .nextNoDup
        }
    }

    /// The record count a DB_RECNUM tree keeps at its root.
    func rootRecordCount() throws(DBError) -> UInt32 {
        let page = try node(root)
        defer { release(page) }
        if page.isLeaf { return UInt32(page.count) }
        var total: UInt32 = 0
        for i in 0..<page.count { total &+= try page.subtreeCount(i) }
        return total
    }

    /// libdb's metadata flags (BTM_DUP 0x01, BTM_RECNUM 0x04, BTM_SUBDB
    /// 0x20, BTM_DUPSORT 0x40) for this tree.
    var libdbMetaFlags: UInt32 {
        var f: UInt32 = 0
        if flags.contains(.dup) { f |= 0x01 }
        if flags.contains(.recnum) { f |= 0x04 }
        if flags.contains(BtreeFlags.subdatabases) { f |= 0x20 }
        if flags.contains(.dupSort) { f |= 0x40 }
        return f
    }

    /// DB->stat. A full stat walks the tree and, when `saveCounts`, stores the
    /// key and data counts in the meta page; DB_FAST_STAT (`fast`) returns the
    /// stored counts, except a DB_RECNUM tree's key count, which its root
    /// keeps exactly (ndata stays the stored one, as in libdb).
    public func statistics(fast: Bool, saveCounts save: Bool) throws(DBError) -> BtreeStatistics {
        var s: BtreeStatistics
        let meta = try readOwnMeta()
        if fast {
            s = BtreeStatistics()
            s.keys = recnum ? try rootRecordCount() : meta.keyCount
            s.data = meta.recordCount
        } else {
            let c = try census()
            s = c.stats
            s.freePages = try freeListLength()
            s.data = UInt32(truncatingIfNeeded: c.entries)
            s.keys = hasDups ? UInt32(truncatingIfNeeded: try distinctKeys()) : s.data
            if save { try saveCounts(keys: s.keys, data: s.data) }
        }
        s.metaFlags = libdbMetaFlags
        s.minKey = meta.minKey
        s.pageCount = store.lastPage + 1
        s.pageSize = UInt32(truncatingIfNeeded: pageSize)
        return s
    }

    /// Empties the tree: every page but its root (and meta) goes to the free
    /// list and the root becomes an empty leaf. Returns the number of
    /// records (data items, duplicates counted) it held.
    public func truncate() throws(DBError) -> UInt32 {
        let c = try census()
        for pgno in c.nodes where pgno != root { try freePage(pgno) }
        for pgno in c.overflow { try freePage(pgno) }
        let page = BtreePage(raw: try store.pin(root, forWrite: true), size: pageSize, pgno: root)
        page.format(.leaf, level: 1)
        store.unpin(root, dirty: true)
        return UInt32(truncatingIfNeeded: c.entries)
    }

    /// DB->key_range: the proportions of keys less than, equal to and
    /// greater than `key`, estimated from the descent as libdb's
    /// __bam_key_range does — each level splits the remaining share evenly
    /// among its slots. Exact for a single leaf; monotonic along key order.
    public func keyRange(_ key: UnsafeRawBufferPointer) throws(DBError) -> KeyRange {
        let probe = Probe(key: key)
        var less = 0.0
        var factor = 1.0
        var page = try node(root)
        var level = page.level
        while !page.isLeaf {
            let n = page.count
            let slot: Int
            let child: PageNumber
            do throws(DBError) {
                slot = try childSlot(page, probe)
                child = try page.child(slot)
            } catch { release(page); throw error }
            release(page)
            less += factor * Double(slot) / Double(n)
            factor /= Double(n)
            page = try node(child)
            guard page.level == level - 1 else { release(page); throw .badPage(child) }
            level = page.level
        }
        defer { release(page) }
        let n = page.count
        guard n > 0 else { return KeyRange(less: less, equal: 0, greater: max(0, 1 - less)) }
        let lb = try lowerBound(page, probe)
        var equalCount = 0
        var i = lb
        while i < n, try keyEquals(page, page.parse(i), key) {
            equalCount += 1
            i += 1
        }
        less += factor * Double(lb) / Double(n)
        let equal = factor * Double(equalCount) / Double(n)
        return KeyRange(less: less, equal: equal, greater: max(0, 1 - less - equal))
    }
}

extension Database {
    /// After a structural change: the file on disk holds it (see the header).
    func persist(_ file: CacheFile) throws(DBError) {
        if environment.log != nil {
            try environment.checkpointFile(file.fileId)
        } else {
            try file.sync()
        }
    }

    /// DB->truncate (libdb's __db_truncate_pp): DB_AUTO_COMMIT is stripped,
    /// any other flag is illegal; a read-only handle refuses.
    public func truncate(flags: UInt32, transaction: Transaction? = nil) throws(DBError) -> UInt32 {
        let o = try openTree("DB->truncate")
        if flags & ~UInt32(DB_AUTO_COMMIT) != 0 { throw .illegalFlag("DB->truncate") }
        try requireWritable("DB->truncate")
        if let transaction {
            // Deferred like any write: every live item becomes a tombstone
            // in the transaction's write set.
            try checkTransaction(transaction)
            try transaction.requireActive("DB->truncate")
            try transaction.lockDatabase(o, write: true)
            let c = MergedCursor(opened: o, txn: transaction)
            var count: UInt32 = 0
            var k = try c.nextKey(after: nil)
            while let key = k {
                var (stored, items) = try c.items(key)
                for i in items.indices where !items[i].deleted {
                    items[i].deleted = true
                    count += 1
                }
                try transaction.setEntry(o, stored, WriteEntry(items: items))
                k = try c.nextKey(after: stored)
            }
            return count
        }
        o.latch.lockExclusive()
        defer { o.latch.unlock() }
        guard let log = environment.log else { return try o.tree.truncate() }
        // Through the commit path like any write: logged, then applied.
        let env = environment
        let (count, lsn) = try env.commitSection { () throws(DBError) -> (UInt32, LSN) in
            let op = CommitRecord.Operation(kind: .truncate, fileID: o.logFileID, key: [], data: [], before: nil)
            let lsn = try env.appendCommit(CommitRecord(transactionID: 0, operations: [op]), to: log)
            return (try o.tree.truncate(), lsn)
        }
        try log.commit(lsn, mode: env.defaultCommitMode)
        return count
    }

    /// DB->stat for a Btree (libdb's __db_stat_pp / __bam_stat).
    public func statistics(flags: UInt32, transaction: Transaction? = nil) throws(DBError) -> BtreeStatistics {
        let o = try openTree("DB->stat")
        try checkTransaction(transaction)
        let op = flags & ~UInt32(DB_READ_COMMITTED | DB_READ_UNCOMMITTED)
        guard op == 0 || op == UInt32(DB_FAST_STAT) else { throw .illegalFlag("DB->stat") }
        let fast = op == UInt32(DB_FAST_STAT)
        // A full stat writes its counts to the meta page unless read-only.
        let save = !fast && !isReadOnly
        if save { o.latch.lockExclusive() } else { o.latch.lockShared() }
        defer { o.latch.unlock() }
        // Saving the counts writes the meta page: a commit section.
        var s = save && transaction == nil ? try environment.commitSection { () throws(DBError) -> BtreeStatistics in
            try o.tree.statistics(fast: fast, saveCounts: true)
        } : try o.tree.statistics(fast: fast, saveCounts: false)
        s.recordPad = UInt32(bitPattern: config.rePad)
        if let transaction, !fast, transaction.hasWrites(o) {
            // Counted in the transaction's view (libdb's pages hold its
            // uncommitted writes; Tern's write sets do).
            o.latch.unlock()
            defer { o.latch.lockShared() }
            let c = MergedCursor(opened: o, txn: transaction)
            var keys: UInt32 = 0, data: UInt32 = 0
            var k = try c.nextKey(after: nil)
            while let key = k {
                let (stored, items) = try c.items(key)
                keys += 1
                data += UInt32(items.reduce(0) { $0 + ($1.deleted ? 0 : 1) })
                k = try c.nextKey(after: stored)
            }
            s.keys = keys
            s.data = data
        }
        return s
    }

    /// DB->key_range (libdb's __db_key_range_pp): flags must be 0.
    public func keyRange(key: UnsafeRawBufferPointer, flags: UInt32,
                         transaction: Transaction? = nil) throws(DBError) -> KeyRange {
        let o = try openTree("DB->key_range")
        if flags != 0 { throw .illegalFlag("DB->key_range") }
        try checkTransaction(transaction)
        var range: KeyRange
        do {
            o.latch.lockShared()
            defer { o.latch.unlock() }
            range = try o.tree.keyRange(key)
        }
        if let transaction, transaction.hasWrites(o), let e = try transaction.entry(o, Array(key)) {
            // The key's own share follows the transaction's view of it.
            let live = e.items.contains { !$0.deleted }
            if live && range.equal == 0 {
                range.equal = min(range.greater, 0.01)
                range.greater -= range.equal
            } else if !live && range.equal != 0 {
                range.greater += range.equal
                range.equal = 0
            }
        }
        return range
    }

    /// The checks DB->remove and DB->rename make before they consume the
    /// handle (libdb's __db_remove_pp / __db_rename_pp return early, leaving
    /// the handle alive, when these fail): not after open, known flags only.
    public func checkFileCall(_ method: String, flags: UInt32) throws(DBError) {
        if phase != .created { throw .illegalAfterOpen(method) }
        if flags & ~UInt32(DB_NOSYNC) != 0 { throw .illegalFlag(method) }
    }

    /// DB->verify (libdb's __db_verify_pp) on an unopened handle, which the
    /// caller then destroys: every invariant of every tree in the file
    /// (BtreeVerify.swift). A broken file is DB_VERIFY_BAD with what broke;
    /// DB_SALVAGE (dumping what can be read) is not built.
    public func verify(file: String?, database: String?, flags: UInt32) throws(DBError) {
        let method = "DB->verify"
        if phase != .created { throw .illegalAfterOpen(method) }
        let allowed = UInt32(DB_AGGRESSIVE | DB_NOORDERCHK | DB_ORDERCHKONLY | DB_PRINTABLE | DB_SALVAGE)
        if flags & ~allowed != 0 { throw .illegalFlag(method) }
        if flags & UInt32(DB_SALVAGE) != 0 { throw .notSupported("DB->verify with DB_SALVAGE") }
        guard let file else { throw .invalid("BDB0529 Verification of in-memory databases is not supported") }
        let path = resolvePath(file, creating: false)
        guard access(path, F_OK) == 0 else {
            let e = errno
            throw DBError(e, "\(path): \(String(cString: strerror(e)))")
        }
        do {
            try withFile(path: path, name: file) { (store) throws(DBError) in
                _ = try Btree.verifyFile(store: store)
            }
        } catch where error.code != ENOENT && error.code != ENOMEM {
            throw DBError(DB_VERIFY_BAD, error.message ?? "BDB0532 DB->verify: \(file): DB_VERIFY_BAD: Database verification failed")
        }
    }

    /// DB->remove after checkFileCall; the caller then destroys the handle.
    public func remove(file: String?, database: String?) throws(DBError) {
        try removeDatabase(file: file, database: database)
    }

    /// DB->rename after checkFileCall; the caller then destroys the handle.
    public func rename(file: String?, database: String?, newName: String) throws(DBError) {
        try renameDatabase(file: file, database: database, newName: newName)
    }

    /// libdb's __db_remove_int: a whole file is unlinked; a named database
    /// loses its pages and its entry in the master. A missing file or name is
    /// ENOENT without a message, as libdb's.
    func removeDatabase(file: String?, database: String?) throws(DBError) {
        guard let file else {
            if database == nil { throw .invalid("BDB0691 Remove on temporary files invalid") }
            throw DBError(ENOENT)   // named in-memory databases live only in their handle
        }
        let path = resolvePath(file, creating: false)
        guard access(path, F_OK) == 0 else { throw DBError(ENOENT) }
        guard let database else {
            try environment.loggingFileOperation(FileOperation(kind: .remove, path: path, databaseName: "")) {
                () throws(DBError) in
                if unlink(path) != 0 { let e = errno; throw DBError(e, "\(path): \(String(cString: strerror(e)))") }
            }
            return
        }
        try withFile(path: path, name: file,
                     logging: FileOperation(kind: .remove, path: path, databaseName: database)) { (store) throws(DBError) in
            try Btree.removeSubdatabase(store: store, name: Array(database.utf8), fileName: file)
        }
    }

    /// libdb's __db_rename_int: a whole file is renamed within its
    /// directory; a named database changes its master entry (EEXIST when the
    /// new name is taken).
    func renameDatabase(file: String?, database: String?, newName: String) throws(DBError) {
        guard let file else {
            if database == nil { throw .invalid("BDB0503 Rename on temporary files invalid") }
            throw DBError(ENOENT)
        }
        let path = resolvePath(file, creating: false)
        guard access(path, F_OK) == 0 else { throw DBError(ENOENT) }
        guard let database else {
            // A relative new name goes in the home and data directory the
            // old name was found in (libdb resolves it with the directory it
            // found the old one in; none for an absolute old name).
            let newPath: String
            if newName.hasPrefix("/") {
                newPath = newName
            } else if !file.hasPrefix("/") && path.hasSuffix(file) {
                newPath = String(path.dropLast(file.utf8.count)) + newName
            } else {
                newPath = resolvePath(newName, creating: false)
            }
            try environment.loggingFileOperation(FileOperation(kind: .rename, path: path, databaseName: "",
                                                               newName: newPath)) { () throws(DBError) in
                if Glibc.rename(path, newPath) != 0 {
                    let e = errno
                    throw DBError(e, "\(newPath): \(String(cString: strerror(e)))")
                }
            }
            return
        }
        try withFile(path: path, name: file,
                     logging: FileOperation(kind: .rename, path: path, databaseName: database,
                                            newName: newName)) { (store) throws(DBError) in
            try Btree.renameSubdatabase(store: store, name: Array(database.utf8), to: Array(newName.utf8),
                                        fileName: file)
        }
    }

    /// Opens `path` in the cache (the environment's, or a private one for a
    /// handle without an environment), runs `body` under the file's latch
    /// held exclusively, persists and closes it.
    func withFile(path: String, name: String, logging operation: FileOperation? = nil,
                  _ body: (CacheFile) throws(DBError) -> Void) throws(DBError) {
        let cache = try cacheForOpen()
        defer { if environment.isPrivate { _ = environment.detachSubsystems() } }
        let pageSize = try Btree.recordedPageSize(path: path, name: name) ?? 4096
        let file = try cache.openFile(path: path, pageSize: pageSize, create: false,
                                      mode: environment.log != nil ? .logged : .inPlace)
        var failure: DBError?
        do throws(DBError) {
            let latch = try Self.latch(for: file, in: cache.region)
            latch.lockExclusive()
            defer { latch.unlock() }
            if let operation {
                try environment.loggingFileOperation(operation) { () throws(DBError) in try body(file) }
            } else {
                try environment.commitSection { () throws(DBError) in try body(file) }
            }
            try persist(file)
        } catch {
            failure = error
        }
        do { try file.close() } catch { failure = failure ?? error }
        if let failure { throw failure }
    }
}

extension Environment {
    /// The checks DB_ENV->dbremove / dbrename make before they act
    /// (__env_dbremove_pp / __env_dbrename_pp). `hasTransaction`: the
    /// caller passed a DB_TXN.
    func checkDatabaseFileCall(_ method: String, flagsMethod: String, flags: UInt32,
                               hasTransaction: Bool) throws(DBError) {
        try requireOpened(method)
        let allowed = UInt32(DB_AUTO_COMMIT | DB_LOG_NO_DATA | DB_NOSYNC | DB_TXN_NOT_DURABLE)
        if flags & ~allowed != 0 { throw .illegalFlag(flagsMethod) }
        let autoCommit = flags & UInt32(DB_AUTO_COMMIT) != 0
            || (!hasTransaction && config.flags & UInt32(DB_AUTO_COMMIT) != 0)
        if autoCommit && !hasTransaction && !isOn(.txn) {
            throw .invalid("BDB0633 DB_AUTO_COMMIT may not be specified in non-transactional environment")
        }
    }

    /// DB_ENV->dbremove: the file or named database goes.
    public func removeDatabase(file: String?, database: String?, flags: UInt32,
                               transaction: Transaction? = nil) throws(DBError) {
        try checkDatabaseFileCall("DB_ENV->dbremove", flagsMethod: "DB->remove", flags: flags,
                                  hasTransaction: transaction != nil)
        guard let transaction else {
            try Database(environment: self).removeDatabase(file: file, database: database)
            if isOn(.txn) && (flags & UInt32(DB_AUTO_COMMIT) != 0 || config.flags & UInt32(DB_AUTO_COMMIT) != 0) {
                noteInternalTransactions(2, committed: true)
            }
            return
        }
        // In a transaction the file goes at commit (an abort keeps it).
        try transaction.requireActive("DB_ENV->dbremove")
        try Database(environment: self).checkExists(file: file)
        transaction.onCommit.append {
            try Database(environment: self).removeDatabase(file: file, database: database)
        }
    }

    /// DB_ENV->dbrename: the file or named database takes `newName`.
    public func renameDatabase(file: String?, database: String?, newName: String, flags: UInt32,
                               transaction: Transaction? = nil) throws(DBError) {
        try checkDatabaseFileCall("DB_ENV->dbrename", flagsMethod: "DB->rename", flags: flags,
                                  hasTransaction: transaction != nil)
        guard let transaction else {
            try Database(environment: self).renameDatabase(file: file, database: database, newName: newName)
            if isOn(.txn) && (flags & UInt32(DB_AUTO_COMMIT) != 0 || config.flags & UInt32(DB_AUTO_COMMIT) != 0) {
                noteInternalTransactions(2, committed: true)
            }
            return
        }
        try transaction.requireActive("DB_ENV->dbrename")
        try Database(environment: self).checkExists(file: file)
        transaction.onCommit.append {
            try Database(environment: self).renameDatabase(file: file, database: database, newName: newName)
        }
    }
}

extension Database {
    /// DB->stat_print (libdb's __db_stat_print / __bam_stat_print): the lines
    /// libdb writes to the message channel. DB_STAT_ALL adds libdb's dump of
    /// handle internals, which Tern does not reproduce.
    public func statPrintLines(flags: UInt32) throws(DBError) -> [String] {
        _ = try openTree("DB->stat_print")
        if flags & ~UInt32(DB_FAST_STAT | DB_STAT_ALL) != 0 { throw .illegalFlag("DB->stat_print") }
        if flags & UInt32(DB_STAT_ALL) != 0 { throw .notSupported("DB->stat_print with DB_STAT_ALL") }
        let s = try statistics(flags: flags & UInt32(DB_FAST_STAT))
        var lines: [String] = []
        var now = time(nil)
        var buffer = [CChar](repeating: 0, count: 32)
        let stamp = buffer.withUnsafeMutableBufferPointer { b -> String in
            guard ctime_r(&now, b.baseAddress!) != nil else { return "" }
            return String(decoding: b.prefix(24).prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        lines.append("\(stamp)\tLocal time")
        lines.append("\(String(s.magic, radix: 16))\tBtree magic number")
        lines.append("\(s.version)\tBtree version number")
        lines.append("Little-endian\tByte order")
        let names: [(UInt32, String)] = [(0x01, "duplicates"), (0x02, "recno"), (0x04, "record-numbers"),
                                         (0x08, "fixed-length"), (0x10, "renumber"), (0x20, "multiple-databases"),
                                         (0x40, "sorted duplicates"), (0x80, "compressed")]
        let set = names.filter { s.metaFlags & $0.0 != 0 }.map { $0.1 }
        lines.append(set.joined(separator: ", ") + "\tFlags")
        func dl(_ msg: String, _ value: UInt64) {
            lines.append(value < 10_000_000 ? "\(value)\t\(msg)" : "\(value / 1_000_000)M\t\(msg) (\(value))")
        }
        func dlPct(_ msg: String, _ value: UInt64, pages: UInt32) {
            // libdb's DB_PCT_PG: the fill factor of those pages.
            let pct = pages == 0 ? 0 : Int(100 - Double(value) * 100 / (Double(pages) * Double(s.pageSize)))
            let head = value < 10_000_000 ? "\(value)\t\(msg)" : "\((value + 500_000) / 1_000_000)M\t\(msg)"
            lines.append("\(head) (\(pct)% ff)")
        }
        dl("Minimum keys per-page", UInt64(s.minKey))
        dl("Underlying database page size", UInt64(s.pageSize))
        // libdb's B_MINKEY_TO_OVFLSIZE for its own page layout.
        let minKey = max(Int(s.minKey), 2)
        dl("Overflow key/data size", UInt64(max((Int(s.pageSize) - 26) / (minKey * 2) - 10, 0)))
        dl("Number of levels in the tree", UInt64(s.levels))
        dl("Number of unique keys in the tree", UInt64(s.keys))
        dl("Number of data items in the tree", UInt64(s.data))
        dl("Number of tree internal pages", UInt64(s.internalPages))
        dlPct("Number of bytes free in tree internal pages", s.internalFree, pages: s.internalPages)
        dl("Number of tree leaf pages", UInt64(s.leafPages))
        dlPct("Number of bytes free in tree leaf pages", s.leafFree, pages: s.leafPages)
        dl("Number of tree duplicate pages", UInt64(s.duplicatePages))
        dlPct("Number of bytes free in tree duplicate pages", s.duplicateFree, pages: s.duplicatePages)
        dl("Number of tree overflow pages", UInt64(s.overflowPages))
        dlPct("Number of bytes free in tree overflow pages", s.overflowFree, pages: s.overflowPages)
        dl("Number of empty pages", UInt64(s.emptyPages))
        dl("Number of pages on the free list", UInt64(s.freePages))
        return lines
    }
}
