// The write-ahead log: format, append/read, rollover, torn tails, reopen,
// truncation, cursors, archiving, in-memory logs, write modes.
import CBerkeleyDB
import Glibc
import Testing
@testable import TernEngine

@Suite struct LogFormatTests {
    @Test func crc32cKnownValuesAndIncremental() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([]) == 0)
        // 32 zero bytes: the iSCSI test vector.
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        // Split anywhere (alignment prologue, 8-byte body, tail): same CRC.
        let data = logPayload(1, size: 1000)
        let whole = CRC32C.checksum(data)
        for cut in [0, 1, 3, 7, 8, 9, 500, 999, 1000] {
            let c = data.withUnsafeBytes { p in
                CRC32C.update(CRC32C.update(0, UnsafeRawBufferPointer(rebasing: p[..<cut])),
                              UnsafeRawBufferPointer(rebasing: p[cut...]))
            }
            #expect(c == whole)
        }
        // The instruction and the tables agree, at every alignment and length.
        data.withUnsafeBytes { p in
            for start in 0..<9 {
                for end in [start, start + 1, start + 7, start + 8, start + 17, 1000] {
                    let slice = UnsafeRawBufferPointer(rebasing: p[start..<end])
                    #expect(CRC32C.update(0x1234_5678, slice) == CRC32C.tableUpdate(0x1234_5678, slice))
                }
            }
        }
    }

    @Test func lsnOrderAndNames() {
        #expect(LSN(file: 1, offset: 500) < LSN(file: 2, offset: 0))
        #expect(LSN(file: 2, offset: 10) < LSN(file: 2, offset: 11))
        #expect(!(LSN(file: 2, offset: 10) < LSN(file: 2, offset: 10)))
        #expect(LSN.zero.isZero)
        #expect(LogFiles.name(1) == "log.0000000001")
        #expect(LogFiles.name(1234567890) == "log.1234567890")
        #expect(LogFiles.number(fromName: "log.0000000042") == 42)
        #expect(LogFiles.number(fromName: "log.000000004") == nil)
        #expect(LogFiles.number(fromName: "log.00000000a2") == nil)
        #expect(LogFiles.number(fromName: "log.0000000000") == nil)
        #expect(LogFiles.number(fromName: "__db.001") == nil)
    }
}

@Suite struct LogWriterTests {
    @Test func appendReadRoundTripBufferedAndFlushed() throws {
        let dir = LogTestDir(); defer { dir.cleanup() }
        let log = try Log.open(.init(directory: dir.path, bufferSize: 4096, fileSize: 1 << 20))
        // The header is still in the buffer: the file, created at its full
        // size (lg_max, as libdb's), holds only zeros so far.
        #expect(dir.size(1) == 1 << 20)
        #expect(dir.isZero(1, from: 0))
        var lsns: [LSN] = []
        for i in 0..<200 {
            lsns.append(try log.append(type: UInt32(i % 7), payload: logPayload(i, size: i * 13 % 300)))
        }
        #expect(lsns.first == LSN(file: 1, offset: LogFormat.headerRecordSize))
        #expect(zip(lsns, lsns.dropFirst()).allSatisfy { $0 < $1 })
        #expect(log.lastLSN == lsns.last)
        // Part is in the file, part in the buffer: the attached cursor sees all.
        let c = LogCursor(log: log)
        let fwd = try logReadForward(c)
        #expect(fwd.map(\.lsn) == lsns)
        for (i, r) in fwd.enumerated() {
            #expect(r.type == UInt32(i % 7))
            #expect(r.payload == logPayload(i, size: i * 13 % 300))
        }
        #expect(try logReadBackward(c).map(\.lsn) == lsns.reversed())
        // An offline reader sees only what was written.
        let offline = try logReadForward(LogCursor(directory: dir.path))
        #expect(offline.count < lsns.count)
        #expect(offline.map(\.lsn) == Array(lsns.prefix(offline.count)))
        try log.flush()
        #expect(try logReadForward(LogCursor(directory: dir.path)) == fwd)
        #expect(log.syncedLSN > lsns.last!)
    }

