// Engine-level checks of DB_ENV configuration: libdb's cache rounding and
// DB_CONFIG parsing of good and bad lines.
import CBerkeleyDB
import Glibc
import Testing
import TernEngine

@Suite struct EnvConfigTests {
    @Test func cacheSizeRoundsLikeLibdb() throws {
        let env = Environment()
        #expect(try env.getCacheSize().bytes == 267_288)
        try env.setCacheSize(gbytes: 0, bytes: 100_000, ncache: 1)
        #expect(try env.getCacheSize().bytes == 127_072)
        try env.setCacheSize(gbytes: 0, bytes: 1, ncache: 4)
        let small = try env.getCacheSize()
        #expect(small.bytes == 4 * 20 * 1024 && small.ncache == 4)
        #expect(throws: DBError.invalid("BDB3004 individual cache size too large: maximum is 10TB")) {
            try env.setCacheSize(gbytes: 20_001, bytes: 0, ncache: 1)
        }
    }

    @Test func dbConfigGoodLines() throws {
        let env = Environment()
        var flags: UInt32 = 0
        try DBConfigFile.applyLine("  set_tx_max 77\n", number: 1, to: env, openFlags: &flags)
        try DBConfigFile.applyLine("set_flags DB_AUTO_COMMIT on\r\n", number: 2, to: env, openFlags: &flags)
        try DBConfigFile.applyLine("set_tmp_dir  a b  \n", number: 3, to: env, openFlags: &flags)
        try DBConfigFile.applyLine("set_open_flags db_thread\n", number: 4, to: env, openFlags: &flags)
        try DBConfigFile.applyLine("# comment\n", number: 5, to: env, openFlags: &flags)
        #expect(env.config.txMax == 77)
        #expect(env.getFlags() == UInt32(DB_AUTO_COMMIT))
        #expect(env.config.tmpDir == "a b  ")
        #expect(flags == UInt32(DB_THREAD))
    }

    @Test func dbConfigBadLines() {
        let env = Environment()
        var flags: UInt32 = 0
        func fails(_ line: String) -> DBError? {
            do throws(DBError) {
                try DBConfigFile.applyLine(line, number: 3, to: env, openFlags: &flags)
                return nil
            } catch { return error }
        }
        #expect(fails("set_tx_max\n") == .invalid("BDB1584 line 3: set_tx_max: incorrect name-value pair"))
        #expect(fails("set_tx_max abc\n") == .invalid("BDB0049 abc: Invalid numeric argument"))
        #expect(fails("set_tx_max 99999999999\n") == DBError(ERANGE, "BDB0053 99999999999: Greater than maximum value (4294967295)"))
        #expect(fails("bogus keyword here\n") == .invalid("BDB1585 unrecognized name-value pair: bogus"))
        #expect(fails("SET_TX_MAX 5\n") == .invalid("BDB1585 unrecognized name-value pair: SET_TX_MAX"))
        #expect(fails("set_flags db_auto_commit maybe\n") == .invalid("BDB1584 line 3: set_flags: incorrect name-value pair"))
    }

    @Test func openChecksFlagsAndPhase() throws {
        let env = Environment()
        #expect(throws: DBError.illegalFlagCombination("DB_ENV->open")) {
            try env.open(home: nil, flags: UInt32(DB_INIT_CDB | DB_INIT_TXN), mode: 0, hasIsAlive: false)
        }
        #expect(throws: DBError(ENOENT)) {
            try env.open(home: nil, flags: UInt32(DB_INIT_MPOOL), mode: 0, hasIsAlive: false)
        }
        try env.open(home: nil, flags: UInt32(DB_CREATE | DB_PRIVATE), mode: 0, hasIsAlive: false)
        #expect(throws: DBError.illegalAfterOpen("DB_ENV->open")) {
            try env.open(home: nil, flags: UInt32(DB_CREATE | DB_PRIVATE), mode: 0, hasIsAlive: false)
        }
        #expect(throws: DBError.illegalAfterOpen("DB_ENV->set_tx_max")) { try env.setTxMax(1) }
    }

    @Test func directIOIsNotSupported() throws {
        let env = Environment()
        #expect(throws: DBError.invalid("DB_ENV->set_flags: direct I/O either not configured or not supported")) {
            try env.setFlags(UInt32(DB_DIRECT_DB), on: true)
        }
        try env.setFlags(UInt32(DB_DIRECT_DB), on: false)
        for on in [true, false] {
            #expect(throws: DBError.invalid("DB_ENV->log_set_config: direct I/O either not configured or not supported")) {
                try env.setLogConfig(UInt32(DB_LOG_DIRECT), on: on)
            }
        }
        #expect(try env.getLogConfig(UInt32(DB_LOG_DIRECT)) == false)
    }

    @Test func verboseStartsWithRepSystem() throws {
        let env = Environment()
        #expect(try env.getVerbose(UInt32(DB_VERB_REP_SYSTEM)))
        #expect(try env.getVerbose(UInt32(DB_VERB_FILEOPS)) == false)
    }

    @Test func threadTableSizedAtOpen() throws {
        func opened(count: UInt32 = 0, threadInit: UInt32 = 0, txnInit: UInt32 = 0, alive: Bool) throws -> UInt32 {
            let env = Environment()
            if count != 0 { try env.setThreadCount(count) }
            if threadInit != 0 { try env.setMemoryInit(UInt32(DB_MEM_THREAD.rawValue), threadInit) }
            if txnInit != 0 { try env.setMemoryInit(UInt32(DB_MEM_TRANSACTION.rawValue), txnInit) }
            try env.open(home: nil, flags: UInt32(DB_CREATE | DB_PRIVATE), mode: 0, hasIsAlive: alive)
            return env.config.threadCount
        }
        #expect(try opened(alive: false) == 0)
        #expect(try opened(alive: true) == 100)
        #expect(try opened(txnInit: 30, alive: true) == 30)
        #expect(try opened(count: 5, threadInit: 70, alive: true) == 70)
        #expect(try opened(count: 20, threadInit: 7, alive: false) == 20)
        #expect(try opened(count: 3, txnInit: 30, alive: true) == 3)
    }

    @Test func dbConfigReplicationLinesKeepTheLineNumber() {
        let env = Environment()
        var flags: UInt32 = 0
        func fails(_ line: String) -> DBError? {
            do throws(DBError) {
                try DBConfigFile.applyLine(line, number: 4, to: env, openFlags: &flags)
                return nil
            } catch { return error }
        }
        #expect(fails("rep_set_config db_bogus\n") == .invalid("BDB1584 line 4: rep_set_config: incorrect name-value pair"))
        #expect(fails("rep_set_config db_rep_conf_bulk maybe\n") == .invalid("BDB1584 line 4: rep_set_config: incorrect name-value pair"))
        #expect(fails("repmgr_set_ack_policy\n") == .invalid("BDB1584 line 4: repmgr_set_ack_policy: incorrect name-value pair"))
        #expect(fails("rep_set_config db_rep_conf_bulk\n") == nil)
    }
}
