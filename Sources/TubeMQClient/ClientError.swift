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

    /// Creates an error.
    public init(_ code: Code, _ message: String, serverCode: Int32? = nil, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.serverCode = serverCode
        self.underlying = underlying
    }

    public var description: String {
        var text = "TubeMQ client \(code): \(message)"
        if let serverCode { text += " (errCode \(serverCode))" }
        if let underlying { text += " [\(underlying)]" }
        return text
    }

    /// A server refusal with its errCode and errMsg.
    static func rejected(_ what: String, code: Int32, text: String) -> ClientError {
        ClientError(.rejected, "\(what): \(text)", serverCode: code)
    }

    /// The client error for a failed RPC to a broker.
    static func broker(_ what: String, _ error: RPCError) -> ClientError {
        switch error.code {
        case .timeout: return ClientError(.timeout, what, underlying: error)
        case .shutdown: return ClientError(.shutdown, what, underlying: error)
        case .badResponse, .remoteException: return ClientError(.badResponse, what, underlying: error)
        default: return ClientError(.brokerUnavailable, what, underlying: error)
        }
    }
}
