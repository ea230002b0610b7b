// DB_CONFIG: the configuration file DB_ENV->open (and remove) reads from the
// environment home, as libdb's __env_read_db_config / __config_parse.
//
// Each line is applied through the same Environment setters the C methods
// use, so a DB_CONFIG line and the matching call fail alike. libdb's quirks
// are kept because applications' files were written against them:
// - the file is read with fgets into a 256-byte buffer, so a line longer
//   than 255 bytes is handled as several lines (and counts as several);
// - fields are separated by spaces, tabs and newlines only;
// - keywords of the simple table are matched case-sensitively, the others
//   (set_flags, set_cachesize, ...) case-insensitively;
// - a string-valued keyword takes the rest of the line, trailing blanks too;
// - the first failing line stops the file and its error is open's error.
import CBerkeleyDB
import Glibc

public enum DBConfigFile {
    /// Reads `<home>/DB_CONFIG` (or ./DB_CONFIG without a home) if it exists
    /// and applies it to `env`; `openFlags` receives set_open_flags lines.
    public static func apply(home: String?, to env: Environment, openFlags: inout UInt32) throws(DBError) {
        // libdb looks for DB_CONFIG only in an explicit home: with a NULL
        // home (and no DB_HOME) it reads none, not even ./DB_CONFIG.
        guard let home else { return }
        guard let fp = fopen(home + "/DB_CONFIG", "r") else { return }
        defer { fclose(fp) }
        var buffer = [CChar](repeating: 0, count: 256)
        var lineNumber: Int32 = 1
        while fgets(&buffer, Int32(buffer.count), fp) != nil {
            let length = buffer.firstIndex(of: 0) ?? buffer.count
            let line = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            try applyLine(line, number: lineNumber, to: env, openFlags: &openFlags)
            lineNumber += 1
        }
    }

    /// Applies one fgets chunk: trailing newline (and a CR before it) and
    /// leading whitespace removed; blank and '#' lines ignored.
    public static func applyLine(_ raw: String, number: Int32, to env: Environment,
                                 openFlags: inout UInt32) throws(DBError) {
        var bytes = Array(raw.utf8)
        if let nl = bytes.firstIndex(of: UInt8(ascii: "\n")) { bytes.removeSubrange(nl...) }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        let start = bytes.firstIndex { isspace(Int32($0)) == 0 } ?? bytes.count
        let text = Array(bytes[start...])
        if text.isEmpty || text[0] == UInt8(ascii: "#") { return }
        try parse(text, number: number, env: env, openFlags: &openFlags)
    }

    enum ArgType { case int, long, uint, twoInt, twoUInt, string }

    /// libdb's config_descs: keyword, argument type. Replication keywords are
    /// handed to `Environment.replicationConfigLine`.
    static let simple: [String: ArgType] = [
        "add_data_dir": .string, "db_data_dir": .string, "db_log_dir": .string,
        "db_tmp_dir": .string, "mutex_set_align": .uint, "mutex_set_increment": .uint,
        "mutex_set_init": .uint, "mutex_set_max": .uint, "mutex_set_tas_spins": .uint,
        "rep_set_clockskew": .twoUInt, "rep_set_limit": .twoUInt, "rep_set_nsites": .uint,
        "rep_set_priority": .uint, "rep_set_request": .twoUInt, "set_cache_max": .twoUInt,
        "set_create_dir": .string, "set_data_dir": .string, "set_data_len": .uint,
        "set_intermediate_dir_mode": .string, "set_lg_bsize": .uint, "set_lg_dir": .string,
        "set_lg_filemode": .int, "set_lg_max": .uint, "set_lg_regionmax": .uint,
        "set_lk_max_lockers": .uint, "set_lk_max_locks": .uint, "set_lk_max_objects": .uint,
        "set_lk_partitions": .uint, "set_lk_tablesize": .uint, "set_memory_max": .twoUInt,
        "set_metadata_dir": .string, "set_mp_max_openfd": .int, "set_mp_max_write": .twoInt,
        "set_mp_mmapsize": .uint, "set_mp_mtxcount": .uint, "set_mp_pagesize": .uint,
        "set_shm_key": .long, "set_tas_spins": .uint, "set_thread_count": .uint,
        "set_tmp_dir": .string, "set_tx_max": .uint,
    ]

