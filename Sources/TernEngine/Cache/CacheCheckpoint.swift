// Checkpoints of logged files, in steps, so that committers keep running
// while the checkpoint does its I/O (DESIGN.md "Checkpoint and recovery"):
//
// 1. cut (`cutCheckpoint`): the caller guarantees that no page of the files
//    is being modified (the commit gate held exclusively). Under the
//    eviction mutex, every dirty frame is copied into the file's
//    CheckpointImage and marked `F.ckpt` instead of dirty, and the file's
//    spill generation is frozen: the other generation becomes active, so
//    the frozen slots are never written again. Page 0 is copied whenever it
//    is cached (it carries the checkpoint LSN). Memory copies only.
// 2. complete (`completeCheckpoint`), no lock: the frozen spill slots not
//    superseded by a copied frame are noted (read one at a time when
//    written, so memory stays bounded whatever the spill holds), and page 0 from the file when no
//    frame had it (the file is not written between checkpoints, so the disk
//    copy is current).
// 3. the caller makes the images durable in place (through the journal, in
//    an environment), then `finishCheckpoint`: the frozen spill entries
//    still pointing at their frozen slot are dropped, the frozen spill file
//    is emptied, and `F.ckpt` is cleared. Or `abortCheckpoint` after a
//    failure: the copied frames are dirty again and the frozen spill is
//    folded back into the active generation, so nothing is lost.
//
// A frame marked `F.ckpt` that is evicted before the finish is spilled like
// a dirty one (its content may not be in the file yet); spilling it into the
// active generation is harmless afterwards (the next checkpoint writes the
// same bytes again).
//
// Locking rule: all three steps take the eviction mutex then bucket mutexes
// (the cache's lock order); only one checkpoint of a file may be in flight
// (the environment's checkpoint mutex serialises them), which is what keeps
// the inactive spill generation free for the next freeze.
import CBerkeleyDB
import Glibc

/// One file's pages as a checkpoint writes them. Later copies of a page
/// replace earlier ones; `sortedPages` gives them in file order.
///
/// Locking rule: process memory owned by the one checkpoint that made it
/// (its thread holds the checkpoint mutex); never shared.
public final class CheckpointImage {
    public let fileId: UInt32
    public let pageSize: Int
    /// The file's absolute path.
    public let path: String
    private var index: [UInt32: Int] = [:]
    private var order: [UInt32] = []
    private var bytes: UnsafeMutableRawPointer?
    private var capacity = 0
    /// Spill entries frozen at the cut: (pgno, slot).
    var frozen: [(UInt32, UInt32)] = []
    var frozenGeneration: UInt32 = 0
    /// Frames copied because they were dirty (not just page 0).
    var copiedFrames = 0

    init(fileId: UInt32, pageSize: Int, path: String) {
        self.fileId = fileId
        self.pageSize = pageSize
        self.path = path
    }

    /// Pages still in the frozen spill file (pgno -> byte offset in
    /// `spillFd`), read one at a time as the journal and the in-place
    /// writes need them: after a big transaction the spill can hold far
    /// more than memory should (every page it dirtied), so step 2 does not
    /// load it. The frozen file is never written until `finishCheckpoint`
    /// or `abortCheckpoint` empties it, so the bytes stay put.
    private var deferred: [UInt32: off_t] = [:]
    private var spillFd: Int32 = -1
    private var scratch: UnsafeMutableRawPointer?

    deinit {
        free(bytes)
        free(scratch)
    }

    public var count: Int { order.count + deferred.count }
    public func contains(_ pgno: UInt32) -> Bool { index[pgno] != nil || deferred[pgno] != nil }

    /// Records that `pgno` is read from `fd` at `offset` when written.
    func addDeferred(_ pgno: UInt32, fd: Int32, offset: off_t) {
        spillFd = fd
        deferred[pgno] = offset
    }

