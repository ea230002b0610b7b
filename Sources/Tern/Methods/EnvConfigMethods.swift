// DB_ENV configuration methods: convert C arguments, call the engine's
// setters (Sources/TernEngine/Env/EnvSettings.swift), report errors, write
// out-parameters. Strings returned by getters stay valid until the value is
// replaced or the handle closes, as libdb's internal pointers do.
import CBerkeleyDB
import Glibc
import TernEngine

enum EnvConfigMethods {
    /// Runs `body` on the handle's environment; a thrown DBError goes to the
    /// error channel and becomes the return code.
    static func run(_ dbenv: UnsafeMutablePointer<DB_ENV>?,
                    _ body: (Environment) throws(DBError) -> Void) -> Int32 {
        guard let dbenv else { return EINVAL }
        return HandleCall.run(HandleSlot.box(dbenv).environment, reportingTo: UnsafePointer(dbenv), body)
    }

    static func string(_ p: UnsafePointer<CChar>?) throws(DBError) -> String {
        guard let p else { throw DBError(EINVAL) }
        return String(cString: p)
    }

    /// A C string kept alive by the handle's box under `key`.
    static func keep(_ dbenv: UnsafeMutablePointer<DB_ENV>, _ key: String, _ value: String?) -> UnsafePointer<CChar>? {
        UnsafePointer(HandleSlot.box(dbenv).cStrings.set(key, value))
    }

    static func install(_ h: UnsafeMutablePointer<DB_ENV>) {
        installFlagsAndCache(h)
        installDirectories(h)
        installLogLockTxn(h)
        installRegionAndMutex(h)
        installCallbacks(h)
    }

    static func installFlagsAndCache(_ h: UnsafeMutablePointer<DB_ENV>) {
        h.pointee.set_flags = { e, flags, on in EnvConfigMethods.run(e) { env throws(DBError) in try env.setFlags(flags, on: on != 0) } }
        h.pointee.get_flags = { e, out in EnvConfigMethods.run(e) { env in out?.pointee = env.getFlags() } }
        h.pointee.set_cachesize = { e, g, b, n in EnvConfigMethods.run(e) { env throws(DBError) in try env.setCacheSize(gbytes: g, bytes: b, ncache: n) } }
        h.pointee.get_cachesize = { e, g, b, n in
            EnvConfigMethods.run(e) { env throws(DBError) in
                let v = try env.getCacheSize()
                g?.pointee = v.gbytes; b?.pointee = v.bytes; n?.pointee = v.ncache
            }
        }
        h.pointee.set_cache_max = { e, g, b in EnvConfigMethods.run(e) { env throws(DBError) in try env.setCacheMax(gbytes: g, bytes: b) } }
        h.pointee.get_cache_max = { e, g, b in
            EnvConfigMethods.run(e) { env throws(DBError) in let v = try env.getCacheMax(); g?.pointee = v.gbytes; b?.pointee = v.bytes }
        }
        h.pointee.set_mp_mmapsize = { e, v in EnvConfigMethods.run(e) { env throws(DBError) in try env.setMpMmapSize(v) } }
        h.pointee.get_mp_mmapsize = { e, out in EnvConfigMethods.run(e) { env throws(DBError) in out?.pointee = try env.getMpMmapSize() } }
        h.pointee.set_mp_max_openfd = { e, v in EnvConfigMethods.run(e) { env throws(DBError) in try env.setMpMaxOpenFD(v) } }
        h.pointee.get_mp_max_openfd = { e, out in EnvConfigMethods.run(e) { env throws(DBError) in out?.pointee = try env.getMpMaxOpenFD() } }
        h.pointee.set_mp_max_write = { e, w, s in EnvConfigMethods.run(e) { env throws(DBError) in try env.setMpMaxWrite(w, sleep: s) } }
        h.pointee.get_mp_max_write = { e, w, s in
            EnvConfigMethods.run(e) { env throws(DBError) in let v = try env.getMpMaxWrite(); w?.pointee = v.0; s?.pointee = v.1 }
        }
        h.pointee.set_mp_pagesize = { e, v in EnvConfigMethods.run(e) { env throws(DBError) in try env.setMpPageSize(v) } }
        h.pointee.get_mp_pagesize = { e, out in EnvConfigMethods.run(e) { env throws(DBError) in out?.pointee = try env.getMpPageSize() } }
        h.pointee.set_mp_tablesize = { e, v in EnvConfigMethods.run(e) { env throws(DBError) in try env.setMpTableSize(v) } }
        h.pointee.get_mp_tablesize = { e, out in EnvConfigMethods.run(e) { env throws(DBError) in out?.pointee = try env.getMpTableSize() } }
        h.pointee.set_mp_mtxcount = { e, v in EnvConfigMethods.run(e) { env throws(DBError) in try env.setMpMutexCount(v) } }
        h.pointee.get_mp_mtxcount = { e, out in EnvConfigMethods.run(e) { env throws(DBError) in out?.pointee = try env.getMpMutexCount() } }
        h.pointee.set_encrypt = { e, pw, flags in
            EnvConfigMethods.run(e) { env throws(DBError) in try env.setEncrypt(password: pw.map { String(cString: $0) }, flags: flags) }
        }
        h.pointee.get_encrypt_flags = { e, out in EnvConfigMethods.run(e) { env in out?.pointee = env.getEncryptFlags() } }
    }

