// DB_ENV methods over the cache and the log: memp_stat, memp_stat_print,
// memp_sync, memp_trickle, log_flush, log_archive, log_file, log_stat,
// log_stat_print, log_cursor, stat_print, txn_checkpoint. The engine side
// (checks, rules, values) is Sources/TernEngine/Env/EnvStatistics.swift;
// this file converts arguments and builds the C results, allocated as libdb
// allocates them: with the application's set_alloc malloc when set, one
// block per result so one free() releases it.
import CBerkeleyDB
import Glibc
import TernEngine

enum EnvSubsystemMethods {
    static func install(_ h: UnsafeMutablePointer<DB_ENV>) {
        installMemoryPool(h)
        installLog(h)
        h.pointee.stat_print = { dbenv, flags in
            EnvConfigMethods.run(dbenv) { env throws(DBError) in
                let lines = try env.environmentStatisticsText(flags: flags)
                EnvSubsystemMethods.print(dbenv, lines)
            }
        }
        h.pointee.txn_checkpoint = { dbenv, kbytes, minutes, flags in
            EnvConfigMethods.run(dbenv) { env throws(DBError) in
                try env.checkpoint(kbytes: kbytes, minutes: minutes, flags: flags)
            }
        }
    }

    static func print(_ dbenv: UnsafeMutablePointer<DB_ENV>?, _ lines: [String]) {
        for line in lines { ErrorChannel.message(UnsafePointer(dbenv), line) }
    }

    static func lsn(_ p: UnsafePointer<DB_LSN>?) -> LSN? {
        p.map { LSN(file: $0.pointee.file, offset: $0.pointee.offset) }
    }

    // MARK: memory pool

    static func installMemoryPool(_ h: UnsafeMutablePointer<DB_ENV>) {
        h.pointee.memp_stat = { dbenv, gsp, fsp, flags in
            guard let dbenv else { return EINVAL }
            var stats = MemoryPoolStatistics()
            let ret = EnvConfigMethods.run(dbenv) { env throws(DBError) in
                stats = try env.memoryPoolStatistics(flags: flags, wantFiles: fsp != nil)
            }
            if ret != 0 { return ret }
            if let gsp {
                gsp.pointee = nil
                guard let p = UserMemory.allocate(MemoryLayout<DB_MPOOL_STAT>.size, dbenv) else { return ENOMEM }
                let sp = p.bindMemory(to: DB_MPOOL_STAT.self, capacity: 1)
                sp.initialize(to: EnvSubsystemMethods.mpoolStat(stats))
                gsp.pointee = sp
            }
            if let fsp {
                fsp.pointee = nil
                if !stats.files.isEmpty {
                    guard let block = EnvSubsystemMethods.fileStats(stats.files, dbenv) else { return ENOMEM }
                    fsp.pointee = block
                }
            }
            return 0
        }
        h.pointee.memp_stat_print = { dbenv, flags in
            EnvConfigMethods.run(dbenv) { env throws(DBError) in
                EnvSubsystemMethods.print(dbenv, try env.memoryPoolStatisticsText(flags: flags))
            }
        }
        h.pointee.memp_sync = { dbenv, lsnp in
            EnvConfigMethods.run(dbenv) { env throws(DBError) in
                try env.syncMemoryPool(lsn: EnvSubsystemMethods.lsn(UnsafePointer(lsnp)))
            }
        }
        h.pointee.memp_trickle = { dbenv, percent, nwrotep in
            EnvConfigMethods.run(dbenv) { env throws(DBError) in
                if env.isOn(.mpool) && !env.panicked { nwrotep?.pointee = 0 }
                let written = try env.trickle(percent: percent)
                nwrotep?.pointee = Int32(clamping: written)
            }
        }
    }

    static func mpoolStat(_ s: MemoryPoolStatistics) -> DB_MPOOL_STAT {
        var st = DB_MPOOL_STAT()
        let c = s.cache
        st.st_gbytes = s.gbytes
        st.st_bytes = s.bytes
        st.st_ncache = s.ncache
        st.st_max_ncache = s.maxNcache
        st.st_mmapsize = db_size_t(truncatingIfNeeded: s.mmapSize)
        st.st_maxopenfd = s.maxOpenFD
        st.st_maxwrite = s.maxWrite
        st.st_maxwrite_sleep = s.maxWriteSleep
        st.st_pages = UInt32(clamping: c.pagesInCache)
        st.st_cache_hit = uintmax_t(c.hits)
        st.st_cache_miss = uintmax_t(c.misses)
        st.st_page_create = uintmax_t(c.pagesCreated)
        st.st_page_in = uintmax_t(c.pagesRead)
        st.st_page_out = uintmax_t(c.pagesWritten)
        st.st_ro_evict = uintmax_t(c.evictionsClean)
        st.st_rw_evict = uintmax_t(c.evictionsDirty)
        st.st_page_dirty = UInt32(clamping: c.dirtyPages)
        st.st_page_clean = UInt32(clamping: max(0, c.pagesInCache - c.dirtyPages))
        st.st_hash_buckets = UInt32(clamping: c.buckets)
        st.st_hash_mutexes = UInt32(clamping: c.buckets)
        st.st_pagesize = s.pageSize
        st.st_alloc = uintmax_t(c.allocFailures)
        st.st_regsize = roff_t(truncatingIfNeeded: s.regionSize)
        st.st_regmax = roff_t(truncatingIfNeeded: s.regionSize)
        return st
    }

