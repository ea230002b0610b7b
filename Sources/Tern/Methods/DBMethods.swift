// DB methods Tern implements: the configuration methods and their getters,
// close, and the channel methods. Each closure converts C arguments, calls
// the engine (Database, DatabaseConfiguring.swift, which holds every check)
// and turns a thrown DBError into libdb's return code and error text.
//
// Methods libdb forwards to the environment (cache size, encryption,
// allocators, panic call) are allowed only on a DB with a private
// environment ("method not permitted when environment specified"), then
// call the private DB_ENV's own method pointer, as libdb calls its env code.
import CBerkeleyDB
import Glibc
import TernEngine

enum DBMethods {
    static func install(_ h: UnsafeMutablePointer<DB>) {
        installLifecycle(h)
        installChannels(h)
        installGeneral(h)
        installEnvironmentForwarders(h)
        installBtree(h)
        installHash(h)
        installRecnoQueueHeap(h)
        installPartitions(h)
        DBDataMethods.install(h)
        DBFileMethods.install(h)
    }

    // MARK: - Plumbing

    /// Runs `body` on the handle's Database; a thrown error is reported on the
    /// handle's environment and returned. (Generic over the thrown type, as
    /// HandleCall.run: the closure may be `throws(DBError)` or untyped.)
    static func call<Failure: Error>(_ dbp: UnsafeMutablePointer<DB>?, _ body: (Database) throws(Failure) -> Void) -> Int32 {
        guard let dbp else { return EINVAL }
        return HandleCall.run(HandleSlot.box(dbp).database, reportingTo: UnsafePointer(dbp.pointee.dbenv), body)
    }

    /// libdb's DB_ILLEGAL_IN_ENV: true when the DB has its own private
    /// environment; otherwise reports BDB1564 and stores the code in `ret`.
    static func privateEnvironment(_ dbp: UnsafeMutablePointer<DB>, _ method: String,
                                   _ ret: inout Int32) -> UnsafeMutablePointer<DB_ENV>? {
        let dbenv = dbp.pointee.dbenv!
        if HandleSlot.box(dbenv).isPrivateToDB { return dbenv }
        ret = ErrorChannel.report(UnsafePointer(dbenv), .illegalWithEnvironment(method))
        return nil
    }

    /// The C copy of `value` kept in the box under `key`: the same pointer
    /// while the value is unchanged, as libdb's getters return its own copy.
    static func keptCString(_ box: DBBox, _ key: String, _ value: String?) -> UnsafeMutablePointer<CChar>? {
        if let kept = box.cStrings.get(key), let value, String(cString: kept) == value { return kept }
        return box.cStrings.set(key, value)
    }

    static func cRoutine<F>(_ r: Routine<F>, builtIn: F?) -> F? {
        switch r {
        case .none: return nil
        case .builtIn: return builtIn
        case .custom(let f): return f
        }
    }

    // MARK: - Lifecycle

    static func installLifecycle(_ h: UnsafeMutablePointer<DB>) {
        h.pointee.get_env = { dbp in dbp?.pointee.dbenv }
        h.pointee.get_mpf = { dbp in dbp?.pointee.mpf }
        // A destructor: a flag error is reported, the handle is freed anyway.
        h.pointee.close = { dbp, flags in
            guard let dbp else { return EINVAL }
            var ret: Int32 = 0
            if flags != 0 && flags != UInt32(DB_NOSYNC) {
                ret = ErrorChannel.report(UnsafePointer(dbp.pointee.dbenv), .illegalFlag("DB->close"))
            }
            do throws(DBError) {
                try HandleSlot.box(dbp).database.close(noSync: flags == UInt32(DB_NOSYNC))
            } catch {
                let code = ErrorChannel.report(UnsafePointer(dbp.pointee.dbenv), error)
                if ret == 0 { ret = code }
            }
            DBHandle.destroy(dbp)
            return ret
        }
    }

