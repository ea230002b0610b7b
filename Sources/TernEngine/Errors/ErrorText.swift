// libdb 5.3.28's db_strerror texts, exactly as Debian's build prints them:
// with the message catalogue number ("BDB0063 ...") that DB_STR adds.
// Applications and scripts compare these strings.
import CBerkeleyDB

public enum ErrorText {
    /// The text libdb's db_strerror returns for a Berkeley DB code, or nil
    /// for a code libdb does not name (errno values and unknown codes).
    public static func berkeleyDB(_ code: Int32) -> String? {
        switch code {
        case 0: return "BDB0062 Successful return: 0"
        case DB_BUFFER_SMALL: return "BDB0063 DB_BUFFER_SMALL: User memory too small for return value"
        case DB_DONOTINDEX: return "BDB0064 DB_DONOTINDEX: Secondary index callback returns null"
        case DB_FOREIGN_CONFLICT: return "BDB0065 DB_FOREIGN_CONFLICT: A foreign database constraint has been violated"
        case DB_HEAP_FULL: return "BDB0208 DB_HEAP_FULL: no free space in db"
        case DB_KEYEMPTY: return "BDB0066 DB_KEYEMPTY: Non-existent key/data pair"
        case DB_KEYEXIST: return "BDB0067 DB_KEYEXIST: Key/data pair already exists"
        case DB_LOCK_DEADLOCK: return "BDB0068 DB_LOCK_DEADLOCK: Locker killed to resolve a deadlock"
        case DB_LOCK_NOTGRANTED: return "BDB0069 DB_LOCK_NOTGRANTED: Lock not granted"
        case DB_LOG_BUFFER_FULL: return "BDB0070 DB_LOG_BUFFER_FULL: In-memory log buffer is full"
        case DB_LOG_VERIFY_BAD: return "BDB0071 DB_LOG_VERIFY_BAD: Log verification failed"
        case DB_NOSERVER: return "BDB0072 DB_NOSERVER: No message dispatch call-back function has been configured"
        case DB_NOTFOUND: return "BDB0073 DB_NOTFOUND: No matching key/data pair found"
        case DB_OLD_VERSION: return "BDB0074 DB_OLDVERSION: Database requires a version upgrade"
        case DB_PAGE_NOTFOUND: return "BDB0075 DB_PAGE_NOTFOUND: Requested page not found"
        case DB_REP_DUPMASTER: return "BDB0076 DB_REP_DUPMASTER: A second master site appeared"
        case DB_REP_HANDLE_DEAD: return "BDB0077 DB_REP_HANDLE_DEAD: Handle is no longer valid"
        case DB_REP_HOLDELECTION: return "BDB0078 DB_REP_HOLDELECTION: Need to hold an election"
        case DB_REP_IGNORE: return "BDB0079 DB_REP_IGNORE: Replication record/operation ignored"
        case DB_REP_ISPERM: return "BDB0080 DB_REP_ISPERM: Permanent record written"
        case DB_REP_JOIN_FAILURE: return "BDB0081 DB_REP_JOIN_FAILURE: Unable to join replication group"
        case DB_REP_LEASE_EXPIRED: return "BDB0082 DB_REP_LEASE_EXPIRED: Replication leases have expired"
        case DB_REP_LOCKOUT: return "BDB0083 DB_REP_LOCKOUT: Waiting for replication recovery to complete"
        case DB_REP_NEWSITE: return "BDB0084 DB_REP_NEWSITE: A new site has entered the system"
        case DB_REP_NOTPERM: return "BDB0085 DB_REP_NOTPERM: Permanent log record not written"
        case DB_REP_UNAVAIL: return "BDB0086 DB_REP_UNAVAIL: Too few remote sites to complete operation"
        case DB_REP_WOULDROLLBACK: return "BDB0207 DB_REP_WOULDROLLBACK: Client data has diverged"
        case DB_RUNRECOVERY: return "BDB0087 DB_RUNRECOVERY: Fatal error, run database recovery"
        case DB_SECONDARY_BAD: return "BDB0088 DB_SECONDARY_BAD: Secondary index inconsistent with primary"
        case DB_TIMEOUT: return "BDB0089 DB_TIMEOUT: Operation timed out"
        case DB_VERIFY_BAD: return "BDB0090 DB_VERIFY_BAD: Database verification failed"
        case DB_VERSION_MISMATCH: return "BDB0091 DB_VERSION_MISMATCH: Database environment version mismatch"
        default: return nil
        }
    }

    /// libdb's text for a code it does not know.
    public static func unknown(_ code: Int32) -> String { "BDB0092 Unknown error: \(code)" }
}
