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
        if hasSuccess {
            buffer.writeInteger(UInt8(0x08))
            buffer.writeInteger(UInt8(success ? 1 : 0))
        }
        if hasErrCode {
            buffer.writeInteger(UInt8(0x10))
            buffer.writeProtobufVarint(signed: Int64(errCode))
        }
        if hasErrMsg {
            buffer.writeInteger(UInt8(0x1A))
            buffer.writeProtobufVarint(UInt64(errMsg.utf8.count))
            buffer.writeString(errMsg)
        }
        if hasRequireAuth {
            buffer.writeInteger(UInt8(0x20))
            buffer.writeInteger(UInt8(requireAuth ? 1 : 0))
        }
        if hasMessageID {
            buffer.writeInteger(UInt8(0x28))
            buffer.writeProtobufVarint(signed: messageID)
        }
        if hasAppendTime {
            buffer.writeInteger(UInt8(0x30))
            buffer.writeProtobufVarint(signed: appendTime)
        }
        if hasAppendOffset {
            buffer.writeInteger(UInt8(0x38))
            buffer.writeProtobufVarint(signed: appendOffset)
        }
    }
}
