// DatabaseConfig: what the application configured on a DB handle before
// open, in libdb's units and with libdb's defaults. Locking rule: see Database.
public struct DatabaseConfig: Sendable {
    public init() {}
}
