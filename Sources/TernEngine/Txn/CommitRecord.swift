// CommitRecord: one committed transaction's write set, as logged.
//
// DESIGN.md's commit path: a transaction's writes stay in its private write
// set; commit appends ONE log record holding every operation with its
// before-image, then applies the operations to the pages from that record.
// Because the record alone is enough to apply the transaction, any process
// (or recovery, or a replication client) can finish an apply a dying process
// left half done, and the before-images let a client roll back transactions a
// new master never had.
//
// Invariants:
// - Operations are in the order the transaction performed them; applying
//   them in order to the state before the transaction yields the state after.
// - Every operation names its database by `fileID`, registered earlier in the
//   log by a FileRegistration record (libdb's dbreg), so a record can be
//   applied without any open handle.
// - `before` is the value the operation replaced (nil: the key was absent).
//   For a delete it is the deleted value; for a put the overwritten one.
//
// Format (little-endian, version 1): u8 version, u32 transaction id,
// u32 operation count, then per operation: u8 kind, u32 fileID, blob key,
// blob data (empty for a delete), u8 hasBefore, [blob before].
public struct CommitRecord: Equatable, Sendable {
    public static let version: UInt8 = 1

    public enum Kind: UInt8, Sendable {
        /// Store `data` under `key` (replacing `before` if present).
        case put = 1
        /// Remove `key` (whose value was `before`).
        case delete = 2
        /// Add the duplicate `data` to `key` (sorted duplicates).
        case putDuplicate = 3
        /// Remove the duplicate pair (`key`, `data`).
        case deleteDuplicate = 4
        /// Replace the whole duplicate set of `key` (unsorted duplicates,
        /// whose writes are positional): `data` is the new set in order and
        /// `before` the old one, each encoded by `encodeList` (an empty list:
        /// the key absent).
        case setDuplicates = 5
        /// Remove every item of the database (DB->truncate outside a
        /// transaction; `key`, `data` and `before` are empty: a rollback
        /// across it needs internal initialisation, as DESIGN.md says).
        case truncate = 6
    }

    /// A duplicate set as `setDuplicates` logs it: u32 count, then blobs.
    public static func encodeList(_ items: [[UInt8]]) -> [UInt8] {
        var w = ByteWriter(capacity: 4 + items.reduce(0) { $0 + 4 + $1.count })
        w.u32(UInt32(items.count))
        for item in items { w.blob(item) }
        return w.bytes
    }

