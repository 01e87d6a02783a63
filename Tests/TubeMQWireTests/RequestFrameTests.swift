import NIOCore
import Testing
import TubeMQTestKit
import TubeMQWire

/// `RequestEnvelope.writeFrame` writes the bytes of `FrameEncoder` over `RequestEnvelope.encoded`.
@Suite struct RequestFrameTests {
    static func viaEncoder(_ envelope: RequestEnvelope, serial: UInt32) throws -> [UInt8] {
        var out = ByteBuffer()
        try FrameEncoder.encode(
            Frame(serialNumber: serial, payload: envelope.encoded),
            into: &out,
            maxPayload: Frame.maxListSize * Frame.maxChunkLength
        )
        return Array(out.readableBytesView)
    }

    static func written(_ envelope: RequestEnvelope, serial: UInt32) throws -> [UInt8] {
        var out = ByteBuffer(bytes: [0xAA])  // what is already queued stays in front
        try envelope.writeFrame(serialNumber: serial, into: &out)
        #expect(out.readInteger(as: UInt8.self) == 0xAA)
        return Array(out.readableBytesView)
    }

    @Test(arguments: [0, 1, 100, 8_100, 8_180, 8_192, 20_000, 70_000])
    func framesMatchTheEncoder(bodySize: Int) throws {
        let body = ByteBuffer(bytes: (0..<bodySize).map { UInt8(truncatingIfNeeded: $0) })
        let envelopes = [
            RequestEnvelope(serviceType: 3, method: 13, timeout: 10_000, request: body),
            RequestEnvelope(flag: -1, serviceType: nil, protocolVersion: nil, method: 500, timeout: nil, request: body),
            RequestEnvelope(flag: 10, serviceType: -7, protocolVersion: 2, method: -1, timeout: -1, request: nil),
        ]
        for envelope in envelopes {
            #expect(envelope.encodedLength == envelope.encoded.readableBytes)
            #expect(try Self.written(envelope, serial: 0xFFFF_FFFF) == Self.viaEncoder(envelope, serial: 0xFFFF_FFFF))
        }
    }

    @Test func tooLargeWritesNothing() {
        let envelope = RequestEnvelope(serviceType: 3, method: 13, request: ByteBuffer(repeating: 1, count: 100))
        var out = ByteBuffer()
        #expect(throws: FrameError.self) { try envelope.writeFrame(serialNumber: 1, into: &out, maxPayload: 50) }
        #expect(out.readableBytes == 0)
    }

    /// Every recorded request the clients framed in one piece is framed again to the same bytes.
    @Test(arguments: Vectors.files)
    func recordedRequestsAreFramedAgain(file: String) throws {
        for vector in Vectors.load(file) where vector.isRequest && !vector.hasDecodeError && vector.trailingHex == nil {
            var buffer = vector.buffer
            var decoder = FrameDecoder()
            let frame = try #require(try decoder.next(from: &buffer))
            let envelope = try RequestEnvelope(decoding: frame.payload)
            guard Array(envelope.encoded.readableBytesView) == Array(frame.payload.readableBytesView) else { continue }
            let expected = try Self.viaEncoder(envelope, serial: vector.serial)
            #expect(try Self.written(envelope, serial: vector.serial) == expected, "\(vector)")
            if vector.chunks.allSatisfy({ $0 == Frame.maxChunkLength }) || vector.chunks.count == 1 {
                #expect(expected == vector.frameBytes, "\(vector)")
            }
        }
    }
}
