// Commit records round-trip, and malformed bytes are refused without a trap
// or an oversized allocation.
import Testing
@testable import TernEngine

/// Decoding through an untyped-throws closure: Swift 6.3.1's compiler crashes
/// on a typed-throws closure passed to withUnsafeBytes.
func decodeCommit(_ b: [UInt8]) throws -> CommitRecord { try b.withUnsafeBytes { try CommitRecord.decode($0) } }
func decodeRegistration(_ b: [UInt8]) throws -> FileRegistration { try b.withUnsafeBytes { try FileRegistration.decode($0) } }

@Suite struct CommitRecordTests {
    /// A small deterministic generator (SplitMix64) for reproducible tests.
    struct Rng { var s: UInt64; mutating func next() -> UInt64 { s &+= 0x9E3779B97F4A7C15; var z = s; z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9; z = (z ^ (z >> 27)) &* 0x94D049BB133111EB; return z ^ (z >> 31) } }

    func bytes(_ rng: inout Rng, max: Int) -> [UInt8] {
        (0..<Int(rng.next() % UInt64(max + 1))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }

    @Test func randomRecordsRoundTrip() throws {
        var rng = Rng(s: 42)
        for _ in 0..<200 {
            let ops = (0..<Int(rng.next() % 6)).map { _ in
                CommitRecord.Operation(kind: [.put, .delete, .putDuplicate, .deleteDuplicate][Int(rng.next() % 4)],
                                       fileID: UInt32(truncatingIfNeeded: rng.next()),
                                       key: bytes(&rng, max: 40), data: bytes(&rng, max: 300),
                                       before: rng.next() % 2 == 0 ? nil : bytes(&rng, max: 50))
            }
            let record = CommitRecord(transactionID: UInt32(truncatingIfNeeded: rng.next()), operations: ops)
            let decoded = try decodeCommit(record.encoded())
            #expect(decoded == record)
        }
    }

    @Test func everyTruncationIsRefused() {
        let record = CommitRecord(transactionID: 7, operations: [
            .init(kind: .put, fileID: 1, key: [1, 2, 3], data: [4, 5], before: [9]),
            .init(kind: .delete, fileID: 2, key: [6], data: [], before: nil),
        ])
        let full = record.encoded()
        for cut in 0..<full.count {
            let prefix = Array(full[0..<cut])
            #expect(throws: DBError.self) {
                _ = try decodeCommit(prefix)
            }
        }
    }

    @Test func hostileCountsAndRandomBytesAreRefused() {
        // version 1, txn 0, count 0xFFFFFFFF: must not reserve 4G operations.
        let hostile: [UInt8] = [1, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]
        #expect(throws: DBError.self) {
            _ = try decodeCommit(hostile)
        }
        var rng = Rng(s: 7)
        for _ in 0..<2000 {
            let junk = bytes(&rng, max: 64)
            _ = try? decodeCommit(junk)
        }
    }

    @Test func fileRegistrationRoundTrips() throws {
        let reg = FileRegistration(fileID: 3, path: "data/a.db", databaseName: "sub")
        let decoded = try decodeRegistration(reg.encoded())
        #expect(decoded == reg)
    }
}
