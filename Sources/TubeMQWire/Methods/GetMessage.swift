public import NIOCore

// Method 17, get message (`GetMessageRequestC2B` → `GetMessageResponseB2C`): the hand-written codecs
// of the consume path. The broker writes the reply (`GetMessageReplyWriter`) straight from the stored
// payloads; the consumer reads it (`GetMessageReply`) without a protobuf message per record.

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
        /// The message's own offset (our extension, `indexOffset` 1001), when the broker sent it: our
        /// broker does for a get that asked (`messageOffsets`); the original broker never does.
        public var offset: Int64? = nil
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
        of item: Item,
        _ body: (UnsafeRawBufferPointer) throws -> R
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
        let decoded = buffer.withUnsafeReadableBytes { raw in
            Result(catching: { () throws(ProtoDecodingError) -> Fields in try Self.fields(raw) })
        }
        let fields = try decoded.get()
        // The reader's ranges are relative to the readable bytes; items and errMsg keep absolute indices.
        let origin = buffer.readerIndex
        success = fields.success
        errCode = fields.errCode
        errMsg = fields.errMsg.map { buffer.getString(at: origin + $0.lowerBound, length: $0.count) ?? "" }
        messages = fields.messages
        if origin != 0 {
            for index in messages.indices { messages[index].payloadStart += origin }
        }
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

    private static func fields(_ raw: UnsafeRawBufferPointer) throws(ProtoDecodingError) -> Fields {
        var fields = Fields()
        var seen = (success: false, errCode: false)
        var reader = ProtoReader(raw: raw)
        while let field = try reader.nextField() {
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
                fields.messages.append(try item(raw, range: range))
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

    private static func item(_ raw: UnsafeRawBufferPointer, range: Range<Int>) throws(ProtoDecodingError) -> Item {
        if let item = canonicalItem(raw, range: range) { return item }
        var item = Item(messageID: 0, checksum: 0, flag: 0, payloadStart: range.lowerBound, payloadLength: 0)
        var seen: UInt8 = 0
        var reader = ProtoReader(raw: raw, range: range)
        while let field = try reader.nextField() {
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
            case (1001, .varint(let value)):
                item.offset = Int64(bitPattern: value)
            default:
                continue  // an unknown field, or a known one with another wire type
            }
        }
        guard seen == 15 else { throw ProtoDecodingError("TransferedMessage is missing a required field") }
        return item
    }

    /// The message in the layout brokers write — fields 1 to 4, once each, in order, then our
    /// broker's `indexOffset` when asked for — read without the general field loop; `nil` when the
    /// bytes are laid out any other way (the loop then decides).
    @inline(__always)
    private static func canonicalItem(_ raw: UnsafeRawBufferPointer, range: Range<Int>) -> Item? {
        var reader = ProtoReader(raw: raw, range: range)
        guard reader.byte() == 0x08, let id = reader.varint(), reader.byte() == 0x10, let checksum = reader.varint(),
            reader.byte() == 0x1A, let payload = reader.delimited(), reader.byte() == 0x20,
            let flag = reader.varint()
        else { return nil }
        var offset: Int64?
        if !reader.isAtEnd {
            guard reader.byte() == 0xC8, reader.byte() == 0x3E, let value = reader.varint() else { return nil }
            offset = Int64(bitPattern: value)
        }
        guard reader.isAtEnd else { return nil }
        return Item(
            messageID: Int64(bitPattern: id),
            checksum: Int32(truncatingIfNeeded: checksum),
            flag: Int32(truncatingIfNeeded: flag),
            payloadStart: payload.lowerBound,
            payloadLength: payload.count,
            offset: offset
        )
    }
}

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
    /// payload of `payloadLength` bytes, at most, with or without an `indexOffset`; for capacity hints.
    public static func maximumEntrySize(payloadLength: Int, withOffset: Bool = false) -> Int {
        (withOffset ? 60 : 48) + payloadLength
    }

    /// Appends one `TransferedMessage` (field 4), with its `indexOffset` (our extension, field 1001)
    /// when `offset` is given.
    public mutating func append(
        messageID: Int64,
        checksum: Int32,
        flag: Int32,
        payload: UnsafeRawBufferPointer,
        offset: Int64? = nil
    ) {
        let id = UInt64(bitPattern: messageID)
        let check = UInt64(bitPattern: Int64(checksum))
        let flags = UInt64(bitPattern: Int64(flag))
        let length = UInt64(payload.count)
        let position = offset.map { UInt64(bitPattern: $0) }
        let inner =
            4 + Self.varintSize(id) + Self.varintSize(check) + Self.varintSize(length) + payload.count
            + Self.varintSize(flags) + (position.map { 2 + Self.varintSize($0) } ?? 0)
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
            if let position {
                writer.byte(0xC8)  // field 1001, varint: (1001 << 3) as a two-byte varint
                writer.byte(0x3E)
                writer.varint(position)
            }
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
