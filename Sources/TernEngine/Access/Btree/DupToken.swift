// Order tokens for unsorted duplicates (DB_DUP without DB_DUPSORT).
//
// An unsorted duplicate set is kept in the tree ordered by (key, token),
// where the token is a byte string compared lexicographically (shorter is
// smaller) that positional puts generate between two neighbours:
//
//   token = u8 L, L bytes: an integer, big-endian, minimal (no leading zero),
//           then a fraction: bytes never ending in 0
//
// Because L comes first, tokens order by integer, then by fraction read as a
// base-256 digit string. Appending (DB_KEYLAST, DB->put) or prepending
// (DB_KEYFIRST) moves the integer by one, so the common cases keep tokens at
// 6 bytes; DB_BEFORE/DB_AFTER between two neighbours take the midpoint of
// the fractions, growing the token by about one byte per eight inserts at
// the very same spot. Tokens are ordinary fields, so even a long one only
// moves to an overflow page, never fails.
import Glibc

enum DupToken {
    /// The first duplicate's token: integer 2^32, leaving room to prepend.
    static let initial: [UInt8] = [5, 1, 0, 0, 0, 0]

    private static func split(_ t: UnsafeRawBufferPointer) -> (int: UInt64, frac: UnsafeRawBufferPointer)? {
        guard t.count >= 1 else { return nil }
        let l = Int(t[0])
        guard l <= 8, t.count >= 1 + l else { return nil }
        var v: UInt64 = 0
        for i in 0..<l { v = v << 8 | UInt64(t[1 + i]) }
        return (v, UnsafeRawBufferPointer(rebasing: t[(1 + l)...]))
    }

    private static func encode(_ v: UInt64, frac: [UInt8] = []) -> [UInt8] {
        var bytes: [UInt8] = []
        var x = v
        while x != 0 { bytes.insert(UInt8(x & 0xff), at: 0); x >>= 8 }
        return [UInt8(bytes.count)] + bytes + frac
    }

    /// A token greater than `a`.
    static func after(_ a: UnsafeRawBufferPointer) throws(DBError) -> [UInt8] {
        guard let (i, _) = split(a), i < UInt64.max else { throw DBError.invalid("malformed duplicate order token") }
        return encode(i + 1)
    }

    /// A token smaller than `b`.
    static func before(_ b: UnsafeRawBufferPointer) throws(DBError) -> [UInt8] {
        guard let (i, f) = split(b) else { throw DBError.invalid("malformed duplicate order token") }
        if i > 0 { return encode(i - 1) }
        // Integer 0: only a fraction below f's is left; (0, empty) is the
        // smallest token of all. Unreachable in practice (2^32 prepends).
        guard f.count > 0 else { throw DBError(ENOSPC, "no room to insert a duplicate before the first") }
        return encode(0, frac: midFraction(UnsafeRawBufferPointer(start: nil, count: 0), f, upperIsInfinite: false))
    }

    /// A token strictly between `a` < `b`.
    static func between(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) throws(DBError) -> [UInt8] {
        guard let (ia, fa) = split(a), let (ib, fb) = split(b), ia <= ib else {
            throw DBError.invalid("malformed duplicate order token")
        }
        if ia == ib { return encode(ia, frac: midFraction(fa, fb, upperIsInfinite: false)) }
        if ib - ia >= 2 { return encode(ia + 1) }
        if fb.count > 0 { return encode(ib) }
        return encode(ia, frac: midFraction(fa, fb, upperIsInfinite: true))
    }

    /// Digits strictly between fractions x < y (y = +infinity when asked),
    /// never ending in 0. Walks the common prefix; where the digits differ by
    /// two or more it takes the midpoint, by exactly one it keeps x's digit
    /// and continues against an infinite upper bound.
    static func midFraction(_ x: UnsafeRawBufferPointer, _ y: UnsafeRawBufferPointer, upperIsInfinite: Bool) -> [UInt8] {
        var out: [UInt8] = []
        var inf = upperIsInfinite
        var i = 0
        while true {
            let a = i < x.count ? Int(x[i]) : 0
            let b = inf ? 256 : (i < y.count ? Int(y[i]) : 0)
            if b - a >= 2 {
                out.append(UInt8(a + (b - a) / 2))
                return out
            }
            out.append(UInt8(a))
            if b - a == 1 { inf = true }
            i += 1
            // Defensive bound: well-formed inputs end within x.count + y.count + 2 steps.
            if i > x.count + y.count + 4 { out.append(128); return out }
        }
    }
}
