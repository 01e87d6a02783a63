/// An exception reply: what a TubeMQ server sends instead of a response body when a call fails.
///
/// The server fills `RspExceptionBody`: ``exceptionName`` is a Java class name that clients
/// act on (the Java client fails over to another master on ``standbyName``); ``message`` goes in
/// the `stackTrace` field, which despite its name holds the exception's message text.
public struct RemoteException: Error, Sendable, Hashable, CustomStringConvertible {
    /// `ResponseHeader.status` for an exception reply.
    public enum Status: Int32, Sendable, Hashable {
        /// The request was decoded but could not be dispatched or handled.
        case error = 1
        /// The request could not be parsed or decoded.
        case fatal = 2
    }

    /// ERROR or FATAL.
    public var status: Status
    /// The Java exception class name.
    public var exceptionName: String
    /// The exception's message text.
    public var message: String

    /// Creates an exception reply.
    public init(status: Status, exceptionName: String, message: String) {
        self.status = status
        self.exceptionName = exceptionName
        self.message = message
    }

    public var description: String { "\(exceptionName): \(message)" }

    // MARK: Exception class names

    /// The generic Java exception the server reports for dispatch failures.
    public static let javaExceptionName = "java.lang.Exception"
    /// protobuf-java's parse failure.
    public static let invalidProtobufName = "com.google.protobuf.InvalidProtocolBufferException"
    /// A standby master's refusal; clients move on to the next master.
    public static let standbyName = "org.apache.inlong.tubemq.corerpc.exception.StandbyException"
    /// A server-side overflow of the request queue.
    public static let overflowName = "org.apache.inlong.tubemq.corerpc.exception.OverflowException"

    // MARK: The server's replies, with its exact texts

    /// FATAL reply to a method id the server has no message type for (0, 10, 11, 12, 14, 19, 23+).
    public static func unsupportedMethod(_ method: Int32) -> RemoteException {
        RemoteException(
            status: .fatal,
            exceptionName: javaExceptionName,
            message: "IPC server handle request error :Unsupported method ID :\(method)"
        )
    }

    /// FATAL reply to a request message that lacks proto2-required fields.
    public static func missingRequiredFields(_ names: [String]) -> RemoteException {
        RemoteException(
            status: .fatal,
            exceptionName: invalidProtobufName,
            message: "IPC server handle request error :Message missing required fields: "
                + names.joined(separator: ", ")
        )
    }

    /// FATAL reply to a request message whose bytes are not valid protobuf.
    public static func undecodableRequest(_ javaText: String) -> RemoteException {
        RemoteException(
            status: .fatal,
            exceptionName: invalidProtobufName,
            message: "IPC server handle request error :\(javaText)"
        )
    }

    /// FATAL reply to a frame whose envelope cannot be parsed.
    public static func unreadableEnvelope(_ error: EnvelopeError) -> RemoteException {
        RemoteException(
            status: .fatal,
            exceptionName: error.exceptionName,
            message: "IPC server unable to read call parameters:\(error.javaText)"
        )
    }

    /// ERROR reply to a method sent under a service type that does not accept it (the missing space is the original's).
    public static func unsupportedServiceType(method: Int32, serviceType: Int32) -> RemoteException {
        RemoteException(
            status: .error,
            exceptionName: javaExceptionName,
            message: "Unsupported method \(method)in service type \(serviceType)!"
        )
    }

    /// ERROR reply to a service type this server does not provide (a broker method sent to a master).
    public static func noService(_ serviceType: Int32) -> RemoteException {
        RemoteException(
            status: .error,
            exceptionName: javaExceptionName,
            message: "No service \(serviceType) found on the server"
        )
    }

    /// ERROR reply of a master that is not the active one.
    public static func standby(_ message: String) -> RemoteException {
        RemoteException(status: .error, exceptionName: standbyName, message: message)
    }

    /// ERROR reply for a failure inside a handler.
    public static func handlerFailed(_ message: String) -> RemoteException {
        RemoteException(status: .error, exceptionName: javaExceptionName, message: message)
    }

    /// The class name as a client speaking `protocolVersion` expects it.
    ///
    /// Clients of protocol 1 (`com.tencent.tubemq`) and 2 (`org.apache.tubemq` era) get TubeMQ's own
    /// exception names under their old package prefix; other names are unchanged.
    public func exceptionName(forProtocolVersion protocolVersion: Int32?) -> String {
        let current = "org.apache.inlong.tubemq."
        guard exceptionName.hasPrefix(current) else { return exceptionName }
        let rest = exceptionName.dropFirst(current.count)
        switch protocolVersion {
        case 1: return "com.tencent.tubemq." + rest
        case 2: return "com.apache.tubemq." + rest
        default: return exceptionName
        }
    }

    /// The exception as a client decodes it, whatever prefix the server used.
    public var isStandby: Bool { exceptionName.hasSuffix(".StandbyException") }
}
