public import NIOCore

/// A `GetMessageResponseB2C` (the method 17 reply) decoded by hand, for the consumer's hot path.
///
/// It accepts what SwiftProtobuf accepts for that message — fields in any order, the last of a
/// repeated scalar winning, unknown fields (and known ones with another wire type) skipped — and rejects a reply missing a required field
/// (`success`, `errCode`, or any of a `TransferedMessage`'s four), as SwiftProtobuf does. The
/// payloads are not copied: each message records where its payload lies in ``buffer``.
public struct GetMessageReply: Sendable {
    /// One `TransferedMessage`, its payload a range of the reply's ``GetMessageReply/buffer``.
    public struct Item: Sendable, Hashable {
        /// `messageId`.
        public var messageID: Int64
        /// `checkSum`.
        public var checksum: Int32
        /// `flag`.
        public var flag: Int32
        /// Where `payLoadData` starts in the buffer (an absolute index).
        public var payloadStart: Int
        /// The payload's length.
        public var payloadLength: Int
    }

    /// The reply bytes the items point into.
    public var buffer: ByteBuffer
    /// `success`.
    public var success = false
    /// `errCode`.
    public var errCode: Int32 = 0
    /// `errMsg`, when present.
    public var errMsg: String?
    /// `messages`, in order.
    public var messages: [Item] = []
    /// `currOffset`, when present.
    public var currOffset: Int64?
    /// `minLimitTime`, when present.
    public var minLimitTime: Int32?
    /// `escFlowCtrl`, when present.
    public var escFlowCtrl: Bool?
    /// `currDataDlt`, when present.
    public var currDataDlt: Int64?
    /// `requireSlow`, when present.
    public var requireSlow: Bool?
    /// `maxOffset`, when present.
    public var maxOffset: Int64?

    /// Calls `body` with the payload of `item` (valid only during the call).
    @inlinable
    public func withPayload<R>(
        of item: Item, _ body: (UnsafeRawBufferPointer) throws -> R
    ) rethrows -> R {
        try buffer.withUnsafeReadableBytes { raw in
            let start = item.payloadStart - buffer.readerIndex
            return try body(UnsafeRawBufferPointer(rebasing: raw[start..<(start + item.payloadLength)]))
        }
    }

    /// Decodes the reply's bytes (the readable bytes of `buffer`).
    ///
    /// - Throws: ``ProtoDecodingError`` when the bytes are not a valid `GetMessageResponseB2C`.
    public init(decoding buffer: ByteBuffer) throws(ProtoDecodingError) {
        self.buffer = buffer
        let origin = buffer.readerIndex
        let decoded = buffer.withUnsafeReadableBytes { raw in
            Result(catching: { () throws(ProtoDecodingError) -> Fields in
                try Self.fields(raw, origin: origin, range: origin..<(origin + raw.count))
            })
        }
        let fields = try decoded.get()
        success = fields.success
        errCode = fields.errCode
        errMsg = fields.errMsg.map { buffer.getString(at: $0.lowerBound, length: $0.count) ?? "" }
        messages = fields.messages
        currOffset = fields.currOffset
        minLimitTime = fields.minLimitTime
        escFlowCtrl = fields.escFlowCtrl
        currDataDlt = fields.currDataDlt
        requireSlow = fields.requireSlow
        maxOffset = fields.maxOffset
    }

    private struct Fields {
        var success = false
        var errCode: Int32 = 0
        var errMsg: Range<Int>?
        var messages: [Item] = []
        var currOffset: Int64?
        var minLimitTime: Int32?
        var escFlowCtrl: Bool?
        var currDataDlt: Int64?
        var requireSlow: Bool?
        var maxOffset: Int64?
    }

