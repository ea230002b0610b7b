// Region: the environment's shared memory. A file in the environment home
// (`__tern.region`) mapped MAP_SHARED, or anonymous shared memory for
// DB_PRIVATE. Its size is fixed when it is created.
//
// File format (all integers little-endian, native x86-64 layout):
//   0    magic       "TERNREG1" as a UInt64 (Region.magic)
//   8    version     UInt32 (Region.formatVersion)
//   12   headerSize  UInt32, 4096
//   16   regionSize  UInt64, equal to the file's size
//   24   regionId    UInt64, random, names this incarnation (spill files)
//   32   ownerDeaths UInt32, mutexes found with a dead owner (atomic)
//   36   panic       UInt32, nonzero once the environment panicked (atomic)
//   40   areaCount   UInt32
//   44   initFlags   UInt32, the creator's DB_INIT_* open flags (a joiner
//                    naming none adopts them, as libdb's __env_open does)
//   64   heap control block (RegionHeap, 32 bytes)
//   128  heap mutex (SharedMutex)
//   256  area directory: 16 entries of 32 bytes:
//          name (16 bytes, NUL-padded), offset UInt64, size UInt64
//   4096 the arena: every area and allocation, managed by the heap
//
// Sub-areas ("cache", "locks", "txn", "log", "rep", "process table") are
// allocated from the heap and found by name in the directory; everything
// inside them is addressed by RegionOffset.
//
// Creation is atomic: the creator builds the file under a temporary name and
// link()s it into place, so a joiner only ever sees a complete header. A
// joiner validates the header before using anything in it: a foreign,
// truncated or corrupt file is a DBError, never a crash.
//
// Locking rule: the header's fixed fields are written once, by the creator,
// before the file is visible. The heap and the area directory are guarded by
// the heap mutex. `ownerDeaths` and `panic` are atomics. The Region object
// itself is immutable after init and may be shared between threads. Each
// area states its own rule (the log's: Log/LogShared.swift). Which processes
// have the log open is an OFD lock on a byte past the file's end
// (`holdLog`), with this process's holds counted in a process-local table
// behind its own lock.
import CBerkeleyDB
import CTernAtomics
import Glibc

public final class Region: @unchecked Sendable {
    public static let magic: UInt64 = 0x3147_4552_4E52_4554 // "TERNREG1"
    /// 2: the log area's sync epoch (group commit) and the lock table's
    /// word-at-a-time object hash.
    public static let formatVersion: UInt32 = 2
    public static let headerSize = 4096
    public static let fileName = "__tern.region"
    public static let maxAreas = 16
    public static let areaNameLength = 16

    static let offVersion = 8, offHeaderSize = 12, offSize = 16, offId = 24
    static let offOwnerDeaths = 32, offPanic = 36, offAreaCount = 40, offInitFlags = 44
    static let offHeapControl = 64, offHeapMutex = 128, offDirectory = 256
    static let directoryEntrySize = 32

    /// The mapping's first byte; `pointer(_:)` adds offsets to it.
    public let base: UnsafeMutableRawPointer
    public let size: Int
    /// The region file; nil for a private (anonymous) region.
    public let path: String?
    /// The directory holding the region file (nil for private regions).
    public let home: String?
    /// True when this object created the region (and must initialise the
    /// areas), false when it joined an existing one.
    public let created: Bool
    private var fd: Int32
    private var isClosed = false

    private init(base: UnsafeMutableRawPointer, size: Int, path: String?, home: String?,
                 created: Bool, fd: Int32) {
        self.base = base
        self.size = size
        self.path = path
        self.home = home
        self.created = created
        self.fd = fd
    }

    deinit { close() }

    // MARK: sizing

