// DB_REGISTER: libdb's process registry (env_register.c), which decides
// whether recovery is needed because a process died with the environment
// open.
//
// The registry is a file in the home, `__tern.register`, of 25-byte slots:
// a process id as "%24lu\n", or "X" + 22 spaces + "0\n" for an empty slot
// (libdb's format). Each registered process holds an OFD write lock on the
// first byte of its slot for as long as it has the environment open; the
// kernel drops it when the process dies. Opening with DB_REGISTER:
//   1. open (create) the file and wait for the exclusive lock (byte 1);
//   2. an empty file (just created) means recovery is needed (libdb: "run
//      recovery if we create the file"), without the panic of step 4;
//   3. read the slots: an empty one is skipped; our own pid is EINVAL
//      (BDB1528: one DB_ENV handle per process); a partial slot, or a slot
//      whose lock we can take (its process is dead), means recovery is
//      needed;
//   4. recovery needed: the existing region is marked panicked (joiners
//      then get DB_RUNRECOVERY until recovery rebuilds it; a region already
//      panicked reports so) and every slot is emptied;
//   5. take the first empty slot we can lock and write our pid;
//   6. keep the exclusive lock until recovery is done; release it at once
//      if none is needed.
// The caller (EnvOpen) then: recovery needed without DB_RECOVER is
// DB_RUNRECOVERY (BDB1567), leaving our slot filled and unlocked so the next
// opener sees a dead process again; with DB_RECOVER it recovers. Recovery not
// needed clears DB_RECOVER: a registered open recovers only when it must.
// Close empties our slot and drops its lock.
//
// Locking rule: the registry's state is the file and its OFD locks; the
// object is one handle's, used by open and close only.
import CBerkeleyDB
import Glibc

final class EnvironmentRegistry {
    static let fileName = "__tern.register"
    static let slotLength = 25
    static let emptySlot: [UInt8] = Array("X                      0\n".utf8)
    static let exclusiveByte: off_t = 1
    // F_OFD_GETLK / F_OFD_SETLK / F_OFD_SETLKW (Linux; glibc hides the names
    // behind _GNU_SOURCE).
    static let ofdSetLock: Int32 = 37, ofdSetLockWait: Int32 = 38

    private var fd: Int32
    private var slotOffset: off_t = -1
    private var exclusiveHeld = false

    private init(fd: Int32) { self.fd = fd }
    deinit { if fd >= 0 { Glibc.close(fd) } }

    static func pidText(_ pid: pid_t) -> [UInt8] {
        let digits = String(UInt(pid))
        return Array((String(repeating: " ", count: max(0, 24 - digits.count)) + digits + "\n").utf8)
    }

