/// The refusal texts of TubeMQ's certificate handlers (`SimpleCertificateMasterHandler`,
/// `SimpleCertificateBrokerHandler`) and of the master's consumer-group authorisation, with the
/// errCodes they go with. Clients and operators match on them, so they are reproduced exactly.
public enum AuthText {
    /// 415: authentication is on and the request carries no `MasterCertificateInfo`.
    public static let certificateRequired = "Server required MasterCertificateInfo!"
    /// 415: the certificate carries no `AuthenticateInfo`.
    public static let authenticateInfoMissing = "Illegal value: AuthenticateInfo is null!"
    /// 415: blank user name.
    public static let userNameBlank = "Illegal value: authInfo.userName is Blank!"
    /// 415: blank signature.
    public static let signatureBlank = "Illegal value: authInfo.signature is Blank!"
    /// 415: the broker's visit name differs from the master's `visitName`.
    public static let visitNameMismatch = "Illegal value: userName is not equal in authenticateToken!"
    /// 415: the signed timestamp is further from the server's clock than `authValidTimeStampPeriodMs`.
    public static let timestampOutOfPeriod = "Illegal value: timestamp out of effective period in authenticateToken!"
    /// 415: the signature does not match (wrong password or unknown user: the reply does not say which).
    public static let wrongCredentials = "Illegal value: userName or password is not correct!"
    /// 415 from a broker: the call carries no `AuthorizedInfo` while checks are on.
    public static let authorizedInfoRequired = "Authorized Info is required!"
    /// 415 from a broker: the visit token is not one the master issued recently.
    public static let visitTokenInvalid = "Visit Authorized Token is invalid!"
    /// 415 from a broker: authentication is on and the call carries no `authAuthorizedToken`.
    public static let authTokenBlank = "authAuthorizedToken is Blank!"

    /// 450: a consumer group not on the allowed list of a topic under authorisation control.
    ///
    /// `topics` are printed as Java prints a `Set` (`[a, b]`).
    public static func groupNotAuthorized(consumerID: String, topics: [String]) -> String {
        "[unAuthorized Group] \(consumerID)'s consumerGroup not authorized by administrator, unAuthorizedTopics: "
            + "[\(topics.sorted().joined(separator: ", "))]"
    }

    /// 403: a producer whose user may not publish to some of its topics. TubeMQ leaves producer
    /// authorisation to an external "authorize center" and has no text for it; this one names the
    /// user and the topics in the same manner as the consumer-group refusal.
    public static func producerNotAuthorized(userName: String, topics: [String]) -> String {
        "[unAuthorized Producer] user \(userName) not authorized by administrator, unAuthorizedTopics: "
            + "[\(topics.sorted().joined(separator: ", "))]"
    }
}
