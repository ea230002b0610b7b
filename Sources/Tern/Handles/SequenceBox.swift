// The Swift side of a DB_SEQUENCE handle.
//
// Slot: DB_SEQUENCE.seq_rp. libdb points that member at the handle's own
// seq_record and uses it only internally; applications never read it (the
// record is reached through the DB_SEQUENCE methods). api_internal is left
// alone because libdb's C++ and Java APIs keep their wrapper object there.
// The box holds a retained reference; DB_SEQUENCE->close (and a successful
// remove, when built) releases it and frees the struct.
import CBerkeleyDB
import Glibc
import TernEngine

final class SequenceBox {
    let sequence: Sequence
    init(sequence: Sequence) { self.sequence = sequence }
}

extension HandleSlot {
    static func box(_ seq: UnsafeMutablePointer<DB_SEQUENCE>) -> SequenceBox {
        Unmanaged<SequenceBox>.fromOpaque(UnsafeRawPointer(seq.pointee.seq_rp)!).takeUnretainedValue()
    }
    static func attach(_ box: SequenceBox, to seq: UnsafeMutablePointer<DB_SEQUENCE>) {
        seq.pointee.seq_rp = Unmanaged.passRetained(box).toOpaque().assumingMemoryBound(to: DB_SEQ_RECORD.self)
    }
    static func detach(_ seq: UnsafeMutablePointer<DB_SEQUENCE>) {
        guard let raw = seq.pointee.seq_rp else { return }
        Unmanaged<SequenceBox>.fromOpaque(UnsafeRawPointer(raw)).release()
        seq.pointee.seq_rp = nil
    }
}

enum SequenceHandle {
    /// A DB_SEQUENCE on `dbp` for an engine sequence that passed
    /// db_sequence_create's checks.
    static func create(_ sequence: Sequence, on dbp: UnsafeMutablePointer<DB>) -> UnsafeMutablePointer<DB_SEQUENCE>? {
        guard let raw = calloc(1, MemoryLayout<DB_SEQUENCE>.size) else { return nil }
        let seq = raw.bindMemory(to: DB_SEQUENCE.self, capacity: 1)
        seq.pointee.seq_dbp = dbp
        HandleSlot.attach(SequenceBox(sequence: sequence), to: seq)
        UnsupportedMethods.install(seq)
        SequenceMethods.install(seq)
        return seq
    }

    static func destroy(_ seq: UnsafeMutablePointer<DB_SEQUENCE>) {
        HandleSlot.detach(seq)
        free(seq)
    }
}