    /// The bytes of `pgno` to write: its copy, or read from the frozen
    /// spill into a scratch buffer valid until the next call.
    func bytes(_ pgno: UInt32) throws(DBError) -> UnsafeRawPointer {
        if let p = page(pgno) { return UnsafeRawPointer(p) }
        guard let offset = deferred[pgno] else { throw DBError(EINVAL, "tern checkpoint: page \(pgno) not in the image") }
        if scratch == nil {
            scratch = malloc(pageSize)
            guard scratch != nil else { throw DBError(ENOMEM, "tern checkpoint: out of memory") }
        }
        let buf = scratch!
        var done = 0
        while done < pageSize {
            let r = pread(spillFd, buf + done, pageSize - done, offset + off_t(done))
            if r < 0 {
                if errno == EINTR { continue }
                let e = errno
                throw DBError(e, "tern checkpoint: read of spilled page \(pgno) of \(path) failed: \(String(cString: strerror(e)))")
            }
            if r == 0 { break }
            done += r
        }
        if done < pageSize { (buf + done).initializeMemory(as: UInt8.self, repeating: 0, count: pageSize - done) }
        return UnsafeRawPointer(buf)
    }

    /// The bytes of `pgno` (nil when the image lacks it).
    public func page(_ pgno: UInt32) -> UnsafeMutableRawPointer? {
        index[pgno].map { bytes! + $0 * pageSize }
    }

    /// Room for `pgno`: its existing copy, or a new one to fill.
    func slot(_ pgno: UInt32) -> UnsafeMutableRawPointer {
        if let k = index[pgno] { return bytes! + k * pageSize }
        if order.count == capacity {
            capacity = max(16, capacity * 2)
            bytes = realloc(bytes, capacity * pageSize)
            precondition(bytes != nil, "CheckpointImage: out of memory")
        }
        index[pgno] = order.count
        order.append(pgno)
        return bytes! + (order.count - 1) * pageSize
    }

    /// Page numbers in ascending order.
    public var sortedPages: [UInt32] { (order + deferred.keys).sorted() }
}

extension PageCache {
    /// Step 1 (see the file comment): images of the logged files among
    /// `fileIds` that have anything to write. The caller guarantees that no
    /// page of these files is being modified.
    func cutCheckpoint(_ fileIds: [UInt32]) throws(DBError) -> [CheckpointImage] {
        let c = core
        c.lock(c.evictMutex)
        defer { c.evictMutex.unlock() }
        var images: [UInt32: CheckpointImage] = [:]
        for id in fileIds where id >= 1 && Int(id) <= c.maxFiles {
            let e = c.file(id)
            guard e.u32(FE.inUse) != 0, e.u32(FE.mode) == WriteBackMode.logged.rawValue else { continue }
            let image = CheckpointImage(fileId: id, pageSize: Int(e.u32(FE.pageSize)), path: path(of: id))
            if e.u32(FE.spilledPages) > 0 {
                var g = e.u32(FE.spillGeneration)
                var entries = try c.spillEntries(id)
                if entries.contains(where: { S.generation($0.1) != g }) {
                    // Left by a checkpoint that failed or died: fold first,
                    // so the generation about to become active is empty.
                    try foldInactive(id)
                    entries = try c.spillEntries(id)
                    g = e.u32(FE.spillGeneration)
                }
                if !entries.isEmpty {
                    image.frozen = entries
                    image.frozenGeneration = g
                    let next = 1 - g
                    e.setU32(FE.slots(next), 0)
                    e.setU32(FE.spillGeneration, next)
                }
            }
            images[id] = image
        }
        if images.isEmpty { return [] }
        for bi in 0...Int(c.bucketMask) {
            let b = c.bucket(bi)
            if b.i32(B.head) < 0 { continue }
            let m = c.bucketMutex(bi)
            c.lock(m)
            var i = b.i32(B.head)
            while i >= 0 {
                let f = c.frame(i)
                i = f.i32(F.next)
                let flags = f.u32(F.flags)
                guard flags & F.loading == 0, let image = images[f.u32(F.fileId)] else { continue }
                let pgno = f.u32(F.pgno)
                let changed = flags & (F.dirty | F.ckpt) != 0
                guard changed || pgno == 0 else { continue }
                image.slot(pgno).copyMemory(from: c.buffer(f), byteCount: image.pageSize)
                if changed {
                    f.setU32(F.flags, (flags & ~F.dirty) | F.ckpt)
                    image.copiedFrames += 1
                }
            }
            m.unlock()
        }
        return images.values.filter { $0.copiedFrames > 0 || !$0.frozen.isEmpty }.sorted { $0.fileId < $1.fileId }
    }

