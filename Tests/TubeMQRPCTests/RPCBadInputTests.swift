import Foundation
import NIOCore
import Testing
import TubeMQRPC
import TubeMQWire

/// Bad input gets an exception reply or closes that connection, and the server keeps serving.
@Suite struct RPCBadInputTests {
    /// After each abuse, a fresh connection must still get a normal reply.
    static func assertStillServing(_ server: RPCServer) async throws {
        let connection = try await RawConnection.connect(port: server.localPort)
        guard
            case .frames(let frames) = try await connection.exchange(
                try RawFrames.register(serial: 9, clientID: "after"),
                expecting: 1
            )
        else {
            Issue.record("server stopped serving")
            return
        }
        guard case .success(let method, _) = try ResponseEnvelope(decoding: frames[0].payload) else {
            Issue.record("expected success")
            return
        }
        #expect(method == 1)
        #expect(frames[0].serialNumber == 9)
    }

    static func expectClosed(_ bytes: [UInt8], server: RPCServer) async throws {
        let connection = try await RawConnection.connect(port: server.localPort)
        let outcome = try await connection.exchange(bytes, expecting: 1)
        guard case .closed(let frames) = outcome else {
            Issue.record("connection stayed open after bad frame")
            return
        }
        #expect(frames.isEmpty)
    }

    static func exceptionReply(_ bytes: [UInt8], server: RPCServer) async throws -> (UInt32, RemoteException)? {
        let connection = try await RawConnection.connect(port: server.localPort)
        guard case .frames(let frames) = try await connection.exchange(bytes, expecting: 1) else {
            Issue.record("no reply")
            return nil
        }
        guard case .exception(let exception) = try ResponseEnvelope(decoding: frames[0].payload) else {
            Issue.record("expected an exception reply")
            return nil
        }
        return (frames[0].serialNumber, exception)
    }

    @Test func wrongTokenClosesTheConnection() async throws {
        try await RPCRoundTripTests.withServer { server in
            try await Self.expectClosed(
                RawFrames.frame(serial: 1, chunks: [[1, 2, 3]], token: 0xDEAD_BEEF),
                server: server
            )
            try await Self.assertStillServing(server)
        }
    }

    @Test func oversizeListClosesTheConnection() async throws {
        try await RPCRoundTripTests.withServer { server in
            try await Self.expectClosed(RawFrames.frame(serial: 1, chunks: [], listSize: 3585), server: server)
            try await Self.expectClosed(RawFrames.frame(serial: 1, chunks: [], listSize: -1), server: server)
            try await Self.assertStillServing(server)
        }
    }

    /// The Java decoder has no per-chunk limit, so a chunk of length 0 is part of a frame, not an
    /// abuse: a request split around one is served (it used to close the connection).
    @Test func aZeroLengthChunkIsPartOfTheFrame() async throws {
        try await RPCRoundTripTests.withServer { server in
            let whole = try RawFrames.register(serial: 4, clientID: "empty-chunk")
            let payload = Array(whole[(Frame.headerLength + 4)...])
            let split = payload.count / 2
            let bytes = RawFrames.frame(
                serial: 4,
                chunks: [[], Array(payload[..<split]), [], Array(payload[split...]), []]
            )
            let connection = try await RawConnection.connect(port: server.localPort)
            guard case .frames(let frames) = try await connection.exchange(bytes, expecting: 1) else {
                Issue.record("no reply to a request with empty chunks")
                return
            }
            guard case .success(let method, _) = try ResponseEnvelope(decoding: frames[0].payload) else {
                Issue.record("expected success")
                return
            }
            #expect(method == 1 && frames[0].serialNumber == 4)
        }
    }

    @Test func hugeChunkLengthIsRefusedBeforeAllocating() async throws {
        try await RPCRoundTripTests.withServer { server in
            // Header, list size 1, then a chunk length of 2 GiB - 1 and no data.
            var bytes = RawFrames.frame(serial: 1, chunks: [], listSize: 1)
            bytes += [0x7F, 0xFF, 0xFF, 0xFF]
            try await Self.expectClosed(bytes, server: server)
            try await Self.assertStillServing(server)
        }
    }

