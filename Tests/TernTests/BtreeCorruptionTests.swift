// Hostile input: files that are not Tern Btrees, and trees whose pages were
// overwritten with random bytes or had single bytes flipped. Every outcome
// must be a result or a DBError — never a crash, never a page left pinned.
import CBerkeleyDB
import Glibc
import Testing
@testable import TernEngine

@Suite struct BtreeCorruptionTests {
    func expectNotABtree(_ store: MemoryPageStore, _ what: String) {
        do throws(DBError) {
            _ = try Btree.open(store: store, name: "x.db")
            Issue.record("\(what): opened")
        } catch {
            #expect(error.code == EINVAL, "\(what)")
            #expect(error.message?.contains("x.db") == true, "\(what): \(error.message ?? "")")
        }
        #expect(store.outstandingPins == 0)
    }

    @Test func foreignFilesAreRejected() throws {
        // An empty (all-zero) meta page.
        let zero = MemoryPageStore()
        expectNotABtree(zero, "zero page")
        #expect(errorCode { () throws(DBError) in _ = try Btree.open(store: zero) } == EINVAL)
        // Random bytes.
        var rng = BtreeRandom(seed: 42)
        for _ in 0..<50 {
            let s = MemoryPageStore(pageSize: 1024)
            for i in 0..<1024 { s.raw(0).storeBytes(of: UInt8.random(in: 0...255, using: &rng), toByteOffset: i, as: UInt8.self) }
            expectNotABtree(s, "random")
        }
        // A libdb btree meta page: magic 0x053162 at offset 12, version 9.
        let bdb = MemoryPageStore()
        bdb.raw(0).storeBytes(of: UInt32(0x053162), toByteOffset: 12, as: UInt32.self)
        bdb.raw(0).storeBytes(of: UInt32(9), toByteOffset: 16, as: UInt32.self)
        bdb.raw(0).storeBytes(of: UInt32(4096), toByteOffset: 20, as: UInt32.self)
        bdb.raw(0).storeBytes(of: UInt8(9), toByteOffset: 25, as: UInt8.self)
        expectNotABtree(bdb, "libdb file")
        #expect((try? Btree.open(store: bdb, name: "x.db")) == nil)
        // A Tern Btree opened with another page size.
        let (store, _) = try makeTree(pageSize: 4096)
        let other = MemoryPageStore(pageSize: 8192)
        other.raw(0).copyMemory(from: store.raw(0), byteCount: 4096)
        expectNotABtree(other, "page size")
    }

    @Test func damagedMetaIsRejected() throws {
        let (store, _) = try makeTree()
        for offset in [0, 16, 24, 28, 32, 36, 40, 60, 124] {
            let saved = store.raw(0).load(fromByteOffset: offset, as: UInt8.self)
            store.raw(0).storeBytes(of: saved ^ 0x5A, toByteOffset: offset, as: UInt8.self)
            #expect(errorCode { () throws(DBError) in _ = try Btree.open(store: store) } == EINVAL, "offset \(offset)")
            store.raw(0).storeBytes(of: saved, toByteOffset: offset, as: UInt8.self)
        }
        _ = try Btree.open(store: store)
    }

    /// Runs a battery of operations, accepting any result or DBError.
    func exercise(_ tree: Btree, _ store: MemoryPageStore, _ rng: inout BtreeRandom) {
        for _ in 0..<20 {
            let k = bytes("key\(Int.random(in: 0..<600, using: &rng))")
            _ = errorCode { () throws(DBError) in _ = try tree.get(k) }
        }
        let c = tree.cursor()
        for op in [BtreeGetOp.first, .last] {
            _ = errorCode { () throws(DBError) in _ = try c.get(op) }
            for _ in 0..<300 { if errorCode({ () throws(DBError) in _ = try c.get(op == .first ? .next : .prev) }) != 0 { break } }
        }
        _ = errorCode { () throws(DBError) in _ = try c.get(.setRange, key: bytes("key3")) }
        _ = errorCode { () throws(DBError) in _ = try c.count() }
        _ = errorCode { () throws(DBError) in _ = try c.get(.setRecno(5)) }
        for i in 0..<10 {
            let k = bytes("key\(Int.random(in: 0..<600, using: &rng))")
            _ = errorCode { () throws(DBError) in try tree.put(k, bytes("new\(i)")) }
            _ = errorCode { () throws(DBError) in try tree.delete(bytes("key\(Int.random(in: 0..<600, using: &rng))")) }
        }
        _ = errorCode { () throws(DBError) in try c.delete() }
        _ = errorCode { () throws(DBError) in _ = try tree.verify() }
        #expect(store.outstandingPins == 0)
    }

    func build(_ flags: BtreeFlags) throws -> (MemoryPageStore, Btree, [UInt8]) {
        let (store, tree) = try makeTree(pageSize: 512, BtreeOptions(flags: flags))
        for i in 0..<600 {
            let data = i % 50 == 0 ? [UInt8](repeating: UInt8(i % 256), count: 1500) : bytes("value\(i)")
            try tree.put(bytes("key\(i)"), data)
        }
        // Snapshot all pages so each experiment starts from the intact tree.
        var image: [UInt8] = []
        for p in 0...store.lastPage {
            image.append(contentsOf: UnsafeRawBufferPointer(start: store.raw(p), count: 512))
        }
        return (store, tree, image)
    }

    func restore(_ store: MemoryPageStore, _ image: [UInt8]) {
        let n = image.count / 512
        for p in 0..<n {
            image.withUnsafeBytes { store.raw(PageNumber(p)).copyMemory(from: $0.baseAddress! + p * 512, byteCount: 512) }
        }
    }

    @Test(arguments: [BtreeFlags(), .recnum, .dupSort, .dup])
    func randomPagesNeverCrash(flags: BtreeFlags) throws {
        var rng = BtreeRandom(seed: UInt64(flags.rawValue) &+ 100)
        let (store, _, image) = try build(flags)
        let pages = image.count / 512
        for round in 0..<150 {
            // Fresh tree over the pristine image (the previous round's writes
            // may have extended the file; extra pages are harmless).
            restore(store, image)
            let tree = try Btree.open(store: store, options: BtreeOptions(flags: flags))
            let victim = PageNumber(Int.random(in: 1..<pages, using: &rng))
            let raw = store.raw(victim)
            if round % 2 == 0 {
                for i in 0..<512 { raw.storeBytes(of: UInt8.random(in: 0...255, using: &rng), toByteOffset: i, as: UInt8.self) }
            } else {
                // Subtle damage: a few bytes of the header, slots or items.
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    let at = Int.random(in: 0..<(Bool.random(using: &rng) ? 64 : 512), using: &rng)
                    raw.storeBytes(of: UInt8.random(in: 0...255, using: &rng), toByteOffset: at, as: UInt8.self)
                }
            }
            exercise(tree, store, &rng)
        }
    }

    @Test func corruptPageReportsDBError() throws {
        let (store, tree, _) = try build([])
        // Point the root's first slot past the end of the page.
        let root = store.raw(tree.root)
        root.storeBytes(of: UInt16(600).littleEndian, toByteOffset: 32, as: UInt16.self)
        do throws(DBError) {
            _ = try tree.cursor().get(.first)
            Issue.record("read a corrupt page")
        } catch {
            #expect(error.code == DB_RUNRECOVERY)
            #expect(error.message?.contains("illegal page type or format") == true)
        }
        #expect(store.outstandingPins == 0)
    }
}
