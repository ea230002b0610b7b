// The routines libdb installs when the application supplies none, as C
// function pointers: getters hand them out (DB->get_bt_compare returns the
// default comparison before set_bt_compare), and applications may call them.
// Each is one global constant, so repeated getters return the same pointer,
// as libdb's do.
import CBerkeleyDB

public enum DefaultRoutines {
    /// libdb's __bam_defcmp: bytewise, then the shorter key first. The
    /// difference of the first unequal bytes, else of the sizes.
    public static let compare: DBCompareFunction = { _, a, b in
        guard let a, let b else { return 0 }
        let length = Int(min(a.pointee.size, b.pointee.size))
        if length > 0, let pa = a.pointee.data, let pb = b.pointee.data {
            let x = pa.assumingMemoryBound(to: UInt8.self), y = pb.assumingMemoryBound(to: UInt8.self)
            for i in 0..<length where x[i] != y[i] { return Int32(x[i]) - Int32(y[i]) }
        }
        return Int32(truncatingIfNeeded: Int(a.pointee.size) - Int(b.pointee.size))
    }

    /// libdb's __bam_defpfx: how many leading bytes of `b` tell it apart from
    /// `a` (one past the common prefix), or b's size when they are equal.
    public static let prefix: DBPrefixFunction = { _, a, b in
        guard let a, let b else { return 0 }
        let length = Int(min(a.pointee.size, b.pointee.size))
        if length > 0, let pa = a.pointee.data, let pb = b.pointee.data {
            let x = pa.assumingMemoryBound(to: UInt8.self), y = pb.assumingMemoryBound(to: UInt8.self)
            for i in 0..<length where x[i] != y[i] { return i + 1 }
        }
        if a.pointee.size < b.pointee.size { return Int(a.pointee.size) + 1 }
        if b.pointee.size < a.pointee.size { return Int(b.pointee.size) + 1 }
        return Int(b.pointee.size)
    }
}
