// txn_begin, DB_TXN->commit, abort, discard and the per-transaction settings
// (see Transaction.swift for the model and its invariants).
//
// A top-level commit:
//   1. takes the exclusive latch of every file it wrote (in latch order, so
//      two committers never wait for each other in a cycle);
//   2. turns each write set into net operations, entry by entry, reading
//      the before-images from the trees under those latches;
//   3. applies them and appends ONE CommitRecord — or, past a chunk, a
//      chain of CommitChunks and a CommitMarker (CommitWriter.swift) —
//      inside one commit section;
//   4. releases the latches, makes the record as durable as asked (group
//      commit), then releases the transaction's locks.
// Locks are released only after the record is durable, so no other
// transaction can read a value whose commit could still be lost.
import CBerkeleyDB
import Glibc

extension Environment {
    /// DB_ENV->txn_begin (libdb's __txn_begin_pp checks, in its order).
    public func beginTransaction(parent: Transaction?, flags: UInt32) throws(DBError) -> Transaction {
        let method = "txn_begin"
        try requireSubsystem(method, .txn)
        let allowed = UInt32(DB_IGNORE_LEASE | DB_READ_COMMITTED | DB_READ_UNCOMMITTED | DB_TXN_FAMILY
            | DB_TXN_NOSYNC | DB_TXN_SNAPSHOT | DB_TXN_SYNC | DB_TXN_WAIT | DB_TXN_WRITE_NOSYNC
            | DB_TXN_NOWAIT | DB_TXN_BULK)
        if flags & ~allowed != 0 { throw .illegalFlag(method) }
        let syncs = flags & UInt32(DB_TXN_WRITE_NOSYNC | DB_TXN_NOSYNC)
        if syncs != 0 && flags & UInt32(DB_TXN_SYNC) != 0 { throw .illegalFlagCombination(method) }
        if flags & UInt32(DB_TXN_WRITE_NOSYNC) != 0 && flags & UInt32(DB_TXN_NOSYNC) != 0 {
            throw .illegalFlagCombination(method)
        }
        if parent != nil && flags & UInt32(DB_TXN_FAMILY) != 0 {
            throw .invalid("BDB4521 Family transactions cannot have parents")
        }
        if flags & UInt32(DB_TXN_SNAPSHOT) != 0 || config.flags & UInt32(DB_TXN_SNAPSHOT) != 0 {
            throw .notSupported("DB_TXN_SNAPSHOT (snapshot isolation)")
        }
        if let parent { try parent.requireActive(method) }
        let table = try transactionTable()
        let begin = log?.nextLSN ?? LSN(file: 0, offset: 0)
        let (id, slot) = try table.begin(parent: parent?.id ?? 0, beginLSN: begin)
        let txn = Transaction(environment: self, id: id, parent: parent, slot: slot, flags: flags)
        do {
            try txn.registerLocker()
        } catch {
            table.end(slot: slot, .abort)
            throw error
        }
        parent?.children[ObjectIdentifier(txn)] = txn
        return txn
    }

    /// The region's transaction table, attached at the first use.
    func transactionTable() throws(DBError) -> TransactionTable {
        try transactionTableLock.withLock { () throws(DBError) -> TransactionTable in
            if let t = transactionTableStorage { return t }
            guard let region else { throw .illegalBeforeOpen("txn_begin") }
            let t = try TransactionTable.attach(region: region, txMax: config.txMax)
            transactionTableStorage = t
            return t
        }
    }
}

extension Transaction {
    /// DB_TXN->commit. The handle is finished whatever this returns (libdb
    /// frees it), except for the checks before anything is done.
    /// libdb reports a bad flag but commits anyway (synchronously): the
    /// report is returned for the caller's error channel.
    @discardableResult
    public func commit(flags requested: UInt32) throws(DBError) -> DBError? {
        let method = "DB_TXN->commit"
        var flags = requested
        var notice: DBError?
        let allowed = UInt32(DB_TXN_NOSYNC | DB_TXN_SYNC | DB_TXN_WRITE_NOSYNC)
        if flags & ~allowed != 0 {
            notice = .illegalFlag(method)
            flags = UInt32(DB_TXN_SYNC)
        } else if flags & UInt32(DB_TXN_NOSYNC) != 0 && flags & UInt32(DB_TXN_SYNC) != 0 {
            notice = .illegalFlagCombination(method)
            flags = UInt32(DB_TXN_SYNC)
        }
        try commitChecked(flags: flags)
        return notice
    }