    /// Steps 1-6; returns the registration and whether recovery is needed.
    static func register(environment env: Environment) throws(DBError) -> (EnvironmentRegistry, Bool) {
        let pid = getpid()
        let verbose = env.config.verbose & UInt32(DB_VERB_REGISTER) != 0
        func say(_ text: String) { if verbose { env.messageHandler?(text) } }
        say("BDB1524 \(pid): register environment")
        let dir = (env.home?.isEmpty ?? true) ? "." : env.home!
        let path = dir.hasSuffix("/") ? dir + fileName : dir + "/" + fileName
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o660)
        guard fd >= 0 else {
            let e = errno
            throw DBError(e, "\(path): \(String(cString: strerror(e)))")
        }
        let registry = EnvironmentRegistry(fd: fd)
        guard registry.lock(exclusiveByte, wait: true) else {
            let e = errno
            throw DBError(e, "\(path): \(String(cString: strerror(e)))")
        }
        registry.exclusiveHeld = true
        // Recovery is needed for a new registry (no process is known to
        // have left the environment clean), and for a dead or half-written
        // slot; only the latter panics the region and empties the slots.
        var created = false
        var needRecovery = false
        var st = stat()
        if fstat(fd, &st) == 0 && st.st_size == 0 {
            say("BDB1525 \(pid): creating \(path)")
            created = true
        }
        say("BDB1526 \(pid): adding self to registry")
        let contents = registry.readAll()
        let own = pidText(pid)
        var slot = 0
        var deadAt: Int?
        while slot * slotLength < contents.count {
            let start = slot * slotLength
            let end = min(start + slotLength, contents.count)
            let entry = Array(contents[start..<end])
            if entry.count != slotLength {
                needRecovery = true
                break
            }
            if entry == emptySlot {
                say("BDB1527 \(String(format2: slot)): EMPTY")
                slot += 1
                continue
            }
            if entry == own {
                throw .invalid("BDB1528 DB_REGISTER limits processes to one open DB_ENV handle per environment")
            }
            let shown = String(decoding: entry.drop(while: { $0 == 32 }).dropLast(), as: UTF8.self)
            if registry.lock(off_t(start), wait: false) {
                registry.unlock(off_t(start))
                say("BDB1530 \(String(format2: slot)): \(shown): FAILED")
                needRecovery = true
                deadAt = start
                break
            }
            say("BDB1531 \(String(format2: slot)): \(shown): LOCKED")
            slot += 1
        }
        _ = deadAt
        if needRecovery {
            say("\(pid): recovery required")
            registry.panicRegion(of: env)
            // Every slot emptied (a partial last one included).
            let slots = (contents.count + slotLength - 1) / slotLength
            for k in 0..<slots { registry.write(emptySlot, at: off_t(k * slotLength)) }
        }
        // The first empty slot we can lock.
        let now = registry.readAll()
        var k = 0
        while true {
            let start = k * slotLength
            let entry = start < now.count ? Array(now[start..<min(start + slotLength, now.count)]) : []
            if entry.count == slotLength && entry != emptySlot { k += 1; continue }
            if registry.lock(off_t(start), wait: false) {
                say("BDB1532 \(pid): locking slot \(String(format2: k)) at offset \(start)")
                registry.write(own, at: off_t(start))
                registry.slotOffset = off_t(start)
                break
            }
            k += 1
        }
        if !needRecovery && !created { registry.releaseExclusive() }
        return (registry, needRecovery || created)
    }

    /// Marks the environment's existing region panicked (libdb's sig_proc).
    /// A region that already was says so, as libdb's attach does.
    private func panicRegion(of env: Environment) {
        let dir = (env.home?.isEmpty ?? true) ? "." : env.home!
        let path = dir.hasSuffix("/") ? dir + Region.fileName : dir + "/" + Region.fileName
        guard let region = try? Region.join(path: path, home: dir) else { return }
        defer { region.close() }
        if region.isPanicked {
            env.openNotices.append("BDB0060 PANIC: fatal region error detected; run recovery")
        } else {
            region.setPanic()
        }
    }

    /// Recovery is done (or was not needed): other processes may register.
    func releaseExclusive() {
        guard exclusiveHeld else { return }
        exclusiveHeld = false
        unlock(Self.exclusiveByte)
    }

    /// Close: our slot emptied and released. After a failed recovery (or a
    /// refused open) the slot stays filled, so the next registrant sees a
    /// dead process and recovers.
    func unregister(recoveryFailed: Bool) {
        guard fd >= 0 else { return }
        if !recoveryFailed && slotOffset >= 0 { write(Self.emptySlot, at: slotOffset) }
        Glibc.close(fd)
        fd = -1
    }

    // MARK: file and locks

    private func readAll() -> [UInt8] {
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_size > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        return n > 0 ? Array(bytes.prefix(n)) : []
    }

    private func write(_ bytes: [UInt8], at offset: off_t) {
        _ = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, offset) }
    }

    private func lock(_ offset: off_t, wait: Bool) -> Bool {
        var l = flock()
        l.l_type = Int16(F_WRLCK)
        l.l_whence = Int16(SEEK_SET)
        l.l_start = offset
        l.l_len = 1
        var rc: Int32
        repeat { rc = fcntl(fd, wait ? Self.ofdSetLockWait : Self.ofdSetLock, &l) } while rc != 0 && errno == EINTR
        return rc == 0
    }

    private func unlock(_ offset: off_t) {
        var l = flock()
        l.l_type = Int16(F_UNLCK)
        l.l_whence = Int16(SEEK_SET)
        l.l_start = offset
        l.l_len = 1
        _ = fcntl(fd, Self.ofdSetLock, &l)
    }
}

private extension String {
    /// "%02u".
    init(format2 n: Int) { self = n < 10 ? "0\(n)" : "\(n)" }
}
