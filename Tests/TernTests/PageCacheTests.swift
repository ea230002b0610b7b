// PageCache: pin/unpin/extend, eviction in both write-back modes, spill and
// checkpoint, page sizes, two attachments of one region, a random model test.
import CBerkeleyDB
import Glibc
import Testing
@testable import TernEngine

/// Writes a recognisable pattern (page number, version) over a page.
private func stamp(_ p: UnsafeMutableRawPointer, _ size: Int, page: UInt32, version: UInt32) {
    for w in 0..<(size / 8) {
        p.storeBytes(of: UInt64(page) << 32 | UInt64(version) &+ UInt64(w) &* 0x1000_0000_0000, toByteOffset: w * 8, as: UInt64.self)
    }
}
private func stamped(_ p: UnsafeRawPointer, _ size: Int, page: UInt32, version: UInt32) -> Bool {
    (0..<(size / 8)).allSatisfy {
        p.load(fromByteOffset: $0 * 8, as: UInt64.self) == UInt64(page) << 32 | UInt64(version) &+ UInt64($0) &* 0x1000_0000_0000
    }
}
/// Reads a page straight from the database file, bypassing the cache.
private func diskPage(_ path: String, _ page: UInt32, _ size: Int) -> [UInt8] {
    var buf = [UInt8](repeating: 0, count: size)
    let fd = open(path, O_RDONLY)
    _ = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, size, off_t(page) * off_t(size)) }
    close(fd)
    return buf
}

@Suite struct PageCacheTests {
    @Test func pinUnpinExtend() throws {
        let home = makeTempHome("cache")
        defer { removeTree(home) }
        let region = try Region.makePrivate(size: Region.size(cacheBytes: 64 << 10))
        let cache = try PageCache(region: region, cacheBytes: 64 << 10)
        let path = home + "/a.db"
        let f = try cache.openFile(path: path, pageSize: 4096, create: true)
        #expect(f.pageCount == 0 && f.lastPage == 0)
        #expect(throws: DBError(DB_PAGE_NOTFOUND, nil)) { try f.pin(0, forWrite: false) }
        for i in 0..<10 {
            let n = try f.extend()
            #expect(n == PageNumber(i))
            let p = try f.pin(n, forWrite: true)       // nested pin
            #expect(stamped(p, 4096, page: 0, version: 0) == false || true)
            #expect((0..<4096).allSatisfy { p.load(fromByteOffset: $0, as: UInt8.self) == 0 })
            stamp(p, 4096, page: n, version: 1)
            f.unpin(n, dirty: true)
            f.unpin(n, dirty: true)
        }
        #expect(f.lastPage == 9)
        #expect(throws: DBError(DB_PAGE_NOTFOUND, nil)) { try f.pin(10, forWrite: false) }
        #expect(throws: DBError(DB_PAGE_NOTFOUND, nil)) { try f.pin(.max, forWrite: false) }
        #expect(cache.stats.pagesCreated == 10)
        #expect(cache.stats.pinnedPages == 0)
        // Two pins of one page see the same bytes.
        let a = try f.pin(3, forWrite: false), b = try f.pin(3, forWrite: false)
        #expect(a == b && stamped(a, 4096, page: 3, version: 1))
        f.unpin(3, dirty: false); f.unpin(3, dirty: false)
        // In-place: close writes everything back.
        try f.close()
        #expect(fileSize(path) == 10 * 4096)
        #expect(diskPage(path, 7, 4096).withUnsafeBytes { stamped($0.baseAddress!, 4096, page: 7, version: 1) })
        let g = try cache.openFile(path: path, pageSize: 4096)
        #expect(g.pageCount == 10)
        let p = try g.pin(9, forWrite: false)
        #expect(stamped(p, 4096, page: 9, version: 1))
        g.unpin(9, dirty: false)
        // Mismatched page size for an open file is refused.
        #expect(throws: DBError.self) { try cache.openFile(path: path, pageSize: 8192) }
        #expect(throws: DBError.self) { try cache.openFile(path: path, pageSize: 1000) }
        #expect(throws: DBError.self) { try cache.openFile(path: home + "/missing.db", pageSize: 4096) }
        #expect(cache.checkInvariants() == nil)
    }

    /// Writes `pages` pages (4x the cache), reads them back, checks stats.
    private func fillAndVerify(_ f: CacheFile, pages: Int, version: UInt32) throws {
        for i in 0..<pages {
            let n: PageNumber
            if i < Int(f.pageCount) { n = PageNumber(i) } else { n = try f.extend(); f.unpin(n, dirty: true) }
            let p = try f.pin(n, forWrite: true)
            stamp(p, f.pageSize, page: n, version: version)
            f.unpin(n, dirty: true)
        }
        for i in (0..<pages).reversed() {
            let p = try f.pin(PageNumber(i), forWrite: false)
            #expect(stamped(p, f.pageSize, page: PageNumber(i), version: version), "page \(i)")
            f.unpin(PageNumber(i), dirty: false)
        }
    }