    /// libdb's per-file array: n+1 pointers (NULL-terminated), then the n
    /// structures, then the names, in one allocation.
    static func fileStats(_ files: [MemoryPoolStatistics.File],
                          _ dbenv: UnsafeMutablePointer<DB_ENV>) -> UnsafeMutablePointer<UnsafeMutablePointer<DB_MPOOL_FSTAT>?>? {
        let n = files.count
        let pointers = (n + 1) * MemoryLayout<UnsafeMutablePointer<DB_MPOOL_FSTAT>?>.stride
        let structs = n * MemoryLayout<DB_MPOOL_FSTAT>.stride
        let names = files.reduce(0) { $0 + $1.name.utf8.count + 1 }
        guard let raw = UserMemory.allocate(pointers + structs + names, dbenv) else { return nil }
        let array = raw.bindMemory(to: UnsafeMutablePointer<DB_MPOOL_FSTAT>?.self, capacity: n + 1)
        let first = (raw + pointers).bindMemory(to: DB_MPOOL_FSTAT.self, capacity: n)
        var text = (raw + pointers + structs).assumingMemoryBound(to: CChar.self)
        for (i, f) in files.enumerated() {
            var st = DB_MPOOL_FSTAT()
            st.st_pagesize = f.pageSize
            let bytes = Array(f.name.utf8)
            for (k, b) in bytes.enumerated() { text[k] = CChar(bitPattern: b) }
            text[bytes.count] = 0
            st.file_name = text
            text += bytes.count + 1
            (first + i).initialize(to: st)
            array[i] = first + i
        }
        array[n] = nil
        return array
    }

    // MARK: log

    static func installLog(_ h: UnsafeMutablePointer<DB_ENV>) {
        h.pointee.log_flush = { dbenv, lsnp in
            guard let dbenv else { return EINVAL }
            let env = HandleSlot.box(dbenv).environment
            let wasPanicked = env.panicked
            let ret = EnvConfigMethods.run(dbenv) { env throws(DBError) in
                try env.flushLog(upTo: EnvSubsystemMethods.lsn(lsnp))
            }
            if ret != 0 && !wasPanicked && env.panicked {
                for text in Environment.corruptLogPanicTexts {
                    ErrorChannel.write(UnsafePointer(dbenv), text, suffix: .none, applicationCall: false)
                }
            }
            return ret
        }
        h.pointee.log_archive = { dbenv, listp, flags in
            guard let dbenv else { return EINVAL }
            var names: [String]?
            let ret = EnvConfigMethods.run(dbenv) { env throws(DBError) in
                names = try env.archiveLog(flags: flags)
            }
            if ret != 0 { return ret }
            guard flags != UInt32(DB_ARCH_REMOVE), let listp else { return 0 }
            listp.pointee = nil
            guard let names, !names.isEmpty else { return 0 }
            guard let block = EnvSubsystemMethods.stringArray(names, dbenv) else { return ENOMEM }
            listp.pointee = block
            return 0
        }
        h.pointee.log_file = { dbenv, lsnp, namep, len in
            EnvConfigMethods.run(dbenv) { env throws(DBError) in
                guard let lsn = EnvSubsystemMethods.lsn(lsnp), let namep else { throw DBError(EINVAL) }
                let name = try env.logFileName(lsn)
                do throws(DBError) {
                    try Environment.logFileNameFits(name, capacity: len)
                } catch {
                    namep[0] = 0
                    throw error
                }
                _ = name.withCString { strcpy(namep, $0) }
            }
        }
        h.pointee.log_stat = { dbenv, statp, flags in
            guard let dbenv else { return EINVAL }
            var stats = LogStatisticsSnapshot()
            let ret = EnvConfigMethods.run(dbenv) { env throws(DBError) in
                stats = try env.logStatistics(flags: flags)
            }
            if ret != 0 { return ret }
            guard let statp else { return 0 }
            guard let p = UserMemory.allocate(MemoryLayout<DB_LOG_STAT>.size, dbenv) else { return ENOMEM }
            let sp = p.bindMemory(to: DB_LOG_STAT.self, capacity: 1)
            sp.initialize(to: EnvSubsystemMethods.logStat(stats))
            statp.pointee = sp
            return 0
        }
        h.pointee.log_stat_print = { dbenv, flags in
            EnvConfigMethods.run(dbenv) { env throws(DBError) in
                EnvSubsystemMethods.print(dbenv, try env.logStatisticsText(flags: flags))
            }
        }
        h.pointee.log_cursor = { dbenv, logcp, flags in
            guard let dbenv else { return EINVAL }
            var cursor: LogCursor?
            let ret = EnvConfigMethods.run(dbenv) { env throws(DBError) in
                cursor = try env.openLogCursor(flags: flags)
            }
            if ret != 0 { return ret }
            guard let cursor, let logc = LogCursorHandle.create(cursor, in: dbenv) else {
                return ErrorChannel.report(UnsafePointer(dbenv), DBError(ENOMEM, "BDB0143 malloc: \(MemoryLayout<DB_LOGC>.size): \(String(cString: strerror(ENOMEM)))"))
            }
            if let logcp { logcp.pointee = logc } else { LogCursorHandle.destroy(logc) }
            return 0
        }
    }

