// The engine side of DB_ENV's cache and log methods (EnvStatistics.swift):
// libdb's check order and texts, log_archive's lists, log_file names, the
// panic after a flush past the end of the log, statistics and DB_STAT_CLEAR,
// trickle and sync writing dirty pages back.
import CBerkeleyDB
import Glibc
import Testing
@testable import TernEngine

@Suite struct EnvSubsystemMethodTests {
    func inScratch(_ body: (String) throws -> Void) throws {
        var template = Array("/tmp/tern-envsub-XXXXXX".utf8CString)
        let dir = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        defer { _ = system("rm -rf '\(dir)'") }
        try body(dir)
    }

    func failure(_ body: () throws(DBError) -> Void) -> DBError? {
        do throws(DBError) { try body(); return nil } catch { return error }
    }

    func opened(_ dir: String, _ flags: Int32) throws -> Environment {
        let env = Environment()
        try env.open(home: dir, flags: UInt32(DB_CREATE | flags), mode: 0, hasIsAlive: false)
        return env
    }

    @Test func subsystemsMustBeConfiguredFirst() throws {
        let env = Environment()
        let m = failure { () throws(DBError) in _ = try env.memoryPoolStatistics(flags: 0, wantFiles: false) }
        #expect(m?.code == EINVAL)
        #expect(m?.message == "BDB1566 DB_ENV->memp_stat interface requires an environment configured for the memory pool subsystem")
        let s = failure { () throws(DBError) in try env.syncMemoryPool(lsn: nil) }
        #expect(s?.message == "BDB1566 memp_sync interface requires an environment configured for the memory pool subsystem")
        let a = failure { () throws(DBError) in _ = try env.archiveLog(flags: 0) }
        #expect(a?.message == "BDB1566 DB_ENV->log_archive interface requires an environment configured for the logging subsystem")
        let p = failure { () throws(DBError) in _ = try env.environmentStatisticsText(flags: 0) }
        #expect(p?.message == "BDB1565 DB_ENV->stat_print: method not permitted before handle's open method")
        try inScratch { dir in
            let env = try opened(dir, DB_INIT_MPOOL)
            // An LSN needs the log; the check names memp_sync, as libdb's.
            let l = failure { () throws(DBError) in try env.syncMemoryPool(lsn: LSN(file: 1, offset: 0)) }
            #expect(l?.message == "BDB1566 memp_sync interface requires an environment configured for the logging subsystem")
            try env.syncMemoryPool(lsn: nil)
            let t = failure { () throws(DBError) in try env.checkpoint(kbytes: 0, minutes: 0, flags: 0) }
            #expect(t?.message == "BDB1566 txn_checkpoint interface requires an environment configured for the transaction subsystem")
            try env.close()
        }
    }

    @Test func flagChecksFollowLibdb() throws {
        try inScratch { dir in
            let env = try opened(dir, DB_INIT_MPOOL | DB_INIT_LOG)
            let f = failure { () throws(DBError) in _ = try env.memoryPoolStatistics(flags: UInt32(DB_STAT_ALL), wantFiles: false) }
            #expect(f?.message == "BDB0055 illegal flag specified to DB_ENV->memp_stat")
            let combo = failure { () throws(DBError) in _ = try env.archiveLog(flags: UInt32(DB_ARCH_DATA | DB_ARCH_LOG)) }
            #expect(combo?.message == "BDB0054 illegal flag combination specified to DB_ENV->log_archive")
            let rm = failure { () throws(DBError) in _ = try env.archiveLog(flags: UInt32(DB_ARCH_REMOVE | DB_ARCH_ABS)) }
            #expect(rm?.message == "BDB0054 illegal flag combination specified to DB_ENV->log_archive")
            let bad = failure { () throws(DBError) in _ = try env.archiveLog(flags: 0x100) }
            #expect(bad?.message == "BDB0055 illegal flag specified to DB_ENV->log_archive")
            let c = failure { () throws(DBError) in _ = try env.openLogCursor(flags: 1) }
            #expect(c?.message == "BDB0055 illegal flag specified to DB_ENV->log_cursor")
            for pct: Int32 in [0, 101, -1] {
                let t = failure { () throws(DBError) in _ = try env.trickle(percent: pct) }
                #expect(t?.message == "BDB3007 DB_ENV->memp_trickle: \(pct): percent must be between 1 and 100")
            }
            let sp = failure { () throws(DBError) in _ = try env.environmentStatisticsText(flags: UInt32(DB_STAT_MEMP_HASH)) }
            #expect(sp?.message == "BDB0055 illegal flag specified to DB_ENV->stat_print")
            #expect(try env.memoryPoolStatisticsText(flags: UInt32(DB_STAT_ALL | DB_STAT_MEMP_HASH)).isEmpty == false)
            try env.close()
        }
    }

    @Test func logFileNamesFollowHomeAndLogDir() throws {
        try inScratch { dir in
            let env = try opened(dir, DB_INIT_LOG)
            #expect(try env.logFileName(LSN(file: 42, offset: 7)) == dir + "/log.0000000042")
            let short = failure { () throws(DBError) in try Environment.logFileNameFits("l/log.0000000042", capacity: 16) }
            #expect(short?.message == "BDB2519 DB_ENV->log_file: name buffer is too short")
            #expect(failure { () throws(DBError) in try Environment.logFileNameFits("l/log.0000000042", capacity: 17) } == nil)
            try env.close()
        }
        let env = Environment()
        env.config.logDir = "logs"
        #expect(env.logFilePath(1) == "logs/log.0000000001")
        env.config.logDir = "/abs/logs"
        #expect(env.logFilePath(3) == "/abs/logs/log.0000000003")
    }

