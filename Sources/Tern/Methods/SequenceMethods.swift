// DB_SEQUENCE methods, installed over the generated stubs.
import CBerkeleyDB
import Glibc
import TernEngine

enum SequenceMethods {
    static func install(_ h: UnsafeMutablePointer<DB_SEQUENCE>) {
    }
}