    /// The region size for a cache of `cacheBytes` plus `otherAreas` bytes
    /// for the other subsystems (locks, transactions, log, replication):
    /// header + areas + 64 KiB of slack for allocator headers and small
    /// allocations, rounded to the page size. Like libdb, the size is fixed
    /// at creation from the configuration.
    public static func size(cacheBytes: Int, otherAreas: Int = 1 << 20) -> Int {
        let raw = headerSize + PageCache.areaSize(cacheBytes: cacheBytes) + otherAreas + (64 << 10)
        return (raw + 4095) & ~4095
    }

    /// The region size an environment configuration asks for (cache
    /// gbytes+bytes, summed over ncache), with room for the lock table and
    /// the log buffer (lg_bsize) the configuration describes.
    public static func size(for config: EnvironmentConfig, otherAreas: Int = 1 << 20) -> Int {
        let cache = Int(config.cacheGBytes) * Int(EnvironmentConfig.gigabyte) + Int(config.cacheBytes)
        // A file log's buffer is in the region (Log/LogShared.swift); an
        // in-memory log's ring is process-local.
        let inMemoryLog = config.logFlags & UInt32(DB_LOG_IN_MEMORY) != 0
        let log = inMemoryLog ? 0 : Log.regionAreaSize(bufferSize: config.logBufferSize) + FileRegistry.regionReserve
        return size(cacheBytes: cache, otherAreas: otherAreas + LockTable.areaSize(for: config) + log)
    }

    // MARK: open

    /// Opens the region of the environment at `home`: joins it if the file
    /// exists, else creates it with `size` bytes when `create` is true.
    /// `initFlags` (the creator's DB_INIT_* flags) is recorded in the header
    /// of a region this call creates; a joiner reads it from `initFlags`.
    public static func open(home: String, size: Int, create: Bool, mode: mode_t = 0o660,
                            initFlags: UInt32 = 0) throws(DBError) -> Region {
        let path = home.hasSuffix("/") ? home + fileName : home + "/" + fileName
        for _ in 0..<8 {
            if let r = try join(path: path, home: home) { return r }
            guard create else {
                throw DBError(ENOENT, "tern region \(path): no such file")
            }
            if let r = try createFile(path: path, home: home, size: size, mode: mode, initFlags: initFlags) {
                return r
            }
            // Lost a creation race: someone linked theirs first. Join it.
        }
        throw DBError(EAGAIN, "tern region \(path): could not create or join")
    }

