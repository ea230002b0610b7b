// CommitGate: the region area ("checkpoint") that lets a checkpoint find the
// applied-through LSN, and the checkpoint state every process shares.
//
// Layout (offsets from the area's start; LSNs packed as file << 32 | offset):
//   0    gate                SharedLatch (process-shared pthread rwlock)
//   64   checkpoint mutex    SharedMutex (robust)
//   128  u32 magic "TCKP"    132 u32 version
//   136  u32 log holders     processes that have the log open (atomic)
//   140  u32 next log file id (atomic): ids FileRegistration records name
//   144  u64 last checkpoint record LSN (libdb's last_ckp)       (atomic)
//   152  u64 its cut LSN (libdb's ckp_lsn)                        (atomic)
//   160  u64 time of the last checkpoint (libdb's time_ckp)       (atomic)
//   168  u64 log end just after the last checkpoint record; 0 none (atomic)
//   176  u32 the log was searched for its last checkpoint record (atomic)
//   180  u32 log mode: 0 unknown, 1 files, 2 in memory (one process's)
//
// Locking rules:
// - The gate: every commit section holds it shared (committers run
//   concurrently); a checkpoint holds it exclusively only while it reads the
//   log's end and copies the dirty pages (its "cut"), never during I/O. So
//   while the gate is held exclusively no commit is between its log append
//   and the end of its apply, and the log's last record is the
//   applied-through LSN. A commit section must not take the gate again
//   (it is not recursive) and must not take a tree latch that a thread may
//   hold while it waits to enter a section: tree latches are taken before
//   the section starts. The rwlock prefers readers (glibc's default), so
//   this rule is what keeps a waiting checkpoint from deadlocking with a
//   committer; the trade-off is that a checkpoint can wait for a gap
//   between overlapping commit sections.
// - The checkpoint mutex serialises checkpoints (whole: cut, I/O, record)
//   and guards the last-checkpoint fields' updates; readers load them
//   atomically. It is robust: a checkpointer that died leaves
//   `.previousOwnerDied` to the next one.
// - The log holders count: a process's first handle with the log adds one
//   once its open succeeded, its last handle's clean close takes one off
//   (Region.holdLog counts a process's handles). An opener that is the only
//   live process with the log (Region.holdLog's `alone`, exclusive until it
//   shares it) and finds the count nonzero knows a holder died with the
//   environment open (a crash); it repairs, then sets the count to 1. While
//   other processes live, a dead one's count stays (not detected: libdb
//   without DB_REGISTER/failchk does not detect it either).
// - The log mode is written by the alone opener only.
import CTernAtomics
import Glibc

public struct CommitGate: @unchecked Sendable {
    static let areaName = "checkpoint"
    static let size = 256
    static let offGate = 0, offMutex = 64, offMagic = 128, offVersion = 132
    static let offHolder = 136, offNextFileID = 140
    static let offLastCheckpoint = 144, offLastCut = 152, offTime = 160, offQuiescentEnd = 168
    static let offSearched = 176, offLogMode = 180
    static let magic: UInt32 = 0x504B_4354 // "TCKP"
    static let version: UInt32 = 1

    let area: UnsafeMutableRawPointer

    /// The region's gate area, created (and its latch and mutex initialised)
    /// by the first process that needs it.
    static func attach(_ region: Region) throws(DBError) -> CommitGate {
        let off = try region.area(areaName, size: size) { (off) throws(DBError) in
            let p = region.pointer(off)
            _ = SharedLatch.initialize(at: p + offGate)
            _ = SharedMutex.initialize(at: p + offMutex)
            p.setU32(offVersion, version)
            p.setU64(offTime, UInt64(UInt(bitPattern: time(nil))))
            p.setU32(offNextFileID, 1)
            p.setU32(offMagic, magic)
        }
        let p = region.pointer(off)
        guard p.u32(offMagic) == magic, p.u32(offVersion) == version else {
            throw DBError(EINVAL, "tern region: the checkpoint area is corrupt or of another version")
        }
        return CommitGate(area: p)
    }

