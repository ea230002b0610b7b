// DB_ENV replication configuration methods (rep_set_*, rep_get_*,
// repmgr_set_ack_policy, ...), installed over the generated stubs.
// Each closure converts its C arguments and calls ReplicationConfig, which
// holds the checks and values; the protocol methods (rep_start, rep_elect,
// rep_process_message, repmgr_start, repmgr_site, ...) stay stubs.
import CBerkeleyDB
import Glibc
import TernEngine

enum RepMethods {
    /// Runs `body` on the handle's environment; a thrown DBError becomes
    /// libdb's return code and error-channel text.
    static func run(_ dbenv: UnsafeMutablePointer<DB_ENV>?,
                    _ body: (Environment) throws(DBError) -> Void) -> Int32 {
        guard let dbenv else { return EINVAL }
        return HandleCall.run(HandleSlot.box(dbenv).environment, reportingTo: UnsafePointer(dbenv), body)
    }

    static func install(_ h: UnsafeMutablePointer<DB_ENV>) {
        h.pointee.rep_set_priority = { dbenv, priority in
            RepMethods.run(dbenv) { env throws(DBError) in
                try env.replication.setPriority(priority, stage: env.replicationStage)
            }
        }
        h.pointee.rep_get_priority = { dbenv, out in
            RepMethods.run(dbenv) { env throws(DBError) in
                let value = try env.replication.getPriority(stage: env.replicationStage)
                out?.pointee = value
            }
        }
        h.pointee.rep_set_nsites = { dbenv, n in
            RepMethods.run(dbenv) { env throws(DBError) in
                try env.replication.setSites(n, stage: env.replicationStage)
            }
        }
        h.pointee.rep_get_nsites = { dbenv, out in
            RepMethods.run(dbenv) { env throws(DBError) in
                let value = try env.replication.getSites(stage: env.replicationStage)
                out?.pointee = value
            }
        }
        h.pointee.rep_set_limit = { dbenv, gbytes, bytes in
            RepMethods.run(dbenv) { env throws(DBError) in
                try env.replication.setLimit(gigabytes: gbytes, bytes: bytes, stage: env.replicationStage)
            }
        }
        // libdb lets either out-pointer be NULL here and in rep_get_request.
        h.pointee.rep_get_limit = { dbenv, gbytesOut, bytesOut in
            RepMethods.run(dbenv) { env throws(DBError) in
                let limit = try env.replication.getLimit(stage: env.replicationStage)
                gbytesOut?.pointee = limit.gigabytes
                bytesOut?.pointee = limit.bytes
            }
        }
        h.pointee.rep_set_request = { dbenv, min, max in
            RepMethods.run(dbenv) { env throws(DBError) in
                try env.replication.setRequest(min: min, max: max, stage: env.replicationStage)
            }
        }
        h.pointee.rep_get_request = { dbenv, minOut, maxOut in
            RepMethods.run(dbenv) { env throws(DBError) in
                let request = try env.replication.getRequest(stage: env.replicationStage)
                minOut?.pointee = request.min
                maxOut?.pointee = request.max
            }
        }
        h.pointee.rep_set_clockskew = { dbenv, fast, slow in
            RepMethods.run(dbenv) { env throws(DBError) in
                try env.replication.setClockSkew(fast: fast, slow: slow, stage: env.replicationStage)
            }
        }
        h.pointee.rep_get_clockskew = { dbenv, fastOut, slowOut in
            RepMethods.run(dbenv) { env throws(DBError) in
                let skew = try env.replication.getClockSkew(stage: env.replicationStage)
                fastOut?.pointee = skew.fast
                slowOut?.pointee = skew.slow
            }
        }
        h.pointee.rep_set_timeout = { dbenv, which, timeout in
            RepMethods.run(dbenv) { env throws(DBError) in
                try env.replication.setTimeout(which, timeout, stage: env.replicationStage)
            }
        }
        h.pointee.rep_get_timeout = { dbenv, which, out in
            RepMethods.run(dbenv) { env throws(DBError) in
                let value = try env.replication.getTimeout(which, stage: env.replicationStage)
                out?.pointee = value
            }
        }
        h.pointee.rep_set_config = { dbenv, which, on in
            RepMethods.run(dbenv) { env throws(DBError) in
                try env.replication.setConfig(which, on: on != 0, stage: env.replicationStage)
            }
        }
        h.pointee.rep_get_config = { dbenv, which, out in
            RepMethods.run(dbenv) { env throws(DBError) in
                let on = try env.replication.getConfig(which, stage: env.replicationStage)
                out?.pointee = on ? 1 : 0
            }
        }
        h.pointee.repmgr_set_ack_policy = { dbenv, policy in
            RepMethods.run(dbenv) { env throws(DBError) in
                try env.replication.setAckPolicy(policy, stage: env.replicationStage)
            }
        }
        h.pointee.repmgr_get_ack_policy = { dbenv, out in
            RepMethods.run(dbenv) { env in out?.pointee = env.replication.getAckPolicy() }
        }
        h.pointee.rep_set_transport = { dbenv, eid, send in
            RepMethods.run(dbenv) { env throws(DBError) in
                try env.replication.setTransport(eid: eid, send: send, stage: env.replicationStage)
            }
        }
    }
}
