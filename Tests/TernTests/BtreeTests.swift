// Btree unit tests: file format, basic operations, overflow items, page
// reuse, comparators, and corrupt input.
import CBerkeleyDB
import Glibc
import Testing
@testable import TernEngine

@Suite struct BtreeTests {
    @Test func createThenOpenKeepsData() throws {
        let (store, tree) = try makeTree()
        try tree.put(bytes("alpha"), bytes("1"))
        try tree.put(bytes("beta"), bytes("2"))
        let again = try Btree.open(store: store)
        #expect(try again.get(bytes("alpha")) == bytes("1"))
        #expect(try again.get(bytes("beta")) == bytes("2"))
        #expect(errorCode { () throws(DBError) in _ = try again.get(bytes("gamma")) } == DB_NOTFOUND)
        #expect(store.outstandingPins == 0)
    }

    @Test func flagsAreFixedAtCreation() throws {
        let (store, _) = try makeTree(BtreeOptions(flags: [.dupSort]))
        let t = try Btree.open(store: store, options: BtreeOptions(flags: []))
        #expect(t.flags == [.dup, .dupSort])
        #expect(errorCode { () throws(DBError) in _ = try Btree.create(store: MemoryPageStore(), options: BtreeOptions(flags: [.dup, .recnum])) } == EINVAL)
    }

    @Test func putOverwritesAndNoOverwriteReportsKeyExist() throws {
        let (store, tree) = try makeTree()
        try tree.put(bytes("k"), bytes("v1"))
        try tree.put(bytes("k"), bytes("v2"))
        #expect(try tree.get(bytes("k")) == bytes("v2"))
        #expect(errorCode { () throws(DBError) in try tree.put(bytes("k"), bytes("v3"), flags: .noOverwrite) } == DB_KEYEXIST)
        #expect(try tree.get(bytes("k")) == bytes("v2"))
        try tree.put(bytes("k2"), bytes("x"), flags: .noOverwrite)
        #expect(try tree.get(bytes("k2")) == bytes("x"))
        #expect(errorCode { () throws(DBError) in try tree.put(bytes("k"), bytes("v"), flags: .noDupData) } == EINVAL)
        #expect(store.outstandingPins == 0)
    }

    @Test func deleteRemovesAndReportsNotFound() throws {
        let (_, tree) = try makeTree()
        try tree.put(bytes("a"), bytes("1"))
        try tree.delete(bytes("a"))
        #expect(errorCode { () throws(DBError) in _ = try tree.get(bytes("a")) } == DB_NOTFOUND)
        #expect(errorCode { () throws(DBError) in try tree.delete(bytes("a")) } == DB_NOTFOUND)
    }

    @Test func emptyKeyAndDataAreLegal() throws {
        let (_, tree) = try makeTree()
        try tree.put([], [])
        try tree.put([0], [])
        #expect(try tree.get([]) == [])
        let c = tree.cursor()
        #expect(try c.get(.first).key == [])
        #expect(try c.get(.next).key == [0])
    }

