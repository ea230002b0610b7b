// PageCache: Tern's mpool. Page frames, the hash table that finds them, the
// shared file table, the spill index and the statistics all live in the
// region's "cache" area (see CacheLayout.swift), so every process attached
// to the region shares one cache. A PageCache object is one process's view
// of it: region pointers plus a per-process table of file descriptors.
//
// Pin (hot path): hash (file id, page) to a bucket, lock the bucket, find
// the frame, bump its pin count, unlock. No allocation, no reference
// counting, no copy: `CacheCore` is a struct of raw pointers.
// Miss: take a frame (free list, else the clock evicts an unpinned frame,
// writing it back if dirty), insert it in the chain marked `loading` and
// pinned, read the page outside every lock, clear `loading`. Another thread
// that finds a loading frame yields and looks again; so one page is never in
// two frames and a read never races a write-back of the same page.
//
// Write-back modes, per file:
// - `.inPlace` (no log): a dirty page goes back to the database file on
//   eviction, `sync` and close.
// - `.logged`: a dirty page is never written to the database file between
//   checkpoints. Evicted, it goes to the file's spill file
//   (`__tern.spill.<region id>.<file id>` in the home), and the spill index
//   in the region maps (file, page) to its slot, so a later miss in any
//   process reads the spilled version. A checkpoint (CacheCheckpoint.swift)
//   copies the dirty pages and freezes the spill at its cut, writes them in
//   place, then drops the frozen spill entries.
//
// A cache whose frames are all pinned fails a miss with ENOMEM and libdb's
// message ("unable to allocate space from the buffer cache"); it never waits.
//
// Locking rule: PageCache is safe to use from several threads: shared state
// is guarded by the region mutexes named in CacheLayout.swift, the fd table
// by a process-local lock, and the object's other fields are immutable.
import CBerkeleyDB
import CTernAtomics
import Glibc

public enum WriteBackMode: UInt32, Sendable {
    /// Dirty pages go back to the database file (no log).
    case inPlace = 0
    /// Dirty pages stay out of the database file until a checkpoint.
    case logged = 1
}

/// Counters libdb's DB_MPOOL_STAT reports, summed from the region.
public struct CacheStats: Sendable, Equatable {
    public var hits: UInt64 = 0            // st_cache_hit
    public var misses: UInt64 = 0          // st_cache_miss
    public var pagesRead: UInt64 = 0       // st_page_in
    public var pagesWritten: UInt64 = 0    // st_page_out (in place)
    public var pagesCreated: UInt64 = 0    // st_page_create
    public var evictionsClean: UInt64 = 0  // st_ro_evict
    public var evictionsDirty: UInt64 = 0  // st_rw_evict
    public var spillWrites: UInt64 = 0
    public var spillReads: UInt64 = 0
    public var checkpointWrites: UInt64 = 0
    public var allocFailures: UInt64 = 0
    public var pagesInCache: Int = 0       // st_pages
    public var dirtyPages: Int = 0         // st_page_dirty
    public var pinnedPages: Int = 0
    public var spilledPages: Int = 0
    public var frames: Int = 0
    public var cacheBytes: Int = 0         // st_bytes
    public var buckets: Int = 0            // st_hash_buckets
}

/// The raw view of the shared cache structures. Trivially copyable; every
/// method states which lock it expects.

struct CacheCore: @unchecked Sendable {
    let base: UnsafeMutableRawPointer   // region base
    let header: UnsafeMutableRawPointer
    let frames: UnsafeMutableRawPointer
    let buckets: UnsafeMutableRawPointer
    let files: UnsafeMutableRawPointer
    let spill: UnsafeMutableRawPointer
    let bucketMask: UInt32
    let nframes: Int
    let maxFiles: Int
    let spillMask: Int
    /// This process's mapping of the (possibly grown) spill index.
    let spillView: UnsafeMutablePointer<SpillView>

    @inline(__always) func frame(_ i: Int32) -> UnsafeMutableRawPointer { frames + Int(i) * F.size }
    @inline(__always) func bucket(_ i: Int) -> UnsafeMutableRawPointer { buckets + i * B.size }
    @inline(__always) func file(_ id: UInt32) -> UnsafeMutableRawPointer { files + Int(id - 1) * FE.size }
    @inline(__always) func bucketMutex(_ i: Int) -> SharedMutex { SharedMutex(at: bucket(i)) }
    var evictMutex: SharedMutex { SharedMutex(at: header + H.evictMutex) }
    var heap: RegionHeap { RegionHeap(base: base, control: RegionOffset(header - base + H.heapControl)) }

    @inline(__always) func bucketIndex(_ fileId: UInt32, _ pgno: UInt32) -> Int {
        var h = (UInt64(fileId) << 32 | UInt64(pgno)) &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 29
        return Int(UInt32(truncatingIfNeeded: h) & bucketMask)
    }

    @inline(__always) func buffer(_ f: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
        base + Int(f.u64(F.bufOff))
    }

    @inline(__always) func lock(_ m: SharedMutex) {
        if m.lock() == .previousOwnerDied {
            _ = tern_atomic_fetch_add_u32(base.word32(Region.offOwnerDeaths), 1)
        }
    }

    /// Finds (fileId, pgno) in chain `b`. Bucket mutex held.
    @inline(__always) func find(_ b: UnsafeMutableRawPointer, _ fileId: UInt32, _ pgno: UInt32) -> Int32 {
        var i = b.i32(B.head)
        while i >= 0 {
            let f = frame(i)
            if f.u32(F.pgno) == pgno && f.u32(F.fileId) == fileId { return i }
            i = f.i32(F.next)
        }
        return -1
    }

    /// Unlinks frame `i` from chain `b`. Bucket mutex held.
    func unchain(_ b: UnsafeMutableRawPointer, _ i: Int32) {
        var prev: Int32 = -1
        var j = b.i32(B.head)
        while j >= 0 && j != i { prev = j; j = frame(j).i32(F.next) }
        guard j == i else { return }
        let next = frame(i).i32(F.next)
        if prev < 0 { b.setI32(B.head, next) } else { frame(prev).setI32(F.next, next) }
        frame(i).setI32(F.next, -1)
    }

