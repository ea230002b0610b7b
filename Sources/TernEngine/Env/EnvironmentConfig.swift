// EnvironmentConfig: what the application configured on a DB_ENV, before
// open or from DB_CONFIG. Field names follow DB_ENV's setters; units, defaults
// and roundings are libdb's, so getters return what libdb's return.
// Locking rule: see Environment.
public struct EnvironmentConfig: Sendable {
    public init() {}
}
