import Logging
import NIOCore
import NIOPosix
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

    /// Runs `write` on a new connection while reading until `count` frames came or the server
    /// closed; returns the frames, whether it closed, and how long it took.
    private func exchange(
        port: Int,
        expecting count: Int,
        write: @escaping @Sendable (NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws -> Void
    ) async throws -> (frames: Int, closed: Bool, elapsed: Duration) {
        let connection = try await RawConnection.connect(port: port)
        let started = ContinuousClock.now
        return try await connection.channel.executeThenClose { inbound, outbound in
            let writer = Task { try await write(outbound) }
            defer { writer.cancel() }
            var decoder = FrameDecoder()
            var pending = ByteBuffer()
            var frames = 0
            do {
                for try await chunk in inbound {
                    pending.writeImmutableBuffer(chunk)
                    while try decoder.next(from: &pending) != nil { frames += 1 }
                    if frames >= count { return (frames, false, ContinuousClock.now - started) }
                }
            } catch let error as IOError where error.errnoCode == ECONNRESET {
                // The server closed while bytes of ours were unread: the peer sees a reset, not an
                // end of stream. Closed all the same.
            }
            return (frames, true, ContinuousClock.now - started)
        }
    }

    @Test func aTricklingFrameIsClosedAfterTheTimeout() async throws {
        try await withServer(frameTimeout: .seconds(1)) { server in
            let bytes = try RawFrames.register(serial: 1, clientID: "slow")
            // At 300 ms a byte the frame would take over 15 s; the 1 s timeout closes it long before,
            // even on a loaded machine (a CI run beside other tests took 6.2 s at 150 ms a byte).
            #expect(bytes.count > 50, "at 300 ms a byte, the frame would take over 15 s")
            let outcome = try await exchange(port: server.localPort, expecting: 1) { outbound in
                for byte in bytes {
                    try await outbound.write(ByteBuffer(bytes: [byte]))
                    try await Task.sleep(for: .milliseconds(300))
                }
            }
            #expect(outcome.closed && outcome.frames == 0)
            #expect(outcome.elapsed < .seconds(10), "closed after \(outcome.elapsed)")
        }
    }

    /// Frames that arrive in pieces, each whole in time, are served however long the connection
    /// lives, and a connection idle between frames (no frame begun) is not timed out by it.
    @Test func framesInPiecesWithinTheTimeoutAreServed() async throws {
        // A timeout far above the 100 ms between a frame's halves: a loaded machine (a CI run beside
        // two builds) stretched that gap past a 2 s timeout once.
        try await withServer(frameTimeout: .seconds(4)) { server in
            let outcome = try await exchange(port: server.localPort, expecting: 3) { outbound in
                for serial in UInt32(1)...3 {
                    let bytes = try RawFrames.register(serial: serial, clientID: "ok")
                    let half = bytes.count / 2
                    try await outbound.write(ByteBuffer(bytes: bytes[..<half]))
                    try await Task.sleep(for: .milliseconds(100))
                    try await outbound.write(ByteBuffer(bytes: bytes[half...]))
                    // Longer than the timeout, with no frame begun.
                    if serial < 3 { try await Task.sleep(for: .milliseconds(4_500)) }
                }
            }
            let served = outcome.frames
            #expect(served == 3, "the connection was closed after \(served) frames")
        }
    }
}
