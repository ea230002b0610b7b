// RegionOffset: a position inside a region, counted in bytes from the
// region's first byte. Shared structures store offsets, never pointers,
// because every process maps the region at its own address; a process turns
// an offset into a pointer with `Region.pointer(_:)` (base + offset).
//
// Offset 0 is the region header, so no structure ever lives there and 0
// doubles as "none" (`RegionOffset.none`).
public struct RegionOffset: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var raw: UInt64

    @inlinable public init(_ raw: UInt64) { self.raw = raw }
    @inlinable public init(_ raw: Int) { self.raw = UInt64(raw) }

    public static let none = RegionOffset(UInt64(0))
    @inlinable public var isNone: Bool { raw == 0 }

    @inlinable public static func < (a: RegionOffset, b: RegionOffset) -> Bool { a.raw < b.raw }
    @inlinable public static func + (a: RegionOffset, b: Int) -> RegionOffset { RegionOffset(a.raw &+ UInt64(b)) }

    public var description: String { "@\(raw)" }
}

/// Typed little helpers over raw region memory. Region memory is never bound
/// to Swift types: every access is an unaligned-safe raw load or store at an
/// offset, which keeps the unsafe surface to these few functions.
extension UnsafeMutableRawPointer {
    @inline(__always) func u32(_ at: Int) -> UInt32 { load(fromByteOffset: at, as: UInt32.self) }
    @inline(__always) func u64(_ at: Int) -> UInt64 { load(fromByteOffset: at, as: UInt64.self) }
    @inline(__always) func i32(_ at: Int) -> Int32 { load(fromByteOffset: at, as: Int32.self) }
    @inline(__always) func setU32(_ at: Int, _ v: UInt32) { storeBytes(of: v, toByteOffset: at, as: UInt32.self) }
    @inline(__always) func setU64(_ at: Int, _ v: UInt64) { storeBytes(of: v, toByteOffset: at, as: UInt64.self) }
    @inline(__always) func setI32(_ at: Int, _ v: Int32) { storeBytes(of: v, toByteOffset: at, as: Int32.self) }
    /// A pointer to a 4- or 8-byte word, for the atomic shims of CTern.
    @inline(__always) func word32(_ at: Int) -> UnsafeMutablePointer<UInt32> {
        (self + at).assumingMemoryBound(to: UInt32.self)
    }
    @inline(__always) func word64(_ at: Int) -> UnsafeMutablePointer<UInt64> {
        (self + at).assumingMemoryBound(to: UInt64.self)
    }
}
