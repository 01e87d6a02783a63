import Foundation
import NIOCore
import SwiftProtobuf
import Testing
import TubeMQTestKit

@testable import TubeMQWire

/// The hand-written method 17 reply codec writes and reads exactly what SwiftProtobuf does.
@Suite struct GetMessageReplyTests {
    struct Sample: Sendable, CustomStringConvertible {
        var name: String
        var messages: [(id: Int64, checksum: Int32, flag: Int32, payload: [UInt8])]
        var errMsg: String?
        var currOffset: Int64?
        var minLimitTime: Int32?
        var escFlowCtrl: Bool?
        var currDataDlt: Int64?
        var requireSlow: Bool?
        var maxOffset: Int64?
        var success = true
        var errCode: Int32 = 200
        var description: String { name }

        var proto: GetMessageResponseB2C {
            var reply = GetMessageResponseB2C()
            reply.success = success
            reply.errCode = errCode
            if let errMsg { reply.errMsg = errMsg }
            reply.messages = messages.map { message in
                var item = TransferedMessage()
                item.messageID = message.id
                item.checkSum = message.checksum
                item.flag = message.flag
                item.payLoadData = Data(message.payload)
                return item
            }
            if let currOffset { reply.currOffset = currOffset }
            if let minLimitTime { reply.minLimitTime = minLimitTime }
            if let escFlowCtrl { reply.escFlowCtrl = escFlowCtrl }
            if let currDataDlt { reply.currDataDlt = currDataDlt }
            if let requireSlow { reply.requireSlow = requireSlow }
            if let maxOffset { reply.maxOffset = maxOffset }
            return reply
        }

        var written: EncodedMessage {
            var writer = GetMessageReplyWriter(success: success, errCode: errCode, errMsg: errMsg)
            for message in messages {
                message.payload.withUnsafeBytes {
                    writer.append(messageID: message.id, checksum: message.checksum, flag: message.flag, payload: $0)
                }
            }
            return writer.finish(
                currOffset: currOffset,
                minLimitTime: minLimitTime,
                escFlowCtrl: escFlowCtrl,
                currDataDlt: currDataDlt,
                requireSlow: requireSlow,
                maxOffset: maxOffset
            )
        }
    }

    static let samples: [Sample] = [
        Sample(
            name: "a typical batch",
            messages: (0..<5).map { (Int64($0) << 20, 0x1234_5678, 0, Array(repeating: UInt8($0), count: 100)) },
            errMsg: "OK",
            currOffset: 2800,
            minLimitTime: 0,
            escFlowCtrl: false,
            currDataDlt: 1_000_000,
            requireSlow: false,
            maxOffset: 1_002_800
        ),
        Sample(
            name: "negative and extreme values",
            messages: [
                (-1, -1, -7, []), (Int64.max, Int32.min, Int32.max, [0xFF]), (0, 0, 1, Array(repeating: 7, count: 128)),
                (300, 0x7FFF_FFFF, 1, Array(repeating: 9, count: 20_000)),
            ],
            errMsg: nil,
            currOffset: -1,
            minLimitTime: -1,
            escFlowCtrl: true,
            currDataDlt: -1,
            requireSlow: true,
            maxOffset: Int64.min
        ),
        Sample(name: "no messages, no optional fields", messages: [], success: false, errCode: 404),
        Sample(
            name: "a failure with text",
            messages: [],
            errMsg: "Get message failed: ünïcode",
            currOffset: -1,
            minLimitTime: 1000,
            escFlowCtrl: false,
            currDataDlt: -1,
            success: false,
            errCode: 503
        ),
    ]

    @Test(arguments: samples)
    func writerMatchesSwiftProtobuf(sample: Sample) throws {
        let expected: [UInt8] = try sample.proto.serializedBytes()
        #expect(Array(sample.written.bytes.readableBytesView) == expected, "hand-written bytes differ")
        // Serializing the wrapper writes the same bytes, and they decode to the same message.
        let serialized: [UInt8] = try sample.written.serializedBytes()
        #expect(serialized == expected, "the wrapper serializes other bytes")
        #expect(try GetMessageResponseB2C(serializedBytes: serialized) == sample.proto)
    }

