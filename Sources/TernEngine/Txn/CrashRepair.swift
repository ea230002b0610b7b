// Taking over a region whose previous log holder died with it open (its
// process crashed or exited without DB_ENV->close), without DB_RECOVER.
//
// libdb lets such a process join: its regions, cache included, survive the
// dead process, so a joiner sees every write the dead process applied. Tern
// does the same, after undoing what the dead process may have left half
// done. This runs only for an opener that is the only live process with
// the log (Region.holdLog's `alone`, held exclusively until its open is
// done), so at this point nobody else uses the region's logged state:
// - the commit gate: held by the dead process means it died inside a commit
//   section (or a checkpoint's cut), with a record's apply possibly half
//   done: the pages cannot be trusted, the region panics and the caller gets
//   DB_RUNRECOVERY (DB_RECOVER rebuilds from the files and the log);
// - tree latches it held (a reader, or a writer before its section: pages
//   untouched) are re-initialised — POSIX rwlocks are not robust;
// - a committed checkpoint journal is re-applied, an uncommitted one
//   discarded (by attachSubsystems, for every process that takes the log);
// - a checkpoint in flight is undone in the cache (PageCache.restoreAfterCrash):
//   the pages it copied are dirty again, its frozen spill folded back.
// The robust mutexes (buckets, eviction, checkpoint) were made consistent by
// whoever locked them first.
import CBerkeleyDB
import Glibc

extension Environment {
    func repairAfterCrash() throws(DBError) {
        guard let region, let gate = commitGate else { return }
        guard gate.latch.tryLockExclusive() else {
            region.setPanic()
            throw DBError(DB_RUNRECOVERY, "BDB0060 PANIC: fatal region error detected; run recovery")
        }
        gate.latch.unlock()
        Database.resetHeldLatches(in: region)
        try cache?.restoreAfterCrash()
        // The journal is completed or discarded by the caller next.
    }
}

extension Database {
    /// Re-initialises every tree latch some process holds: only for a region
    /// no live process uses (see Txn/CrashRepair.swift).
    static func resetHeldLatches(in region: Region) {
        guard let area = region.existingArea("tree latches") else { return }
        for slot in 0..<latchSlots {
            let p = region.pointer(area.offset) + slot * SharedLatch.size
            let latch = SharedLatch(at: p)
            if latch.tryLockExclusive() {
                latch.unlock()
            } else {
                _ = SharedLatch.initialize(at: p)
            }
        }
    }
}

extension Environment {
    /// Tests: what this process's death would leave behind — the region (and
    /// its cache) as it is, the log's buffered records left in the region (a
    /// real death leaves them there too; DB_RECOVER discards them), the log
    /// lock dropped (as the kernel drops it), the log holder still recorded,
    /// no checkpoint. The handle and its databases are unusable afterwards.
    func abandonForTesting() {
        for database in openDatabases.values {
            // Cursors outliving this must not unpin into the closed region.
            database.opened?.tree.releaseHeldPages()
            database.opened = nil
            database.markClosed()
        }
        openDatabases = [:]
        fileRegistry.detach()
        region?.releaseLogHold()
        region?.close()
        log = nil
        cache = nil
        commitGate = nil
        region = nil
        registrySlot = nil
        markClosed()
    }
}
