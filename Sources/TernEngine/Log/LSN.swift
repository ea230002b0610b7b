// LSN: a log sequence number, libdb's DB_LSN.
//
// An LSN names one log record: the number of the log file that holds it
// (`log.0000000001` is file 1) and the byte offset of the record's first byte
// in that file. Records never span files, so LSN order is log order. Offset 0
// of every file is that file's header record; the zero LSN (0/0) means "no
// record" exactly as libdb's ZERO_LSN.

public struct LSN: Comparable, Hashable, Sendable, CustomStringConvertible {
    public var file: UInt32
    public var offset: UInt32

    public init(file: UInt32, offset: UInt32) {
        self.file = file
        self.offset = offset
    }

    /// libdb's ZERO_LSN: no record.
    public static let zero = LSN(file: 0, offset: 0)

    public var isZero: Bool { file == 0 }

    /// log_compare's order: by file, then offset.
    public static func < (a: LSN, b: LSN) -> Bool {
        a.file != b.file ? a.file < b.file : a.offset < b.offset
    }

    /// "file/offset", libdb's usual way to print an LSN.
    public var description: String { "\(file)/\(offset)" }
}