    @Test(arguments: samples)
    func directEncodingMatchesTheGenericEnvelope(sample: Sample) throws {
        let bytes: [UInt8] = try sample.proto.serializedBytes()
        var generic = ByteBuffer()
        bytes.withUnsafeBytes { ResponseEnvelope.encodeSuccess(method: 17, data: $0, into: &generic) }
        var direct = ByteBuffer()
        ResponseEnvelope.encodeSuccess(method: 17, message: sample.written, into: &direct)
        #expect(direct == generic, "the directly written envelope differs")
    }

    @Test(arguments: samples)
    func readerMatchesSwiftProtobuf(sample: Sample) throws {
        let bytes: [UInt8] = try sample.proto.serializedBytes()
        // At a non-zero reader index, as a reply sliced out of a frame is.
        var buffer = ByteBuffer(bytes: [1, 2, 3] + bytes)
        buffer.moveReaderIndex(forwardBy: 3)
        let reply = try GetMessageReply(decoding: buffer)
        try expect(reply, equals: sample.proto)
    }

    /// Our extension: each message's offset (`indexOffset`, field 1001), written only when asked for.
    /// SwiftProtobuf reads what the writer writes, and the hand-written reader takes it on its fast path
    /// and on its general one.
    @Test func messageOffsetsTravelAsFieldTenOhOne() throws {
        var writer = GetMessageReplyWriter(success: true, errCode: 200, errMsg: "OK")
        let offsets: [Int64] = [0, 28, 1_234_567_890_124]
        for (index, offset) in offsets.enumerated() {
            [UInt8]("m\(index)".utf8).withUnsafeBytes { payload in
                writer.append(messageID: Int64(index), checksum: 7, flag: 0, payload: payload, offset: offset)
            }
        }
        let encoded = writer.finish(
            currOffset: 0,
            minLimitTime: 0,
            escFlowCtrl: false,
            currDataDlt: 0,
            requireSlow: false,
            maxOffset: 112
        )
        let bytes = Array(encoded.bytes.readableBytesView)
        let proto = try GetMessageResponseB2C(serializedBytes: bytes)
        #expect(proto.messages.map(\.indexOffset) == offsets)
        let reply = try GetMessageReply(decoding: ByteBuffer(bytes: bytes))
        #expect(reply.messages.map(\.offset) == offsets)
        #expect(reply.messages.map(\.messageID) == [0, 1, 2])

        // Fields in another order: the general loop reads it too.
        var item = TransferedMessage()
        item.indexOffset = 56
        item.messageID = 3
        item.checkSum = 1
        item.payLoadData = Data([1])
        item.flag = 0
        var reordered = GetMessageResponseB2C()
        reordered.success = true
        reordered.errCode = 200
        reordered.messages = [item]
        let reorderedBytes: [UInt8] = try reordered.serializedBytes()
        let general = try GetMessageReply(decoding: ByteBuffer(bytes: reorderedBytes))
        #expect(general.messages.first?.offset == 56)
        // Without the extension, no offset.
        let plainBytes: [UInt8] = try Self.samples[1].proto.serializedBytes()
        let plain = try GetMessageReply(decoding: ByteBuffer(bytes: plainBytes))
        #expect(plain.messages.allSatisfy { $0.offset == nil })
    }

    @Test func readerTakesFieldsInAnyOrderAndSkipsUnknownOnes() throws {
        var item = TransferedMessage()
        item.flag = 1
        item.payLoadData = Data([1, 2, 3])
        item.checkSum = 42
        item.messageID = 9
        // Unknown fields of every wire type, inside the message and around the reply's fields.
        let unknown: [UInt8] = [
            0x98, 0x06, 0x05, 0xA1, 0x06, 1, 2, 3, 4, 5, 6, 7, 8, 0xAA, 0x06, 0x02, 0xAB, 0xCD,
            0xB5, 0x06, 1, 2, 3, 4, 0xBB, 0x06, 0x08, 0x01, 0xBC, 0x06,
        ]
        var itemBytes: [UInt8] = unknown + (try item.serializedBytes())
        itemBytes.append(contentsOf: [0x20, 0x00])  // flag again: the last one wins
        item.flag = 0
        var bytes: [UInt8] =
            [0x50, 0x07] + unknown + [0x22, UInt8(itemBytes.count)] + itemBytes + [0x10, 0xC8, 0x01, 0x08, 0x01]
        bytes += [0x10, 0x94, 0x03]  // errCode again: 404 wins
        let proto = try GetMessageResponseB2C(serializedBytes: bytes)
        #expect(proto.errCode == 404 && proto.messages.first?.flag == 0)
        try expect(try GetMessageReply(decoding: ByteBuffer(bytes: bytes)), equals: proto)
    }