    @Test func inPlaceDataSurvivesEviction() throws {
        let home = makeTempHome("inplace")
        defer { removeTree(home) }
        let cacheBytes = 64 << 10
        let region = try Region.open(home: home, size: Region.size(cacheBytes: cacheBytes), create: true)
        let cache = try PageCache(region: region, cacheBytes: cacheBytes)
        let path = home + "/big.db"
        let f = try cache.openFile(path: path, pageSize: 4096, create: true)
        let pages = 4 * cacheBytes / 4096
        try fillAndVerify(f, pages: pages, version: 1)
        let s = cache.stats
        #expect(s.evictionsDirty > 0 && s.evictionsClean > 0 && s.misses > 0 && s.pagesWritten > 0)
        #expect(s.spillWrites == 0)
        #expect(s.pagesInCache <= cacheBytes / 4096)
        // In place: evicted pages are already in the file.
        #expect(fileSize(path) > 0)
        try f.sync()
        #expect(fileSize(path) == pages * 4096)
        for i in 0..<pages {
            #expect(diskPage(path, PageNumber(i), 4096).withUnsafeBytes { stamped($0.baseAddress!, 4096, page: PageNumber(i), version: 1) })
        }
        #expect(cache.checkInvariants() == nil)
    }

    @Test func loggedFileUnchangedUntilCheckpoint() throws {
        let home = makeTempHome("logged")
        defer { removeTree(home) }
        let cacheBytes = 64 << 10
        let region = try Region.open(home: home, size: Region.size(cacheBytes: cacheBytes), create: true)
        let cache = try PageCache(region: region, cacheBytes: cacheBytes)
        let path = home + "/big.db"
        let f = try cache.openFile(path: path, pageSize: 4096, create: true, mode: .logged)
        let pages = 4 * cacheBytes / 4096
        try fillAndVerify(f, pages: pages, version: 1)
        var s = cache.stats
        #expect(s.spillWrites > 0 && s.spillReads > 0 && s.spilledPages > 0)
        #expect(s.pagesWritten == 0)
        #expect(fileSize(path) == 0)                  // nothing in place yet
        try cache.checkpointAll()
        #expect(fileSize(path) == pages * 4096)
        for i in 0..<pages {
            #expect(diskPage(path, PageNumber(i), 4096).withUnsafeBytes { stamped($0.baseAddress!, 4096, page: PageNumber(i), version: 1) })
        }
        s = cache.stats
        #expect(s.spilledPages == 0 && s.dirtyPages == 0)
        // A second round: the file keeps version 1 until the next checkpoint.
        try fillAndVerify(f, pages: pages, version: 2)
        for i in 0..<pages {
            #expect(diskPage(path, PageNumber(i), 4096).withUnsafeBytes { stamped($0.baseAddress!, 4096, page: PageNumber(i), version: 1) })
        }
        try f.checkpoint()
        for i in 0..<pages {
            #expect(diskPage(path, PageNumber(i), 4096).withUnsafeBytes { stamped($0.baseAddress!, 4096, page: PageNumber(i), version: 2) })
        }
        // Closing a logged file with dirty pages does not write in place;
        // the spill keeps them for the next checkpoint, even with no handle.
        let p = try f.pin(5, forWrite: true)
        stamp(p, 4096, page: 5, version: 3)
        f.unpin(5, dirty: true)
        try f.close()
        #expect(diskPage(path, 5, 4096).withUnsafeBytes { stamped($0.baseAddress!, 4096, page: 5, version: 2) })
        let g = try cache.openFile(path: path, pageSize: 4096, mode: .logged)
        let q = try g.pin(5, forWrite: false)
        #expect(stamped(q, 4096, page: 5, version: 3))
        g.unpin(5, dirty: false)
        try g.close()
        try cache.checkpointAll()
        #expect(diskPage(path, 5, 4096).withUnsafeBytes { stamped($0.baseAddress!, 4096, page: 5, version: 3) })
        #expect(cache.checkInvariants() == nil)
    }

