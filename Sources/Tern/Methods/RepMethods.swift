// DB_ENV replication configuration methods (rep_set_*, rep_get_*,
// repmgr_set_ack_policy, ...), installed over the generated stubs.
import CBerkeleyDB
import Glibc
import TernEngine

enum RepMethods {
    static func install(_ h: UnsafeMutablePointer<DB_ENV>) {
    }
}