    static let memInitNames: [(String, UInt32)] = [
        ("DB_MEM_LOCK", UInt32(DB_MEM_LOCK.rawValue)), ("DB_MEM_LOCKER", UInt32(DB_MEM_LOCKER.rawValue)),
        ("DB_MEM_LOCKOBJECT", UInt32(DB_MEM_LOCKOBJECT.rawValue)),
        ("DB_MEM_TRANSACTION", UInt32(DB_MEM_TRANSACTION.rawValue)),
        ("DB_MEM_THREAD", UInt32(DB_MEM_THREAD.rawValue)), ("DB_MEM_LOGID", UInt32(DB_MEM_LOGID.rawValue)),
    ]
    static let envFlagNames: [(String, UInt32)] = [
        ("db_auto_commit", UInt32(DB_AUTO_COMMIT)), ("db_cdb_alldb", UInt32(DB_CDB_ALLDB)),
        ("db_direct_db", UInt32(DB_DIRECT_DB)), ("db_dsync_db", UInt32(DB_DSYNC_DB)),
        ("db_multiversion", UInt32(DB_MULTIVERSION)), ("db_nolocking", UInt32(DB_NOLOCKING)),
        ("db_nommap", UInt32(DB_NOMMAP)), ("db_nopanic", UInt32(DB_NOPANIC)),
        ("db_overwrite", UInt32(DB_OVERWRITE)), ("db_region_init", UInt32(DB_REGION_INIT)),
        ("db_time_notgranted", UInt32(DB_TIME_NOTGRANTED)), ("db_txn_nosync", UInt32(DB_TXN_NOSYNC)),
        ("db_txn_nowait", UInt32(DB_TXN_NOWAIT)), ("db_txn_snapshot", UInt32(DB_TXN_SNAPSHOT)),
        ("db_txn_write_nosync", UInt32(DB_TXN_WRITE_NOSYNC)), ("db_yieldcpu", UInt32(DB_YIELDCPU)),
    ]
    static let logFlagNamesForSetFlags: [(String, UInt32)] = [
        ("db_direct_log", UInt32(DB_LOG_DIRECT)), ("db_dsync_log", UInt32(DB_LOG_DSYNC)),
        ("db_log_autoremove", UInt32(DB_LOG_AUTO_REMOVE)), ("db_log_inmemory", UInt32(DB_LOG_IN_MEMORY)),
    ]
    static let logConfigNames: [(String, UInt32)] = [
        ("db_log_direct", UInt32(DB_LOG_DIRECT)), ("db_log_dsync", UInt32(DB_LOG_DSYNC)),
        ("db_log_auto_remove", UInt32(DB_LOG_AUTO_REMOVE)), ("db_log_in_memory", UInt32(DB_LOG_IN_MEMORY)),
        ("db_log_zero", UInt32(DB_LOG_ZERO)),
    ]
    static let lockDetectNames: [(String, UInt32)] = [
        ("db_lock_default", UInt32(DB_LOCK_DEFAULT)), ("db_lock_expire", UInt32(DB_LOCK_EXPIRE)),
        ("db_lock_maxlocks", UInt32(DB_LOCK_MAXLOCKS)), ("db_lock_maxwrite", UInt32(DB_LOCK_MAXWRITE)),
        ("db_lock_minlocks", UInt32(DB_LOCK_MINLOCKS)), ("db_lock_minwrite", UInt32(DB_LOCK_MINWRITE)),
        ("db_lock_oldest", UInt32(DB_LOCK_OLDEST)), ("db_lock_random", UInt32(DB_LOCK_RANDOM)),
        ("db_lock_youngest", UInt32(DB_LOCK_YOUNGEST)),
    ]
    static let openFlagNames: [(String, UInt32)] = [
        ("db_init_rep", UInt32(DB_INIT_REP)), ("db_private", UInt32(DB_PRIVATE)),
        ("db_register", UInt32(DB_REGISTER)), ("db_thread", UInt32(DB_THREAD)),
    ]
    static let verboseNames: [(String, UInt32)] = [
        ("db_verb_backup", UInt32(DB_VERB_BACKUP)), ("db_verb_deadlock", UInt32(DB_VERB_DEADLOCK)),
        ("db_verb_fileops", UInt32(DB_VERB_FILEOPS)), ("db_verb_fileops_all", UInt32(DB_VERB_FILEOPS_ALL)),
        ("db_verb_recovery", UInt32(DB_VERB_RECOVERY)), ("db_verb_register", UInt32(DB_VERB_REGISTER)),
        ("db_verb_replication", UInt32(DB_VERB_REPLICATION)), ("db_verb_rep_elect", UInt32(DB_VERB_REP_ELECT)),
        ("db_verb_rep_lease", UInt32(DB_VERB_REP_LEASE)), ("db_verb_rep_misc", UInt32(DB_VERB_REP_MISC)),
        ("db_verb_rep_msgs", UInt32(DB_VERB_REP_MSGS)), ("db_verb_rep_sync", UInt32(DB_VERB_REP_SYNC)),
        ("db_verb_rep_system", UInt32(DB_VERB_REP_SYSTEM)), ("db_verb_rep_test", UInt32(DB_VERB_REP_TEST)),
        ("db_verb_repmgr_connfail", UInt32(DB_VERB_REPMGR_CONNFAIL)),
        ("db_verb_repmgr_misc", UInt32(DB_VERB_REPMGR_MISC)), ("db_verb_waitsfor", UInt32(DB_VERB_WAITSFOR)),
    ]

