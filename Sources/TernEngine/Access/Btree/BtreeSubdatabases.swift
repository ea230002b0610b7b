// Named databases in one file (libdb's subdatabases).
//
// A file created for named databases has `subdatabases` in page 0's flags;
// page 0's tree is then the master: a plain tree whose keys are database
// names and whose data is the u32 (little-endian) page number of that
// database's own meta page. Each named tree has its own meta (root, flags,
// bt_minkey) but shares the file's single free list on page 0, so pages a
// database frees are reused by any other.
//
// Locking rule: creating or removing a named database writes the master;
// the caller holds the master's latch exclusively (and the named tree's).
import CBerkeleyDB
import Glibc

extension Btree {
    /// Opens (or with `create`, creates) the named database `name`.
    /// A file made for one unnamed tree refuses names (EINVAL, libdb's
    /// BDB1014); a missing name without `create` is ENOENT; an existing one
    /// with `exclusive` (DB_CREATE | DB_EXCL) is EEXIST.
    public static func open(store: any PageStore, subdatabase name: [UInt8], options: BtreeOptions = BtreeOptions(),
                            create: Bool = false, exclusive: Bool = false,
                            fileName: String? = nil) throws(DBError) -> Btree {
        let fresh = try isFresh(store)
        let master: Btree
        if fresh {
            guard create else { throw DBError(ENOENT) }
            master = try Btree.create(store: store, options: BtreeOptions(flags: BtreeFlags.subdatabases))
        } else {
            master = try Btree.open(store: store, name: fileName)
        }
        guard master.flags.contains(BtreeFlags.subdatabases) else {
            throw .invalid("BDB1014 \(fileName ?? "unnamed"): multiple databases specified but not supported by file")
        }
        if let pgno = try master.lookupSubdatabase(name) {
            if exclusive { throw DBError(EEXIST) }
            let p = try store.pin(pgno, forWrite: false)
            defer { store.unpin(pgno, dirty: false) }
            let meta = try BtreeMeta.read(p, pgno: pgno, pageSize: store.pageSize, lastPage: store.lastPage, name: fileName)
            return Btree(store: store, meta: meta, metaPage: pgno, options: options)
        }
        guard create else { throw DBError(ENOENT) }
        var flags = options.flags
        if flags.contains(.dupSort) { flags.insert(.dup) }
        if flags.contains(.dup) && flags.contains(.recnum) { throw .illegalFlagCombination("DB->set_flags") }
        flags.remove(BtreeFlags.subdatabases)
        guard options.minKey >= 2 else { throw .invalid("BDB1031 minimum bt_minkey value is 2") }
        let metaPage = try master.allocate(.meta, level: 0)
        let rootPage: BtreePage
        do throws(DBError) { rootPage = try master.allocate(.leaf, level: 1) } catch { master.release(metaPage); throw error }
        var meta = BtreeMeta()
        meta.pageSize = UInt32(truncatingIfNeeded: store.pageSize)
        meta.flags = flags
        meta.minKey = options.minKey
        meta.root = rootPage.pgno
        meta.write(metaPage.raw, pgno: metaPage.pgno, pageSize: store.pageSize)
        master.release(rootPage, dirty: true)
        master.release(metaPage, dirty: true)
        var pg = metaPage.pgno.littleEndian
        try withUnsafeBytes(of: &pg) { (b) throws(DBError) in
            try withBuffer(name) { (n) throws(DBError) in try master.put(key: n, data: b) }
        }
        return Btree(store: store, meta: meta, metaPage: metaPage.pgno, options: options)
    }

    /// Whether the store is a new, unformatted file (one page, all zero).
    public static func isFresh(_ store: any PageStore) throws(DBError) -> Bool {
        guard store.lastPage == 0 else { return false }
        let p = try store.pin(0, forWrite: false)
        defer { store.unpin(0, dirty: false) }
        for i in 0..<store.pageSize where p.load(fromByteOffset: i, as: UInt8.self) != 0 { return false }
        return true
    }

