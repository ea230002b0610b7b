// Checkpoints of a logged environment (DESIGN.md "Checkpoint and recovery").
//
// The invariant: a database file on disk holds exactly the state as of its
// last checkpoint, whose LSN its meta page carries. A checkpoint:
//   1. takes the checkpoint mutex (one checkpoint at a time);
//   2. holds the commit gate exclusively just long enough to read the
//      applied-through LSN (the log's last record: no commit is between its
//      append and the end of its apply) and copy the dirty pages
//      (PageCache.cutCheckpoint) — memory copies, no I/O;
//   3. with the gate released, committers running: flushes the log through
//      the cut (write-ahead), reads the frozen spill, stamps each file's
//      page 0 with the cut, writes the pages through the double-write
//      journal (CheckpointJournal), in place, fsync, clears the journal;
//   4. for a full checkpoint (txn_checkpoint, end of recovery), logs a
//      CheckpointRecord and flushes it: from then on recovery starts after
//      the cut and log files before the cut's file are archivable.
// A per-file checkpoint (DB->sync, DB->close, a created or truncated file)
// and the checkpoint environment close makes of every file do 1-3 only: no
// record (libdb logs none there either), the files' meta LSNs say enough.
//
// Locking rule: see CommitGate.swift. The checkpoint mutex is taken before
// the gate and held across the I/O; nothing that holds the gate (a commit
// section) ever waits for the checkpoint mutex.
import CBerkeleyDB
import Glibc

extension Environment {
    /// The journal's path in this environment's home.
    var journalPath: String { CheckpointJournal.path(home: home) }

    /// Checkpoints `files` (cache file ids; nil: every file in the cache) at
    /// the applied-through LSN; with `record`, logs a checkpoint record and
    /// returns its LSN. `markQuiescent: false` leaves txn_checkpoint's
    /// "nothing logged since" test unsatisfied (recovery's checkpoint: libdb
    /// always checkpoints again after recovery).
    @discardableResult
    func checkpoint(files: [UInt32]?, record: Bool, markQuiescent: Bool = true) throws(DBError) -> LSN? {
        guard let log, let gate = commitGate else {
            // No log: in-place files, written back.
            if let cache { try cache.checkpoint(files ?? cache.inUseFileIds()) }
            return nil
        }
        let mutex = gate.checkpointMutex
        _ = mutex.lock()   // a dead checkpointer's state was repaired when its log was taken over
        defer { mutex.unlock() }
        // A journal left by a checkpoint that failed after committing it.
        try CheckpointJournal.recover(path: journalPath)

        var images: [CheckpointImage] = []
        var registrations: [FileRegistration] = []
        let cut: LSN
        gate.latch.lockExclusive()
        do throws(DBError) {
            cut = log.lastLSN
            if record { registrations = try fileRegistry.snapshot() }
            if let cache { images = try cache.cutCheckpoint(files ?? cache.inUseFileIds()) }
        } catch {
            gate.latch.unlock()
            throw error
        }
        gate.latch.unlock()

        if let cache, !images.isEmpty {
            do throws(DBError) {
                if !cut.isZero { try log.flush(upTo: cut, sync: true) }
                for image in images {
                    try cache.completeCheckpoint(image)
                    BtreeMeta.stampCheckpoint(image.page(0)!, pageSize: image.pageSize, lsn: cut)
                }
                try CheckpointJournal.write(images, lsn: cut, path: journalPath)
                for image in images { try cache.writeInPlace(image) }
                try CheckpointJournal.clear(path: journalPath)
            } catch {
                cache.abortCheckpoint(images)
                throw error
            }
            cache.finishCheckpoint(images)
        }
        guard record else { return nil }

        let now = Int(time(nil))
        let payload = CheckpointRecord(cut: cut, previous: gate.lastCheckpoint, time: now,
                                       registrations: registrations).encoded()
        let lsn = try log.append(type: TernLogRecord.checkpoint, payload: payload)
        try log.flush(upTo: lsn, sync: true)
        let end = LSN(file: lsn.file, offset: lsn.offset + UInt32(LogFormat.frameSize + payload.count))
        gate.noteCheckpoint(record: lsn, cut: cut, time: now, end: markQuiescent ? end : nil)
        if config.logFlags & UInt32(DB_LOG_AUTO_REMOVE) != 0 && !log.isInMemory {
            // libdb's __log_autoremove: failures are not the checkpoint's.
            _ = try? removeArchivableLogs()
        }
        return lsn
    }

