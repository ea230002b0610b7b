// DB_CONFIG's replication lines (libdb's env/env_config.c), applied through
// the same ReplicationConfig setters as the C methods so a DB_CONFIG line
// and the matching call check, decide and store exactly alike. DB_CONFIG is
// read during open before the environment counts as opened, so these lines
// run at the `.configuring` stage, as libdb's do.
import CBerkeleyDB
import Glibc

extension Environment {
    static let repConfigNames: [(String, UInt32)] = [
        ("db_rep_conf_autoinit", UInt32(DB_REP_CONF_AUTOINIT)),
        ("db_rep_conf_autorollback", UInt32(DB_REP_CONF_AUTOROLLBACK)),
        ("db_rep_conf_bulk", UInt32(DB_REP_CONF_BULK)),
        ("db_rep_conf_delayclient", UInt32(DB_REP_CONF_DELAYCLIENT)),
        ("db_rep_conf_inmem", UInt32(DB_REP_CONF_INMEM)),
        ("db_rep_conf_lease", UInt32(DB_REP_CONF_LEASE)),
        ("db_rep_conf_nowait", UInt32(DB_REP_CONF_NOWAIT)),
        ("db_repmgr_conf_2site_strict", UInt32(DB_REPMGR_CONF_2SITE_STRICT)),
        ("db_repmgr_conf_elections", UInt32(DB_REPMGR_CONF_ELECTIONS)),
    ]
    static let repTimeoutNames: [(String, UInt32)] = [
        ("db_rep_ack_timeout", UInt32(DB_REP_ACK_TIMEOUT)),
        ("db_rep_checkpoint_delay", UInt32(DB_REP_CHECKPOINT_DELAY)),
        ("db_rep_connection_retry", UInt32(DB_REP_CONNECTION_RETRY)),
        ("db_rep_election_timeout", UInt32(DB_REP_ELECTION_TIMEOUT)),
        ("db_rep_election_retry", UInt32(DB_REP_ELECTION_RETRY)),
        ("db_rep_full_election_timeout", UInt32(DB_REP_FULL_ELECTION_TIMEOUT)),
        ("db_rep_heartbeat_monitor", UInt32(DB_REP_HEARTBEAT_MONITOR)),
        ("db_rep_heartbeat_send", UInt32(DB_REP_HEARTBEAT_SEND)),
        ("db_rep_lease_timeout", UInt32(DB_REP_LEASE_TIMEOUT)),
    ]
    static let ackPolicyNames: [(String, UInt32)] = [
        ("db_repmgr_acks_all", UInt32(DB_REPMGR_ACKS_ALL)),
        ("db_repmgr_acks_all_available", UInt32(DB_REPMGR_ACKS_ALL_AVAILABLE)),
        ("db_repmgr_acks_all_peers", UInt32(DB_REPMGR_ACKS_ALL_PEERS)),
        ("db_repmgr_acks_none", UInt32(DB_REPMGR_ACKS_NONE)),
        ("db_repmgr_acks_one", UInt32(DB_REPMGR_ACKS_ONE)),
        ("db_repmgr_acks_one_peer", UInt32(DB_REPMGR_ACKS_ONE_PEER)),
        ("db_repmgr_acks_quorum", UInt32(DB_REPMGR_ACKS_QUORUM)),
    ]

    /// Applies one DB_CONFIG replication line given as its fields (keyword
    /// first). The numeric keywords (rep_set_clockskew, rep_set_limit,
    /// rep_set_nsites, rep_set_priority, rep_set_request) arrive with their
    /// numbers already checked by the DB_CONFIG reader; the others arrive
    /// raw and are checked here. `format` is the reader's "line N: ...:
    /// incorrect name-value pair" error for this line; without it a generic
    /// one (no line number) is used.
    public func applyReplicationConfigLine(_ fields: [String], format: DBError?) throws(DBError) {
        guard let keyword = fields.first else { throw format ?? .invalid("BDB1584 incorrect name-value pair") }
        let format = format ?? .invalid("BDB1584 \(keyword): incorrect name-value pair")
        let nf = fields.count
        let stage = replicationStage
        func numbers() throws(DBError) -> [UInt32] {
            var values: [UInt32] = []
            for field in fields.dropFirst() {
                guard let v = UInt32(field) else { throw format }
                values.append(v)
            }
            return values
        }
        switch keyword.lowercased() {
        case "rep_set_clockskew":
            let v = try numbers()
            guard v.count == 2 else { throw format }
            try replication.setClockSkew(fast: v[0], slow: v[1], stage: stage)
        case "rep_set_limit":
            let v = try numbers()
            guard v.count == 2 else { throw format }
            try replication.setLimit(gigabytes: v[0], bytes: v[1], stage: stage)
        case "rep_set_nsites":
            let v = try numbers()
            guard v.count == 1 else { throw format }
            try replication.setSites(v[0], stage: stage)
        case "rep_set_priority":
            let v = try numbers()
            guard v.count == 1 else { throw format }
            try replication.setPriority(v[0], stage: stage)
        case "rep_set_request":
            let v = try numbers()
            guard v.count == 2 else { throw format }
            try replication.setRequest(min: v[0], max: v[1], stage: stage)
        case "rep_set_config":
            // rep_set_config { db_rep_conf_XXX | db_repmgr_conf_XXX } [on|off]
            if nf != 2 && nf != 3 { throw format }
            var on = true
            if nf == 3 {
                if strcasecmp(fields[2], "off") == 0 {
                    on = false
                } else if strcasecmp(fields[2], "on") != 0 {
                    throw format
                }
            }
            guard let flag = DBConfigFile.lookup(Self.repConfigNames, fields[1]) else { throw format }
            try replication.setConfig(flag, on: on, stage: stage)
        case "rep_set_timeout":
            // rep_set_timeout db_rep_XXX <unsigned>
            if nf != 3 { throw format }
            guard let kind = DBConfigFile.lookup(Self.repTimeoutNames, fields[1]) else { throw format }
            let value = try DBConfigFile.unsigned32Strict(fields[2])
            try replication.setTimeout(Int32(kind), value, stage: stage)
        case "repmgr_set_ack_policy":
            if nf != 2 { throw format }
            guard let policy = DBConfigFile.lookup(Self.ackPolicyNames, fields[1]) else { throw format }
            try replication.setAckPolicy(Int32(policy), stage: stage)
        case "repmgr_site":
            // repmgr_site host port [which value] ...: the line's shape and
            // port are checked as libdb does; the site itself needs
            // DB_ENV->repmgr_site, which Tern does not have yet.
            if nf < 3 || nf % 2 == 0 { throw format }
            _ = try DBConfigFile.unsigned(fields[2], max: UInt(UInt32.max))
            throw .notSupported("DB_ENV->repmgr_site")
        default:
            throw .invalid("BDB1585 unrecognized name-value pair: \(keyword)")
        }
    }
}