    @Test func truncatedFrameDoesNotDisturbTheServer() async throws {
        try await RPCRoundTripTests.withServer { server in
            let full = try RawFrames.register(serial: 1, clientID: "cut")
            let connection = try await RawConnection.connect(port: server.localPort)
            try await connection.channel.executeThenClose { _, outbound in
                try await outbound.write(ByteBuffer(bytes: full.prefix(full.count - 3)))
            }
            try await Self.assertStillServing(server)
        }
    }

    @Test func garbageEnvelopeGetsFatal() async throws {
        try await RPCRoundTripTests.withServer { server in
            let reply = try await Self.exceptionReply(
                RawFrames.frame(serial: 77, chunks: [[1, 2, 3, 4, 5]]),
                server: server
            )
            #expect(reply?.0 == 77)
            #expect(reply?.1.status == .fatal)
            #expect(reply?.1.exceptionName == RemoteException.invalidProtobufName)
            #expect(
                reply?.1.message
                    == "IPC server unable to read call parameters:Protocol message contained an invalid tag (zero)."
            )
            try await Self.assertStillServing(server)
        }
    }

    @Test func garbageRequestBodyGetsFatal() async throws {
        try await RPCRoundTripTests.withServer { server in
            // A varint field whose value never ends.
            let bytes = RawFrames.request(serial: 3, method: 1, body: [0x08, 0xFF, 0xFF])
            let reply = try await Self.exceptionReply(bytes, server: server)
            #expect(reply?.1.status == .fatal)
            #expect(reply?.1.exceptionName == RemoteException.invalidProtobufName)
            #expect(
                reply?.1.message.hasPrefix("IPC server handle request error :While parsing a protocol message") == true
            )
            try await Self.assertStillServing(server)
        }
    }

    @Test func missingRequiredFieldsAreNamed() async throws {
        try await RPCRoundTripTests.withServer { server in
            var partial = RegisterRequestP2M()
            partial.clientID = "x"
            let bytes = RawFrames.request(serial: 4, method: 1, body: try partial.serializedBytes(partial: true))
            let reply = try await Self.exceptionReply(bytes, server: server)
            #expect(reply?.1.status == .fatal)
            #expect(
                reply?.1.message
                    == "IPC server handle request error :Message missing required fields: brokerCheckSum, hostName"
            )
            try await Self.assertStillServing(server)
        }
    }

    @Test func unknownMethodGetsFatalAndTheConnectionStaysOpen() async throws {
        try await RPCRoundTripTests.withServer { server in
            // Method 0 with no body (the C++ producer's close), then a valid call on the same connection.
            let bytes =
                RawFrames.request(serial: 5, method: 0, body: nil) + (try RawFrames.register(serial: 6, clientID: "ok"))
            let connection = try await RawConnection.connect(port: server.localPort)
            guard case .frames(let frames) = try await connection.exchange(bytes, expecting: 2) else {
                Issue.record("connection closed")
                return
            }
            let bySerial = Dictionary(uniqueKeysWithValues: frames.map { ($0.serialNumber, $0) })
            let first = try ResponseEnvelope(decoding: try #require(bySerial[5]).payload)
            #expect(first == .exception(.unsupportedMethod(0)))
            guard case .success = try ResponseEnvelope(decoding: try #require(bySerial[6]).payload) else {
                Issue.record("second call failed")
                return
            }
        }
    }

    @Test func brokerMethodOnTheMasterIsNoService() async throws {
        try await RPCRoundTripTests.withServer { server in
            var send = SendMessageRequestP2B()
            send.clientID = "x"
            send.topicName = "t"
            send.partitionID = 0
            send.data = Data([0x78])
            send.flag = 0
            send.checkSum = -1
            send.sentAddr = 0
            let bytes = RawFrames.request(serial: 8, method: 13, serviceType: 3, body: try send.serializedBytes())
            let reply = try await Self.exceptionReply(bytes, server: server)
            #expect(reply?.1 == .noService(3))
        }
    }

    @Test func idleConnectionsAreClosed() async throws {
        try await RPCRoundTripTests.withServer(idleTimeout: .milliseconds(200)) { server in
            let connection = try await RawConnection.connect(port: server.localPort)
            let outcome = try await connection.exchange([], expecting: 1)
            guard case .closed = outcome else {
                Issue.record("idle connection stayed open")
                return
            }
        }
    }
}
