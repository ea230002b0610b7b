// PageStore: what an access method sees of a database file — numbered
// fixed-size pages, pinned while in use.
//
// The page cache (PageCache) implements it over the environment region;
// tests implement it in memory. Access methods never touch files or the
// cache's internals: they pin a page, read or change its bytes through the
// pointer, and unpin it saying whether they changed it.
//
// Contract:
// - A pinned page's bytes stay at the returned address until the matching
//   unpin; pins nest (pin twice, unpin twice).
// - A page changed through a pin taken `forWrite` must be unpinned with
//   `dirty: true`; the store then writes it back (or, in a logged
//   environment, keeps it out of the file until the next checkpoint).
// - `extend()` appends a zeroed page at `lastPage + 1` and returns its
//   number, pinned for write. Page 0 is the file's meta page; which pages are
//   free is the access method's business (its free list lives in its pages).
// - A store always has page 0: whoever opens a new, empty file extends it
//   once first, so "one all-zero page" is what a fresh store looks like
//   (Btree.isFresh) and `lastPage` is never ambiguous.
// - Page numbers past `lastPage` are an error (DB_PAGE_NOTFOUND), never a
//   crash: a corrupt page pointing anywhere must not take the process down.
//
// Locking rule: a PageStore is safe to call from several threads; keeping
// the pages' contents consistent between threads and processes is the caller's
// job (the access method's tree latch).
public typealias PageNumber = UInt32

public protocol PageStore: AnyObject {
    /// Bytes per page, fixed for the life of the file.
    var pageSize: Int { get }
    /// The highest page number in the file.
    var lastPage: PageNumber { get }
    func pin(_ page: PageNumber, forWrite: Bool) throws(DBError) -> UnsafeMutableRawPointer
    func unpin(_ page: PageNumber, dirty: Bool)
    func extend() throws(DBError) -> PageNumber
}