    public static func decodeList(_ bytes: [UInt8]) throws(DBError) -> [[UInt8]] {
        // (An untyped closure: Swift 6.3 crashes on typed-throws closures
        // passed to withUnsafeBytes.)
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(DBError) -> [[UInt8]] in try decodeList(raw) }
        }
        return try result.get()
    }

    public static func decodeList(_ raw: UnsafeRawBufferPointer) throws(DBError) -> [[UInt8]] {
        do {
            var r = ByteReader(raw)
            let count = try r.u32()
            // Each item takes at least its 4-byte length.
            guard Int(count) <= r.remaining / 4 else { throw .malformed("duplicate list count") }
            var items: [[UInt8]] = []
            items.reserveCapacity(Int(count))
            for _ in 0..<count { items.append(Array(try r.blob())) }
            guard r.isAtEnd else { throw .malformed("duplicate list trailing bytes") }
            return items
        }
    }

    public struct Operation: Equatable, Sendable {
        public var kind: Kind
        public var fileID: UInt32
        public var key: [UInt8]
        public var data: [UInt8]
        public var before: [UInt8]?

        public init(kind: Kind, fileID: UInt32, key: [UInt8], data: [UInt8], before: [UInt8]?) {
            self.kind = kind
            self.fileID = fileID
            self.key = key
            self.data = data
            self.before = before
        }
    }

    public var transactionID: UInt32
    public var operations: [Operation]

    public init(transactionID: UInt32, operations: [Operation]) {
        self.transactionID = transactionID
        self.operations = operations
    }

    public func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: 16 + Self.encodedSize(operations))
        w.u8(Self.version)
        w.u32(transactionID)
        Self.encode(operations, into: &w)
        return w.bytes
    }

    static func encodedSize(_ operations: [Operation]) -> Int {
        operations.reduce(0) { $0 + 24 + $1.key.count + $1.data.count + ($1.before?.count ?? 0) }
    }

    /// u32 count, then the operations (the body CommitRecord and
    /// CommitChunk share).
    static func encode(_ operations: [Operation], into w: inout ByteWriter) {
        w.u32(UInt32(operations.count))
        for op in operations { encodeOperation(op.kind, op.fileID, key: op.key, data: op.data, before: op.before, into: &w) }
    }

    /// One operation: u8 kind, u32 fileID, blob key, blob data, u8
    /// hasBefore, [blob before].
    static func encodeOperation(_ kind: Kind, _ fileID: UInt32, key: UnsafeRawBufferPointer,
                                data: UnsafeRawBufferPointer, before: [UInt8]?, into w: inout ByteWriter) {
        w.u8(kind.rawValue)
        w.u32(fileID)
        w.blob(key)
        w.blob(data)
        if let before {
            w.u8(1)
            w.blob(before)
        } else {
            w.u8(0)
        }
    }

    static func encodeOperation(_ kind: Kind, _ fileID: UInt32, key: [UInt8], data: [UInt8], before: [UInt8]?,
                                into w: inout ByteWriter) {
        key.withUnsafeBytes { k in
            data.withUnsafeBytes { d in encodeOperation(kind, fileID, key: k, data: d, before: before, into: &w) }
        }
    }

    /// A whole record of one operation outside a transaction (id 0),
    /// encoded from the caller's bytes.
    static func encodedSingle(_ kind: Kind, _ fileID: UInt32, key: UnsafeRawBufferPointer,
                              data: UnsafeRawBufferPointer, before: [UInt8]?) -> [UInt8] {
        var w = ByteWriter(capacity: 24 + key.count + data.count + (before?.count ?? 0))
        w.u8(version)
        w.u32(0)
        w.u32(1)
        encodeOperation(kind, fileID, key: key, data: data, before: before, into: &w)
        return w.bytes
    }

    static func decodeOperations(_ r: inout ByteReader) throws(DBError) -> [Operation] {
        let count = try r.u32()
        // Each operation takes at least 14 bytes: bound the count by the input
        // before reserving anything.
        guard Int(count) <= r.remaining / 14 else { throw .malformed("commit record operation count") }
        var ops: [Operation] = []
        ops.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let kind = Kind(rawValue: try r.u8()) else { throw .malformed("commit record operation kind") }
            let fileID = try r.u32()
            let key = Array(try r.blob())
            let data = Array(try r.blob())
            let hasBefore = try r.u8()
            guard hasBefore <= 1 else { throw .malformed("commit record before-image flag") }
            let before = hasBefore == 1 ? Array(try r.blob()) : nil
            ops.append(Operation(kind: kind, fileID: fileID, key: key, data: data, before: before))
        }
        guard r.isAtEnd else { throw .malformed("commit record trailing bytes") }
        return ops
    }

    /// Decodes a record; any inconsistency is a DBError, never a trap.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(DBError) -> CommitRecord {
        var r = ByteReader(bytes)
        guard try r.u8() == version else { throw .malformed("commit record version") }
        let txnID = try r.u32()
        let ops = try decodeOperations(&r)
        return CommitRecord(transactionID: txnID, operations: ops)
    }
}

/// A big transaction's commit, logged as a chain (DESIGN.md: "its commit is
/// logged as a chain of chunk records closed by a commit marker"): a write
/// set whose operations exceed the chunk size (TransactionCommit.swift)
/// is logged as CommitChunks numbered 0, 1, ... and a CommitMarker. The
/// transaction is committed exactly when its marker is in the log: recovery
/// (and anything else that applies the log) applies a chain only at its
/// marker, reading the chunks back from `first`, and ignores chunks with no
/// marker after them (a torn chain: the process died mid-commit, or a
/// crash cut the log inside it).
///
/// Chunk format (version 1): u8 version, u32 transaction id, u32 sequence,
/// then the operations as in CommitRecord (u32 count, operations).
public struct CommitChunk: Equatable, Sendable {
    public static let version: UInt8 = 1
    public var transactionID: UInt32
    public var sequence: UInt32
    public var operations: [CommitRecord.Operation]

    public init(transactionID: UInt32, sequence: UInt32, operations: [CommitRecord.Operation]) {
        self.transactionID = transactionID
        self.sequence = sequence
        self.operations = operations
    }

    public func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: 16 + CommitRecord.encodedSize(operations))
        w.u8(Self.version)
        w.u32(transactionID)
        w.u32(sequence)
        CommitRecord.encode(operations, into: &w)
        return w.bytes
    }

    /// The header alone (which chain, which place), without decoding the
    /// operations.
    public static func header(_ bytes: UnsafeRawBufferPointer) throws(DBError) -> (transactionID: UInt32, sequence: UInt32) {
        var r = ByteReader(bytes)
        guard try r.u8() == version else { throw .malformed("commit chunk version") }
        return (try r.u32(), try r.u32())
    }

    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(DBError) -> CommitChunk {
        var r = ByteReader(bytes)
        guard try r.u8() == version else { throw .malformed("commit chunk version") }
        let txnID = try r.u32()
        let sequence = try r.u32()
        let ops = try CommitRecord.decodeOperations(&r)
        return CommitChunk(transactionID: txnID, sequence: sequence, operations: ops)
    }
}