    @Test func multiplePageSizesInOneCache() throws {
        let home = makeTempHome("sizes")
        defer { removeTree(home) }
        let cacheBytes = 256 << 10
        let region = try Region.makePrivate(size: Region.size(cacheBytes: cacheBytes))
        let cache = try PageCache(region: region, cacheBytes: cacheBytes, spillDirectory: home)
        let sizes = [512, 1024, 4096, 16384, 65536]
        var files: [CacheFile] = []
        for (k, size) in sizes.enumerated() {
            files.append(try cache.openFile(path: home + "/f\(size).db", pageSize: size, create: true,
                                            mode: k % 2 == 0 ? .inPlace : .logged))
        }
        // Interleave: 12 pages per file, 64 KiB pages alone fill the cache 3x.
        for round in 0..<12 {
            for f in files {
                let n = try f.extend()
                #expect(n == PageNumber(round))
                stamp(try f.pin(n, forWrite: true), f.pageSize, page: n, version: UInt32(f.pageSize))
                f.unpin(n, dirty: true); f.unpin(n, dirty: true)
            }
        }
        for f in files {
            for n in 0..<PageNumber(12) {
                let p = try f.pin(n, forWrite: false)
                #expect(stamped(p, f.pageSize, page: n, version: UInt32(f.pageSize)))
                f.unpin(n, dirty: false)
            }
        }
        #expect(cache.checkInvariants() == nil)
        try cache.checkpointAll()
        for f in files {
            #expect(fileSize(f.path) == 12 * f.pageSize)
        }
    }

    @Test func twoAttachmentsShareOneCache() throws {
        let home = makeTempHome("shared")
        defer { removeTree(home) }
        let cacheBytes = 64 << 10
        let size = Region.size(cacheBytes: cacheBytes)
        let r1 = try Region.open(home: home, size: size, create: true)
        let c1 = try PageCache(region: r1, cacheBytes: cacheBytes)
        // The second "process": its own mapping, its own fds, a different
        // requested cache size (ignored: it joins).
        let r2 = try Region.open(home: home, size: size, create: true)
        #expect(!r2.created && r2.base != r1.base)
        let c2 = try PageCache(region: r2, cacheBytes: 1 << 20)
        #expect(c2.stats.frames == c1.stats.frames)
        let path = home + "/shared.db"
        let f1 = try c1.openFile(path: path, pageSize: 4096, create: true, mode: .logged)
        let f2 = try c2.openFile(path: path, pageSize: 4096, mode: .logged)
        #expect(f1.fileId == f2.fileId)
        // Writes through one are pages of the other.
        for _ in 0..<8 {
            let n = try f1.extend()
            stamp(try f1.pin(n, forWrite: true), 4096, page: n, version: 1)
            f1.unpin(n, dirty: true); f1.unpin(n, dirty: true)
        }
        #expect(f2.pageCount == 8)
        let p2 = try f2.pin(3, forWrite: true)
        #expect(stamped(p2, 4096, page: 3, version: 1))
        stamp(p2, 4096, page: 3, version: 2)
        f2.unpin(3, dirty: true)
        let p1 = try f1.pin(3, forWrite: false)
        #expect(stamped(p1, 4096, page: 3, version: 2))
        f1.unpin(3, dirty: false)
        // Process 2 evicts (spills) pages it never opened a spill file for
        // in process 1; process 1 reads them back from the spill.
        let other = try c2.openFile(path: home + "/other.db", pageSize: 4096, create: true, mode: .inPlace)
        for _ in 0..<(4 * cacheBytes / 4096) {
            let n = try other.extend(); other.unpin(n, dirty: true)
        }
        #expect(c1.stats.spillWrites > 0)
        for n in 0..<PageNumber(8) {
            let p = try f1.pin(n, forWrite: false)
            #expect(stamped(p, 4096, page: n, version: n == 3 ? 2 : 1))
            f1.unpin(n, dirty: false)
        }
        // Checkpoint from process 2 writes process 1's pages in place.
        try c2.checkpointAll()
        #expect(diskPage(path, 3, 4096).withUnsafeBytes { stamped($0.baseAddress!, 4096, page: 3, version: 2) })
        #expect(c1.checkInvariants() == nil)
    }

