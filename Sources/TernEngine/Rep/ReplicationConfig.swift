// ReplicationConfig: what the application configured for replication
// (rep_set_*, repmgr_set_*), in libdb's units and with libdb's defaults.
// Same locking rule as EnvironmentConfig: written before/while configuring
// by the owning thread, read-only to the replication subsystem after start.
//
// Every setter validates exactly as libdb 5.3.28 does (rep/rep_method.c,
// repmgr/repmgr_method.c), in libdb's order, because the order decides which
// message a C program sees when several arguments are wrong. Each takes the
// `ReplicationStage` the environment is in: libdb's checks differ before
// DB_ENV->open, after an open without DB_INIT_REP (libdb's
// ENV_NOT_CONFIGURED), after an open with it, and after rep_start.
//
// Invariants:
// - `applicationType` only moves from .undecided to one kind and never back
//   or across: every call that would decide the other kind is refused first
//   (libdb's APP_IS_BASEAPI / APP_IS_REPMGR checks, APP_SET_* guards).
// - A refused call changes nothing, including the application type.
// - `limitBytes` < 1 GiB whenever it was normalised (libdb folds a byte count
//   above 1 GiB into gigabytes; exactly 1 GiB is kept as bytes, as libdb).
// - `requestMin` > 0 and `requestMax` >= `requestMin`.
// - `clockSkewFast` >= `clockSkewSlow` > 0 (0,0 is stored as 1,1: no skew).
import CBerkeleyDB

/// Where the environment is, as far as replication configuration cares.
public enum ReplicationStage: Sendable, Equatable {
    /// Before DB_ENV->open: values are kept on the handle.
    case configuring
    /// Opened without DB_INIT_REP: nearly every rep method fails.
    case notConfigured
    /// Opened with DB_INIT_REP, rep_start / repmgr_start not called yet.
    case open
    /// Opened with DB_INIT_REP and started as master or client.
    case started

    var replicationOn: Bool { self == .open || self == .started }
}

/// The send callback of rep_set_transport, exactly libdb's C type.
public typealias ReplicationSendFunction = @convention(c) (
    UnsafeMutablePointer<DB_ENV>?, UnsafePointer<DBT>?, UnsafePointer<DBT>?,
    UnsafePointer<DB_LSN>?, Int32, UInt32) -> Int32

public struct ReplicationConfig: Sendable {
    /// libdb's DBREP_APP_BASEAPI / DBREP_APP_REPMGR.
    public enum ApplicationType: Sendable, Equatable { case undecided, baseAPI, replicationManager }

    /// The rep_set_timeout kinds (DB_REP_*), with libdb's rules for each.
    public enum TimeoutKind: Int32, Sendable, CaseIterable {
        case ack = 1                 // DB_REP_ACK_TIMEOUT
        case checkpointDelay = 2     // DB_REP_CHECKPOINT_DELAY
        case connectionRetry = 3     // DB_REP_CONNECTION_RETRY
        case electionRetry = 4       // DB_REP_ELECTION_RETRY
        case election = 5            // DB_REP_ELECTION_TIMEOUT
        case fullElection = 6        // DB_REP_FULL_ELECTION_TIMEOUT
        case heartbeatMonitor = 7    // DB_REP_HEARTBEAT_MONITOR
        case heartbeatSend = 8       // DB_REP_HEARTBEAT_SEND
        case lease = 9               // DB_REP_LEASE_TIMEOUT

        /// Timeouts only the Replication Manager uses: setting one makes a
        /// repmgr application, and a Base API application may not.
        var isReplicationManager: Bool {
            switch self {
            case .ack, .connectionRetry, .electionRetry, .heartbeatMonitor, .heartbeatSend: return true
            default: return false
            }
        }
        /// Kinds for which libdb refuses 0 ("timeout value must be > 0").
        var mustBePositive: Bool {
            switch self {
            case .connectionRetry, .election, .lease, .electionRetry: return true
            default: return false
            }
        }
    }

