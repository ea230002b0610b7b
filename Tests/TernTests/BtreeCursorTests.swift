// Btree cursor semantics, checked against libdb 5.3.28's behaviour:
// uninitialised cursors, deleted positions (DB_KEYEMPTY, next/prev from the
// deleted slot), duplicates sorted and unsorted, record numbers.
import CBerkeleyDB
import Glibc
import Testing
@testable import TernEngine

@Suite struct BtreeCursorTests {
    func abc(_ flags: BtreeFlags = []) throws -> Btree {
        let (_, tree) = try makeTree(BtreeOptions(flags: flags))
        for k in ["a", "b", "c"] { try tree.put(bytes(k), bytes(k + "1")) }
        return tree
    }

    @Test func freshCursor() throws {
        let tree = try abc()
        #expect(try tree.cursor().get(.next).key == bytes("a"))
        #expect(try tree.cursor().get(.prev).key == bytes("c"))
        #expect(try tree.cursor().get(.nextNoDup).key == bytes("a"))
        #expect(try tree.cursor().get(.prevNoDup).key == bytes("c"))
        #expect(errorCode { () throws(DBError) in _ = try tree.cursor().get(.current) } == EINVAL)
        #expect(errorCode { () throws(DBError) in _ = try tree.cursor().get(.nextDup) } == EINVAL)
        #expect(errorCode { () throws(DBError) in _ = try tree.cursor().get(.prevDup) } == EINVAL)
        #expect(errorCode { () throws(DBError) in _ = try tree.cursor().delete() } == EINVAL)
        #expect(errorCode { () throws(DBError) in _ = try tree.cursor().put(key: nil, data: [], .current) } == EINVAL)
        #expect(errorCode { () throws(DBError) in _ = try tree.cursor().count() } == EINVAL)
        let (_, empty) = try makeTree()
        #expect(errorCode { () throws(DBError) in try empty.cursor().get(.first) } == DB_NOTFOUND)
        #expect(errorCode { () throws(DBError) in try empty.cursor().get(.next) } == DB_NOTFOUND)
        #expect(errorCode { () throws(DBError) in try empty.cursor().get(.last) } == DB_NOTFOUND)
    }

    @Test func walkForwardAndBack() throws {
        let tree = try abc()
        let c = tree.cursor()
        #expect(try c.get(.first) == (bytes("a"), bytes("a1")))
        #expect(try c.get(.next).key == bytes("b"))
        #expect(try c.get(.next).key == bytes("c"))
        #expect(errorCode { () throws(DBError) in try c.get(.next) } == DB_NOTFOUND)
        #expect(try c.get(.current).key == bytes("c"))   // unchanged by the failure
        #expect(try c.get(.prev).key == bytes("b"))
        #expect(errorCode { () throws(DBError) in try c.get(.nextDup) } == DB_NOTFOUND)
        #expect(try c.count() == 1)
    }

    @Test func deletedPosition() throws {
        let tree = try abc()
        let c = tree.cursor()
        try c.get(.set, key: bytes("b"))
        try c.delete()
        #expect(errorCode { () throws(DBError) in try c.get(.current) } == DB_KEYEMPTY)
        #expect(errorCode { () throws(DBError) in try c.delete() } == DB_KEYEMPTY)
        #expect(errorCode { () throws(DBError) in try c.put(key: nil, data: bytes("x"), .current) } == DB_NOTFOUND)
        let d = c.duplicate()
        #expect(try c.get(.next).key == bytes("c"))
        #expect(try d.get(.prev).key == bytes("a"))
        #expect(errorCode { () throws(DBError) in _ = try tree.get(bytes("b")) } == DB_NOTFOUND)
    }

    @Test func otherCursorsSeeADeletion() throws {
        let tree = try abc()
        let c1 = tree.cursor(), c2 = tree.cursor()
        try c1.get(.set, key: bytes("b"))
        try c2.get(.set, key: bytes("b"))
        try c1.delete()
        #expect(errorCode { () throws(DBError) in try c2.get(.current) } == DB_KEYEMPTY)
        #expect(try c2.get(.next).key == bytes("c"))
        // Deleting through DB->del, too.
        let c3 = tree.cursor()
        try c3.get(.set, key: bytes("a"))
        try tree.delete(bytes("a"))
        #expect(errorCode { () throws(DBError) in try c3.get(.current) } == DB_KEYEMPTY)
        #expect(errorCode { () throws(DBError) in try c3.get(.prev) } == DB_NOTFOUND)
        #expect(try c3.get(.next).key == bytes("c"))
    }