    @Test func rolloverAtSmallFileSizeTraversesBothWays() throws {
        let dir = LogTestDir(); defer { dir.cleanup() }
        let lgMax: UInt32 = 1024
        let log = try Log.open(.init(directory: dir.path, bufferSize: 300, fileSize: lgMax))
        var expected: [(LSN, [UInt8])] = []
        for i in 0..<400 {
            let p = logPayload(i, size: i * 37 % 240)
            expected.append((try log.append(type: 1, payload: p), p))
        }
        let nfiles = log.nextLSN.file
        #expect(nfiles > 30)
        for (lsn, p) in expected {
            #expect(lsn.offset >= LogFormat.headerRecordSize)
            #expect(lsn.offset + UInt32(LogFormat.frameSize + p.count) <= lgMax)
        }
        // Attached (buffer + files), before and after flushing; then offline.
        for round in 0..<3 {
            if round == 1 { try log.flush() }
            let c = round == 2 ? LogCursor(directory: dir.path) : LogCursor(log: log)
            let fwd = try logReadForward(c)
            #expect(fwd.map(\.lsn) == expected.map(\.0))
            #expect(fwd.map(\.payload) == expected.map(\.1))
            #expect(try logReadBackward(c).map(\.lsn) == expected.map(\.0).reversed())
        }
        #expect(LogFiles(directory: dir.path).list() == Array(1...nfiles))
        // Each header names the previous file's last record.
        let c = LogCursor(directory: dir.path)
        for f in 2...nfiles {
            let h = try #require(try c.fileHeader(f))
            #expect(h.file == f && h.lgMax == lgMax)
            #expect(h.prevLast == expected.last(where: { $0.0.file < f })!.0)
        }
    }

    @Test func recordLargerThanFileSizeIsRejectedAsLibdb() throws {
        let dir = LogTestDir(); defer { dir.cleanup() }
        let lgMax: UInt32 = 4096
        let log = try Log.open(.init(directory: dir.path, bufferSize: 512, fileSize: lgMax))
        let maxPayload = LogFormat.maxPayload(lgMax: lgMax)
        let e = logErrorOf { try log.append(type: 1, payload: [UInt8](repeating: 1, count: maxPayload + 1)) }
        #expect(e?.code == EINVAL)
        #expect(e?.message?.hasPrefix("BDB2513 DB_ENV->log_put: record larger than maximum file size") == true)
        _ = try log.append(type: 1, payload: [1, 2, 3])
        // The largest record gets a file of its own, exactly full.
        let big = try log.append(type: 2, payload: logPayload(9, size: maxPayload))
        #expect(big == LSN(file: 2, offset: LogFormat.headerRecordSize))
        let after = try log.append(type: 3, payload: [9])
        #expect(after.file == 3)
        try log.flush()
        #expect(dir.size(2) == Int(lgMax))
        #expect(try LogCursor(directory: dir.path).set(big).payload == logPayload(9, size: maxPayload))
        #expect(logErrorCode { _ = try log.append(type: LogRecordType.fileHeader, payload: []) } == EINVAL)
    }

