import Foundation
public import NIOCore

// Method 13, send (`SendMessageRequestP2B` → `SendMessageResponseB2P`): the hand-written codecs of the
// publish path. The producer writes the request (`SendMessageRequestWriter`) and reads the reply
// (`SendMessageReply`); the broker reads the request (`SendMessageRequestP2B.wellFormed`) and writes the
// reply (`SendMessageResponseB2P: DirectlyEncodable`). Anything out of the ordinary goes to SwiftProtobuf.

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

extension SendMessageRequestP2B {
    /// Decodes a send request in one pass when it is an ordinary one: only known fields, each with
    /// its own wire type, every required field present, strings valid UTF-8. Returns `nil` otherwise.
    ///
    /// A `nil` says nothing about validity: SwiftProtobuf then decodes the bytes and reports what is
    /// wrong. The two agree on every request this one accepts.
    public static func wellFormed(_ bytes: ByteBuffer) -> SendMessageRequestP2B? {
        bytes.withUnsafeReadableBytes { raw -> SendMessageRequestP2B? in
            var reader = ProtoReader(raw: raw)
            var request = SendMessageRequestP2B()
            var seen: UInt16 = 0
            while !reader.isAtEnd {
                guard let (number, wireType) = reader.tag() else { return nil }
                switch (number, wireType) {
                case (1, 2):
                    guard let value = reader.string() else { return nil }
                    request.clientID = value
                case (2, 2):
                    guard let value = reader.string() else { return nil }
                    request.topicName = value
                case (3, 0):
                    guard let value = reader.varint() else { return nil }
                    request.partitionID = Int32(truncatingIfNeeded: value)
                case (4, 2):
                    guard let range = reader.delimited() else { return nil }
                    request.data = Data(buffer: reader.bytes(range))
                case (5, 0):
                    guard let value = reader.varint() else { return nil }
                    request.flag = Int32(truncatingIfNeeded: value)
                case (6, 0):
                    guard let value = reader.varint() else { return nil }
                    request.checkSum = Int32(truncatingIfNeeded: value)
                case (7, 0):
                    guard let value = reader.varint() else { return nil }
                    request.sentAddr = Int32(truncatingIfNeeded: value)
                case (8, 2):
                    guard let value = reader.string() else { return nil }
                    request.msgType = value
                case (9, 2):
                    guard let value = reader.string() else { return nil }
                    request.msgTime = value
                case (10, 2):
                    // Repeated occurrences of a message field merge in protobuf: leave those to SwiftProtobuf.
                    guard seen & (1 << 10) == 0, let range = reader.delimited(),
                        let info = AuthorizedInfo.wellFormed(UnsafeRawBufferPointer(rebasing: raw[range]))
                    else { return nil }
                    request.authInfo = info
                default:
                    return nil
                }
                seen |= 1 << number
            }
            let required: UInt16 = 0b1111_1110  // fields 1...7
            guard seen & required == required else { return nil }
            return request
        }
    }
}

extension AuthorizedInfo {
    /// Decodes an ordinary `AuthorizedInfo` in one pass, or returns `nil`.
    static func wellFormed(_ raw: UnsafeRawBufferPointer) -> AuthorizedInfo? {
        var reader = ProtoReader(raw: raw)
        var info = AuthorizedInfo()
        var sawToken = false
        while !reader.isAtEnd {
            guard let (number, wireType) = reader.tag() else { return nil }
            switch (number, wireType) {
            case (1, 0):
                guard let value = reader.varint() else { return nil }
                info.visitAuthorizedToken = Int64(bitPattern: value)
                sawToken = true
            case (2, 2):
                guard let value = reader.string() else { return nil }
                info.authAuthorizedToken = value
            default:
                return nil
            }
        }
        return sawToken ? info : nil
    }
}

/// The fields of a `SendMessageResponseB2P` (method 13's reply) a producer reads.
///
/// ``wellFormed(_:)`` decodes the ordinary reply in one pass; anything else is left to SwiftProtobuf
/// (``init(_:)``), so the two never disagree.
public struct SendMessageReply: Sendable, Hashable {
    /// `success` (1).
    public var success: Bool
    /// `errCode` (2).
    public var errCode: Int32
    /// `errMsg` (3).
    public var errMsg: String
    /// `messageId` (5), when sent.
    public var messageID: Int64?
    /// `appendTime` (6), when sent.
    public var appendTime: Int64?
    /// `appendOffset` (7), when sent.
    public var appendOffset: Int64?