    /// Step 2: the frozen spill slots and page 0, read without locks.
    func completeCheckpoint(_ image: CheckpointImage) throws(DBError) {
        let ps = image.pageSize
        if !image.frozen.isEmpty {
            let sfd = try fd(image.fileId, spill: true, generation: image.frozenGeneration)
            for (pgno, slot) in image.frozen where !image.contains(pgno) {
                let at = off_t(S.index(slot)) * off_t(ps)
                if pgno == 0 {
                    // Page 0 is stamped with the cut: in memory.
                    try readFully(sfd, image.slot(0), ps, at, fileId: image.fileId, pgno: 0)
                } else {
                    image.addDeferred(pgno, fd: sfd, offset: at)
                }
            }
            core.lock(core.evictMutex)
            core.addCounter(H.spillReads, UInt64(image.frozen.count))
            core.evictMutex.unlock()
        }
        if !image.contains(0) {
            let dbfd = try fd(image.fileId, spill: false)
            try readFully(dbfd, image.slot(0), ps, 0, fileId: image.fileId, pgno: 0)
        }
    }

    /// Writes an image's pages at pgno * pageSize in its file, then fsyncs.
    func writeInPlace(_ image: CheckpointImage) throws(DBError) {
        let dbfd = try fd(image.fileId, spill: false)
        for pgno in image.sortedPages {
            try writeFully(dbfd, try image.bytes(pgno), image.pageSize, off_t(pgno) * off_t(image.pageSize),
                           what: "page \(pgno) of \(image.path)")
        }
        guard fsync(dbfd) == 0 else {
            throw DBError(errno, "tern cache: fsync of \(image.path) failed: \(String(cString: strerror(errno)))")
        }
    }

    /// Step 3: the images are durable in their files.
    func finishCheckpoint(_ images: [CheckpointImage]) {
        let c = core
        c.lock(c.evictMutex)
        defer { c.evictMutex.unlock() }
        for image in images {
            let e = c.file(image.fileId)
            if !image.frozen.isEmpty {
                var removed: UInt32 = 0
                for (pgno, slot) in image.frozen {
                    // A table this process cannot map: the shared state is
                    // unknowable, only recovery can continue.
                    do throws(DBError) {
                        if try c.spillRemove(image.fileId, pgno, ifSlot: slot) { removed += 1 }
                    } catch {
                        region.setPanic()
                    }
                }
                let left = e.u32(FE.spilledPages)
                e.setU32(FE.spilledPages, left > removed ? left - removed : 0)
                if let sfd = try? fd(image.fileId, spill: true, generation: image.frozenGeneration) { _ = ftruncate(sfd, 0) }
                e.setU32(FE.slots(image.frozenGeneration), 0)
            }
            c.addCounter(H.checkpointWrites, UInt64(image.count))
            c.addCounter(H.pagesWritten, UInt64(image.count))
        }
        clearCheckpointFlags(Set(images.map(\.fileId)), redirty: false)
        for image in images where c.file(image.fileId).u32(FE.refCount) == 0 {
            releaseEntryIfIdle(image.fileId)
        }
    }

    /// A checkpoint failed after its cut: nothing it copied is lost. Frames
    /// are dirty again and the frozen spill is folded back; if even that
    /// fails the environment panics.
    func abortCheckpoint(_ images: [CheckpointImage]) {
        let c = core
        c.lock(c.evictMutex)
        defer { c.evictMutex.unlock() }
        clearCheckpointFlags(Set(images.map(\.fileId)), redirty: true)
        for image in images where !image.frozen.isEmpty {
            do { try foldInactive(image.fileId) } catch { region.setPanic() }
        }
    }

