// DB_ENV's lock methods: lock_id, lock_id_free, lock_get, lock_put,
// lock_vec, lock_detect, lock_stat, lock_stat_print. C arguments in (DBTs,
// DB_LOCK, DB_LOCKREQ arrays), the engine call (Sources/TernEngine/Lock/
// LockEnvironment.swift decides everything), results out: the DB_LOCKs
// libdb writes, lock_vec's elistp, and DB_LOCK_STAT in one block from the
// application's malloc (libdb's __os_umalloc).
import CBerkeleyDB
import Glibc
import TernEngine

enum LockMethods {
    static func install(_ h: UnsafeMutablePointer<DB_ENV>) {
        h.pointee.lock_id = { dbenv, idp in
            EnvConfigMethods.run(dbenv) { env throws(DBError) in
                let id = try env.lockID()
                idp?.pointee = id
            }
        }
        h.pointee.lock_id_free = { dbenv, id in
            EnvConfigMethods.run(dbenv) { env throws(DBError) in try env.lockIDFree(id) }
        }
        h.pointee.lock_get = { dbenv, locker, flags, obj, mode, lockp in
            EnvConfigMethods.run(dbenv) { env throws(DBError) in
                guard let obj else { throw DBError(EINVAL) }
                var raw = lockp.map { LockMethods.raw($0.pointee) } ?? RawLock()
                defer { if let lockp { LockMethods.store(raw, into: lockp) } }
                let bytes = UnsafeRawBufferPointer(start: obj.pointee.data, count: Int(obj.pointee.size))
                try env.lockGet(locker: locker, flags: flags, object: bytes, mode: mode.rawValue, lock: &raw)
            }
        }
        h.pointee.lock_put = { dbenv, lockp in
            EnvConfigMethods.run(dbenv) { env throws(DBError) in
                guard let lockp else { throw DBError(EINVAL) }
                var raw = LockMethods.raw(lockp.pointee)
                defer { LockMethods.store(raw, into: lockp) }
                try env.lockPut(&raw)
            }
        }
        h.pointee.lock_vec = { dbenv, locker, flags, list, nlist, elistp in
            LockMethods.vector(dbenv, locker, flags, list, nlist, elistp)
        }
        h.pointee.lock_detect = { dbenv, flags, atype, rejectp in
            EnvConfigMethods.run(dbenv) { env throws(DBError) in
                let rejected = try env.lockDetect(flags: flags, policy: atype)
                rejectp?.pointee = Int32(clamping: rejected)
            }
        }
        h.pointee.lock_stat = { dbenv, statp, flags in
            guard let dbenv else { return EINVAL }
            var stats = LockStatistics()
            let ret = EnvConfigMethods.run(dbenv) { env throws(DBError) in
                stats = try env.lockStatistics(flags: flags)
            }
            if ret != 0 { return ret }
            guard let statp else { return 0 }
            statp.pointee = nil
            guard let p = UserMemory.allocate(MemoryLayout<DB_LOCK_STAT>.size, dbenv) else { return ENOMEM }
            let sp = p.bindMemory(to: DB_LOCK_STAT.self, capacity: 1)
            sp.initialize(to: LockMethods.lockStat(stats))
            statp.pointee = sp
            return 0
        }
        h.pointee.lock_stat_print = { dbenv, flags in
            EnvConfigMethods.run(dbenv) { env throws(DBError) in
                EnvSubsystemMethods.print(dbenv, try env.lockStatisticsText(flags: flags))
            }
        }
    }

    static func raw(_ l: DB_LOCK) -> RawLock {
        RawLock(offset: UInt64(l.off), index: l.ndx, generation: l.gen, mode: l.mode.rawValue)
    }

    static func store(_ raw: RawLock, into p: UnsafeMutablePointer<DB_LOCK>) {
        p.pointee.off = roff_t(truncatingIfNeeded: raw.offset)
        if raw.isValid {
            p.pointee.ndx = raw.index
            p.pointee.gen = raw.generation
            p.pointee.mode = db_lockmode_t(rawValue: raw.mode)
        }
    }

    static func bytes(_ dbt: UnsafeMutablePointer<DBT>?) -> [UInt8]? {
        guard let dbt else { return nil }
        let size = Int(dbt.pointee.size)
        guard size > 0, let data = dbt.pointee.data else { return [] }
        return Array(UnsafeRawBufferPointer(start: data, count: size))
    }