    /// Creates a reply.
    public init(
        success: Bool,
        errCode: Int32,
        errMsg: String,
        messageID: Int64? = nil,
        appendTime: Int64? = nil,
        appendOffset: Int64? = nil
    ) {
        self.success = success
        self.errCode = errCode
        self.errMsg = errMsg
        self.messageID = messageID
        self.appendTime = appendTime
        self.appendOffset = appendOffset
    }

    /// The fields of a decoded message.
    public init(_ message: SendMessageResponseB2P) {
        self.init(
            success: message.success,
            errCode: message.errCode,
            errMsg: message.errMsg,
            messageID: message.hasMessageID ? message.messageID : nil,
            appendTime: message.hasAppendTime ? message.appendTime : nil,
            appendOffset: message.hasAppendOffset ? message.appendOffset : nil
        )
    }

    /// Decodes `bytes` in one pass when they hold only known fields with their own wire types, the
    /// required ones present and `errMsg` valid UTF-8; `nil` for anything else (decode it with
    /// SwiftProtobuf then, which also reports what is wrong).
    public static func wellFormed(_ bytes: ByteBuffer) -> SendMessageReply? {
        bytes.withUnsafeReadableBytes { raw -> SendMessageReply? in
            var reader = ProtoReader(raw: raw)
            var reply = SendMessageReply(success: false, errCode: 0, errMsg: "")
            var seen: UInt8 = 0
            while !reader.isAtEnd {
                guard let (number, wireType) = reader.tag() else { return nil }
                if number == 3, wireType == 2 {
                    guard let text = reader.string() else { return nil }
                    reply.errMsg = text
                    seen |= 4
                    continue
                }
                guard wireType == 0, let value = reader.varint() else { return nil }
                switch number {
                case 1:
                    reply.success = value != 0
                    seen |= 1
                case 2:
                    reply.errCode = Int32(truncatingIfNeeded: value)
                    seen |= 2
                case 4: break
                case 5: reply.messageID = Int64(bitPattern: value)
                case 6: reply.appendTime = Int64(bitPattern: value)
                case 7: reply.appendOffset = Int64(bitPattern: value)
                default: return nil
                }
            }
            return seen == 7 ? reply : nil
        }
    }
}

// MARK: - The reply, written by the broker

extension SendMessageResponseB2P: DirectlyEncodable {
    public var directlyEncodedSize: Int {
        var size = 0
        if hasSuccess { size += 2 }
        if hasErrCode { size += 1 + protobufVarintSize(UInt64(bitPattern: Int64(errCode))) }
        if hasErrMsg {
            let length = errMsg.utf8.count
            size += 1 + protobufVarintSize(UInt64(length)) + length
        }
        if hasRequireAuth { size += 2 }
        if hasMessageID { size += 1 + protobufVarintSize(UInt64(bitPattern: messageID)) }
        if hasAppendTime { size += 1 + protobufVarintSize(UInt64(bitPattern: appendTime)) }
        if hasAppendOffset { size += 1 + protobufVarintSize(UInt64(bitPattern: appendOffset)) }
        return size
    }

    public func encodeDirectly(into buffer: inout ByteBuffer) {
        // One capacity check, then plain stores: every ByteBuffer write checks capacity and uniqueness.
        buffer.writeRaw(reserving: directlyEncodedSize) { encode(into: &$0) }
    }

    private func encode(into writer: inout RawByteWriter) {
        if hasSuccess {
            writer.byte(0x08)
            writer.byte(success ? 1 : 0)
        }
        if hasErrCode {
            writer.byte(0x10)
            writer.varint(signed: Int64(errCode))
        }
        if hasErrMsg { writer.stringField(0x1A, errMsg) }
        if hasRequireAuth {
            writer.byte(0x20)
            writer.byte(requireAuth ? 1 : 0)
        }
        if hasMessageID {
            writer.byte(0x28)
            writer.varint(signed: messageID)
        }
        if hasAppendTime {
            writer.byte(0x30)
            writer.varint(signed: appendTime)
        }
        if hasAppendOffset {
            writer.byte(0x38)
            writer.varint(signed: appendOffset)
        }
    }
}
