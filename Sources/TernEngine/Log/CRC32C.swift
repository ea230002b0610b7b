// CRC32C (Castagnoli, reflected polynomial 0x82F63B78).
//
// The log checksums every record with it. On CPUs with SSE4.2 the crc32
// instruction computes it (CTernAtomics/crc32c.c, eight bytes per
// instruction; the table code cost ~1,200 instructions per commit record).
// Elsewhere slicing-by-8 consumes eight bytes per step through eight
// 256-entry tables (8 KiB, built once on first use; Swift initialises
// globals lazily and thread-safely). Check value: crc32c("123456789") ==
// 0xE3069283; the tests compare both paths.
import CTernAtomics

enum CRC32C {
    /// tables[k * 256 + b]: the CRC contribution of byte b followed by k zero bytes.
    static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for b in 0..<256 {
            var c = UInt32(b)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
            t[b] = c
        }
        for k in 1..<8 {
            for b in 0..<256 {
                let prev = t[(k - 1) * 256 + b]
                t[k * 256 + b] = (prev >> 8) ^ t[Int(prev & 0xFF)]
            }
        }
        return t
    }()

    /// The CRC of `bytes`, continuing from `crc` (0 to start a new one).
    /// The pre- and post-inversion are inside, so update(update(0,a),b) ==
    /// update(0, a+b).
    static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        if tern_crc32c_hardware() != 0 { return tern_crc32c_update(crc, base, bytes.count) }
        return tableUpdate(crc, bytes)
    }

    /// The table-driven computation (CPUs without the instruction; tests).
    static func tableUpdate(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        var c = ~crc
        var p = base
        var n = bytes.count
        tables.withUnsafeBufferPointer { t in
            // Bytes up to 8-byte alignment, so the wide loads are aligned.
            while n > 0 && Int(bitPattern: p) & 7 != 0 {
                c = t[Int((c ^ UInt32(p.load(as: UInt8.self))) & 0xFF)] ^ (c >> 8)
                p += 1; n -= 1
            }
            while n >= 8 {
                let w = UInt64(littleEndian: p.load(as: UInt64.self))
                let lo = UInt32(truncatingIfNeeded: w) ^ c
                let hi = UInt32(truncatingIfNeeded: w >> 32)
                c = t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
                    ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
                    ^ t[1 * 256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
                p += 8; n -= 8
            }
            while n > 0 {
                c = t[Int((c ^ UInt32(p.load(as: UInt8.self))) & 0xFF)] ^ (c >> 8)
                p += 1; n -= 1
            }
        }
        return ~c
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { update(0, $0) }
    }
}