    // Free lists (eviction mutex held).
    func push(_ list: Int, _ i: Int32) {
        frame(i).setI32(F.next, header.i32(list))
        header.setI32(list, i)
    }
    func pop(_ list: Int) -> Int32? {
        let i = header.i32(list)
        guard i >= 0 else { return nil }
        header.setI32(list, frame(i).i32(F.next))
        frame(i).setI32(F.next, -1)
        return i
    }
    /// Removes the first free buffered frame whose buffer holds `size` bytes.
    func popBuffered(size: Int) -> Int32? {
        var prev: Int32 = -1
        var i = header.i32(H.freeBuffered)
        while i >= 0 {
            let f = frame(i)
            if Int(f.u32(F.bufSize)) == size {
                let next = f.i32(F.next)
                if prev < 0 { header.setI32(H.freeBuffered, next) } else { frame(prev).setI32(F.next, next) }
                f.setI32(F.next, -1)
                return i
            }
            prev = i
            i = f.i32(F.next)
        }
        return nil
    }

    @inline(__always) func addCounter(_ at: Int, _ n: UInt64 = 1) { header.setU64(at, header.u64(at) &+ n) }

    // Spill index (eviction mutex held).
    //
    // The index starts in the region (`spill`, `spillMask`: capacity fixed
    // by the cache's size). A transaction can dirty far more pages than
    // that between two checkpoints (a commit section holds the gate, so no
    // checkpoint can empty the spill during a big apply), so when the
    // table is full it GROWS: its live entries move into a shared file
    // mapping of twice the capacity, `__tern.spill.<region id>.index.<n>`
    // next to the spill files (so open with DB_RECOVER removes leftovers),
    // and the header records the new generation n and capacity. Every
    // process maps generation n at its next index access (always under the
    // eviction mutex, so nobody uses a table while it moves) and unmaps
    // the one it had; the grower unlinks the previous generation's file
    // (mappings survive the unlink). A process-local SpillView caches which
    // generation this process has mapped.

    /// The current table; remaps when another process grew it.
    func spillTable() throws(DBError) -> (base: UnsafeMutableRawPointer, mask: Int) {
        let g = header.u32(H.spillIndexGeneration)
        let v = spillView
        if g == v.pointee.generation, let b = v.pointee.base { return (b, v.pointee.mask) }
        if g == 0 {
            v.pointee.unmap()
            v.pointee.base = spill
            v.pointee.mask = spillMask
            v.pointee.generation = 0
            return (spill, spillMask)
        }
        let cap = Int(header.u32(H.spillIndexCapacity))
        guard cap > spillMask, cap & (cap - 1) == 0 else {
            throw DBError(EINVAL, "tern cache: the spill index header is corrupt")
        }
        let p = try v.pointee.map(path: spillIndexPath(g), bytes: cap * S.size, create: false)
        v.pointee.unmap()
        v.pointee.base = p
        v.pointee.mapped = cap * S.size
        v.pointee.mask = cap - 1
        v.pointee.generation = g
        return (p, cap - 1)
    }

    func spillIndexPath(_ g: UInt32) -> String {
        let v = spillView.pointee
        return v.directory + "__tern.spill.\(String(v.regionId, radix: 16)).index.\(g)"
    }

    func spillProbeStart(_ fileId: UInt32, _ pgno: UInt32, _ mask: Int) -> Int {
        var h = (UInt64(pgno) << 32 | UInt64(fileId)) &* 0xD6E8_FEB8_6659_FD93
        h ^= h >> 32
        return Int(truncatingIfNeeded: h) & mask
    }
    func spillLookup(_ fileId: UInt32, _ pgno: UInt32) throws(DBError) -> UInt32? {
        let (t, mask) = try spillTable()
        var i = spillProbeStart(fileId, pgno, mask)
        for _ in 0...mask {
            let e = t + i * S.size
            let id = e.u32(S.fileId)
            if id == 0 { return nil }
            if id == fileId && e.u32(S.pgno) == pgno { return e.u32(S.slot) }
            i = (i + 1) & mask
        }
        return nil
    }
    /// Inserts (fileId, pgno) -> slot, growing the table when it is full;
    /// false when it cannot grow further.
    func spillInsert(_ fileId: UInt32, _ pgno: UInt32, _ slot: UInt32) throws(DBError) -> Bool {
        var (t, mask) = try spillTable()
        let used = Int(header.u32(H.spillUsed)), tombs = Int(header.u32(H.spillTombstones))
        if used + tombs >= (mask + 1) * 3 / 4 {
            if tombs > 0 && used < (mask + 1) / 2 {
                try spillRebuild()
            } else {
                guard try spillGrow() else { return false }
            }
            (t, mask) = try spillTable()
        }
        var i = spillProbeStart(fileId, pgno, mask)
        while true {
            let e = t + i * S.size
            let id = e.u32(S.fileId)
            if id == 0 || id == S.tombstone {
                if id == S.tombstone { header.setU32(H.spillTombstones, header.u32(H.spillTombstones) - 1) }
                e.setU32(S.fileId, fileId); e.setU32(S.pgno, pgno); e.setU32(S.slot, slot)
                header.setU32(H.spillUsed, header.u32(H.spillUsed) + 1)
                return true
            }
            i = (i + 1) & mask
        }
    }
    /// Points an existing entry at another slot; false when absent.
    func spillUpdate(_ fileId: UInt32, _ pgno: UInt32, _ slot: UInt32) throws(DBError) -> Bool {
        let (t, mask) = try spillTable()
        var i = spillProbeStart(fileId, pgno, mask)
        for _ in 0...mask {
            let e = t + i * S.size
            let id = e.u32(S.fileId)
            if id == 0 { return false }
            if id == fileId && e.u32(S.pgno) == pgno { e.setU32(S.slot, slot); return true }
            i = (i + 1) & mask
        }
        return false
    }
    /// Removes (fileId, pgno) if it still maps to `slot`; true when removed.
    func spillRemove(_ fileId: UInt32, _ pgno: UInt32, ifSlot slot: UInt32) throws(DBError) -> Bool {
        let (t, mask) = try spillTable()
        var i = spillProbeStart(fileId, pgno, mask)
        for _ in 0...mask {
            let e = t + i * S.size
            let id = e.u32(S.fileId)
            if id == 0 { return false }
            if id == fileId && e.u32(S.pgno) == pgno {
                guard e.u32(S.slot) == slot else { return false }
                e.setU32(S.fileId, S.tombstone)
                header.setU32(H.spillUsed, header.u32(H.spillUsed) - 1)
                header.setU32(H.spillTombstones, header.u32(H.spillTombstones) + 1)
                return true
            }
            i = (i + 1) & mask
        }
        return false
    }
    /// Every spill entry of `fileId` as (pgno, slot).
    func spillEntries(_ fileId: UInt32) throws(DBError) -> [(UInt32, UInt32)] {
        let (t, mask) = try spillTable()
        var out: [(UInt32, UInt32)] = []
        for i in 0...mask {
            let e = t + i * S.size
            if e.u32(S.fileId) == fileId { out.append((e.u32(S.pgno), e.u32(S.slot))) }
        }
        return out
    }
    /// Every live entry (rebuild, growth).
    private func spillLive(_ t: UnsafeMutableRawPointer, _ mask: Int) -> [(UInt32, UInt32, UInt32)] {
        var live: [(UInt32, UInt32, UInt32)] = []
        live.reserveCapacity(Int(header.u32(H.spillUsed)))
        for i in 0...mask {
            let e = t + i * S.size
            let id = e.u32(S.fileId)
            if id != 0 && id != S.tombstone { live.append((id, e.u32(S.pgno), e.u32(S.slot))) }
        }
        return live
    }
    /// Reinserts `live` into the empty table `t`.
    private func spillFill(_ t: UnsafeMutableRawPointer, _ mask: Int, _ live: [(UInt32, UInt32, UInt32)]) {
        for (id, p, s) in live {
            var i = spillProbeStart(id, p, mask)
            while (t + i * S.size).u32(S.fileId) != 0 { i = (i + 1) & mask }
            let e = t + i * S.size
            e.setU32(S.fileId, id); e.setU32(S.pgno, p); e.setU32(S.slot, s)
        }
        header.setU32(H.spillUsed, UInt32(live.count))
        header.setU32(H.spillTombstones, 0)
    }
    func spillRebuild() throws(DBError) {
        let (t, mask) = try spillTable()
        let live = spillLive(t, mask)
        t.initializeMemory(as: UInt8.self, repeating: 0, count: (mask + 1) * S.size)
        spillFill(t, mask, live)
    }
    /// The largest table a grown index may have (entries): slots are 31
    /// bits, and 2^27 entries (2 GiB of mapping) is far past any cache.
    static let spillIndexMaxCapacity = 1 << 27