    static func installChannels(_ h: UnsafeMutablePointer<DB>) {
        h.pointee.set_errcall = { dbp, f in dbp?.pointee.dbenv.pointee.set_errcall(dbp?.pointee.dbenv, f) }
        h.pointee.get_errcall = { dbp, out in dbp?.pointee.dbenv.pointee.get_errcall(dbp?.pointee.dbenv, out) }
        h.pointee.set_errfile = { dbp, f in dbp?.pointee.dbenv.pointee.set_errfile(dbp?.pointee.dbenv, f) }
        h.pointee.get_errfile = { dbp, out in dbp?.pointee.dbenv.pointee.get_errfile(dbp?.pointee.dbenv, out) }
        h.pointee.set_errpfx = { dbp, p in dbp?.pointee.dbenv.pointee.set_errpfx(dbp?.pointee.dbenv, p) }
        h.pointee.get_errpfx = { dbp, out in dbp?.pointee.dbenv.pointee.get_errpfx(dbp?.pointee.dbenv, out) }
        h.pointee.set_msgcall = { dbp, f in dbp?.pointee.dbenv.pointee.set_msgcall(dbp?.pointee.dbenv, f) }
        h.pointee.get_msgcall = { dbp, out in dbp?.pointee.dbenv.pointee.get_msgcall(dbp?.pointee.dbenv, out) }
        h.pointee.set_msgfile = { dbp, f in dbp?.pointee.dbenv.pointee.set_msgfile(dbp?.pointee.dbenv, f) }
        h.pointee.get_msgfile = { dbp, out in dbp?.pointee.dbenv.pointee.get_msgfile(dbp?.pointee.dbenv, out) }
    }

    // MARK: - General configuration and open-time facts

    static func installGeneral(_ h: UnsafeMutablePointer<DB>) {
        h.pointee.set_flags = { dbp, flags in DBMethods.call(dbp) { try $0.setFlags(flags) } }
        h.pointee.get_flags = { dbp, out in DBMethods.call(dbp) { out?.pointee = $0.publicFlags } }
        h.pointee.set_pagesize = { dbp, size in DBMethods.call(dbp) { try $0.setPageSize(size) } }
        h.pointee.get_pagesize = { dbp, out in DBMethods.call(dbp) { out?.pointee = $0.config.pageSize } }
        h.pointee.set_lorder = { dbp, order in DBMethods.call(dbp) { try $0.setByteOrder(order) } }
        h.pointee.get_lorder = { dbp, out in DBMethods.call(dbp) { out?.pointee = $0.byteOrder } }
        h.pointee.set_priority = { dbp, priority in DBMethods.call(dbp) { $0.setPriority(priority) } }
        h.pointee.get_priority = { dbp, out in DBMethods.call(dbp) { out?.pointee = $0.priority } }
        h.pointee.set_feedback = { dbp, f in DBMethods.call(dbp) { $0.config.feedback = f } }
        h.pointee.get_feedback = { dbp, out in DBMethods.call(dbp) { out?.pointee = $0.config.feedback } }
        h.pointee.set_lk_exclusive = { dbp, noWait in DBMethods.call(dbp) { try $0.setExclusiveLocking(noWait: noWait != 0) } }
        h.pointee.get_lk_exclusive = { dbp, on, noWait in
            DBMethods.call(dbp) {
                on?.pointee = $0.config.flags.contains(.exclusive) ? 1 : 0
                noWait?.pointee = $0.config.flags.contains(.exclusiveNoWait) ? 1 : 0
            }
        }
        h.pointee.set_append_recno = { dbp, f in DBMethods.call(dbp) { try $0.setAppendRecno(f) } }
        h.pointee.get_append_recno = { dbp, out in
            DBMethods.call(dbp) {
                let f = try $0.appendRecno()
                out?.pointee = f
            }
        }
        h.pointee.set_create_dir = { dbp, dir in
            DBMethods.call(dbp) { try $0.setCreateDirectory(dir.map { String(cString: $0) } ?? "") }
        }
        h.pointee.get_create_dir = { dbp, out in
            guard let dbp else { return EINVAL }
            out?.pointee = UnsafePointer(DBMethods.keptCString(HandleSlot.box(dbp), "create_dir",
                                                                HandleSlot.box(dbp).database.config.createDirectory))
            return 0
        }

        // Facts open establishes: refused before open, as libdb's.
        h.pointee.get_type = { dbp, out in
            DBMethods.call(dbp) {
                try $0.requireOpened("DB->get_type")
                out?.pointee = $0.type
            }
        }
        h.pointee.get_dbname = { dbp, fname, dname in
            guard let dbp else { return EINVAL }
            let box = HandleSlot.box(dbp)
            return DBMethods.call(dbp) {
                try $0.requireOpened("DB->get_dbname")
                fname?.pointee = UnsafePointer(box.cStrings.set("fname", $0.fileName))
                dname?.pointee = UnsafePointer(box.cStrings.set("dname", $0.databaseName))
            }
        }
        h.pointee.get_open_flags = { dbp, out in
            DBMethods.call(dbp) {
                try $0.requireOpened("DB->get_open_flags")
                out?.pointee = $0.openFlags
            }
        }
        h.pointee.get_byteswapped = { dbp, out in
            DBMethods.call(dbp) {
                try $0.requireOpened("DB->get_byteswapped")
                out?.pointee = $0.config.flags.contains(.swap) ? 1 : 0
            }
        }
        // Secondary indices are not built: an opened handle has no
        // association flags.
        h.pointee.get_assoc_flags = { dbp, out in
            DBMethods.call(dbp) {
                try $0.requireOpened("DB->get_assoc_flags")
                out?.pointee = 0
            }
        }
        // Returns EINVAL (after reporting) before open, like libdb; after
        // open, 1 only for the master database of a multi-database file,
        // which Tern does not build yet.
        h.pointee.get_multiple = { dbp in
            DBMethods.call(dbp) { try $0.requireOpened("DB->get_multiple") }
        }
        h.pointee.get_transactional = { dbp in
            guard let dbp else { return 0 }
            return HandleSlot.box(dbp).database.transactional ? 1 : 0
        }
    }

