// DB_SEQUENCE methods, installed over the generated stubs. The checks live
// in the engine (Sources/TernEngine/Sequence/Sequence.swift); errors are
// reported on the sequence's database's environment, as libdb's.
//
// open is not built (it needs DB->get/put), so a sequence is never open:
// get, remove, stat and stat_print make libdb's "before open" check, which
// therefore always answers; what they would do on an open sequence is
// reported as not supported.
import CBerkeleyDB
import Glibc
import TernEngine

enum SequenceMethods {
    static func install(_ h: UnsafeMutablePointer<DB_SEQUENCE>) {
        h.pointee.close = { seq, flags in
            guard let seq else { return EINVAL }
            var ret: Int32 = 0
            if let error = Sequence.closeFlagsError(flags) { ret = SequenceMethods.report(seq, error) }
            SequenceHandle.destroy(seq)
            return ret
        }
        h.pointee.get_db = { seq, out in
            out?.pointee = seq?.pointee.seq_dbp
            return 0
        }
        h.pointee.set_cachesize = { seq, size in SequenceMethods.call(seq) { try $0.setCacheSize(size) } }
        h.pointee.get_cachesize = { seq, out in SequenceMethods.call(seq) { out?.pointee = try $0.getCacheSize() } }
        h.pointee.set_flags = { seq, flags in SequenceMethods.call(seq) { try $0.setFlags(flags) } }
        h.pointee.get_flags = { seq, out in SequenceMethods.call(seq) { out?.pointee = try $0.getFlags() } }
        h.pointee.initial_value = { seq, value in SequenceMethods.call(seq) { try $0.setInitialValue(Int64(value)) } }
        h.pointee.set_range = { seq, min, max in
            SequenceMethods.call(seq) { try $0.setRange(minimum: Int64(min), maximum: Int64(max)) }
        }
        h.pointee.get_range = { seq, min, max in
            SequenceMethods.call(seq) {
                let range = try $0.getRange()
                min?.pointee = db_seq_t(range.minimum)
                max?.pointee = db_seq_t(range.maximum)
            }
        }
        h.pointee.get_key = { seq, _ in
            SequenceMethods.openOnly(seq, "DB_SEQUENCE->get_key")
        }
        h.pointee.get = { seq, _, _, _, _ in SequenceMethods.openOnly(seq, "DB_SEQUENCE->get") }
        h.pointee.remove = { seq, _, _ in SequenceMethods.openOnly(seq, "DB_SEQUENCE->remove") }
        h.pointee.stat = { seq, _, _ in SequenceMethods.openOnly(seq, "DB_SEQUENCE->stat") }
        h.pointee.stat_print = { seq, _ in SequenceMethods.openOnly(seq, "DB_SEQUENCE->stat_print") }
    }

    static func report(_ seq: UnsafeMutablePointer<DB_SEQUENCE>, _ error: DBError) -> Int32 {
        ErrorChannel.report(UnsafePointer(seq.pointee.seq_dbp?.pointee.dbenv), error)
    }

    /// Runs `body` on the sequence; a thrown DBError is reported and returned.
    static func call(_ seq: UnsafeMutablePointer<DB_SEQUENCE>?, _ body: (Sequence) throws -> Void) -> Int32 {
        guard let seq else { return EINVAL }
        return HandleCall.run(HandleSlot.box(seq).sequence,
                              reportingTo: UnsafePointer(seq.pointee.seq_dbp?.pointee.dbenv), body)
    }

    /// A method that needs an open sequence: libdb's check, then (once a
    /// sequence can be open) "not supported yet".
    static func openOnly(_ seq: UnsafeMutablePointer<DB_SEQUENCE>?, _ method: String) -> Int32 {
        guard let seq else { return EINVAL }
        let ret = call(seq) { try $0.requireOpen(for: method) }
        return ret != 0 ? ret : report(seq, .notSupported(method))
    }
}