    /// Moves the index into a new shared file mapping of twice the
    /// capacity (see above); false at the maximum.
    func spillGrow() throws(DBError) -> Bool {
        let (t, mask) = try spillTable()
        let cap = (mask + 1) * 2
        guard cap <= Self.spillIndexMaxCapacity else { return false }
        let old = header.u32(H.spillIndexGeneration)
        let g = old &+ 1 == 0 ? 1 : old &+ 1
        let path = spillIndexPath(g)
        let fresh = SpillView(directory: "", regionId: 0)
        let p = try fresh.map(path: path, bytes: cap * S.size, create: true)
        spillFill(p, cap - 1, spillLive(t, mask))
        // Publish: from here on every process maps generation g.
        header.setU32(H.spillIndexCapacity, UInt32(cap))
        header.setU32(H.spillIndexGeneration, g)
        let v = spillView
        v.pointee.unmap()
        v.pointee.base = p
        v.pointee.mapped = cap * S.size
        v.pointee.mask = cap - 1
        v.pointee.generation = g
        if old != 0 { unlink(spillIndexPath(old)) }
        return true
    }
}

/// One process's mapping of the spill index (see CacheCore's spill index
/// comment). Guarded by the region's eviction mutex: it is read and
/// changed only by a thread holding it.
struct SpillView {
    var base: UnsafeMutableRawPointer? = nil
    var mask = 0
    /// The header generation mapped; UInt32.max: none yet.
    var generation: UInt32 = .max
    /// Bytes of the current file mapping (0: the region's table).
    var mapped = 0
    let directory: String
    let regionId: UInt64

    init(directory: String, regionId: UInt64) {
        self.directory = directory.hasSuffix("/") ? directory : directory + "/"
        self.regionId = regionId
    }

    /// Maps `bytes` of the index file at `path` (created and sized when
    /// `create`).
    func map(path: String, bytes: Int, create: Bool) throws(DBError) -> UnsafeMutableRawPointer {
        let fd = Glibc.open(path, O_RDWR | O_CLOEXEC | (create ? O_CREAT | O_TRUNC : 0), 0o600)
        guard fd >= 0 else {
            let e = errno
            throw DBError(e, "tern cache: cannot open the spill index \(path): \(String(cString: strerror(e)))")
        }
        defer { Glibc.close(fd) }
        if create && ftruncate(fd, off_t(bytes)) != 0 {
            let e = errno
            unlink(path)
            throw DBError(e, "tern cache: cannot size the spill index \(path): \(String(cString: strerror(e)))")
        }
        var st = stat()
        guard fstat(fd, &st) == 0, Int(st.st_size) >= bytes else {
            throw DBError(EINVAL, "tern cache: the spill index \(path) is shorter than the region says")
        }
        guard let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), p != MAP_FAILED else {
            let e = errno
            if create { unlink(path) }
            throw DBError(ENOMEM, "tern cache: cannot map the spill index \(path): \(String(cString: strerror(e)))")
        }
        return p
    }

    mutating func unmap() {
        if mapped > 0, let base { munmap(base, mapped) }
        mapped = 0
        base = nil
    }
}

