// DBT memory: how a value the engine returns reaches the caller's DBT, by
// Berkeley DB's rules (libdb's __db_retcopy):
// - DB_DBT_PARTIAL: only bytes [doff, doff + dlen) of the item, clamped;
// - DB_DBT_MALLOC: fresh memory the application frees (set_alloc's malloc if
//   set), allocated even for zero bytes so the application can always free;
// - DB_DBT_REALLOC: the application's pointer, grown when too small;
// - DB_DBT_USERMEM: the application's buffer of `ulen` bytes, or
//   DB_BUFFER_SMALL with the needed length in `size`;
// - none of these: memory owned by the handle (a ReturnBuffer), valid until
//   the next call on that handle, as libdb's.
// In every case `size` is set to the length returned (or needed).
import CBerkeleyDB
import Glibc
import TernEngine

/// Handle-owned memory for returned keys and data (libdb's my_rkey/my_rdata):
/// grows as needed, reused across calls, freed when the handle closes.
/// Locking rule: owned by one handle; libdb's handles are not shared between
/// threads during a call that returns data through them.
struct ReturnBuffer {
    private(set) var memory: UnsafeMutableRawPointer?
    private(set) var capacity = 0

    /// Memory for at least `count` bytes, or nil when allocation fails.
    mutating func reserve(_ count: Int) -> UnsafeMutableRawPointer? {
        if count > capacity || memory == nil {
            guard let grown = realloc(memory, max(count, 1)) else { return nil }
            memory = grown
            capacity = max(count, 1)
        }
        return memory
    }

    mutating func release() {
        free(memory)
        memory = nil
        capacity = 0
    }
}

enum DBTMemory {
    /// The bytes of an input DBT (a key or data the application passes in).
    static func bytes(of dbt: UnsafePointer<DBT>) -> UnsafeRawBufferPointer {
        guard let data = dbt.pointee.data, dbt.pointee.size > 0 else {
            return UnsafeRawBufferPointer(start: nil, count: 0)
        }
        return UnsafeRawBufferPointer(start: data, count: Int(dbt.pointee.size))
    }

    /// The flags and lengths of a DBT, for the engine's argument checks.
    static func shape(_ dbt: UnsafePointer<DBT>) -> ItemShape {
        ItemShape(flags: dbt.pointee.flags, size: dbt.pointee.size, ulen: dbt.pointee.ulen,
                  doff: dbt.pointee.doff, dlen: dbt.pointee.dlen)
    }

    /// Copies `item` into `dbt` following its flags; returns 0,
    /// DB_BUFFER_SMALL, ENOMEM (reported on the channel, as libdb) or EINVAL.
    static func give(_ item: UnsafeRawBufferPointer, to dbt: UnsafeMutablePointer<DBT>,
                     buffer: inout ReturnBuffer, dbenv: UnsafePointer<DB_ENV>?) -> Int32 {
        let flags = dbt.pointee.flags
        if flags & UInt32(DB_DBT_READONLY) != 0 { return 0 }
        var source = item
        if flags & UInt32(DB_DBT_PARTIAL) != 0 {
            let offset = Int(dbt.pointee.doff)
            if item.count > offset {
                let length = min(item.count - offset, Int(dbt.pointee.dlen))
                source = UnsafeRawBufferPointer(rebasing: item[offset..<(offset + length)])
            } else {
                source = UnsafeRawBufferPointer(start: nil, count: 0)
            }
        }
        let length = source.count
        if flags & UInt32(DB_DBT_MALLOC) != 0 {
            guard let memory = allocate(length, dbenv: dbenv) else { return ENOMEM }
            dbt.pointee.data = memory
        } else if flags & UInt32(DB_DBT_REALLOC) != 0 {
            if dbt.pointee.data == nil || dbt.pointee.size == 0 || Int(dbt.pointee.size) < length {
                guard let memory = reallocate(dbt.pointee.data, length, dbenv: dbenv) else { return ENOMEM }
                dbt.pointee.data = memory
            }
        } else if flags & UInt32(DB_DBT_USERMEM) != 0 {
            if length != 0 && (dbt.pointee.data == nil || Int(dbt.pointee.ulen) < length) {
                dbt.pointee.size = UInt32(length)
                return DB_BUFFER_SMALL
            }
        } else {
            guard let memory = buffer.reserve(length) else {
                return ErrorChannel.report(dbenv, DBError(ENOMEM, "BDB0145 realloc: \(length): \(String(cString: strerror(ENOMEM)))"))
            }
            dbt.pointee.data = memory
        }
        if length != 0, let base = source.baseAddress {
            dbt.pointee.data!.copyMemory(from: base, byteCount: length)
        }
        dbt.pointee.size = UInt32(length)
        return 0
    }

    /// libdb's __os_umalloc: the application's malloc (set_alloc) if any;
    /// at least one byte, so the result can always be freed.
    private static func allocate(_ count: Int, dbenv: UnsafePointer<DB_ENV>?) -> UnsafeMutableRawPointer? {
        let size = max(count, 1)
        if let userMalloc = dbenv?.pointee.db_malloc {
            guard let p = userMalloc(size) else {
                ErrorChannel.report(dbenv, DBError(ENOMEM, "BDB0144 user-specified malloc function returned NULL"))
                return nil
            }
            return p
        }
        guard let p = malloc(size) else {
            ErrorChannel.report(dbenv, DBError(ENOMEM, "BDB0143 malloc: \(size): \(String(cString: strerror(ENOMEM)))"))
            return nil
        }
        return p
    }

    /// libdb's __os_urealloc, with the application's realloc if set.
    private static func reallocate(_ old: UnsafeMutableRawPointer?, _ count: Int,
                                   dbenv: UnsafePointer<DB_ENV>?) -> UnsafeMutableRawPointer? {
        let size = max(count, 1)
        if let userRealloc = dbenv?.pointee.db_realloc {
            guard let p = userRealloc(old, size) else {
                ErrorChannel.report(dbenv, DBError(ENOMEM, "BDB0146 User-specified realloc function returned NULL"))
                return nil
            }
            return p
        }
        if old == nil { return allocate(count, dbenv: dbenv) }
        guard let p = realloc(old, size) else {
            ErrorChannel.report(dbenv, DBError(ENOMEM, "BDB0145 realloc: \(size): \(String(cString: strerror(ENOMEM)))"))
            return nil
        }
        return p
    }
}
