// Little-endian encoding of log records and wire messages.
//
// ByteReader never traps on bad input: every read checks the remaining
// length and throws a DBError, because the bytes may come from a torn log
// file or from another site over the network. Lengths read from input are
// checked against what is actually there before anything is allocated, so a
// hostile length cannot cause an unbounded allocation.
import Glibc

public struct ByteWriter {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 64) { bytes.reserveCapacity(capacity) }

    public mutating func u8(_ v: UInt8) { bytes.append(v) }
    public mutating func u32(_ v: UInt32) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }
    public mutating func u64(_ v: UInt64) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }
    /// A length-prefixed byte string.
    public mutating func blob(_ b: UnsafeRawBufferPointer) {
        u32(UInt32(b.count))
        bytes.append(contentsOf: b)
    }
    public mutating func blob(_ b: [UInt8]) { b.withUnsafeBytes { blob($0) } }
    public mutating func string(_ s: String) { blob(Array(s.utf8)) }
    /// `n` zero bytes (room for a header written later with `set`).
    public mutating func zeros(_ n: Int) { bytes.append(contentsOf: repeatElement(0, count: n)) }
    /// Overwrites bytes already written.
    public mutating func set(u8 v: UInt8, at offset: Int) { bytes[offset] = v }
    public mutating func set(u32 v: UInt32, at offset: Int) {
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: v.littleEndian, toByteOffset: offset, as: UInt32.self) }
    }
    /// Drops everything after the first `n` bytes (keeping the capacity).
    public mutating func truncate(to n: Int) { bytes.removeSubrange(n...) }
}

public struct ByteReader {
    private let base: UnsafeRawBufferPointer
    public private(set) var offset = 0

    public init(_ base: UnsafeRawBufferPointer) { self.base = base }

    public var remaining: Int { base.count - offset }
    public var isAtEnd: Bool { offset == base.count }

    private mutating func take(_ n: Int) throws(DBError) -> UnsafeRawBufferPointer {
        guard n >= 0, n <= remaining else { throw DBError.malformed("record truncated") }
        defer { offset += n }
        return UnsafeRawBufferPointer(rebasing: base[offset..<(offset + n)])
    }

    public mutating func u8() throws(DBError) -> UInt8 { try take(1)[0] }
    public mutating func u32() throws(DBError) -> UInt32 {
        let b = try take(4)
        return UInt32(littleEndian: b.loadUnaligned(as: UInt32.self))
    }
    public mutating func u64() throws(DBError) -> UInt64 {
        let b = try take(8)
        return UInt64(littleEndian: b.loadUnaligned(as: UInt64.self))
    }
    /// A length-prefixed byte string, as a view into the input.
    public mutating func blob() throws(DBError) -> UnsafeRawBufferPointer {
        let n = Int(try u32())
        return try take(n)
    }
    public mutating func string() throws(DBError) -> String {
        String(decoding: try blob(), as: UTF8.self)
    }
}

extension DBError {
    /// Input that does not decode: a corrupt log record or a bad message.
    public static func malformed(_ what: String) -> DBError {
        DBError(EINVAL, "Tern: malformed input: \(what)")
    }
}