    /// __db_name_to_val: case-insensitive.
    static func lookup(_ table: [(String, UInt32)], _ name: String) -> UInt32? {
        table.first { strcasecmp($0.0, name) == 0 }?.1
    }

    /// __config_scan: fields split on ' ', '\t', '\n' (empty fields skipped),
    /// at most 10; a string keyword takes the rest of the line.
    static func scan(_ text: [UInt8]) -> (fields: [String], type: ArgType?) {
        var fields: [String] = []
        var type: ArgType?
        var i = 0
        func isSep(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0a }
        while i <= text.count {
            var j = i
            while j < text.count && !isSep(text[j]) { j += 1 }
            let token = text[i..<j]
            let atEnd = j >= text.count
            i = j + 1
            if !token.isEmpty {
                fields.append(String(decoding: token, as: UTF8.self))
                if fields.count == 1, let t = simple[fields[0]] {
                    type = t
                    if t == .string {
                        var k = atEnd ? text.count : i
                        while k < text.count && isspace(Int32(text[k])) != 0 { k += 1 }
                        fields.append(String(decoding: text[min(k, text.count)...], as: UTF8.self))
                        break
                    }
                }
                if fields.count >= 10 { break }
            }
            if atEnd { break }
        }
        return (fields, type)
    }

    static func parse(_ text: [UInt8], number: Int32, env: Environment, openFlags: inout UInt32) throws(DBError) {
        let (argv, type) = scan(text)
        let nf = argv.count
        let format = DBError.invalid("BDB1584 line \(number): \(argv.first ?? ""): incorrect name-value pair")
        if nf < 2 { throw format }
        if let type {
            switch type {
            case .int:
                if nf != 2 { throw format }
                let v = try number32(argv[1], max: Int(Int32.max))
                try applySimple(argv[0], ints: [v], env: env)
            case .long:
                if nf != 2 { throw format }
                let v = try number32(argv[1], max: Int.max)
                try applySimple(argv[0], ints: [v], env: env)
            case .uint:
                if nf != 2 { throw format }
                let v = try unsigned(argv[1], max: UInt(UInt32.max))
                try applySimple(argv[0], ints: [Int(v)], env: env)
            case .twoInt:
                if nf != 3 { throw format }
                let a = try number32(argv[1], max: Int(Int32.max))
                let b = try number32(argv[2], max: Int(Int32.max))
                try applySimple(argv[0], ints: [a, b], env: env)
            case .twoUInt:
                if nf != 3 { throw format }
                let a = try unsigned(argv[1], max: UInt(UInt32.max))
                let b = try unsigned(argv[2], max: UInt(UInt32.max))
                try applySimple(argv[0], ints: [Int(a), Int(b)], env: env)
            case .string:
                try applyString(argv[0], argv[1], env: env)
            }
            return
        }
        let keyword = argv[0]
        func named(_ k: String) -> Bool { strcasecmp(keyword, k) == 0 }
        /// The optional trailing "on"/"off" of flag-style lines.
        func onOff() throws(DBError) -> Bool {
            if nf != 2 && nf != 3 { throw format }
            if nf == 3 {
                if strcasecmp(argv[2], "off") == 0 { return false }
                if strcasecmp(argv[2], "on") != 0 { throw format }
            }
            return true
        }
        if named("set_memory_init") {
            if nf != 3 { throw format }
            guard let type = lookup(memInitNames, argv[1]) else { throw format }
            let count = try unsigned32Strict(argv[2])
            try env.setMemoryInit(type, count)
        } else if named("rep_set_config") || named("rep_set_timeout") || named("repmgr_set_ack_policy")
                    || named("repmgr_site") {
            try env.replicationConfigLine(argv, format)
        } else if named("set_cachesize") {
            if nf != 4 { throw format }
            let g = try unsigned32Strict(argv[1])
            let b = try unsigned32Strict(argv[2])
            let n = try number32(argv[3], max: Int(Int32.max))
            try env.setCacheSize(gbytes: g, bytes: b, ncache: Int32(n))
        } else if named("set_intermediate_dir") {
            if nf != 2 { throw format }
            let v = try number32(argv[1], max: Int(Int32.max))
            if v <= 0 { throw format }
            env.config.dirMode = Int32(v)
        } else if named("set_flags") {
            let on = try onOff()
            if let flag = lookup(envFlagNames, argv[1]) {
                try env.setFlags(flag, on: on)
            } else if let flag = lookup(logFlagNamesForSetFlags, argv[1]) {
                try env.setLogConfig(flag, on: on)
            } else {
                throw format
            }
        } else if named("log_set_config") {
            let on = try onOff()
            guard let flag = lookup(logConfigNames, argv[1]) else { throw format }
            try env.setLogConfig(flag, on: on)
        } else if named("set_lk_detect") {
            if nf != 2 { throw format }
            guard let mode = lookup(lockDetectNames, argv[1]) else { throw format }
            try env.setLockDetect(mode)
        } else if named("set_lock_timeout") {
            if nf != 2 { throw format }
            try env.setTimeout(try unsigned32Strict(argv[1]), which: UInt32(DB_SET_LOCK_TIMEOUT))
        } else if named("set_open_flags") {
            let on = try onOff()
            guard let flag = lookup(openFlagNames, argv[1]) else { throw format }
            if on { openFlags |= flag } else { openFlags &= ~flag }
        } else if named("set_region_init") {
            if nf != 2 { throw format }
            let v = try number32(argv[1], max: Int(Int32.max))
            if v != 0 && v != 1 { throw format }
            try env.setFlags(UInt32(DB_REGION_INIT), on: v == 1)
        } else if named("set_reg_timeout") {
            if nf != 2 { throw format }
            try env.setTimeout(try unsigned32Strict(argv[1]), which: UInt32(DB_SET_REG_TIMEOUT))
        } else if named("set_txn_timeout") {
            if nf != 2 { throw format }
            try env.setTimeout(try unsigned32Strict(argv[1]), which: UInt32(DB_SET_TXN_TIMEOUT))
        } else if named("set_verbose") {
            let on = try onOff()
            guard let which = lookup(verboseNames, argv[1]) else { throw format }
            try env.setVerbose(which, on: on)
        } else {
            // libdb's scan cut the line at the first separator, so only the
            // keyword is quoted.
            throw .invalid("BDB1585 unrecognized name-value pair: \(keyword)")
        }
    }