    @Test func reopenContinuesAtTheRightLSN() throws {
        let dir = LogTestDir(); defer { dir.cleanup() }
        let config = Log.Configuration(directory: dir.path, bufferSize: 1000, fileSize: 2000)
        var all: [LSN] = []
        var next = LSN.zero
        for round in 0..<4 {
            let log = try Log.open(config)
            if round > 0 { #expect(log.nextLSN == next) ; #expect(log.lastLSN == all.last) }
            for i in 0..<25 { all.append(try log.append(type: UInt32(round), payload: logPayload(i, size: 50 + i))) }
            next = log.nextLSN
            try log.close()
        }
        #expect(next.file > 3)
        let log = try Log.open(config)
        let recs = try logReadForward(LogCursor(log: log))
        #expect(recs.map(\.lsn) == all)
        #expect(recs.map(\.type) == (0..<4).flatMap { r in [UInt32](repeating: UInt32(r), count: 25) })
    }

    @Test func emptyDirectoryGetsFirstFileAndForeignFilesAreRefused() throws {
        let dir = LogTestDir(); defer { dir.cleanup() }
        let log = try Log.open(.init(directory: dir.path))
        #expect(log.nextLSN == LSN(file: 1, offset: LogFormat.headerRecordSize))
        #expect(log.lastLSN == .zero)
        #expect(logErrorCode { _ = try LogCursor(log: log).first() } == DB_NOTFOUND)
        #expect(logErrorCode { _ = try LogCursor(log: log).last() } == DB_NOTFOUND)
        try log.close()
        // The file keeps its full (pre-allocated) size; the log's end is
        // after the header, and only zeros follow it.
        #expect(dir.size(1) == Int(EnvironmentConfig.defaultLogFileSize))
        #expect(dir.isZero(1, from: Int(LogFormat.headerRecordSize)))
        #expect(try Log.open(.init(directory: dir.path)).nextLSN == LSN(file: 1, offset: LogFormat.headerRecordSize))

        let other = LogTestDir(); defer { other.cleanup() }
        // A Berkeley DB log (or anything else) under a log file name.
        other.writeFile("log.0000000001", logPayload(3, size: 4096))
        let e = logErrorOf { _ = try Log.open(.init(directory: other.path)) }
        #expect(e?.code == EINVAL)
        #expect(e?.message?.contains("not a Tern log file") == true)
        #expect(other.size(1) == 4096)  // never touched
    }

    @Test func writeModes() throws {
        let dir = LogTestDir(); defer { dir.cleanup() }
        let syncs = LogTestGate()
        let log = try Log.open(.init(directory: dir.path, bufferSize: 8192), sync: { fd in
            syncs.add("sync"); return fdatasync(fd)
        })
        let a = try log.append(type: 1, payload: [1, 2, 3])
        try log.commit(a, mode: .noSync)
        // Files are pre-sized, so "written" is checked by content, not size:
        // nothing is in the file yet, then the record is readable offline.
        #expect(dir.isZero(1, from: 0))
        #expect(!log.isDurable(a))
        try log.commit(a, mode: .writeNoSync)
        #expect(try LogCursor(directory: dir.path).set(a).payload == [1, 2, 3])
        #expect(log.writtenLSN > a && !log.isDurable(a))
        #expect(syncs.value("sync") == 0)
        try log.commit(a, mode: .sync)
        #expect(log.isDurable(a))
        #expect(syncs.value("sync") == 1)
        try log.commit(a, mode: .sync)  // already durable: no second sync
        #expect(syncs.value("sync") == 1)
        #expect(log.statistics.syncs == 1)
        // Past the end of the log: libdb's BDB2516.
        let e = logErrorOf { try log.flush(upTo: LSN(file: 9, offset: 0)) }
        #expect(e?.code == DB_RUNRECOVERY)
        #expect(e?.message?.hasPrefix("BDB2516") == true)
    }

    @Test func dsyncAndZeroFill() throws {
        let dir = LogTestDir(); defer { dir.cleanup() }
        let syncs = LogTestGate()
        let config = Log.Configuration(directory: dir.path, bufferSize: 512, fileSize: 8192,
                                       flags: UInt32(DB_LOG_DSYNC | DB_LOG_ZERO))
        let log = try Log.open(config, sync: { fd in syncs.add("sync"); return fdatasync(fd) })
        #expect(dir.size(1) == 8192)
        var lsns: [LSN] = []
        for i in 0..<10 { lsns.append(try log.append(type: 1, payload: logPayload(i, size: 100))) }
        // Readers must not mistake the zero-filled tail for data.
        #expect(try logReadForward(LogCursor(log: log)).map(\.lsn) == lsns)
        try log.flush(upTo: lsns.last!)
        #expect(log.isDurable(lsns.last!))
        #expect(syncs.value("sync") == 0)  // O_DSYNC writes are durable
        try log.close()
        #expect(try logReadForward(LogCursor(directory: dir.path)).map(\.lsn) == lsns)
        let again = try Log.open(config)
        #expect(again.lastLSN == lsns.last)
        let n = try again.append(type: 2, payload: [7])
        #expect(n.offset == lsns.last!.offset + UInt32(LogFormat.frameSize + 100))
    }
}

@Suite struct LogTornTailTests {
    /// Writes `count` records into file 1 and closes; returns their LSNs.
    func writeLog(_ dir: LogTestDir, count: Int = 20, size: Int = 64) throws -> [LSN] {
        let log = try Log.open(.init(directory: dir.path, bufferSize: 4096, fileSize: 1 << 20))
        var lsns: [LSN] = []
        for i in 0..<count { lsns.append(try log.append(type: 5, payload: logPayload(i, size: size))) }
        try log.close()
        return lsns
    }

