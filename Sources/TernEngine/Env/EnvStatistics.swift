// The DB_ENV methods over the environment's cache and log that report or
// push state: memp_stat, memp_sync, memp_trickle, log_flush, log_archive,
// log_file, log_stat, log_cursor, txn_checkpoint and the *_stat_print
// family. Each follows libdb's pre/post-processing order: the subsystem must
// be configured (ENV_REQUIRES_CONFIG, which before open also fails, since
// libdb's subsystem handles exist only after open), then the flags are
// checked, then the panic state (ENV_ENTER's PANIC_CHECK).
//
// log_archive follows libdb's __log_archive: flags 0 lists the log files
// wholly before the last checkpoint record's cut (its "stable LSN"; nothing
// before the first checkpoint record), DB_ARCH_REMOVE removes them,
// DB_ARCH_LOG lists every log file, DB_ARCH_DATA the database files named by
// the file registrations in the log that still exist.
//
// Rules where Tern differs from libdb: memp_sync and memp_trickle write back
// every dirty page (a checkpoint of every file, without a checkpoint
// record); memp_sync's LSN and trickle's percentage only decide whether
// anything is written, not how much.
import CBerkeleyDB
import CTernAtomics
import Glibc

/// DB_MPOOL_STAT's values Tern has, and the per-file entries.
public struct MemoryPoolStatistics: Sendable {
    public struct File: Sendable {
        /// The name as libdb's DB_MPOOL_FSTAT.file_name shows it: the
        /// database's name relative to the environment home.
        public var name: String
        public var pageSize: UInt32
    }
    public var cache = CacheStats()
    public var gbytes: UInt32 = 0
    public var bytes: UInt32 = 0
    public var ncache: UInt32 = 1
    public var maxNcache: UInt32 = 0
    public var pageSize: UInt32 = 0
    public var mmapSize: Int = 0
    public var maxOpenFD: Int32 = 0
    public var maxWrite: Int32 = 0
    public var maxWriteSleep: UInt32 = 0
    public var regionSize: Int = 0
    public var files: [File] = []
    public init() {}
}

/// DB_LOG_STAT's values Tern has.
public struct LogStatisticsSnapshot: Sendable {
    public var magic: UInt32 = 0
    public var version: UInt32 = 0
    public var mode: Int32 = 0
    public var bufferSize: UInt32 = 0
    public var fileSize: UInt32 = 0
    public var counters = LogStatistics()
    public var current = LSN.zero
    public var onDisk = LSN.zero
    public var regionSize: Int = 0
    public init() {}
}

extension PageCache {
    /// The files in the cache's file table (open in any process, or with
    /// cached or spilled pages): their paths and page sizes.
    public func fileSummaries() -> [(path: String, pageSize: Int)] {
        let c = core
        c.lock(c.evictMutex)
        var ids: [UInt32] = []
        for id in 1...UInt32(c.maxFiles) where c.file(id).u32(FE.inUse) != 0 { ids.append(id) }
        let result = ids.map { (path: path(of: $0), pageSize: Int(c.file($0).u32(FE.pageSize))) }
        c.evictMutex.unlock()
        return result
    }

    /// DB_STAT_CLEAR: zeroes the counters (not the gauges: pages, dirty
    /// pages, spill use).
    public func clearStatistics() {
        let c = core
        for bi in 0...Int(c.bucketMask) {
            let b = c.bucket(bi)
            let m = c.bucketMutex(bi)
            c.lock(m)
            b.setU64(B.hits, 0)
            b.setU64(B.misses, 0)
            m.unlock()
        }
        c.lock(c.evictMutex)
        for counter in [H.pagesWritten, H.evictClean, H.evictDirty, H.spillWrites, H.spillReads,
                        H.checkpointWrites, H.allocFailures] {
            c.header.setU64(counter, 0)
        }
        c.evictMutex.unlock()
        tern_atomic_store_u64(c.header.word64(H.pagesCreated), 0)
    }
}

