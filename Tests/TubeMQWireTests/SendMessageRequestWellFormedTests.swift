import Foundation
import NIOCore
import SwiftProtobuf
import Testing
import TubeMQTestKit

@testable import TubeMQWire

/// The one-pass send-request decoder agrees with SwiftProtobuf wherever it answers, and answers for
/// the requests the official clients send.
@Suite struct SendMessageRequestWellFormedTests {
    static func recordedSendBodies() throws -> [ByteBuffer] {
        var bodies: [ByteBuffer] = []
        for file in Vectors.files {
            for vector in Vectors.load(file) where vector.isRequest && vector.method == 13 && !vector.hasDecodeError {
                var buffer = vector.buffer
                var decoder = FrameDecoder()
                let frame = try #require(try decoder.next(from: &buffer))
                if let body = try? RequestEnvelope(decoding: frame.payload).request { bodies.append(body) }
            }
        }
        return bodies
    }

    @Test func recordedSendsDecodeInOnePass() throws {
        let bodies = try Self.recordedSendBodies()
        #expect(bodies.count >= 3)
        for body in bodies {
            guard let careful = try? SendMessageRequestP2B(serializedBytes: Array(body.readableBytesView)) else {
                continue
            }
            let fast = try #require(SendMessageRequestP2B.wellFormed(body))
            #expect(fast == careful)
        }
    }

    @Test func everyFieldCombinationRoundTrips() throws {
        for mask in 0..<8 {
            var request = SendMessageRequestP2B()
            request.clientID = "10.0.0.1-1234-1700000000000-1-Producer-x"
            request.topicName = "topic-é"
            request.partitionID = 20001
            request.data = Data((0..<300).map { UInt8($0 & 0xFF) })
            request.flag = 1
            request.checkSum = -1
            request.sentAddr = -1062731519
            if mask & 1 != 0 { request.msgType = "order" }
            if mask & 2 != 0 { request.msgTime = "202611250101" }
            if mask & 4 != 0 {
                var info = AuthorizedInfo()
                info.visitAuthorizedToken = -42
                info.authAuthorizedToken = "token"
                request.authInfo = info
            }
            let bytes: [UInt8] = try request.serializedBytes()
            #expect(SendMessageRequestP2B.wellFormed(ByteBuffer(bytes: bytes)) == request)
        }
    }

    @Test func unusualRequestsAreLeftToSwiftProtobuf() throws {
        var request = SendMessageRequestP2B()
        request.clientID = "c"
        request.topicName = "t"
        request.partitionID = 0
        request.data = Data([1])
        request.flag = 0
        request.checkSum = -1
        // sentAddr (required) missing.
        let partial: [UInt8] = try request.serializedBytes(partial: true)
        #expect(SendMessageRequestP2B.wellFormed(ByteBuffer(bytes: partial)) == nil)
        // An unknown field.
        request.sentAddr = 0
        var withUnknown: [UInt8] = try request.serializedBytes()
        withUnknown += [0x78, 0x01]  // field 15, varint 1
        #expect(SendMessageRequestP2B.wellFormed(ByteBuffer(bytes: withUnknown)) == nil)
        // Invalid UTF-8 in a string.
        let valid: [UInt8] = try request.serializedBytes()
        let badString: [UInt8] = [0x0A, 0x01, 0xFF] + valid.dropFirst(3)
        #expect(SendMessageRequestP2B.wellFormed(ByteBuffer(bytes: badString)) == nil)
    }

    @Test func mutatedRequestsNeverDisagree() throws {
        var generator = SystemRandomNumberGenerator()
        var answered = 0
        for body in try Self.recordedSendBodies().prefix(20) {
            let bytes = Array(body.readableBytesView)
            for _ in 0..<300 {
                var mutated = bytes
                let position = Int.random(in: 0..<mutated.count, using: &generator)
                mutated[position] = UInt8.random(in: 0...255, using: &generator)
                if Bool.random(using: &generator) {
                    mutated.removeLast(Int.random(in: 0..<mutated.count, using: &generator))
                }
                guard let fast = SendMessageRequestP2B.wellFormed(ByteBuffer(bytes: mutated)) else { continue }
                answered += 1
                #expect(fast == (try? SendMessageRequestP2B(serializedBytes: mutated)), "\(mutated)")
            }
        }
        #expect(answered > 0)
    }
}

/// The send reply written by hand is SwiftProtobuf's encoding, byte for byte.
@Suite struct SendMessageResponseDirectEncodingTests {
    @Test(arguments: 0..<32)
    func directEncodingMatchesSwiftProtobuf(mask: Int) throws {
        var reply = SendMessageResponseB2P()
        reply.success = mask & 1 != 0
        reply.errCode = mask & 2 != 0 ? 200 : -1
        reply.errMsg = mask & 4 != 0 ? "1234567890123456789" : "Put message failed from tópico"
        if mask & 8 != 0 { reply.requireAuth = false }
        if mask & 16 != 0 {
            reply.messageID = Int64.max - Int64(mask)
            reply.appendTime = 1_764_000_000_000
            reply.appendOffset = -1
        }
        let expected: [UInt8] = try reply.serializedBytes()
        var buffer = ByteBuffer()
        reply.encodeDirectly(into: &buffer)
        #expect(Array(buffer.readableBytesView) == expected)
        #expect(reply.directlyEncodedSize == expected.count)
        var envelope = ByteBuffer()
        ResponseEnvelope.encodeSuccess(method: 13, message: reply, into: &envelope)
        #expect(envelope == ResponseEnvelope.success(method: 13, data: ByteBuffer(bytes: expected)).encoded())
    }
}