    /// Every DB_REP_CONF_* and DB_REPMGR_CONF_* bit rep_set_config accepts.
    public static let validConfigFlags: UInt32 =
        UInt32(DB_REP_CONF_AUTOINIT) | UInt32(DB_REP_CONF_AUTOROLLBACK) | UInt32(DB_REP_CONF_BULK)
        | UInt32(DB_REP_CONF_DELAYCLIENT) | UInt32(DB_REP_CONF_INMEM) | UInt32(DB_REP_CONF_LEASE)
        | UInt32(DB_REP_CONF_NOWAIT) | UInt32(DB_REPMGR_CONF_2SITE_STRICT) | UInt32(DB_REPMGR_CONF_ELECTIONS)
    /// The flags that belong to the Replication Manager.
    public static let replicationManagerFlags: UInt32 =
        UInt32(DB_REPMGR_CONF_2SITE_STRICT) | UInt32(DB_REPMGR_CONF_ELECTIONS)

    static let gigabyte: UInt32 = 1 << 30

    public private(set) var applicationType: ApplicationType = .undecided
    /// rep_set_priority; DB_REP_DEFAULT_PRIORITY.
    public private(set) var priority: UInt32 = 100
    /// rep_set_nsites (Base API only).
    public private(set) var configuredSites: UInt32 = 0
    /// rep_set_limit; libdb's default throttle is 10 MiB.
    public private(set) var limitGigabytes: UInt32 = 0
    public private(set) var limitBytes: UInt32 = 10 * 1024 * 1024
    /// rep_set_request, in microseconds (libdb's DB_REP_REQUEST_GAP and
    /// DB_REP_MAX_GAP). libdb keeps them as timespecs; the conversion is
    /// exact for every 32-bit microsecond count, so storing microseconds
    /// returns the same values.
    public private(set) var requestMin: UInt32 = 40_000
    public private(set) var requestMax: UInt32 = 1_280_000
    /// rep_set_clockskew; both 1 means no skew.
    public private(set) var clockSkewFast: UInt32 = 1
    public private(set) var clockSkewSlow: UInt32 = 1
    /// rep_set_config bits that are on. libdb's defaults: auto-init and
    /// auto-rollback (Base API) and elections and 2SITE_STRICT (repmgr).
    public private(set) var configFlags: UInt32 =
        UInt32(DB_REP_CONF_AUTOINIT) | UInt32(DB_REP_CONF_AUTOROLLBACK)
        | UInt32(DB_REPMGR_CONF_ELECTIONS) | UInt32(DB_REPMGR_CONF_2SITE_STRICT)
    /// repmgr_set_ack_policy; DB_REPMGR_ACKS_QUORUM.
    public private(set) var ackPolicy: Int32 = DB_REPMGR_ACKS_QUORUM
    /// rep_set_timeout values, microseconds, indexed by kind.
    private var timeouts: [TimeoutKind: UInt32] = [
        .ack: 1_000_000, .checkpointDelay: 30_000_000, .connectionRetry: 30_000_000,
        .electionRetry: 10_000_000, .election: 2_000_000, .fullElection: 0,
        .heartbeatMonitor: 0, .heartbeatSend: 0, .lease: 0,
    ]
    /// rep_set_transport: this site's environment ID (DB_EID_INVALID until
    /// set) and the application's send callback.
    public private(set) var localEID: Int32 = DB_EID_INVALID
    public private(set) var send: ReplicationSendFunction?

    public init() {}

    // MARK: - Checks shared by the methods

    /// libdb's ENV_NOT_CONFIGURED: after an open without DB_INIT_REP.
    private static func requireConfigured(_ method: String, _ stage: ReplicationStage) throws(DBError) {
        if stage == .notConfigured { throw .notConfigured(method, subsystem: "replication") }
    }

    /// libdb's APP_SET_REPMGR / APP_SET_BASEAPI: the first kind set sticks.
    private mutating func decide(_ type: ApplicationType) {
        if applicationType == .undecided { applicationType = type }
    }

    // MARK: - Priority, nsites, limit, request, clock skew

    public mutating func setPriority(_ value: UInt32, stage: ReplicationStage) throws(DBError) {
        try Self.requireConfigured("DB_ENV->rep_set_priority", stage)
        priority = value
    }

    public func getPriority(stage: ReplicationStage) throws(DBError) -> UInt32 {
        try Self.requireConfigured("DB_ENV->rep_get_priority", stage)
        return priority
    }

    /// Base API only; setting it makes a Base API application.
    public mutating func setSites(_ value: UInt32, stage: ReplicationStage) throws(DBError) {
        try Self.requireConfigured("DB_ENV->rep_set_nsites", stage)
        if applicationType == .replicationManager { throw .invalid("BDB3565 DB_ENV->rep_set_nsites: cannot call from Replication Manager application") }
        configuredSites = value
        decide(.baseAPI)
    }

