import NIOCore
import Testing

@testable import TubeMQZooKeeper

/// The length-prefixed framing: drip-fed byte by byte, split at every boundary, several frames per
/// buffer, and lengths out of range.
@Suite struct FrameDecoderTests {
    /// Recorded server frames from the spec's §9: a reply, a notification, a ping reply, an error.
    static let stream = hex(
        """
        0000001d 00000001 0000000000000039 00000000 00000009 2f656c656374696f6e
        00000037 ffffffff ffffffffffffffff 00000000 00000002 00000003
                 0000001b 2f656c656374696f6e2f6d2d366631635f30303030303030303030
        00000010 fffffffe 000000000000003a 00000000
        00000010 00000006 000000000000003b ffffff9b
        00000000
        """
    )

    static let expectedLengths = [29, 55, 16, 16, 0]

    func decodeAll(chunks: [[UInt8]], decoder: FrameDecoder = FrameDecoder()) throws -> [[UInt8]] {
        var pending = ByteBuffer()
        var frames: [[UInt8]] = []
        for chunk in chunks {
            pending.writeBytes(chunk)
            while let frame = try decoder.next(from: &pending) { frames.append(frame.bytes) }
        }
        #expect(pending.readableBytes == 0)
        return frames
    }

    @Test func allAtOnce() throws {
        let frames = try decodeAll(chunks: [Self.stream])
        #expect(frames.map(\.count) == Self.expectedLengths)
        var notification = ByteBuffer(bytes: frames[1])
        #expect(try ReplyHeader(from: &notification).xid == -1)
        #expect(try WatcherEvent(from: &notification).path == "/election/m-6f1c_0000000000")
    }

    @Test func dripFed() throws {
        let frames = try decodeAll(chunks: Self.stream.map { [$0] })
        #expect(frames == (try decodeAll(chunks: [Self.stream])))
    }

    @Test func splitAtEveryBoundary() throws {
        let whole = try decodeAll(chunks: [Self.stream])
        for cut in 0...Self.stream.count {
            let frames = try decodeAll(chunks: [Array(Self.stream[..<cut]), Array(Self.stream[cut...])])
            #expect(frames == whole, "split at \(cut)")
        }
    }

    @Test(arguments: ["00100000", "ffffffff", "80000000", "7fffffff"])
    func rejectsLengthsOutOfRange(length: String) {
        var buffer = ByteBuffer(bytes: hex(length + "00000000"))
        #expect {
            try FrameDecoder().next(from: &buffer)
        } throws: { error in
            (error as? ZooKeeperError)?.code == .frameTooLarge
        }
    }

    @Test func acceptsTheLimitAndAConfiguredOne() throws {
        var atLimit = ByteBuffer(bytes: hex("000fffff"))
        #expect(try FrameDecoder().next(from: &atLimit) == nil)  // legal length, waiting for the payload
        var small = ByteBuffer(bytes: hex("00000011") + [UInt8](repeating: 0, count: 17))
        #expect(throws: ZooKeeperError.self) { try FrameDecoder(maximumLength: 16).next(from: &small) }
    }
}