extension Environment {
    /// libdb's ENV_REQUIRES_CONFIG: the subsystem must exist (so the
    /// environment must be open).
    func requireSubsystem(_ interface: String, _ subsystem: Subsystem) throws(DBError) {
        if !isOn(subsystem) { throw .notConfigured(interface, subsystem: subsystem.name) }
    }

    /// libdb's ENV_ENTER panic check.
    func requireNotPanicked() throws(DBError) {
        if panicked { throw DBError(DB_RUNRECOVERY, "BDB0060 PANIC: fatal region error detected; run recovery") }
    }

    /// libdb's __db_fchk.
    static func checkFlags(_ flags: UInt32, allowed: UInt32, _ method: String) throws(DBError) {
        if flags & ~allowed != 0 { throw .illegalFlag(method) }
    }

    /// The texts libdb's __env_panic writes after an error that panics the
    /// environment (BDB2516, a flush past the end of the log).
    public static let corruptLogPanicTexts = [
        "BDB2517 Database environment corrupt; the wrong log files may have been removed or incompatible database files imported from another environment",
        "BDB0061 PANIC: BDB0087 DB_RUNRECOVERY: Fatal error, run database recovery",
    ]

    // MARK: memory pool

    public func memoryPoolStatistics(flags: UInt32, wantFiles: Bool) throws(DBError) -> MemoryPoolStatistics {
        let method = "DB_ENV->memp_stat"
        try requireSubsystem(method, .mpool)
        try Self.checkFlags(flags, allowed: UInt32(DB_STAT_CLEAR), method)
        try requireNotPanicked()
        guard let cache else { throw .notConfigured(method, subsystem: Subsystem.mpool.name) }
        var s = MemoryPoolStatistics()
        s.cache = cache.stats
        s.gbytes = config.cacheGBytes
        s.bytes = config.cacheBytes
        s.ncache = max(config.cacheCount, 1)
        s.maxNcache = s.ncache
        s.pageSize = config.mpPageSize == 0 ? 4096 : config.mpPageSize
        s.mmapSize = config.mpMmapSize
        s.maxOpenFD = config.mpMaxOpenFD
        s.maxWrite = config.mpMaxWrite
        s.maxWriteSleep = config.mpMaxWriteSleep
        s.regionSize = cache.region.size
        if wantFiles {
            s.files = cache.fileSummaries().map {
                MemoryPoolStatistics.File(name: relativeToHome($0.path), pageSize: UInt32($0.pageSize))
            }
        }
        if flags & UInt32(DB_STAT_CLEAR) != 0 { cache.clearStatistics() }
        return s
    }

    /// A database path as the application named it: without the home prefix
    /// the environment added (as given, or resolved to an absolute path).
    func relativeToHome(_ path: String) -> String {
        var homes: [String] = []
        if let home, !home.isEmpty { homes.append(home) }
        if let resolved = realpath(home ?? ".", nil) {
            homes.append(String(cString: resolved))
            free(resolved)
        }
        for home in homes {
            let prefix = home.hasSuffix("/") ? home : home + "/"
            if path.hasPrefix(prefix) { return String(path.dropFirst(prefix.count)) }
        }
        return path
    }

    /// Writes back every dirty page of every file: a checkpoint of every
    /// file (the log first), without a checkpoint record.
    func writeBackAll() throws(DBError) {
        if let log { try log.flush(sync: true) }
        try checkpoint(files: nil, record: false)
    }

    /// DB_ENV->memp_sync. With an LSN the log must be configured; Tern then
    /// writes every dirty page, a superset of "pages up to that LSN".
    public func syncMemoryPool(lsn: LSN?) throws(DBError) {
        try requireSubsystem("memp_sync", .mpool)
        if lsn != nil { try requireSubsystem("memp_sync", .log) }
        try requireNotPanicked()
        try writeBackAll()
    }

