// The DB handle's configuration methods, with libdb 5.3.28's checks in
// libdb's order. The order matters and is observable: libdb applies part of a
// call before a later check fails (DB->set_flags maps DB_CHKSUM before it
// looks at DB_DUP, and every access-method check narrows the handle's
// possible access methods even when the call then fails), and the first
// failing check decides the message.
//
// Getters that libdb guards with DB_ILLEGAL_METHOD narrow the access methods
// too, exactly as libdb's do.
import CBerkeleyDB
import Glibc

extension Database {
    // MARK: - Checks shared by the setters

    /// libdb's __dbh_am_chk: the call implies one of `allowed`; fails if the
    /// handle can no longer be any of them, else narrows it to them.
    public func requireAccessMethod(_ allowed: AccessMethods) throws(DBError) {
        if config.accessMethods.isDisjoint(with: allowed) {
            throw .invalid("BDB0506 call implies an access method which is inconsistent with previous calls")
        }
        config.accessMethods.formIntersection(allowed)
    }

    // MARK: - What the environment provides

    /// libdb's CRYPTO_ON: the environment was given a password.
    var encryptionConfigured: Bool { environment.config.password != nil }

    /// libdb's env->tx_handle: the environment was opened with DB_INIT_TXN.
    var transactionsConfigured: Bool {
        environment.phase == .opened && environment.openFlags & UInt32(DB_INIT_TXN) != 0
    }

    /// The environment's data directories, in the order they were added.
    public var dataDirectories: [String] { environment.config.dataDirs }

    // MARK: - Flags

    /// DB->set_flags.
    public func setFlags(_ flags: UInt32) throws(DBError) {
        var rest = flags
        if rest & UInt32(DB_ENCRYPT) != 0 && !encryptionConfigured {
            throw .invalid("BDB0508 Database environment not configured for encryption")
        }
        if rest & UInt32(DB_TXN_NOT_DURABLE) != 0 && !transactionsConfigured {
            throw .notConfigured("DB_NOT_DURABLE", subsystem: "transaction")
        }
        // __db_map_flags: applied at once, before any later check.
        if take(&rest, DB_CHKSUM) { config.flags.insert(.checksum) }
        if take(&rest, DB_ENCRYPT) { config.flags.formUnion([.encrypt, .checksum]) }
        if take(&rest, DB_TXN_NOT_DURABLE) { config.flags.insert(.notDurable) }

        try setBtreeFlags(&rest)
        try setRecnoFlags(&rest)
        // Queue's DB_INORDER: libdb checks neither the phase nor the method.
        if take(&rest, DB_INORDER) { config.flags.insert(.inOrder) }

        if rest != 0 { throw .illegalFlag("DB->set_flags") }
    }

    /// __bam_set_flags: duplicates, record numbers, reverse splits.
    private func setBtreeFlags(_ rest: inout UInt32) throws(DBError) {
        let dup = UInt32(DB_DUP), dupSort = UInt32(DB_DUPSORT)
        let recnum = UInt32(DB_RECNUM), revSplit = UInt32(DB_REVSPLITOFF)
        let given = rest
        if given & (dup | dupSort | recnum | revSplit) != 0 { try requireNotOpened("DB->set_flags") }
        if given & (dup | dupSort) != 0 { try requireAccessMethod([.btree, .hash]) }
        if given & (recnum | revSplit) != 0 { try requireAccessMethod([.btree, .hash]) }

        let incompatible = (given & (dup | dupSort) != 0 && config.flags.contains(.recnum))
            || (given & recnum != 0 && config.flags.contains(.dup))
            || (given & recnum != 0 && given & (dup | dupSort) != 0)
        if incompatible { throw .illegalFlagCombination("DB->set_flags") }

        if given & recnum != 0 && config.flags.contains(.compress) {
            throw .invalid("BDB1024 DB_RECNUM cannot be used with compression")
        }
        if given & dup != 0 && given & dupSort == 0 && !config.flags.contains(.dupSort)
            && config.flags.contains(.compress) {
            throw .invalid("BDB1025 DB_DUP cannot be used with compression without DB_DUPSORT")
        }
        if given & dupSort != 0, case .none = config.dupCompare {
            if config.flags.contains(.compress) {
                config.dupCompareIsCompressWrapper = true
                config.dupCompare = .builtIn
                config.compressDupCompare = .builtIn
            } else {
                config.dupCompare = .builtIn
            }
        }
        if take(&rest, DB_DUP) { config.flags.insert(.dup) }
        if take(&rest, DB_DUPSORT) { config.flags.formUnion([.dup, .dupSort]) }
        if take(&rest, DB_RECNUM) { config.flags.insert(.recnum) }
        if take(&rest, DB_REVSPLITOFF) { config.flags.insert(.revSplitOff) }
    }