    /// The log ends at `lastGood`; reopening cuts the tail and appends after it.
    func checkRecovers(_ dir: LogTestDir, _ lsns: [LSN], lastGood: Int) throws {
        let good = Array(lsns.prefix(lastGood + 1))
        // Offline readers stop at the last valid record.
        let c = LogCursor(directory: dir.path)
        #expect(try c.last().lsn == good.last)
        #expect(try logReadForward(c).map(\.lsn) == good)
        #expect(try logReadBackward(LogCursor(directory: dir.path)).map(\.lsn) == good.reversed())
        let log = try Log.open(.init(directory: dir.path, bufferSize: 4096, fileSize: 1 << 20))
        let end = good.last!.offset + UInt32(LogFormat.frameSize + 64)
        #expect(log.lastLSN == good.last)
        #expect(log.nextLSN == LSN(file: 1, offset: end))
        // The torn tail is gone from the file: only zeros after the end
        // (the file stays pre-sized to lg_max, so its size is not checked).
        #expect(dir.isZero(1, from: Int(end)))
        let a = try log.append(type: 6, payload: logPayload(100, size: 10))
        let b = try log.append(type: 6, payload: logPayload(101, size: 500))
        #expect(a == LSN(file: 1, offset: end))
        try log.close()
        let all = try logReadForward(LogCursor(directory: dir.path))
        #expect(all.map(\.lsn) == good + [a, b])
        #expect(all.last?.payload == logPayload(101, size: 500))
    }

    @Test func fileCutMidRecord() throws {
        let dir = LogTestDir(); defer { dir.cleanup() }
        let lsns = try writeLog(dir)
        dir.truncateFile(1, to: Int(lsns[15].offset) + 30)
        try checkRecovers(dir, lsns, lastGood: 14)
    }

    @Test func fileCutInsideFrame() throws {
        let dir = LogTestDir(); defer { dir.cleanup() }
        let lsns = try writeLog(dir)
        dir.truncateFile(1, to: Int(lsns[19].offset) + 5)
        try checkRecovers(dir, lsns, lastGood: 18)
    }

    @Test func overwrittenPayloadByte() throws {
        let dir = LogTestDir(); defer { dir.cleanup() }
        let lsns = try writeLog(dir)
        dir.poke(1, at: Int(lsns[12].offset) + 40, [0xAB])
        try checkRecovers(dir, lsns, lastGood: 11)
    }

    @Test func overwrittenLengthField() throws {
        let dir = LogTestDir(); defer { dir.cleanup() }
        let lsns = try writeLog(dir)
        dir.poke(1, at: Int(lsns[17].offset), [0xFF, 0xFF, 0x00, 0x00])
        try checkRecovers(dir, lsns, lastGood: 16)
    }

    /// Where the records written by writeLog end in file 1 (the file
    /// itself is pre-sized to lg_max and ends much later).
    func logicalEnd(_ lsns: [LSN], size: Int = 64) -> Int {
        Int(lsns.last!.offset) + LogFormat.frameSize + size
    }

    @Test func garbageAppended() throws {
        let dir = LogTestDir(); defer { dir.cleanup() }
        let lsns = try writeLog(dir)
        // Right after the last record, and also far out in the pre-sized
        // file's hole, and past its end: all of it must go.
        dir.poke(1, at: logicalEnd(lsns), logPayload(77, size: 333))
        dir.poke(1, at: 100_000, logPayload(78, size: 333))
        dir.appendBytes(1, logPayload(79, size: 333))
        try checkRecovers(dir, lsns, lastGood: 19)
    }

    @Test func zerosAppended() throws {
        let dir = LogTestDir(); defer { dir.cleanup() }
        let lsns = try writeLog(dir)
        // Zeros written (not a hole) after the end, and past the file's size.
        dir.poke(1, at: logicalEnd(lsns), [UInt8](repeating: 0, count: 4096))
        dir.appendBytes(1, [UInt8](repeating: 0, count: 4096))
        try checkRecovers(dir, lsns, lastGood: 19)
    }

    @Test func fileFromBeforePresizingIsExtended() throws {
        // A file exactly as long as its records (cut to the end by hand, or
        // written before files were pre-sized) is a clean log; reopening
        // pre-sizes it and appends after the last record.
        let dir = LogTestDir(); defer { dir.cleanup() }
        let lsns = try writeLog(dir)
        dir.truncateFile(1, to: logicalEnd(lsns))
        try checkRecovers(dir, lsns, lastGood: 19)
        #expect(dir.size(1) == 1 << 20)
    }

