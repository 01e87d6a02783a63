/// A user name and password the client signs its master requests with (TubeMQ's
/// `setUsrName`/`setUsrPassword`), for a cluster whose master has authentication on.
///
/// The password is the HMAC key of the signatures; it never leaves the process and is never logged
/// (``description`` hides it).
public struct Credentials: Sendable, Hashable, CustomStringConvertible {
    /// The user name.
    public var userName: String
    /// The password.
    public var password: String

    /// Creates credentials.
    public init(userName: String, password: String) {
        self.userName = userName
        self.password = password
    }

    /// The user name only.
    public var description: String { "Credentials(userName: \(userName))" }
}