    /// A private region (DB_PRIVATE): anonymous shared memory, visible to
    /// this process (and children forked after it).
    public static func makePrivate(size: Int) throws(DBError) -> Region {
        let size = max((size + 4095) & ~4095, headerSize + 8192)
        guard let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0),
              p != MAP_FAILED else {
            throw DBError(ENOMEM, "tern region: cannot map \(size) bytes of anonymous memory")
        }
        format(p, size: size)
        return Region(base: p, size: size, path: nil, home: nil, created: true, fd: -1)
    }

    /// Opens an existing region file at `path` and validates it; nil when
    /// the file does not exist.
    static func join(path: String, home: String?) throws(DBError) -> Region? {
        let fd = Glibc.open(path, O_RDWR | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw DBError(errno, "tern region \(path): \(String(cString: strerror(errno)))")
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let e = errno
            Glibc.close(fd)
            throw DBError(e, "tern region \(path): cannot stat")
        }
        let fileSize = Int(st.st_size)
        guard fileSize >= headerSize else {
            Glibc.close(fd)
            throw DBError(EINVAL, "tern region \(path): file is truncated (\(fileSize) bytes)")
        }
        // Read and check the header before mapping the whole file.
        var header = [UInt8](repeating: 0, count: headerSize)
        let n = header.withUnsafeMutableBytes { pread(fd, $0.baseAddress, headerSize, 0) }
        guard n == headerSize else {
            Glibc.close(fd)
            throw DBError(EIO, "tern region \(path): cannot read the header")
        }
        let problem = header.withUnsafeMutableBytes { validate(header: $0.baseAddress!, fileSize: fileSize) }
        if let problem {
            Glibc.close(fd)
            throw DBError(problem.code, "tern region \(path): \(problem.message ?? "invalid")")
        }
        guard let p = mmap(nil, fileSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), p != MAP_FAILED else {
            let e = errno
            Glibc.close(fd)
            throw DBError(e, "tern region \(path): cannot map \(fileSize) bytes")
        }
        // The file could have changed between the read and the map.
        if let problem = validate(header: p, fileSize: fileSize) {
            munmap(p, fileSize)
            Glibc.close(fd)
            throw DBError(problem.code, "tern region \(path): \(problem.message ?? "invalid")")
        }
        return Region(base: p, size: fileSize, path: path, home: home, created: false, fd: fd)
    }

    /// Builds a region file under a temporary name and links it into place.
    /// nil when another process linked its file first.
    static func createFile(path: String, home: String, size: Int, mode: mode_t,
                           initFlags: UInt32 = 0) throws(DBError) -> Region? {
        let size = max((size + 4095) & ~4095, headerSize + 8192)
        let tmp = path + ".tmp.\(tern_current_pid()).\(UInt32.random(in: 0...UInt32.max))"
        let fd = Glibc.open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else {
            throw DBError(errno, "tern region \(path): cannot create: \(String(cString: strerror(errno)))")
        }
        guard ftruncate(fd, off_t(size)) == 0 else {
            let e = errno
            Glibc.close(fd); unlink(tmp)
            throw DBError(e, "tern region \(path): cannot size to \(size) bytes")
        }
        guard let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), p != MAP_FAILED else {
            let e = errno
            Glibc.close(fd); unlink(tmp)
            throw DBError(e, "tern region \(path): cannot map \(size) bytes")
        }
        format(p, size: size, initFlags: initFlags)
        let rc = link(tmp, path)
        let linkErrno = errno
        unlink(tmp)
        if rc != 0 {
            munmap(p, size)
            Glibc.close(fd)
            if linkErrno == EEXIST { return nil }
            throw DBError(linkErrno, "tern region \(path): cannot create: \(String(cString: strerror(linkErrno)))")
        }
        return Region(base: p, size: size, path: path, home: home, created: true, fd: fd)
    }

    /// Writes an empty region: header, heap, heap mutex. The magic goes last.
    private static func format(_ p: UnsafeMutableRawPointer, size: Int, initFlags: UInt32 = 0) {
        p.initializeMemory(as: UInt8.self, repeating: 0, count: headerSize)
        p.setU32(offVersion, formatVersion)
        p.setU32(offHeaderSize, UInt32(headerSize))
        p.setU64(offSize, UInt64(size))
        p.setU64(offId, UInt64.random(in: 1...UInt64.max))
        p.setU32(offInitFlags, initFlags)
        _ = SharedMutex.initialize(at: p + offHeapMutex)
        RegionHeap(base: p, control: RegionOffset(offHeapControl)).format(arenaStart: headerSize, arenaEnd: size)
        tern_atomic_store_u64(p.word64(0), magic)
    }

    /// Checks a header against the file it came from.
    static func validate(header p: UnsafeMutableRawPointer, fileSize: Int) -> DBError? {
        if p.u64(0) != magic {
            return DBError(EINVAL, "not a Tern region file (bad magic number)")
        }
        if p.u32(offVersion) != formatVersion {
            return DBError(DB_VERSION_MISMATCH,
                           "region format version \(p.u32(offVersion)), this library reads \(formatVersion)")
        }
        if Int(p.u32(offHeaderSize)) != headerSize {
            return DBError(EINVAL, "corrupt region header (header size)")
        }
        if Int(p.u64(offSize)) != fileSize {
            return DBError(EINVAL, "region file is \(fileSize) bytes, its header says \(p.u64(offSize)): truncated or corrupt")
        }
        let heap = RegionHeap(base: p, control: RegionOffset(offHeapControl))
        let start = heap.arenaStart, end = heap.arenaEnd, head = heap.freeHead
        if start != headerSize || end > fileSize || end < start || (head != 0 && (head < start || head >= end)) {
            return DBError(EINVAL, "corrupt region header (heap bounds)")
        }
        let count = Int(p.u32(offAreaCount))
        if count > maxAreas { return DBError(EINVAL, "corrupt region header (area count)") }
        for i in 0..<count {
            let e = offDirectory + i * directoryEntrySize
            let off = p.u64(e + 16), sz = p.u64(e + 24)
            if off < UInt64(start) || sz > UInt64(end) || off > UInt64(end) - sz {
                return DBError(EINVAL, "corrupt region header (area \(i) out of bounds)")
            }
        }
        return nil
    }

    // MARK: close and remove

    /// Unmaps the region. Pointers into it are invalid afterwards.
    public func close() {
        if isClosed { return }
        isClosed = true
        munmap(base, size)
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    /// Removes the region file of `home` (DB_ENV->remove); processes still
    /// attached keep their mapping.
    public static func remove(home: String) {
        let path = home.hasSuffix("/") ? home + fileName : home + "/" + fileName
        unlink(path)
    }

    // MARK: addressing

    @inline(__always) public func pointer(_ offset: RegionOffset) -> UnsafeMutableRawPointer {
        base + Int(offset.raw)
    }

    @inline(__always) public func offset(of pointer: UnsafeRawPointer) -> RegionOffset {
        RegionOffset(pointer - UnsafeRawPointer(base))
    }

    /// What taking the log hold found (see `holdLog`).
    public struct LogHold: Sendable, Equatable {
        /// This process had no hold on this region's log before.
        public var firstInProcess: Bool
        /// No other process holds the log: the hold is exclusive until
        /// `shareLogHold`, so no other process can join meanwhile.
        public var alone: Bool
    }

    /// "This process has the environment's log open": an open-file-
    /// description lock (F_OFD_SETLK, on one byte past the end of the region
    /// file) on a descriptor this process keeps while any of its handles has
    /// the log open; its handles share it (counted). The kernel drops it
    /// when the process dies, so an opener learns whether it is the only
    /// live process with the log: it first asks for the byte exclusively
    /// (and, failing, shared — waiting while another opener holds it
    /// exclusively — then exclusively again, in case the others left
    /// meanwhile). Alone, it keeps it exclusive while it repairs what a dead
    /// holder left (attachSubsystems), then calls `shareLogHold`.
    ///
    /// Fork: a child inherits the descriptor, and with it the description
    /// the lock belongs to. The descriptor is registered with a
    /// pthread_atfork child handler that closes it in every child
    /// (CTernAtomics/forkguard.c), so a child never keeps its parent's lock:
    /// not after its parent dies (the next opener must see that it is
    /// alone), nor after its parent's last release. A child that opens the
    /// environment finds its parent's entry (another pid) and takes a lock of
    /// its own. The last release in a process also unlocks explicitly before
    /// closing. Left: a fork between this open and the registration (a
    /// moment) gives the child an unguarded copy, which exec (O_CLOEXEC) or
    /// its exit drops; and past 64 registered regions in one process the
    /// handler has no slot (the entry then closes the inherited copy when
    /// the child opens the environment, as before).
    ///
    /// Private regions: always first and alone.
    public func holdLog() throws(DBError) -> LogHold {
        guard let path, fd >= 0 else { return LogHold(firstInProcess: true, alone: true) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw DBError(errno, "tern region \(path): cannot stat") }
        let key = "\(st.st_dev):\(st.st_ino)"
        return try Region.logHolds.withLock { (table: inout [String: LogHoldEntry]) throws(DBError) -> LogHold in
            if let held = table[key] {
                if held.pid == tern_current_pid() {
                    table[key]!.count += 1
                    return LogHold(firstInProcess: false, alone: false)
                }
                // Inherited through fork: the lock is the parent's (the
                // description is shared). The fork handler closed a guarded
                // copy already (its number may be reused since); close an
                // unguarded one, never unlock.
                if !held.guarded { Glibc.close(held.fd) }
                table[key] = nil
            }
            let lockFd = Glibc.open(path, O_RDWR | O_CLOEXEC)
            guard lockFd >= 0 else { throw DBError(errno, "tern region \(path): cannot open for the log lock") }
            let guarded = tern_fork_guard_add(lockFd) != 0
            var alone = Region.ofdLock(lockFd, F_WRLCK, wait: false) == 0
            if !alone {
                let rc = Region.ofdLock(lockFd, F_RDLCK, wait: true)
                guard rc == 0 else {
                    if guarded { tern_fork_guard_remove(lockFd) }
                    Glibc.close(lockFd)
                    throw DBError(rc, "tern region \(path): cannot lock: \(String(cString: strerror(rc)))")
                }
                alone = Region.ofdLock(lockFd, F_WRLCK, wait: false) == 0
            }
            table[key] = LogHoldEntry(fd: lockFd, count: 1, pid: tern_current_pid(), exclusive: alone, guarded: guarded)
            return LogHold(firstInProcess: true, alone: alone)
        }
    }

    /// Lets other processes join: an exclusive hold becomes shared.
    public func shareLogHold() {
        guard path != nil, fd >= 0 else { return }
        guard let key = holdKey() else { return }
        Region.logHolds.withLock { (table: inout [String: LogHoldEntry]) in
            guard let held = table[key], held.pid == tern_current_pid(), held.exclusive else { return }
            _ = Region.ofdLock(held.fd, F_RDLCK, wait: true)
            table[key]!.exclusive = false
        }
    }

    /// How many holds this process has on the log (0: none; private
    /// regions: 0).
    public var logHolds: Int {
        guard path != nil, fd >= 0, let key = holdKey() else { return 0 }
        return Region.logHolds.withLock { (table: inout [String: LogHoldEntry]) -> Int in
            guard let held = table[key], held.pid == tern_current_pid() else { return 0 }
            return held.count
        }
    }

    /// Drops one hold taken by `holdLog` (call before `close`).
    public func releaseLogHold() {
        guard path != nil, fd >= 0, let key = holdKey() else { return }
        Region.logHolds.withLock { (table: inout [String: LogHoldEntry]) in
            guard let held = table[key], held.pid == tern_current_pid() else { return }
            if held.count > 1 {
                table[key]!.count -= 1
            } else {
                // Unlock explicitly: a child forked meanwhile shares the
                // description, and closing only our descriptor would leave
                // the lock held through its copy.
                _ = Region.ofdLock(held.fd, F_UNLCK, wait: false)
                if held.guarded { tern_fork_guard_remove(held.fd) }
                Glibc.close(held.fd)
                table[key] = nil
            }
        }
    }

    private func holdKey() -> String? {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        return "\(st.st_dev):\(st.st_ino)"
    }

    /// F_OFD_SETLK(W) of `type` on the log byte: 0 or an errno.
    private static func ofdLock(_ fd: Int32, _ type: Int32, wait: Bool) -> Int32 {
        var lock = flock()
        lock.l_type = Int16(type)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = off_t(Region.logLockByte)
        lock.l_len = 1
        // F_OFD_SETLK / F_OFD_SETLKW (Linux; need _GNU_SOURCE in C).
        let command: Int32 = wait ? 38 : 37
        while true {
            if fcntl(fd, command, &lock) == 0 { return 0 }
            if errno != EINTR { return errno }
        }
    }

    /// This process's log holds, by region file (device:inode).
    private static let logHolds = LockedTable()

    /// The byte of the region file the log lock covers (past the end:
    /// record locks need no data).
    static let logLockByte = 1 << 40

    /// The DB_INIT_* flags the region's creator opened it with (fixed).
    public var initFlags: UInt32 { base.u32(Region.offInitFlags) }

    /// This incarnation's random id (names files that belong to it).
    public var regionId: UInt64 { base.u64(Region.offId) }

    // MARK: shared flags

    /// How many times a region mutex was found with a dead owner. Nonzero
    /// means shared state may be inconsistent: the environment reports
    /// DB_RUNRECOVERY.
    public var ownerDeaths: UInt32 { tern_atomic_load_u32(base.word32(Region.offOwnerDeaths)) }

    /// Records that a mutex's owner died (called by whoever got
    /// `.previousOwnerDied`).
    public func noteOwnerDeath() { _ = tern_atomic_fetch_add_u32(base.word32(Region.offOwnerDeaths), 1) }

    public var isPanicked: Bool { tern_atomic_load_u32(base.word32(Region.offPanic)) != 0 }
    public func setPanic() { tern_atomic_store_u32(base.word32(Region.offPanic), 1) }
    /// Only for the process that set the panic to fence a region it is
    /// building (recovery), when done.
    public func clearPanic() { tern_atomic_store_u32(base.word32(Region.offPanic), 0) }

    /// Locks a region mutex, recording an owner death in the region.
    @inline(__always) @discardableResult
    func lock(_ m: SharedMutex) -> MutexLockResult {
        let r = m.lock()
        if r == .previousOwnerDied { noteOwnerDeath() }
        return r
    }

    // MARK: allocation

    private var heapMutex: SharedMutex { SharedMutex(at: base + Region.offHeapMutex) }
    var heap: RegionHeap { RegionHeap(base: base, control: RegionOffset(Region.offHeapControl)) }

    /// Allocates `bytes` (16-aligned) from the region; ENOMEM when full.
    public func allocate(_ bytes: Int) throws(DBError) -> RegionOffset {
        lock(heapMutex)
        defer { heapMutex.unlock() }
        guard let off = heap.allocate(bytes) else {
            throw DBError(ENOMEM, "tern region: out of memory allocating \(bytes) bytes (region is \(size) bytes)")
        }
        return off
    }

    public func free(_ offset: RegionOffset) {
        lock(heapMutex)
        defer { heapMutex.unlock() }
        heap.free(offset)
    }

    /// The heap's invariant check (tests): nil when consistent.
    public func checkHeap() -> String? {
        lock(heapMutex)
        defer { heapMutex.unlock() }
        return heap.check()
    }

    public var heapInUse: Int {
        lock(heapMutex)
        defer { heapMutex.unlock() }
        return heap.inUse
    }

    // MARK: areas

    /// Zeroes `count` bytes at `p`, writing only the 4 KiB chunks that are
    /// not zero already. A new region (a fresh sparse file, or anonymous
    /// memory) reads as zeros: writing them anyway dirtied every page of a
    /// large area such as the page cache's (a 64 MB cache gave a region file
    /// with 104 MB allocated on disk, 7 MB without), which the kernel then
    /// wrote back, and cost 3.5x the instructions of this check at open.
    /// Reading a hole maps it without dirtying it.
    static func zeroFill(_ p: UnsafeMutableRawPointer, count: Int) {
        let chunk = 4096
        var done = 0
        while done < count {
            let n = min(chunk, count - done)
            let q = p + done
            if !isZero(UnsafeRawPointer(q), count: n) {
                q.initializeMemory(as: UInt8.self, repeating: 0, count: n)
            }
            done += n
        }
    }

    /// True when the `count` bytes at `p` are all zero.
    @inline(__always) static func isZero(_ p: UnsafeRawPointer, count: Int) -> Bool {
        var i = 0
        var acc: UInt64 = 0
        while i + 8 <= count {
            acc |= p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < count {
            acc |= UInt64(p.load(fromByteOffset: i, as: UInt8.self))
            i += 1
        }
        return acc == 0
    }

    /// Finds the area `name`, creating it (`size` bytes, zeroed, then
    /// `initialize`d) when absent. The initializer runs under the heap
    /// mutex, so a concurrent joiner waits until the area is complete; it
    /// must not allocate from the region. A joiner finding an existing area
    /// smaller than `size` gets EINVAL.
    public func area(_ name: String, size: Int,
                     initialize: (RegionOffset) throws(DBError) -> Void) throws(DBError) -> RegionOffset {
        let nameBytes = Array(name.utf8)
        precondition(!nameBytes.isEmpty && nameBytes.count <= Region.areaNameLength, "area name")
        lock(heapMutex)
        defer { heapMutex.unlock() }
        if let (off, existing) = findArea(nameBytes) {
            guard existing >= size else {
                throw DBError(EINVAL, "tern region: area \"\(name)\" is \(existing) bytes, \(size) needed")
            }
            return off
        }
        let count = Int(base.u32(Region.offAreaCount))
        guard count < Region.maxAreas else {
            throw DBError(ENOMEM, "tern region: too many areas")
        }
        guard let off = heap.allocate(size) else {
            throw DBError(ENOMEM, "tern region: no room for area \"\(name)\" of \(size) bytes (region is \(self.size) bytes)")
        }
        Region.zeroFill(pointer(off), count: size)
        do {
            try initialize(off)
        } catch {
            heap.free(off)
            throw error
        }
        let e = Region.offDirectory + count * Region.directoryEntrySize
        (base + e).initializeMemory(as: UInt8.self, repeating: 0, count: Region.directoryEntrySize)
        for (i, b) in nameBytes.enumerated() { base.storeBytes(of: b, toByteOffset: e + i, as: UInt8.self) }
        base.setU64(e + 16, off.raw)
        base.setU64(e + 24, UInt64(size))
        base.setU32(Region.offAreaCount, UInt32(count + 1))
        return off
    }

    /// The offset and size of an existing area.
    public func existingArea(_ name: String) -> (offset: RegionOffset, size: Int)? {
        lock(heapMutex)
        defer { heapMutex.unlock() }
        return findArea(Array(name.utf8)).map { (offset: $0.0, size: $0.1) }
    }

    /// The names of the areas, in creation order.
    public var areaNames: [String] {
        lock(heapMutex)
        defer { heapMutex.unlock() }
        return (0..<Int(base.u32(Region.offAreaCount))).map { i in
            let e = Region.offDirectory + i * Region.directoryEntrySize
            var bytes: [UInt8] = []
            for j in 0..<Region.areaNameLength {
                let b = base.load(fromByteOffset: e + j, as: UInt8.self)
                if b == 0 { break }
                bytes.append(b)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    private func findArea(_ name: [UInt8]) -> (RegionOffset, Int)? {
        let count = min(Int(base.u32(Region.offAreaCount)), Region.maxAreas)
        outer: for i in 0..<count {
            let e = Region.offDirectory + i * Region.directoryEntrySize
            for j in 0..<Region.areaNameLength {
                let b = base.load(fromByteOffset: e + j, as: UInt8.self)
                let want: UInt8 = j < name.count ? name[j] : 0
                if b != want { continue outer }
            }
            return (RegionOffset(base.u64(e + 16)), Int(base.u64(e + 24)))
        }
        return nil
    }
}

/// One process's hold on a region's log (Region.holdLog).
struct LogHoldEntry {
    var fd: Int32
    var count: Int
    var pid: pid_t
    var exclusive: Bool
    /// Registered with the fork handler (closed in children at fork).
    var guarded: Bool
}

/// A process-wide table behind a lock (Region's log holds).
private final class LockedTable: @unchecked Sendable {
    private let lock = LocalLock()
    private var table: [String: LogHoldEntry] = [:]
    func withLock<T, E: Error>(_ body: (inout [String: LogHoldEntry]) throws(E) -> T) throws(E) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&table)
    }
}