    /// DB_ENV->memp_trickle: when fewer than `percent`% of the cache's pages
    /// are clean, writes back dirty pages; returns how many were written.
    /// libdb writes just enough pages to reach the percentage; Tern writes
    /// them all (the only write-back it has outside eviction).
    public func trickle(percent: Int32) throws(DBError) -> Int {
        try requireSubsystem("memp_trickle", .mpool)
        try requireNotPanicked()
        if percent < 1 || percent > 100 {
            throw .invalid("BDB3007 DB_ENV->memp_trickle: \(percent): percent must be between 1 and 100")
        }
        guard let cache else { return 0 }
        let before = cache.stats
        let total = before.frames, dirty = before.dirtyPages
        if total == 0 || dirty == 0 { return 0 }
        let clean = total > dirty ? total - dirty : 0
        if clean >= total * Int(percent) / 100 { return 0 }
        try writeBackAll()
        return max(0, dirty - cache.stats.dirtyPages)
    }

    // MARK: log

    /// DB_ENV->log_flush: everything (nil), or every record up to `lsn`. An
    /// LSN past the end of the log panics the environment, as in libdb;
    /// `panicked` then reads true and corruptLogPanicTexts follow the error.
    public func flushLog(upTo lsn: LSN?) throws(DBError) {
        try requireSubsystem("DB_ENV->log_flush", .log)
        try requireNotPanicked()
        guard let log else { return }
        if let lsn, lsn < log.syncedLSN { return }  // libdb's ALREADY_FLUSHED
        do {
            try log.flush(upTo: lsn, sync: true)
        } catch where error.code == DB_RUNRECOVERY {
            panicked = true
            throw error
        }
    }

    /// The path libdb's __log_name gives log file `file`: the home, then
    /// lg_dir (alone when absolute), then the file name.
    public func logFilePath(_ file: UInt32) -> String {
        var parts: [String] = []
        if let dir = config.logDir, !dir.isEmpty {
            if !dir.hasPrefix("/"), let home, !home.isEmpty { parts.append(home) }
            parts.append(dir)
        } else if let home, !home.isEmpty {
            parts.append(home)
        }
        parts.append(LogFiles.name(file))
        return parts.joined(separator: "/")
    }

    /// DB_ENV->log_file: the name of the file holding `lsn`. The caller
    /// then checks it fits its buffer with logFileNameFits.
    public func logFileName(_ lsn: LSN) throws(DBError) -> String {
        try requireSubsystem("DB_ENV->log_file", .log)
        if config.logFlags & UInt32(DB_LOG_IN_MEMORY) != 0 || log?.isInMemory == true {
            throw .invalid("BDB2518 DB_ENV->log_file is illegal with in-memory logs")
        }
        try requireNotPanicked()
        return logFilePath(lsn.file)
    }

    /// log_file's buffer check: the name and its NUL must fit in `capacity`
    /// bytes (libdb then empties the buffer and fails).
    public static func logFileNameFits(_ name: String, capacity: Int) throws(DBError) {
        if capacity < name.utf8.count + 1 { throw .invalid("BDB2519 DB_ENV->log_file: name buffer is too short") }
    }

