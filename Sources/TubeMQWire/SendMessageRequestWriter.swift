public import NIOCore

/// Writes a `SendMessageRequestP2B` (method 13) straight into a `ByteBuffer`, byte for byte as
/// SwiftProtobuf serializes the same message, without building the message or any `Data`.
///
/// Fields go out in field-number order, as every protobuf serializer writes them; `int32` values are
/// sign-extended varints (a negative one takes ten bytes).
public struct SendMessageRequestWriter: Sendable {
    /// `authInfo`: the master's visit token, and the optional authentication token.
    public struct Authorization: Sendable, Hashable {
        /// `AuthorizedInfo.visitAuthorizedToken`.
        public var visitToken: Int64
        /// `AuthorizedInfo.authAuthorizedToken`, when sent.
        public var authToken: String?

        /// Creates the authorization.
        public init(visitToken: Int64, authToken: String? = nil) {
            self.visitToken = visitToken
            self.authToken = authToken
        }
    }

    /// `clientId` (1).
    public var clientID: String
    /// `topicName` (2).
    public var topicName: String
    /// `partitionId` (3).
    public var partitionID: Int32
    /// `data` (4): the message payload (attribute section, if any, then the body).
    public var data: [UInt8]
    /// `flag` (5).
    public var flag: Int32
    /// `checkSum` (6); −1 lets the broker compute it.
    public var checkSum: Int32
    /// `sentAddr` (7): the producer's IPv4 address packed into an `int32`.
    public var sentAddress: Int32
    /// `msgType` (8), when sent.
    public var messageType: String?
    /// `msgTime` (9), when sent.
    public var messageTime: String?
    /// `authInfo` (10), when sent.
    public var authorization: Authorization?

    /// Creates a writer for one request.
    public init(
        clientID: String,
        topicName: String,
        partitionID: Int32,
        data: [UInt8],
        flag: Int32,
        checkSum: Int32 = -1,
        sentAddress: Int32,
        messageType: String? = nil,
        messageTime: String? = nil,
        authorization: Authorization? = nil
    ) {
        self.clientID = clientID
        self.topicName = topicName
        self.partitionID = partitionID
        self.data = data
        self.flag = flag
        self.checkSum = checkSum
        self.sentAddress = sentAddress
        self.messageType = messageType
        self.messageTime = messageTime
        self.authorization = authorization
    }

    /// The number of bytes ``write(into:)`` appends.
    public var encodedLength: Int {
        var length = Self.bytesField(clientID.utf8.count) + Self.bytesField(topicName.utf8.count)
        length += Self.int32Field(partitionID) + Self.bytesField(data.count)
        length += Self.int32Field(flag) + Self.int32Field(checkSum) + Self.int32Field(sentAddress)
        if let messageType { length += Self.bytesField(messageType.utf8.count) }
        if let messageTime { length += Self.bytesField(messageTime.utf8.count) }
        if let authorization { length += Self.bytesField(authorization.encodedLength) }
        return length
    }

    /// Appends the serialized request to `buffer`.
    public func write(into buffer: inout ByteBuffer) {
        let length = encodedLength
        buffer.writeRaw(reserving: length) { write(into: &$0) }
    }

    private func write(into writer: inout RawByteWriter) {
        writer.stringField(0x0A, clientID)
        writer.stringField(0x12, topicName)
        writer.byte(0x18)
        writer.varint(signed: Int64(partitionID))
        writer.byte(0x22)
        writer.varint(UInt64(data.count))
        writer.bytes(data)
        writer.byte(0x28)
        writer.varint(signed: Int64(flag))
        writer.byte(0x30)
        writer.varint(signed: Int64(checkSum))
        writer.byte(0x38)
        writer.varint(signed: Int64(sentAddress))
        if let messageType { writer.stringField(0x42, messageType) }
        if let messageTime { writer.stringField(0x4A, messageTime) }
        if let authorization {
            writer.byte(0x52)
            writer.varint(UInt64(authorization.encodedLength))
            writer.byte(0x08)
            writer.varint(signed: authorization.visitToken)
            if let token = authorization.authToken { writer.stringField(0x12, token) }
        }
    }

    /// The serialized request in a buffer of its own.
    public var encoded: ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: encodedLength)
        write(into: &buffer)
        return buffer
    }

    private static func bytesField(_ length: Int) -> Int {
        1 + protobufVarintSize(UInt64(length)) + length
    }

    private static func int32Field(_ value: Int32) -> Int {
        1 + protobufVarintSize(UInt64(bitPattern: Int64(value)))
    }

}

extension SendMessageRequestWriter.Authorization {
    fileprivate var encodedLength: Int {
        var length = 1 + protobufVarintSize(UInt64(bitPattern: visitToken))
        if let authToken { length += 1 + protobufVarintSize(UInt64(authToken.utf8.count)) + authToken.utf8.count }
        return length
    }
}
