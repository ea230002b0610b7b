// Helpers shared by the Btree tests: a seeded generator and error capture.
import CBerkeleyDB
@testable import TernEngine

/// SplitMix64: small, fast, reproducible.
struct BtreeRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The DBError code `body` throws, or 0.
func errorCode<T>(_ body: () throws(DBError) -> T) -> Int32 {
    do throws(DBError) {
        _ = try body()
        return 0
    } catch {
        return error.code
    }
}

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

/// Byte order with shorter-is-smaller, as the default comparator.
func lexCompare(_ a: [UInt8], _ b: [UInt8]) -> Int {
    for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
    return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
}

func makeTree(pageSize: Int = 4096, _ options: BtreeOptions = BtreeOptions()) throws -> (MemoryPageStore, Btree) {
    let store = MemoryPageStore(pageSize: pageSize)
    let tree = try Btree.create(store: store, options: options)
    return (store, tree)
}
