// Randomised model tests: thousands of seeded operations on a Btree checked
// one by one against a sorted array, for plain, DB_DUPSORT, DB_DUP and
// DB_RECNUM trees, with keys and data from empty to overflow-sized, and a
// cursor moving through the changes (including deleted positions).
import CBerkeleyDB
import Glibc
import Testing
@testable import TernEngine

/// The model: entries sorted by (key, secondary), secondary = data for
/// DUPSORT, the tree's order token for DUP (read from the cursor after each
/// put, then checked to have landed where the positional flag said).
struct BtreeModel {
    struct Entry: Equatable { var key: [UInt8]; var sec: [UInt8]; var data: [UInt8] }
    var entries: [Entry] = []
    let dups: Bool

    func cmp(_ a: Entry, _ key: [UInt8], _ sec: [UInt8]) -> Int {
        let c = lexCompare(a.key, key)
        return c != 0 || !dups ? c : lexCompare(a.sec, sec)
    }
    /// First index with entry >= (key, sec); sec nil = before all duplicates.
    func lowerBound(_ key: [UInt8], _ sec: [UInt8]?) -> Int {
        var lo = 0, hi = entries.count
        while lo < hi {
            let m = (lo + hi) / 2
            let c = sec == nil ? lexCompare(entries[m].key, key) : cmp(entries[m], key, sec!)
            if c < 0 { lo = m + 1 } else { hi = m }
        }
        return lo
    }
    func upperKey(_ key: [UInt8]) -> Int {
        var i = lowerBound(key, nil)
        while i < entries.count && entries[i].key == key { i += 1 }
        return i
    }
    func exact(_ key: [UInt8], _ sec: [UInt8]) -> Int? {
        let i = lowerBound(key, dups ? sec : nil)
        return i < entries.count && cmp(entries[i], key, sec) == 0 && entries[i].key == key ? i : nil
    }
}

struct ModelCursor {
    var set = false
    var key: [UInt8] = []
    var sec: [UInt8] = []
    var selfDeleted = false
}

