// CommitWriter: how a top-level commit reaches the log and the pages,
// inside ONE commit section (CommitPath.swift), fed the write sets' net
// operations entry by entry so that a write set of any size is never held
// whole in memory.
//
// - A write set whose operations fit in one chunk (`chunkLimit` bytes,
//   Environment.commitChunkLimit: a quarter of lg_max, at most 16 MiB) is
//   applied, then logged as ONE CommitRecord (unchanged).
// - A bigger one is cut into chunks: each is applied, then appended as a
//   CommitChunk (transaction id, sequence 0, 1, ...); after the last, a
//   CommitMarker naming the first and last chunk LSNs and their count is
//   appended. The marker is the commit: its LSN is what durability waits
//   for, and recovery applies a chain only at its marker (Recovery.swift),
//   so a chain torn by a crash or a failed append is never applied.
//
// Why the whole chain (chunks, marker and apply) is in one commit section:
// a checkpoint cuts at the log's last record while it holds the gate
// exclusively (Checkpoint.swift), so no cut can fall inside a chain. A
// chain is therefore entirely before a cut (complete, marker included, and
// applied: the cut LSN is still "applied through") or entirely after it
// (recovery, starting after the cut, reads all of it; log_archive, which
// keeps every file from the cut's on, keeps all of it). Per-file
// checkpoints (DB->sync, DB->close) cut under the gate too, so a file's
// checkpoint LSN is either below the chain's first chunk or at/after its
// marker: recovery compares it with the marker's LSN. The cost: a
// checkpoint waits for a big commit to finish (committers do not: the
// gate prefers readers).
//
// Each entry's operations are applied as they are added, and encoded
// straight into the record being built (no list of operations is kept):
// a put's before-image is read in the same descent that applies it. The
// operations of distinct keys are independent, so computing one entry's
// operations after the previous entries were applied gives the same
// operations as computing them all first (a chunk chain always did so).
//
// Failures: before anything was applied, an error is returned and the
// transaction aborts as before. Once a page changed (the first apply) any
// failure — an apply, reading a later entry's before-image, a chunk append,
// the marker — panics the environment as the single-record path always
// has: recovery, which ignores the torn chain and discards the pages'
// unlogged state, is the way on.
//
// Locking rule: a CommitWriter lives on the committing thread's stack, in
// the commit section, under the exclusive latches of every file it writes.
import CBerkeleyDB

struct CommitWriter {
    let environment: Environment
    let log: Log
    let transactionID: UInt32
    let chunkLimit: Int

    /// The record (or chunk) being built: `headerRoom` bytes left for its
    /// header, written when it is appended, then the encoded operations
    /// (CommitRecord's format).
    private var record: ByteWriter
    private var recordOps: UInt32 = 0
    /// The operations' bytes as the chunk limit counts them (a captured
    /// before-image counted as big as the new value before it is known).
    private var bytes = 0
    /// The general path's scratch (entries that are not a plain put).
    private var entryOps: [CommitRecord.Operation] = []
    private var entryCapture: [Bool] = []
    /// A page may have changed: every failure from now on panics.
    private var touched = false
    private var first: LSN?
    private var last = LSN.zero
    private var count: UInt32 = 0

    /// A chunk's header: u8 version, u32 transaction id, u32 sequence,
    /// u32 operation count. A single record's is the last 9 of these bytes.
    private static let headerRoom = 13

    /// Where the transaction's last probe found its key's leaf.
    let leafHint: (key: [UInt8], tree: ObjectIdentifier, leaf: LeafHint)?

    init(environment: Environment, log: Log, transactionID: UInt32, chunkLimit: Int, expectedBytes: Int = 0,
         leafHint: (key: [UInt8], tree: ObjectIdentifier, leaf: LeafHint)? = nil) {
        self.leafHint = leafHint
        self.environment = environment
        self.log = log
        self.transactionID = transactionID
        self.chunkLimit = max(chunkLimit, 1)
        record = ByteWriter(capacity: Self.headerRoom + min(max(expectedBytes, 64), self.chunkLimit + 4096))
        record.zeros(Self.headerRoom)
    }

    /// The chunks appended so far (tests, statistics).
    var chunks: UInt32 { count }