    /// DB_ENV->log_archive. Returns the names to list (nil: none, and
    /// libdb's NULL list), after removing them for DB_ARCH_REMOVE.
    public func archiveLog(flags: UInt32) throws(DBError) -> [String]? {
        let method = "DB_ENV->log_archive"
        try requireSubsystem(method, .log)
        let abs = UInt32(DB_ARCH_ABS), data = UInt32(DB_ARCH_DATA)
        let logs = UInt32(DB_ARCH_LOG), remove = UInt32(DB_ARCH_REMOVE)
        if flags != 0 {
            try Self.checkFlags(flags, allowed: abs | data | logs | remove, method)
            if flags & data != 0 && flags & logs != 0 { throw .illegalFlagCombination(method) }
            if flags & remove != 0 && flags & (abs | data | logs) != 0 { throw .illegalFlagCombination(method) }
        }
        try requireNotPanicked()
        guard let log else { return nil }
        var flags = flags
        if log.isInMemory {
            flags &= data
            if flags == 0 { return nil }
        }
        var prefix: String? = nil
        if flags & abs != 0 {
            var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            guard getcwd(&buf, buf.count) != nil else {
                let e = errno
                throw DBError(e, "BDB2570 no absolute path for the current directory: \(String(cString: strerror(e)))")
            }
            prefix = buf.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        }
        flags &= ~abs
        func listed(_ path: String) -> String {
            if let prefix { return path.hasPrefix("/") ? path : prefix + "/" + path }
            if let slash = path.lastIndex(of: "/") { return String(path[path.index(after: slash)...]) }
            return path
        }
        switch flags {
        case data:
            // libdb's __build_data: every file a registration in the log
            // names, resolved in the home, that exists; sorted, once each.
            var registered = Set<String>()
            let cursor = LogCursor(log: log)
            var rec = try? cursor.last()
            while let r = rec {
                if r.type == TernLogRecord.fileRegistration, let reg = try? FileRegistration.decode(r.payload),
                   reg.flags & FileRegistration.temporary == 0 {
                    registered.insert(reg.path)
                } else if r.type == TernLogRecord.checkpoint, let ckp = try? CheckpointRecord.decode(r.payload) {
                    // The files open at a checkpoint (libdb logs a dbreg
                    // record for each in its checkpoints).
                    for reg in ckp.registrations where reg.flags & FileRegistration.temporary == 0 {
                        registered.insert(reg.path)
                    }
                }
                do { rec = try cursor.prev() } catch where error.code == DB_NOTFOUND { rec = nil }
            }
            let home = (self.home?.isEmpty ?? true) ? nil : self.home
            let paths = registered.map { $0.hasPrefix("/") || home == nil ? $0 : home! + "/" + $0 }
                .filter { access($0, F_OK) == 0 }
            let names = Set(paths.map(listed)).sorted()
            return names.isEmpty ? nil : names
        case logs:
            // A log without records yet lists nothing (libdb's first file
            // is not on disk until something is written to it).
            let last: LSN
            do { last = try LogCursor(log: log).last().lsn } catch where error.code == DB_NOTFOUND { return nil }
            var names: [String] = []
            var f = last.file
            while f > 0 {
                let path = logFilePath(f)
                if access(path, F_OK) != 0 {
                    if f == last.file { f -= 1; continue }
                    break
                }
                names.append(listed(path))
                f -= 1
            }
            return names.isEmpty ? nil : names.sorted()
        case remove:
            try removeArchivableLogs()
            return nil
        case 0:
            let names = archivableLogFiles().map { listed(logFilePath($0)) }
            return names.isEmpty ? nil : names.sorted()
        default:
            throw .invalid("BDB0070 __log_archive: unknown path")
        }
    }

    /// DB_ENV->log_stat.
    public func logStatistics(flags: UInt32) throws(DBError) -> LogStatisticsSnapshot {
        let method = "DB_ENV->log_stat"
        try requireSubsystem(method, .log)
        try Self.checkFlags(flags, allowed: UInt32(DB_STAT_CLEAR), method)
        try requireNotPanicked()
        guard let log else { throw .notConfigured(method, subsystem: Subsystem.log.name) }
        var s = LogStatisticsSnapshot()
        s.magic = UInt32(truncatingIfNeeded: LogFormat.magic)
        s.version = LogFormat.version
        s.mode = config.logFileMode
        log.lock.lock()
        s.counters = log.s.stats
        if flags & UInt32(DB_STAT_CLEAR) != 0 { log.s.stats = LogStatistics() }
        s.bufferSize = log.s.bufferSize
        s.fileSize = log.s.fileSize
        s.current = log.s.next
        s.onDisk = log.s.synced
        log.lock.unlock()
        if s.current.offset == 0 && s.current.file == 0 { s.current = LSN(file: 1, offset: 0) }
        s.regionSize = region?.size ?? 0
        return s
    }

    /// DB_ENV->log_cursor: a cursor over the environment's log.
    public func openLogCursor(flags: UInt32) throws(DBError) -> LogCursor {
        let method = "DB_ENV->log_cursor"
        try requireSubsystem(method, .log)
        try Self.checkFlags(flags, allowed: 0, method)
        try requireNotPanicked()
        guard let log else { throw .notConfigured(method, subsystem: Subsystem.log.name) }
        return LogCursor(log: log)
    }

