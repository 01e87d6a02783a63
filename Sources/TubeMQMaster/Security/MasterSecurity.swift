import Synchronization
public import TubeMQCore
public import TubeMQMasterState
public import TubeMQWire
import TubeMQZooKeeper

/// The master's permission checks, as TubeMQ's `SimpleCertificateMasterHandler` and the master's
/// group authorisation make them: client and broker signatures, issued tokens, producer topic
/// grants and consumer-group grants.
///
/// Refusals carry TubeMQ's errCodes and texts (``TubeMQWire/AuthText``). Nothing here logs or
/// returns a password or a signature.
public final class MasterSecurity: Sendable {
    /// The switches and file locations.
    public let settings: SecuritySettings
    /// The users clients authenticate as.
    public let users: UserDirectory
    /// The consumer-group grants per topic.
    public let grants: TopicGrants
    /// The visit tokens handed to clients and brokers.
    public let visitTokens: VisitTokens
    private let clock: any WallClock
    private let tokens: Mutex<[String: IssuedToken]>

    private struct IssuedToken {
        var userName: String
        var expiresAt: Int64
        /// The user's password when the token was issued: a token outlives neither its user nor a
        /// change of password.
        var password: String?
    }

    /// A client that passed: who it is, the token to hand it, and whether it must sign again.
    public struct Passed: Sendable, Hashable {
        /// The authenticated user; empty when authentication is off.
        public var userName: String
        /// The `authAuthorizedToken` to put in the reply; empty when none was issued.
        public var token: String
        /// The heartbeat reply's `requireAuth`: the token presented has expired.
        public var requireAuth: Bool
    }

    /// Opens the users and grants files named by `settings`.
    ///
    /// - Throws: ``UserDirectoryError`` when a file exists but cannot be read.
    public init(
        settings: SecuritySettings = SecuritySettings(),
        clock: any WallClock = SystemWallClock()
    )
        throws(UserDirectoryError)
    {
        self.settings = settings
        self.users = try UserDirectory(path: settings.userFile)
        self.grants = try TopicGrants(path: settings.grantsFile)
        self.clock = clock
        self.visitTokens = VisitTokens(periodMs: settings.tokenValidPeriodMs, clock: clock)
        self.tokens = Mutex([:])
    }

    /// Every check off, nothing on disk.
    public static func off() -> MasterSecurity {
        MasterSecurity(settings: SecuritySettings(), users: UserDirectory(users: []), clock: SystemWallClock())
    }

    /// Checks with in-memory `users` and grants (tests, `tubemq standalone --auth`).
    public init(settings: SecuritySettings, users: UserDirectory, clock: any WallClock = SystemWallClock()) {
        self.settings = settings
        self.users = users
        self.grants = TopicGrants()
        self.clock = clock
        self.visitTokens = VisitTokens(periodMs: settings.tokenValidPeriodMs, clock: clock)
        self.tokens = Mutex([:])
    }

    /// What brokers are told to enforce (`EnableBrokerFunInfo` of the register reply).
    public var brokerFunctions: EnableBrokerFunInfo {
        var info = EnableBrokerFunInfo()
        info.enableConsumeAuthenticate = settings.consumeAuthenticate
        info.enableConsumeAuthorize = settings.consumeAuthorize
        info.enableProduceAuthenticate = settings.produceAuthenticate
        info.enableProduceAuthorize = settings.produceAuthorize
        info.enableVisitTokenCheck = settings.visitTokenCheck
        return info
    }

    /// Checks the credentials of a producer (`produce`) or consumer request.
    ///
    /// A request with full `authInfo` is verified and gets a new token; one with only an
    /// `authorizedToken` passes while the token is live, and asks for a new signature
    /// (`requireAuth`) once it has expired. Registration always needs `authInfo`.
    ///
    /// - Throws: ``TubeMQMasterState/MasterError`` 415 with TubeMQ's text.
    public func authenticateClient(
        _ certificate: MasterCertificateInfo?,
        produce: Bool,
        registering: Bool
    ) throws(MasterError) -> Passed {
        guard produce ? settings.produceAuthenticate : settings.consumeAuthenticate else {
            return Passed(userName: "", token: "", requireAuth: false)
        }
        guard let certificate else { throw Self.refusal(AuthText.certificateRequired) }
        let now = clock.now()
        if !certificate.hasAuthInfo, !registering, certificate.hasAuthorizedToken {
            let presented = certificate.authorizedToken
            let issued = tokens.withLock { $0[presented] }
            guard let issued else { throw Self.refusal(AuthText.authenticateInfoMissing) }
            // A removed user, or a changed password, ends the tokens issued before at once (they lived
            // up to visitTokenValidPeriodMs: a deleted user's clients went on for minutes).
            guard let user = users.user(issued.userName), user.password == issued.password else {
                _ = tokens.withLock { $0.removeValue(forKey: presented) }
                throw Self.refusal(AuthText.wrongCredentials)
            }
            if issued.expiresAt <= now {
                return Passed(userName: issued.userName, token: presented, requireAuth: true)
            }
            return Passed(userName: issued.userName, token: presented, requireAuth: false)
        }
        guard certificate.hasAuthInfo else { throw Self.refusal(AuthText.authenticateInfoMissing) }
        let info = certificate.authInfo
        let userName = try verify(info, now: now) { self.users.user($0)?.password }
        let token = Self.newToken()
        tokens.withLock { tokens in
            tokens = tokens.filter { $0.value.expiresAt > now }
            tokens[token] = IssuedToken(
                userName: userName,
                expiresAt: now + settings.tokenValidPeriodMs,
                password: users.user(userName)?.password
            )
        }
        return Passed(userName: userName, token: token, requireAuth: false)
    }