    private static func fields(
        _ raw: UnsafeRawBufferPointer, origin: Int, range: Range<Int>
    ) throws(ProtoDecodingError) -> Fields {
        var fields = Fields()
        var seen = (success: false, errCode: false)
        var reader = ProtoFieldReader(raw, origin: origin, range: range)
        while let field = try reader.next() {
            switch (field.number, field.value) {
            case (1, .varint(let value)):
                fields.success = value != 0
                seen.success = true
            case (2, .varint(let value)):
                fields.errCode = Int32(truncatingIfNeeded: value)
                seen.errCode = true
            case (3, .bytes(let range)):
                fields.errMsg = range
            case (4, .bytes(let range)):
                if fields.messages.isEmpty { fields.messages.reserveCapacity(estimatedCount(bytes: raw.count)) }
                fields.messages.append(try item(raw, origin: origin, range: range))
            case (5, .varint(let value)): fields.currOffset = Int64(bitPattern: value)
            case (6, .varint(let value)): fields.minLimitTime = Int32(truncatingIfNeeded: value)
            case (7, .varint(let value)): fields.escFlowCtrl = value != 0
            case (8, .varint(let value)): fields.currDataDlt = Int64(bitPattern: value)
            case (9, .varint(let value)): fields.requireSlow = value != 0
            case (10, .varint(let value)): fields.maxOffset = Int64(bitPattern: value)
            default:
                continue  // an unknown field, or a known one with another wire type (SwiftProtobuf skips both)
            }
        }
        guard seen.success, seen.errCode else {
            throw ProtoDecodingError("GetMessageResponseB2C is missing success or errCode")
        }
        return fields
    }

    private static func estimatedCount(bytes: Int) -> Int { min(bytes / 64 + 1, 16_384) }

    private static func item(
        _ raw: UnsafeRawBufferPointer, origin: Int, range: Range<Int>
    ) throws(ProtoDecodingError) -> Item {
        if let item = canonicalItem(raw, origin: origin, range: range) { return item }
        var item = Item(messageID: 0, checksum: 0, flag: 0, payloadStart: range.lowerBound, payloadLength: 0)
        var seen: UInt8 = 0
        var reader = ProtoFieldReader(raw, origin: origin, range: range)
        while let field = try reader.next() {
            switch (field.number, field.value) {
            case (1, .varint(let value)):
                item.messageID = Int64(bitPattern: value)
                seen |= 1
            case (2, .varint(let value)):
                item.checksum = Int32(truncatingIfNeeded: value)
                seen |= 2
            case (3, .bytes(let payload)):
                item.payloadStart = payload.lowerBound
                item.payloadLength = payload.count
                seen |= 4
            case (4, .varint(let value)):
                item.flag = Int32(truncatingIfNeeded: value)
                seen |= 8
            default:
                continue  // an unknown field, or a known one with another wire type
            }
        }
        guard seen == 15 else { throw ProtoDecodingError("TransferedMessage is missing a required field") }
        return item
    }

    /// The message in the layout brokers write — fields 1 to 4, once each, in order — read without the
    /// general field loop; `nil` when the bytes are laid out any other way (the loop then decides).
    @inline(__always)
    private static func canonicalItem(_ raw: UnsafeRawBufferPointer, origin: Int, range: Range<Int>) -> Item? {
        var at = range.lowerBound - origin
        let end = range.upperBound - origin
        @inline(__always) func byte() -> UInt8? {
            guard at < end else { return nil }
            at += 1
            return raw[at - 1]
        }
        @inline(__always) func varint() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while let byte = byte() {
                if shift < 64 { value |= UInt64(byte & 0x7F) << shift }
                if byte < 0x80 { return value }
                shift += 7
                if shift >= 70 { return nil }
            }
            return nil
        }
        guard byte() == 0x08, let id = varint(), byte() == 0x10, let checksum = varint(), byte() == 0x1A,
            let length = varint(), length <= UInt64(end - at)
        else { return nil }
        let payloadStart = at
        at += Int(length)
        guard byte() == 0x20, let flag = varint(), at == end else { return nil }
        return Item(
            messageID: Int64(bitPattern: id), checksum: Int32(truncatingIfNeeded: checksum),
            flag: Int32(truncatingIfNeeded: flag), payloadStart: payloadStart + origin, payloadLength: Int(length))
    }
}