    @Test func archiveListsOnlyWhatIsProvablyUnneeded() throws {
        try inScratch { dir in
            let env = try opened(dir, DB_INIT_MPOOL | DB_INIT_LOG | DB_INIT_TXN)
            // An empty log: DB_ARCH_LOG lists nothing (libdb's first file is
            // not on disk before anything is written to it).
            #expect(try env.archiveLog(flags: UInt32(DB_ARCH_LOG)) == nil)
            try env.log!.append(type: 1, payload: [1, 2, 3])
            try env.flushLog(upTo: nil)
            #expect(try env.archiveLog(flags: UInt32(DB_ARCH_LOG)) == ["log.0000000001"])
            var cwd = [CChar](repeating: 0, count: 4096)
            _ = getcwd(&cwd, cwd.count)
            let here = cwd.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            let absName = dir.hasPrefix("/") ? dir + "/log.0000000001" : here + "/" + dir + "/log.0000000001"
            #expect(try env.archiveLog(flags: UInt32(DB_ARCH_LOG | DB_ARCH_ABS)) == [absName])
            // No checkpoint record: nothing is unneeded, nothing removed.
            #expect(try env.archiveLog(flags: 0) == nil)
            #expect(try env.archiveLog(flags: UInt32(DB_ARCH_REMOVE)) == nil)
            #expect(access(dir + "/log.0000000001", F_OK) == 0)
            #expect(try env.archiveLog(flags: UInt32(DB_ARCH_DATA)) == nil)
            try env.close()
        }
    }

    @Test func flushPastTheEndPanics() throws {
        try inScratch { dir in
            let env = try opened(dir, DB_INIT_MPOOL | DB_INIT_LOG)
            try env.flushLog(upTo: LSN(file: 1, offset: 0))
            #expect(env.panicked == false)
            let e = failure { () throws(DBError) in try env.flushLog(upTo: LSN(file: 9, offset: 100)) }
            #expect(e?.code == DB_RUNRECOVERY)
            #expect(e?.message?.hasPrefix("BDB2516 DB_ENV->log_flush: LSN of 9/100 past current end-of-log") == true)
            #expect(env.panicked)
            let after = failure { () throws(DBError) in _ = try env.archiveLog(flags: 0) }
            #expect(after?.code == DB_RUNRECOVERY)
            #expect(after?.message == "BDB0060 PANIC: fatal region error detected; run recovery")
            // Flag checks still come first.
            let combo = failure { () throws(DBError) in _ = try env.archiveLog(flags: UInt32(DB_ARCH_REMOVE | DB_ARCH_LOG)) }
            #expect(combo?.code == EINVAL)
            _ = try? env.close()
        }
    }

    @Test func logStatisticsAndClear() throws {
        try inScratch { dir in
            let env = Environment()
            try env.setLogBufferSize(64 * 1024)
            try env.setLogFileSize(2 * 1024 * 1024)
            try env.open(home: dir, flags: UInt32(DB_CREATE | DB_INIT_LOG), mode: 0, hasIsAlive: false)
            try env.log!.append(type: 1, payload: [UInt8](repeating: 7, count: 100))
            try env.flushLog(upTo: nil)
            let s = try env.logStatistics(flags: UInt32(DB_STAT_CLEAR))
            #expect(s.bufferSize == 64 * 1024)
            #expect(s.fileSize == 2 * 1024 * 1024)
            #expect(s.counters.records == 1)
            #expect(s.current.file == 1)
            #expect(s.onDisk == s.current)
            #expect(try env.logStatistics(flags: 0).counters.records == 0)
            let lines = try env.logStatisticsText(flags: 0)
            #expect(lines.contains("2Mb\tCurrent log file size"))
            try env.close()
        }
    }

    @Test func trickleAndSyncWriteDirtyPagesBack() throws {
        try inScratch { dir in
            let env = try opened(dir, DB_INIT_MPOOL)
            let db = Database(environment: env)
            try db.open(file: "a.db", database: nil, type: DB_BTREE, flags: UInt32(DB_CREATE), mode: 0,
                        options: BtreeOptions())
            for i in 0..<50 {
                try withBuffer(Array("key\(i)".utf8)) { (k) throws(DBError) in
                    try withBuffer(Array("value\(i)".utf8)) { (d) throws(DBError) in
                        try db.put(key: k, data: d, .keyLast, autoCommit: false)
                    }
                }
            }
            let before = try env.memoryPoolStatistics(flags: 0, wantFiles: true)
            #expect(before.cache.dirtyPages > 0)
            #expect(before.files.map(\.name) == ["a.db"])
            #expect(before.files.first?.pageSize == 4096)
            #expect(try env.trickle(percent: 1) == 0)  // enough clean pages already
            let written = try env.trickle(percent: 100)
            #expect(written == before.cache.dirtyPages)
            #expect(try env.memoryPoolStatistics(flags: 0, wantFiles: false).cache.dirtyPages == 0)
            #expect(try env.trickle(percent: 100) == 0)
            try withBuffer(Array("x".utf8)) { (k) throws(DBError) in try db.put(key: k, data: k, .keyLast, autoCommit: false) }
            try env.syncMemoryPool(lsn: nil)
            let after = try env.memoryPoolStatistics(flags: UInt32(DB_STAT_CLEAR), wantFiles: false)
            #expect(after.cache.dirtyPages == 0)
            #expect(after.cache.pagesWritten > 0)
            #expect(try env.memoryPoolStatistics(flags: 0, wantFiles: false).cache.pagesWritten == 0)
            try db.close(noSync: false)
            try env.close()
        }
    }
}