    private func commitChecked(flags: UInt32) throws(DBError) {
        let method = "DB_TXN->commit"
        try requireActive(method)
        if locking.deadlocked {
            // libdb refuses, and the transaction is aborted.
            try? abort()
            throw Self.unresolvedDeadlock()
        }
        // libdb commits unresolved children first (and closes the
        // transaction's cursors: Tern's fail once it has ended).
        for child in children.values { try child.commitChecked(flags: 0) }
        if let parent {
            for (id, ws) in writeSets.entries {
                let mine = parent.writeSets[id] ?? WriteSet(opened: ws.opened, spill: ws.spill)
                parent.writeSets[id] = mine
                mine.absorb(ws)
            }
            parent.onCommit += onCommit
            parent.onAbort += onAbort
            parent.applicationUndo += applicationUndo
            transferLocks(to: parent)
            finish(.committed)
            return
        }
        var failure: DBError?
        do throws(DBError) {
            try commitTopLevel(flags: flags)
            for action in onCommit {
                do { try action() } catch let e as DBError { throw e } catch { throw DBError(EINVAL, "\(error)") }
            }
        } catch {
            failure = error
        }
        releaseLocks()
        finish(failure == nil ? .committed : .aborted)
        if let failure { throw failure }
    }

    /// DB_TXN->abort: the write sets are dropped, the locks released.
    public func abort() throws(DBError) {
        try requireActive("DB_TXN->abort")
        var failure: DBError?
        for child in children.values {
            do { try child.abort() } catch { failure = failure ?? error }
        }
        writeSets.removeAll()
        for undo in onAbort.reversed() { undo() }
        if !applicationUndo.isEmpty {
            do { try environment.undoApplicationRecords(applicationUndo) } catch { failure = failure ?? error }
        }
        releaseLocks()
        finish(.aborted)
        if let failure { throw failure }
    }

    /// DB_TXN->discard. libdb discards only a transaction that recovery
    /// restored (a prepared one found by txn_recover); Tern restores none
    /// (txn_recover is not built), so every discard is libdb's "not a
    /// restored transaction", which panics the environment: every later call
    /// returns DB_RUNRECOVERY until DB_RECOVER. The transaction's writes are
    /// dropped and its handle freed.
    public func discard(flags: UInt32) throws(DBError) {
        if flags != 0 { throw .illegalFlag("DB_TXN->discard") }
        for child in children.values { try? child.abort() }
        writeSets.removeAll()
        releaseLocks()
        finish(.aborted)
        environment.panic(because: DBError(EINVAL))
        // One error-channel line per libdb message (see ErrorChannel).
        throw DBError(DB_RUNRECOVERY, "BDB4532 not a restored transaction\nBDB0061 PANIC: Invalid argument")
    }

    private func finish(_ outcome: State) {
        state = outcome
        writeSets.removeAll()
        // The family's spill file goes with its top-level transaction.
        writeSpillStorage?.close()
        writeSpillStorage = nil
        onCommit.removeAll()
        onAbort.removeAll()
        applicationUndo.removeAll()
        parent?.children[ObjectIdentifier(self)] = nil
        if let table = environment.transactionTableStorage {
            table.end(slot: slot, outcome == .committed ? .commit : .abort)
        }
    }

    public func setPriority(_ value: UInt32) {
        priority = value
        environment.transactionTableStorage?.setPriority(slot: slot, value)
        setLockPriority(value)
    }

    /// The durability of this commit: its flags, else its begin flags, else
    /// the environment's.
    func commitMode(_ flags: UInt32) -> LogWriteMode {
        if flags & UInt32(DB_TXN_SYNC) != 0 { return .sync }
        if flags & UInt32(DB_TXN_NOSYNC) != 0 { return .noSync }
        if flags & UInt32(DB_TXN_WRITE_NOSYNC) != 0 { return .writeNoSync }
        return beginMode ?? environment.defaultCommitMode
    }

    private func commitTopLevel(flags: UInt32) throws(DBError) {
        let lsn: LSN?
        if let only = writeSets.single {
            // One database (nearly every transaction): no lists built.
            if only.isEmpty { return }
            let latch = only.opened.latch
            latch.lockExclusive()
            do {
                defer { latch.unlock() }
                lsn = try appliedAndLogged(CollectionOfOne(only))
            }
        } else {
            let sets = writeSets.values.filter { !$0.isEmpty }
            if sets.isEmpty { return }
            // One exclusive latch per file (databases in one file share it),
            // in a fixed order: by the latch's place in the region.
            var latches: [(UInt, SharedLatch)] = []
            for ws in sets {
                let at = UInt(bitPattern: ws.opened.latch.raw)
                if !latches.contains(where: { $0.0 == at }) { latches.append((at, ws.opened.latch)) }
            }
            latches.sort { $0.0 < $1.0 }
            for (_, l) in latches { l.lockExclusive() }
            do {
                defer { for (_, l) in latches.reversed() { l.unlock() } }
                lsn = try appliedAndLogged(sets)
            }
        }
        guard let lsn else { return }
        // The latches are released before the commit waits for the disk:
        // the writes stay invisible to other transactions until the key
        // locks go (after this returns), and committers whose records
        // arrive while one syncs share the next sync (group commit). Held
        // through the sync, the latches made every committer of the tree
        // wait for the previous one's fdatasync.
        try environment.log?.commit(lsn, mode: commitMode(flags))
    }

