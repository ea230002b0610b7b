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
// Failures: before anything was applied, an error is returned and the
// transaction aborts as before. Once a page changed (the first apply) any
// failure — an apply, a chunk append, the marker — panics the environment
// as the single-record path always has: recovery, which ignores the torn
// chain and discards the pages' unlogged state, is the way on.
//
// Locking rule: a CommitWriter lives on the committing thread's stack, in
// the commit section, under the exclusive latches of every file it writes.
import CBerkeleyDB

struct CommitWriter {
    let environment: Environment
    let log: Log
    let transactionID: UInt32
    let chunkLimit: Int

    /// Operations made and not yet applied/logged, their trees, and whether
    /// their apply captures the before-image (TransactionCommit.operations).
    private var ops: [CommitRecord.Operation] = []
    private var trees: [Btree] = []
    private var capture: [Bool] = []
    private var bytes = 0
    private var entryOps: [CommitRecord.Operation] = []
    private var entryCapture: [Bool] = []
    /// A page may have changed: every failure from now on panics.
    private var touched = false
    private var first: LSN?
    private var last = LSN.zero
    private var count: UInt32 = 0

    init(environment: Environment, log: Log, transactionID: UInt32, chunkLimit: Int) {
        self.environment = environment
        self.log = log
        self.transactionID = transactionID
        self.chunkLimit = max(chunkLimit, 1)
    }

    /// The chunks appended so far (tests, statistics).
    var chunks: UInt32 { count }

    /// Adds one write-set entry's operations; logs a chunk first when they
    /// would take the pending ones past the chunk size.
    mutating func add(_ key: [UInt8], _ entry: WriteEntry, of ws: WriteSet) throws(DBError) {
        entryOps.removeAll(keepingCapacity: true)
        entryCapture.removeAll(keepingCapacity: true)
        do throws(DBError) {
            try Transaction.operations(key: key, entry: entry, of: ws, into: &entryOps, capture: &entryCapture)
        } catch {
            throw failure(error)
        }
        if entryOps.isEmpty { return }
        // A captured before-image is not known yet: count it as big as the
        // new value (the chunk limit leaves lg_max room for the error).
        var size = 0
        for (op, c) in zip(entryOps, entryCapture) {
            size += 24 + op.key.count + op.data.count + (op.before?.count ?? (c ? op.data.count : 0))
        }
        if !ops.isEmpty && bytes + size > chunkLimit { try flushChunk() }
        ops += entryOps
        capture += entryCapture
        let tree = ws.tree
        for _ in entryOps.indices { trees.append(tree) }
        bytes += size
    }

    /// Logs the commit: the single record, or the last chunk and the
    /// marker. Returns the commit's LSN (nil: nothing to log).
    mutating func finish() throws(DBError) -> LSN? {
        if count == 0 {
            if ops.isEmpty { return nil }
            do throws(DBError) { try applyPending() } catch { throw failure(error) }
            return try environment.appendApplied(CommitRecord(transactionID: transactionID, operations: ops), to: log)
        }
        if !ops.isEmpty { try flushChunk() }
        guard let first else { return nil }
        let marker = CommitMarker(transactionID: transactionID, first: first, last: last, count: count)
        do throws(DBError) {
            return try log.append(type: TernLogRecord.commitMarker, payload: marker.encoded())
        } catch {
            throw failure(error)
        }
    }

    private mutating func flushChunk() throws(DBError) {
        do throws(DBError) {
            try applyPending()
            let chunk = CommitChunk(transactionID: transactionID, sequence: count, operations: ops)
            let lsn = try log.append(type: TernLogRecord.commitChunk, payload: chunk.encoded())
            if first == nil { first = lsn }
            last = lsn
            count += 1
        } catch {
            throw failure(error)
        }
        ops.removeAll(keepingCapacity: true)
        trees.removeAll(keepingCapacity: true)
        capture.removeAll(keepingCapacity: true)
        bytes = 0
    }

    /// Applies the pending operations, filling in captured before-images.
    private mutating func applyPending() throws(DBError) {
        touched = true
        for i in ops.indices {
            if capture[i] {
                let tree = trees[i]
                ops[i].before = try withBuffer(ops[i].key) { (k) throws(DBError) in
                    try withBuffer(ops[i].data) { (d) throws(DBError) in
                        try tree.upsert(key: k, data: d, capturing: true)
                    }
                }
            } else {
                try Database.apply(ops[i], to: trees[i])
            }
        }
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
