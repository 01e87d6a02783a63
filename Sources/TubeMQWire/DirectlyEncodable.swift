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