    /// DB_ENV->txn_checkpoint. libdb checks no flags; the rest is
    /// Txn/Checkpoint.swift's transactionCheckpoint.
    public func checkpoint(kbytes: UInt32, minutes: UInt32, flags: UInt32) throws(DBError) {
        try requireSubsystem("txn_checkpoint", .txn)
        try requireNotPanicked()
        try transactionCheckpoint(kbytes: kbytes, minutes: minutes, flags: flags)
    }

    /// txn_stat's st_last_ckp and st_time_ckp: the last checkpoint record's
    /// LSN (zero: none) and when it was taken (the region's creation time
    /// before the first).
    public var lastCheckpoint: (lsn: LSN, time: Int)? {
        guard let commitGate else { return nil }
        return (commitGate.lastCheckpoint, commitGate.lastCheckpointTime)
    }

    // MARK: statistics text

    /// The lines memp_stat_print writes (libdb's __memp_print_stats layout,
    /// with Tern's values).
    public func memoryPoolStatisticsText(flags: UInt32) throws(DBError) -> [String] {
        let method = "DB_ENV->memp_stat_print"
        try requireSubsystem(method, .mpool)
        try Self.checkFlags(flags, allowed: UInt32(DB_STAT_ALL | DB_STAT_ALLOC | DB_STAT_CLEAR | DB_STAT_MEMP_HASH), method)
        try requireNotPanicked()
        return try memoryPoolLines(flags: flags)
    }

    func memoryPoolLines(flags: UInt32) throws(DBError) -> [String] {
        let s = try memoryPoolStatistics(flags: flags & UInt32(DB_STAT_CLEAR), wantFiles: true)
        let c = s.cache
        var lines: [String] = []
        if flags & UInt32(DB_STAT_ALL) != 0 { lines.append("Default cache region information:") }
        lines.append("\(Self.bytesText(gbytes: s.gbytes, bytes: s.bytes))\tTotal cache size")
        lines.append("\(s.ncache)\tNumber of caches")
        lines.append("\(s.maxNcache)\tMaximum number of caches")
        lines.append("\(Self.bytesText(gbytes: 0, bytes: UInt32(truncatingIfNeeded: s.regionSize)))\tPool individual cache size")
        lines.append("\(s.mmapSize)\tMaximum memory-mapped file size")
        lines.append("\(s.maxOpenFD)\tMaximum open file descriptors")
        lines.append("\(s.maxWrite)\tMaximum sequential buffer writes")
        lines.append("\(s.maxWriteSleep)\tSleep after writing maximum sequential buffers")
        lines.append("\(c.hits)\tRequested pages found in the cache")
        lines.append("\(c.misses)\tRequested pages not found in the cache")
        lines.append("\(c.pagesCreated)\tPages created in the cache")
        lines.append("\(c.pagesRead)\tPages read into the cache")
        lines.append("\(c.pagesWritten)\tPages written from the cache to the backing file")
        lines.append("\(c.evictionsClean)\tClean pages forced from the cache")
        lines.append("\(c.evictionsDirty)\tDirty pages forced from the cache")
        lines.append("\(c.pagesInCache)\tCurrent total page count")
        lines.append("\(c.pagesInCache - c.dirtyPages)\tCurrent clean page count")
        lines.append("\(c.dirtyPages)\tCurrent dirty page count")
        lines.append("\(c.buckets)\tNumber of hash buckets used for page location")
        lines.append("\(c.spilledPages)\tPages spilled awaiting a checkpoint (Tern)")
        for f in s.files {
            lines.append("Pool File: \(f.name)")
            lines.append("\(f.pageSize)\tPage size")
        }
        return lines
    }

    /// The lines log_stat_print writes (libdb's __log_print_stats layout).
    public func logStatisticsText(flags: UInt32) throws(DBError) -> [String] {
        let method = "DB_ENV->log_stat_print"
        try requireSubsystem(method, .log)
        try Self.checkFlags(flags, allowed: UInt32(DB_STAT_ALL | DB_STAT_ALLOC | DB_STAT_CLEAR), method)
        try requireNotPanicked()
        return try logLines(flags: flags)
    }