    /// __ram_set_flags: renumbering and snapshots, Recno only.
    private func setRecnoFlags(_ rest: inout UInt32) throws(DBError) {
        if rest & UInt32(DB_RENUMBER | DB_SNAPSHOT) != 0 {
            try requireNotOpened("DB->set_flags")
            try requireAccessMethod(.recno)
        }
        if take(&rest, DB_RENUMBER) { config.flags.insert(.renumber) }
        if take(&rest, DB_SNAPSHOT) { config.flags.insert(.snapshot) }
    }

    /// Clears `flag` from `flags`, saying whether it was there.
    private func take(_ flags: inout UInt32, _ flag: Int32) -> Bool {
        let bit = UInt32(bitPattern: flag)
        guard flags & bit != 0 else { return false }
        flags &= ~bit
        return true
    }

    /// DB->get_flags: a public flag is reported when every internal bit it
    /// maps to is set (DB_DUP is reported for DB_DUPSORT databases too).
    public var publicFlags: UInt32 {
        let table: [(Int32, DatabaseStateFlags)] = [
            (DB_CHKSUM, .checksum), (DB_DUP, .dup), (DB_DUPSORT, [.dup, .dupSort]),
            (DB_ENCRYPT, [.encrypt, .checksum]), (DB_INORDER, .inOrder), (DB_RECNUM, .recnum),
            (DB_RENUMBER, .renumber), (DB_REVSPLITOFF, .revSplitOff), (DB_SNAPSHOT, .snapshot),
            (DB_TXN_NOT_DURABLE, .notDurable),
        ]
        var result: UInt32 = 0
        for (flag, state) in table where config.flags.isSuperset(of: state) {
            result |= UInt32(bitPattern: flag)
        }
        return result
    }

    // MARK: - General

    public func setPageSize(_ size: UInt32) throws(DBError) {
        try requireNotOpened("DB->set_pagesize")
        if size < 512 { throw .invalid("BDB0509 page sizes may not be smaller than 512") }
        if size > 65536 { throw .invalid("BDB0510 page sizes may not be larger than 65536") }
        if size & (size - 1) != 0 { throw .invalid("BDB0511 page sizes must be a power-of-2") }
        config.pageSize = size
    }

    /// The host's byte order as libdb names it.
    public static let hostByteOrder: Int32 = 1234.littleEndian == 1234 ? 1234 : 4321

    /// DB->set_lorder: 0 means the host's order; only 1234 and 4321 exist.
    public func setByteOrder(_ order: Int32) throws(DBError) {
        try requireNotOpened("DB->set_lorder")
        switch order {
        case 0, Database.hostByteOrder: config.flags.remove(.swap)
        case 1234, 4321: config.flags.insert(.swap)
        default:
            throw .invalid("BDB0041 unsupported byte order, only big and little-endian supported")
        }
    }

    public var byteOrder: Int32 {
        let other: Int32 = Database.hostByteOrder == 1234 ? 4321 : 1234
        return config.flags.contains(.swap) ? other : Database.hostByteOrder
    }

    /// DB->set_priority stores any value, unchecked, as libdb does.
    public func setPriority(_ priority: DB_CACHE_PRIORITY) { config.priority = priority }

    /// DB->get_priority: the handle's own value, else the file's, which is
    /// DB_PRIORITY_DEFAULT until the DB_MPOOLFILE is given another.
    public var priority: DB_CACHE_PRIORITY {
        config.priority == DB_PRIORITY_UNCHANGED ? DB_PRIORITY_DEFAULT : config.priority
    }

    public func setExclusiveLocking(noWait: Bool) throws(DBError) {
        try requireNotOpened("DB->set_lk_exclusive")
        config.flags.remove(.exclusiveNoWait)
        config.flags.insert(noWait ? [.exclusive, .exclusiveNoWait] : .exclusive)
    }

    public func setAppendRecno(_ f: DBAppendRecnoFunction?) throws(DBError) {
        try requireNotOpened("DB->set_append_recno")
        try requireAccessMethod([.queue, .recno])
        config.appendRecno = f
    }

    public func appendRecno() throws(DBError) -> DBAppendRecnoFunction? {
        try requireAccessMethod([.queue, .recno])
        return config.appendRecno
    }

    /// DB->set_create_dir: the directory must be one of the environment's
    /// data directories (`dataDirectories`, in the order they were added).
    public func setCreateDirectory(_ dir: String) throws(DBError) {
        guard dataDirectories.contains(dir) else {
            throw .invalid("BDB0507 Directory \(dir) not in environment list.")
        }
        config.createDirectory = dir
    }

    // MARK: - Btree

