import NIOCore
import Testing
import TubeMQTestKit
import TubeMQWire

/// The one-pass SUCCESS decoder agrees with the careful one wherever it answers, and answers for the
/// replies the Java servers sent.
@Suite struct ResponseEnvelopeWellFormedTests {
    static func payloads() throws -> [ByteBuffer] {
        try Vectors.all.filter { !$0.isRequest && !$0.hasDecodeError }.map { vector in
            var buffer = vector.buffer
            var decoder = FrameDecoder()
            return try #require(try decoder.next(from: &buffer)).payload
        }
    }

    @Test func recordedRepliesDecodeInOnePass() throws {
        var successes = 0
        for payload in try Self.payloads() {
            let careful = try ResponseEnvelope(decoding: payload)
            let fast = ResponseEnvelope.wellFormedSuccess(payload)
            if case .success = careful {
                successes += 1
                #expect(fast == careful)
            } else {
                #expect(fast == nil)
            }
        }
        #expect(successes > 0)
    }

    @Test func mutatedRepliesNeverDisagree() throws {
        var generator = SystemRandomNumberGenerator()
        var answered = 0
        for payload in try Self.payloads().prefix(60) {
            let bytes = Array(payload.readableBytesView)
            for _ in 0..<200 {
                var mutated = bytes
                mutated[Int.random(in: 0..<min(mutated.count, 24), using: &generator)] = UInt8.random(
                    in: 0...255,
                    using: &generator
                )
                if Bool.random(using: &generator) {
                    mutated.removeLast(Int.random(in: 0..<mutated.count, using: &generator))
                }
                let buffer = ByteBuffer(bytes: mutated)
                guard let fast = ResponseEnvelope.wellFormedSuccess(buffer) else { continue }
                answered += 1
                #expect(fast == (try? ResponseEnvelope(decoding: buffer)), "\(mutated)")
            }
        }
        #expect(answered > 0)
    }
}
