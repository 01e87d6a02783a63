import NIOCore
import Testing

@testable import TubeMQWire

/// ``FrameDecoder`` takes what the Java decoder takes, chunk lengths of 0 included (it has no
/// per-chunk limit): an empty chunk used to close the connection.
@Suite struct FrameDecoderTests {
    /// A frame of serial 7 whose chunks are `chunks`, as raw bytes.
    static func frame(_ chunks: [[UInt8]], serial: UInt32 = 7) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(Frame.beginToken)
        buffer.writeInteger(serial)
        buffer.writeInteger(Int32(chunks.count))
        for chunk in chunks {
            buffer.writeInteger(Int32(chunk.count))
            buffer.writeBytes(chunk)
        }
        return buffer
    }

    @Test(
        arguments: [
            [[], [1, 2], [3]],
            [[1, 2], [], [3]],
            [[1, 2], [3], []],
            [[1, 2, 3]],
            [[], [], [1, 2, 3], []],
        ] as [[[UInt8]]]
    )
    func emptyChunksAddNothing(chunks: [[UInt8]]) throws {
        var buffer = Self.frame(chunks)
        buffer.writeImmutableBuffer(Self.frame([[9]], serial: 8))  // the next frame is read after it
        var decoder = FrameDecoder()
        let first = try #require(try decoder.next(from: &buffer))
        #expect(first.serialNumber == 7)
        #expect(Array(first.payload.readableBytesView) == [1, 2, 3])
        let second = try #require(try decoder.next(from: &buffer))
        #expect(second.serialNumber == 8 && Array(second.payload.readableBytesView) == [9])
    }

    @Test func aFrameOfOnlyEmptyChunksIsAnEmptyPayload() throws {
        var buffer = Self.frame([[], []])
        var decoder = FrameDecoder()
        let frame = try #require(try decoder.next(from: &buffer))
        #expect(frame.payload.readableBytes == 0)
        #expect(buffer.readableBytes == 0)
    }

    /// Fed a byte at a time, the decoder waits for more and gives the same frame.
    @Test func aFrameArrivingAByteAtATime() throws {
        let whole = Self.frame([[1], [], [2, 3]])
        var decoder = FrameDecoder()
        var pending = ByteBuffer()
        var frames: [Frame] = []
        for byte in whole.readableBytesView {
            pending.writeInteger(byte)
            if let frame = try decoder.next(from: &pending) { frames.append(frame) }
        }
        #expect(frames.count == 1)
        #expect(frames.first.map { Array($0.payload.readableBytesView) } == [1, 2, 3])
    }

    @Test func aNegativeChunkLengthIsRefused() {
        var buffer = ByteBuffer()
        buffer.writeInteger(Frame.beginToken)
        buffer.writeInteger(UInt32(7))
        buffer.writeInteger(Int32(1))
        buffer.writeInteger(Int32(-1))
        var decoder = FrameDecoder()
        #expect(throws: FrameError.self) { try decoder.next(from: &buffer) }
    }

    /// A TLS record where a frame should begin (plain TCP to a TLS port: its alert comes back) is
    /// named as such.
    @Test func aTLSRecordIsNamed() {
        for first: [UInt8] in [[0x15, 0x03, 0x01, 0x00], [0x16, 0x03, 0x01, 0x02]] {
            let error = Self.refusal(first + [0, 0, 0, 0, 0, 0, 0, 0])
            #expect(
                error?.code == .badToken && error?.message.contains("these bytes are TLS") == true,
                "\(String(describing: error))"
            )
        }
        let other = Self.refusal([0xDE, 0xAD, 0xBE, 0xEF, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(other?.code == .badToken && other?.message.contains("TLS") == false)
    }

    /// The decoder's refusal of `bytes`, `nil` when it takes them.
    static func refusal(_ bytes: [UInt8]) -> FrameError? {
        var buffer = ByteBuffer(bytes: bytes)
        var decoder = FrameDecoder()
        do throws(FrameError) {
            _ = try decoder.next(from: &buffer)
            return nil
        } catch {
            return error
        }
    }
}