    /// A checkpoint of one file (DB->sync, DB->close, a file just created
    /// or restructured).
    func checkpointFile(_ fileId: UInt32) throws(DBError) {
        try checkpoint(files: [fileId], record: false)
    }

    /// The log files wholly before the last checkpoint's cut, which recovery
    /// no longer needs (libdb's stable LSN: its ckp_lsn). Empty before the
    /// first checkpoint record.
    func archivableLogFiles() -> [UInt32] {
        guard let log, let gate = commitGate, !log.isInMemory else { return [] }
        let cut = gate.lastCheckpointCut
        if gate.lastCheckpoint.isZero { return [] }
        // A cut at zero (an empty log at the checkpoint) needs the whole log
        // from the first file: the record's own file.
        let stable = cut.isZero ? gate.lastCheckpoint : cut
        return log.files.archivable(before: stable)
    }

    /// DB_ARCH_REMOVE and DB_LOG_AUTO_REMOVE.
    @discardableResult
    func removeArchivableLogs() throws(DBError) -> [UInt32] {
        guard let log else { return [] }
        let files = archivableLogFiles()
        for f in files { try log.files.remove(f) }
        return files
    }

    /// Bytes logged from `from` to `to` (LSN arithmetic over files of the
    /// log's maximum size: what libdb's "bytes written since the last
    /// checkpoint" counts).
    func logDistance(from: LSN, to: LSN) -> UInt64 {
        guard let log, from < to else { return 0 }
        let size = UInt64(log.configuration.fileSize)
        if from.file == to.file { return UInt64(to.offset - from.offset) }
        let first = size > UInt64(from.offset) ? size - UInt64(from.offset) : 0
        return first + UInt64(to.file - from.file - 1) * size + UInt64(to.offset)
    }

    /// DB_ENV->txn_checkpoint after its checks: libdb's __txn_checkpoint
    /// rules. Without DB_FORCE: nothing is done when nothing was logged since
    /// the last checkpoint; with `kbytes` or `minutes`, only when that much
    /// log was written or that much time passed since it.
    func transactionCheckpoint(kbytes: UInt32, minutes: UInt32, flags: UInt32) throws(DBError) {
        guard let log, let gate = commitGate else {
            if let cache { try cache.checkpointAll() }
            return
        }
        if flags & UInt32(DB_FORCE) == 0 {
            let end = log.nextLSN
            let mark = gate.quiescentEnd
            let since = mark.isZero ? logDistance(from: LSN(file: 1, offset: 0), to: end) + 1
                : logDistance(from: mark, to: end)
            if since == 0 { return }
            var due = false
            if kbytes != 0 && since / 1024 >= UInt64(kbytes) { due = true }
            if !due && minutes != 0 && Int(time(nil)) - gate.lastCheckpointTime >= Int(minutes) * 60 { due = true }
            if !due && (minutes != 0 || kbytes != 0) { return }
        }
        try checkpoint(files: nil, record: true)
    }

    /// The last checkpoint record in the log (searched backwards from its
    /// end), for a region that does not know it yet.
    func findLastCheckpoint() throws(DBError) -> (lsn: LSN, record: CheckpointRecord)? {
        guard let log else { return nil }
        let cursor = LogCursor(log: log)
        var rec: LogRecord
        do { rec = try cursor.last() } catch where error.code == DB_NOTFOUND { return nil }
        while true {
            if rec.type == TernLogRecord.checkpoint {
                return (rec.lsn, try CheckpointRecord.decode(rec.payload))
            }
            do { rec = try cursor.prev() } catch where error.code == DB_NOTFOUND { return nil }
        }
    }
}
