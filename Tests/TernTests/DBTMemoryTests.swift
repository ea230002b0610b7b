// DBT memory rules (libdb's __db_retcopy), each flag on its own.
import CBerkeleyDB
import Glibc
import Testing
@testable import Tern

@Suite struct DBTMemoryTests {
    let item: [UInt8] = Array("hello, world".utf8)

    func give(_ dbt: inout DBT, _ buffer: inout ReturnBuffer) -> Int32 {
        item.withUnsafeBytes { DBTMemory.give($0, to: &dbt, buffer: &buffer, dbenv: nil) }
    }

    func text(_ dbt: DBT) -> String {
        String(decoding: UnsafeRawBufferPointer(start: dbt.data, count: Int(dbt.size)), as: UTF8.self)
    }

    @Test func defaultUsesHandleMemoryReusedAcrossCalls() {
        var buffer = ReturnBuffer()
        var dbt = DBT()
        #expect(give(&dbt, &buffer) == 0)
        #expect(text(dbt) == "hello, world")
        let first = dbt.data
        var again = DBT()
        #expect(give(&again, &buffer) == 0)
        #expect(again.data == first)
        buffer.release()
    }

    @Test func userMemoryTooSmallReportsNeededSize() {
        var buffer = ReturnBuffer()
        var storage = [UInt8](repeating: 0, count: 4)
        storage.withUnsafeMutableBytes { raw in
            var dbt = DBT()
            dbt.flags = UInt32(DB_DBT_USERMEM)
            dbt.data = raw.baseAddress
            dbt.ulen = 4
            #expect(give(&dbt, &buffer) == DB_BUFFER_SMALL)
            #expect(dbt.size == 12)
        }
        var big = [UInt8](repeating: 0, count: 32)
        big.withUnsafeMutableBytes { raw in
            var dbt = DBT()
            dbt.flags = UInt32(DB_DBT_USERMEM)
            dbt.data = raw.baseAddress
            dbt.ulen = 32
            #expect(give(&dbt, &buffer) == 0)
            #expect(text(dbt) == "hello, world")
        }
    }

    @Test func mallocAlwaysAllocatesEvenForNothing() {
        var buffer = ReturnBuffer()
        var dbt = DBT()
        dbt.flags = UInt32(DB_DBT_MALLOC | DB_DBT_PARTIAL)
        dbt.doff = 100
        dbt.dlen = 5
        #expect(give(&dbt, &buffer) == 0)
        #expect(dbt.size == 0)
        #expect(dbt.data != nil)
        free(dbt.data)
    }

    @Test func partialClampsToTheItem() {
        var buffer = ReturnBuffer()
        var dbt = DBT()
        dbt.flags = UInt32(DB_DBT_PARTIAL)
        dbt.doff = 7
        dbt.dlen = 100
        #expect(give(&dbt, &buffer) == 0)
        #expect(text(dbt) == "world")
        buffer.release()
    }

    @Test func reallocGrowsOnlyWhenTooSmall() {
        var buffer = ReturnBuffer()
        var dbt = DBT()
        dbt.flags = UInt32(DB_DBT_REALLOC)
        dbt.data = malloc(2)
        dbt.size = 2
        #expect(give(&dbt, &buffer) == 0)
        #expect(text(dbt) == "hello, world")
        free(dbt.data)
    }
}
