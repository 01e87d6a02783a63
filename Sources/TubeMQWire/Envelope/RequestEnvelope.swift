public import NIOCore

/// The envelope of a request: `RpcConnHeader` · `RequestHeader` · `RequestBody`, each length-delimited.
///
/// Bytes after `RequestBody` are ignored (the C++ client pads every request with zeros).
public struct RequestEnvelope: Sendable, Equatable {
    /// The protocol version this implementation speaks and answers with (`org.apache.inlong`).
    public static let currentProtocolVersion: Int32 = 3

    /// `RpcConnHeader.flag`: 0 for requests (the Go client sends 10 on commits).
    public var flag: Int32
    /// `RequestHeader.serviceType` (1 master, 2 broker read, 3 broker write), when sent.
    public var serviceType: Int32?
    /// `RequestHeader.protocolVer`: Java sends 3, C++ and Go 2.
    public var protocolVersion: Int32?
    /// `RequestBody.method`: the method id.
    public var method: Int32
    /// `RequestBody.timeout` in milliseconds, when sent.
    public var timeout: Int64?
    /// `RequestBody.request`: the serialized method request, or `nil` when the field is absent.
    public var request: ByteBuffer?

    /// Creates a request envelope.
    public init(
        flag: Int32 = 0,
        serviceType: Int32?,
        protocolVersion: Int32? = RequestEnvelope.currentProtocolVersion,
        method: Int32,
        timeout: Int64? = nil,
        request: ByteBuffer?
    ) {
        self.flag = flag
        self.serviceType = serviceType
        self.protocolVersion = protocolVersion
        self.method = method
        self.timeout = timeout
        self.request = request
    }

    /// Decodes the envelope carried by a frame.
    ///
    /// - Throws: ``EnvelopeError`` with protobuf-java's text when a header or the body is malformed.
    public init(decoding payload: ByteBuffer) throws(EnvelopeError) {
        var reader = EnvelopeReader(buffer: payload)
        let conn = try reader.next("RpcConnHeader", required: [(1, "flag")])
        let header = try reader.next("RequestHeader", required: [])
        let body = try reader.next("RequestBody", required: [(1, "method")], cutLength: .endOfStream)
        self.flag = conn.int32(1) ?? 0
        self.serviceType = header.int32(1)
        self.protocolVersion = header.int32(2)
        self.method = body.int32(1) ?? 0
        self.timeout = body.int64(2)
        self.request = body.slice(3)
    }

    /// Appends the envelope bytes to `buffer` (``encodedLength`` of them).
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeRaw(reserving: encodedLength) { writeParts(into: &$0) }
    }

    /// The envelope as a frame payload.
    public var encoded: ByteBuffer {
        var buffer = ByteBuffer()
        encode(into: &buffer)
        return buffer
    }
}