    /// Applies and logs the write sets; the caller holds their files'
    /// exclusive latches. The commit's LSN (nil: nothing logged).
    private func appliedAndLogged<Sets: Swift.Sequence<WriteSet>>(_ sets: Sets) throws(DBError) -> LSN? {
        let env = environment
        guard let log = env.log else {
            // No log, no record: each entry's operations applied as made
            // (the write set is streamed, never collected whole).
            var ops: [CommitRecord.Operation] = []
            var capture: [Bool] = []
            for ws in sets {
                try ws.forEach { (key, entry) throws(DBError) in
                    ops.removeAll(keepingCapacity: true)
                    capture.removeAll(keepingCapacity: true)
                    try Self.operations(key: key, entry: entry, of: ws, into: &ops, capture: &capture)
                    for op in ops { try Database.apply(op, to: ws.tree) }
                }
            }
            return nil
        }
        // Applied and logged in one commit section (CommitWriter: one
        // CommitRecord, or a chunk chain for a write set bigger than a
        // chunk).
        let chunk = env.commitChunkLimit(log)
        let id = self.id
        let expected = writeSpillStorage.map { $0.memoryBytes + $0.memoryBytes / 2 } ?? 0
        return try env.commitSection { () throws(DBError) -> LSN? in
            var writer = CommitWriter(environment: env, log: log, transactionID: id, chunkLimit: chunk,
                                      expectedBytes: expected, leafHint: leafHint)
            for ws in sets {
                try ws.forEach { (key, entry) throws(DBError) in try writer.add(key, entry, of: ws) }
            }
            return try writer.finish()
        }
    }

    /// One write-set entry's net operations, with before-images read from the tree
    /// (the caller holds its latch exclusively).
    /// `capture[i]`: operation i is a put whose before-image the apply
    /// reads (set by the commit in the same descent).
    static func operations(key: [UInt8], entry: WriteEntry, of ws: WriteSet,
                           into ops: inout [CommitRecord.Operation], capture: inout [Bool]) throws(DBError) {
        let tree = ws.tree
        let file = ws.opened.logFileID
        // Every operation gets its capture flag, whichever way this returns.
        defer { while capture.count < ops.count { capture.append(false) } }
        do {
            if !tree.hasDups, entry.base == nil, let first = entry.firstLive {
                // The common case: a put whose before-image the apply reads.
                while capture.count < ops.count { capture.append(false) }
                ops.append(.init(kind: .put, fileID: file, key: key, data: first, before: nil))
                capture.append(true)
                return
            }
            let live = entry.live
            if !tree.hasDups {
                let old: [UInt8]?
                if let base = entry.base {
                    old = base.first
                } else {
                    do throws(DBError) { old = try tree.get(key) } catch where error.code == DB_NOTFOUND { old = nil }
                }
                if live.isEmpty {
                    if let old { ops.append(.init(kind: .delete, fileID: file, key: key, data: [], before: old)) }
                } else {
                    ops.append(.init(kind: .put, fileID: file, key: key, data: live[0], before: old))
                }
                return
            }
            let base = entry.base ?? Database.duplicates(of: key, in: tree)
            if !tree.hasDups {
                if live.isEmpty {
                    if let old = base.first { ops.append(.init(kind: .delete, fileID: file, key: key, data: [], before: old)) }
                } else {
                    ops.append(.init(kind: .put, fileID: file, key: key, data: live[0], before: base.first))
                }
            } else if tree.sorted {
                func same(_ a: [UInt8], _ b: [UInt8]) -> Bool {
                    a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in tree.cmpSecs(pa, pb) == 0 } }
                }
                for old in base where !live.contains(where: { same($0, old) }) {
                    ops.append(.init(kind: .deleteDuplicate, fileID: file, key: key, data: old, before: old))
                }
                for new in live where !base.contains(where: { same($0, new) }) {
                    ops.append(.init(kind: .putDuplicate, fileID: file, key: key, data: new, before: nil))
                }
            } else if live != base {
                ops.append(.init(kind: .setDuplicates, fileID: file, key: key,
                                 data: CommitRecord.encodeList(live), before: CommitRecord.encodeList(base)))
            }
        }
    }
}
