import NIOCore
import Testing
import TubeMQTestKit

@testable import TubeMQWire

/// Every recorded frame decodes, has the recorded chunk layout, and re-encodes to the same bytes.
@Suite struct VectorFrameTests {
    @Test func vectorsArePresent() {
        #expect(Vectors.files.count >= 20, "vectors not found at \(Vectors.directory.path)")
        #expect(Vectors.all.count > 2000)
    }

    @Test(arguments: Vectors.files)
    func framesDecodeAndReencode(file: String) throws {
        for vector in Vectors.load(file) {
            var buffer = vector.buffer
            var decoder = FrameDecoder()
            let frame = try #require(try decoder.next(from: &buffer), "\(vector)")
            #expect(buffer.readableBytes == 0, "\(vector)")
            #expect(frame.serialNumber == vector.serial, "\(vector)")
            #expect(frame.payload.readableBytes == vector.chunks.reduce(0, +), "\(vector)")
            #expect(Self.chunkLayout(of: vector.frameBytes) == vector.chunks, "\(vector)")
            // Every peer chunks at 8192, so our encoder reproduces the frame exactly.
            var out = ByteBuffer()
            try FrameEncoder.encode(frame, into: &out, maxPayload: .max)
            #expect(Array(out.readableBytesView) == vector.frameBytes, "\(vector)")
        }
    }

    @Test(arguments: [1, 3, 7, 100, 8191, 65536])
    func dripFedStreamsGiveTheSameFrames(pieceSize: Int) throws {
        let vectors = Vectors.load("cpp-producer.jsonl") + Vectors.load("go-consumer.jsonl")
        let stream = vectors.flatMap(\.frameBytes)
        var decoder = FrameDecoder()
        var pending = ByteBuffer()
        var frames: [Frame] = []
        var offset = 0
        while offset < stream.count {
            let end = min(offset + pieceSize, stream.count)
            pending.writeBytes(stream[offset..<end])
            offset = end
            while let frame = try decoder.next(from: &pending) { frames.append(frame) }
        }
        #expect(frames.count == vectors.count)
        for (frame, vector) in zip(frames, vectors) {
            #expect(frame.serialNumber == vector.serial)
            #expect(frame.payload.readableBytes == vector.chunks.reduce(0, +))
        }
    }

    static func chunkLayout(of bytes: [UInt8]) -> [Int] {
        func u32(_ at: Int) -> Int {
            Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
        }
        var chunks: [Int] = []
        var at = 12
        for _ in 0..<u32(8) {
            chunks.append(u32(at))
            at += 4 + u32(at)
        }
        return chunks
    }
}