    /// Checks a broker's signature when `needBrokerVisitAuth` is on.
    ///
    /// - Throws: ``TubeMQMasterState/MasterError`` 415 with TubeMQ's text.
    public func authenticateBroker(_ certificate: MasterCertificateInfo?) throws(MasterError) {
        guard settings.brokerVisitAuth else { return }
        guard let certificate, certificate.hasAuthInfo else { throw Self.refusal(AuthText.authenticateInfoMissing) }
        let info = certificate.authInfo
        let name = info.userName.trimmingBlanks()
        if !name.isEmpty, !info.signature.trimmingBlanks().isEmpty, name != settings.visitName {
            throw Self.refusal(AuthText.visitNameMismatch)
        }
        _ = try verify(info, now: clock.now()) { $0 == self.settings.visitName ? self.settings.visitPassword : nil }
    }

    /// Checks that `userName` may publish to every topic of `topics` (`startProduceAuthorize`).
    ///
    /// - Throws: ``TubeMQMasterState/MasterError`` 403 naming the refused topics.
    public func authorizeProducer(userName: String, topics: some Collection<String>) throws(MasterError) {
        guard settings.produceAuthorize, !topics.isEmpty else { return }
        let allowed = users.user(userName)?.publishTopics
        guard let allowed else { return }
        let refused = topics.filter { !allowed.contains($0) }
        guard refused.isEmpty else {
            throw MasterError(
                code: .forbidden,
                message: AuthText.producerNotAuthorized(userName: userName, topics: Array(Set(refused)))
            )
        }
    }

    /// Checks that `group` may consume every topic of `topics` (`startConsumeAuthorize`).
    ///
    /// - Throws: ``TubeMQMasterState/MasterError`` 450 with TubeMQ's text.
    public func authorizeConsumer(
        consumerID: String,
        group: String,
        topics: some Sequence<String>
    ) throws(MasterError) {
        guard settings.consumeAuthorize else { return }
        let refused = grants.refusedTopics(group: group, topics: topics)
        guard refused.isEmpty else {
            throw MasterError(
                code: .consumeGroupForbidden,
                message: AuthText.groupNotAuthorized(consumerID: consumerID, topics: refused)
            )
        }
    }

    /// Verifies a signed `AuthenticateInfo` in TubeMQ's order of checks; returns the user name.
    private func verify(
        _ info: AuthenticateInfo,
        now: Int64,
        password: (String) -> String?
    ) throws(MasterError) -> String {
        let userName = info.userName.trimmingBlanks()
        guard !userName.isEmpty else { throw Self.refusal(AuthText.userNameBlank) }
        let signature = info.signature.trimmingBlanks()
        guard !signature.isEmpty else { throw Self.refusal(AuthText.signatureBlank) }
        let distance = now > info.timestamp ? now - info.timestamp : info.timestamp - now
        guard distance <= settings.timestampPeriodMs else { throw Self.refusal(AuthText.timestampOutOfPeriod) }
        guard let key = password(userName),
            AuthSignature.verify(
                signature,
                userName: userName,
                password: key,
                timestamp: info.timestamp,
                nonce: info.nonce
            )
        else { throw Self.refusal(AuthText.wrongCredentials) }
        return userName
    }

    static func refusal(_ text: String) -> MasterError {
        MasterError(code: MasterError.Code(rawValue: ErrorCode.certificateFailure.rawValue), message: text)
    }

    private static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let value = generator.next() as UInt64
            let hex = String(value, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}

extension String {
    /// The string without leading and trailing blanks, as Java's `trim()`.
    func trimmingBlanks() -> String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view.removeFirst() }
        while let last = view.last, last.isWhitespace { view.removeLast() }
        return String(view)
    }
}

extension MasterSecurity {
    /// Loads the HA group's grants and users from ZooKeeper (`<root>/security/grants` and `users`,
    /// created from this master's files when the group has none yet); changes are written there from
    /// now on, fenced by the election znode `fence`.
    ///
    /// - Throws: ``UserDirectoryError`` when a znode cannot be read (no access: another
    ///   `zkAuthDigest`), created, or decoded.
    func useReplicas(client: ZooKeeperClient, root: String, fence: String, acl: [ACL]) async throws(UserDirectoryError)
    {
        let grants = try await ReplicatedDocument.open(
            client: client,
            root: root,
            name: "grants",
            fence: fence,
            acl: acl,
            seed: self.grants.all
        )
        let users = try await ReplicatedDocument.open(
            client: client,
            root: root,
            name: "users",
            fence: fence,
            acl: acl,
            seed: self.users.all
        )
        await self.grants.document.useReplica(grants)
        await self.users.document.useReplica(users)
    }

    /// Refuses grant and user changes from now on (this master is a standby of an HA group).
    func becomeStandby() {
        grants.document.becomeStandby()
        users.document.becomeStandby()
    }
}
