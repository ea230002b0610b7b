// CacheLayout: where the page cache's shared structures sit inside the
// region's "cache" area, and typed accessors for them. Everything here is an
// offset computation or a raw load/store; the rules for who may touch what
// (the locking rules) are stated next to each structure.
//
// Area layout (offsets from the area's start; `*Off` fields hold absolute
// region offsets):
//   header (1024 bytes)               see `H`
//   frames     nframes  x 32 bytes    see `F`
//   buckets    nbuckets x 64 bytes    see `B`
//   files      maxFiles x 1088 bytes  see `FE`
//   spill index capacity x 16 bytes   see `S`
//   buffer arena                      page buffers (RegionHeap)
//
// LOCK ORDER: eviction mutex -> one bucket mutex -> (process-local fd lock).
// Nobody takes the eviction mutex while holding a bucket mutex, and nobody
// holds two bucket mutexes at once.
import CTernAtomics

enum H {
    static let magic = 0, version = 4
    static let nframes = 8, nbuckets = 12, maxFiles = 16, spillCapacity = 20
    static let framesOff = 24, bucketsOff = 32, filesOff = 40, spillOff = 48
    /// RegionHeap control block of the buffer arena. Guarded by the
    /// eviction mutex.
    static let heapControl = 56
    /// The eviction mutex guards: the free frame lists, the clock hand, the
    /// buffer heap, the file table's allocation, refCount, spillSlots and
    /// spilledPages fields, the spill index, and the counters below marked
    /// (E).
    static let evictMutex = 96
    static let clockHand = 160       // UInt32 (E)
    static let freeEmpty = 164       // Int32 head: free frames without buffer (E)
    static let freeBuffered = 168    // Int32 head: free frames with a buffer (E)
    static let pagesWritten = 176    // UInt64 (E)
    static let evictClean = 184      // UInt64 (E)
    static let evictDirty = 192      // UInt64 (E)
    static let spillWrites = 200     // UInt64 (E)
    static let spillReads = 208      // UInt64 (E)
    static let checkpointWrites = 216 // UInt64 (E)
    static let allocFailures = 224   // UInt64 (E)
    static let pagesCreated = 232    // UInt64, atomic
    static let spillUsed = 240       // UInt32 (E) live spill entries
    static let spillTombstones = 244 // UInt32 (E)
    static let cacheBytes = 248      // UInt64, fixed
    /// The spill index's generation: 0 while it is the region's table, n
    /// once grown into `__tern.spill.<region id>.index.<n>` (E).
    static let spillIndexGeneration = 256 // UInt32 (E)
    static let spillIndexCapacity = 260   // UInt32 (E) entries of the grown table
    static let size = 1024
    static let magicValue: UInt32 = 0x4843_4354 // "TCCH"
    /// 2: spill generations and the checkpoint frame flag.
    static let versionValue: UInt32 = 2
}

/// A frame descriptor. A frame is in exactly one of three states:
/// - on a free list: guarded by the eviction mutex;
/// - in a hash chain: guarded by that bucket's mutex (its identity fileId /
///   pgno never changes while it is chained);
/// - private: taken off a free list or out of a chain by one thread, which
///   may touch it without locks until it puts it back.
enum F {
    static let size = 32
    static let fileId = 0, pgno = 4, pin = 8, flags = 12, next = 16, bufSize = 20, bufOff = 24
    static let dirty: UInt32 = 1, referenced: UInt32 = 2, loading: UInt32 = 4
    /// Copied by the checkpoint in progress, whose write of it in place is
    /// not known to be durable yet: the frame must not leave the cache
    /// without being spilled (as if dirty) until the checkpoint finishes.
    static let ckpt: UInt32 = 8
}

/// A hash bucket: its mutex guards the chain (head), the chained frames'
/// pin counts and flags, and the bucket's hit/miss counters (summed for
/// statistics, so the hot path touches no shared counter).
enum B {
    static let size = 64
    static let mutex = 0, head = 40, hits = 48, misses = 56
}

/// A file table entry. `inUse`, `generation`, identity (dev, ino, path,
/// pageSize, mode) are written under the eviction mutex when the entry is
/// claimed and are immutable while it is in use; refCount, the spill fields
/// (spillGeneration, spillSlots, spillSlots1, spilledPages) are guarded by
/// the eviction mutex; pageCount is atomic.
///
/// Spill generations: a logged file has two spill files, generation 0 and 1.
/// New spills go to the active one (`spillGeneration`), whose next free slot
/// is `spillSlots` (generation 0) or `spillSlots1` (generation 1). A
/// checkpoint's cut makes the other generation active, freezing the old one:
/// its slots are never written again, so the checkpoint reads them without
/// any lock while committers keep spilling to the new one. Outside a
/// checkpoint only the active generation has entries.
enum FE {
    static let size = 1088
    static let inUse = 0, refCount = 4, pageSize = 8, mode = 12, pageCount = 16
    static let spillSlots = 20, spilledPages = 24, pathLength = 28, generation = 32
    static let spillGeneration = 36
    static let dev = 40, ino = 48, spillSlots1 = 56, path = 64
    static let maxPath = 1024

    /// The field holding generation `g`'s next free spill slot.
    static func slots(_ g: UInt32) -> Int { g == 0 ? spillSlots : spillSlots1 }
}

/// A spill index entry (open addressing, linear probing). Guarded by the
/// eviction mutex. fileId 0 = empty, `tombstone` = deleted. A slot's top bit
/// is its spill generation (see FE), the rest its index in that file.
enum S {
    static let size = 16
    static let fileId = 0, pgno = 4, slot = 8
    static let tombstone: UInt32 = 0xFFFF_FFFF
    static let generationBit: UInt32 = 1 << 31

    static func generation(_ slot: UInt32) -> UInt32 { slot >> 31 }
    static func index(_ slot: UInt32) -> UInt32 { slot & ~generationBit }
    static func slot(_ index: UInt32, generation g: UInt32) -> UInt32 { index | (g << 31) }
}

/// The computed sizes of a cache area.
struct CacheGeometry {
    var cacheBytes: Int
    var nframes: Int
    var nbuckets: Int
    var maxFiles: Int
    var spillCapacity: Int

    init(cacheBytes: Int) {
        self.cacheBytes = max(cacheBytes, 20 * 1024)
        // One descriptor per KiB of cache: a cache of 512-byte pages holds
        // at most half its bytes in pages (documented limit).
        nframes = self.cacheBytes / 1024 + 16
        var b = 16
        while b < nframes / 2 { b <<= 1 }
        nbuckets = b
        maxFiles = 128
        var s = 4096
        while s < nframes * 8 { s <<= 1 }
        spillCapacity = s
    }

    var framesAt: Int { H.size }
    var bucketsAt: Int { framesAt + nframes * F.size }
    var filesAt: Int { bucketsAt + nbuckets * B.size }
    var spillAt: Int { filesAt + maxFiles * FE.size }
    var arenaAt: Int { (spillAt + spillCapacity * S.size + 63) & ~63 }
    /// Buffers plus the heap's per-block header.
    var arenaSize: Int { cacheBytes + nframes * RegionHeap.headerSize }
    var areaSize: Int { arenaAt + arenaSize }
}
