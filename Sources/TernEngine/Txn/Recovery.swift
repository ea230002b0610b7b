// Recovery: DB_ENV->open with DB_RECOVER or DB_RECOVER_FATAL, once the
// region has been rebuilt and the log opened (Log.open cut any torn or
// corrupt tail off its last file, so nothing after the last valid record is
// ever applied).
//
// 1. The checkpoint journal: a committed one is re-applied, an uncommitted
//    one discarded (CheckpointJournal.recover). Every file then holds exactly
//    the state of its own last checkpoint, whose LSN its meta page carries.
// 2. Replay: every committed CommitRecord after the starting point, in log
//    order (a big transaction's chunk chain at its marker, chunks without a
//    marker never: CommitWriter.swift), is applied through Database.apply to each operation's database —
//    but only to a file whose checkpoint LSN is below the record's LSN (the
//    file already reflects the others; applying them again would not be
//    idempotent). Databases are found through FileRegistration records (and
//    the registration table a checkpoint record carries), subdatabases by
//    name. Normal recovery starts after the last checkpoint record's cut —
//    every file reflects the log through it; DB_RECOVER_FATAL starts at the
//    first record of the log still on disk (files restored from a backup
//    older than the last checkpoint), taking registrations from the
//    checkpoint records it passes for ids it has not seen registered.
// 3. A checkpoint of every file replayed into, and a checkpoint record.
//
// File operations (FileOperation records: removes and renames of files and
// named databases) are redone in the same pass, when the file named is still
// the incarnation the record describes.
//
// What replay skips: operations on an id no registration names (FATAL over
// archived logs), on in-memory databases, on files or named databases that
// no longer exist (removed since; libdb's recovery skips them too) or that
// are not Tern Btree files. A database written with an application
// comparison function cannot be replayed (recovery cannot call it): that is
// an error rather than a silently misordered tree.
import CBerkeleyDB
import Glibc

/// What one recovery did.
public struct RecoveryReport: Sendable, Equatable {
    public var journal: CheckpointJournal.Outcome = .none
    /// The first record examined (nil: the log was empty).
    public var start: LSN?
    /// Commits read after the starting point (CommitRecords and chain
    /// markers).
    public var commitRecords = 0
    /// Chunks of chains read (applied at their markers, or ignored when
    /// torn: no marker follows).
    public var commitChunks = 0
    /// Chains applied (their markers were found).
    public var chains = 0
    /// Operations applied.
    public var applied = 0
    /// Operations skipped because their file already reflected them.
    public var alreadyInFile = 0
    /// Operations skipped for want of a registration, file or database.
    public var unresolved = 0
    /// The checkpoint record written at the end.
    public var checkpoint: LSN?
}

extension Environment {
    func recover(fatal: Bool) throws(DBError) -> RecoveryReport {
        var report = RecoveryReport()
        guard let log, let cache, !log.isInMemory else { return report }
        // Until recovery is done the new region holds a partial state: a
        // process joining it (a crash during recovery, then an open without
        // DB_RECOVER) must not take it for the environment's.
        region?.setPanic()
        report.journal = try CheckpointJournal.recover(path: journalPath)

        var table: [UInt32: FileRegistration] = [:]
        let cursor = LogCursor(log: log)
        var next: LogRecord?
        let last = try findLastCheckpoint()
        do throws(DBError) {
            if !fatal, let last {
                for r in last.record.registrations { table[r.fileID] = r }
                if last.record.cut.isZero {
                    next = try cursor.first()
                } else {
                    _ = try cursor.set(last.record.cut)
                    next = try cursor.next()
                }
            } else {
                next = try cursor.first()
            }
        } catch where error.code == DB_NOTFOUND {
            next = nil
        }
        report.start = next?.lsn

        var targets = RecoveryTargets(environment: self, cache: cache)
        defer { targets.closeAll() }
        while let rec = next {
            switch rec.type {
            case TernLogRecord.fileRegistration:
                let r = try FileRegistration.decode(rec.payload)
                if r.flags & FileRegistration.closed == 0 || table[r.fileID] == nil { table[r.fileID] = r }
            case TernLogRecord.commit:
                let commit = try CommitRecord.decode(rec.payload)
                report.commitRecords += 1
                try replay(commit.operations, committedAt: rec.lsn, table: table, targets: &targets, report: &report)
            case TernLogRecord.commitChunk:
                // Applied at its chain's marker, if one follows.
                report.commitChunks += 1
            case TernLogRecord.commitMarker:
                let marker = try CommitMarker.decode(rec.payload)
                report.commitRecords += 1
                try replayChain(marker, at: rec.lsn, log: log, table: table, targets: &targets, report: &report)
            case TernLogRecord.fileOperation:
                let op = try FileOperation.decode(rec.payload)
                if try targets.redo(op, at: rec.lsn) { report.applied += 1 } else { report.alreadyInFile += 1 }
            case TernLogRecord.checkpoint where fatal:
                let ckp = try CheckpointRecord.decode(rec.payload)
                for r in ckp.registrations where table[r.fileID] == nil { table[r.fileID] = r }
            default:
                break
            }
            do { next = try cursor.next() } catch where error.code == DB_NOTFOUND { next = nil }
        }
        if let last { commitGate?.noteFoundCheckpoint(record: last.lsn, cut: last.record.cut) }
        commitGate?.searchedForCheckpoint = true
        report.checkpoint = try checkpoint(files: nil, record: true, markQuiescent: false)
        region?.clearPanic()
        return report
    }
}

