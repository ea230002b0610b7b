// DB_TXN handles: allocation, the box (kept in DB_TXN.td, a member libdb uses
// only internally; DB_TXN.mgrp holds the environment's EnvBox as Boxes.swift
// describes), release. DB_TXN.parent and DB_TXN.txnid are filled as libdb
// fills them, since applications read them.
import CBerkeleyDB
import Glibc
import TernEngine

final class TxnBox {
    let transaction: Transaction
    /// Child handles not yet resolved: a parent's commit or abort resolves
    /// them in the engine, and their handles are freed with it, as libdb's.
    var children: Set<UnsafeMutablePointer<DB_TXN>> = []

    init(transaction: Transaction) { self.transaction = transaction }
}

enum TxnHandle {
    static func create(_ txn: Transaction, in dbenv: UnsafeMutablePointer<DB_ENV>,
                       parent: UnsafeMutablePointer<DB_TXN>?) -> UnsafeMutablePointer<DB_TXN>? {
        guard let raw = calloc(1, MemoryLayout<DB_TXN>.size) else { return nil }
        let h = raw.bindMemory(to: DB_TXN.self, capacity: 1)
        h.pointee.mgrp = dbenv.pointee.env
        h.pointee.parent = parent
        h.pointee.txnid = txn.id
        h.pointee.td = Unmanaged.passRetained(TxnBox(transaction: txn)).toOpaque()
        UnsupportedMethods.install(h)
        TxnMethods.install(h)
        if let parent { box(parent).children.insert(h) }
        return h
    }

    static func box(_ h: UnsafeMutablePointer<DB_TXN>) -> TxnBox {
        Unmanaged<TxnBox>.fromOpaque(h.pointee.td!).takeUnretainedValue()
    }

    static func transaction(_ h: UnsafeMutablePointer<DB_TXN>?) -> Transaction? {
        guard let h, h.pointee.td != nil else { return nil }
        return box(h).transaction
    }

    static func dbenv(_ h: UnsafeMutablePointer<DB_TXN>) -> UnsafePointer<DB_ENV>? {
        HandleSlot.dbenv(envSlot: h.pointee.mgrp)
    }

    /// Frees the handle and its unresolved children's.
    static func destroy(_ h: UnsafeMutablePointer<DB_TXN>) {
        if let parent = h.pointee.parent, parent.pointee.td != nil { box(parent).children.remove(h) }
        if let raw = h.pointee.td {
            let b = Unmanaged<TxnBox>.fromOpaque(raw).takeRetainedValue()
            h.pointee.td = nil
            for child in b.children {
                child.pointee.parent = nil
                destroy(child)
            }
        }
        free(h.pointee.name)
        free(h)
    }
}