    func logLines(flags: UInt32) throws(DBError) -> [String] {
        let s = try logStatistics(flags: flags & UInt32(DB_STAT_CLEAR))
        var lines: [String] = []
        if flags & UInt32(DB_STAT_ALL) != 0 { lines.append("Default logging region information:") }
        lines.append("0x\(String(s.magic, radix: 16))\tLog magic number")
        lines.append("\(s.version)\tLog version number")
        lines.append("\(Self.bytesText(gbytes: 0, bytes: s.bufferSize))\tLog record cache size")
        lines.append("0\(String(s.mode, radix: 8))\tLog file mode")
        let size = s.fileSize
        if size % (1024 * 1024) == 0 {
            lines.append("\(size / (1024 * 1024))Mb\tCurrent log file size")
        } else if size % 1024 == 0 {
            lines.append("\(size / 1024)Kb\tCurrent log file size")
        } else {
            lines.append("\(size)\tCurrent log file size")
        }
        lines.append("\(s.counters.records)\tRecords entered into the log")
        lines.append("\(s.counters.bytes)\tLog bytes written")
        lines.append("\(s.counters.writes)\tTotal log file I/O writes")
        lines.append("\(s.counters.syncs + s.counters.rolloverSyncs)\tTotal log file flushes")
        lines.append("\(s.current.file)\tCurrent log file number")
        lines.append("\(s.current.offset)\tCurrent log file offset")
        lines.append("\(s.onDisk.file)\tOn-disk log file number")
        lines.append("\(s.onDisk.offset)\tOn-disk log file offset")
        return lines
    }

    /// The lines DB_ENV->stat_print writes: the local time, the
    /// environment's summary and, with DB_STAT_SUBSYSTEM, each configured
    /// subsystem Tern has statistics for.
    public func environmentStatisticsText(flags: UInt32) throws(DBError) -> [String] {
        let method = "DB_ENV->stat_print"
        try requireOpened(method)
        try Self.checkFlags(flags, allowed: UInt32(DB_STAT_ALL | DB_STAT_ALLOC | DB_STAT_CLEAR | DB_STAT_SUBSYSTEM), method)
        try requireNotPanicked()
        var now = time(nil)
        var buf = [CChar](repeating: 0, count: 32)
        ctime_r(&now, &buf)
        let stamp = String(buf.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }.prefix(24))
        var lines = ["\(stamp)\tLocal time"]
        lines.append("0x\(String(openFlags, radix: 16))\tEnvironment open flags (Tern)")
        lines.append("\(home ?? ".")\tEnvironment home")
        lines.append("\(region?.size ?? 0)\tRegion size")
        guard flags & UInt32(DB_STAT_SUBSYSTEM) != 0 else { return lines }
        let separator = String(repeating: "=", count: 50)
        let sub = flags & UInt32(DB_STAT_ALL | DB_STAT_CLEAR)
        if isOn(.log) { lines.append(separator); lines += try logLines(flags: sub) }
        if isOn(.lock), let lockTable { lines.append(separator); lines += lockLines(lockTable, flags: sub) }
        if isOn(.mpool) { lines.append(separator); lines += try memoryPoolLines(flags: sub) }
        return lines
    }

    /// libdb's __db_dlbytes: "2GB 10MB 5KB 3B" style.
    static func bytesText(gbytes: UInt32, bytes: UInt32) -> String {
        var parts: [String] = []
        let mb = bytes / (1024 * 1024), kb = (bytes % (1024 * 1024)) / 1024, b = bytes % 1024
        if gbytes > 0 { parts.append("\(gbytes)GB") }
        if mb > 0 { parts.append("\(mb)MB") }
        if kb > 0 { parts.append("\(kb)KB") }
        if b > 0 || parts.isEmpty { parts.append("\(b)B") }
        return parts.joined(separator: " ")
    }
}