    @Test func cursorSurvivesSplitsAndMerges() throws {
        let (_, tree) = try makeTree(pageSize: 512)
        try tree.put(bytes("m"), bytes("middle"))
        let c = tree.cursor()
        try c.get(.set, key: bytes("m"))
        for i in 0..<2000 { try tree.put(bytes("k\(format5(i))"), bytes("\(i)")) }
        #expect(try c.get(.current) == (bytes("m"), bytes("middle")))
        #expect(try c.get(.prev).key == bytes("k01999"))
        #expect(try c.get(.next).key == bytes("m"))
        for i in 0..<2000 { try tree.delete(bytes("k\(format5(i))")) }
        #expect(try c.get(.current).key == bytes("m"))
        #expect(errorCode { () throws(DBError) in try c.get(.prev) } == DB_NOTFOUND)
        _ = try tree.verify()
    }

    @Test func cursorPutPlain() throws {
        let tree = try abc()
        let c = tree.cursor()
        try c.put(key: bytes("bb"), data: bytes("new"), .keyLast)
        #expect(try c.get(.current) == (bytes("bb"), bytes("new")))
        #expect(try c.get(.next).key == bytes("c"))
        try c.put(key: nil, data: bytes("c2"), .current)
        #expect(try tree.get(bytes("c")) == bytes("c2"))
        try c.put(key: bytes("a"), data: bytes("a2"), .keyFirst)   // overwrite
        #expect(try tree.get(bytes("a")) == bytes("a2"))
        #expect(errorCode { () throws(DBError) in try c.put(key: nil, data: [], .after) } == EINVAL)
        #expect(errorCode { () throws(DBError) in try c.put(key: bytes("a"), data: [], .noDupData) } == EINVAL)
    }

    @Test func sortedDuplicates() throws {
        let (_, tree) = try makeTree(BtreeOptions(flags: .dupSort))
        for d in ["3", "1", "2"] { try tree.put(bytes("k"), bytes(d)) }
        try tree.put(bytes("j"), bytes("x"))
        try tree.put(bytes("l"), bytes("y"))
        #expect(errorCode { () throws(DBError) in try tree.put(bytes("k"), bytes("2")) } == DB_KEYEXIST)
        #expect(errorCode { () throws(DBError) in try tree.put(bytes("k"), bytes("2"), flags: .noDupData) } == DB_KEYEXIST)
        #expect(errorCode { () throws(DBError) in try tree.put(bytes("k"), bytes("9"), flags: .noOverwrite) } == DB_KEYEXIST)
        #expect(try tree.get(bytes("k")) == bytes("1"))
        let c = tree.cursor()
        try c.get(.set, key: bytes("k"))
        #expect(try c.count() == 3)
        #expect(try c.get(.nextDup).data == bytes("2"))
        #expect(try c.get(.nextDup).data == bytes("3"))
        #expect(errorCode { () throws(DBError) in try c.get(.nextDup) } == DB_NOTFOUND)
        #expect(try c.get(.prevDup).data == bytes("2"))
        #expect(try c.get(.nextNoDup).key == bytes("l"))
        #expect(try c.get(.prevNoDup) == (bytes("k"), bytes("3")))
        #expect(try c.get(.prevNoDup).key == bytes("j"))
        #expect(try c.get(.getBoth, key: bytes("k"), data: bytes("2")).data == bytes("2"))
        #expect(errorCode { () throws(DBError) in try c.get(.getBoth, key: bytes("k"), data: bytes("25")) } == DB_NOTFOUND)
        #expect(try c.get(.getBothRange, key: bytes("k"), data: bytes("25")).data == bytes("3"))
        #expect(errorCode { () throws(DBError) in try c.get(.getBothRange, key: bytes("k"), data: bytes("4")) } == DB_NOTFOUND)
        // DB_CURRENT may not change the sort position.
        try c.get(.getBoth, key: bytes("k"), data: bytes("2"))
        #expect(errorCode { () throws(DBError) in try c.put(key: nil, data: bytes("7"), .current) } == EINVAL)
        try c.put(key: nil, data: bytes("2"), .current)
        #expect(errorCode { () throws(DBError) in try c.put(key: nil, data: [], .before) } == EINVAL)
        #expect(errorCode { () throws(DBError) in try c.put(key: bytes("k"), data: bytes("1"), .noDupData) } == DB_KEYEXIST)
        try c.put(key: bytes("k"), data: bytes("0"), .keyLast)   // sorted regardless
        #expect(try c.get(.current).data == bytes("0"))
        #expect(try c.get(.prev).key == bytes("j"))
        try tree.delete(bytes("k"))
        #expect(errorCode { () throws(DBError) in _ = try tree.get(bytes("k")) } == DB_NOTFOUND)
        _ = try tree.verify()
    }

