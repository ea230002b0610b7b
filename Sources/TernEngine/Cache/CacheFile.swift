// CacheFile: one open database file of a PageCache, the PageStore the
// access methods use.
//
// Contract (PageStore's, plus):
// - `pageCount` is shared by every handle of the file in every process;
//   `lastPage` is pageCount - 1, and 0 for an empty file. `extend()` appends
//   page `pageCount` (so the first extend of an empty file returns page 0,
//   the meta page).
// - pin of a page >= pageCount throws DB_PAGE_NOTFOUND.
// - A page past the end of the disk file (extended, never written) reads
//   as zeros.
// - `sync()`: in-place files write their dirty pages and fsync; logged files
//   checkpoint (dirty and spilled pages in place, fsync, spill dropped).
// - `close()` drops the handle; later calls are a programming error.
//
// Locking rule: a CacheFile may be used from several threads at once; its
// fields are immutable and the shared state it reaches is guarded as
// CacheLayout.swift says.
import CBerkeleyDB
import CTernAtomics
import Glibc

public final class CacheFile: PageStore, @unchecked Sendable {
    public let cache: PageCache
    public let fileId: UInt32
    public let pageSize: Int
    public let mode: WriteBackMode
    public let path: String
    let core: CacheCore
    let pageCountWord: UnsafeMutablePointer<UInt32>
    private var closed = false

    init(cache: PageCache, fileId: UInt32, pageSize: Int, mode: WriteBackMode, path: String) {
        self.cache = cache
        self.fileId = fileId
        self.pageSize = pageSize
        self.mode = mode
        self.path = path
        core = cache.core
        pageCountWord = cache.core.file(fileId).word32(FE.pageCount)
    }

    /// Pages in the file, as the cache sees it (disk pages plus extended ones).
    public var pageCount: UInt32 { tern_atomic_load_u32(pageCountWord) }

    public var lastPage: PageNumber {
        let n = pageCount
        return n == 0 ? 0 : n - 1
    }

    /// The hit path inline; a miss goes to PageCache.pinMiss.

    public func pin(_ page: PageNumber, forWrite: Bool) throws(DBError) -> UnsafeMutableRawPointer {
        guard page < tern_atomic_load_u32(pageCountWord) else {
            throw DBError(DB_PAGE_NOTFOUND, nil)
        }
        let c = core
        let bi = c.bucketIndex(fileId, page)
        let b = c.bucket(bi)
        let m = c.bucketMutex(bi)
        c.lock(m)
        let i = c.find(b, fileId, page)
        if i >= 0 {
            let f = c.frame(i)
            let flags = f.u32(F.flags)
            if flags & F.loading == 0 {
                f.setI32(F.pin, f.i32(F.pin) &+ 1)
                if flags & F.referenced == 0 { f.setU32(F.flags, flags | F.referenced) }
                b.setU64(B.hits, b.u64(B.hits) &+ 1)
                m.unlock()
                return c.buffer(f)
            }
        }
        m.unlock()
        return try cache.pinMiss(fileId, page, pageSize: pageSize, create: false)
    }


    public func unpin(_ page: PageNumber, dirty: Bool) {
        let c = core
        let bi = c.bucketIndex(fileId, page)
        let b = c.bucket(bi)
        let m = c.bucketMutex(bi)
        c.lock(m)
        let i = c.find(b, fileId, page)
        if i >= 0 {
            let f = c.frame(i)
            let pins = f.i32(F.pin)
            assert(pins > 0, "unpin of an unpinned page")
            if pins > 0 { f.setI32(F.pin, pins - 1) }
            if dirty { f.setU32(F.flags, f.u32(F.flags) | F.dirty) }
        } else {
            assert(false, "unpin of a page that is not in the cache")
        }
        m.unlock()
    }

    public func extend() throws(DBError) -> PageNumber {
        let page = tern_atomic_fetch_add_u32(pageCountWord, 1)
        guard page != UInt32.max else {
            _ = tern_atomic_fetch_add_u32(pageCountWord, UInt32.max) // undo
            throw DBError(EFBIG, "tern cache: \(path) has the maximum number of pages")
        }
        _ = try cache.pinMiss(fileId, page, pageSize: pageSize, create: true)
        return page
    }

    /// Makes the file's changes durable: see the contract above.
    public func sync() throws(DBError) {
        if mode == .logged { try cache.checkpoint(fileId) } else { try cache.flush(fileId) }
    }

    /// Writes every dirty and spilled page in place and fsyncs (logged
    /// files); same as `sync()` for in-place files.
    public func checkpoint() throws(DBError) { try cache.checkpoint(fileId) }

    public func close() throws(DBError) {
        guard !closed else { return }
        closed = true
        try cache.close(fileId)
    }
}