    public func setBtreeMinKey(_ minKey: UInt32) throws(DBError) {
        try requireNotOpened("DB->set_bt_minkey")
        try requireAccessMethod(.btree)
        if minKey < 2 { throw .invalid("BDB1031 minimum bt_minkey value is 2") }
        config.btMinKey = minKey
    }

    public func btreeMinKey() throws(DBError) -> UInt32 {
        try requireAccessMethod(.btree)
        return config.btMinKey
    }

    /// A custom comparison disables libdb's default prefix routine: key
    /// shortening could break the application's ordering.
    public func setBtreeCompare(_ f: DBCompareFunction?) throws(DBError) {
        try requireNotOpened("DB->set_bt_compare")
        try requireAccessMethod(.btree)
        config.btCompare = Routine(f)
        if case .builtIn = config.btPrefix { config.btPrefix = .none }
    }

    public func btreeCompare() throws(DBError) -> Routine<DBCompareFunction> {
        try requireAccessMethod(.btree)
        return config.btCompare
    }

    public func setBtreePrefix(_ f: DBPrefixFunction?) throws(DBError) {
        try requireNotOpened("DB->set_bt_prefix")
        try requireAccessMethod(.btree)
        config.btPrefix = Routine(f)
    }

    public func btreePrefix() throws(DBError) -> Routine<DBPrefixFunction> {
        try requireAccessMethod(.btree)
        return config.btPrefix
    }

    /// DB->set_bt_compress: both routines, or neither for libdb's defaults.
    public func setBtreeCompress(_ compress: DBCompressFunction?,
                                 _ decompress: DBDecompressFunction?) throws(DBError) {
        try requireNotOpened("DB->set_bt_compress")
        try requireAccessMethod(.btree)
        if config.flags.contains(.recnum) {
            throw .invalid("BDB1027 compression cannot be used with DB_RECNUM")
        }
        if config.flags.contains(.dup) && !config.flags.contains(.dupSort) {
            throw .invalid("BDB1028 compression cannot be used with DB_DUP without DB_DUPSORT")
        }
        switch (compress, decompress) {
        case let (c?, d?):
            config.btCompress = .custom(c)
            config.btDecompress = .custom(d)
        case (nil, nil):
            config.btCompress = .builtIn
            config.btDecompress = .builtIn
        default:
            throw .invalid("BDB1029 to enable compression you need to supply both function arguments")
        }
        config.flags.insert(.compress)
        // Sorted duplicates: the application's routine moves behind libdb's
        // compression wrapper.
        if config.flags.contains(.dupSort) {
            config.compressDupCompare = config.dupCompare
            config.dupCompare = .builtIn
            config.dupCompareIsCompressWrapper = true
        }
    }

    public func btreeCompress() throws(DBError)
        -> (Routine<DBCompressFunction>, Routine<DBDecompressFunction>) {
        try requireAccessMethod(.btree)
        return (config.btCompress, config.btDecompress)
    }

    /// DB->set_dup_compare turns on sorted duplicates (through set_flags, so
    /// its checks and messages are set_flags').
    public func setDuplicateCompare(_ f: DBCompareFunction?) throws(DBError) {
        try requireNotOpened("DB->set_dup_compare")
        try requireAccessMethod([.btree, .hash])
        try setFlags(UInt32(DB_DUPSORT))
        if config.flags.contains(.compress) {
            config.dupCompareIsCompressWrapper = true
            config.dupCompare = .builtIn
            config.compressDupCompare = Routine(f)
        } else {
            config.dupCompareIsCompressWrapper = false
            config.dupCompare = Routine(f)
        }
    }

    public func duplicateCompare() throws(DBError) -> Routine<DBCompareFunction> {
        try requireAccessMethod([.btree, .hash])
        return config.duplicateCompare
    }

    // MARK: - Hash

    public func setHashFillFactor(_ factor: UInt32) throws(DBError) {
        try requireNotOpened("DB->set_h_ffactor")
        try requireAccessMethod(.hash)
        config.hFillFactor = factor
    }

    public func setHashElements(_ count: UInt32) throws(DBError) {
        try requireNotOpened("DB->set_h_nelem")
        try requireAccessMethod(.hash)
        config.hNelem = count
    }

    public func hashElements() throws(DBError) -> UInt32 {
        try requireAccessMethod(.hash)
        return config.hNelem
    }

    public func setHashFunction(_ f: DBHashFunction?) throws(DBError) {
        try requireNotOpened("DB->set_h_hash")
        try requireAccessMethod(.hash)
        config.hHash = f
    }

    public func hashFunction() throws(DBError) -> DBHashFunction? {
        try requireAccessMethod(.hash)
        return config.hHash
    }

    public func setHashCompare(_ f: DBCompareFunction?) throws(DBError) {
        try requireNotOpened("DB->set_h_compare")
        try requireAccessMethod(.hash)
        config.hCompare = f
    }