    /// Applies one write-set entry's operations and adds them to the record;
    /// appends a chunk first when they would take the record past the
    /// chunk size.
    mutating func add(_ key: [UInt8], _ entry: WriteEntry, of ws: WriteSet) throws(DBError) {
        let tree = ws.tree
        if !tree.hasDups, entry.base == nil, let data = entry.firstLive {
            // The common case: a put whose before-image the apply reads.
            try makeRoom(24 + key.count + 2 * data.count)
            touched = true
            let before: [UInt8]?
            var hint: LeafHint? = nil
            if let h = leafHint, h.tree == ObjectIdentifier(tree), h.key == key { hint = h.leaf }
            do throws(DBError) {
                before = try withBuffer(key) { (k) throws(DBError) in
                    try withBuffer(data) { (d) throws(DBError) in
                        try tree.upsert(key: k, data: d, capturing: true, hint: hint)
                    }
                }
            } catch {
                throw failure(error)
            }
            encode(.put, ws.opened.logFileID, key, data, before)
            return
        }
        entryOps.removeAll(keepingCapacity: true)
        entryCapture.removeAll(keepingCapacity: true)
        do throws(DBError) {
            try Transaction.operations(key: key, entry: entry, of: ws, into: &entryOps, capture: &entryCapture)
        } catch {
            throw failure(error)
        }
        if entryOps.isEmpty { return }
        // (operations() asks for a capture only in the case handled above.)
        var size = 0
        for op in entryOps { size += 24 + op.key.count + op.data.count + (op.before?.count ?? 0) }
        try makeRoom(size)
        touched = true
        for op in entryOps {
            do throws(DBError) { try Database.apply(op, to: tree) } catch { throw failure(error) }
            encode(op.kind, op.fileID, op.key, op.data, op.before)
        }
    }

    /// Logs the commit: the single record, or the last chunk and the
    /// marker. Returns the commit's LSN (nil: nothing to log).
    mutating func finish() throws(DBError) -> LSN? {
        if count == 0 {
            if recordOps == 0 { return nil }
            // u8 version, u32 transaction id, u32 count: CommitRecord.
            let at = Self.headerRoom - 9
            record.set(u8: CommitRecord.version, at: at)
            record.set(u32: transactionID, at: at + 1)
            record.set(u32: recordOps, at: at + 5)
            let env = environment, log = log
            return try withBuffer(record.bytes) { (raw) throws(DBError) -> LSN in
                try env.appendApplied(UnsafeRawBufferPointer(rebasing: raw[at...]), to: log)
            }
        }
        if recordOps > 0 { try flushChunk() }
        guard let first else { return nil }
        let marker = CommitMarker(transactionID: transactionID, first: first, last: last, count: count)
        do throws(DBError) {
            return try log.append(type: TernLogRecord.commitMarker, payload: marker.encoded())
        } catch {
            throw failure(error)
        }
    }

    private mutating func makeRoom(_ size: Int) throws(DBError) {
        if recordOps > 0 && bytes + size > chunkLimit { try flushChunk() }
        bytes += size
    }

    private mutating func encode(_ kind: CommitRecord.Kind, _ fileID: UInt32, _ key: [UInt8],
                                 _ data: [UInt8], _ before: [UInt8]?) {
        CommitRecord.encodeOperation(kind, fileID, key: key, data: data, before: before, into: &record)
        recordOps += 1
    }

    /// Appends the operations so far (all applied) as a CommitChunk.
    private mutating func flushChunk() throws(DBError) {
        record.set(u8: CommitChunk.version, at: 0)
        record.set(u32: transactionID, at: 1)
        record.set(u32: count, at: 5)
        record.set(u32: recordOps, at: 9)
        do throws(DBError) {
            let lsn = try log.append(type: TernLogRecord.commitChunk, payload: record.bytes)
            if first == nil { first = lsn }
            last = lsn
            count += 1
        } catch {
            throw failure(error)
        }
        record.truncate(to: Self.headerRoom)
        recordOps = 0
        bytes = 0
    }

    private func failure(_ error: DBError) -> DBError {
        guard touched else { return error }
        environment.panic(because: error)
        return DBError(DB_RUNRECOVERY, "BDB0061 PANIC: \(error.message ?? String(cString: db_strerror(error.code)))")
    }
}

extension Environment {
    /// The most bytes of operations one commit record (or chunk) holds: a
    /// quarter of lg_max (a record must fit in one log file, and a chunk
    /// may exceed the limit by one entry), at most 16 MiB; `commitChunkBytes`
    /// (tests) lowers it.
    func commitChunkLimit(_ log: Log) -> Int {
        let limit = min(16 << 20, Int(log.configuration.fileSize) / 4)
        return min(limit, commitChunkBytes ?? limit)
    }
}