    @Test func sortedDuplicatesWithCustomComparator() throws {
        let (_, tree) = try makeTree(BtreeOptions(flags: .dupSort, dupCompare: { a, b in -defaultCompare(a, b) }))
        for d in ["1", "3", "2"] { try tree.put(bytes("k"), bytes(d)) }
        let c = tree.cursor()
        var out: [[UInt8]] = []
        while let (_, d) = try? c.get(.next) { out.append(d) }
        #expect(out == [bytes("3"), bytes("2"), bytes("1")])
    }

    @Test func unsortedDuplicatesPositionalPuts() throws {
        let (_, tree) = try makeTree(BtreeOptions(flags: .dup))
        try tree.put(bytes("k"), bytes("b"))
        try tree.put(bytes("k"), bytes("d"))            // appended
        let c = tree.cursor()
        try c.put(key: bytes("k"), data: bytes("a"), .keyFirst)
        #expect(try c.get(.current).data == bytes("a"))
        try c.put(key: bytes("k"), data: bytes("e"), .keyLast)
        try c.get(.getBoth, key: bytes("k"), data: bytes("d"))
        try c.put(key: nil, data: bytes("c"), .before)
        #expect(try c.get(.current).data == bytes("c"))
        try c.get(.getBoth, key: bytes("k"), data: bytes("e"))
        try c.put(key: nil, data: bytes("f"), .after)
        try c.put(key: nil, data: bytes("x"), .current)
        func all() throws -> [[UInt8]] {
            let w = tree.cursor()
            var out: [[UInt8]] = []
            while let (_, d) = try? w.get(.next) { out.append(d) }
            return out
        }
        #expect(try all() == ["a", "b", "c", "d", "e", "x"].map(bytes))
        #expect(errorCode { () throws(DBError) in try c.put(key: bytes("k"), data: bytes("a"), .noDupData) } == EINVAL)
        // A duplicate duplicate is allowed in unsorted sets.
        try tree.put(bytes("k"), bytes("a"))
        #expect(try all().count == 7)
        // BEFORE/AFTER from a deleted position insert where it was.
        try c.get(.getBoth, key: bytes("k"), data: bytes("c"))
        try c.delete()
        try c.put(key: nil, data: bytes("c2"), .after)
        #expect(try all() == ["a", "b", "c2", "d", "e", "x", "a"].map(bytes))
        _ = try tree.verify()
    }

    @Test func repeatedInsertsAtOneSpot() throws {
        let (_, tree) = try makeTree(pageSize: 512, BtreeOptions(flags: .dup))
        try tree.put(bytes("k"), bytes("first"))
        try tree.put(bytes("k"), bytes("last"))
        let c = tree.cursor()
        try c.get(.set, key: bytes("k"))
        for i in 0..<600 { try c.put(key: nil, data: bytes("a\(i)"), .after) }   // chain forward
        try c.get(.getBoth, key: bytes("k"), data: bytes("last"))
        for i in 0..<600 { try c.put(key: nil, data: bytes("b\(i)"), .before) }  // chain backward
        let w = tree.cursor()
        var out: [String] = []
        while let (_, d) = try? w.get(.next) { out.append(String(decoding: d, as: UTF8.self)) }
        let expected = ["first"] + (0..<600).map { "a\($0)" } + (0..<600).reversed().map { "b\($0)" } + ["last"]
        #expect(out == expected)
        _ = try tree.verify()
    }

