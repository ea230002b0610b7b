// The commit's leaf hint (Access/Btree/BtreeSearch.swift, LeafHint): a
// write's next-key probe remembers the leaf its key belongs on, and the
// commit applies there without a second descent while that leaf's
// generation is unchanged and the entry fits; otherwise it descends. Both
// ways must put every key where it belongs.
import CBerkeleyDB
import Glibc
import Testing
@testable import TernEngine

@Suite struct LeafHintTests {
    typealias B = BigTransactionTests

    static func value(_ i: Int) -> [UInt8] { (0..<(150 + i % 200)).map { UInt8(truncatingIfNeeded: $0 &+ i) } }

    @Test func aCommitAppliesAtTheProbedLeafOnlyWhileItIsUnchanged() throws {
        try B.inScratch { dir in
            let env = try LoggedEnv.open(dir)
            let db = try B.database(env, "hint.db")
            var model: [[UInt8]: [UInt8]] = [:]
            func put(_ i: Int, _ t: Transaction, small: Bool = false) throws {
                let v = small ? Array(Self.value(i).prefix(16)) : Self.value(i)
                try B.put(db, B.key(i), v, t)
                model[B.key(i)] = v
            }
            // Small items, one per transaction, out of order: leaves split
            // evenly and have room (one transaction's commit applies in key
            // order, which fills leaves as a sorted load does).
            for j in 0..<250 {
                let t = try env.beginTransaction(parent: nil, flags: 0)
                try put((j * 97) % 250 * 8, t, small: true)
                try t.commit(flags: 0)
            }
            let tree = db.opened!.tree

            // A one-put transaction into a leaf with room: applied at the
            // probed leaf.
            var before = tree.hintedWrites
            let one = try env.beginTransaction(parent: nil, flags: 0)
            try put(1001, one)
            try one.commit(flags: 0)
            #expect(tree.hintedWrites == before + 1)

            // The probed leaf changes (another transaction fills and splits
            // it, in other gaps) before the commit: the commit descends.
            let a = try env.beginTransaction(parent: nil, flags: 0)
            try put(2, a)
            let b = try env.beginTransaction(parent: nil, flags: 0)
            for i in 9..<120 where i % 8 != 0 { try put(i, b) }
            try b.commit(flags: 0)
            before = tree.hintedWrites
            try a.commit(flags: 0)
            #expect(tree.hintedWrites == before, "a changed leaf is not used")
            #expect(try B.dump(db, nil) == model)

            // Many one-put transactions: some find room at their leaf,
            // others split it (and so descend); every key lands in order.
            before = tree.hintedWrites
            var x: UInt64 = 12345
            var puts = 0
            for _ in 0..<400 {
                x = x &* 6364136223846793005 &+ 1442695040888963407
                let i = 2000 + Int(x >> 33) % 4000
                let t = try env.beginTransaction(parent: nil, flags: 0)
                try put(i, t)
                try t.commit(flags: 0)
                puts += 1
            }
            var hinted = tree.hintedWrites - before
            #expect(hinted > 0 && hinted < puts, "\(hinted) of \(puts) applied at the probed leaf")

            // Auto-commit puts (no transaction) lock the same way and use
            // their probe's leaf too.
            before = tree.hintedWrites
            for _ in 0..<200 {
                x = x &* 6364136223846793005 &+ 1442695040888963407
                let i = 6000 + Int(x >> 33) % 4000
                try withBuffer(B.key(i)) { (k) throws(DBError) in
                    try withBuffer(Self.value(i)) { (d) throws(DBError) in
                        try db.put(key: k, data: d, .keyLast, partial: nil, autoCommit: true)
                    }
                }
                model[B.key(i)] = Self.value(i)
            }
            hinted = tree.hintedWrites - before
            #expect(hinted > 0 && hinted < 200, "\(hinted) of 200 auto-commit puts applied at the probed leaf")
            #expect(try B.dump(db, nil) == model)
            _ = try tree.verify()
            try db.close(noSync: false)
            try env.close()

            // And the log says the same: recovery rebuilds the same tree.
            let env2 = try LoggedEnv.open(dir, extra: DB_RECOVER)
            let db2 = try B.database(env2, "hint.db")
            #expect(try B.dump(db2, nil) == model)
            try db2.close(noSync: false)
            try env2.close()
        }
    }
}