    static func installDirectories(_ h: UnsafeMutablePointer<DB_ENV>) {
        h.pointee.add_data_dir = { e, d in
            EnvConfigMethods.run(e) { env throws(DBError) in try env.addDataDir(try EnvConfigMethods.string(d)); EnvConfigMethods.refreshDataDirs(e!) }
        }
        h.pointee.set_data_dir = { e, d in
            EnvConfigMethods.run(e) { env throws(DBError) in
                defer { EnvConfigMethods.refreshDataDirs(e!) }
                try env.setDataDir(try EnvConfigMethods.string(d))
            }
        }
        h.pointee.get_data_dirs = { e, out in
            EnvConfigMethods.run(e) { _ in
                out?.pointee = e!.pointee.db_data_dir.map {
                    UnsafeMutableRawPointer($0).assumingMemoryBound(to: UnsafePointer<CChar>?.self)
                }
            }
        }
        h.pointee.set_create_dir = { e, d in EnvConfigMethods.run(e) { env throws(DBError) in try env.setCreateDir(try EnvConfigMethods.string(d)) } }
        h.pointee.get_create_dir = { e, out in EnvConfigMethods.run(e) { env in out?.pointee = EnvConfigMethods.keep(e!, "create_dir", env.config.createDir) } }
        h.pointee.set_metadata_dir = { e, d in
            EnvConfigMethods.run(e) { env throws(DBError) in
                defer { EnvConfigMethods.refreshDataDirs(e!) }
                try env.setMetadataDir(try EnvConfigMethods.string(d))
            }
        }
        h.pointee.get_metadata_dir = { e, out in EnvConfigMethods.run(e) { env in out?.pointee = EnvConfigMethods.keep(e!, "md_dir", env.config.metadataDir) } }
        h.pointee.set_lg_dir = { e, d in EnvConfigMethods.run(e) { env throws(DBError) in env.setLogDir(try EnvConfigMethods.string(d)) } }
        h.pointee.get_lg_dir = { e, out in EnvConfigMethods.run(e) { env in out?.pointee = EnvConfigMethods.keep(e!, "lg_dir", env.config.logDir) } }
        h.pointee.set_tmp_dir = { e, d in EnvConfigMethods.run(e) { env throws(DBError) in env.setTmpDir(try EnvConfigMethods.string(d)) } }
        h.pointee.get_tmp_dir = { e, out in EnvConfigMethods.run(e) { env in out?.pointee = EnvConfigMethods.keep(e!, "tmp_dir", env.config.tmpDir) } }
        h.pointee.set_intermediate_dir_mode = { e, m in
            EnvConfigMethods.run(e) { env throws(DBError) in try env.setIntermediateDirMode(try EnvConfigMethods.string(m)) }
        }
        h.pointee.get_intermediate_dir_mode = { e, out in
            EnvConfigMethods.run(e) { env in out?.pointee = EnvConfigMethods.keep(e!, "idm", env.config.intermediateDirMode) }
        }
        h.pointee.get_home = { e, out in
            EnvConfigMethods.run(e) { env throws(DBError) in
                try env.requireOpened("DB_ENV->get_home")
                out?.pointee = EnvConfigMethods.keep(e!, "home", env.home)
            }
        }
        h.pointee.get_open_flags = { e, out in
            EnvConfigMethods.run(e) { env throws(DBError) in
                try env.requireOpened("DB_ENV->get_open_flags")
                out?.pointee = env.openFlags
            }
        }
    }

