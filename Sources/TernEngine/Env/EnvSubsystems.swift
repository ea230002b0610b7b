// The environment's shared subsystems, created or joined by DB_ENV->open and
// released by close:
// - the region: `__tern.region` in the home, or anonymous memory for
//   DB_PRIVATE, sized at creation from the configuration (as libdb sizes
//   its regions at open);
// - the page cache in it (DB_INIT_MPOOL);
// - the log (DB_INIT_LOG, implied by DB_INIT_TXN), in the home or lg_dir.
//
// Invariant: after a clean close, every database file holds all committed
// data (close checkpoints the cache after flushing the log), so a reopen
// needs no recovery.
import CBerkeleyDB
import Glibc

extension Environment {
    /// Creates (DB_CREATE) or joins the region and starts the subsystems the
    /// open flags ask for. On failure nothing stays attached.
    func attachSubsystems() throws(DBError) {
        let create = openFlags & UInt32(DB_CREATE) != 0
        let dir = home ?? "."
        let newRegion: Region
        if openFlags & UInt32(DB_PRIVATE) != 0 {
            newRegion = try Region.makePrivate(size: Region.size(for: config))
        } else {
            do {
                newRegion = try Region.open(home: dir, size: Region.size(for: config), create: create,
                                            mode: mode_t(mode == 0 ? 0o660 : mode))
            } catch let error where error.code == ENOENT && !create {
                // No environment to join: libdb's silent ENOENT.
                throw DBError(ENOENT)
            }
        }
        var newCache: PageCache?
        var newLog: Log?
        do {
            if isRequested(.mpool) {
                let cacheBytes = Int(config.cacheGBytes) * Int(EnvironmentConfig.gigabyte) + Int(config.cacheBytes)
                newCache = try PageCache(region: newRegion, cacheBytes: cacheBytes, spillDirectory: dir)
            }
            if isRequested(.log) {
                newLog = try Log.open(Log.Configuration(environment: config, home: dir))
            }
        } catch {
            try? newLog?.close()
            newRegion.close()
            throw error
        }
        region = newRegion
        cache = newCache
        log = newLog
    }

    /// Flushes the log, checkpoints the cache so the files hold every
    /// committed write, and detaches. Returns the first failure; detaches
    /// regardless, as libdb's close releases the handle whatever happens.
    func detachSubsystems() -> DBError? {
        var failure: DBError?
        if let log {
            do { try log.flush(sync: true) } catch { failure = failure ?? error }
        }
        if let cache {
            do { try cache.checkpointAll() } catch { failure = failure ?? error }
        }
        if let log {
            do { try log.close() } catch { failure = failure ?? error }
        }
        region?.close()
        log = nil
        cache = nil
        region = nil
        return failure
    }
}
