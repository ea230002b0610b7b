// Replication configuration: ReplicationConfig's defaults, libdb's argument
// checks and their order, the Base API / Replication Manager decision, and
// the stage rules (before open, opened without DB_INIT_REP, opened, started).
// The compat cases rep_config_*.c compare the same behaviour with libdb
// through the C ABI; these tests also reach the stages the C ABI cannot yet
// (after rep_start).
import CBerkeleyDB
import Glibc
import Testing
@testable import Tern
import TernEngine

private func expectError(_ code: Int32, _ message: String?,
                         _ body: () throws(DBError) -> Void,
                         sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        try body()
        Issue.record("expected error \(code)", sourceLocation: sourceLocation)
    } catch {
        #expect(error.code == code, sourceLocation: sourceLocation)
        #expect(error.message == message, sourceLocation: sourceLocation)
    }
}

private let sendStub: ReplicationSendFunction = { _, _, _, _, _, _ in 0 }

@Suite struct RepConfigTests {
    @Test func defaultsAreLibdbs() throws {
        let c = ReplicationConfig()
        #expect(try c.getPriority(stage: .configuring) == 100)
        #expect(try c.getSites(stage: .configuring) == 0)
        #expect(try c.getLimit(stage: .configuring) == (0, 10_485_760))
        #expect(try c.getRequest(stage: .configuring) == (40_000, 1_280_000))
        #expect(try c.getClockSkew(stage: .configuring) == (1, 1))
        #expect(c.getAckPolicy() == DB_REPMGR_ACKS_QUORUM)
        #expect(c.applicationType == .undecided)
        #expect(c.localEID == DB_EID_INVALID && c.send == nil)
        let expected: [(Int32, UInt32)] = [(DB_REP_ACK_TIMEOUT, 1_000_000), (DB_REP_CHECKPOINT_DELAY, 30_000_000),
            (DB_REP_CONNECTION_RETRY, 30_000_000), (DB_REP_ELECTION_RETRY, 10_000_000),
            (DB_REP_ELECTION_TIMEOUT, 2_000_000), (DB_REP_FULL_ELECTION_TIMEOUT, 0),
            (DB_REP_HEARTBEAT_MONITOR, 0), (DB_REP_HEARTBEAT_SEND, 0), (DB_REP_LEASE_TIMEOUT, 0)]
        for (kind, value) in expected { #expect(try c.getTimeout(kind, stage: .configuring) == value) }
        let on = [DB_REP_CONF_AUTOINIT, DB_REP_CONF_AUTOROLLBACK, DB_REPMGR_CONF_2SITE_STRICT, DB_REPMGR_CONF_ELECTIONS]
        let off = [DB_REP_CONF_BULK, DB_REP_CONF_DELAYCLIENT, DB_REP_CONF_INMEM, DB_REP_CONF_LEASE, DB_REP_CONF_NOWAIT]
        for flag in on { #expect(try c.getConfig(UInt32(flag), stage: .configuring)) }
        for flag in off { #expect(try !c.getConfig(UInt32(flag), stage: .configuring)) }
        #expect(try !c.getConfig(0, stage: .configuring))
    }

    @Test func limitFoldsOnlyAboveOneGigabyte() throws {
        var c = ReplicationConfig()
        try c.setLimit(gigabytes: 0, bytes: 1 << 30, stage: .configuring)
        #expect(try c.getLimit(stage: .configuring) == (0, 1 << 30))
        try c.setLimit(gigabytes: 2, bytes: 3 << 30 | 7, stage: .configuring)
        #expect(try c.getLimit(stage: .configuring) == (5, 7))
        // libdb's addition wraps.
        try c.setLimit(gigabytes: .max, bytes: .max, stage: .configuring)
        #expect(try c.getLimit(stage: .configuring) == (2, (1 << 30) - 1))
    }

    @Test func requestAndClockSkewChecks() throws {
        var c = ReplicationConfig()
        let badRequest = "BDB3571 DB_ENV->rep_set_request: Invalid min or max values"
        expectError(EINVAL, badRequest) { () throws(DBError) in try c.setRequest(min: 0, max: 5, stage: .configuring) }
        expectError(EINVAL, badRequest) { () throws(DBError) in try c.setRequest(min: 6, max: 5, stage: .configuring) }
        try c.setRequest(min: 5, max: 5, stage: .configuring)
        #expect(try c.getRequest(stage: .configuring) == (5, 5))

        expectError(EINVAL, "BDB3575 DB_ENV->rep_set_clockskew: Zero only valid for when used for both arguments") {
            () throws(DBError) in try c.setClockSkew(fast: 0, slow: 3, stage: .configuring)
        }
        expectError(EINVAL, "BDB3576 DB_ENV->rep_set_clockskew: slow_clock value is larger than fast_clock_value") {
            () throws(DBError) in try c.setClockSkew(fast: 100, slow: 102, stage: .open)
        }
        try c.setClockSkew(fast: 102, slow: 100, stage: .open)
        #expect(try c.getClockSkew(stage: .open) == (102, 100))
        try c.setClockSkew(fast: 0, slow: 0, stage: .configuring)
        #expect(try c.getClockSkew(stage: .configuring) == (1, 1))
        // Value checks come before the rep_start check.
        expectError(EINVAL, "BDB3576 DB_ENV->rep_set_clockskew: slow_clock value is larger than fast_clock_value") {
            () throws(DBError) in try c.setClockSkew(fast: 1, slow: 2, stage: .started)
        }
        expectError(EINVAL, "BDB3577 DB_ENV->rep_set_clockskew: must be called before DB_ENV->rep_start") {
            () throws(DBError) in try c.setClockSkew(fast: 2, slow: 1, stage: .started)
        }
        #expect(try c.getClockSkew(stage: .started) == (1, 1))
    }

    @Test func timeoutChecksInLibdbOrder() throws {
        var c = ReplicationConfig()
        // Zero is checked first, even before "not configured".
        expectError(EINVAL, "BDB3566 timeout value must be > 0") { () throws(DBError) in
            try c.setTimeout(DB_REP_ELECTION_TIMEOUT, 0, stage: .notConfigured)
        }
        expectError(EINVAL, "BDB1566 DB_ENV->rep_set_timeout interface requires an environment configured for the replication subsystem") {
            () throws(DBError) in try c.setTimeout(DB_REP_ELECTION_TIMEOUT, 5, stage: .notConfigured)
        }
        // An unknown kind with 0 is "unknown", not "must be > 0".
        expectError(EINVAL, "BDB3569 Unknown timeout type argument to DB_ENV->rep_set_timeout") {
            () throws(DBError) in try c.setTimeout(0, 0, stage: .configuring)
        }
        expectError(EINVAL, "BDB3570 unknown timeout type argument to DB_ENV->rep_get_timeout") {
            () throws(DBError) in _ = try c.getTimeout(10, stage: .configuring)
        }
        try c.setTimeout(DB_REP_FULL_ELECTION_TIMEOUT, 0, stage: .configuring)
        try c.setTimeout(DB_REP_LEASE_TIMEOUT, 9, stage: .open)
        expectError(EINVAL, "BDB3568 DB_ENV->rep_set_timeout: lease timeout must be set before DB_ENV->rep_start.") {
            () throws(DBError) in try c.setTimeout(DB_REP_LEASE_TIMEOUT, 10, stage: .started)
        }
        #expect(try c.getTimeout(DB_REP_LEASE_TIMEOUT, stage: .started) == 9)
        #expect(c.applicationType == .undecided)
        try c.setTimeout(DB_REP_HEARTBEAT_SEND, 0, stage: .configuring)
        #expect(c.applicationType == .replicationManager)
    }

    @Test func configFlagChecks() throws {
        var c = ReplicationConfig()
        expectError(EINVAL, "BDB0055 illegal flag specified to DB_ENV->rep_get_config") {
            () throws(DBError) in _ = try c.getConfig(0x200, stage: .notConfigured)
        }
        expectError(EINVAL, "BDB1566 DB_ENV->rep_set_config interface requires an environment configured for the replication subsystem") {
            () throws(DBError) in try c.setConfig(0x200, on: true, stage: .notConfigured)
        }
        expectError(EINVAL, "BDB0055 illegal flag specified to DB_ENV->rep_set_config") {
            () throws(DBError) in try c.setConfig(UInt32(DB_REP_CONF_BULK) | 0x400, on: true, stage: .configuring)
        }
        #expect(try !c.getConfig(UInt32(DB_REP_CONF_BULK), stage: .configuring))
        try c.setConfig(UInt32(DB_REP_CONF_INMEM | DB_REP_CONF_LEASE), on: true, stage: .configuring)
        try c.setConfig(UInt32(DB_REP_CONF_LEASE), on: false, stage: .configuring)
        #expect(c.applicationType == .undecided)
        // After open: in-memory either way is too late, leases only go on.
        expectError(EINVAL, "BDB3549 DB_ENV->rep_set_config: in-memory replication must be configured before DB_ENV->open") {
            () throws(DBError) in try c.setConfig(UInt32(DB_REP_CONF_INMEM), on: false, stage: .open)
        }
        expectError(EINVAL, "BDB3551 DB_ENV->rep_set_config: leases cannot be turned off") {
            () throws(DBError) in try c.setConfig(UInt32(DB_REP_CONF_LEASE), on: false, stage: .open)
        }
        try c.setConfig(UInt32(DB_REP_CONF_LEASE), on: true, stage: .open)
        expectError(EINVAL, "BDB3550 DB_ENV->rep_set_config: leases must be configured before DB_ENV->rep_start") {
            () throws(DBError) in try c.setConfig(UInt32(DB_REP_CONF_LEASE), on: true, stage: .started)
        }
        #expect(try c.getConfig(UInt32(DB_REP_CONF_INMEM | DB_REP_CONF_LEASE), stage: .open))
        try c.setConfig(UInt32(DB_REPMGR_CONF_ELECTIONS), on: false, stage: .open)
        #expect(c.applicationType == .replicationManager)
    }

    @Test func baseAPIRefusesReplicationManagerConfiguration() throws {
        var c = ReplicationConfig()
        try c.setSites(3, stage: .configuring)
        #expect(c.applicationType == .baseAPI)
        expectError(EINVAL, "BDB3661 repmgr_set_ack_policy: cannot call from base replication application") {
            () throws(DBError) in try c.setAckPolicy(99, stage: .configuring)
        }
        expectError(EINVAL, "BDB3548 DB_ENV->rep_set_config: cannot configure repmgr settings from base replication application") {
            () throws(DBError) in try c.setConfig(UInt32(DB_REP_CONF_BULK | DB_REPMGR_CONF_2SITE_STRICT), on: false, stage: .configuring)
        }
        #expect(try c.getConfig(UInt32(DB_REPMGR_CONF_2SITE_STRICT), stage: .configuring))
        expectError(EINVAL, "BDB3567 DB_ENV->rep_set_timeout:cannot set Replication Manager timeout from base replication application") {
            () throws(DBError) in try c.setTimeout(DB_REP_ACK_TIMEOUT, 5, stage: .configuring)
        }
        try c.setTimeout(DB_REP_CHECKPOINT_DELAY, 5, stage: .configuring)
        #expect(c.getAckPolicy() == DB_REPMGR_ACKS_QUORUM)
        #expect(c.applicationType == .baseAPI)
    }

    @Test func replicationManagerRefusesBaseAPIConfiguration() throws {
        var c = ReplicationConfig()
        expectError(EINVAL, "BDB3646 unknown ack_policy in DB_ENV->repmgr_set_ack_policy") {
            () throws(DBError) in try c.setAckPolicy(DB_REPMGR_ACKS_QUORUM + 1, stage: .configuring)
        }
        #expect(c.applicationType == .undecided)
        try c.setAckPolicy(DB_REPMGR_ACKS_ALL, stage: .configuring)
        #expect(c.getAckPolicy() == DB_REPMGR_ACKS_ALL)
        #expect(c.applicationType == .replicationManager)
        expectError(EINVAL, "BDB3572 DB_ENV->rep_set_transport: cannot call from Replication Manager application") {
            () throws(DBError) in try c.setTransport(eid: 1, send: sendStub, stage: .configuring)
        }
        expectError(EINVAL, "BDB3565 DB_ENV->rep_set_nsites: cannot call from Replication Manager application") {
            () throws(DBError) in try c.setSites(2, stage: .configuring)
        }
        expectError(EINVAL, "BDB3672 Nsites unknown before repmgr_start()") {
            () throws(DBError) in _ = try c.getSites(stage: .open)
        }
        #expect(c.send == nil && c.localEID == DB_EID_INVALID)
    }

    @Test func transportChecksAndStores() throws {
        var c = ReplicationConfig()
        expectError(EINVAL, "BDB3573 DB_ENV->rep_set_transport: no send function specified") {
            () throws(DBError) in try c.setTransport(eid: -1, send: nil, stage: .configuring)
        }
        expectError(EINVAL, "BDB3574 DB_ENV->rep_set_transport: eid must be greater than or equal to 0") {
            () throws(DBError) in try c.setTransport(eid: DB_EID_INVALID, send: sendStub, stage: .configuring)
        }
        #expect(c.applicationType == .undecided)
        try c.setTransport(eid: 0, send: sendStub, stage: .configuring)
        try c.setTransport(eid: 7, send: sendStub, stage: .open)
        #expect(c.localEID == 7 && c.send != nil && c.applicationType == .baseAPI)
    }

    @Test func notConfiguredRefusesAllButAckPolicyGetter() {
        var c = ReplicationConfig()
        func msg(_ m: String) -> String {
            "BDB1566 DB_ENV->\(m) interface requires an environment configured for the replication subsystem"
        }
        let s = ReplicationStage.notConfigured
        expectError(EINVAL, msg("rep_set_priority")) { () throws(DBError) in try c.setPriority(1, stage: s) }
        expectError(EINVAL, msg("rep_get_priority")) { () throws(DBError) in _ = try c.getPriority(stage: s) }
        expectError(EINVAL, msg("rep_set_nsites")) { () throws(DBError) in try c.setSites(1, stage: s) }
        expectError(EINVAL, msg("rep_get_nsites")) { () throws(DBError) in _ = try c.getSites(stage: s) }
        expectError(EINVAL, msg("rep_set_limit")) { () throws(DBError) in try c.setLimit(gigabytes: 0, bytes: 1, stage: s) }
        expectError(EINVAL, msg("rep_get_limit")) { () throws(DBError) in _ = try c.getLimit(stage: s) }
        expectError(EINVAL, msg("rep_set_request")) { () throws(DBError) in try c.setRequest(min: 0, max: 0, stage: s) }
        expectError(EINVAL, msg("rep_get_request")) { () throws(DBError) in _ = try c.getRequest(stage: s) }
        expectError(EINVAL, msg("rep_set_clockskew")) { () throws(DBError) in try c.setClockSkew(fast: 0, slow: 1, stage: s) }
        expectError(EINVAL, msg("rep_get_clockskew")) { () throws(DBError) in _ = try c.getClockSkew(stage: s) }
        expectError(EINVAL, msg("rep_get_timeout")) { () throws(DBError) in _ = try c.getTimeout(99, stage: s) }
        expectError(EINVAL, msg("repmgr_set_ack_policy")) { () throws(DBError) in try c.setAckPolicy(99, stage: s) }
        expectError(EINVAL, msg("rep_set_transport")) { () throws(DBError) in try c.setTransport(eid: -1, send: nil, stage: s) }
        #expect(c.getAckPolicy() == DB_REPMGR_ACKS_QUORUM)
    }
}

/// Through the C ABI: the DB_ENV method table carries the configuration
/// methods and the environment stores what rep_set_transport was given.
@Suite(.serialized) struct RepConfigABITests {
    @Test func transportIsStoredOnTheEnvironment() throws {
        var dbenv: UnsafeMutablePointer<DB_ENV>?
        #expect(db_env_create(&dbenv, 0) == 0)
        let env = try #require(dbenv)
        #expect(env.pointee.rep_set_transport(env, 4, sendStub) == 0)
        let replication = HandleSlot.box(env).environment.replication
        #expect(replication.localEID == 4 && replication.send != nil)
        #expect(env.pointee.repmgr_set_ack_policy(env, DB_REPMGR_ACKS_ALL) == EINVAL)
        var policy: Int32 = 0
        #expect(env.pointee.repmgr_get_ack_policy(env, &policy) == 0 && policy == DB_REPMGR_ACKS_QUORUM)
        // The protocol methods are still honest stubs.
        #expect(env.pointee.rep_start(env, nil, UInt32(DB_REP_CLIENT)) == DB_OPNOTSUP)
        #expect(env.pointee.close(env, 0) == 0)
    }
}
