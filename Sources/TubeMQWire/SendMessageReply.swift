public import NIOCore

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
            var reply = SendMessageReply(success: false, errCode: 0, errMsg: "")
            var seen: UInt8 = 0
            var position = 0
            while position < raw.count {
                let tag = raw[position]
                position += 1
                guard tag & 0x80 == 0 else { return nil }
                if tag == 0x1A {
                    guard let length = Self.varint(raw, &position), length <= UInt64(raw.count - position),
                        let text = String(
                            validating: UnsafeRawBufferPointer(rebasing: raw[position..<(position + Int(length))]),
                            as: UTF8.self
                        )
                    else { return nil }
                    position += Int(length)
                    reply.errMsg = text
                    seen |= 4
                    continue
                }
                guard tag & 0x07 == 0, let value = Self.varint(raw, &position) else { return nil }
                switch tag >> 3 {
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

    private static func varint(_ raw: UnsafeRawBufferPointer, _ position: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while position < raw.count, shift < 64 {
            let byte = raw[position]
            position += 1
            // A tenth byte carries one bit; anything more is left to the careful decoder.
            guard shift < 63 || byte <= 1 else { return nil }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }
}