    @Test func largeDuplicateSetSpansPages() throws {
        for flags: BtreeFlags in [.dup, .dupSort] {
            let (store, tree) = try makeTree(pageSize: 512, BtreeOptions(flags: flags))
            try tree.put(bytes("a"), bytes("before"))
            try tree.put(bytes("z"), bytes("after"))
            for i in 0..<3000 { try tree.put(bytes("dupkey"), bytes(format5(i))) }
            let c = tree.cursor()
            try c.get(.set, key: bytes("dupkey"))
            #expect(try c.count() == 3000)
            var n = 1
            while (try? c.get(.nextDup)) != nil { n += 1 }
            #expect(n == 3000)
            #expect(try c.get(.current).data == bytes(format5(2999)))
            #expect(try c.get(.nextNoDup).key == bytes("z"))
            #expect(try c.get(.prevNoDup).data == bytes(format5(2999)))
            #expect(try c.get(.prevNoDup).key == bytes("a"))
            try c.get(.getBoth, key: bytes("dupkey"), data: bytes(format5(1234)))
            #expect(try c.get(.prevDup).data == bytes(format5(1233)))
            _ = try tree.verify()
            try tree.delete(bytes("dupkey"))
            let s = try tree.verify()
            #expect(s.entries == 2)
            #expect(store.outstandingPins == 0)
        }
    }

    @Test func recordNumbers() throws {
        let (_, tree) = try makeTree(pageSize: 512, BtreeOptions(flags: .recnum))
        for i in 0..<3000 { try tree.put(bytes(format5(i * 2)), bytes("\(i)")) }
        let c = tree.cursor()
        #expect(try c.get(.setRecno(1)).key == bytes(format5(0)))
        #expect(try c.get(.setRecno(1500)).key == bytes(format5(2998)))
        #expect(try c.recordNumber() == 1500)
        #expect(try c.get(.setRecno(3000)).key == bytes(format5(5998)))
        #expect(errorCode { () throws(DBError) in try c.get(.setRecno(3001)) } == DB_NOTFOUND)
        #expect(errorCode { () throws(DBError) in try c.get(.setRecno(0)) } == EINVAL)
        try tree.put(bytes(format5(1)), bytes("odd"))
        try c.get(.set, key: bytes(format5(4)))
        #expect(try c.recordNumber() == 4)
        try tree.delete(bytes(format5(0)))
        #expect(try c.recordNumber() == 3)
        try c.delete()
        // libdb: a deleted entry has no record number (DB_NOTFOUND).
        #expect(errorCode { () throws(DBError) in _ = try c.recordNumber() } == DB_NOTFOUND)
        #expect(errorCode { () throws(DBError) in _ = try tree.cursor().recordNumber() } == EINVAL)
        _ = try tree.verify()
        let (_, plain) = try makeTree()
        #expect(errorCode { () throws(DBError) in try plain.cursor().get(.setRecno(1)) } == EINVAL)
    }
}

extension BtreeCursorTests {
    /// libdb keeps a deleted item on its page while a cursor refers to it; a
    /// put of the same entry reuses the slot and un-deletes the cursor.
    @Test func deletedEntryWrittenAgainIsCurrentAgain() throws {
        let tree = try abc()
        let c = tree.cursor()
        try c.get(.set, key: bytes("b"))
        try c.delete()
        #expect(errorCode { () throws(DBError) in try c.get(.current) } == DB_KEYEMPTY)
        try tree.put(bytes("b"), bytes("b2"))
        #expect(try c.get(.current) == (bytes("b"), bytes("b2")))
        try c.delete()   // live again, so deletable again
        #expect(errorCode { () throws(DBError) in _ = try tree.get(bytes("b")) } == DB_NOTFOUND)

        // Sorted duplicates: the same pair comes back; another one does not.
        let (_, sorted) = try makeTree(BtreeOptions(flags: .dupSort))
        for d in ["1", "2", "3"] { try sorted.put(bytes("k"), bytes(d)) }
        let s = sorted.cursor()
        try s.get(.getBoth, key: bytes("k"), data: bytes("2"))
        try s.delete()
        try sorted.put(bytes("k"), bytes("25"))
        #expect(errorCode { () throws(DBError) in try s.get(.current) } == DB_KEYEMPTY)
        try sorted.put(bytes("k"), bytes("2"))
        #expect(try s.get(.current).data == bytes("2"))

        // Unsorted duplicates: a re-added duplicate is a new one.
        let (_, unsorted) = try makeTree(BtreeOptions(flags: .dup))
        for d in ["1", "2"] { try unsorted.put(bytes("k"), bytes(d)) }
        let u = unsorted.cursor()
        try u.get(.getBoth, key: bytes("k"), data: bytes("2"))
        try u.delete()
        try unsorted.put(bytes("k"), bytes("2"))
        #expect(errorCode { () throws(DBError) in try u.get(.current) } == DB_KEYEMPTY)
    }