    /// More dirty pages than the region's spill index holds (4096 entries
    /// here, 3/4 usable): the index grows into a shared file mapping, the
    /// other attachment follows it, and a checkpoint empties it.
    @Test func spillIndexGrowsAndBothAttachmentsFollow() throws {
        let home = makeTempHome("spillgrow")
        defer { removeTree(home) }
        let cacheBytes = 64 << 10
        let size = Region.size(cacheBytes: cacheBytes)
        let r1 = try Region.open(home: home, size: size, create: true)
        let c1 = try PageCache(region: r1, cacheBytes: cacheBytes)
        let r2 = try Region.open(home: home, size: size, create: true)
        let c2 = try PageCache(region: r2, cacheBytes: cacheBytes)
        let path = home + "/grow.db"
        let f1 = try c1.openFile(path: path, pageSize: 512, create: true, mode: .logged)
        let f2 = try c2.openFile(path: path, pageSize: 512, mode: .logged)
        let generation = { c1.core.header.u32(H.spillIndexGeneration) }
        #expect(generation() == 0)
        let pages = 5000
        for _ in 0..<pages {
            let n = try f1.extend()
            stamp(try f1.pin(n, forWrite: true), 512, page: n, version: 1)
            f1.unpin(n, dirty: true); f1.unpin(n, dirty: true)
        }
        #expect(generation() >= 1, "the index grew")
        #expect(c1.stats.spilledPages > 4096)
        // The second attachment reads every page through the grown index,
        // and rewrites them all: the index grows again, from its side.
        for n in 0..<PageNumber(pages) {
            let p = try f2.pin(n, forWrite: true)
            #expect(stamped(p, 512, page: n, version: 1), "page \(n) through attachment 2")
            stamp(p, 512, page: n, version: 2)
            f2.unpin(n, dirty: true)
        }
        for _ in 0..<pages {
            let n = try f2.extend()
            stamp(try f2.pin(n, forWrite: true), 512, page: n, version: 2)
            f2.unpin(n, dirty: true); f2.unpin(n, dirty: true)
        }
        let grown = generation()
        #expect(grown >= 2, "grown again by attachment 2")
        for n in 0..<PageNumber(2 * pages) {
            let p = try f1.pin(n, forWrite: false)
            #expect(stamped(p, 512, page: n, version: 2), "page \(n) back through attachment 1")
            f1.unpin(n, dirty: false)
        }
        // Only the current generation's file remains.
        let hex = String(r1.regionId, radix: 16)
        for g in 1..<grown {
            #expect(access(home + "/__tern.spill.\(hex).index.\(g)", F_OK) != 0, "generation \(g) removed")
        }
        #expect(access(home + "/__tern.spill.\(hex).index.\(grown)", F_OK) == 0)
        try c1.checkpointAll()
        #expect(c2.stats.spilledPages == 0)
        for n in stride(from: 0, to: 2 * pages, by: 97) {
            #expect(diskPage(path, PageNumber(n), 512).withUnsafeBytes { stamped($0.baseAddress!, 512, page: PageNumber(n), version: 2) })
        }
        #expect(c1.checkInvariants() == nil)
        #expect(c2.checkInvariants() == nil)
    }

    @Test func fileTableHoldsAbsolutePaths() throws {
        // Another process (another working directory) opens a file by the
        // table's path to write back its pages: a relative name is stored
        // made absolute. The relative name is built without chdir (tests
        // run in parallel): "../" up to the root, then the absolute path.
        let home = makeTempHome("relpath")
        defer { removeTree(home) }
        let cacheBytes = 64 << 10
        let r = try Region.open(home: home, size: Region.size(cacheBytes: cacheBytes), create: true)
        let c = try PageCache(region: r, cacheBytes: cacheBytes)
        var buffer = [CChar](repeating: 0, count: 4097)
        let cwd = String(cString: getcwd(&buffer, buffer.count)!)
        let depth = cwd.split(separator: "/").count
        let relative = String(repeating: "../", count: depth) + String((home + "/rel.db").dropFirst())
        let f = try c.openFile(path: relative, pageSize: 4096, create: true)
        #expect(c.path(of: f.fileId).hasPrefix("/"))
        #expect(access(c.path(of: f.fileId), F_OK) == 0)
        #expect(PageCache.absolutePath("/a/b") == "/a/b")
        #expect(PageCache.absolutePath("x.db") == (cwd == "/" ? "/x.db" : cwd + "/x.db"))
        try f.close()
    }

    @Test func fullyPinnedCacheIsAnError() throws {
        let home = makeTempHome("pinned")
        defer { removeTree(home) }
        let region = try Region.makePrivate(size: Region.size(cacheBytes: 32 << 10))
        let cache = try PageCache(region: region, cacheBytes: 32 << 10)
        let f = try cache.openFile(path: home + "/p.db", pageSize: 4096, create: true)
        var pinned: [PageNumber] = []
        var failure: DBError?
        for _ in 0..<100 {
            do { pinned.append(try f.extend()) } catch { failure = error; break }
        }
        #expect(failure?.code == ENOMEM)
        #expect(failure?.message == "BDB3017 unable to allocate space from the buffer cache")
        #expect(pinned.count >= 4 && pinned.count < 100)
        // Unpinning one page makes room again.
        f.unpin(pinned.removeLast(), dirty: true)
        let n = try f.extend()
        f.unpin(n, dirty: true)
        for p in pinned { f.unpin(p, dirty: true) }
        #expect(cache.stats.allocFailures > 0)
        #expect(cache.checkInvariants() == nil)
    }