    /// A Replication Manager application learns the group size from
    /// repmgr_start, which Tern does not run yet, so it always gets libdb's
    /// "unknown" error. (Before open libdb dereferences its missing region
    /// here and crashes; Tern answers as libdb does after open.)
    public func getSites(stage: ReplicationStage) throws(DBError) -> UInt32 {
        try Self.requireConfigured("DB_ENV->rep_get_nsites", stage)
        if applicationType == .replicationManager { throw .invalid("BDB3672 Nsites unknown before repmgr_start()") }
        return configuredSites
    }

    public mutating func setLimit(gigabytes: UInt32, bytes: UInt32, stage: ReplicationStage) throws(DBError) {
        try Self.requireConfigured("DB_ENV->rep_set_limit", stage)
        var gbytes = gigabytes
        var bytes = bytes
        // libdb folds only a byte count strictly above 1 GiB, and its
        // gigabyte addition wraps like any u_int32_t.
        if bytes > Self.gigabyte {
            gbytes &+= bytes / Self.gigabyte
            bytes %= Self.gigabyte
        }
        limitGigabytes = gbytes
        limitBytes = bytes
    }

    public func getLimit(stage: ReplicationStage) throws(DBError) -> (gigabytes: UInt32, bytes: UInt32) {
        try Self.requireConfigured("DB_ENV->rep_get_limit", stage)
        return (limitGigabytes, limitBytes)
    }

    public mutating func setRequest(min: UInt32, max: UInt32, stage: ReplicationStage) throws(DBError) {
        try Self.requireConfigured("DB_ENV->rep_set_request", stage)
        if min == 0 || max < min { throw .invalid("BDB3571 DB_ENV->rep_set_request: Invalid min or max values") }
        requestMin = min
        requestMax = max
    }

    public func getRequest(stage: ReplicationStage) throws(DBError) -> (min: UInt32, max: UInt32) {
        try Self.requireConfigured("DB_ENV->rep_get_request", stage)
        return (requestMin, requestMax)
    }

    public mutating func setClockSkew(fast: UInt32, slow: UInt32, stage: ReplicationStage) throws(DBError) {
        try Self.requireConfigured("DB_ENV->rep_set_clockskew", stage)
        var fast = fast
        var slow = slow
        if fast == 0 || slow == 0 {
            if fast != 0 || slow != 0 {
                throw .invalid("BDB3575 DB_ENV->rep_set_clockskew: Zero only valid for when used for both arguments")
            }
            fast = 1
            slow = 1
        }
        if fast < slow {
            throw .invalid("BDB3576 DB_ENV->rep_set_clockskew: slow_clock value is larger than fast_clock_value")
        }
        // Leases are computed from the skew at rep_start; libdb refuses a
        // change after it.
        if stage == .started {
            throw .invalid("BDB3577 DB_ENV->rep_set_clockskew: must be called before DB_ENV->rep_start")
        }
        clockSkewFast = fast
        clockSkewSlow = slow
    }

    public func getClockSkew(stage: ReplicationStage) throws(DBError) -> (fast: UInt32, slow: UInt32) {
        try Self.requireConfigured("DB_ENV->rep_get_clockskew", stage)
        return (clockSkewFast, clockSkewSlow)
    }

    // MARK: - Timeouts

    /// libdb's order: the zero check, then "not configured", then the
    /// application type, then leases after start, then the kind itself.
    public mutating func setTimeout(_ which: Int32, _ value: UInt32, stage: ReplicationStage) throws(DBError) {
        let kind = TimeoutKind(rawValue: which)
        if value == 0, let kind, kind.mustBePositive {
            throw .invalid("BDB3566 timeout value must be > 0")
        }
        try Self.requireConfigured("DB_ENV->rep_set_timeout", stage)
        let repmgrKind = kind?.isReplicationManager ?? false
        if applicationType == .baseAPI && repmgrKind {
            throw .invalid("BDB3567 DB_ENV->rep_set_timeout:cannot set Replication Manager timeout from base replication application")
        }
        if kind == .lease && stage == .started {
            throw .invalid("BDB3568 DB_ENV->rep_set_timeout: lease timeout must be set before DB_ENV->rep_start.")
        }
        guard let kind else {
            throw .invalid("BDB3569 Unknown timeout type argument to DB_ENV->rep_set_timeout")
        }
        timeouts[kind] = value
        if repmgrKind { decide(.replicationManager) }
    }

