// The lock table's records and their lists: lockers (libdb's lock_id.c:
// __lock_getlocker_int, __lock_addfamilylocker, __lock_freelocker_int),
// lock objects (__lock_getobj and the reclaim in __lock_put_internal), and
// the intrusive lists that link them. Every function here runs with the
// table mutex held (LockLayout.swift's locking rule).
import CBerkeleyDB
import CTernAtomics
import Glibc

extension LockTable {
    // MARK: lockers

    @inline(__always) func lockerBucket(_ id: UInt32) -> Int {
        lockerTableAt + Int(id % lockerTableSize) * 4
    }

    /// The locker record for `id`, or nil.
    func findLocker(_ id: UInt32) -> UInt32? {
        var k = base.u32(lockerBucket(id))
        while k != 0 {
            if ld(k, KR.id) == id { return k }
            k = ld(k, KR.hashNext)
        }
        return nil
    }

    /// libdb's __lock_getlocker_int with create: finds or makes the locker.
    func locker(_ id: UInt32) throws(DBError) -> UInt32 {
        if let k = findLocker(id) { return k }
        guard let k = popFree(.locker) ?? (grow(.locker) ? popFree(.locker) : nil) else {
            throw DBError(ENOMEM, "BDB2055 Lock table is out of available locker entries")
        }
        for field in stride(from: 0, to: KR.size, by: 4) { st(k, field, 0) }
        st(k, KR.id, id)
        st(k, KR.priority, LockConstant.defaultPriority)
        st(k, KR.pid, UInt32(bitPattern: tern_current_pid()))
        st64(k, KR.thread, UInt64(pthread_self()))
        let bucket = lockerBucket(id)
        let head = base.u32(bucket)
        st(k, KR.hashNext, head)
        if head != 0 { st(head, KR.hashPrev, k) }
        base.setU32(bucket, k)
        let all = header(LH.lockersHead)
        st(k, KR.allNext, all)
        if all != 0 { st(all, KR.allPrev, k) }
        setHeader(LH.lockersHead, k)
        let n = header(LH.nlockers) + 1
        setHeader(LH.nlockers, n)
        if UInt64(n) > stat(.maxnlockers) { setStat(.maxnlockers, UInt64(n)) }
        return k
    }

    /// libdb's __lock_addfamilylocker: `child` joins `parent`'s family.
    func addToFamily(child k: UInt32, parent p: UInt32) {
        st(k, KR.parent, p)
        var root = p
        if ld(p, KR.master) == 0 {
            st(k, KR.master, p)
        } else {
            root = ld(p, KR.master)
            st(k, KR.master, root)
        }
        let head = ld(root, KR.childHead)
        st(k, KR.childNext, head)
        st(k, KR.childPrev, 0)
        if head != 0 { st(head, KR.childPrev, k) }
        st(root, KR.childHead, k)
    }

    private func removeFromFamily(_ k: UInt32) {
        let root = ld(k, KR.master)
        guard root != 0 else { return }
        let next = ld(k, KR.childNext), prev = ld(k, KR.childPrev)
        if prev != 0 { st(prev, KR.childNext, next) } else { st(root, KR.childHead, next) }
        if next != 0 { st(next, KR.childPrev, prev) }
        st(k, KR.childNext, 0)
        st(k, KR.childPrev, 0)
        st(k, KR.master, 0)
    }