public final class PageCache: @unchecked Sendable {
    public let region: Region
    let core: CacheCore
    /// Where spill files go.
    let spillDirectory: String
    /// Per-process fd table: for each file id, the database fd, the spill
    /// fds (generations 0 and 1) and the file entry generation they were
    /// opened for. Guarded by `fdLock` (taken last, after any region mutex).
    private let fdLock = LocalLock()
    private let dbFds: UnsafeMutablePointer<Int32>
    private let spillFds: UnsafeMutablePointer<Int32>
    private let spillFds1: UnsafeMutablePointer<Int32>
    private let fdGenerations: UnsafeMutablePointer<UInt32>

    /// Bytes the "cache" area needs for a cache of `cacheBytes`.
    public static func areaSize(cacheBytes: Int) -> Int { CacheGeometry(cacheBytes: cacheBytes).areaSize }

    /// Attaches to the region's cache, creating it (sized for `cacheBytes`)
    /// if the region has none yet. A joiner uses the existing cache whatever
    /// `cacheBytes` says, as libdb's joiners do. `spillDirectory` defaults to
    /// the region's home (or /tmp for a private region).
    public init(region: Region, cacheBytes: Int, spillDirectory: String? = nil) throws(DBError) {
        self.region = region
        let area: RegionOffset
        if let existing = region.existingArea("cache") {
            area = existing.offset
        } else {
            let g = CacheGeometry(cacheBytes: cacheBytes)
            area = try region.area("cache", size: g.areaSize) { (off: RegionOffset) throws(DBError) in
                PageCache.format(region: region, area: off, geometry: g)
            }
        }
        let base = region.base
        let h = region.pointer(area)
        guard h.u32(H.magic) == H.magicValue, h.u32(H.version) == H.versionValue else {
            throw DBError(EINVAL, "tern cache: the region's cache area is corrupt or was made by another "
                          + "version of Tern (remove the environment, or open it with DB_RECOVER)")
        }
        let nframes = Int(h.u32(H.nframes)), nbuckets = Int(h.u32(H.nbuckets))
        let maxFiles = Int(h.u32(H.maxFiles)), spillCap = Int(h.u32(H.spillCapacity))
        guard nbuckets > 0, nbuckets & (nbuckets - 1) == 0, spillCap > 0, spillCap & (spillCap - 1) == 0,
              nframes > 0, maxFiles > 0 else {
            throw DBError(EINVAL, "tern cache: the region's cache area is corrupt")
        }
        core = CacheCore(base: base, header: h,
                         frames: base + Int(h.u64(H.framesOff)),
                         buckets: base + Int(h.u64(H.bucketsOff)),
                         files: base + Int(h.u64(H.filesOff)),
                         spill: base + Int(h.u64(H.spillOff)),
                         bucketMask: UInt32(nbuckets - 1), nframes: nframes, maxFiles: maxFiles,
                         spillMask: spillCap - 1,
                         spillView: .allocate(capacity: 1))
        self.spillDirectory = PageCache.absolutePath(spillDirectory ?? region.home ?? "/tmp")
        core.spillView.initialize(to: SpillView(directory: self.spillDirectory, regionId: region.regionId))
        dbFds = .allocate(capacity: maxFiles)
        dbFds.initialize(repeating: -1, count: maxFiles)
        spillFds = .allocate(capacity: maxFiles)
        spillFds.initialize(repeating: -1, count: maxFiles)
        spillFds1 = .allocate(capacity: maxFiles)
        spillFds1.initialize(repeating: -1, count: maxFiles)
        fdGenerations = .allocate(capacity: maxFiles)
        fdGenerations.initialize(repeating: 0, count: maxFiles)
    }

    deinit {
        for i in 0..<core.maxFiles {
            if dbFds[i] >= 0 { Glibc.close(dbFds[i]) }
            if spillFds[i] >= 0 { Glibc.close(spillFds[i]) }
            if spillFds1[i] >= 0 { Glibc.close(spillFds1[i]) }
        }
        core.spillView.pointee.unmap()
        core.spillView.deinitialize(count: 1)
        core.spillView.deallocate()
        dbFds.deallocate()
        spillFds.deallocate()
        spillFds1.deallocate()
        fdGenerations.deallocate()
    }

    /// Lays out an empty cache area (under the region's heap mutex).
    private static func format(region: Region, area: RegionOffset, geometry g: CacheGeometry) {
        let h = region.pointer(area)
        let a = Int(area.raw)
        h.setU32(H.nframes, UInt32(g.nframes))
        h.setU32(H.nbuckets, UInt32(g.nbuckets))
        h.setU32(H.maxFiles, UInt32(g.maxFiles))
        h.setU32(H.spillCapacity, UInt32(g.spillCapacity))
        h.setU64(H.framesOff, UInt64(a + g.framesAt))
        h.setU64(H.bucketsOff, UInt64(a + g.bucketsAt))
        h.setU64(H.filesOff, UInt64(a + g.filesAt))
        h.setU64(H.spillOff, UInt64(a + g.spillAt))
        h.setU64(H.cacheBytes, UInt64(g.cacheBytes))
        _ = SharedMutex.initialize(at: h + H.evictMutex)
        RegionHeap(base: region.base, control: RegionOffset(a + H.heapControl))
            .format(arenaStart: a + g.arenaAt, arenaEnd: a + g.arenaAt + g.arenaSize)
        // Every frame starts on the empty free list.
        for i in 0..<g.nframes {
            let f = h + g.framesAt + i * F.size
            f.setI32(F.next, i + 1 < g.nframes ? Int32(i + 1) : -1)
        }
        h.setI32(H.freeEmpty, 0)
        h.setI32(H.freeBuffered, -1)
        for i in 0..<g.nbuckets {
            let b = h + g.bucketsAt + i * B.size
            _ = SharedMutex.initialize(at: b + B.mutex)
            b.setI32(B.head, -1)
        }
        h.setU32(H.version, H.versionValue)
        h.setU32(H.magic, H.magicValue)
    }

    // MARK: files

