// FileOperation: the log record of a whole-file or named-database remove or
// rename (DB->remove, DB->rename, DB_ENV->dbremove, dbrename), so that the
// log describes every change to the environment's files: recovery redoes
// one the files do not show yet, and a replication client (which applies
// the master's log) learns of it.
//
// Format (TernLogRecord.fileOperation): u8 version 1, u8 kind (1 remove,
// 2 rename), string path (as FileRegistration records it: relative to the
// home, or absolute), string databaseName ("" for the whole file), string
// newName (rename: the new path, recorded the same way, or the new database
// name; "" for remove).
//
// Logging: the operation is done first and its record appended in the same
// commit section (as plain puts are: Txn/CommitPath.swift), so a checkpoint
// never cuts between them; a failed append then panics the environment,
// since the files would show a change the log does not. A named-database
// change also checkpoints its file before returning (DatabaseFiles.swift).
//
// Redo (Recovery.swift): at LSN L, only when the file named still is the
// incarnation the record describes — it exists and its checkpoint LSN is
// below L (a file created again later was checkpointed at its creation,
// after L) — and, for a rename, the new name is free. Redoing is therefore
// idempotent, as replay must be.
import CBerkeleyDB
import Glibc

public struct FileOperation: Equatable, Sendable {
    public enum Kind: UInt8, Sendable { case remove = 1, rename = 2 }

    public var kind: Kind
    public var path: String
    public var databaseName: String
    public var newName: String

    public init(kind: Kind, path: String, databaseName: String, newName: String = "") {
        self.kind = kind
        self.path = path
        self.databaseName = databaseName
        self.newName = newName
    }

    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.u8(1)
        w.u8(kind.rawValue)
        w.string(path)
        w.string(databaseName)
        w.string(newName)
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(DBError) -> FileOperation {
        try bytes.withUnsafeBytes { b in Result { () throws(DBError) in try decode(b) } }.get()
    }

    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(DBError) -> FileOperation {
        var r = ByteReader(bytes)
        guard try r.u8() == 1 else { throw .malformed("file operation version") }
        guard let kind = Kind(rawValue: try r.u8()) else { throw .malformed("file operation kind") }
        let path = try r.string()
        let name = try r.string()
        let newName = try r.string()
        guard r.isAtEnd else { throw .malformed("file operation trailing bytes") }
        return FileOperation(kind: kind, path: path, databaseName: name, newName: newName)
    }
}

extension Environment {
    /// Runs `body` (the operation itself) and logs `operation` in one commit
    /// section; without a log, just runs it. Paths are recorded relative to
    /// the home.
    func loggingFileOperation(_ operation: FileOperation, _ body: () throws(DBError) -> Void) throws(DBError) {
        guard let log, commitGate != nil else { return try commitSection(body) }
        var recorded = operation
        recorded.path = relativeToHome(operation.path)
        if operation.kind == .rename && operation.databaseName.isEmpty {
            recorded.newName = relativeToHome(operation.newName)
        }
        let payload = recorded.encoded()
        try commitSection { () throws(DBError) in
            try body()
            do throws(DBError) {
                _ = try log.append(type: TernLogRecord.fileOperation, payload: payload)
            } catch {
                panic(because: error)
                throw DBError(DB_RUNRECOVERY, "BDB0061 PANIC: \(error.message ?? "log write failed")")
            }
        }
    }
}
