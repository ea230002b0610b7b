// FileRegistry: the file registrations one environment handle has logged,
// so that a checkpoint record can carry the table (commit records after a
// checkpoint's cut may name ids registered before it) and a database opened
// again reuses its id.
//
// Ids come from the region (CommitGate.allocateFileID), so no two
// (file, database) pairs share one while the region lives; recovery, which
// replays in log order, takes a later registration of an id as replacing an
// earlier one, so ids may start again in a new region.
//
// Locking rule: `lock` guards both tables. `register` appends the record and
// updates the tables inside one commit section, so a checkpoint that copies
// the table with the gate held exclusively sees exactly the registrations
// logged up to its cut.
final class FileRegistry: @unchecked Sendable {
    private let lock = LocalLock()
    private var byID: [UInt32: FileRegistration] = [:]
    private var byName: [String: UInt32] = [:]

    /// The registrations as of now, by id.
    func snapshot() -> [FileRegistration] {
        lock.withLock { byID.values.sorted { $0.fileID < $1.fileID } }
    }

    /// Logs a registration of (path, databaseName) and returns its id. The
    /// caller is inside a commit section.
    func register(path: String, databaseName: String, flags: UInt32, gate: CommitGate,
                  log: Log) throws(DBError) -> UInt32 {
        try lock.withLock { () throws(DBError) -> UInt32 in
            let key = path + "\u{0}" + databaseName
            let id = byName[key] ?? gate.allocateFileID()
            let registration = FileRegistration(fileID: id, path: path, databaseName: databaseName, flags: flags)
            _ = try log.append(type: TernLogRecord.fileRegistration, payload: registration.encoded())
            byID[id] = registration
            byName[key] = id
            return id
        }
    }

    /// Logs the registration of `id` again with `closed` set (a handle of
    /// it closed). Nothing for an id this handle did not register.
    func logClose(_ id: UInt32, log: Log) throws(DBError) {
        try lock.withLock { () throws(DBError) in
            guard var registration = byID[id] else { return }
            registration.flags |= FileRegistration.closed
            _ = try log.append(type: TernLogRecord.fileRegistration, payload: registration.encoded())
        }
    }

    func removeAll() {
        lock.withLock { byID = [:]; byName = [:] }
    }
}