    @Test func recordsValidOnlyAtTheirOwnLSN() throws {
        // File 2's records replaced by file 1's bytes at the same offsets:
        // frames, prev links and payload checksums all look right, only the
        // file number differs, and the checksum covers the LSN.
        let dir = LogTestDir(); defer { dir.cleanup() }
        let config = Log.Configuration(directory: dir.path, bufferSize: 4096, fileSize: 2048)
        let log = try Log.open(config)
        var lsns: [LSN] = []
        for i in 0..<30 { lsns.append(try log.append(type: 5, payload: logPayload(i, size: 64))) }
        try log.close()
        let inFile1 = lsns.filter { $0.file == 1 }
        #expect(inFile1.count == 25 && lsns.last!.file == 2)
        let fd = open(dir.file(1), O_RDONLY)
        var body = [UInt8](repeating: 0, count: 400)
        _ = body.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 400, 48) }
        close(fd)
        dir.poke(2, at: 48, body)
        let c = LogCursor(directory: dir.path)
        #expect(try c.last().lsn == inFile1.last)
        #expect(try logReadForward(c).map(\.lsn) == inFile1)
        #expect(logErrorCode { _ = try LogCursor(directory: dir.path).set(LSN(file: 2, offset: 48)) } == DB_RUNRECOVERY)
        let again = try Log.open(config)
        #expect(again.lastLSN == inFile1.last)
        // File 2 is cut back to its header (only zeros after it; the file
        // keeps its pre-allocated size).
        #expect(dir.isZero(2, from: 48))
        #expect(try again.append(type: 1, payload: [1]) == LSN(file: 2, offset: 48))
    }

    @Test func tornHeaderOfLastFileIsRemovedAndNumberingContinues() throws {
        let dir = LogTestDir(); defer { dir.cleanup() }
        let log = try Log.open(.init(directory: dir.path, bufferSize: 512, fileSize: 1024))
        var lsns: [LSN] = []
        for i in 0..<30 { lsns.append(try log.append(type: 1, payload: logPayload(i, size: 100))) }
        try log.close()
        let lastFile = log.nextLSN.file
        // A crash while creating the next file: a few bytes of its header.
        dir.writeFile(LogFiles.name(lastFile + 1), [0x30, 0, 0, 0, 0, 0])
        #expect(try LogCursor(directory: dir.path).last().lsn == lsns.last)
        let again = try Log.open(.init(directory: dir.path, bufferSize: 512, fileSize: 1024))
        #expect(!LogFiles(directory: dir.path).exists(lastFile + 1))
        #expect(again.lastLSN == lsns.last)
        var more = lsns
        for i in 30..<40 { more.append(try again.append(type: 1, payload: logPayload(i, size: 100))) }
        #expect(try logReadForward(LogCursor(log: again)).map(\.lsn) == more)
        #expect(try logReadBackward(LogCursor(log: again)).map(\.lsn) == more.reversed())
    }
}

@Suite struct LogTruncateTests {
    @Test func truncateWithinAndAcrossFiles() throws {
        let dir = LogTestDir(); defer { dir.cleanup() }
        let log = try Log.open(.init(directory: dir.path, bufferSize: 700, fileSize: 2048))
        var lsns: [LSN] = []
        for i in 0..<120 { lsns.append(try log.append(type: 1, payload: logPayload(i, size: 90))) }
        let cursor = LogCursor(log: log)
        _ = try cursor.last()
        // Within the current (buffered) file.
        try log.truncate(after: lsns[110])
        #expect(log.lastLSN == lsns[110])
        #expect(logErrorCode { _ = try cursor.current() } == EINVAL)  // position dropped
        #expect(try cursor.last().lsn == lsns[110])
        // Across files: back to a record in an early file.
        let keep = lsns[30]
        try log.truncate(after: keep)
        #expect(LogFiles(directory: dir.path).list().last == keep.file)
        // The truncated file ends after `keep` in content, not size: it
        // stays pre-sized to lg_max, with zeros after the new end.
        #expect(dir.isZero(keep.file, from: Int(keep.offset) + LogFormat.frameSize + 90))
        #expect(dir.size(keep.file) == 2048)
        #expect(log.nextLSN == LSN(file: keep.file, offset: keep.offset + UInt32(LogFormat.frameSize + 90)))
        var expected = Array(lsns.prefix(31))
        for i in 200..<260 { expected.append(try log.append(type: 2, payload: logPayload(i, size: 90))) }
        #expect(expected[31] == lsns[31])  // same place, new content
        #expect(try logReadForward(LogCursor(log: log)).map(\.lsn) == expected)
        try log.close()
        let offline = try logReadForward(LogCursor(directory: dir.path))
        #expect(offline.map(\.lsn) == expected)
        #expect(offline[31].type == 2 && offline[31].payload == logPayload(200, size: 90))
        #expect(try logReadBackward(LogCursor(directory: dir.path)).map(\.lsn) == expected.reversed())
    }