/// The record that commits a chain of CommitChunks: the transaction, the
/// LSNs of its first and last chunks and their count. Its own LSN is the
/// transaction's commit LSN (what durability waits for, what a file's
/// checkpoint LSN is compared with).
///
/// Format (version 1): u8 version, u32 transaction id, u64 first chunk LSN,
/// u64 last chunk LSN (each file << 32 | offset), u32 chunk count.
public struct CommitMarker: Equatable, Sendable {
    public static let version: UInt8 = 1
    public var transactionID: UInt32
    public var first: LSN
    public var last: LSN
    public var count: UInt32

    public init(transactionID: UInt32, first: LSN, last: LSN, count: UInt32) {
        self.transactionID = transactionID
        self.first = first
        self.last = last
        self.count = count
    }

    public func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: 32)
        w.u8(Self.version)
        w.u32(transactionID)
        w.u64(UInt64(first.file) << 32 | UInt64(first.offset))
        w.u64(UInt64(last.file) << 32 | UInt64(last.offset))
        w.u32(count)
        return w.bytes
    }

    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(DBError) -> CommitMarker {
        var r = ByteReader(bytes)
        guard try r.u8() == version else { throw .malformed("commit marker version") }
        let txnID = try r.u32()
        let f = try r.u64(), l = try r.u64()
        let count = try r.u32()
        guard r.isAtEnd else { throw .malformed("commit marker trailing bytes") }
        let first = LSN(file: UInt32(f >> 32), offset: UInt32(truncatingIfNeeded: f))
        let last = LSN(file: UInt32(l >> 32), offset: UInt32(truncatingIfNeeded: l))
        guard count > 0, first <= last else { throw .malformed("commit marker chain bounds") }
        return CommitMarker(transactionID: txnID, first: first, last: last, count: count)
    }
}

/// A log record naming a database file for later records (libdb's dbreg):
/// the file's path relative to the environment home (absolute when outside
/// it), the
/// database name within it (empty for the whole file), and the id
/// CommitRecords use. Ids are unique per (file, database) while a region
/// lives; a later registration of an id replaces the earlier one, so a reader
/// must process registrations in log order.
///
/// Format: u8 version (2; version 1 had no flags), u32 fileID, string path,
/// string databaseName, u32 flags (`customKeyCompare`, `customDupCompare`:
/// the handle that logged it ordered keys or duplicates with an application
/// function, which recovery cannot call; `temporary`: an in-memory
/// database's backing file, which recovery never replays; `closed`: a
/// handle of the database closed — libdb's dbreg close — which changes no
/// mapping, other handles may still use the id).
public struct FileRegistration: Equatable, Sendable {
    public static let customKeyCompare: UInt32 = 1
    public static let customDupCompare: UInt32 = 2
    public static let temporary: UInt32 = 4
    public static let closed: UInt32 = 8

    public var fileID: UInt32
    public var path: String
    public var databaseName: String
    public var flags: UInt32

    public init(fileID: UInt32, path: String, databaseName: String, flags: UInt32 = 0) {
        self.fileID = fileID
        self.path = path
        self.databaseName = databaseName
        self.flags = flags
    }

    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.u8(2)
        w.u32(fileID)
        w.string(path)
        w.string(databaseName)
        w.u32(flags)
        return w.bytes
    }

    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(DBError) -> FileRegistration {
        var r = ByteReader(bytes)
        let version = try r.u8()
        guard version == 1 || version == 2 else { throw .malformed("file registration version") }
        let id = try r.u32()
        let path = try r.string()
        let name = try r.string()
        let flags = version == 2 ? try r.u32() : 0
        guard r.isAtEnd else { throw .malformed("file registration trailing bytes") }
        return FileRegistration(fileID: id, path: path, databaseName: name, flags: flags)
    }
}

extension CommitChunk {
    public static func decode(_ bytes: [UInt8]) throws(DBError) -> CommitChunk {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(DBError) -> CommitChunk in try decode(raw) }
        }
        return try result.get()
    }

    public static func header(_ bytes: [UInt8]) throws(DBError) -> (transactionID: UInt32, sequence: UInt32) {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(DBError) -> (transactionID: UInt32, sequence: UInt32) in try header(raw) }
        }
        return try result.get()
    }
}

extension CommitMarker {
    public static func decode(_ bytes: [UInt8]) throws(DBError) -> CommitMarker {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(DBError) -> CommitMarker in try decode(raw) }
        }
        return try result.get()
    }
}