    /// After the process holding the log died: whatever checkpoint it left
    /// in flight is undone as abortCheckpoint would (frames marked
    /// `F.ckpt` become dirty, inactive spill generations are folded back),
    /// and no file keeps a handle count (the dead process's handles are
    /// gone and no other process can have the environment open while it
    /// held the log).
    public func restoreAfterCrash() throws(DBError) {
        let c = core
        c.lock(c.evictMutex)
        defer { c.evictMutex.unlock() }
        var ids: [UInt32] = []
        for id in 1...UInt32(c.maxFiles) where c.file(id).u32(FE.inUse) != 0 {
            ids.append(id)
            c.file(id).setU32(FE.refCount, 0)
        }
        clearCheckpointFlags(Set(ids), redirty: true)
        for id in ids where c.file(id).u32(FE.mode) == WriteBackMode.logged.rawValue {
            try foldInactive(id)
        }
    }

    /// Clears `F.ckpt` on the frames of `files` (setting dirty instead when
    /// `redirty`). Eviction mutex held.
    private func clearCheckpointFlags(_ files: Set<UInt32>, redirty: Bool) {
        let c = core
        for bi in 0...Int(c.bucketMask) {
            let b = c.bucket(bi)
            if b.i32(B.head) < 0 { continue }
            let m = c.bucketMutex(bi)
            c.lock(m)
            var i = b.i32(B.head)
            while i >= 0 {
                let f = c.frame(i)
                let flags = f.u32(F.flags)
                if flags & F.ckpt != 0 && files.contains(f.u32(F.fileId)) {
                    f.setU32(F.flags, (flags & ~F.ckpt) | (redirty ? F.dirty : 0))
                }
                i = f.i32(F.next)
            }
            m.unlock()
        }
    }

    /// Moves every spill entry of `fileId` in the inactive generation into
    /// the active one (copying the page), then empties the inactive file.
    /// Eviction mutex held.
    func foldInactive(_ fileId: UInt32) throws(DBError) {
        let c = core
        let e = c.file(fileId)
        let g = e.u32(FE.spillGeneration)
        let old = 1 - g
        let entries = try c.spillEntries(fileId).filter { S.generation($0.1) == old }
        if !entries.isEmpty {
            let ps = Int(e.u32(FE.pageSize))
            let src = try fd(fileId, spill: true, generation: old)
            let dst = try fd(fileId, spill: true, generation: g)
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: ps, alignment: 16)
            defer { buffer.deallocate() }
            for (pgno, slot) in entries {
                try readFully(src, buffer, ps, off_t(S.index(slot)) * off_t(ps), fileId: fileId, pgno: pgno)
                let n = e.u32(FE.slots(g))
                try writeFully(dst, buffer, ps, off_t(n) * off_t(ps), what: "spilled page \(pgno)")
                _ = try c.spillUpdate(fileId, pgno, S.slot(n, generation: g))
                e.setU32(FE.slots(g), n + 1)
            }
        }
        if let src = try? fd(fileId, spill: true, generation: old) { _ = ftruncate(src, 0) }
        e.setU32(FE.slots(old), 0)
    }

    // MARK: without an environment

    /// A checkpoint of `fileIds` without journal or log, for a cache used on
    /// its own (tests, tools): the caller quiesces writers. In-place files
    /// are flushed. An environment checkpoints through
    /// Environment.checkpoint(files:record:) instead.
    public func checkpoint(_ fileIds: [UInt32]) throws(DBError) {
        var logged: [UInt32] = []
        for id in fileIds {
            if core.file(id).u32(FE.mode) == WriteBackMode.inPlace.rawValue { try flush(id) } else { logged.append(id) }
        }
        let images = try cutCheckpoint(logged)
        do throws(DBError) {
            for image in images {
                try completeCheckpoint(image)
                try writeInPlace(image)
            }
        } catch {
            abortCheckpoint(images)
            throw error
        }
        finishCheckpoint(images)
    }

    func checkpoint(_ fileId: UInt32) throws(DBError) { try checkpoint([fileId]) }

    /// Checkpoints every file of the cache, open in this process or not.
    public func checkpointAll() throws(DBError) { try checkpoint(inUseFileIds()) }

    /// Writes back every in-place file's dirty pages (and checkpoints
    /// logged ones).
    public func syncAll() throws(DBError) { try checkpointAll() }
}