    @Test func truncateToAFileHeaderAndRejectsNonRecords() throws {
        let dir = LogTestDir(); defer { dir.cleanup() }
        let log = try Log.open(.init(directory: dir.path, bufferSize: 700, fileSize: 2048))
        var lsns: [LSN] = []
        for i in 0..<60 { lsns.append(try log.append(type: 1, payload: logPayload(i, size: 90))) }
        try log.flush()
        #expect(logErrorCode { try log.truncate(after: LSN(file: 2, offset: lsns.first(where: { $0.file == 2 })!.offset + 3)) } == EIO)
        #expect(logErrorCode { try log.truncate(after: LSN(file: 99, offset: 48)) } == EINVAL)
        try log.truncate(after: LSN(file: 2, offset: 0))
        #expect(log.lastLSN == lsns.last(where: { $0.file == 1 }))
        #expect(log.nextLSN == LSN(file: 2, offset: LogFormat.headerRecordSize))
        let n = try log.append(type: 3, payload: [1])
        #expect(n == LSN(file: 2, offset: LogFormat.headerRecordSize))
        #expect(try LogCursor(log: log).prev().lsn == n)
        #expect(try logReadBackward(LogCursor(log: log)).map(\.lsn)
            == (lsns.filter { $0.file == 1 } + [n]).reversed())
    }

    @Test func replicationClientAppendsAtMasterLSNs() throws {
        let master = LogTestDir(); defer { master.cleanup() }
        let client = LogTestDir(); defer { client.cleanup() }
        let m = try Log.open(.init(directory: master.path, bufferSize: 4096, fileSize: 1500))
        for i in 0..<50 { _ = try m.append(type: UInt32(i), payload: logPayload(i, size: i * 7 % 120)) }
        let shipped = try logReadForward(LogCursor(log: m))
        // The client's own lg_max is larger: the master's file switches rule.
        let c = try Log.open(.init(directory: client.path, bufferSize: 512, fileSize: 1 << 20))
        for r in shipped {
            try r.payload.withUnsafeBytes { try c.append(at: r.lsn, type: r.type, payload: $0) }
        }
        #expect(try logReadForward(LogCursor(log: c)) == shipped)
        #expect(c.nextLSN == m.nextLSN)
        // Out of order: refused, nothing written.
        let e = logErrorCode { try c.append(at: LSN(file: c.nextLSN.file, offset: c.nextLSN.offset + 4), type: 1, payload: UnsafeRawBufferPointer(start: nil, count: 0)) }
        #expect(e == EINVAL)
        // Internal init: start over at the master's file.
        try c.reset(startingAt: 7)
        #expect(LogFiles(directory: client.path).list() == [7])
        #expect(c.nextLSN == LSN(file: 7, offset: LogFormat.headerRecordSize))
        #expect(logErrorCode { _ = try LogCursor(log: c).first() } == DB_NOTFOUND)
    }
}

@Suite struct LogCursorTests {
    @Test func setOnValidAndInvalidLSNs() throws {
        let dir = LogTestDir(); defer { dir.cleanup() }
        let log = try Log.open(.init(directory: dir.path, bufferSize: 1024, fileSize: 4096))
        var lsns: [LSN] = []
        for i in 0..<40 { lsns.append(try log.append(type: UInt32(i), payload: logPayload(i, size: 200))) }
        for attached in [true, false] {
            if !attached { try log.flush() }
            let c = attached ? LogCursor(log: log) : LogCursor(directory: dir.path)
            let r = try c.set(lsns[17])
            #expect(r.lsn == lsns[17] && r.type == 17 && r.payload == logPayload(17, size: 200))
            #expect(try c.next().lsn == lsns[18])
            #expect(try c.prev().lsn == lsns[17])
            #expect(try c.prev().lsn == lsns[16])
            #expect(try c.current().lsn == lsns[16])
            // The middle of a record: libdb's invalid header / checksum errors.
            for delta: UInt32 in [1, 4, 16, 100] {
                let bad = LSN(file: lsns[5].file, offset: lsns[5].offset + delta)
                let code = logErrorCode { _ = try c.set(bad) }
                #expect(code == EIO || code == DB_RUNRECOVERY)
            }
            #expect(try c.current().lsn == lsns[16])  // errors leave the position
            #expect(logErrorCode { _ = try c.set(.zero) } == EINVAL)
            #expect(logErrorCode { _ = try c.set(LSN(file: 500, offset: 48)) } == DB_NOTFOUND)
            let end = log.nextLSN
            #expect(logErrorCode { _ = try c.set(end) } == DB_NOTFOUND)
            // Offset 0: the file header, as libdb's persist record.
            let h = try c.set(LSN(file: 2, offset: 0))
            #expect(h.type == LogRecordType.fileHeader)
            #expect(try c.next().lsn == lsns.first(where: { $0.file == 2 }))
            // Ends.
            #expect(try c.set(lsns.last!).lsn == lsns.last)
            #expect(logErrorCode { _ = try c.next() } == DB_NOTFOUND)
            #expect(try c.current().lsn == lsns.last)
            #expect(try c.first().lsn == lsns.first)
            #expect(logErrorCode { _ = try c.prev() } == DB_NOTFOUND)
            #expect(try c.current().lsn == lsns.first)
        }
        let fresh = LogCursor(log: log)
        #expect(logErrorCode { _ = try fresh.current() } == EINVAL)
        #expect(try LogCursor(log: log).next().lsn == lsns.first)  // NEXT on unset = FIRST
        #expect(try LogCursor(log: log).prev().lsn == lsns.last)   // PREV on unset = LAST
    }