    @Test func manyKeysSplitAndStayOrdered() throws {
        let (store, tree) = try makeTree(pageSize: 512)
        var rng = BtreeRandom(seed: 7)
        var keys = Set<Int>()
        for _ in 0..<3000 {
            let k = Int.random(in: 0..<100_000, using: &rng)
            keys.insert(k)
            try tree.put(bytes("key\(k)"), bytes("data\(k)"))
        }
        let stats = try tree.verify()
        #expect(stats.entries == keys.count)
        #expect(stats.depth >= 3)
        for k in keys { #expect(try tree.get(bytes("key\(k)")) == bytes("data\(k)")) }
        // Cursor order is byte order.
        let c = tree.cursor()
        var seen: [[UInt8]] = []
        while let (k, _) = try? c.get(.next) { seen.append(k) }
        #expect(seen == keys.map { bytes("key\($0)") }.sorted { lexCompare($0, $1) < 0 })
        #expect(store.outstandingPins == 0)
    }

    @Test func sequentialInsertFillsPages() throws {
        let (_, tree) = try makeTree(pageSize: 4096)
        for i in 0..<20_000 {
            var k = UInt32(i).bigEndian
            try withUnsafeBytes(of: &k) { kb in
                try [UInt8](repeating: 1, count: 8).withUnsafeBytes { try tree.put(key: kb, data: $0) }
            }
        }
        let s = try tree.verify()
        #expect(s.entries == 20_000)
        // ~22 bytes per entry: an append-split tree packs ~180 per leaf.
        #expect(s.leafPages < 150)
    }

    @Test func setRangeFindsLowerBound() throws {
        let (_, tree) = try makeTree()
        for k in ["b", "d", "f"] { try tree.put(bytes(k), bytes(k.uppercased())) }
        let c = tree.cursor()
        #expect(try c.get(.setRange, key: bytes("c")) == (bytes("d"), bytes("D")))
        #expect(try c.get(.setRange, key: bytes("d")).key == bytes("d"))
        #expect(try c.get(.setRange, key: bytes("")).key == bytes("b"))
        #expect(errorCode { () throws(DBError) in try c.get(.setRange, key: bytes("g")) } == DB_NOTFOUND)
        // A failed search leaves the cursor where it was.
        #expect(try c.get(.current).key == bytes("b"))
    }

    @Test func customComparatorOrdersKeys() throws {
        // Reverse byte order.
        let opts = BtreeOptions(compare: { a, b in -defaultCompare(a, b) })
        let (store, tree) = try makeTree(pageSize: 512, opts)
        for i in 0..<500 { try tree.put(bytes(String(format5(i))), bytes("\(i)")) }
        _ = try tree.verify()
        let c = tree.cursor()
        #expect(try c.get(.first).key == bytes(format5(499)))
        #expect(try c.get(.last).key == bytes(format5(0)))
        // Reopen with the same comparator.
        let t2 = try Btree.open(store: store, options: opts)
        #expect(try t2.get(bytes(format5(123))) == bytes("123"))
    }

    @Test func overflowValuesRoundTrip() throws {
        let (store, tree) = try makeTree(pageSize: 512)
        var rng = BtreeRandom(seed: 3)
        var model: [[UInt8]: [UInt8]] = [:]
        for i in 0..<200 {
            let size = [0, 10, 237, 238, 239, 500, 5000, 20_000].randomElement(using: &rng)!
            let v = (0..<size).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let k = i % 3 == 0 ? [UInt8](repeating: UInt8(i % 251), count: 600) + bytes("\(i)") : bytes("k\(i % 50)")
            try tree.put(k, v)
            model[k] = v
        }
        for (k, v) in model { #expect(try tree.get(k) == v) }
        _ = try tree.verify()
        // Partial reads straight out of the chain.
        let big = [UInt8]((0..<30_000).map { UInt8($0 % 256) })
        try tree.put(bytes("big"), big)
        let part = try bytes("big").withUnsafeBytes { kb in
            try tree.get(kb) { (v) throws(DBError) -> [UInt8] in
                var out = [UInt8](repeating: 0, count: 100)
                var err: DBError?
                out.withUnsafeMutableBytes { d in
                    do throws(DBError) { try v.copy(into: d, from: 12_345) } catch { err = error }
                }
                if let err { throw err }
                return out
            }
        }
        #expect(part == Array(big[12_345..<12_445]))
        for k in model.keys { try tree.delete(k) }
        try tree.delete(bytes("big"))
        let s = try tree.verify()
        #expect(s.entries == 0 && s.overflowPages == 0)
        #expect(store.outstandingPins == 0)
    }

    @Test func hundredMegabyteValue() throws {
        let (store, tree) = try makeTree(pageSize: 65536)
        let size = 100 * 1024 * 1024
        var value = [UInt8](repeating: 0, count: size)
        for i in stride(from: 0, to: size, by: 4096) { value[i] = UInt8(truncatingIfNeeded: i / 4096 &* 31 &+ 7) }
        value[size - 1] = 0xAB
        try tree.put(bytes("huge"), value)
        let back = try tree.get(bytes("huge"))
        #expect(back.count == size)
        #expect(back == value)
        let pagesAfterPut = store.lastPage
        try tree.delete(bytes("huge"))
        // The chain went to the free list and is reused for the next one.
        try tree.put(bytes("huge2"), value)
        #expect(store.lastPage == pagesAfterPut)
        #expect(store.outstandingPins == 0)
    }

    @Test func fillAndEmptyCyclesReusePages() throws {
        for flags: BtreeFlags in [[], [.recnum], [.dupSort], [.dup]] {
            let (store, tree) = try makeTree(pageSize: 512, BtreeOptions(flags: flags))
            var high: PageNumber = 0
            for cycle in 0..<5 {
                for i in 0..<1500 {
                    let data = i % 97 == 0 ? [UInt8](repeating: 9, count: 700) : bytes("d\(i)")
                    try tree.put(bytes("key\(i % 700)-\(cycle)"), data)
                }
                _ = try tree.verify()
                for i in 0..<700 { try? tree.delete(bytes("key\(i)-\(cycle)")) }
                let s = try tree.verify()
                #expect(s.entries == 0)
                #expect(s.leafPages == 1 && s.internalPages == 0)
                if cycle == 1 { high = store.lastPage }
                if cycle > 1 { #expect(store.lastPage == high, "file grew in cycle \(cycle) with \(flags)") }
            }
        }
    }

    @Test func revSplitOffKeepsEmptyLeavesButWorks() throws {
        let (_, tree) = try makeTree(pageSize: 512, BtreeOptions(flags: .revSplitOff))
        for i in 0..<2000 { try tree.put(bytes(format5(i)), bytes("v")) }
        for i in 0..<1990 { try tree.delete(bytes(format5(i))) }
        let s = try tree.verify()
        #expect(s.entries == 10)
        #expect(s.leafPages > 1)
        let c = tree.cursor()
        #expect(try c.get(.first).key == bytes(format5(1990)))
        #expect(try c.get(.last).key == bytes(format5(1999)))
        #expect(try c.get(.setRange, key: bytes(format5(5))).key == bytes(format5(1990)))
        #expect(errorCode { () throws(DBError) in try c.get(.prev) } == DB_NOTFOUND)
        _ = try c.get(.last)
        #expect(try c.get(.prev).key == bytes(format5(1998)))
    }
}

func format5(_ i: Int) -> String {
    let s = String(i)
    return String(repeating: "0", count: max(0, 5 - s.count)) + s
}

@Suite struct BtreeCreateTests {
    @Test func createRefusesAFormattedStore() throws {
        let (store, tree) = try makeTree()
        try tree.put(bytes("a"), bytes("1"))
        #expect(!(try Btree.isFresh(store)))
        #expect(errorCode { () throws(DBError) in _ = try Btree.create(store: store) } == EEXIST)
        #expect(try Btree.open(store: store).get(bytes("a")) == bytes("1"))
        #expect(try Btree.isFresh(MemoryPageStore()))
        #expect(errorCode { () throws(DBError) in _ = try Btree.create(store: MemoryPageStore(pageSize: 1000)) } == EINVAL)
    }
}

@Suite struct BtreePageSizeTests {
    @Test(arguments: [512, 1024, 8192, 65536])
    func everyPageSizeWorks(pageSize: Int) throws {
        let (store, tree) = try makeTree(pageSize: pageSize, BtreeOptions(flags: .recnum))
        var rng = BtreeRandom(seed: UInt64(pageSize))
        let n = 6000
        for i in (0..<n).shuffled(using: &rng) {
            let data = [UInt8](repeating: UInt8(i & 0xff), count: i % 7 == 0 ? pageSize / 3 : 20)
            try tree.put(bytes("key\(format5(i))"), data)
        }
        let s = try tree.verify()
        #expect(s.entries == n)
        #expect(try tree.cursor().get(.setRecno(4321)).key == bytes("key04320"))
        for i in stride(from: 0, to: n, by: 2) { try tree.delete(bytes("key\(format5(i))")) }
        #expect(try tree.verify().entries == n / 2)
        #expect(try tree.get(bytes("key00007")).count == pageSize / 3)
        #expect(store.outstandingPins == 0)
    }
}
