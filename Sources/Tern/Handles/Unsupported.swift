// Reporting a method Tern does not implement yet: DB_OPNOTSUP, and the
// handle's environment error channel says which method.
// Each handle type finds its environment through the member named in Boxes.swift.
import CBerkeleyDB
import TernEngine

enum Unsupported {
    /// For methods that do not receive their handle: reported to stderr.
    static func report(_ method: String, on dbenv: UnsafePointer<DB_ENV>?) -> Int32 {
        report(dbenv, method)
    }
    static func report(_ dbenv: UnsafePointer<DB_ENV>?, _ method: String) -> Int32 {
        ErrorChannel.report(dbenv, .notSupported(method))
    }
    static func report(_ h: UnsafeMutablePointer<DB_ENV>?, _ method: String) -> Int32 {
        report(UnsafePointer(h), method)
    }
    static func report(_ h: UnsafeMutablePointer<DB>?, _ method: String) -> Int32 {
        report(UnsafePointer(h?.pointee.dbenv), method)
    }
    static func report(_ h: UnsafeMutablePointer<DBC>?, _ method: String) -> Int32 {
        report(UnsafePointer(h?.pointee.dbenv), method)
    }
    static func report(_ h: UnsafeMutablePointer<DB_SEQUENCE>?, _ method: String) -> Int32 {
        report(UnsafePointer(h?.pointee.seq_dbp?.pointee.dbenv), method)
    }
    static func report(_ h: UnsafeMutablePointer<DB_TXN>?, _ method: String) -> Int32 {
        report(HandleSlot.dbenv(envSlot: h?.pointee.mgrp), method)
    }
    static func report(_ h: UnsafeMutablePointer<DB_SITE>?, _ method: String) -> Int32 {
        report(HandleSlot.dbenv(envSlot: h?.pointee.env), method)
    }
    static func report(_ h: UnsafeMutablePointer<DB_LOGC>?, _ method: String) -> Int32 {
        report(HandleSlot.dbenv(envSlot: h?.pointee.env), method)
    }
    static func report(_ h: UnsafeMutablePointer<DB_MPOOLFILE>?, _ method: String) -> Int32 {
        report(HandleSlot.dbenv(envSlot: h?.pointee.env), method)
    }
    static func report(_ h: UnsafeMutablePointer<DB_CHANNEL>?, _ method: String) -> Int32 {
        report(HandleSlot.dbenv(envSlot: h?.pointee.channel), method)
    }
}