@Suite struct BtreeModelTests {
    func randomBytes(_ n: Int, _ rng: inout BtreeRandom) -> [UInt8] {
        (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    func randomKey(_ rng: inout BtreeRandom) -> [UInt8] {
        let r = Int.random(in: 0..<100, using: &rng)
        if r < 2 { return [UInt8](repeating: 0x6B, count: Int.random(in: 240...700, using: &rng)) + [UInt8(r)] }  // overflow keys
        if r < 3 { return [] }
        return bytes("k\(Int.random(in: 0..<400, using: &rng))")
    }

    func randomData(_ rng: inout BtreeRandom, small: Bool = false) -> [UInt8] {
        let r = Int.random(in: 0..<100, using: &rng)
        if small || r < 85 { return bytes("d\(Int.random(in: 0..<50, using: &rng))") }
        if r < 95 { return randomBytes(Int.random(in: 0...200, using: &rng), &rng) }
        return randomBytes(Int.random(in: 200...3000, using: &rng), &rng)
    }

    func run(flags: BtreeFlags, seed: UInt64, ops: Int) throws {
        let (store, tree) = try makeTree(pageSize: 512, BtreeOptions(flags: flags))
        var rng = BtreeRandom(seed: seed)
        let sorted = flags.contains(.dupSort)
        let tokens = flags.contains(.dup) && !sorted
        var model = BtreeModel(dups: flags.contains(.dup) || sorted)
        let cursor = tree.cursor()
        var mc = ModelCursor()

        func secOf(_ key: [UInt8], _ data: [UInt8]) -> [UInt8] { sorted ? data : [] }
        func land(_ got: (key: [UInt8], data: [UInt8]), _ i: Int, _ what: String) {
            let e = model.entries[i]
            #expect(got.key == e.key && got.data == e.data, "\(what): got \(got.key.prefix(8)) expected \(e.key.prefix(8))")
            mc = ModelCursor(set: true, key: e.key, sec: e.sec, selfDeleted: false)
        }
        func check(_ op: BtreeGetOp, expect index: Int?, key: [UInt8]? = nil, data: [UInt8]? = nil, _ what: String) {
            do throws(DBError) {
                let got = try cursor.get(op, key: key, data: data)
                if let index { land(got, index, what) } else { Issue.record("\(what): expected DB_NOTFOUND, got an entry") }
            } catch {
                #expect(index == nil && error.code == DB_NOTFOUND, "\(what): \(error)")
            }
        }
        /// Model position strictly after / before the cursor's logical position.
        func after() -> Int { mc.key.isEmpty && !mc.set ? 0 : {
            var i = model.lowerBound(mc.key, model.dups ? mc.sec : nil)
            if i < model.entries.count && model.cmp(model.entries[i], mc.key, mc.sec) == 0 && model.entries[i].key == mc.key { i += 1 }
            return i }() }
        func before() -> Int { model.lowerBound(mc.key, model.dups ? mc.sec : nil) - 1 }
        // The model index of the cursor's entry if it is live: a deleted
        // position revives when its exact entry is written again (libdb
        // reuses the deleted slot), except an unsorted duplicate's, which
        // libdb never reuses.
        func live() -> Int? { tokens && mc.selfDeleted ? nil : model.exact(mc.key, mc.sec) }

        for step in 0..<ops {
            let r = Int.random(in: 0..<100, using: &rng)
            switch r {
            case 0..<30:   // DB->put
                let k = randomKey(&rng), d = randomData(&rng, small: sorted)
                if tokens {
                    let last = Bool.random(using: &rng)
                    let first = model.lowerBound(k, nil), end = model.upperKey(k)
                    try cursor.put(key: k, data: d, last ? .keyLast : .keyFirst)
                    let e = BtreeModel.Entry(key: k, sec: cursor.sec, data: d)
                    model.entries.insert(e, at: last ? end : first)
                    mc = ModelCursor(set: true, key: k, sec: cursor.sec)
                } else if sorted {
                    let code = errorCode { () throws(DBError) in try tree.put(k, d) }
                    if let _ = model.exact(k, d) {
                        if code != DB_KEYEXIST {
                            let lo = model.lowerBound(k, nil), hi = model.upperKey(k)
                            print("STEP \(step) key \(k.count) \(k.prefix(6)) data \(d) model: \(model.entries[lo..<hi].map { $0.data })")
                        }
                        #expect(code == DB_KEYEXIST) } else {
                        #expect(code == 0)
                        model.entries.insert(.init(key: k, sec: d, data: d), at: model.lowerBound(k, d))
                    }
                } else {
                    let noOverwrite = Int.random(in: 0..<4, using: &rng) == 0
                    let code = errorCode { () throws(DBError) in try tree.put(k, d, flags: noOverwrite ? .noOverwrite : []) }
                    if let i = model.exact(k, []) {
                        if noOverwrite { #expect(code == DB_KEYEXIST) } else { #expect(code == 0); model.entries[i].data = d }
                    } else {
                        #expect(code == 0)
                        model.entries.insert(.init(key: k, sec: [], data: d), at: model.lowerBound(k, nil))
                    }
                }
            case 30..<38:  // DB->get
                let k = randomKey(&rng)
                let i = model.lowerBound(k, nil)
                do throws(DBError) {
                    let v = try tree.get(k)
                    #expect(i < model.entries.count && model.entries[i].key == k && model.entries[i].data == v)
                } catch {
                    #expect(error.code == DB_NOTFOUND && (i == model.entries.count || model.entries[i].key != k))
                }
            case 38..<46:  // DB->del
                let k = randomKey(&rng)
                let lo = model.lowerBound(k, nil), hi = model.upperKey(k)
                let code = errorCode { () throws(DBError) in try tree.delete(k) }
                #expect(code == (lo == hi ? DB_NOTFOUND : 0))
                model.entries.removeSubrange(lo..<hi)
            case 46..<56:  // next / prev
                let fwd = r < 51
                if !mc.set { check(fwd ? .next : .prev, expect: fwd ? (model.entries.isEmpty ? nil : 0) : (model.entries.isEmpty ? nil : model.entries.count - 1), "fresh") }
                else {
                    let i = fwd ? after() : before()
                    check(fwd ? .next : .prev, expect: i >= 0 && i < model.entries.count ? i : nil, fwd ? "next" : "prev")
                }
            case 56..<60:  // dup navigation
                guard mc.set else { continue }
                let op = [BtreeGetOp.nextDup, .prevDup, .nextNoDup, .prevNoDup][Int.random(in: 0..<4, using: &rng)]
                var i: Int
                switch op {
                case .nextDup: i = after(); if i < model.entries.count && model.entries[i].key != mc.key { i = -1 }
                case .prevDup: i = before(); if i >= 0 && model.entries[i].key != mc.key { i = -1 }
                case .nextNoDup: i = model.upperKey(mc.key)
                default: i = model.lowerBound(mc.key, nil) - 1
                }
                check(op, expect: i >= 0 && i < model.entries.count ? i : nil, "\(op)")
            case 60..<66:  // current
                guard mc.set else { continue }
                let i = live()
                do throws(DBError) {
                    let got = try cursor.get(.current)
                    if let i { #expect(got.key == model.entries[i].key && got.data == model.entries[i].data) } else { Issue.record("current: expected KEYEMPTY") }
                } catch {
                    #expect(i == nil && error.code == DB_KEYEMPTY, "current \(error)")
                }
            case 66..<74:  // set / set range / get both
                let k = model.entries.isEmpty || Bool.random(using: &rng) ? randomKey(&rng) : model.entries.randomElement(using: &rng)!.key
                switch Int.random(in: 0..<4, using: &rng) {
                case 0:
                    let i = model.lowerBound(k, nil)
                    check(.set, expect: i < model.entries.count && model.entries[i].key == k ? i : nil, key: k, "set")
                case 1:
                    let i = model.lowerBound(k, nil)
                    check(.setRange, expect: i < model.entries.count ? i : nil, key: k, "setRange")
                default:
                    let d = model.entries.isEmpty || Bool.random(using: &rng) ? randomData(&rng, small: true)
                        : model.entries.randomElement(using: &rng)!.data
                    let range = sorted && Bool.random(using: &rng)
                    var found: Int? = nil
                    if range {
                        let i = model.lowerBound(k, d)
                        if i < model.entries.count && model.entries[i].key == k { found = i }
                    } else {
                        var i = model.lowerBound(k, nil)
                        while i < model.entries.count && model.entries[i].key == k {
                            if model.entries[i].data == d { found = i; break }
                            i += 1
                        }
                    }
                    check(range ? .getBothRange : .getBoth, expect: found, key: k, data: d, range ? "getBothRange" : "getBoth")
                }
            case 74..<80:  // cursor delete
                guard mc.set else { continue }
                let code = errorCode { () throws(DBError) in try cursor.delete() }
                if let i = live() {
                    #expect(code == 0)
                    model.entries.remove(at: i)
                } else {
                    #expect(code == DB_KEYEMPTY)
                }
                mc.selfDeleted = true
            case 80..<86:  // cursor put current / before / after
                guard mc.set else { continue }
                let d = randomData(&rng, small: sorted)
                let alive = live()
                if tokens && Bool.random(using: &rng) {
                    let isAfter = Bool.random(using: &rng)
                    let at = isAfter ? after() : before() + 1
                    try cursor.put(key: nil, data: d, isAfter ? .after : .before)
                    model.entries.insert(.init(key: mc.key, sec: cursor.sec, data: d), at: at)
                    mc = ModelCursor(set: true, key: mc.key, sec: cursor.sec)
                } else {
                    let code = errorCode { () throws(DBError) in try cursor.put(key: nil, data: d, .current) }
                    if let i = alive {
                        if sorted && d != model.entries[i].data { #expect(code == EINVAL) } else {
                            #expect(code == 0)
                            model.entries[i].data = d
                        }
                    } else {
                        #expect(code == DB_NOTFOUND)
                    }
                }
            case 86..<90:  // first / last
                let first = r < 88
                check(first ? .first : .last, expect: model.entries.isEmpty ? nil : (first ? 0 : model.entries.count - 1), "first/last")
            case 90..<94:  // count
                guard mc.set else { continue }
                let n = model.upperKey(mc.key) - model.lowerBound(mc.key, nil)
                #expect(try cursor.count() == n)
            case 94..<98 where flags.contains(.recnum):
                if model.entries.isEmpty || Bool.random(using: &rng) {
                    let r = UInt32(Int.random(in: 1...(model.entries.count + 2), using: &rng))
                    check(.setRecno(r), expect: Int(r) <= model.entries.count ? Int(r) - 1 : nil, "setRecno")
                } else if mc.set {
                    let i = live()
                    do throws(DBError) {
                        let n = try cursor.recordNumber()
                        #expect(i != nil && Int(n) == i! + 1)
                    } catch { #expect(i == nil && error.code == DB_NOTFOUND) }
                }
            default:
                break
            }
            if tokens {
                // Tokens must order the model exactly as the positional puts said.
                for j in 1..<max(1, model.entries.count) {
                    let a = model.entries[j - 1], b = model.entries[j]
                    if a.key == b.key && lexCompare(a.sec, b.sec) >= 0 { Issue.record("token order broken at step \(step)"); return }
                }
            }
            if step % 500 == 499 || step == ops - 1 {
                let stats = try tree.verify()
                #expect(stats.entries == model.entries.count, "step \(step)")
                #expect(store.outstandingPins == 0)
                // Full scan equals the model.
                let scan = tree.cursor()
                var i = 0
                while let (k, d) = try? scan.get(.next) {
                    guard i < model.entries.count, k == model.entries[i].key, d == model.entries[i].data else {
                        Issue.record("scan mismatch at \(i), step \(step)")
                        return
                    }
                    i += 1
                }
                #expect(i == model.entries.count)
            }
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64]) func plain(seed: UInt64) throws { try run(flags: [], seed: seed, ops: 4000) }
    @Test(arguments: [1, 2, 3] as [UInt64]) func dupSort(seed: UInt64) throws { try run(flags: [.dupSort], seed: seed, ops: 4000) }
    @Test(arguments: [1, 2, 3] as [UInt64]) func dup(seed: UInt64) throws { try run(flags: [.dup], seed: seed, ops: 4000) }
    @Test(arguments: [1, 2, 3] as [UInt64]) func recnum(seed: UInt64) throws { try run(flags: [.recnum], seed: seed, ops: 4000) }
    @Test func revSplitOff() throws { try run(flags: [.revSplitOff], seed: 9, ops: 4000) }
}