    /// libdb's __lock_freelocker_int(reallyfree): a locker holding or
    /// waiting for locks cannot go.
    func freeLockerRecord(_ k: UInt32) throws(DBError) {
        if ld(k, KR.heldHead) != 0 { throw .invalid("BDB2047 Freeing locker with locks") }
        let root = ld(k, KR.master)
        // Family members still naming this locker as their parent or root
        // would point at a reused record: re-parent them (libdb relies on
        // children ending first).
        if root == 0 {
            var c = ld(k, KR.childHead)
            while c != 0 {
                let next = ld(c, KR.childNext)
                st(c, KR.master, 0)
                st(c, KR.childNext, 0)
                st(c, KR.childPrev, 0)
                if ld(c, KR.parent) == k { st(c, KR.parent, 0) }
                c = next
            }
            st(k, KR.childHead, 0)
        } else {
            var c = ld(root, KR.childHead)
            while c != 0 {
                if ld(c, KR.parent) == k { st(c, KR.parent, ld(k, KR.parent)) }
                c = ld(c, KR.childNext)
            }
            removeFromFamily(k)
        }
        let bucket = lockerBucket(ld(k, KR.id))
        let next = ld(k, KR.hashNext), prev = ld(k, KR.hashPrev)
        if prev != 0 { st(prev, KR.hashNext, next) } else { base.setU32(bucket, next) }
        if next != 0 { st(next, KR.hashPrev, prev) }
        let allNext = ld(k, KR.allNext), allPrev = ld(k, KR.allPrev)
        if allPrev != 0 { st(allPrev, KR.allNext, allNext) } else { setHeader(LH.lockersHead, allNext) }
        if allNext != 0 { st(allNext, KR.allPrev, allPrev) }
        st(k, KR.id, 0)
        pushFree(.locker, k)
        setHeader(LH.nlockers, header(LH.nlockers) - 1)
    }

    /// libdb's __lock_id: the next locker id, wrapping into the largest
    /// unused range of ids (__db_idspace) when the current range is used up.
    func allocateLockerID() throws(DBError) -> UInt32 {
        if header(LH.lockID) == LockConstant.maxLockerID && header(LH.curMaxID) != LockConstant.maxLockerID {
            setHeader(LH.lockID, LockConstant.invalidLockerID)
        }
        if header(LH.lockID) == header(LH.curMaxID) {
            var ids: [UInt32] = []
            var k = header(LH.lockersHead)
            while k != 0 { ids.append(ld(k, KR.id)); k = ld(k, KR.allNext) }
            var low = LockConstant.invalidLockerID, high = LockConstant.maxLockerID
            if !ids.isEmpty { Self.idSpace(ids, min: &low, max: &high) }
            setHeader(LH.lockID, low)
            setHeader(LH.curMaxID, high)
        }
        let id = header(LH.lockID) &+ 1
        setHeader(LH.lockID, id)
        _ = try locker(id)
        return id
    }

    /// libdb's __db_idspace: the largest gap between ids in use.
    static func idSpace(_ inUse: [UInt32], min minp: inout UInt32, max maxp: inout UInt32) {
        if inUse.count == 1 {
            if inUse[0] != maxp { minp = inUse[0] }
            maxp = inUse[0] &- 1
            return
        }
        let ids = inUse.sorted()
        var gap: UInt32 = 0, low = 0
        for i in 0..<(ids.count - 1) where ids[i + 1] &- ids[i] > gap {
            gap = ids[i + 1] &- ids[i]
            low = i
        }
        if (maxp &- ids[ids.count - 1]) &+ (ids[0] &- minp) > gap {
            if ids[ids.count - 1] != maxp { minp = ids[ids.count - 1] }
            maxp = ids[0] &- 1
        } else {
            minp = ids[low]
            maxp = ids[low + 1] &- 1
        }
    }

    /// libdb's __lock_same_family: whether `holder`'s locks are compatible
    /// with `requester`'s requests -- `holder` is an ancestor of
    /// `requester`, or both belong to one family locker.
    func sameFamily(_ holder: UInt32, _ requester: UInt32) -> Bool {
        var r = requester
        var guardCount = 0
        while ld(r, KR.parent) != 0 && guardCount < 1 << 16 {
            r = ld(r, KR.parent)
            if r == holder { return true }
            guardCount += 1
        }
        if ld(r, KR.flags) & LockerFlag.familyLocker == 0 { return false }
        var h = holder
        guardCount = 0
        while ld(h, KR.parent) != 0 && guardCount < 1 << 16 {
            h = ld(h, KR.parent)
            guardCount += 1
        }
        return h == r
    }

    // MARK: the locker's held list (newest first)

