// The on-disk (and in-buffer) format of Tern log records.
//
// A log file is a sequence of records; the first, at offset 0, is the file
// header. Every record, the header included, is framed the same way
// (all integers little-endian):
//
//   0  length    UInt32  whole record, frame included: the next record
//                        starts at offset + length
//   4  prev      UInt32  offset of the previous record in this file (0 for
//                        the first record after the header: the header)
//   8  type      UInt32  record type; >= LogRecordType.reservedBase is Tern's
//   12 checksum  UInt32  CRC32C of bytes 0..<12, then the record's own LSN
//                        (file, offset as two UInt32), then the payload
//   16 payload   length - 16 bytes
//
// Checksumming the LSN (which is not stored) means a record is valid only at
// the place it was written: stale bytes from an earlier incarnation of a
// file, or an LSN pointing into the middle of a record, fail the checksum.
// A zeroed tail has length 0, which no record has. Log files are created at
// their full size (lg_max) and the space after the last record reads as
// zeros, so an all-zero frame is where a file's records end.
//
// The file header's payload (LogFileHeader, 32 bytes):
//   0  magic     8 bytes "TernLog\0": identifies a Tern log
//   8  version   UInt32  format version (1)
//   12 file      UInt32  this file's number (must match the name)
//   16 lgMax     UInt32  the maximum size of this file (lg_max when created)
//   20 prevLast  2×UInt32 LSN of the last record of the log before this file
//                        (zero when none): how backward traversal crosses
//                        files, and how forward traversal knows a file ended
//   28 flags     UInt32  reserved, 0

/// Record types. Types below `reservedBase` belong to the log's users
/// (commit records, file operations, checkpoints ...); Tern's own are above.
public enum LogRecordType {
    public static let reservedBase: UInt32 = 0xFFFF_FF00
    /// The header record at offset 0 of every file.
    public static let fileHeader: UInt32 = 0xFFFF_FF01
}

enum LogFormat {
    static let frameSize = 16
    static let headerPayloadSize = 32
    static let headerRecordSize = UInt32(frameSize + headerPayloadSize)
    static let version: UInt32 = 1
    /// "TernLog\0" read as a little-endian UInt64.
    static let magic: UInt64 = 0x0067_6F4C_6E72_6554

    /// The largest payload a record may carry in a file of `lgMax` bytes:
    /// it must fit after the header in a fresh file.
    static func maxPayload(lgMax: UInt32) -> Int {
        Int(lgMax) - Int(headerRecordSize) - frameSize
    }

    @inline(__always)
    static func put32(_ p: UnsafeMutableRawPointer, _ at: Int, _ v: UInt32) {
        p.storeBytes(of: v.littleEndian, toByteOffset: at, as: UInt32.self)
    }

    @inline(__always)
    static func get32(_ p: UnsafeRawPointer, _ at: Int) -> UInt32 {
        UInt32(littleEndian: p.loadUnaligned(fromByteOffset: at, as: UInt32.self))
    }

    /// The checksum of a record whose first 12 frame bytes are at `frame`.
    static func checksum(frame: UnsafeRawPointer, lsn: LSN, payload: UnsafeRawBufferPointer) -> UInt32 {
        var c = CRC32C.update(0, UnsafeRawBufferPointer(start: frame, count: 12))
        var pos = (lsn.file.littleEndian, lsn.offset.littleEndian)
        c = withUnsafeBytes(of: &pos) { CRC32C.update(c, $0) }
        return CRC32C.update(c, payload)
    }

    /// Writes the 16-byte frame of a record at `lsn` into `frame`.
    static func writeFrame(_ frame: UnsafeMutableRawPointer, lsn: LSN, length: UInt32, prev: UInt32,
                           type: UInt32, payload: UnsafeRawBufferPointer) {
        put32(frame, 0, length)
        put32(frame, 4, prev)
        put32(frame, 8, type)
        put32(frame, 12, checksum(frame: frame, lsn: lsn, payload: payload))
    }
}

/// A decoded record frame.
struct LogFrame {
    var length: UInt32
    var prev: UInt32
    var type: UInt32
    var checksum: UInt32

    init(_ p: UnsafeRawPointer) {
        length = LogFormat.get32(p, 0)
        prev = LogFormat.get32(p, 4)
        type = LogFormat.get32(p, 8)
        checksum = LogFormat.get32(p, 12)
    }

    /// Structural plausibility of a frame at `offset` in a file whose readable
    /// data ends at `end` (before the checksum is looked at).
    func isPlausible(at offset: UInt32, end: UInt32) -> Bool {
        if length < UInt32(LogFormat.frameSize) { return false }
        if UInt64(offset) + UInt64(length) > UInt64(end) { return false }
        if offset == 0 { return type == LogRecordType.fileHeader && prev == 0 }
        return type != LogRecordType.fileHeader && prev < offset
            && offset >= LogFormat.headerRecordSize
    }
}

/// The file header record's payload.
public struct LogFileHeader: Equatable, Sendable {
    public var version: UInt32
    public var file: UInt32
    public var lgMax: UInt32
    public var prevLast: LSN
    public var flags: UInt32

    init(file: UInt32, lgMax: UInt32, prevLast: LSN) {
        version = LogFormat.version
        self.file = file
        self.lgMax = lgMax
        self.prevLast = prevLast
        flags = 0
    }

    /// Decodes a header payload; nil unless the magic is Tern's.
    init?(payload p: UnsafeRawBufferPointer) {
        guard p.count >= LogFormat.headerPayloadSize, let b = p.baseAddress,
              UInt64(littleEndian: b.loadUnaligned(as: UInt64.self)) == LogFormat.magic else { return nil }
        version = LogFormat.get32(b, 8)
        file = LogFormat.get32(b, 12)
        lgMax = LogFormat.get32(b, 16)
        prevLast = LSN(file: LogFormat.get32(b, 20), offset: LogFormat.get32(b, 24))
        flags = LogFormat.get32(b, 28)
    }

    /// Writes the whole header record (frame + payload, headerRecordSize
    /// bytes) at `p`.
    func write(record p: UnsafeMutableRawPointer) {
        let body = p + LogFormat.frameSize
        body.storeBytes(of: LogFormat.magic.littleEndian, as: UInt64.self)
        LogFormat.put32(body, 8, version)
        LogFormat.put32(body, 12, file)
        LogFormat.put32(body, 16, lgMax)
        LogFormat.put32(body, 20, prevLast.file)
        LogFormat.put32(body, 24, prevLast.offset)
        LogFormat.put32(body, 28, flags)
        LogFormat.writeFrame(p, lsn: LSN(file: file, offset: 0), length: LogFormat.headerRecordSize,
                             prev: 0, type: LogRecordType.fileHeader,
                             payload: UnsafeRawBufferPointer(start: body, count: LogFormat.headerPayloadSize))
    }
}
