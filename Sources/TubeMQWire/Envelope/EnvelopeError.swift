/// An RPC envelope that cannot be parsed, with the Java exception the original server reports for the same bytes.
public struct EnvelopeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The exception's message (protobuf-java's text, or `null` for a message-less exception), used verbatim
    /// in the FATAL reply.
    public var javaText: String
    /// The Java exception class name: protobuf-java's parse failure unless the stream ended mid-length.
    public var exceptionName: String

    /// Creates the error.
    public init(javaText: String, exceptionName: String = RemoteException.invalidProtobufName) {
        self.javaText = javaText
        self.exceptionName = exceptionName
    }

    /// The Java server's `java.io.EOFException` (whose message is `null`): the stream ended inside the
    /// length of the `RequestBody`.
    public static let endOfStream = EnvelopeError(javaText: "null", exceptionName: "java.io.EOFException")

    public var description: String { "unparseable RPC envelope: \(exceptionName): \(javaText)" }
}
