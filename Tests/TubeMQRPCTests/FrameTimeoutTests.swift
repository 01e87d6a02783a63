import Logging
import NIOCore
import Testing
import TubeMQRPC
import TubeMQWire

/// A frame begun must arrive whole within ``RPCServerConfiguration/frameTimeout``: a peer trickling
/// a byte now and then never let the idle timeout pass, and held its connection for ever.
@Suite struct FrameTimeoutTests {
    private func withServer(frameTimeout: TimeAmount, _ body: (RPCServer) async throws -> Void) async throws {
        var configuration = RPCServerConfiguration(port: 0, idleTimeout: .seconds(300))
        configuration.frameTimeout = frameTimeout
        let server = try await RPCServer.start(
            configuration: configuration,
            service: EchoService(),
            logger: RPCRoundTripTests.logger
        )
        do {
            try await body(server)
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }

    /// Writes `bytes` in pieces of `piece` bytes, `pause` apart, and reads until `count` frames came
    /// or the server closed; returns the frames and whether it closed, and how long it took.
    private func trickle(
        _ bytes: [UInt8],
        piece: Int,
        pause: Duration,
        port: Int,
        expecting count: Int
    ) async throws -> (frames: Int, closed: Bool, elapsed: Duration) {
        let connection = try await RawConnection.connect(port: port)
        let started = ContinuousClock.now
        return try await connection.channel.executeThenClose { inbound, outbound in
            let writer = Task {
                var start = 0
                while start < bytes.count, !Task.isCancelled {
                    let end = min(start + piece, bytes.count)
                    try await outbound.write(ByteBuffer(bytes: bytes[start..<end]))
                    start = end
                    try await Task.sleep(for: pause)
                }
            }
            defer { writer.cancel() }
            var decoder = FrameDecoder()
            var pending = ByteBuffer()
            var frames = 0
            for try await chunk in inbound {
                pending.writeImmutableBuffer(chunk)
                while try decoder.next(from: &pending) != nil { frames += 1 }
                if frames >= count { return (frames, false, ContinuousClock.now - started) }
            }
            return (frames, true, ContinuousClock.now - started)
        }
    }

    @Test func aTricklingFrameIsClosedAfterTheTimeout() async throws {
        try await withServer(frameTimeout: .seconds(1)) { server in
            let bytes = try RawFrames.register(serial: 1, clientID: "slow")
            #expect(bytes.count > 50, "at 150 ms a byte, the frame would take over 7 s")
            let outcome = try await trickle(
                bytes,
                piece: 1,
                pause: .milliseconds(150),
                port: server.localPort,
                expecting: 1
            )
            #expect(outcome.closed && outcome.frames == 0)
            #expect(outcome.elapsed < .seconds(6), "closed after \(outcome.elapsed)")
        }
    }

    /// Frames that arrive in pieces but whole in time are served, however long the connection lives.
    @Test func framesInPiecesWithinTheTimeoutAreServed() async throws {
        try await withServer(frameTimeout: .milliseconds(2_500)) { server in
            var bytes: [UInt8] = []
            for serial in UInt32(1)...8 { bytes += try RawFrames.register(serial: serial, clientID: "ok") }
            // In pieces of 20 bytes, 150 ms apart, each frame takes a few pieces (under half a second),
            // well within the timeout, and the eight together longer than it.
            #expect(bytes.count / 20 * 150 > 2_500)
            let outcome = try await trickle(
                bytes,
                piece: 20,
                pause: .milliseconds(150),
                port: server.localPort,
                expecting: 8
            )
            #expect(!outcome.closed && outcome.frames == 8)
        }
    }
}