    @Test(arguments: [WriteBackMode.inPlace, .logged])
    func randomOperationsMatchAModel(mode: WriteBackMode) throws {
        let home = makeTempHome("model")
        defer { removeTree(home) }
        let cacheBytes = 48 << 10
        let size = Region.size(cacheBytes: cacheBytes)
        let r1 = try Region.open(home: home, size: size, create: true)
        let r2 = try Region.open(home: home, size: size, create: false)
        let caches = [try PageCache(region: r1, cacheBytes: cacheBytes), try PageCache(region: r2, cacheBytes: cacheBytes)]
        let path = home + "/m.db"
        var handles = [try caches[0].openFile(path: path, pageSize: 1024, create: true, mode: mode),
                       try caches[1].openFile(path: path, pageSize: 1024, mode: mode)]
        var model: [UInt32: UInt64] = [:]     // page -> value in its first 8 bytes
        var checkpointed: [UInt32: UInt64] = [:]
        var rng = SeededRandom(seed: mode == .logged ? 11 : 12)
        for step in 0..<4000 {
            let h = handles[Int.random(in: 0...1, using: &rng)]
            let op = Int.random(in: 0..<100, using: &rng)
            if op < 10 || model.isEmpty {
                let n = try h.extend()
                #expect(model[n] == nil)
                let v = rng.next()
                try h.pin(n, forWrite: true).storeBytes(of: v, as: UInt64.self)
                h.unpin(n, dirty: true); h.unpin(n, dirty: true)
                model[n] = v
            } else if op < 50 {
                let n = UInt32.random(in: 0..<h.pageCount, using: &rng)
                let v = rng.next()
                try h.pin(n, forWrite: true).storeBytes(of: v, as: UInt64.self)
                h.unpin(n, dirty: true)
                model[n] = v
            } else if op < 97 {
                let n = UInt32.random(in: 0..<h.pageCount, using: &rng)
                let got = try h.pin(n, forWrite: false).load(as: UInt64.self)
                h.unpin(n, dirty: false)
                #expect(got == model[n], "step \(step) page \(n)")
                if got != model[n] { return }
            } else if op < 99 {
                try h.sync()
                checkpointed = model
            } else {
                // Reopen a handle.
                let k = h === handles[0] ? 0 : 1
                try h.close()
                handles[k] = try caches[k].openFile(path: path, pageSize: 1024, mode: mode)
            }
        }
        #expect(caches[0].checkInvariants() == nil)
        if mode == .logged {
            // The file holds exactly the last checkpoint's state.
            for (n, v) in checkpointed {
                let disk = diskPage(path, n, 1024).withUnsafeBytes { $0.load(as: UInt64.self) }
                #expect(disk == v)
            }
        }
        try caches[1].checkpointAll()
        for (n, v) in model {
            let disk = diskPage(path, n, 1024).withUnsafeBytes { $0.load(as: UInt64.self) }
            #expect(disk == v)
        }
        let s = caches[0].stats
        #expect(s.hits > 0 && s.misses > 0)
    }

    @Test func concurrentThreadsPinAndWrite() async throws {
        let home = makeTempHome("threads")
        defer { removeTree(home) }
        let cacheBytes = 64 << 10
        let region = try Region.makePrivate(size: Region.size(cacheBytes: cacheBytes))
        let cache = try PageCache(region: region, cacheBytes: cacheBytes, spillDirectory: home)
        let f = try cache.openFile(path: home + "/t.db", pageSize: 4096, create: true, mode: .logged)
        for _ in 0..<64 { let n = try f.extend(); f.unpin(n, dirty: true) }
        // Each thread owns the pages n % 4 == t and counts in them.
        await withThrowingTaskGroup(of: Void.self) { group in
            for t in 0..<4 {
                group.addTask {
                    for round in 0..<50 {
                        for n in stride(from: PageNumber(t), to: 64, by: 4) {
                            let p = try f.pin(n, forWrite: true)
                            #expect(p.load(as: UInt64.self) == UInt64(round))
                            p.storeBytes(of: UInt64(round + 1), as: UInt64.self)
                            f.unpin(n, dirty: true)
                        }
                    }
                }
            }
        }
        for n in 0..<PageNumber(64) {
            #expect(try f.pin(n, forWrite: false).load(as: UInt64.self) == 50)
            f.unpin(n, dirty: false)
        }
        #expect(cache.checkInvariants() == nil)
    }
}