    public func hashCompare() throws(DBError) -> DBCompareFunction? {
        try requireAccessMethod(.hash)
        return config.hCompare
    }

    // MARK: - Recno and Queue

    public func setRecordDelimiter(_ delim: Int32) throws(DBError) {
        try requireNotOpened("DB->set_re_delim")
        try requireAccessMethod(.recno)
        config.reDelim = delim
        config.flags.insert(.delimiter)
    }

    public func recordDelimiter() throws(DBError) -> Int32 {
        try requireAccessMethod(.recno)
        return config.reDelim
    }

    public func setRecordLength(_ length: UInt32) throws(DBError) {
        try requireNotOpened("DB->set_re_len")
        try requireAccessMethod([.queue, .recno])
        config.reLength = length
        config.flags.insert(.fixedLength)
    }

    public func recordLength() throws(DBError) -> UInt32 {
        try requireAccessMethod([.queue, .recno])
        return config.reLength
    }

    public func setRecordPad(_ pad: Int32) throws(DBError) {
        try requireNotOpened("DB->set_re_pad")
        try requireAccessMethod([.queue, .recno])
        config.rePad = pad
        config.flags.insert(.pad)
    }

    public func recordPad() throws(DBError) -> Int32 {
        try requireAccessMethod([.queue, .recno])
        return config.rePad
    }

    public func setRecordSource(_ source: String?) throws(DBError) {
        try requireNotOpened("DB->set_re_source")
        try requireAccessMethod(.recno)
        config.reSource = source
    }

    public func recordSource() throws(DBError) -> String? {
        try requireAccessMethod(.recno)
        return config.reSource
    }

    /// libdb names this method "DB->set_extentsize" in its message and does
    /// not restrict it to Queue.
    public func setQueueExtentSize(_ pages: UInt32) throws(DBError) {
        try requireNotOpened("DB->set_extentsize")
        if pages < 1 { throw .invalid("BDB1140 Extent size must be at least 1") }
        config.qExtentSize = pages
    }

    // MARK: - Heap

    /// The flags argument is unused by libdb 5.3 and not checked.
    public func setHeapSize(gigabytes: UInt32, bytes: UInt32) throws(DBError) {
        try requireNotOpened("DB->set_heapsize")
        try requireAccessMethod(.heap)
        config.heapSizeGigabytes = gigabytes
        config.heapSizeBytes = bytes
    }

    public func heapSize() throws(DBError) -> (gigabytes: UInt32, bytes: UInt32) {
        try requireAccessMethod(.heap)
        return (config.heapSizeGigabytes, config.heapSizeBytes)
    }

    public func setHeapRegionSize(_ pages: UInt32) throws(DBError) {
        try requireNotOpened("DB->set_heap_regionsize")
        try requireAccessMethod(.heap)
        if pages == 0 { throw .invalid("BDB1168 region size may not be 0") }
        config.heapRegionSize = pages
    }

    public func heapRegionSize() throws(DBError) -> UInt32 {
        try requireAccessMethod(.heap)
        return config.heapRegionSize
    }

    // MARK: - Partitions

    /// DB->set_partition: by key ranges or by callback, never both.
    public func setPartition(count: UInt32, keys: UnsafeMutablePointer<DBT>?,
                             callback: DBPartitionFunction?) throws(DBError) {
        try requireNotOpened("DB->set_partition")
        if count < 2 { throw .invalid("BDB0646 Must specify at least 2 partitions.") }
        if keys == nil && callback == nil {
            throw .invalid("BDB0647 Must specify either keys or a callback.")
        }
        let bothMessage = "BDB0648 May not specify both keys and a callback."
        if keys != nil && callback != nil { throw .invalid(bothMessage) }
        var part = config.partition ?? PartitionConfig()
        if (keys != nil && part.byCallback) || (callback != nil && part.byRange) {
            throw .invalid("BDB0645 Cannot specify callback and range keys.")
        }
        if keys != nil { part.byRange = true } else { part.byCallback = true }
        config.partition = part
        if (part.keys != nil && callback != nil) || (part.callback != nil && keys != nil) {
            throw .invalid(bothMessage)
        }
        part.count = count
        part.keys = keys
        part.callback = callback
        config.partition = part
    }

    /// DB->set_partition_dirs. In a private environment any names are kept;
    /// in an application's environment each must be a data directory.
    public func setPartitionDirectories(_ dirs: [String], privateEnvironment: Bool) throws(DBError) {
        try requireNotOpened("DB->set_partition_dirs")
        if !privateEnvironment {
            for dir in dirs where !dataDirectories.contains(dir) {
                throw .invalid("BDB0649 Directory not in environment list \(dir)")
            }
        }
        var part = config.partition ?? PartitionConfig()
        part.directories = dirs
        config.partition = part
    }
}
