// Replication errors libdb reports from several methods.
extension DBError {
    /// libdb's repmgr_only(): a Replication Manager method called by an
    /// application that already chose the Base API. `method` is the bare
    /// method name ("repmgr_set_ack_policy"), as libdb prints it.
    public static func repmgrCalledFromBaseAPI(_ method: String) -> DBError {
        .invalid("BDB3661 \(method): cannot call from base replication application")
    }
}