    static func applySimple(_ keyword: String, ints v: [Int], env: Environment) throws(DBError) {
        let u = v.map { UInt32(truncatingIfNeeded: $0) }
        switch keyword {
        case "mutex_set_align": try env.setMutexAlign(u[0])
        case "mutex_set_increment": try env.setMutexIncrement(u[0])
        case "mutex_set_init": try env.setMutexInit(u[0])
        case "mutex_set_max": try env.setMutexMax(u[0])
        case "mutex_set_tas_spins", "set_tas_spins": env.setMutexTasSpins(u[0])
        case "set_cache_max": try env.setCacheMax(gbytes: u[0], bytes: u[1])
        case "set_data_len": env.config.dataLength = u[0]
        case "set_lg_bsize": try env.setLogBufferSize(u[0])
        case "set_lg_filemode": try env.setLogFileMode(Int32(truncatingIfNeeded: v[0]))
        case "set_lg_max": try env.setLogFileSize(u[0])
        case "set_lg_regionmax": try env.setLogRegionMax(u[0])
        case "set_lk_max_lockers": try env.setLockMaxLockers(u[0])
        case "set_lk_max_locks": try env.setLockMaxLocks(u[0])
        case "set_lk_max_objects": try env.setLockMaxObjects(u[0])
        case "set_lk_partitions": try env.setLockPartitions(u[0])
        case "set_lk_tablesize": try env.setLockTableSize(u[0])
        case "set_memory_max": try env.setMemoryMax(gbytes: u[0], bytes: u[1])
        case "set_mp_max_openfd": try env.setMpMaxOpenFD(Int32(truncatingIfNeeded: v[0]))
        case "set_mp_max_write": try env.setMpMaxWrite(Int32(truncatingIfNeeded: v[0]), sleep: u[1])
        case "set_mp_mmapsize": try env.setMpMmapSize(Int(u[0]))
        case "set_mp_mtxcount": try env.setMpMutexCount(u[0])
        case "set_mp_pagesize": try env.setMpPageSize(u[0])
        case "set_shm_key": try env.setShmKey(v[0])
        case "set_thread_count": try env.setThreadCount(u[0])
        case "set_tx_max": try env.setTxMax(u[0])
        default: try env.replicationConfigLine([keyword] + v.map { String($0) }, nil)
        }
    }

