import TubeMQRPC
import TubeMQWire

/// A failure reported by a ``Producer``, ``PushConsumer`` or ``PullConsumer``.
///
/// ``code`` says what kind of failure it is; ``serverCode`` carries the TubeMQ `errCode` when a
/// master or broker refused the request (for example 403 for an unknown topic, 450 for a forbidden
/// group); ``underlying`` keeps the transport error, if any.
public struct ClientError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure. Extensible: compare with the static members.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        let name: String

        /// A master or broker answered with a TubeMQ error code (see ``ClientError/serverCode``).
        public static let rejected = Code(name: "rejected")
        /// No master answered: every listed master was unreachable, standby, or timed out.
        public static let masterUnavailable = Code(name: "masterUnavailable")
        /// A broker could not be reached, or the connection to it was lost.
        public static let brokerUnavailable = Code(name: "brokerUnavailable")
        /// A call got no reply within its timeout.
        public static let timeout = Code(name: "timeout")
        /// A reply could not be understood.
        public static let badResponse = Code(name: "badResponse")
        /// The producer has no partition of the topic to send to (not published, unknown, or all brokers down).
        public static let noPartition = Code(name: "noPartition")
        /// The message is larger than the topic allows.
        public static let messageTooLarge = Code(name: "messageTooLarge")
        /// An argument is invalid (an empty topic, an attribute containing `,` or `=`, …).
        public static let invalidArgument = Code(name: "invalidArgument")
        /// The batch can no longer be confirmed: it was given back for redelivery or its partition was revoked.
        public static let batchExpired = Code(name: "batchExpired")
        /// The client was shut down.
        public static let shutdown = Code(name: "shutdown")
        /// The calling task was cancelled.
        public static let cancelled = Code(name: "cancelled")

        public var description: String { name }
    }

    /// The kind of failure.
    public var code: Code
    /// What happened, with the address or topic involved.
    public var message: String
    /// The TubeMQ `errCode` the server answered with, for ``Code/rejected`` (and some others).
    public var serverCode: Int32?
    /// The error that caused this one, if any (usually an `RPCError`).
    public var underlying: (any Error)?
    /// Whether the request may have been carried out although it failed here: no reply in time, the
    /// connection lost while the request was in flight, or a broker's internal error (errCode 500).
    /// For a send, the message may have been stored, and sending it again may store it twice.
    public var outcomeUnknown: Bool

    /// Creates an error.
    public init(
        _ code: Code,
        _ message: String,
        serverCode: Int32? = nil,
        underlying: (any Error)? = nil,
        outcomeUnknown: Bool = false
    ) {
        self.code = code
        self.message = message
        self.serverCode = serverCode
        self.underlying = underlying
        self.outcomeUnknown = outcomeUnknown
    }

    public var description: String {
        var text = "TubeMQ client \(code): \(message)"
        if let serverCode { text += " (errCode \(serverCode))" }
        if let underlying { text += " [\(underlying)]" }
        return text
    }

    /// A server refusal with its errCode and errMsg. An internal error (500) leaves the outcome
    /// unknown: a broker that could not write a message to disk keeps it queued and writes it later.
    static func rejected(_ what: String, code: Int32, text: String) -> ClientError {
        ClientError(
            .rejected,
            "\(what): \(text)",
            serverCode: code,
            outcomeUnknown: code == ErrorCode.internalServerError.rawValue
        )
    }

    /// The client error for a failed RPC to a broker.
    static func broker(_ what: String, _ error: RPCError) -> ClientError {
        let code: Code =
            switch error.code {
            case .timeout: .timeout
            case .shutdown: .shutdown
            case .badResponse, .remoteException: .badResponse
            default: .brokerUnavailable
            }
        return ClientError(code, what, underlying: error, outcomeUnknown: error.requestSent)
    }
}
