// Handle boxes: the Swift side of each C handle.
//
// Every C handle (DB_ENV, DB, DBC, ...) is a C struct Tern allocates with
// calloc, laid out exactly as libdb's. One pointer-sized member of it, which
// libdb reserves for its own internal use and applications never touch, holds
// a retained reference to the handle's box; the member per handle type is
// named in `HandleSlot` below. A box owns the engine object and whatever the
// C ABI needs to keep alive for the handle's lifetime (C strings returned by
// getters). The handle's close method releases the box and frees the struct.
//
// Locking rule: a box is reached only through its handle, and is no more
// thread-safe than the handle is in libdb (configuration methods from one
// thread; DB_THREAD handles' data methods synchronise in the engine).
//
// Exclusivity: stored properties marked @exclusivity(unchecked) are read on
// every call. None is passed inout, or mutated in place while a closure or
// callee could reach it again, so Swift's dynamic exclusivity check on them
// could never fire; it would only cost a runtime call per access.
import CBerkeleyDB
import Glibc
import TernEngine

/// Keeps C strings handed out by getters alive until the handle closes or the
/// value is replaced, as libdb's getters do (they return internal pointers).
struct CStringStore {
    private var strings: [String: UnsafeMutablePointer<CChar>] = [:]

    /// The C copy of `value` stored under `key`, replacing any older one.
    mutating func set(_ key: String, _ value: String?) -> UnsafeMutablePointer<CChar>? {
        if let old = strings.removeValue(forKey: key) { free(old) }
        guard let value else { return nil }
        let copy = strdup(value)!
        strings[key] = copy
        return copy
    }

    func get(_ key: String) -> UnsafeMutablePointer<CChar>? { strings[key] }

    mutating func freeAll() {
        for (_, p) in strings { free(p) }
        strings = [:]
    }
}

final class EnvBox {
    let environment: Environment
    /// The C handle this box belongs to.
    let dbenv: UnsafeMutablePointer<DB_ENV>
    var cStrings = CStringStore()
    /// libdb's ENV_NO_OUTPUT_SET: until the application sets an error or message
    /// channel, errors go to stderr.
    var noOutputSet = true
    /// True while this DB_ENV is the private environment of a DB created with
    /// db_create(..., NULL, ...); such an environment is closed by DB->close.
    let isPrivateToDB: Bool

    init(dbenv: UnsafeMutablePointer<DB_ENV>, environment: Environment, isPrivateToDB: Bool) {
        self.dbenv = dbenv
        self.environment = environment
        self.isPrivateToDB = isPrivateToDB
    }
    deinit { cStrings.freeAll() }
}

final class DBBox {
    let database: Database
    let dbp: UnsafeMutablePointer<DB>
    var cStrings = CStringStore()
    /// The NULL-terminated name array DB->get_partition_dirs returns (one
    /// malloc'd block), replaced by each set_partition_dirs.
    var partitionDirs: UnsafeMutableRawPointer?
    /// Handle-owned memory for keys and data DB->get returns (libdb's
    /// my_rkey / my_rdata), valid until the next call on the handle.
    @exclusivity(unchecked) var keyBuffer = ReturnBuffer()
    @exclusivity(unchecked) var dataBuffer = ReturnBuffer()
    /// The DBC handles opened on this DB and not yet closed (libdb's
    /// dbp->active_queue): DB->close frees the ones the application left
    /// open, as libdb's __db_refresh closes them. Guarded by `cursorLock`,
    /// since a DB_THREAD handle opens and closes cursors from any thread.
    private var cursors: Set<UnsafeMutablePointer<DBC>> = []
    private let cursorLock: UnsafeMutablePointer<pthread_mutex_t>

    init(dbp: UnsafeMutablePointer<DB>, database: Database) {
        self.dbp = dbp
        self.database = database
        cursorLock = .allocate(capacity: 1)
        pthread_mutex_init(cursorLock, nil)
    }
    deinit {
        // The box goes when its DB handle is destroyed (DB->close, or the
        // DB->remove / rename / verify that consume an unopened handle):
        // every cursor still open dies with it. Each pointer is in the set
        // exactly once and leaves it when its DBC->close frees it, so none
        // is freed twice.
        for dbc in cursors { CursorHandle.release(dbc) }
        pthread_mutex_destroy(cursorLock)
        cursorLock.deallocate()
        cStrings.freeAll()
        free(partitionDirs)
        keyBuffer.release()
        dataBuffer.release()
    }

    func register(_ dbc: UnsafeMutablePointer<DBC>) {
        pthread_mutex_lock(cursorLock)
        cursors.insert(dbc)
        pthread_mutex_unlock(cursorLock)
    }

    /// Whether `dbc` was open on this DB (and is no longer registered).
    func unregister(_ dbc: UnsafeMutablePointer<DBC>) -> Bool {
        pthread_mutex_lock(cursorLock)
        defer { pthread_mutex_unlock(cursorLock) }
        return cursors.remove(dbc) != nil
    }
}

/// Where each handle type keeps its box: a member libdb uses only internally.
///   DB_ENV.env                          -> EnvBox
///   DB.p_internal                       -> DBBox (DB.env is its EnvBox too,
///                                          as libdb's dbp->env is dbenv->env)
///   DB_TXN.mgrp, DB_SITE.env, DB_LOGC.env,
///   DB_MPOOLFILE.env, DB_CHANNEL.channel -> their environment's EnvBox
///   DB_SEQUENCE.seq_rp                  -> SequenceBox (SequenceBox.swift)
///   DBC.internal                        -> CursorBox (CursorHandle.swift)
enum HandleSlot {
    static func box(_ dbenv: UnsafePointer<DB_ENV>) -> EnvBox {
        Unmanaged<EnvBox>.fromOpaque(UnsafeRawPointer(dbenv.pointee.env)!).takeUnretainedValue()
    }
    static func box(_ dbenv: UnsafeMutablePointer<DB_ENV>) -> EnvBox { box(UnsafePointer(dbenv)) }

    static func attach(_ box: EnvBox, to dbenv: UnsafeMutablePointer<DB_ENV>) {
        dbenv.pointee.env = OpaquePointer(Unmanaged.passRetained(box).toOpaque())
    }
    /// The DB_ENV whose EnvBox sits in an ENV-typed (or other opaque) slot.
    static func dbenv(envSlot: OpaquePointer?) -> UnsafePointer<DB_ENV>? {
        guard let envSlot else { return nil }
        return UnsafePointer(Unmanaged<EnvBox>.fromOpaque(UnsafeRawPointer(envSlot)).takeUnretainedValue().dbenv)
    }

    static func box(_ dbp: UnsafeMutablePointer<DB>) -> DBBox {
        Unmanaged<DBBox>.fromOpaque(dbp.pointee.p_internal!).takeUnretainedValue()
    }
    static func attach(_ box: DBBox, to dbp: UnsafeMutablePointer<DB>) {
        dbp.pointee.p_internal = Unmanaged.passRetained(box).toOpaque()
    }
    static func detach(_ dbp: UnsafeMutablePointer<DB>) {
        guard let raw = dbp.pointee.p_internal else { return }
        Unmanaged<DBBox>.fromOpaque(raw).release()
        dbp.pointee.p_internal = nil
    }

    static func detach(_ dbenv: UnsafeMutablePointer<DB_ENV>) {
        guard let raw = dbenv.pointee.env else { return }
        Unmanaged<EnvBox>.fromOpaque(UnsafeRawPointer(raw)).release()
        dbenv.pointee.env = nil
    }
}