    public func getTimeout(_ which: Int32, stage: ReplicationStage) throws(DBError) -> UInt32 {
        try Self.requireConfigured("DB_ENV->rep_get_timeout", stage)
        guard let kind = TimeoutKind(rawValue: which) else {
            throw .invalid("BDB3570 unknown timeout type argument to DB_ENV->rep_get_timeout")
        }
        return timeouts[kind] ?? 0
    }

    /// The value of one timeout kind (for the replication subsystem).
    public func timeout(_ kind: TimeoutKind) -> UInt32 { timeouts[kind] ?? 0 }

    // MARK: - Configuration flags

    /// libdb's order: "not configured", unknown bits, repmgr bits in a Base
    /// API application, then (after open) in-memory replication and leases.
    public mutating func setConfig(_ which: UInt32, on: Bool, stage: ReplicationStage) throws(DBError) {
        try Self.requireConfigured("DB_ENV->rep_set_config", stage)
        if which & ~Self.validConfigFlags != 0 { throw .illegalFlag("DB_ENV->rep_set_config") }
        let repmgrBits = which & Self.replicationManagerFlags != 0
        if applicationType == .baseAPI && repmgrBits {
            throw .invalid("BDB3548 DB_ENV->rep_set_config: cannot configure repmgr settings from base replication application")
        }
        if stage.replicationOn {
            // The region (and whether logs live in memory) was laid out at
            // open; turning in-memory replication either way is too late.
            if which & UInt32(DB_REP_CONF_INMEM) != 0 {
                throw .invalid("BDB3549 DB_ENV->rep_set_config: in-memory replication must be configured before DB_ENV->open")
            }
            // Leases must be on before rep_start and can never go off.
            // (When both apply libdb writes both messages; a DBError carries
            // one, so Tern writes the first. Reachable only once rep_start
            // exists.)
            if which & UInt32(DB_REP_CONF_LEASE) != 0 {
                if stage == .started {
                    throw .invalid("BDB3550 DB_ENV->rep_set_config: leases must be configured before DB_ENV->rep_start")
                }
                if !on { throw .invalid("BDB3551 DB_ENV->rep_set_config: leases cannot be turned off") }
            }
        }
        if on { configFlags |= which } else { configFlags &= ~which }
        if repmgrBits { decide(.replicationManager) }
    }

    /// On when any of the bits in `which` is on (libdb's FLD_ISSET); 0 asks
    /// about nothing and answers off. Unknown bits are checked before
    /// "not configured", as libdb does.
    public func getConfig(_ which: UInt32, stage: ReplicationStage) throws(DBError) -> Bool {
        if which & ~Self.validConfigFlags != 0 { throw .illegalFlag("DB_ENV->rep_get_config") }
        try Self.requireConfigured("DB_ENV->rep_get_config", stage)
        return configFlags & which != 0
    }

    // MARK: - Replication Manager ack policy

    public mutating func setAckPolicy(_ policy: Int32, stage: ReplicationStage) throws(DBError) {
        try Self.requireConfigured("DB_ENV->repmgr_set_ack_policy", stage)
        if applicationType == .baseAPI { throw .repmgrCalledFromBaseAPI("repmgr_set_ack_policy") }
        guard (DB_REPMGR_ACKS_ALL...DB_REPMGR_ACKS_QUORUM).contains(policy) else {
            throw .invalid("BDB3646 unknown ack_policy in DB_ENV->repmgr_set_ack_policy")
        }
        ackPolicy = policy
        decide(.replicationManager)
    }

    /// libdb makes no check here, not even "not configured".
    public func getAckPolicy() -> Int32 { ackPolicy }

    // MARK: - Transport

    /// Base API only; setting it makes a Base API application. The EID is
    /// this site's own, so it must be a real one (>= 0), never one of the
    /// negative DB_EID_* specials.
    public mutating func setTransport(eid: Int32, send: ReplicationSendFunction?, stage: ReplicationStage) throws(DBError) {
        try Self.requireConfigured("DB_ENV->rep_set_transport", stage)
        if applicationType == .replicationManager { throw .invalid("BDB3572 DB_ENV->rep_set_transport: cannot call from Replication Manager application") }
        guard let send else { throw .invalid("BDB3573 DB_ENV->rep_set_transport: no send function specified") }
        if eid < 0 { throw .invalid("BDB3574 DB_ENV->rep_set_transport: eid must be greater than or equal to 0") }
        self.send = send
        localEID = eid
        decide(.baseAPI)
    }
}
