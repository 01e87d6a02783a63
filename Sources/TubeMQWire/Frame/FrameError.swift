/// A byte stream that is not a valid TubeMQ frame sequence. The connection that sent it is closed.
public struct FrameError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of violation was found.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        let name: String
        /// The first four bytes were not ``Frame/beginToken``.
        public static let badToken = Code(name: "badToken")
        /// The chunk count is negative or above the limit.
        public static let listTooLong = Code(name: "listTooLong")
        /// A chunk length is negative, or would take the frame past its size limit.
        public static let badChunkLength = Code(name: "badChunkLength")
        /// The frame is larger than the encoder may send.
        public static let frameTooLarge = Code(name: "frameTooLarge")
        /// The stream ended in the middle of a frame.
        public static let truncated = Code(name: "truncated")
        public var description: String { name }
    }

    /// The kind of violation.
    public var code: Code
    /// A human-readable explanation, with the offending value.
    public var message: String

    /// Creates the error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "TubeMQ frame error (\(code)): \(message)" }
}