    @Test func readerRejectsWhatSwiftProtobufRejects() throws {
        let bytes: [UInt8] = try Self.samples[1].proto.serializedBytes()
        // Every truncation: both accept it (a cut between fields with the required ones present) or both refuse.
        for length in 0..<bytes.count {
            let prefix = Array(bytes[..<length])
            let theirs = (try? GetMessageResponseB2C(serializedBytes: prefix)) != nil
            let ours = (try? GetMessageReply(decoding: ByteBuffer(bytes: prefix))) != nil
            #expect(theirs == ours, "prefix of \(length) bytes")
        }
        // Required fields missing: success; a TransferedMessage without its flag.
        #expect(throws: ProtoDecodingError.self) { try GetMessageReply(decoding: ByteBuffer(bytes: [0x10, 0x01])) }
        let noFlag: [UInt8] = [0x08, 0x01, 0x10, 0x01, 0x22, 0x06, 0x08, 0x01, 0x10, 0x01, 0x1A, 0x00]
        #expect((try? GetMessageResponseB2C(serializedBytes: noFlag)) == nil)
        #expect(throws: ProtoDecodingError.self) { try GetMessageReply(decoding: ByteBuffer(bytes: noFlag)) }
        // A known field with another wire type is skipped as unknown; a required one is then missing.
        let wrongType: [UInt8] = [0x08, 0x01, 0x10, 0x01, 0x28 | 0x02, 0x00]
        #expect(try GetMessageResponseB2C(serializedBytes: wrongType).hasCurrOffset == false)
        #expect(try GetMessageReply(decoding: ByteBuffer(bytes: wrongType)).currOffset == nil)
        let successAsBytes: [UInt8] = [0x0A, 0x00, 0x10, 0x01]
        #expect((try? GetMessageResponseB2C(serializedBytes: successAsBytes)) == nil)
        #expect(throws: ProtoDecodingError.self) { try GetMessageReply(decoding: ByteBuffer(bytes: successAsBytes)) }
    }

    @Test func readerDecodesTheRecordedBrokerReplies() throws {
        var replies = 0
        for file in Vectors.files {
            for vector in Vectors.load(file) where !vector.isRequest && !vector.hasDecodeError {
                var buffer = vector.buffer
                var decoder = FrameDecoder()
                guard let frame = try decoder.next(from: &buffer),
                    case .success(17, let data) = try ResponseEnvelope(decoding: frame.payload)
                else { continue }
                let proto = try GetMessageResponseB2C(serializedBytes: Array(data.readableBytesView))
                try expect(try GetMessageReply(decoding: data), equals: proto)
                replies += 1
            }
        }
        #expect(replies > 0, "the recordings hold method 17 replies")
    }

    private func expect(_ reply: GetMessageReply, equals proto: GetMessageResponseB2C) throws {
        #expect(reply.success == proto.success)
        #expect(reply.errCode == proto.errCode)
        #expect(reply.errMsg == (proto.hasErrMsg ? proto.errMsg : nil))
        #expect(reply.currOffset == (proto.hasCurrOffset ? proto.currOffset : nil))
        #expect(reply.minLimitTime == (proto.hasMinLimitTime ? proto.minLimitTime : nil))
        #expect(reply.escFlowCtrl == (proto.hasEscFlowCtrl ? proto.escFlowCtrl : nil))
        #expect(reply.currDataDlt == (proto.hasCurrDataDlt ? proto.currDataDlt : nil))
        #expect(reply.requireSlow == (proto.hasRequireSlow ? proto.requireSlow : nil))
        #expect(reply.maxOffset == (proto.hasMaxOffset ? proto.maxOffset : nil))
        try #require(reply.messages.count == proto.messages.count)
        for (item, message) in zip(reply.messages, proto.messages) {
            #expect(item.messageID == message.messageID)
            #expect(item.checksum == message.checkSum)
            #expect(item.flag == message.flag)
            #expect(reply.withPayload(of: item) { Data($0) } == message.payLoadData)
        }
    }
}
