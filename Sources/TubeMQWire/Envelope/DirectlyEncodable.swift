public import NIOCore

/// A message that writes its own protobuf bytes, byte for byte what SwiftProtobuf would write, for
/// replies on hot paths where the generic encoder's cost shows.
public protocol DirectlyEncodable {
    /// The size of the encoded message in bytes.
    var directlyEncodedSize: Int { get }
    /// Appends the encoded message to `buffer`.
    func encodeDirectly(into buffer: inout ByteBuffer)
}

extension ResponseEnvelope {
    /// Appends a whole SUCCESS envelope for `message`, written straight into `buffer`.
    public static func encodeSuccess(method: Int32, message: some DirectlyEncodable, into buffer: inout ByteBuffer) {
        let dataLength = message.directlyEncodedSize
        writeSuccessHeaders(method: method, dataLength: dataLength, into: &buffer)
        message.encodeDirectly(into: &buffer)
    }
}