extension Environment {
    /// Applies one committed transaction's operations (a CommitRecord's, or
    /// one chunk of a chain) to every file whose checkpoint is older than
    /// the commit (`committedAt`: the record's LSN, or the chain marker's).
    func replay(_ ops: [CommitRecord.Operation], committedAt lsn: LSN, table: [UInt32: FileRegistration],
                targets: inout RecoveryTargets, report: inout RecoveryReport) throws(DBError) {
        for op in ops {
            guard let reg = table[op.fileID], let target = try targets.target(reg) else {
                report.unresolved += 1
                continue
            }
            guard lsn > target.checkpointLSN else {
                report.alreadyInFile += 1
                continue
            }
            if reg.flags & (FileRegistration.customKeyCompare | FileRegistration.customDupCompare) != 0 {
                throw .invalid("tern: recovery cannot replay \(reg.path)"
                               + (reg.databaseName.isEmpty ? "" : " (database \(reg.databaseName))")
                               + ": it was written with an application comparison function")
            }
            do {
                try commitSection { () throws(DBError) in try Database.apply(op, to: target.tree) }
            } catch where error.code == DB_NOTFOUND {
                // Deleting what is not there: already the state the
                // record leads to.
            }
            report.applied += 1
        }
    }

    /// A chain's marker was found at `lsn`: reads its chunks back from the
    /// marker's first LSN to its last (other records may sit between them),
    /// checks they are the transaction's, numbered 0..<count, and applies
    /// them in order. Only one chunk is in memory at a time. A chain whose
    /// start is no longer in the log (DB_RECOVER_FATAL over archived files)
    /// is reported unresolved: the files' checkpoints postdate it, or the
    /// log needed was removed.
    func replayChain(_ marker: CommitMarker, at lsn: LSN, log: Log, table: [UInt32: FileRegistration],
                     targets: inout RecoveryTargets, report: inout RecoveryReport) throws(DBError) {
        guard marker.last < lsn else { throw .malformed("commit marker at \(lsn) names a later chunk") }
        let cursor = LogCursor(log: log)
        var rec: LogRecord
        do throws(DBError) {
            rec = try cursor.set(marker.first)
        } catch where error.code == DB_NOTFOUND {
            report.unresolved += Int(marker.count)
            return
        }
        var expected: UInt32 = 0
        while true {
            if rec.type == TernLogRecord.commitChunk {
                let header = try CommitChunk.header(rec.payload)
                if header.transactionID == marker.transactionID && header.sequence == expected {
                    let chunk = try CommitChunk.decode(rec.payload)
                    try replay(chunk.operations, committedAt: lsn, table: table, targets: &targets, report: &report)
                    expected += 1
                }
            }
            if rec.lsn >= marker.last { break }
            do throws(DBError) { rec = try cursor.next() } catch where error.code == DB_NOTFOUND { break }
        }
        guard expected == marker.count else {
            throw .malformed("commit chain of transaction \(marker.transactionID) at \(lsn): "
                             + "\(expected) of its \(marker.count) chunks found")
        }
        report.chains += 1
    }
}