    // MARK: - Forwarded to the private environment

    static func installEnvironmentForwarders(_ h: UnsafeMutablePointer<DB>) {
        h.pointee.set_cachesize = { dbp, gbytes, bytes, ncache in
            guard let dbp else { return EINVAL }
            var ret: Int32 = 0
            guard let dbenv = DBMethods.privateEnvironment(dbp, "DB->set_cachesize", &ret) else { return ret }
            ret = DBMethods.call(dbp) { try $0.requireNotOpened("DB->set_cachesize") }
            return ret != 0 ? ret : dbenv.pointee.set_cachesize(dbenv, gbytes, bytes, ncache)
        }
        h.pointee.get_cachesize = { dbp, gbytes, bytes, ncache in
            guard let dbp else { return EINVAL }
            var ret: Int32 = 0
            guard let dbenv = DBMethods.privateEnvironment(dbp, "DB->get_cachesize", &ret) else { return ret }
            return dbenv.pointee.get_cachesize(dbenv, gbytes, bytes, ncache)
        }
        // A password turns on DB_ENCRYPT for this database.
        h.pointee.set_encrypt = { dbp, passwd, flags in
            guard let dbp else { return EINVAL }
            var ret: Int32 = 0
            guard let dbenv = DBMethods.privateEnvironment(dbp, "DB->set_encrypt", &ret) else { return ret }
            ret = DBMethods.call(dbp) { try $0.requireNotOpened("DB->set_encrypt") }
            if ret == 0 { ret = dbenv.pointee.set_encrypt(dbenv, passwd, flags) }
            return ret != 0 ? ret : DBMethods.call(dbp) { try $0.setFlags(UInt32(DB_ENCRYPT)) }
        }
        h.pointee.get_encrypt_flags = { dbp, out in
            guard let dbp else { return EINVAL }
            var ret: Int32 = 0
            guard let dbenv = DBMethods.privateEnvironment(dbp, "DB->get_encrypt_flags", &ret) else { return ret }
            return dbenv.pointee.get_encrypt_flags(dbenv, out)
        }
        h.pointee.set_alloc = { dbp, m, r, f in
            guard let dbp else { return EINVAL }
            var ret: Int32 = 0
            guard let dbenv = DBMethods.privateEnvironment(dbp, "DB->set_alloc", &ret) else { return ret }
            ret = DBMethods.call(dbp) { try $0.requireNotOpened("DB->set_alloc") }
            return ret != 0 ? ret : dbenv.pointee.set_alloc(dbenv, m, r, f)
        }
        h.pointee.get_alloc = { dbp, m, r, f in
            guard let dbp else { return EINVAL }
            var ret: Int32 = 0
            guard let dbenv = DBMethods.privateEnvironment(dbp, "DB->get_alloc", &ret) else { return ret }
            return dbenv.pointee.get_alloc(dbenv, m, r, f)
        }
        // Allowed in any environment: it sets the environment's panic call.
        h.pointee.set_paniccall = { dbp, f in
            guard let dbenv = dbp?.pointee.dbenv else { return EINVAL }
            return dbenv.pointee.set_paniccall(dbenv, f)
        }
    }