    /// lock_vec: the requests become engine operations; each request's
    /// DB_LOCK is written back as libdb writes it, and *elistp names the
    /// failed request.
    static func vector(_ dbenv: UnsafeMutablePointer<DB_ENV>?, _ locker: UInt32, _ flags: UInt32,
                       _ list: UnsafeMutablePointer<DB_LOCKREQ>?, _ nlist: Int32,
                       _ elistp: UnsafeMutablePointer<UnsafeMutablePointer<DB_LOCKREQ>?>?) -> Int32 {
        guard let dbenv else { return EINVAL }
        let count = list == nil ? 0 : max(0, Int(nlist))
        var ops: [LockTable.VectorOperation] = []
        var locks: [RawLock] = []
        for i in 0..<count {
            let req = list![i]
            locks.append(raw(req.lock))
            switch req.op {
            case DB_LOCK_GET: ops.append(.get(mode: req.mode.rawValue, object: bytes(req.obj), timeout: nil))
            case DB_LOCK_GET_TIMEOUT:
                ops.append(.get(mode: req.mode.rawValue, object: bytes(req.obj), timeout: req.timeout))
            case DB_LOCK_INHERIT: ops.append(.inherit)
            case DB_LOCK_PUT: ops.append(.put(raw(req.lock)))
            case DB_LOCK_PUT_ALL: ops.append(.putAll)
            case DB_LOCK_PUT_OBJ: ops.append(.putObject(bytes(req.obj)))
            case DB_LOCK_PUT_READ: ops.append(.putRead)
            case DB_LOCK_TIMEOUT: ops.append(.timeout)
            case DB_LOCK_TRADE: ops.append(.trade(raw(req.lock)))
            case DB_LOCK_UPGRADE_WRITE: ops.append(.upgradeWrite)
            default: ops.append(.invalid(Int32(bitPattern: req.op.rawValue)))
            }
        }
        var failure: (failed: Int, error: DBError)?
        let ret = EnvConfigMethods.run(dbenv) { env throws(DBError) in
            failure = try env.lockVector(locker: locker, flags: flags, ops, locks: &locks)
        }
        if ret != 0 { return ret }
        for i in 0..<count {
            switch ops[i] {
            case .get, .put: store(locks[i], into: &list![i].lock)
            default: break
            }
        }
        guard let failure else { return 0 }
        elistp?.pointee = list! + failure.failed
        return ErrorChannel.report(UnsafePointer(dbenv), failure.error)
    }

    static func lockStat(_ s: LockStatistics) -> DB_LOCK_STAT {
        var st = DB_LOCK_STAT()
        st.st_id = s.id
        st.st_cur_maxid = s.curMaxID
        st.st_initlocks = s.initLocks
        st.st_initlockers = s.initLockers
        st.st_initobjects = s.initObjects
        st.st_locks = s.locks
        st.st_lockers = s.lockers
        st.st_objects = s.objects
        st.st_maxlocks = s.maxLocks
        st.st_maxlockers = s.maxLockers
        st.st_maxobjects = s.maxObjects
        st.st_partitions = s.partitions
        st.st_tablesize = s.tableSize
        st.st_nmodes = s.nmodes
        st.st_nlockers = s.nlockers
        st.st_nlocks = s.nlocks
        st.st_maxnlocks = s.maxnlocks
        st.st_maxhlocks = s.maxhlocks
        st.st_maxnlockers = s.maxnlockers
        st.st_nobjects = s.nobjects
        st.st_maxnobjects = s.maxnobjects
        st.st_maxhobjects = s.maxhobjects
        st.st_nrequests = uintmax_t(s.nrequests)
        st.st_nreleases = uintmax_t(s.nreleases)
        st.st_nupgrade = uintmax_t(s.nupgrade)
        st.st_ndowngrade = uintmax_t(s.ndowngrade)
        st.st_lock_wait = uintmax_t(s.lockWait)
        st.st_lock_nowait = uintmax_t(s.lockNowait)
        st.st_ndeadlocks = uintmax_t(s.ndeadlocks)
        st.st_locktimeout = s.lockTimeout
        st.st_nlocktimeouts = uintmax_t(s.nlocktimeouts)
        st.st_txntimeout = s.txnTimeout
        st.st_ntxntimeouts = uintmax_t(s.ntxntimeouts)
        st.st_hash_len = s.hashLength
        st.st_regsize = roff_t(truncatingIfNeeded: s.regionSize)
        return st
    }
}
