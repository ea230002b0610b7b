// CheckpointRecord: logged by a full checkpoint (txn_checkpoint, and the end
// of recovery) once every page it cut is durable in its file.
//
// Meaning: every database file reflects every record up to and including
// `cut` (files dirty at the cut were written with `cut` in their meta page;
// the others had nothing to write), so normal recovery starts right after
// `cut`, and log files wholly before `cut` are no longer needed
// (log_archive). `registrations` is the file registration table as of the
// cut: the ids commit records after the cut may use without a registration
// of their own after it. `previous` chains to the checkpoint before (libdb's
// last_ckp), `time` is when it was taken (libdb's timestamp).
//
// Format (little-endian): u8 version (1), u32 cut.file, u32 cut.offset,
// u32 previous.file, u32 previous.offset, u64 time (seconds since the
// epoch, two's complement), u32 count, then count FileRegistration
// encodings, each as a blob.
public struct CheckpointRecord: Equatable, Sendable {
    public static let version: UInt8 = 1

    public var cut: LSN
    public var previous: LSN
    public var time: Int
    public var registrations: [FileRegistration]

    public init(cut: LSN, previous: LSN, time: Int, registrations: [FileRegistration]) {
        self.cut = cut
        self.previous = previous
        self.time = time
        self.registrations = registrations
    }

    public func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: 32 + registrations.count * 64)
        w.u8(Self.version)
        w.u32(cut.file)
        w.u32(cut.offset)
        w.u32(previous.file)
        w.u32(previous.offset)
        w.u64(UInt64(bitPattern: Int64(time)))
        w.u32(UInt32(registrations.count))
        for r in registrations { w.blob(r.encoded()) }
        return w.bytes
    }

    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(DBError) -> CheckpointRecord {
        var r = ByteReader(bytes)
        guard try r.u8() == version else { throw .malformed("checkpoint record version") }
        let cut = LSN(file: try r.u32(), offset: try r.u32())
        let previous = LSN(file: try r.u32(), offset: try r.u32())
        let time = Int(Int64(bitPattern: try r.u64()))
        let count = try r.u32()
        // Each registration takes at least its 4-byte length.
        guard Int(count) <= r.remaining / 4 else { throw .malformed("checkpoint record registration count") }
        var regs: [FileRegistration] = []
        regs.reserveCapacity(Int(count))
        for _ in 0..<count { regs.append(try FileRegistration.decode(try r.blob())) }
        guard r.isAtEnd else { throw .malformed("checkpoint record trailing bytes") }
        return CheckpointRecord(cut: cut, previous: previous, time: time, registrations: regs)
    }

    public static func decode(_ bytes: [UInt8]) throws(DBError) -> CheckpointRecord {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(DBError) -> CheckpointRecord in try decode(raw) }
        }
        return try result.get()
    }
}

extension FileRegistration {
    public static func decode(_ bytes: [UInt8]) throws(DBError) -> FileRegistration {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(DBError) -> FileRegistration in try decode(raw) }
        }
        return try result.get()
    }
}

extension CommitRecord {
    public static func decode(_ bytes: [UInt8]) throws(DBError) -> CommitRecord {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(DBError) -> CommitRecord in try decode(raw) }
        }
        return try result.get()
    }
}
