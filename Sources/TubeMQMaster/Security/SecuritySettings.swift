/// What the master checks of its clients and brokers: the authentication and authorisation
/// switches of `master.ini` (config.md §1.1) and where the users and grants are kept.
///
/// Every switch is off by default; with all of them off the master answers exactly as it does
/// without this type.
public struct SecuritySettings: Sendable, Hashable {
    /// Producers must authenticate (`startProduceAuthenticate`).
    public var produceAuthenticate: Bool
    /// Producers may publish only to the topics their user is granted (`startProduceAuthorize`).
    public var produceAuthorize: Bool
    /// Consumers must authenticate (`startConsumeAuthenticate`).
    public var consumeAuthenticate: Bool
    /// Consumer groups must be allowed on topics under authorisation control (`startConsumeAuthorize`).
    public var consumeAuthorize: Bool
    /// Brokers refuse calls without a current visit token (`startVisitTokenCheck`).
    public var visitTokenCheck: Bool
    /// Allowed distance between a signature's timestamp and the master's clock
    /// (`authValidTimeStampPeriodMs`).
    public var timestampPeriodMs: Int64
    /// Lifetime of an issued `authAuthorizedToken` (`visitTokenValidPeriodMs`).
    public var tokenValidPeriodMs: Int64
    /// Brokers must sign their register and heartbeat requests (`needBrokerVisitAuth`).
    public var brokerVisitAuth: Bool
    /// The brokers' user name (`visitName`).
    public var visitName: String
    /// The brokers' password (`visitPassword`); never logged.
    public var visitPassword: String
    /// The users file (`[master] authUserFile`, our key): one user a line, `name password [topics]`.
    public var userFile: String?
    /// The file that keeps topic authorisation controls and allowed groups; `nil` keeps them in
    /// memory (the master's data directory supplies `authorization.json`).
    public var grantsFile: String?

    /// Settings with every check off.
    public init(
        produceAuthenticate: Bool = false,
        produceAuthorize: Bool = false,
        consumeAuthenticate: Bool = false,
        consumeAuthorize: Bool = false,
        visitTokenCheck: Bool = false,
        timestampPeriodMs: Int64 = 20_000,
        tokenValidPeriodMs: Int64 = 300_000,
        brokerVisitAuth: Bool = false,
        visitName: String = "",
        visitPassword: String = "",
        userFile: String? = nil,
        grantsFile: String? = nil
    ) {
        self.produceAuthenticate = produceAuthenticate
        self.produceAuthorize = produceAuthorize
        self.consumeAuthenticate = consumeAuthenticate
        self.consumeAuthorize = consumeAuthorize
        self.visitTokenCheck = visitTokenCheck
        self.timestampPeriodMs = timestampPeriodMs
        self.tokenValidPeriodMs = tokenValidPeriodMs
        self.brokerVisitAuth = brokerVisitAuth
        self.visitName = visitName
        self.visitPassword = visitPassword
        self.userFile = userFile
        self.grantsFile = grantsFile
    }
}