    @Test func offlineCursorSeesRecordsWrittenAfterItReachedTheEnd() throws {
        // Files are pre-sized: a reader without the writer reads zeros after
        // the last record into its read-ahead window. Records written there
        // later must still be found (the window is re-read, not trusted).
        let dir = LogTestDir(); defer { dir.cleanup() }
        let log = try Log.open(.init(directory: dir.path, bufferSize: 1024, fileSize: 1 << 20))
        let a = try log.append(type: 1, payload: logPayload(1, size: 50))
        try log.flush()
        let c = LogCursor(directory: dir.path)
        #expect(try c.last().lsn == a)  // the window now holds zeros after a
        #expect(logErrorCode { _ = try c.set(log.nextLSN) } == DB_NOTFOUND)
        #expect(try c.set(a).lsn == a)
        let b = try log.append(type: 2, payload: logPayload(2, size: 70))
        try log.flush()
        #expect(try c.next() == LogRecord(lsn: b, type: 2, payload: logPayload(2, size: 70)))
        #expect(try c.set(b).lsn == b)
        #expect(logErrorCode { _ = try c.next() } == DB_NOTFOUND)
    }

    @Test func corruptionInsideTheLogIsAnErrorNotTheEnd() throws {
        let dir = LogTestDir(); defer { dir.cleanup() }
        let log = try Log.open(.init(directory: dir.path, bufferSize: 1024, fileSize: 4096))
        var lsns: [LSN] = []
        for i in 0..<60 { lsns.append(try log.append(type: 1, payload: logPayload(i, size: 200))) }
        try log.close()
        let victim = lsns.first(where: { $0.file == 2 })!
        dir.poke(2, at: Int(victim.offset) + 50, [0x5A, 0x5A])
        let c = LogCursor(directory: dir.path)
        _ = try c.set(LSN(file: 2, offset: 0))
        #expect(logErrorCode { _ = try c.next() } == DB_RUNRECOVERY)
        #expect(logErrorCode { _ = try c.set(victim) } == DB_RUNRECOVERY)
    }

    @Test func archivableFilesAndRemoval() throws {
        let dir = LogTestDir(); defer { dir.cleanup() }
        let log = try Log.open(.init(directory: dir.path, bufferSize: 1024, fileSize: 2048))
        var lsns: [LSN] = []
        for i in 0..<80 { lsns.append(try log.append(type: 1, payload: logPayload(i, size: 150))) }
        try log.flush()
        let files = log.files
        let n = log.nextLSN.file
        #expect(n >= 6)
        let ckp = lsns.first(where: { $0.file == 4 })!
        #expect(files.archivable(before: ckp) == [1, 2, 3])
        #expect(files.archivable(before: LSN(file: 4, offset: 0)) == [1, 2, 3])
        #expect(files.archivable(before: LSN(file: 1, offset: 48)) == [])
        #expect(files.first == 1 && files.last == n)
        #expect(try files.removeArchivable(before: ckp) == [1, 2, 3])
        #expect(files.list() == Array(4...n))
        #expect(files.archivable(before: ckp) == [])
        // The log now starts in file 4, both for the writer's and offline cursors.
        let kept = lsns.filter { $0.file >= 4 }
        for c in [LogCursor(log: log), LogCursor(directory: dir.path)] {
            #expect(try logReadForward(c).map(\.lsn) == kept)
            #expect(try logReadBackward(c).map(\.lsn) == kept.reversed())
            #expect(logErrorCode { _ = try c.set(lsns[0]) } == DB_NOTFOUND)
        }
        try files.remove(99)  // missing: not an error
    }