    func linkToLocker(_ lock: UInt32, _ k: UInt32) {
        let head = ld(k, KR.heldHead)
        st(lock, LR.lockerNext, head)
        st(lock, LR.lockerPrev, 0)
        if head != 0 { st(head, LR.lockerPrev, lock) }
        st(k, KR.heldHead, lock)
    }

    func unlinkFromLocker(_ lock: UInt32) {
        let k = ld(lock, LR.holder)
        let next = ld(lock, LR.lockerNext), prev = ld(lock, LR.lockerPrev)
        if prev != 0 { st(prev, LR.lockerNext, next) } else if ld(k, KR.heldHead) == lock { st(k, KR.heldHead, next) }
        if next != 0 { st(next, LR.lockerPrev, prev) }
        st(lock, LR.lockerNext, 0)
        st(lock, LR.lockerPrev, 0)
    }

    // MARK: objects

    /// The object table's hash: eight bytes at a time (lock objects are
    /// 9 bytes of database plus the key), multiply-xorshift mixed. Every
    /// process of a region runs the same code, so the same hash.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            h = (h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 29
            i += 8
        }
        if i < n {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n { tail |= UInt64(bytes[i]) << shift; shift += 8; i += 1 }
            h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        }
        h ^= h >> 32
        return UInt32(truncatingIfNeeded: h)
    }

    func objectBytes(_ o: UInt32) -> UnsafeRawBufferPointer {
        let size = Int(ld(o, OR.size))
        let external = ld64(o, OR.external)
        let p = external != 0 ? UnsafeRawPointer(region.pointer(RegionOffset(external)))
            : UnsafeRawPointer(base + Int(o) + OR.inline)
        return UnsafeRawBufferPointer(start: p, count: size)
    }

    /// libdb's __lock_getobj: the object named `name`, created when absent
    /// and `create` is set. ENOMEM texts are libdb's: its object allocator
    /// shares the lock allocator's template, message included.
    func object(_ name: UnsafeRawBufferPointer, create: Bool) throws(DBError) -> UInt32? {
        let h = Self.hash(name)
        let bucketIndex = h % objectTableSize
        let bucket = objectTableAt + Int(bucketIndex) * 4
        var length: UInt64 = 0
        var o = base.u32(bucket)
        while o != 0 {
            length += 1
            if ld(o, OR.hash) == h && Int(ld(o, OR.size)) == name.count
                && (name.count == 0 || memcmp(objectBytes(o).baseAddress!, name.baseAddress!, name.count) == 0) {
                break
            }
            o = ld(o, OR.hashNext)
        }
        if o == 0 && create {
            guard let fresh = popFree(.object) ?? (grow(.object) ? popFree(.object) : nil) else {
                throw DBError(ENOMEM, "BDB2055 Lock table is out of available lock entries")
            }
            var external: UInt64 = 0
            if name.count > OR.inlineCapacity {
                guard let off = try? region.allocate(name.count) else {
                    pushFree(.object, fresh)
                    throw DBError(ENOMEM, "No space for lock object storage")
                }
                external = off.raw
                region.pointer(off).copyMemory(from: name.baseAddress!, byteCount: name.count)
            } else if name.count > 0 {
                (base + Int(fresh) + OR.inline).copyMemory(from: name.baseAddress!, byteCount: name.count)
            }
            o = fresh
            st(o, OR.hashPrev, 0); st(o, OR.holdersHead, 0); st(o, OR.holdersTail, 0)
            st(o, OR.waitersHead, 0); st(o, OR.waitersTail, 0)
            st(o, OR.ddNext, 0); st(o, OR.ddPrev, 0); st(o, OR.onDD, 0)
            st(o, OR.bucket, bucketIndex)
            st(o, OR.size, UInt32(name.count))
            st(o, OR.hash, h)
            st64(o, OR.external, external)
            let head = base.u32(bucket)
            st(o, OR.hashNext, head)
            if head != 0 { st(head, OR.hashPrev, o) }
            base.setU32(bucket, o)
            length += 1
            bump(.nobjects)
            if stat(.nobjects) > stat(.maxnobjects) { setStat(.maxnobjects, stat(.nobjects)) }
        }
        if length > stat(.hashLength) { setStat(.hashLength, length) }
        return o == 0 ? nil : o
    }

    /// Returns an object with neither holders nor waiters to the free list.
    func reclaimObject(_ o: UInt32) {
        let bucket = objectTableAt + Int(ld(o, OR.bucket)) * 4
        let next = ld(o, OR.hashNext), prev = ld(o, OR.hashPrev)
        if prev != 0 { st(prev, OR.hashNext, next) } else { base.setU32(bucket, next) }
        if next != 0 { st(next, OR.hashPrev, prev) }
        let external = ld64(o, OR.external)
        if external != 0 {
            region.free(RegionOffset(external))
            st64(o, OR.external, 0)
        }
        st(o, OR.generation, ld(o, OR.generation) &+ 1)
        pushFree(.object, o)
        setStat(.nobjects, stat(.nobjects) &- 1)
    }

    // MARK: an object's holders and waiters

    enum Queue { case holders, waiters }

    private func ends(_ q: Queue) -> (head: Int, tail: Int, tag: UInt32) {
        q == .holders ? (OR.holdersHead, OR.holdersTail, LR.onHolders) : (OR.waitersHead, OR.waitersTail, LR.onWaiters)
    }

    func first(_ o: UInt32, _ q: Queue) -> UInt32 { ld(o, ends(q).head) }

    func append(_ lock: UInt32, to o: UInt32, _ q: Queue) {
        let e = ends(q)
        let tail = ld(o, e.tail)
        st(lock, LR.next, 0)
        st(lock, LR.prev, tail)
        if tail != 0 { st(tail, LR.next, lock) } else { st(o, e.head, lock) }
        st(o, e.tail, lock)
        st(lock, LR.list, e.tag)
    }

    func prepend(_ lock: UInt32, to o: UInt32, _ q: Queue) {
        let e = ends(q)
        let head = ld(o, e.head)
        st(lock, LR.prev, 0)
        st(lock, LR.next, head)
        if head != 0 { st(head, LR.prev, lock) } else { st(o, e.tail, lock) }
        st(o, e.head, lock)
        st(lock, LR.list, e.tag)
    }

    func insert(_ lock: UInt32, after previous: UInt32, in o: UInt32, _ q: Queue) {
        let e = ends(q)
        let next = ld(previous, LR.next)
        st(lock, LR.prev, previous)
        st(lock, LR.next, next)
        st(previous, LR.next, lock)
        if next != 0 { st(next, LR.prev, lock) } else { st(o, e.tail, lock) }
        st(lock, LR.list, e.tag)
    }

    func remove(_ lock: UInt32, from o: UInt32, _ q: Queue) {
        let e = ends(q)
        let next = ld(lock, LR.next), prev = ld(lock, LR.prev)
        if prev != 0 { st(prev, LR.next, next) } else { st(o, e.head, next) }
        if next != 0 { st(next, LR.prev, prev) } else { st(o, e.tail, prev) }
        st(lock, LR.next, 0)
        st(lock, LR.prev, 0)
        st(lock, LR.list, LR.onNone)
    }

    // MARK: the detector's object list (objects with waiters, newest first)

    func addToDeadlockList(_ o: UInt32) {
        guard ld(o, OR.onDD) == 0 else { return }
        let head = header(LH.ddHead)
        st(o, OR.ddNext, head)
        st(o, OR.ddPrev, 0)
        if head != 0 { st(head, OR.ddPrev, o) }
        setHeader(LH.ddHead, o)
        st(o, OR.onDD, 1)
    }

    func removeFromDeadlockList(_ o: UInt32) {
        guard ld(o, OR.onDD) != 0 else { return }
        let next = ld(o, OR.ddNext), prev = ld(o, OR.ddPrev)
        if prev != 0 { st(prev, OR.ddNext, next) } else { setHeader(LH.ddHead, next) }
        if next != 0 { st(next, OR.ddPrev, prev) }
        st(o, OR.ddNext, 0)
        st(o, OR.ddPrev, 0)
        st(o, OR.onDD, 0)
    }
}
