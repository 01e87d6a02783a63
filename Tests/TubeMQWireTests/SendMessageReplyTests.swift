import NIOCore
import SwiftProtobuf
import Testing
import TubeMQTestKit
import TubeMQWire

/// The one-pass decoder of `SendMessageResponseB2P` agrees with SwiftProtobuf wherever it answers.
@Suite struct SendMessageReplyTests {
    static func serialized(_ build: (inout SendMessageResponseB2P) -> Void) throws -> [UInt8] {
        var message = SendMessageResponseB2P()
        build(&message)
        return try message.serializedBytes(partial: true)
    }

    @Test func ordinaryRepliesDecodeInOnePass() throws {
        let replies: [[UInt8]] = try [
            Self.serialized {
                $0.success = true
                $0.errCode = 200
                $0.errMsg = "Ok"
                $0.messageID = 123_456_789_012
                $0.appendTime = 1_700_000_000_000
                $0.appendOffset = 4096
            },
            Self.serialized {
                $0.success = true
                $0.errCode = 200
                $0.errMsg = "-42"
            },
            Self.serialized {
                $0.success = false
                $0.errCode = 503
                $0.errMsg = "Put message failed from ß broker"
                $0.requireAuth = true
                $0.messageID = -1
            },
        ]
        for bytes in replies {
            let fast = try #require(SendMessageReply.wellFormed(ByteBuffer(bytes: bytes)))
            #expect(fast == SendMessageReply(try SendMessageResponseB2P(serializedBytes: bytes)))
        }
    }

    @Test func unusualRepliesAreLeftToSwiftProtobuf() throws {
        let missingMessage = try Self.serialized {
            $0.success = true
            $0.errCode = 200
        }
        let unknownField: [UInt8] =
            try Self.serialized {
                $0.success = true
                $0.errCode = 200
                $0.errMsg = "Ok"
            } + [0x40, 1]
        let badUTF8: [UInt8] = [0x08, 1, 0x10, 0, 0x1A, 2, 0xC3, 0x28]
        for bytes in [missingMessage, unknownField, badUTF8, [0x08], [0x0A, 5]] {
            #expect(SendMessageReply.wellFormed(ByteBuffer(bytes: bytes)) == nil, "\(bytes)")
        }
    }

    @Test func mutatedRepliesNeverDisagree() throws {
        let bytes = try Self.serialized {
            $0.success = true
            $0.errCode = 200
            $0.errMsg = "Ok"
            $0.messageID = 99
            $0.appendTime = 1_700_000_000_000
            $0.appendOffset = 1 << 40
        }
        var generator = SystemRandomNumberGenerator()
        var answered = 0
        for _ in 0..<5_000 {
            var mutated = bytes
            mutated[Int.random(in: 0..<mutated.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            if Bool.random(using: &generator) {
                mutated.removeLast(Int.random(in: 0..<mutated.count, using: &generator))
            }
            guard let fast = SendMessageReply.wellFormed(ByteBuffer(bytes: mutated)) else { continue }
            answered += 1
            let careful = try? SendMessageResponseB2P(serializedBytes: mutated)
            #expect(careful.map(SendMessageReply.init) == fast, "\(mutated)")
        }
        #expect(answered > 0)
    }

    /// Every send reply recorded from the Java broker decodes in one pass, as SwiftProtobuf decodes it.
    @Test(arguments: Vectors.files)
    func recordedRepliesDecodeInOnePass(file: String) throws {
        for vector in Vectors.load(file) where !vector.isRequest && vector.messageName == "SendMessageResponseB2P" {
            var buffer = vector.buffer
            var decoder = FrameDecoder()
            let frame = try #require(try decoder.next(from: &buffer))
            guard case .success(_, let data) = try ResponseEnvelope(decoding: frame.payload) else { continue }
            let fast = SendMessageReply.wellFormed(data)
            #expect(fast != nil, "\(vector)")
            #expect(
                fast == SendMessageReply(try SendMessageResponseB2P(serializedBytes: Array(data.readableBytesView)))
            )
        }
    }
}