    @Test func randomizedRecordSizesIncludingLargerThanBuffer() throws {
        let dir = LogTestDir(); defer { dir.cleanup() }
        let config = Log.Configuration(directory: dir.path, bufferSize: 4096, fileSize: 64 * 1024)
        var rng = LogTestRandom(seed: 20240611)
        var expected: [LogRecord] = []
        var log = try Log.open(config)
        for i in 0..<600 {
            let size: Int
            switch rng.below(10) {
            case 0: size = 4096 + rng.below(20000)          // bigger than the buffer
            case 1: size = 0
            case 2: size = 4096 - 16 - rng.below(4)          // around the buffer size
            default: size = rng.below(600)
            }
            let p = logPayload(i, size: size)
            let t = UInt32(rng.below(1000))
            let lsn = try log.append(type: t, payload: p)
            expected.append(LogRecord(lsn: lsn, type: t, payload: p))
            switch rng.below(40) {
            case 0: try log.flush(upTo: lsn, sync: rng.below(2) == 0)
            case 1: try log.close(); log = try Log.open(config)
            default: break
            }
            #expect(log.lastLSN == lsn)
        }
        #expect(log.nextLSN.file > 10)
        for c in [LogCursor(log: log)] {
            #expect(try logReadForward(c) == expected)
            #expect(try logReadBackward(c) == expected.reversed())
            for _ in 0..<200 {
                let r = expected[rng.below(expected.count)]
                #expect(try c.set(r.lsn) == r)
            }
        }
        try log.close()
        let offline = LogCursor(directory: dir.path)
        #expect(try logReadForward(offline) == expected)
        #expect(try logReadBackward(offline) == expected.reversed())
    }
}

@Suite struct InMemoryLogTests {
    @Test func ringRoundTripRolloverAndOverwrite() throws {
        let log = try Log.open(.init(directory: "/nonexistent", bufferSize: 8192, fileSize: 2048,
                                     flags: UInt32(DB_LOG_IN_MEMORY)))
        #expect(log.isInMemory)
        var lsns: [LSN] = []
        for i in 0..<300 { lsns.append(try log.append(type: UInt32(i), payload: logPayload(i, size: 10 + i % 150))) }
        #expect(log.nextLSN.file > 10)
        try log.flush()  // nothing to flush, not an error
        let c = LogCursor(log: log)
        let fwd = try logReadForward(c)
        // Old files were overwritten: what is left is a suffix, whole files.
        #expect(fwd.count < lsns.count && fwd.count > 20)
        #expect(fwd.map(\.lsn) == Array(lsns.suffix(fwd.count)))
        #expect(fwd.first?.lsn.offset == LogFormat.headerRecordSize)
        for r in fwd { #expect(r.payload == logPayload(Int(r.type), size: 10 + Int(r.type) % 150)) }
        #expect(try logReadBackward(c).map(\.lsn) == fwd.map(\.lsn).reversed())
        #expect(logErrorCode { _ = try c.set(lsns[0]) } == DB_NOTFOUND)
        // Truncate works in memory too.
        let keep = fwd[fwd.count - 10].lsn
        try log.truncate(after: keep)
        #expect(log.lastLSN == keep)
        let n = try log.append(type: 999, payload: [1, 2])
        #expect(try LogCursor(log: log).last() == LogRecord(lsn: n, type: 999, payload: [1, 2]))
        #expect(LogFiles(directory: "/nonexistent").list().isEmpty)
    }

    @Test func bufferFullWhenRetainedRecordsFillTheRing() throws {
        let log = try Log.open(.init(directory: "/nonexistent", bufferSize: 4096, fileSize: 1024,
                                     flags: UInt32(DB_LOG_IN_MEMORY)))
        let first = try log.append(type: 1, payload: [1])
        log.setRetain { first }  // an "active transaction" began at the first record
        var code: Int32? = nil
        var appended = 1
        for i in 0..<100 {
            code = logErrorCode { _ = try log.append(type: 1, payload: logPayload(i, size: 100)) }
            if code != nil { break }
            appended += 1
        }
        #expect(code == DB_LOG_BUFFER_FULL)
        #expect(appended > 10)
        #expect(try LogCursor(log: log).first().lsn == first)  // still there
        log.setRetain(nil)
        _ = try log.append(type: 1, payload: logPayload(1, size: 100))
        #expect(try LogCursor(log: log).first().lsn != first)

        let e = logErrorOf { _ = try Log.open(.init(directory: "/x", bufferSize: 1024, fileSize: 1024, flags: UInt32(DB_LOG_IN_MEMORY))) }
        #expect(e?.message == "in-memory log buffer must be larger than the log file size")
    }
}
