// DBC handles: allocation, the box in DBC.internal (a member libdb uses only
// internally), release.
//
// Exclusivity: stored properties marked @exclusivity(unchecked) are read on
// every call. None is passed inout, or mutated in place while a closure or
// callee could reach it again, so Swift's dynamic exclusivity check on them
// could never fire; it would only cost a runtime call per access.
import CBerkeleyDB
import Glibc
import TernEngine

final class CursorBox {
    let cursor: DatabaseCursor
    /// Handle-owned memory for returned keys and data, as libdb's cursors own.
    @exclusivity(unchecked) var keyBuffer = ReturnBuffer()
    @exclusivity(unchecked) var dataBuffer = ReturnBuffer()

    init(cursor: DatabaseCursor) { self.cursor = cursor }
    deinit {
        keyBuffer.release()
        dataBuffer.release()
    }
}

enum CursorHandle {
    static func create(_ cursor: DatabaseCursor, on dbp: UnsafeMutablePointer<DB>) -> UnsafeMutablePointer<DBC>? {
        guard let raw = calloc(1, MemoryLayout<DBC>.size) else { return nil }
        let dbc = raw.bindMemory(to: DBC.self, capacity: 1)
        dbc.pointee.dbp = dbp
        dbc.pointee.dbenv = dbp.pointee.dbenv
        dbc.pointee.env = dbp.pointee.env
        dbc.pointee.dbtype = DB_BTREE
        dbc.pointee.internal = OpaquePointer(Unmanaged.passRetained(CursorBox(cursor: cursor)).toOpaque())
        UnsupportedMethods.install(dbc)
        CursorMethods.install(dbc)
        HandleSlot.box(dbp).register(dbc)
        return dbc
    }

    static func box(_ dbc: UnsafeMutablePointer<DBC>) -> CursorBox {
        Unmanaged<CursorBox>.fromOpaque(UnsafeRawPointer(dbc.pointee.internal)!).takeUnretainedValue()
    }

    /// DBC->close: the handle leaves its DB's open set and is freed. A
    /// handle its DB does not know is left alone rather than freed twice.
    static func destroy(_ dbc: UnsafeMutablePointer<DBC>) {
        guard let dbp = dbc.pointee.dbp, HandleSlot.box(dbp).unregister(dbc) else { return }
        release(dbc)
    }

    /// Frees the handle and its box; the caller has taken it out of its
    /// DB's open set (or is the DB's box going away).
    static func release(_ dbc: UnsafeMutablePointer<DBC>) {
        if let raw = dbc.pointee.internal {
            Unmanaged<CursorBox>.fromOpaque(UnsafeRawPointer(raw)).release()
        }
        free(dbc)
    }
}