/// The files and databases recovery replays into, opened on first use.
struct RecoveryTargets {
    struct Target {
        let tree: Btree
        let checkpointLSN: LSN
    }

    struct File {
        let cacheFile: CacheFile
        let checkpointLSN: LSN
        var trees: [String: Target?] = [:]
    }

    let environment: Environment
    let cache: PageCache
    /// By resolved path; nil: not a file recovery can replay into.
    var files: [String: File?] = [:]

    init(environment: Environment, cache: PageCache) {
        self.environment = environment
        self.cache = cache
    }

    /// A recorded path (relative to the home, or absolute) as a path.
    func resolve(_ recorded: String) -> String {
        if recorded.hasPrefix("/") { return recorded }
        let home = environment.home.flatMap { $0.isEmpty ? nil : $0 } ?? "."
        return (home.hasSuffix("/") ? home : home + "/") + recorded
    }

    /// Redoes a remove or rename at `lsn` if the file named is still the
    /// incarnation it describes (FileOperationRecord.swift). Returns whether
    /// it changed anything.
    mutating func redo(_ op: FileOperation, at lsn: LSN) throws(DBError) -> Bool {
        let path = resolve(op.path)
        if files[path] == nil { files[path] = try openFile(path) }
        guard let file = files[path]!, file.checkpointLSN < lsn else { return false }
        if op.databaseName.isEmpty {
            let newPath = resolve(op.newName)
            if op.kind == .rename && access(newPath, F_OK) == 0 { return false }
            try? file.cacheFile.close()
            files[path] = nil
            files[newPath] = nil
            let rc = op.kind == .remove ? unlink(path) : Glibc.rename(path, newPath)
            if rc != 0 { throw DBError(errno, "tern: recovery could not redo the \(op.kind) of \(path)") }
            return true
        }
        let name = Array(op.databaseName.utf8)
        do throws(DBError) {
            try environment.commitSection { () throws(DBError) in
                switch op.kind {
                case .remove:
                    try Btree.removeSubdatabase(store: file.cacheFile, name: name, fileName: path)
                case .rename:
                    try Btree.renameSubdatabase(store: file.cacheFile, name: name, to: Array(op.newName.utf8),
                                                fileName: path)
                }
            }
        } catch where error.code == ENOENT || error.code == EEXIST {
            return false
        }
        files[path]??.trees[op.databaseName] = nil
        files[path]??.trees[op.newName] = nil
        return true
    }

    mutating func target(_ reg: FileRegistration) throws(DBError) -> Target? {
        if reg.flags & FileRegistration.temporary != 0 { return nil }
        let path = resolve(reg.path)
        if files[path] == nil { files[path] = try openFile(path) }
        guard var file = files[path]! else { return nil }
        if let known = file.trees[reg.databaseName] { return known }
        var tree: Btree?
        do throws(DBError) {
            if reg.databaseName.isEmpty {
                tree = try Btree.open(store: file.cacheFile, name: path)
            } else {
                tree = try Btree.open(store: file.cacheFile, subdatabase: Array(reg.databaseName.utf8),
                                      create: false, fileName: path)
            }
        } catch where error.code == ENOENT || error.code == EINVAL {
            tree = nil
        }
        let target = tree.map { Target(tree: $0, checkpointLSN: file.checkpointLSN) }
        file.trees[reg.databaseName] = target
        files[path] = file
        return target
    }

    private func openFile(_ path: String) throws(DBError) -> File? {
        guard access(path, F_OK) == 0 else { return nil }
        let pageSize: Int
        do {
            guard let size = try Btree.recordedPageSize(path: path, name: path) else { return nil }
            pageSize = size
        } catch where error.code == EINVAL {
            return nil
        }
        let cacheFile = try cache.openFile(path: path, pageSize: pageSize, create: false, mode: .logged)
        let lsn: LSN?
        do {
            let p = try cacheFile.pin(0, forWrite: false)
            lsn = BtreeMeta.checkpointLSN(p, pageSize: pageSize)
            cacheFile.unpin(0, dirty: false)
        } catch {
            try? cacheFile.close()
            throw error
        }
        guard let lsn else {
            try? cacheFile.close()
            return nil
        }
        return File(cacheFile: cacheFile, checkpointLSN: lsn)
    }

    func closeAll() {
        for case let file? in files.values { try? file.cacheFile.close() }
    }
}