    /// libdb's get_data_dirs returns the DB_ENV's db_data_dir member: a
    /// NULL-terminated array, NULL when no directory was added. Tern keeps
    /// that member in step with the engine's list (strings in the box).
    static func refreshDataDirs(_ dbenv: UnsafeMutablePointer<DB_ENV>) {
        let box = HandleSlot.box(dbenv)
        let dirs = box.environment.config.dataDirs
        if let old = dbenv.pointee.db_data_dir { free(old) }
        dbenv.pointee.db_data_dir = nil
        dbenv.pointee.data_next = Int32(dirs.count)
        guard !dirs.isEmpty else { return }
        let array = calloc(dirs.count + 1, MemoryLayout<UnsafeMutablePointer<CChar>?>.stride)!
            .bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: dirs.count + 1)
        for (i, d) in dirs.enumerated() { array[i] = box.cStrings.set("data_dir.\(i)", d) }
        dbenv.pointee.db_data_dir = array
        dbenv.pointee.data_cnt = Int32(dirs.count + 1)
    }

    static func installLogLockTxn(_ h: UnsafeMutablePointer<DB_ENV>) {
        h.pointee.log_set_config = { e, f, on in EnvConfigMethods.run(e) { env throws(DBError) in try env.setLogConfig(f, on: on != 0) } }
        h.pointee.log_get_config = { e, f, out in
            EnvConfigMethods.run(e) { env throws(DBError) in out?.pointee = try env.getLogConfig(f) ? 1 : 0 }
        }
        h.pointee.set_lg_bsize = { e, v in EnvConfigMethods.run(e) { env throws(DBError) in try env.setLogBufferSize(v) } }
        h.pointee.get_lg_bsize = { e, out in EnvConfigMethods.run(e) { env throws(DBError) in out?.pointee = try env.getLogBufferSize() } }
        h.pointee.set_lg_max = { e, v in EnvConfigMethods.run(e) { env throws(DBError) in try env.setLogFileSize(v) } }
        h.pointee.get_lg_max = { e, out in EnvConfigMethods.run(e) { env throws(DBError) in out?.pointee = try env.getLogFileSize() } }
        h.pointee.set_lg_regionmax = { e, v in EnvConfigMethods.run(e) { env throws(DBError) in try env.setLogRegionMax(v) } }
        h.pointee.get_lg_regionmax = { e, out in EnvConfigMethods.run(e) { env throws(DBError) in out?.pointee = try env.getLogRegionMax() } }
        h.pointee.set_lg_filemode = { e, v in EnvConfigMethods.run(e) { env throws(DBError) in try env.setLogFileMode(v) } }
        h.pointee.get_lg_filemode = { e, out in EnvConfigMethods.run(e) { env throws(DBError) in out?.pointee = try env.getLogFileMode() } }
        h.pointee.set_lk_detect = { e, v in EnvConfigMethods.run(e) { env throws(DBError) in try env.setLockDetect(v) } }
        h.pointee.get_lk_detect = { e, out in EnvConfigMethods.run(e) { env throws(DBError) in out?.pointee = try env.getLockDetect() } }
        h.pointee.set_lk_max_locks = { e, v in EnvConfigMethods.run(e) { env throws(DBError) in try env.setLockMaxLocks(v) } }
        h.pointee.get_lk_max_locks = { e, out in EnvConfigMethods.run(e) { env throws(DBError) in out?.pointee = try env.getLockMaxLocks() } }
        h.pointee.set_lk_max_lockers = { e, v in EnvConfigMethods.run(e) { env throws(DBError) in try env.setLockMaxLockers(v) } }
        h.pointee.get_lk_max_lockers = { e, out in EnvConfigMethods.run(e) { env throws(DBError) in out?.pointee = try env.getLockMaxLockers() } }
        h.pointee.set_lk_max_objects = { e, v in EnvConfigMethods.run(e) { env throws(DBError) in try env.setLockMaxObjects(v) } }
        h.pointee.get_lk_max_objects = { e, out in EnvConfigMethods.run(e) { env throws(DBError) in out?.pointee = try env.getLockMaxObjects() } }
        h.pointee.set_lk_partitions = { e, v in EnvConfigMethods.run(e) { env throws(DBError) in try env.setLockPartitions(v) } }
        h.pointee.get_lk_partitions = { e, out in EnvConfigMethods.run(e) { env throws(DBError) in out?.pointee = try env.getLockPartitions() } }
        h.pointee.set_lk_tablesize = { e, v in EnvConfigMethods.run(e) { env throws(DBError) in try env.setLockTableSize(v) } }
        h.pointee.get_lk_tablesize = { e, out in EnvConfigMethods.run(e) { env throws(DBError) in out?.pointee = try env.getLockTableSize() } }
        h.pointee.set_lk_conflicts = { e, matrix, modes in
            EnvConfigMethods.run(e) { env throws(DBError) in
                let n = Int(max(modes, 0))
                let copy = matrix.map { Array(UnsafeBufferPointer(start: $0, count: n * n)) } ?? []
                try env.setLockConflicts(copy, modes: modes)
                // The getter hands out libdb's own copy: keep one in the handle.
                if let old = e!.pointee.lk_conflicts { free(old) }
                let p = malloc(max(copy.count, 1))!.bindMemory(to: UInt8.self, capacity: max(copy.count, 1))
                for (i, b) in copy.enumerated() { p[i] = b }
                e!.pointee.lk_conflicts = p
            }
        }
        h.pointee.get_lk_conflicts = { e, out, modes in
            EnvConfigMethods.run(e) { env throws(DBError) in
                let v = try env.getLockConflicts()
                out?.pointee = env.lockConflictsInRegion ?? (v.matrix == nil ? nil : UnsafePointer(e!.pointee.lk_conflicts))
                modes?.pointee = v.modes
            }
        }
        h.pointee.set_lk_priority = { e, id, p in EnvConfigMethods.run(e) { env throws(DBError) in try env.setLockPriority(locker: id, priority: p) } }
        h.pointee.get_lk_priority = { e, id, out in
            EnvConfigMethods.run(e) { env throws(DBError) in out?.pointee = try env.getLockPriority(locker: id) }
        }
        h.pointee.set_timeout = { e, t, which in EnvConfigMethods.run(e) { env throws(DBError) in try env.setTimeout(t, which: which) } }
        h.pointee.get_timeout = { e, out, which in
            EnvConfigMethods.run(e) { env throws(DBError) in out?.pointee = try env.getTimeout(which) }
        }
        h.pointee.set_tx_max = { e, v in EnvConfigMethods.run(e) { env throws(DBError) in try env.setTxMax(v) } }
        h.pointee.get_tx_max = { e, out in EnvConfigMethods.run(e) { env throws(DBError) in out?.pointee = try env.getTxMax() } }
        h.pointee.set_tx_timestamp = { e, t in
            EnvConfigMethods.run(e) { env throws(DBError) in try env.setTxTimestamp(t.map { Int($0.pointee) } ?? 0) }
        }
        h.pointee.get_tx_timestamp = { e, out in EnvConfigMethods.run(e) { env in out?.pointee = time_t(env.config.txTimestamp) } }
        h.pointee.set_verbose = { e, which, on in EnvConfigMethods.run(e) { env throws(DBError) in try env.setVerbose(which, on: on != 0) } }
        h.pointee.get_verbose = { e, which, out in
            EnvConfigMethods.run(e) { env throws(DBError) in out?.pointee = try env.getVerbose(which) ? 1 : 0 }
        }
    }

    static func installRegionAndMutex(_ h: UnsafeMutablePointer<DB_ENV>) {
        h.pointee.set_memory_init = { e, type, count in
            EnvConfigMethods.run(e) { env throws(DBError) in try env.setMemoryInit(type.rawValue, count) }
        }
        h.pointee.get_memory_init = { e, type, out in
            EnvConfigMethods.run(e) { env throws(DBError) in if let v = try env.getMemoryInit(type.rawValue) { out?.pointee = v } }
        }
        h.pointee.set_memory_max = { e, g, b in EnvConfigMethods.run(e) { env throws(DBError) in try env.setMemoryMax(gbytes: g, bytes: b) } }
        h.pointee.get_memory_max = { e, g, b in EnvConfigMethods.run(e) { env in let v = env.getMemoryMax(); g?.pointee = v.0; b?.pointee = v.1 } }
        h.pointee.set_thread_count = { e, v in EnvConfigMethods.run(e) { env throws(DBError) in try env.setThreadCount(v) } }
        h.pointee.get_thread_count = { e, out in EnvConfigMethods.run(e) { env in out?.pointee = env.config.threadCount } }
        h.pointee.set_shm_key = { e, v in EnvConfigMethods.run(e) { env throws(DBError) in try env.setShmKey(v) } }
        h.pointee.get_shm_key = { e, out in EnvConfigMethods.run(e) { env in out?.pointee = env.config.shmKey } }
        h.pointee.set_data_len = { e, v in EnvConfigMethods.run(e) { env in env.config.dataLength = v } }
        h.pointee.get_data_len = { e, out in EnvConfigMethods.run(e) { env in out?.pointee = env.config.dataLength } }
        h.pointee.mutex_set_align = { e, v in EnvConfigMethods.run(e) { env throws(DBError) in try env.setMutexAlign(v) } }
        h.pointee.mutex_get_align = { e, out in EnvConfigMethods.run(e) { env in out?.pointee = env.config.mutexAlign } }
        h.pointee.mutex_set_increment = { e, v in EnvConfigMethods.run(e) { env throws(DBError) in try env.setMutexIncrement(v) } }
        h.pointee.mutex_get_increment = { e, out in EnvConfigMethods.run(e) { env in out?.pointee = env.config.mutexIncrement } }
        h.pointee.mutex_set_init = { e, v in EnvConfigMethods.run(e) { env throws(DBError) in try env.setMutexInit(v) } }
        h.pointee.mutex_get_init = { e, out in EnvConfigMethods.run(e) { env in out?.pointee = env.config.mutexInit } }
        h.pointee.mutex_set_max = { e, v in EnvConfigMethods.run(e) { env throws(DBError) in try env.setMutexMax(v) } }
        h.pointee.mutex_get_max = { e, out in EnvConfigMethods.run(e) { env in out?.pointee = env.config.mutexMax } }
        h.pointee.mutex_set_tas_spins = { e, v in EnvConfigMethods.run(e) { env in env.setMutexTasSpins(v) } }
        h.pointee.mutex_get_tas_spins = { e, out in EnvConfigMethods.run(e) { env in out?.pointee = env.config.mutexTasSpins } }
        h.pointee.is_bigendian = { 0 }
    }

    /// Callbacks live in the DB_ENV struct members where libdb keeps them.
    static func installCallbacks(_ h: UnsafeMutablePointer<DB_ENV>) {
        h.pointee.set_event_notify = { e, f in e?.pointee.db_event_func = f; return 0 }
        h.pointee.set_feedback = { e, f in e?.pointee.db_feedback = f; return 0 }
        h.pointee.get_feedback = { e, out in out?.pointee = e?.pointee.db_feedback; return 0 }
        h.pointee.set_paniccall = { e, f in e?.pointee.db_paniccall = f; return 0 }
        h.pointee.set_app_dispatch = { e, f in
            EnvConfigMethods.run(e) { env throws(DBError) in
                try env.requireNotOpened("DB_ENV->set_app_dispatch")
                e!.pointee.app_dispatch = f
                env.applicationDispatch = f.map { f in
                    { record, lsn, op in
                        var dbt = DBT()
                        dbt.data = UnsafeMutableRawPointer(mutating: record.baseAddress)
                        dbt.size = UInt32(record.count)
                        var at = DB_LSN(file: lsn.file, offset: lsn.offset)
                        return f(e, &dbt, &at, db_recops(rawValue: op))
                    }
                }
            }
        }
        h.pointee.get_app_dispatch = { e, out in out?.pointee = e?.pointee.app_dispatch; return 0 }
        h.pointee.set_isalive = { e, f in
            EnvConfigMethods.run(e) { env throws(DBError) in try env.requireThreadTable(setter: true); e!.pointee.is_alive = f }
        }
        h.pointee.get_isalive = { e, out in
            EnvConfigMethods.run(e) { env throws(DBError) in try env.requireThreadTable(setter: false); out?.pointee = e!.pointee.is_alive }
        }
        h.pointee.set_thread_id = { e, f in e?.pointee.thread_id = f; return 0 }
        h.pointee.get_thread_id_fn = { e, out in out?.pointee = e?.pointee.thread_id; return 0 }
        h.pointee.set_thread_id_string = { e, f in e?.pointee.thread_id_string = f; return 0 }
        h.pointee.get_thread_id_string_fn = { e, out in out?.pointee = e?.pointee.thread_id_string; return 0 }
        h.pointee.set_alloc = { e, m, r, f in
            EnvConfigMethods.run(e) { env throws(DBError) in
                try env.requireNotOpened("DB_ENV->set_alloc")
                e!.pointee.db_malloc = m; e!.pointee.db_realloc = r; e!.pointee.db_free = f
            }
        }
        h.pointee.get_alloc = { e, m, r, f in
            m?.pointee = e?.pointee.db_malloc; r?.pointee = e?.pointee.db_realloc; f?.pointee = e?.pointee.db_free
            return 0
        }
        // libdb's defaults: the process and thread id, printed "pid/tid".
        h.pointee.thread_id = { _, pid, tid in
            pid?.pointee = getpid()
            tid?.pointee = pthread_self()
        }
        h.pointee.thread_id_string = { _, pid, tid, buf in
            guard let buf else { return nil }
            _ = "\(UInt64(pid))/\(UInt64(tid))".withCString { strncpy(buf, $0, Int(DB_THREADID_STRLEN) - 1) }
            buf[Int(DB_THREADID_STRLEN) - 1] = 0
            return buf
        }
    }
}
