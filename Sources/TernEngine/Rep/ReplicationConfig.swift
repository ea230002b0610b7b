// ReplicationConfig: what the application configured for replication
// (rep_set_*, repmgr_set_*), in libdb's units and with libdb's defaults.
// Same locking rule as EnvironmentConfig: written before/while configuring
// by the owning thread, read-only to the replication subsystem after start.
public struct ReplicationConfig: Sendable {
    public init() {}
}
