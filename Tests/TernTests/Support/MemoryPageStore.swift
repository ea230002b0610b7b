// MemoryPageStore: a PageStore in memory, for access-method tests.
//
// Pages are separately allocated, zeroed blocks that never move, so pointers
// stay valid while pinned (as the contract requires). It counts pins so a
// test can check an operation released every page it pinned, and can hand
// out raw page pointers for corruption tests.
import Glibc
@testable import TernEngine

final class MemoryPageStore: PageStore {
    let pageSize: Int
    private(set) var pages: [UnsafeMutableRawPointer] = []
    private(set) var pins: [Int] = []
    /// Pins currently held (should be 0 between operations).
    var outstandingPins: Int { pins.reduce(0, +) }
    private(set) var writes = 0

    init(pageSize: Int = 4096) {
        self.pageSize = pageSize
        pages.append(Self.zeroPage(pageSize))   // page 0: the meta page
        pins.append(0)
    }

    deinit { for p in pages { free(p) } }

    static func zeroPage(_ size: Int) -> UnsafeMutableRawPointer {
        calloc(1, size)!
    }

    var lastPage: PageNumber { PageNumber(pages.count - 1) }

    func pin(_ page: PageNumber, forWrite: Bool) throws(DBError) -> UnsafeMutableRawPointer {
        guard Int(page) < pages.count else { throw DBError(DB_PAGE_NOTFOUND_CODE) }
        pins[Int(page)] += 1
        return pages[Int(page)]
    }

    func unpin(_ page: PageNumber, dirty: Bool) {
        precondition(Int(page) < pages.count && pins[Int(page)] > 0, "unbalanced unpin of page \(page)")
        pins[Int(page)] -= 1
        if dirty { writes += 1 }
    }

    func extend() throws(DBError) -> PageNumber {
        pages.append(Self.zeroPage(pageSize))
        pins.append(1)
        return PageNumber(pages.count - 1)
    }

    /// Raw access for corruption tests.
    func raw(_ page: PageNumber) -> UnsafeMutableRawPointer { pages[Int(page)] }
}

import CBerkeleyDB
let DB_PAGE_NOTFOUND_CODE: Int32 = DB_PAGE_NOTFOUND
