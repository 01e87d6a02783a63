/// An RPC envelope that cannot be parsed; ``javaText`` is protobuf-java's message for the same bytes.
public struct EnvelopeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text protobuf-java would report, used verbatim in the FATAL reply.
    public var javaText: String
    /// Creates the error.
    public init(javaText: String) { self.javaText = javaText }
    public var description: String { "unparseable RPC envelope: \(javaText)" }
}
