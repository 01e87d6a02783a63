import Testing
import TubeMQMaster
import TubeMQMasterState
import TubeMQTestKit
import TubeMQWire

/// The master's credential checks without I/O: TubeMQ's order of checks, issued tokens and
/// `requireAuth` once they expire, broker visit auth.
@Suite struct MasterSecurityTests {
    static func signed(_ user: String, _ password: String, at time: Int64) -> MasterCertificateInfo {
        var info = AuthenticateInfo()
        info.userName = user
        info.timestamp = time
        info.nonce = 3
        info.othParams = ""
        info.signature = AuthSignature.sign(userName: user, password: password, timestamp: time, nonce: 3)
        var certificate = MasterCertificateInfo()
        certificate.authInfo = info
        return certificate
    }

    static func security(_ clock: ManualClock) -> MasterSecurity {
        MasterSecurity(
            settings: SecuritySettings(
                produceAuthenticate: true,
                consumeAuthenticate: true,
                tokenValidPeriodMs: 300_000,
                brokerVisitAuth: true,
                visitName: "b",
                visitPassword: "bp"
            ),
            users: UserDirectory(users: [.init(name: "alice", password: "pw")]),
            clock: clock
        )
    }

    @Test func tokensAreEchoedAndExpireIntoRequireAuth() throws {
        let clock = ManualClock()
        let security = Self.security(clock)
        let first = try security.authenticateClient(
            Self.signed("alice", "pw", at: clock.now()),
            produce: true,
            registering: true
        )
        #expect(first.userName == "alice")
        #expect(!first.token.isEmpty)
        var echo = MasterCertificateInfo()
        echo.authorizedToken = first.token
        let live = try security.authenticateClient(echo, produce: true, registering: false)
        #expect(live.requireAuth == false)
        clock.advance(by: 300_001)
        let expired = try security.authenticateClient(echo, produce: true, registering: false)
        #expect(expired.requireAuth == true)
        // A registration always needs a signature.
        #expect(throws: MasterError.self) { try security.authenticateClient(echo, produce: true, registering: true) }
    }

    /// Visit tokens are random, not the master's start time (guessed in 532 tries from a log line),
    /// and replaced every `visitTokenValidPeriodMs`; brokers learn each successor before clients get it.
    @Test func visitTokensAreRandomAndRotate() {
        let clock = ManualClock()
        let tokens = VisitTokens(periodMs: 300_000, clock: clock)
        let first = tokens.client
        #expect(first != clock.now())
        #expect(tokens.brokers.first == first)
        let successor = tokens.brokers[1]
        #expect(successor != first)
        clock.advance(by: 299_999)
        #expect(tokens.client == first)
        clock.advance(by: 1)
        #expect(tokens.client == successor, "the successor the brokers already had")
        #expect(tokens.brokers.first == successor && tokens.brokers.count == 2)
        #expect(VisitTokens(periodMs: 300_000, clock: clock).client != successor)
    }

    @Test func refusalsFollowTubeMQsOrderAndTexts() {
        let clock = ManualClock()
        let security = Self.security(clock)
        func text(_ certificate: MasterCertificateInfo?) -> String? {
            do {
                _ = try security.authenticateClient(certificate, produce: false, registering: true)
                return nil
            } catch {
                #expect(error.code.rawValue == 415)
                return error.message
            }
        }
        #expect(text(nil) == "Server required MasterCertificateInfo!")
        #expect(text(MasterCertificateInfo()) == "Illegal value: AuthenticateInfo is null!")
        var blank = Self.signed("alice", "pw", at: clock.now())
        blank.authInfo.userName = " "
        #expect(text(blank) == "Illegal value: authInfo.userName is Blank!")
        var unsigned = Self.signed("alice", "pw", at: clock.now())
        unsigned.authInfo.signature = ""
        #expect(text(unsigned) == "Illegal value: authInfo.signature is Blank!")
        #expect(
            text(Self.signed("alice", "pw", at: clock.now() + 20_001))
                == "Illegal value: timestamp out of effective period in authenticateToken!"
        )
        #expect(
            text(Self.signed("alice", "nope", at: clock.now())) == "Illegal value: userName or password is not correct!"
        )
        #expect(
            text(Self.signed("eve", "pw", at: clock.now())) == "Illegal value: userName or password is not correct!"
        )
    }

    @Test func brokersSignWithTheVisitCredentials() throws {
        let clock = ManualClock()
        let security = Self.security(clock)
        try security.authenticateBroker(Self.signed("b", "bp", at: clock.now()))
        #expect(throws: MasterError.self) { try security.authenticateBroker(nil) }
        do {
            try security.authenticateBroker(Self.signed("x", "bp", at: clock.now()))
            Issue.record("a foreign visit name passed")
        } catch {
            #expect(error.message == "Illegal value: userName is not equal in authenticateToken!")
        }
        #expect(!security.brokerFunctions.enableVisitTokenCheck)
        #expect(security.brokerFunctions.enableProduceAuthenticate)
    }

    @Test func everythingOffPassesWithoutCredentials() throws {
        let security = MasterSecurity.off()
        let passed = try security.authenticateClient(nil, produce: true, registering: true)
        #expect(passed.token.isEmpty && !passed.requireAuth)
        try security.authenticateBroker(nil)
        try security.authorizeConsumer(consumerID: "c", group: "g", topics: ["t"])
        try security.authorizeProducer(userName: "", topics: ["t"])
    }

    @Test func printedUsersHideTheirPasswords() {
        let user = UserDirectory.User(name: "alice", password: "pw-1234", publishTopics: ["t"])
        #expect(!"\(user)".contains("pw-1234"))
    }
}