    // MARK: - Btree

    static func installBtree(_ h: UnsafeMutablePointer<DB>) {
        h.pointee.set_bt_minkey = { dbp, n in DBMethods.call(dbp) { try $0.setBtreeMinKey(n) } }
        h.pointee.get_bt_minkey = { dbp, out in DBMethods.call(dbp) { out?.pointee = try $0.btreeMinKey() } }
        h.pointee.set_bt_compare = { dbp, f in DBMethods.call(dbp) { try $0.setBtreeCompare(f) } }
        h.pointee.get_bt_compare = { dbp, out in
            DBMethods.call(dbp) {
                let r = try $0.btreeCompare()
                out?.pointee = DBMethods.cRoutine(r, builtIn: DefaultRoutines.compare)
            }
        }
        h.pointee.set_bt_prefix = { dbp, f in DBMethods.call(dbp) { try $0.setBtreePrefix(f) } }
        h.pointee.get_bt_prefix = { dbp, out in
            DBMethods.call(dbp) {
                let r = try $0.btreePrefix()
                out?.pointee = DBMethods.cRoutine(r, builtIn: DefaultRoutines.prefix)
            }
        }
        h.pointee.set_dup_compare = { dbp, f in DBMethods.call(dbp) { try $0.setDuplicateCompare(f) } }
        h.pointee.get_dup_compare = { dbp, out in
            DBMethods.call(dbp) {
                let r = try $0.duplicateCompare()
                out?.pointee = DBMethods.cRoutine(r, builtIn: DefaultRoutines.compare)
            }
        }
        h.pointee.set_bt_compress = { dbp, c, d in DBMethods.call(dbp) { try $0.setBtreeCompress(c, d) } }
        // libdb's default (de)compression routines are not built yet: after
        // set_bt_compress(NULL, NULL) the getter answers NULL where libdb
        // returns its own routines.
        h.pointee.get_bt_compress = { dbp, c, d in
            DBMethods.call(dbp) {
                let (compress, decompress) = try $0.btreeCompress()
                c?.pointee = DBMethods.cRoutine(compress, builtIn: nil)
                d?.pointee = DBMethods.cRoutine(decompress, builtIn: nil)
            }
        }
    }

    // MARK: - Hash

    static func installHash(_ h: UnsafeMutablePointer<DB>) {
        h.pointee.set_h_ffactor = { dbp, n in DBMethods.call(dbp) { try $0.setHashFillFactor(n) } }
        h.pointee.get_h_ffactor = { dbp, out in DBMethods.call(dbp) { out?.pointee = $0.config.hFillFactor } }
        h.pointee.set_h_nelem = { dbp, n in DBMethods.call(dbp) { try $0.setHashElements(n) } }
        h.pointee.get_h_nelem = { dbp, out in DBMethods.call(dbp) { out?.pointee = try $0.hashElements() } }
        h.pointee.set_h_hash = { dbp, f in DBMethods.call(dbp) { try $0.setHashFunction(f) } }
        h.pointee.get_h_hash = { dbp, out in
            DBMethods.call(dbp) {
                let f = try $0.hashFunction()
                out?.pointee = f
            }
        }
        h.pointee.set_h_compare = { dbp, f in DBMethods.call(dbp) { try $0.setHashCompare(f) } }
        h.pointee.get_h_compare = { dbp, out in
            DBMethods.call(dbp) {
                let f = try $0.hashCompare()
                out?.pointee = f
            }
        }
    }

    // MARK: - Recno, Queue, Heap

