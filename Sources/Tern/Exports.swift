// The exported C functions of libdb-5.3.so. tern.map gives each the version
// DB5_3 and hides every other symbol. The db_env_set_func_* family is in
// CTern (one of them takes a variadic function pointer).
import CBerkeleyDB
import Glibc
import TernEngine

/// The version string db_version/db_full_version return; matches
/// DB_VERSION_STRING in include/db.h.
private let versionString = "Tern 0.1.0: Berkeley DB 5.3.28 compatible"
private let fullVersionString = "Tern 0.1.0: Berkeley DB 11g Release 2, library version 11.2.5.3.28 compatible"

/// C strings that live for the life of the process. Written once by the
/// global initialiser (thread-safe in Swift), read-only after.
private nonisolated(unsafe) let versionCString = strdup(versionString)!
private nonisolated(unsafe) let fullVersionCString = strdup(fullVersionString)!

@_cdecl("db_version")
public func db_version(_ major: UnsafeMutablePointer<Int32>?, _ minor: UnsafeMutablePointer<Int32>?,
                       _ patch: UnsafeMutablePointer<Int32>?) -> UnsafeMutablePointer<CChar> {
    major?.pointee = DB_VERSION_MAJOR
    minor?.pointee = DB_VERSION_MINOR
    patch?.pointee = DB_VERSION_PATCH
    return versionCString
}

@_cdecl("db_full_version")
public func db_full_version(_ family: UnsafeMutablePointer<Int32>?, _ release: UnsafeMutablePointer<Int32>?,
                            _ major: UnsafeMutablePointer<Int32>?, _ minor: UnsafeMutablePointer<Int32>?,
                            _ patch: UnsafeMutablePointer<Int32>?) -> UnsafeMutablePointer<CChar> {
    family?.pointee = DB_VERSION_FAMILY
    release?.pointee = DB_VERSION_RELEASE
    _ = db_version(major, minor, patch)
    return fullVersionCString
}

/// db_strerror's texts as C strings, made once, never freed.
private nonisolated(unsafe) let strerrorCStrings: [Int32: UnsafeMutablePointer<CChar>] = {
    var table: [Int32: UnsafeMutablePointer<CChar>] = [:]
    for code in Int32(-31000)...0 {
        if let text = ErrorText.berkeleyDB(code) { table[code] = strdup(text)! }
    }
    return table
}()

/// libdb formats unknown codes into one global buffer; so does Tern (the
/// result is only meaningful until the next such call, as in libdb).
private nonisolated(unsafe) let unknownErrorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: 64)

@_cdecl("db_strerror")
public func db_strerror(_ code: Int32) -> UnsafeMutablePointer<CChar> {
    if let text = strerrorCStrings[code] { return text }
    if code > 0, let text = strerror(code) { return text }
    _ = ErrorText.unknown(code).withCString { strncpy(unknownErrorBuffer, $0, 63) }
    unknownErrorBuffer[63] = 0
    return unknownErrorBuffer
}

@_cdecl("log_compare")
public func log_compare(_ a: UnsafePointer<DB_LSN>?, _ b: UnsafePointer<DB_LSN>?) -> Int32 {
    guard let a, let b else { return 0 }
    if a.pointee.file != b.pointee.file { return a.pointee.file < b.pointee.file ? -1 : 1 }
    if a.pointee.offset != b.pointee.offset { return a.pointee.offset < b.pointee.offset ? -1 : 1 }
    return 0
}

@_cdecl("db_env_create")
public func db_env_create(_ out: UnsafeMutablePointer<UnsafeMutablePointer<DB_ENV>?>?, _ flags: UInt32) -> Int32 {
    // libdb has no environment to report through yet: EINVAL, no message.
    guard let out, flags == 0 else { return EINVAL }
    guard let dbenv = EnvHandle.create() else { return ENOMEM }
    out.pointee = dbenv
    return 0
}

@_cdecl("db_create")
public func db_create(_ out: UnsafeMutablePointer<UnsafeMutablePointer<DB>?>?,
                      _ dbenv: UnsafeMutablePointer<DB_ENV>?, _ flags: UInt32) -> Int32 {
    guard let out else { return EINVAL }
    switch flags {
    case 0: break
    case UInt32(DB_XA_CREATE):
        if dbenv != nil {
            return ErrorChannel.report(UnsafePointer(dbenv),
                                       .invalid("BDB0504 XA applications may not specify an environment to db_create"))
        }
        // XA is not built: libdb says this when no XA environment exists.
        return ErrorChannel.report(nil, .invalid("BDB0505 Cannot open XA database before XA is enabled"))
    default:
        return ErrorChannel.report(UnsafePointer(dbenv), .illegalFlag("db_create"))
    }
    guard let dbp = DBHandle.create(in: dbenv) else { return ENOMEM }
    out.pointee = dbp
    return 0
}

@_cdecl("db_sequence_create")
public func db_sequence_create(_ out: UnsafeMutablePointer<UnsafeMutablePointer<DB_SEQUENCE>?>?,
                               _ dbp: UnsafeMutablePointer<DB>?, _ flags: UInt32) -> Int32 {
    // libdb dereferences both pointers; Tern refuses them without a message.
    guard let out, let dbp else { return EINVAL }
    let sequence: Sequence
    do {
        sequence = try Sequence.create(on: HandleSlot.box(dbp).database, flags: flags)
    } catch {
        return ErrorChannel.report(UnsafePointer(dbp.pointee.dbenv), error)
    }
    guard let seq = SequenceHandle.create(sequence, on: dbp) else { return ENOMEM }
    out.pointee = seq
    return 0
}

@_cdecl("db_copy")
public func db_copy(_ dbenv: UnsafeMutablePointer<DB_ENV>?, _ dbfile: UnsafePointer<CChar>?,
                    _ target: UnsafePointer<CChar>?, _ passwd: UnsafePointer<CChar>?) -> Int32 {
    ErrorChannel.report(UnsafePointer(dbenv), .notSupported("db_copy"))
}
