import NIOCore
import Testing
import TubeMQTestKit

@testable import TubeMQWire

/// The one-pass envelope decoder agrees with the careful one wherever it answers, and answers for
/// the envelopes the official clients send.
@Suite struct RequestEnvelopeWellFormedTests {
    @Test(arguments: Vectors.files)
    func recordedRequestsDecodeInOnePass(file: String) throws {
        for vector in Vectors.load(file) where vector.isRequest {
            var buffer = vector.buffer
            var decoder = FrameDecoder()
            let frame = try #require(try decoder.next(from: &buffer))
            let careful = try? RequestEnvelope(decoding: frame.payload)
            let fast = RequestEnvelope.wellFormed(frame.payload)
            if let fast {
                #expect(fast == careful, "\(vector)")
            } else if !vector.hasDecodeError {
                Issue.record("a recorded client envelope was not taken in one pass: \(vector)")
            }
        }
    }

    @Test func mutatedEnvelopesNeverDisagree() throws {
        let frames = try Vectors.load("java-producer.jsonl").filter(\.isRequest).map { vector -> ByteBuffer in
            var buffer = vector.buffer
            var decoder = FrameDecoder()
            return try #require(try decoder.next(from: &buffer)).payload
        }
        var generator = SystemRandomNumberGenerator()
        var answered = 0
        for payload in frames.prefix(50) {
            let bytes = Array(payload.readableBytesView)
            for _ in 0..<200 {
                var mutated = bytes
                let position = Int.random(in: 0..<min(mutated.count, 40), using: &generator)
                mutated[position] = UInt8.random(in: 0...255, using: &generator)
                if Bool.random(using: &generator) {
                    mutated.removeLast(Int.random(in: 0..<mutated.count, using: &generator))
                }
                let buffer = ByteBuffer(bytes: mutated)
                guard let fast = RequestEnvelope.wellFormed(buffer) else { continue }
                answered += 1
                #expect(fast == (try? RequestEnvelope(decoding: buffer)), "\(mutated)")
            }
        }
        #expect(answered > 0)
    }

    @Test func aRequestLengthRunningPastTheBodyIsRefusedWithoutATrap() {
        // RpcConnHeader{flag=0}, RequestHeader{}, RequestBody{method=13, request: a length byte that is
        // the body's last}, then bytes beyond the body.
        let bytes: [UInt8] = [0x02, 0x08, 0x00, 0x00, 0x03, 0x08, 0x0D, 0x1A, 0x05, 0x01, 0x02]
        let buffer = ByteBuffer(bytes: bytes)
        #expect(RequestEnvelope.wellFormed(buffer) == nil)
        #expect((try? RequestEnvelope(decoding: buffer)) == nil)
        // A length varint whose continuation bytes run past the body.
        let longLength: [UInt8] = [0x02, 0x08, 0x00, 0x00, 0x03, 0x08, 0x0D, 0x1A, 0x85, 0x01, 0x02]
        #expect(RequestEnvelope.wellFormed(ByteBuffer(bytes: longLength)) == nil)
    }

    @Test func everyTruncationAndSingleByteChangeOfARecordedEnvelopeIsSafe() throws {
        let requests = Vectors.load("java-producer.jsonl").filter(\.isRequest)
        let vector = try #require(requests.first)
        var buffer = vector.buffer
        var decoder = FrameDecoder()
        let frame = try #require(try decoder.next(from: &buffer))
        let bytes = Array(frame.payload.readableBytesView)
        for length in 0...min(bytes.count, 64) {
            let prefix = Array(bytes[0..<length])
            for position in 0..<length {
                for value: UInt8 in [0x00, 0x01, 0x7F, 0x80, 0xFF] {
                    var mutated = prefix
                    mutated[position] = value
                    let candidate = ByteBuffer(bytes: mutated)
                    if let fast = RequestEnvelope.wellFormed(candidate) {
                        #expect(fast == (try? RequestEnvelope(decoding: candidate)))
                    }
                }
            }
        }
    }

    @Test func unknownFieldsAreLeftToTheCarefulDecoder() {
        // RpcConnHeader{flag=0, field 5=1}, RequestHeader{}, RequestBody{method=13}
        let bytes: [UInt8] = [4, 0x08, 0, 0x28, 1, 0, 2, 0x08, 13]
        let buffer = ByteBuffer(bytes: bytes)
        #expect(RequestEnvelope.wellFormed(buffer) == nil)
        #expect((try? RequestEnvelope(decoding: buffer))?.method == 13)
    }
}
