// Which ReplicationStage an environment is in, derived from its open state
// so that it can never disagree with it: before open the handle is being
// configured; after open, DB_INIT_REP among the open flags decides whether
// the replication subsystem exists (libdb's ENV_OPEN_CALLED and REP_ON).
// rep_start does not exist yet, so no environment is ever `.started`.
import CBerkeleyDB

extension Environment {
    public var replicationStage: ReplicationStage {
        if phase == .created { return .configuring }
        return openFlags & UInt32(DB_INIT_REP) != 0 ? .open : .notConfigured
    }
}