    static func applyString(_ keyword: String, _ value: String, env: Environment) throws(DBError) {
        switch keyword {
        case "add_data_dir": try env.addDataDir(value)
        case "db_data_dir", "set_data_dir": try env.setDataDir(value)
        case "db_log_dir", "set_lg_dir": env.setLogDir(value)
        case "db_tmp_dir", "set_tmp_dir": env.setTmpDir(value)
        case "set_create_dir": try env.setCreateDir(value)
        case "set_intermediate_dir_mode": try env.setIntermediateDirMode(value)
        case "set_metadata_dir": try env.setMetadataDir(value)
        default: throw .invalid("BDB1585 unrecognized name-value pair: \(keyword)")
        }
    }

    // libdb's __db_getlong / __db_getulong with the DB_ENV error channel:
    // strtol/strtoul semantics (leading blanks and a sign accepted), the
    // whole field must be numeric, and range errors name the bound.

    static func number32(_ s: String, max: Int) throws(DBError) -> Int {
        errno = 0
        var end: UnsafeMutablePointer<CChar>?
        let (value, rest): (Int, CChar) = s.withCString { p in
            let v = strtol(p, &end, 10)
            return (v, end?.pointee ?? 0)
        }
        if (value == Int.min || value == Int.max) && errno == ERANGE {
            throw DBError(ERANGE, "\(s): \(String(cString: strerror(ERANGE)))")
        }
        if s.isEmpty || (rest != 0 && rest != 0x0a) {
            throw DBError(EINVAL, "BDB0043 \(s): Invalid numeric argument")
        }
        if value < 0 { throw DBError(ERANGE, "BDB0045 \(s): Less than minimum value (0)") }
        if value > max { throw DBError(ERANGE, "BDB0047 \(s): Greater than maximum value (\(max))") }
        return value
    }

    static func unsigned(_ s: String, max: UInt) throws(DBError) -> UInt {
        errno = 0
        var end: UnsafeMutablePointer<CChar>?
        let (value, rest): (UInt, CChar) = s.withCString { p in
            let v = strtoul(p, &end, 10)
            return (v, end?.pointee ?? 0)
        }
        if value == UInt.max && errno == ERANGE {
            throw DBError(ERANGE, "\(s): \(String(cString: strerror(ERANGE)))")
        }
        if s.isEmpty || (rest != 0 && rest != 0x0a) {
            throw DBError(EINVAL, "BDB0049 \(s): Invalid numeric argument")
        }
        if max != 0 && value > max {
            throw DBError(ERANGE, "BDB0053 \(s): Greater than maximum value (\(max))")
        }
        return value
    }

    /// CFG_GET_UINT32: any failure (after its message) is EINVAL.
    static func unsigned32Strict(_ s: String) throws(DBError) -> UInt32 {
        do {
            return UInt32(try unsigned(s, max: UInt(UInt32.max)))
        } catch {
            throw DBError(EINVAL, error.message)
        }
    }
}