    static func logStat(_ s: LogStatisticsSnapshot) -> DB_LOG_STAT {
        var st = DB_LOG_STAT()
        let mb: UInt64 = 1024 * 1024
        st.st_magic = s.magic
        st.st_version = s.version
        st.st_mode = s.mode
        st.st_lg_bsize = s.bufferSize
        st.st_lg_size = s.fileSize
        st.st_record = uintmax_t(s.counters.records)
        st.st_w_mbytes = UInt32(truncatingIfNeeded: s.counters.bytes / mb)
        st.st_w_bytes = UInt32(truncatingIfNeeded: s.counters.bytes % mb)
        // No checkpoint records yet: everything was written since the last.
        st.st_wc_mbytes = st.st_w_mbytes
        st.st_wc_bytes = st.st_w_bytes
        st.st_wcount = uintmax_t(s.counters.writes)
        st.st_scount = uintmax_t(s.counters.syncs + s.counters.rolloverSyncs)
        st.st_cur_file = s.current.file
        st.st_cur_offset = s.current.offset
        st.st_disk_file = s.onDisk.file
        st.st_disk_offset = s.onDisk.offset
        st.st_regsize = roff_t(truncatingIfNeeded: s.regionSize)
        return st
    }

    /// A NULL-terminated array of strings in one allocation (libdb's
    /// __usermem): the pointers, then the strings.
    static func stringArray(_ names: [String],
                            _ dbenv: UnsafeMutablePointer<DB_ENV>) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        let n = names.count
        let pointers = (n + 1) * MemoryLayout<UnsafeMutablePointer<CChar>?>.stride
        let total = pointers + names.reduce(0) { $0 + $1.utf8.count + 1 }
        guard let raw = UserMemory.allocate(total, dbenv) else { return nil }
        let array = raw.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: n + 1)
        var text = (raw + pointers).bindMemory(to: CChar.self, capacity: total - pointers)
        for (i, name) in names.enumerated() {
            let bytes = Array(name.utf8)
            for (k, b) in bytes.enumerated() { text[k] = CChar(bitPattern: b) }
            text[bytes.count] = 0
            array[i] = text
            text += bytes.count + 1
        }
        array[n] = nil
        return array
    }
}

/// libdb's __os_umalloc: memory the application frees, from its set_alloc
/// malloc when it set one.
enum UserMemory {
    static func allocate(_ count: Int, _ dbenv: UnsafeMutablePointer<DB_ENV>) -> UnsafeMutableRawPointer? {
        let size = max(count, 1)
        let p: UnsafeMutableRawPointer?
        if let userMalloc = dbenv.pointee.db_malloc {
            p = userMalloc(size)
            if p == nil {
                ErrorChannel.report(UnsafePointer(dbenv), DBError(ENOMEM, "BDB0144 user-specified malloc function returned NULL"))
            }
        } else {
            p = malloc(size)
            if p == nil {
                ErrorChannel.report(UnsafePointer(dbenv), DBError(ENOMEM, "BDB0143 malloc: \(size): \(String(cString: strerror(ENOMEM)))"))
            }
        }
        p?.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        return p
    }
}