    /// Unsorted duplicates: another cursor's delete marks a cursor deleted at
    /// once, and new duplicates sort around the deleted position as libdb
    /// places them (appended after it, prepended before it, a positional
    /// put right next to the putting cursor), never taking its token.
    @Test func deletedUnsortedDuplicateKeepsItsSlot() throws {
        let (_, tree) = try makeTree(BtreeOptions(flags: .dup))
        for d in ["a", "b"] { try tree.put(bytes("k"), bytes(d)) }
        let c = tree.cursor(), c2 = tree.cursor()
        try c.get(.getBoth, key: bytes("k"), data: bytes("b"))
        try c2.get(.getBoth, key: bytes("k"), data: bytes("b"))
        try c2.delete()
        try tree.put(bytes("k"), bytes("c"))            // appended after b's slot
        #expect(errorCode { () throws(DBError) in try c.get(.current) } == DB_KEYEMPTY)
        #expect(try c.get(.next).data == bytes("c"))
        // c2 still holds b's slot: a positional put after "a" lands before it.
        let w = tree.cursor()
        try w.get(.getBoth, key: bytes("k"), data: bytes("a"))
        try w.put(key: nil, data: bytes("a2"), .after)
        #expect(try c2.get(.prev).data == bytes("a2"))
        var out: [[UInt8]] = []
        let scan = tree.cursor()
        while let (_, d) = try? scan.get(.next) { out.append(d) }
        #expect(out == ["a", "a2", "c"].map(bytes))
    }