    /// Opens (or creates) a database file in the cache. Two opens of the
    /// same file (same device and inode), in any process, share its file
    /// id, pages and page count; they must agree on page size and mode.
    public func openFile(path: String, pageSize: Int, create: Bool = false,
                         mode: WriteBackMode = .inPlace, fileMode: mode_t = 0o660) throws(DBError) -> CacheFile {
        guard pageSize >= 512, pageSize <= 65536, pageSize & (pageSize - 1) == 0 else {
            throw DBError(EINVAL, "tern cache: page size \(pageSize) is not a power of two between 512 and 65536")
        }
        // The shared file table holds an absolute path: another process (with
        // another working directory) opens the file by it to write back or
        // read pages of a file it has no handle of.
        let pathBytes = Array(PageCache.absolutePath(path).utf8)
        guard !pathBytes.isEmpty, pathBytes.count < FE.maxPath else {
            throw DBError(ENAMETOOLONG, "tern cache: file name too long: \(path)")
        }
        let fd = Glibc.open(path, O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0), fileMode)
        guard fd >= 0 else {
            let e = errno
            throw DBError(e, "tern cache: \(path): \(String(cString: strerror(e)))")
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let e = errno
            Glibc.close(fd)
            throw DBError(e, "tern cache: \(path): cannot stat")
        }
        let c = core
        c.lock(c.evictMutex)
        var id: UInt32 = 0
        var free: UInt32 = 0
        for i in 1...UInt32(c.maxFiles) {
            let e = c.file(i)
            if e.u32(FE.inUse) != 0 {
                if e.u64(FE.dev) == UInt64(st.st_dev) && e.u64(FE.ino) == UInt64(st.st_ino) { id = i; break }
            } else if free == 0 {
                free = i
            }
        }
        if id != 0 {
            let e = c.file(id)
            if Int(e.u32(FE.pageSize)) != pageSize || e.u32(FE.mode) != mode.rawValue {
                c.evictMutex.unlock()
                Glibc.close(fd)
                throw DBError(EINVAL, "tern cache: \(path) is open with page size \(e.u32(FE.pageSize)) and another mode")
            }
            e.setU32(FE.refCount, e.u32(FE.refCount) + 1)
        } else {
            guard free != 0 else {
                c.evictMutex.unlock()
                Glibc.close(fd)
                throw DBError(ENFILE, "tern cache: too many files open in the cache (\(c.maxFiles))")
            }
            id = free
            let e = c.file(id)
            e.setU32(FE.generation, e.u32(FE.generation) &+ 1)
            e.setU32(FE.refCount, 1)
            e.setU32(FE.pageSize, UInt32(pageSize))
            e.setU32(FE.mode, mode.rawValue)
            tern_atomic_store_u32(e.word32(FE.pageCount), UInt32(clamping: Int(st.st_size) / pageSize))
            e.setU32(FE.spillSlots, 0)
            e.setU32(FE.spillSlots1, 0)
            e.setU32(FE.spillGeneration, 0)
            e.setU32(FE.spilledPages, 0)
            e.setU64(FE.dev, UInt64(st.st_dev))
            e.setU64(FE.ino, UInt64(st.st_ino))
            e.setU32(FE.pathLength, UInt32(pathBytes.count))
            for (i, b) in pathBytes.enumerated() { e.storeBytes(of: b, toByteOffset: FE.path + i, as: UInt8.self) }
            e.setU32(FE.inUse, 1)
        }
        let generation = c.file(id).u32(FE.generation)
        c.evictMutex.unlock()
        // Keep one fd per file id in this process.
        fdLock.lock()
        let slot = Int(id - 1)
        if dbFds[slot] >= 0 && fdGenerations[slot] == generation {
            Glibc.close(fd)
        } else {
            resetFds(slot)
            dbFds[slot] = fd
            fdGenerations[slot] = generation
        }
        fdLock.unlock()
        return CacheFile(cache: self, fileId: id, pageSize: pageSize, mode: mode, path: path)
    }

    /// `path` made absolute against the working directory (unchanged if the
    /// directory cannot be read).
    static func absolutePath(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return path }
        let cwd = String(cString: buffer)
        return cwd.hasSuffix("/") ? cwd + path : cwd + "/" + path
    }

    /// fdLock held.
    private func resetFds(_ slot: Int) {
        if dbFds[slot] >= 0 { Glibc.close(dbFds[slot]) }
        if spillFds[slot] >= 0 { Glibc.close(spillFds[slot]) }
        if spillFds1[slot] >= 0 { Glibc.close(spillFds1[slot]) }
        dbFds[slot] = -1
        spillFds[slot] = -1
        spillFds1[slot] = -1
    }

    func path(of fileId: UInt32) -> String {
        let e = core.file(fileId)
        let n = min(Int(e.u32(FE.pathLength)), FE.maxPath)
        return String(decoding: UnsafeRawBufferPointer(start: e + FE.path, count: n), as: UTF8.self)
    }

    /// Spill file of generation `g` (see FE): `__tern.spill.<region
    /// id>.<file id>`, with `.1` appended for generation 1.
    func spillPath(of fileId: UInt32, generation g: UInt32 = 0) -> String {
        let hex = String(region.regionId, radix: 16)
        let dir = spillDirectory.hasSuffix("/") ? spillDirectory : spillDirectory + "/"
        return dir + "__tern.spill.\(hex).\(fileId)" + (g == 0 ? "" : ".1")
    }

    /// This process's fd for the database file (or its spill file), opened
    /// on first use from the path in the shared file table. The caller
    /// guarantees the entry stays in use (it holds frames, spill entries or
    /// a handle of the file).
    func fd(_ fileId: UInt32, spill: Bool, generation g: UInt32 = 0) throws(DBError) -> Int32 {
        let slot = Int(fileId - 1)
        let generation = core.file(fileId).u32(FE.generation)
        fdLock.lock()
        defer { fdLock.unlock() }
        if fdGenerations[slot] != generation {
            resetFds(slot)
            fdGenerations[slot] = generation
        }
        let table = !spill ? dbFds : g == 0 ? spillFds : spillFds1
        if table[slot] >= 0 { return table[slot] }
        let p = spill ? spillPath(of: fileId, generation: g) : path(of: fileId)
        let fd = Glibc.open(p, O_RDWR | O_CLOEXEC | (spill ? O_CREAT : 0), 0o600)
        guard fd >= 0 else {
            let e = errno
            throw DBError(e, "tern cache: cannot open \(p): \(String(cString: strerror(e)))")
        }
        table[slot] = fd
        return fd
    }

    // MARK: pin (slow paths; the hit path is CacheFile.pin)

    /// The miss path: load (fileId, pgno) into a frame and return it pinned.
    func pinMiss(_ fileId: UInt32, _ pgno: UInt32, pageSize: Int, create: Bool) throws(DBError) -> UnsafeMutableRawPointer {
        let c = core
        let bi = c.bucketIndex(fileId, pgno)
        let b = c.bucket(bi)
        let m = c.bucketMutex(bi)
        while true {
            c.lock(m)
            let hit = c.find(b, fileId, pgno)
            if hit >= 0 {
                let f = c.frame(hit)
                let flags = f.u32(F.flags)
                if flags & F.loading != 0 {
                    m.unlock()
                    sched_yield()
                    continue
                }
                f.setI32(F.pin, f.i32(F.pin) + 1)
                f.setU32(F.flags, flags | F.referenced | (create ? F.dirty : 0))
                b.setU64(B.hits, b.u64(B.hits) &+ 1)
                m.unlock()
                let buf = c.buffer(f)
                if create { buf.initializeMemory(as: UInt8.self, repeating: 0, count: pageSize) }
                return buf
            }
            m.unlock()
            let fi = try acquireFrame(size: pageSize)
            let f = c.frame(fi)
            c.lock(m)
            if c.find(b, fileId, pgno) >= 0 {
                // Someone loaded it meanwhile: give the frame back, use theirs.
                m.unlock()
                releaseFrame(fi)
                continue
            }
            f.setU32(F.fileId, fileId)
            f.setU32(F.pgno, pgno)
            f.setI32(F.pin, 1)
            f.setU32(F.flags, create ? (F.dirty | F.referenced) : F.loading)
            f.setI32(F.next, b.i32(B.head))
            b.setI32(B.head, fi)
            if !create { b.setU64(B.misses, b.u64(B.misses) &+ 1) }
            m.unlock()
            let buf = c.buffer(f)
            if create {
                buf.initializeMemory(as: UInt8.self, repeating: 0, count: pageSize)
                _ = tern_atomic_fetch_add_u64(c.header.word64(H.pagesCreated), 1)
                return buf
            }
            do {
                try load(fileId, pgno, into: buf, pageSize: pageSize)
            } catch {
                c.lock(m)
                c.unchain(b, fi)
                m.unlock()
                releaseFrame(fi)
                throw error
            }
            c.lock(m)
            f.setU32(F.flags, F.referenced)
            m.unlock()
            return buf
        }
    }

    /// Reads a page from the spill file if it was spilled, else from the
    /// database file; bytes past the end of file read as zeros. The frame is
    /// chained and marked loading, so nobody else writes this page now.
    private func load(_ fileId: UInt32, _ pgno: UInt32, into buf: UnsafeMutableRawPointer, pageSize: Int) throws(DBError) {
        let c = core
        let e = c.file(fileId)
        if e.u32(FE.mode) == WriteBackMode.logged.rawValue {
            c.lock(c.evictMutex)
            // The spill lookup and read happen under the eviction mutex, so a
            // checkpoint cannot discard the slot under us.
            var found: UInt32?
            do throws(DBError) {
                found = e.u32(FE.spilledPages) > 0 ? try c.spillLookup(fileId, pgno) : nil
            } catch {
                c.evictMutex.unlock()
                throw error
            }
            if let slot = found {
                defer { c.evictMutex.unlock() }
                let fd = try self.fd(fileId, spill: true, generation: S.generation(slot))
                try readFully(fd, buf, pageSize, off_t(S.index(slot)) * off_t(pageSize), fileId: fileId, pgno: pgno)
                c.addCounter(H.spillReads)
                return
            }
            c.evictMutex.unlock()
        }
        let fd = try self.fd(fileId, spill: false)
        try readFully(fd, buf, pageSize, off_t(pgno) * off_t(pageSize), fileId: fileId, pgno: pgno)
    }

    func readFully(_ fd: Int32, _ buf: UnsafeMutableRawPointer, _ n: Int, _ at: off_t,
                           fileId: UInt32, pgno: UInt32) throws(DBError) {
        var done = 0
        while done < n {
            let r = pread(fd, buf + done, n - done, at + off_t(done))
            if r < 0 {
                if errno == EINTR { continue }
                let e = errno
                throw DBError(e, "tern cache: read of page \(pgno) of \(path(of: fileId)) failed: \(String(cString: strerror(e)))")
            }
            if r == 0 { break }
            done += r
        }
        if done < n { (buf + done).initializeMemory(as: UInt8.self, repeating: 0, count: n - done) }
    }

    func writeFully(_ fd: Int32, _ buf: UnsafeRawPointer, _ n: Int, _ at: off_t, what: @autoclosure () -> String) throws(DBError) {
        var done = 0
        while done < n {
            let r = pwrite(fd, buf + done, n - done, at + off_t(done))
            if r < 0 {
                if errno == EINTR { continue }
                let e = errno
                throw DBError(e, "tern cache: write of \(what()) failed: \(String(cString: strerror(e)))")
            }
            done += r
        }
    }

    // MARK: frames and eviction

    /// A private frame with a buffer of `size` bytes. Takes the eviction
    /// mutex; may evict.
    private func acquireFrame(size: Int) throws(DBError) -> Int32 {
        let c = core
        c.lock(c.evictMutex)
        defer { c.evictMutex.unlock() }
        let heap = c.heap
        for _ in 0..<(c.nframes + 4) {
            if let i = c.popBuffered(size: size) { return i }
            if c.header.i32(H.freeEmpty) >= 0 {
                if let buf = heap.allocate(size) {
                    let i = c.pop(H.freeEmpty)!
                    let f = c.frame(i)
                    f.setU64(F.bufOff, buf.raw)
                    f.setU32(F.bufSize, UInt32(size))
                    return i
                }
                // The arena is full: free a free frame's buffer of another size.
                if let g = c.pop(H.freeBuffered) {
                    dropBuffer(g)
                    continue
                }
            }
            let v = try evictOne()
            if Int(c.frame(v).u32(F.bufSize)) == size { return v }
            dropBuffer(v)
        }
        c.addCounter(H.allocFailures)
        throw DBError(ENOMEM, "BDB3017 unable to allocate space from the buffer cache")
    }

    /// Frees a private frame's buffer and puts the frame on the empty list.
    /// Eviction mutex held.
    private func dropBuffer(_ i: Int32) {
        let f = core.frame(i)
        if f.u64(F.bufOff) != 0 { core.heap.free(RegionOffset(f.u64(F.bufOff))) }
        f.setU64(F.bufOff, 0)
        f.setU32(F.bufSize, 0)
        core.push(H.freeEmpty, i)
    }

    /// Returns a private frame (with its buffer) to the free list.
    private func releaseFrame(_ i: Int32) {
        let c = core
        c.lock(c.evictMutex)
        c.frame(i).setU32(F.flags, 0)
        c.frame(i).setI32(F.pin, 0)
        c.push(H.freeBuffered, i)
        c.evictMutex.unlock()
    }

    /// The clock: walks the buckets from the hand, clearing reference bits,
    /// and takes the first unpinned frame whose bit is clear, writing it
    /// back if dirty. Returns it private. Eviction mutex held.
    private func evictOne() throws(DBError) -> Int32 {
        let c = core
        let nb = Int(c.bucketMask) + 1
        var hand = Int(c.header.u32(H.clockHand))
        for _ in 0..<(3 * nb) {
            let bi = hand
            hand = (hand + 1) & Int(c.bucketMask)
            let b = c.bucket(bi)
            if b.i32(B.head) < 0 { continue } // racy peek; an empty chain has nothing to evict
            let m = c.bucketMutex(bi)
            c.lock(m)
            var i = b.i32(B.head)
            var victim: Int32 = -1
            while i >= 0 {
                let f = c.frame(i)
                if f.i32(F.pin) == 0 && f.u32(F.flags) & F.loading == 0 {
                    if f.u32(F.flags) & F.referenced != 0 {
                        f.setU32(F.flags, f.u32(F.flags) & ~F.referenced)
                    } else {
                        victim = i
                        break
                    }
                }
                i = f.i32(F.next)
            }
            if victim >= 0 {
                let f = c.frame(victim)
                if f.u32(F.flags) & (F.dirty | F.ckpt) != 0 {
                    do {
                        try writeBack(victim)
                    } catch {
                        m.unlock()
                        c.header.setU32(H.clockHand, UInt32(hand))
                        throw error
                    }
                    c.addCounter(H.evictDirty)
                } else {
                    c.addCounter(H.evictClean)
                }
                c.unchain(b, victim)
                f.setU32(F.flags, 0)
                m.unlock()
                c.header.setU32(H.clockHand, UInt32(hand))
                return victim
            }
            m.unlock()
        }
        c.header.setU32(H.clockHand, UInt32(hand))
        c.addCounter(H.allocFailures)
        throw DBError(ENOMEM, "BDB3017 unable to allocate space from the buffer cache")
    }

    /// Writes a dirty (or checkpoint-copied) frame back: in place, or to
    /// the active spill generation for a logged file (a page whose entry is
    /// in the frozen generation gets a new slot: frozen slots are never
    /// written). Eviction mutex and the frame's bucket mutex held; clears
    /// the dirty flag.
    func writeBack(_ i: Int32) throws(DBError) {
        let c = core
        let f = c.frame(i)
        let fileId = f.u32(F.fileId), pgno = f.u32(F.pgno)
        let e = c.file(fileId)
        let ps = Int(e.u32(FE.pageSize))
        if e.u32(FE.mode) == WriteBackMode.logged.rawValue {
            let g = e.u32(FE.spillGeneration)
            let existing = try c.spillLookup(fileId, pgno)
            var slot: UInt32
            if let existing, S.generation(existing) == g {
                slot = existing
            } else {
                let n = e.u32(FE.slots(g))
                slot = S.slot(n, generation: g)
                if existing != nil {
                    _ = try c.spillUpdate(fileId, pgno, slot)
                } else {
                    guard try c.spillInsert(fileId, pgno, slot) else {
                        throw DBError(ENOMEM, "tern cache: spill index full (\(CacheCore.spillIndexMaxCapacity) entries): checkpoint needed")
                    }
                    e.setU32(FE.spilledPages, e.u32(FE.spilledPages) + 1)
                }
                e.setU32(FE.slots(g), n + 1)
            }
            let fd = try self.fd(fileId, spill: true, generation: g)
            try writeFully(fd, c.buffer(f), ps, off_t(S.index(slot)) * off_t(ps), what: "spilled page \(pgno)")
            c.addCounter(H.spillWrites)
        } else {
            let fd = try self.fd(fileId, spill: false)
            try writeFully(fd, c.buffer(f), ps, off_t(pgno) * off_t(ps), what: "page \(pgno) of \(path(of: fileId))")
            c.addCounter(H.pagesWritten)
        }
        f.setU32(F.flags, f.u32(F.flags) & ~F.dirty)
    }

    // MARK: sync, checkpoint, close

    /// Visits every chained frame of `fileId`, each under its bucket mutex.
    func forEachFrame(of fileId: UInt32, _ body: (Int32, UnsafeMutableRawPointer, UnsafeMutableRawPointer) throws(DBError) -> Void) throws(DBError) {
        let c = core
        for bi in 0...Int(c.bucketMask) {
            let b = c.bucket(bi)
            let m = c.bucketMutex(bi)
            c.lock(m)
            var i = b.i32(B.head)
            while i >= 0 {
                let f = c.frame(i)
                let next = f.i32(F.next)
                if f.u32(F.fileId) == fileId {
                    do { try body(i, f, b) } catch { m.unlock(); throw error }
                }
                i = next
            }
            m.unlock()
        }
    }

    /// In-place files: writes every dirty page of the file and fsyncs it.
    func flush(_ fileId: UInt32) throws(DBError) {
        let c = core
        let ps = Int(c.file(fileId).u32(FE.pageSize))
        let fd = try self.fd(fileId, spill: false)
        var written: UInt64 = 0
        try forEachFrame(of: fileId) { (_, f, _) throws(DBError) in
            guard f.u32(F.flags) & F.dirty != 0, f.u32(F.flags) & F.loading == 0 else { return }
            try writeFully(fd, c.buffer(f), ps, off_t(f.u32(F.pgno)) * off_t(ps), what: "page \(f.u32(F.pgno))")
            f.setU32(F.flags, f.u32(F.flags) & ~F.dirty)
            written += 1
        }
        guard fsync(fd) == 0 else {
            throw DBError(errno, "tern cache: fsync of \(path(of: fileId)) failed")
        }
        c.lock(c.evictMutex)
        c.addCounter(H.pagesWritten, written)
        c.evictMutex.unlock()
    }

    func inUseFileIds() -> [UInt32] {
        let c = core
        c.lock(c.evictMutex)
        defer { c.evictMutex.unlock() }
        return (1...UInt32(c.maxFiles)).filter { c.file($0).u32(FE.inUse) != 0 }
    }

    /// Drops a handle. When it was the file's last (in every process), the
    /// file's unpinned frames leave the cache (in-place: after a flush;
    /// logged: dirty ones spilled, to be written by the next checkpoint),
    /// and the file's entry is freed once it holds nothing.
    func close(_ fileId: UInt32) throws(DBError) {
        let c = core
        let e = c.file(fileId)
        if e.u32(FE.mode) == WriteBackMode.inPlace.rawValue { try flush(fileId) }
        c.lock(c.evictMutex)
        defer { c.evictMutex.unlock() }
        let refs = e.u32(FE.refCount)
        e.setU32(FE.refCount, refs > 0 ? refs - 1 : 0)
        guard refs <= 1 else { return }
        var purged: [Int32] = []
        try forEachFrame(of: fileId) { (i, f, b) throws(DBError) in
            guard f.i32(F.pin) == 0, f.u32(F.flags) & F.loading == 0 else { return }
            if f.u32(F.flags) & (F.dirty | F.ckpt) != 0 { try writeBack(i) }
            c.unchain(b, i)
            f.setU32(F.flags, 0)
            purged.append(i)
        }
        for i in purged { c.push(H.freeBuffered, i) }
        releaseEntryIfIdle(fileId)
    }

    /// Frees a file entry with no handle, frame or spill left. Eviction mutex
    /// held.
    func releaseEntryIfIdle(_ fileId: UInt32) {
        let c = core
        let e = c.file(fileId)
        guard e.u32(FE.refCount) == 0, e.u32(FE.spilledPages) == 0 else { return }
        var chained = false
        try? forEachFrame(of: fileId) { (_, _, _) throws(DBError) in chained = true }
        guard !chained else { return }
        e.setU32(FE.inUse, 0)
        e.setU64(FE.dev, 0)
        e.setU64(FE.ino, 0)
        unlink(spillPath(of: fileId, generation: 0))
        unlink(spillPath(of: fileId, generation: 1))
    }

    // MARK: statistics

    public var stats: CacheStats {
        let c = core
        var s = CacheStats()
        for bi in 0...Int(c.bucketMask) {
            let b = c.bucket(bi)
            let m = c.bucketMutex(bi)
            c.lock(m)
            s.hits &+= b.u64(B.hits)
            s.misses &+= b.u64(B.misses)
            var i = b.i32(B.head)
            while i >= 0 {
                let f = c.frame(i)
                s.pagesInCache += 1
                if f.u32(F.flags) & F.dirty != 0 { s.dirtyPages += 1 }
                if f.i32(F.pin) > 0 { s.pinnedPages += 1 }
                i = f.i32(F.next)
            }
            m.unlock()
        }
        s.pagesRead = s.misses
        c.lock(c.evictMutex)
        s.pagesWritten = c.header.u64(H.pagesWritten)
        s.evictionsClean = c.header.u64(H.evictClean)
        s.evictionsDirty = c.header.u64(H.evictDirty)
        s.spillWrites = c.header.u64(H.spillWrites)
        s.spillReads = c.header.u64(H.spillReads)
        s.checkpointWrites = c.header.u64(H.checkpointWrites)
        s.allocFailures = c.header.u64(H.allocFailures)
        s.spilledPages = Int(c.header.u32(H.spillUsed))
        c.evictMutex.unlock()
        s.pagesCreated = tern_atomic_load_u64(c.header.word64(H.pagesCreated))
        s.frames = c.nframes
        s.cacheBytes = Int(c.header.u64(H.cacheBytes))
        s.buckets = Int(c.bucketMask) + 1
        return s
    }

    /// Checks the buffer heap's invariants and that every frame is in
    /// exactly one place (tests). nil when consistent; call with no page
    /// pinned by a loader in flight.
    func checkInvariants() -> String? {
        let c = core
        c.lock(c.evictMutex)
        defer { c.evictMutex.unlock() }
        if let h = c.heap.check() { return "buffer heap: \(h)" }
        var seen = [Int](repeating: 0, count: c.nframes)
        for list in [H.freeEmpty, H.freeBuffered] {
            var i = c.header.i32(list)
            while i >= 0 {
                seen[Int(i)] += 1
                if seen[Int(i)] > 1 { return "frame \(i) twice on free lists" }
                i = c.frame(i).i32(F.next)
            }
        }
        for bi in 0...Int(c.bucketMask) {
            let b = c.bucket(bi)
            let m = c.bucketMutex(bi)
            c.lock(m)
            var i = b.i32(B.head)
            while i >= 0 {
                seen[Int(i)] += 1
                let f = c.frame(i)
                if c.bucketIndex(f.u32(F.fileId), f.u32(F.pgno)) != bi {
                    m.unlock(); return "frame \(i) in the wrong bucket"
                }
                if f.u64(F.bufOff) == 0 { m.unlock(); return "chained frame \(i) has no buffer" }
                i = f.i32(F.next)
            }
            m.unlock()
        }
        if let bad = seen.firstIndex(where: { $0 != 1 }) { return "frame \(bad) is in \(seen[bad]) places" }
        return nil
    }
}