    func lookupSubdatabase(_ name: [UInt8]) throws(DBError) -> PageNumber? {
        do throws(DBError) {
            let v = try get(name)
            guard v.count == 4 else { throw DBError.badPage(root) }
            let pgno = PageNumber(v[0]) | PageNumber(v[1]) << 8 | PageNumber(v[2]) << 16 | PageNumber(v[3]) << 24
            guard pgno != 0, pgno <= store.lastPage else { throw DBError.badPage(root) }
            return pgno
        } catch where error.code == DB_NOTFOUND {
            return nil
        }
    }

    /// The names in a master tree, in order.
    public func subdatabaseNames() throws(DBError) -> [[UInt8]] {
        guard flags.contains(BtreeFlags.subdatabases) else { return [] }
        let c = cursor()
        var out: [[UInt8]] = []
        while true {
            do throws(DBError) { out.append(try c.get(.next).key) } catch where error.code == DB_NOTFOUND { break }
        }
        return out
    }

    /// Whether this tree is the master of a file of named databases: such a
    /// file opened without a name may only be read (libdb's BDB0590).
    public var isMaster: Bool { flags.contains(BtreeFlags.subdatabases) }

    /// libdb's BDB0590: a file of named databases opened without a name is
    /// its master, which may only be opened read-only.
    public func requireReadOnlyIfMaster(_ readOnly: Bool) throws(DBError) {
        if isMaster && !readOnly {
            throw .invalid("BDB0590 files containing multiple databases may only be opened read-only")
        }
    }

    /// The master of a file that holds named databases; a file made for one
    /// unnamed tree is libdb's BDB1014.
    static func master(of store: any PageStore, fileName: String?) throws(DBError) -> Btree {
        let master = try Btree.open(store: store, name: fileName)
        guard master.isMaster else {
            throw .invalid("BDB1014 \(fileName ?? "unnamed"): multiple databases specified but not supported by file")
        }
        return master
    }

    /// DB->remove of a named database: frees all its pages and its name.
    /// A missing name is ENOENT.
    public static func removeSubdatabase(store: any PageStore, name: [UInt8], fileName: String? = nil) throws(DBError) {
        let master = try master(of: store, fileName: fileName)
        guard try master.lookupSubdatabase(name) != nil else { throw DBError(ENOENT) }
        let tree = try Btree.open(store: store, subdatabase: name, fileName: fileName)
        try tree.freeAllPages()
        try master.delete(name)
    }

    /// DB->rename of a named database: its master entry changes name (its
    /// pages stay). A missing name is ENOENT; a taken new name is EEXIST
    /// with libdb's BDB0673 message.
    public static func renameSubdatabase(store: any PageStore, name: [UInt8], to newName: [UInt8],
                                         fileName: String? = nil) throws(DBError) {
        let master = try master(of: store, fileName: fileName)
        guard let pgno = try master.lookupSubdatabase(name) else { throw DBError(ENOENT) }
        if name == newName { return }
        if try master.lookupSubdatabase(newName) != nil {
            throw DBError(EEXIST, "BDB0673 rename: database \(String(decoding: newName, as: UTF8.self)) exists")
        }
        try master.delete(name)
        let value: [UInt8] = [UInt8(truncatingIfNeeded: pgno), UInt8(truncatingIfNeeded: pgno >> 8),
                              UInt8(truncatingIfNeeded: pgno >> 16), UInt8(truncatingIfNeeded: pgno >> 24)]
        try master.put(newName, value)
    }

    /// Frees every page of this tree (nodes, overflow chains, its meta page).
    func freeAllPages() throws(DBError) {
        var pages: [PageNumber] = []
        func collect(_ pgno: PageNumber, level: UInt8?) throws(DBError) {
            let page = try node(pgno)
            defer { release(page) }
            if let level, page.level != level { throw .badPage(pgno) }
            pages.append(pgno)
            for i in 0..<page.count {
                let p = try page.parse(i)
                for k in 0..<p.fieldCount where p[k].isOverflow {
                    try walkChain(p[k].pgno, total: p[k].length) { (pg, _, _) throws(DBError) -> Bool in
                        pages.append(pg)
                        return true
                    }
                }
                if !page.isLeaf { try collect(p.child, level: page.level - 1) }
            }
        }
        try collect(root, level: nil)
        if metaPage != 0 { pages.append(metaPage) }
        for p in pages { try freePage(p) }
    }
}