    static func installRecnoQueueHeap(_ h: UnsafeMutablePointer<DB>) {
        h.pointee.set_re_delim = { dbp, c in DBMethods.call(dbp) { try $0.setRecordDelimiter(c) } }
        h.pointee.get_re_delim = { dbp, out in DBMethods.call(dbp) { out?.pointee = try $0.recordDelimiter() } }
        h.pointee.set_re_len = { dbp, n in DBMethods.call(dbp) { try $0.setRecordLength(n) } }
        h.pointee.get_re_len = { dbp, out in DBMethods.call(dbp) { out?.pointee = try $0.recordLength() } }
        h.pointee.set_re_pad = { dbp, c in DBMethods.call(dbp) { try $0.setRecordPad(c) } }
        h.pointee.get_re_pad = { dbp, out in DBMethods.call(dbp) { out?.pointee = try $0.recordPad() } }
        h.pointee.set_re_source = { dbp, source in
            DBMethods.call(dbp) { try $0.setRecordSource(source.map { String(cString: $0) }) }
        }
        h.pointee.get_re_source = { dbp, out in
            guard let dbp else { return EINVAL }
            let box = HandleSlot.box(dbp)
            return DBMethods.call(dbp) {
                out?.pointee = UnsafePointer(DBMethods.keptCString(box, "re_source", try $0.recordSource()))
            }
        }
        h.pointee.set_q_extentsize = { dbp, n in DBMethods.call(dbp) { try $0.setQueueExtentSize(n) } }
        h.pointee.get_q_extentsize = { dbp, out in DBMethods.call(dbp) { out?.pointee = $0.config.qExtentSize } }
        h.pointee.set_heapsize = { dbp, gbytes, bytes, _ in
            DBMethods.call(dbp) { try $0.setHeapSize(gigabytes: gbytes, bytes: bytes) }
        }
        h.pointee.get_heapsize = { dbp, gbytes, bytes in
            DBMethods.call(dbp) {
                let size = try $0.heapSize()
                gbytes?.pointee = size.gigabytes
                bytes?.pointee = size.bytes
            }
        }
        h.pointee.set_heap_regionsize = { dbp, n in DBMethods.call(dbp) { try $0.setHeapRegionSize(n) } }
        h.pointee.get_heap_regionsize = { dbp, out in DBMethods.call(dbp) { out?.pointee = try $0.heapRegionSize() } }
    }

    // MARK: - Partitions

    static func installPartitions(_ h: UnsafeMutablePointer<DB>) {
        h.pointee.set_partition = { dbp, count, keys, callback in
            DBMethods.call(dbp) { try $0.setPartition(count: count, keys: keys, callback: callback) }
        }
        h.pointee.get_partition_callback = { dbp, count, callback in
            DBMethods.call(dbp) {
                let part = $0.config.partition.flatMap { $0.byCallback ? $0 : nil }
                count?.pointee = part?.count ?? 0
                callback?.pointee = part?.callback
            }
        }
        // libdb 5.3.28 returns the application's array advanced by one
        // before open (its open prepends an empty first key); so does Tern.
        h.pointee.get_partition_keys = { dbp, count, keys in
            DBMethods.call(dbp) {
                let part = $0.config.partition.flatMap { $0.byRange ? $0 : nil }
                count?.pointee = part?.count ?? 0
                keys?.pointee = part.flatMap { $0.keys.map { $0 + 1 } }
            }
        }
        h.pointee.set_partition_dirs = { dbp, dirs in
            guard let dbp else { return EINVAL }
            var names: [String] = []
            if let dirs {
                var i = 0
                while let p = dirs[i] { names.append(String(cString: p)); i += 1 }
            }
            let box = HandleSlot.box(dbp)
            let isPrivate = HandleSlot.box(dbp.pointee.dbenv).isPrivateToDB
            let ret = DBMethods.call(dbp) { try $0.setPartitionDirectories(names, privateEnvironment: isPrivate) }
            if ret == 0 {
                free(box.partitionDirs)
                box.partitionDirs = DBMethods.cStringArray(names)
            }
            return ret
        }
        h.pointee.get_partition_dirs = { dbp, out in
            guard let dbp else { return EINVAL }
            let box = HandleSlot.box(dbp)
            out?.pointee = box.partitionDirs.map {
                UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: UnsafePointer<CChar>?.self))
            }
            return 0
        }
    }

    /// One malloc'd block: a NULL-terminated pointer array, then the strings.
    static func cStringArray(_ names: [String]) -> UnsafeMutableRawPointer {
        let table = (names.count + 1) * MemoryLayout<UnsafePointer<CChar>?>.stride
        let size = table + names.reduce(0) { $0 + $1.utf8.count + 1 }
        let block = malloc(size)!
        let pointers = block.bindMemory(to: UnsafePointer<CChar>?.self, capacity: names.count + 1)
        var text = (block + table).assumingMemoryBound(to: CChar.self)
        for (i, name) in names.enumerated() {
            _ = name.withCString { strcpy(text, $0) }
            pointers[i] = UnsafePointer(text)
            text += name.utf8.count + 1
        }
        pointers[names.count] = nil
        return block
    }
}
