import NIOCore

/// Encodes a `GetMessageResponseB2C` (the method 17 reply) by hand, straight from stored payloads.
///
/// The bytes are exactly those SwiftProtobuf writes for a `GetMessageResponseB2C` holding the same
/// values (fields in number order, each `TransferedMessage` with all four fields, negative `int32`s
/// sign-extended to ten bytes), without building a `TransferedMessage` and a `Data` per message.
///
/// Use: create it with the leading fields, ``append(messageID:checksum:flag:payload:)`` each message
/// in order, then ``finish(currOffset:minLimitTime:escFlowCtrl:currDataDlt:requireSlow:maxOffset:)``.
public struct GetMessageReplyWriter: Sendable {
    private var buffer: ByteBuffer

    /// Starts a reply with fields 1–3 (`errMsg` omitted when `nil`); `capacity` is a hint for the whole reply.
    public init(success: Bool, errCode: Int32, errMsg: String?, capacity: Int = 0) {
        buffer = ByteBufferAllocator().buffer(capacity: max(64, capacity))
        buffer.writeInteger(UInt8(0x08))
        buffer.writeInteger(UInt8(success ? 1 : 0))
        buffer.writeInteger(UInt8(0x10))
        buffer.writeProtobufVarint(signed: Int64(errCode))
        if let errMsg {
            buffer.writeInteger(UInt8(0x1A))
            buffer.writeProtobufVarint(UInt64(errMsg.utf8.count))
            buffer.writeString(errMsg)
        }
    }

    /// The encoded size of one `TransferedMessage` entry (tag and length prefix included) with a
    /// payload of `payloadLength` bytes, at most; for capacity hints.
    public static func maximumEntrySize(payloadLength: Int) -> Int { 48 + payloadLength }

    /// Appends one `TransferedMessage` (field 4).
    public mutating func append(messageID: Int64, checksum: Int32, flag: Int32, payload: UnsafeRawBufferPointer) {
        let id = UInt64(bitPattern: messageID)
        let check = UInt64(bitPattern: Int64(checksum))
        let flags = UInt64(bitPattern: Int64(flag))
        let length = UInt64(payload.count)
        let inner =
            4 + Self.varintSize(id) + Self.varintSize(check) + Self.varintSize(length) + payload.count
            + Self.varintSize(flags)
        let total = 1 + Self.varintSize(UInt64(inner)) + inner
        buffer.writeRaw(reserving: total) { writer in
            writer.byte(0x22)
            writer.varint(UInt64(inner))
            writer.byte(0x08)
            writer.varint(id)
            writer.byte(0x10)
            writer.varint(check)
            writer.byte(0x1A)
            writer.varint(length)
            writer.bytes(payload)
            writer.byte(0x20)
            writer.varint(flags)
        }
    }

    /// Appends the trailing optional fields 5–10 (each omitted when `nil`) and returns the reply.
    public consuming func finish(
        currOffset: Int64?,
        minLimitTime: Int32?,
        escFlowCtrl: Bool?,
        currDataDlt: Int64?,
        requireSlow: Bool?,
        maxOffset: Int64?
    ) -> EncodedMessage {
        if let currOffset {
            buffer.writeInteger(UInt8(0x28))
            buffer.writeProtobufVarint(signed: currOffset)
        }
        if let minLimitTime {
            buffer.writeInteger(UInt8(0x30))
            buffer.writeProtobufVarint(signed: Int64(minLimitTime))
        }
        if let escFlowCtrl {
            buffer.writeInteger(UInt8(0x38))
            buffer.writeInteger(UInt8(escFlowCtrl ? 1 : 0))
        }
        if let currDataDlt {
            buffer.writeInteger(UInt8(0x40))
            buffer.writeProtobufVarint(signed: currDataDlt)
        }
        if let requireSlow {
            buffer.writeInteger(UInt8(0x48))
            buffer.writeInteger(UInt8(requireSlow ? 1 : 0))
        }
        if let maxOffset {
            buffer.writeInteger(UInt8(0x50))
            buffer.writeProtobufVarint(signed: maxOffset)
        }
        return EncodedMessage(buffer)
    }

    @inline(__always)
    private static func varintSize(_ value: UInt64) -> Int {
        // 1 + floor(bits / 7) for the significant bits, 1 for zero.
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }
}