    var latch: SharedLatch { SharedLatch(at: area + Self.offGate) }
    var checkpointMutex: SharedMutex { SharedMutex(at: area + Self.offMutex) }

    /// Processes that have the log open (see the locking rules).
    var logHolders: UInt32 {
        get { tern_atomic_load_u32(area.word32(Self.offHolder)) }
        nonmutating set { tern_atomic_store_u32(area.word32(Self.offHolder), newValue) }
    }

    func addLogHolder() { _ = tern_atomic_fetch_add_u32(area.word32(Self.offHolder), 1) }

    /// Takes one holder off (never below zero).
    func removeLogHolder() {
        let p = area.word32(Self.offHolder)
        while true {
            let v = tern_atomic_load_u32(p)
            if v == 0 || tern_atomic_cas_u32(p, v, v - 1) == v { return }
        }
    }

    enum LogMode: UInt32 { case unknown = 0, files = 1, inMemory = 2 }

    /// Whether the environment's log is in files (shared) or in one
    /// process's memory.
    var logMode: LogMode {
        get { LogMode(rawValue: tern_atomic_load_u32(area.word32(Self.offLogMode))) ?? .unknown }
        nonmutating set { tern_atomic_store_u32(area.word32(Self.offLogMode), newValue.rawValue) }
    }

    /// A log file id no other registration in this region's lifetime has.
    func allocateFileID() -> UInt32 { tern_atomic_fetch_add_u32(area.word32(Self.offNextFileID), 1) }

    static func pack(_ lsn: LSN) -> UInt64 { UInt64(lsn.file) << 32 | UInt64(lsn.offset) }
    static func unpack(_ v: UInt64) -> LSN { LSN(file: UInt32(v >> 32), offset: UInt32(truncatingIfNeeded: v)) }

    private func lsn(_ at: Int) -> LSN { Self.unpack(tern_atomic_load_u64(area.word64(at))) }
    private func setLSN(_ at: Int, _ v: LSN) { tern_atomic_store_u64(area.word64(at), Self.pack(v)) }

    /// The last checkpoint record's LSN (zero: none known).
    public var lastCheckpoint: LSN { lsn(Self.offLastCheckpoint) }
    /// The cut LSN that record carries: recovery starts after it.
    public var lastCheckpointCut: LSN { lsn(Self.offLastCut) }
    /// When the last checkpoint record was written (or the region created).
    public var lastCheckpointTime: Int { Int(Int64(bitPattern: tern_atomic_load_u64(area.word64(Self.offTime)))) }
    /// The log's end right after the last checkpoint record: a log still
    /// ending there has logged nothing since (libdb's quiescent test).
    var quiescentEnd: LSN { lsn(Self.offQuiescentEnd) }

    /// Records a checkpoint record (checkpoint mutex held).
    func noteCheckpoint(record: LSN, cut: LSN, time t: Int, end: LSN?) {
        setLSN(Self.offLastCheckpoint, record)
        setLSN(Self.offLastCut, cut)
        tern_atomic_store_u64(area.word64(Self.offTime), UInt64(bitPattern: Int64(t)))
        setLSN(Self.offQuiescentEnd, end ?? .zero)
    }

    /// Whether the log was searched for its last checkpoint record since
    /// the region was made (the search reads the log backwards: once).
    var searchedForCheckpoint: Bool {
        get { tern_atomic_load_u32(area.word32(Self.offSearched)) != 0 }
        nonmutating set { tern_atomic_store_u32(area.word32(Self.offSearched), newValue ? 1 : 0) }
    }

    /// The last checkpoint found in the log at open (no time: libdb's
    /// time_ckp stays the region's creation time).
    func noteFoundCheckpoint(record: LSN, cut: LSN) {
        setLSN(Self.offLastCheckpoint, record)
        setLSN(Self.offLastCut, cut)
    }
}