    /// A failure inside the caller's closure (DB_BUFFER_SMALL) leaves the
    /// cursor where it was.
    @Test func failedDeliveryKeepsPosition() throws {
        let tree = try abc()
        let c = tree.cursor()
        try c.get(.set, key: bytes("a"))
        #expect(errorCode { () throws(DBError) in
            try c.get(.next) { (_, _) throws(DBError) in throw DBError(DB_BUFFER_SMALL) }
        } == DB_BUFFER_SMALL)
        #expect(try c.get(.current).key == bytes("a"))
        let fresh = tree.cursor()
        #expect(errorCode { () throws(DBError) in
            try fresh.get(.first) { (_, _) throws(DBError) in throw DBError(DB_BUFFER_SMALL) }
        } == DB_BUFFER_SMALL)
        #expect(!fresh.isInitialized)
    }

    /// DB_NEXT/DB_PREV step within a page from the hint without re-finding
    /// the key: the step must agree with a full search after every kind of
    /// change between steps (inserts and deletes on the cursor's page, by
    /// the tree or another cursor, and the cursor's own deleted slot), and
    /// a failed delivery on that path must not move the cursor.
    @Test func sameLeafStepsAgreeWithSearch() throws {
        for forward in [true, false] { try sameLeafSteps(forward: forward) }
    }

    func sameLeafSteps(forward: Bool) throws {
        let (_, tree) = try makeTree()
        var model = Set<String>()
        for i in stride(from: 0, to: 400, by: 2) {
            let k = "k" + format5(i)
            try tree.put(bytes(k), bytes("v" + k))
            model.insert(k)
        }
        let c = tree.cursor()
        let first = try c.get(forward ? .first : .last)
        var k = String(decoding: first.key, as: UTF8.self)
        var step = 0
        while true {
            step += 1
            // Changes between steps, on the cursor's page and around it.
            let near = Int(k.dropFirst())!
            if step % 7 == 0 {
                let added = "k" + format5(near + (forward ? 1 : -1))
                try tree.put(bytes(added), bytes("odd"))
                model.insert(added)
            }
            if step % 11 == 0 {
                let victim = "k" + format5(near + (forward ? 4 : -4))
                if model.remove(victim) != nil { try tree.delete(bytes(victim)) }
            }
            if step % 13 == 0 {
                let code = errorCode { () throws(DBError) in
                    try c.get(forward ? .next : .prev) { (_, _) throws(DBError) in throw DBError(DB_BUFFER_SMALL) }
                }
                #expect(code == DB_BUFFER_SMALL)
                #expect(try c.get(.current).key == bytes(k))
            }
            if step % 17 == 0 {
                try c.delete()
                model.remove(k)
            }
            let expected = forward ? model.filter { $0 > k }.min() : model.filter { $0 < k }.max()
            guard let r = try? c.get(forward ? .next : .prev) else {
                #expect(expected == nil)
                break
            }
            k = String(decoding: r.key, as: UTF8.self)
            #expect(k == expected)
        }
        #expect(step > 150)
    }

    @Test func overwriteDup() throws {
        // Sorted: an equal pair is replaced (here, under a case-insensitive
        // duplicate comparator, by the new spelling); a new one is inserted.
        let nocase: BtreeCompare = { a, b in Int32(lexCompare(a.map { $0 | 0x20 }, b.map { $0 | 0x20 })) }
        let (_, sorted) = try makeTree(BtreeOptions(flags: .dupSort, dupCompare: nocase))
        try sorted.put(bytes("k"), bytes("x"))
        let c = sorted.cursor()
        try c.put(key: bytes("k"), data: bytes("X"), .overwriteDup)
        #expect(try c.get(.current).data == bytes("X"))
        try c.put(key: bytes("k"), data: bytes("y"), .overwriteDup)
        #expect(try c.count() == 2)
        #expect(errorCode { () throws(DBError) in try c.put(key: bytes("k"), data: bytes("Y"), .keyLast) } == DB_KEYEXIST)
        // Unsorted: appended like DB_KEYLAST.
        let (_, unsorted) = try makeTree(BtreeOptions(flags: .dup))
        try unsorted.put(bytes("k"), bytes("a"))
        let u = unsorted.cursor()
        try u.put(key: bytes("k"), data: bytes("a"), .overwriteDup)
        #expect(try u.count() == 2)
        #expect(try u.get(.prevDup).data == bytes("a"))
        // Plain: overwrite.
        let plain = try abc()
        try plain.cursor().put(key: bytes("b"), data: bytes("B"), .overwriteDup)
        #expect(try plain.get(bytes("b")) == bytes("B"))
    }

    /// An overwrite under a custom key comparator keeps the stored key's
    /// spelling, as libdb replaces only the data.
    @Test func overwriteKeepsStoredKey() throws {
        let nocase: BtreeCompare = { a, b in Int32(lexCompare(a.map { $0 | 0x20 }, b.map { $0 | 0x20 })) }
        let (_, tree) = try makeTree(BtreeOptions(compare: nocase))
        try tree.put(bytes("Apple"), bytes("1"))
        try tree.put(bytes("apple"), bytes("2"))
        let c = tree.cursor()
        #expect(try c.get(.first) == (bytes("Apple"), bytes("2")))
        try c.put(key: bytes("APPLE"), data: bytes("3"), .keyLast)
        #expect(try c.get(.current) == (bytes("Apple"), bytes("3")))
        try c.put(key: nil, data: bytes("4"), .current)
        #expect(try c.get(.first) == (bytes("Apple"), bytes("4")))
    }
}

@Suite struct BtreeDupTokenTests {
    /// between/after/before always produce a token strictly in the gap, and
    /// the common append/prepend cases keep tokens short.
    @Test func tokensFallInTheirGaps() throws {
        var rng = BtreeRandom(seed: 5)
        var list: [[UInt8]] = [DupToken.initial]
        for _ in 0..<3000 {
            let i = Int.random(in: 0...list.count, using: &rng)
            let t: [UInt8]
            if i == 0 {
                t = try withBuffer(list[0]) { (b) throws(DBError) in try DupToken.before(b) }
            } else if i == list.count {
                t = try withBuffer(list[i - 1]) { (a) throws(DBError) in try DupToken.after(a) }
            } else {
                t = try withBuffer(list[i - 1]) { (a) throws(DBError) in
                    try withBuffer(list[i]) { (b) throws(DBError) in try DupToken.between(a, b) }
                }
            }
            if i > 0 { #expect(lexCompare(list[i - 1], t) < 0) }
            if i < list.count { #expect(lexCompare(t, list[i]) < 0) }
            #expect(t.last != 0 || t.count == 1 + Int(t[0]))
            list.insert(t, at: i)
        }
        var last = DupToken.initial
        for _ in 0..<100_000 { last = try withBuffer(last) { (a) throws(DBError) in try DupToken.after(a) } }
        #expect(last.count <= 6)
    }
}
