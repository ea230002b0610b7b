// The types of the records Tern writes to the log (the log itself reserves
// types at and above LogRecordType.reservedBase for its own headers).
public enum TernLogRecord {
    /// A CommitRecord: one transaction's write set with before-images.
    public static let commit: UInt32 = 1
    /// A FileRegistration: names a database file for later commit records.
    public static let fileRegistration: UInt32 = 2
    /// A CheckpointRecord: every database file reflects the log through its
    /// cut LSN (Txn/Checkpoint.swift).
    public static let checkpoint: UInt32 = 3
    /// An application's record (DB_ENV->log_put): its bytes as given;
    /// recovery and replication's apply skip it.
    public static let application: UInt32 = 4
    /// A CommitChunk: part of a big transaction's write set; applied only
    /// when its chain's CommitMarker follows (CommitRecord.swift).
    public static let commitChunk: UInt32 = 5
    /// A CommitMarker: commits the chain of chunks it names.
    public static let commitMarker: UInt32 = 6
    /// A FileOperation: a file or named database removed or renamed.
    public static let fileOperation: UInt32 = 7
}
