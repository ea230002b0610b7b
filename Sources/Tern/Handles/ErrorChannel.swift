// The error and message channels of an environment, as libdb's DB_REAL_ERR
// and DB_REAL_MSG define them:
// - an error goes to db_errcall(dbenv, db_errpfx, text) if set; and to
//   db_errfile (as "pfx: text\n") if set, or to stderr when no callback is set
//   and either the application called err/errx itself or it never configured
//   an output channel (set_errcall/set_errfile clear that state);
// - a message goes to db_msgcall if set, and to db_msgfile, or stdout when
//   neither is set.
// The channel members live in the DB_ENV struct itself, where libdb keeps
// them, so programs that assign dbenv->db_errfile directly keep working.
import CBerkeleyDB
import CTern
import Glibc
import TernEngine

enum ErrorChannel {
    /// The longest text libdb's __db_errcall hands the callback.
    static let callbackTextLimit = 2047

    /// How an error's code is appended to its text, as libdb's db_error_set_t.
    enum CodeSuffix { case none, dbStrerror(Int32), osStrerror(Int32) }

    /// Reports an engine error on `dbenv`'s channel and returns its code.
    @discardableResult
    /// A message of several lines is several of libdb's __db_errx calls
    /// (libdb's own messages never contain a newline): one line each.
    static func report(_ dbenv: UnsafePointer<DB_ENV>?, _ error: DBError) -> Int32 {
        if let message = error.message {
            for line in message.split(separator: "\n", omittingEmptySubsequences: false) {
                write(dbenv, String(line), suffix: .none, applicationCall: false)
            }
        }
        return error.code
    }

    static func write(_ dbenv: UnsafePointer<DB_ENV>?, _ text: String?, suffix: CodeSuffix,
                      applicationCall: Bool) {
        let suffixText: String?
        switch suffix {
        case .none: suffixText = nil
        case .dbStrerror(let code): suffixText = strerrorText(code)
        case .osStrerror(let code): suffixText = String(cString: strerror(code))
        }
        if let dbenv, let errcall = dbenv.pointee.db_errcall {
            var line = text ?? ""
            if let suffixText { line += ": " + suffixText }
            // libdb builds the callback's text in a 2048-byte buffer: the
            // code's text is cut to fit (the file channel is not cut).
            var bytes = Array(line.utf8.prefix(callbackTextLimit))
            bytes.append(0)
            bytes.withUnsafeBufferPointer { buf in
                buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                    errcall(dbenv, dbenv.pointee.db_errpfx, $0)
                }
            }
        }
        let noOutputSet = dbenv.map { HandleSlot.box($0).noOutputSet } ?? true
        guard dbenv == nil || dbenv!.pointee.db_errfile != nil
            || (dbenv!.pointee.db_errcall == nil && (applicationCall || noOutputSet)) else { return }
        let fp = dbenv?.pointee.db_errfile ?? tern_stderr()
        var line = ""
        var needSeparator = false
        if let pfx = dbenv?.pointee.db_errpfx {
            line += String(cString: pfx)
            needSeparator = true
        }
        if let text, !text.isEmpty {
            if needSeparator { line += ": " }
            needSeparator = true
            line += text
        }
        if let suffixText { line += (needSeparator ? ": " : "") + suffixText }
        line += "\n"
        fputs(line, fp)
        fflush(fp)
    }

    static func message(_ dbenv: UnsafePointer<DB_ENV>?, _ text: String) {
        if let dbenv, let msgcall = dbenv.pointee.db_msgcall {
            text.withCString { msgcall(dbenv, $0) }
        }
        if dbenv == nil || dbenv!.pointee.db_msgfile != nil || dbenv!.pointee.db_msgcall == nil {
            let fp = dbenv?.pointee.db_msgfile ?? tern_stdout()
            fputs(text + "\n", fp)
            fflush(fp)
        }
    }

    /// db_strerror's text for any code.
    static func strerrorText(_ code: Int32) -> String {
        if let text = ErrorText.berkeleyDB(code) { return text }
        if code > 0, let p = strerror(code) { return String(cString: p) }
        return ErrorText.unknown(code)
    }
}

// Entry points for the C shims of the variadic methods (err, errx, log_printf),
// which format with vsnprintf and hand the text over. Not exported.
@_cdecl("tern_error_write")
func tern_error_write(_ dbenv: UnsafePointer<DB_ENV>?, _ code: Int32, _ appendCode: Int32,
                      _ text: UnsafePointer<CChar>?) {
    ErrorChannel.write(dbenv, text.map { String(cString: $0) },
                       suffix: appendCode != 0 ? .dbStrerror(code) : .none, applicationCall: true)
}

@_cdecl("tern_report_unsupported")
func tern_report_unsupported(_ dbenv: UnsafePointer<DB_ENV>?, _ method: UnsafePointer<CChar>) -> Int32 {
    ErrorChannel.report(dbenv, .notSupported(String(cString: method)))
}
