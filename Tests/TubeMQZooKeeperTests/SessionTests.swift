import NIOCore
import Testing
import TubeMQTestKit
import TubeMQZooKeeper

/// Session life: expiry, resume across a server restart, failover over the connect string, retries
/// when nothing answers, and hostile frames.
@Suite(.serialized) struct SessionTests {
    @Test func pingsKeepAnIdleSessionAlive() async throws {
        try await ZooKeeperTestServer.with { server in
            // 2 s, not less: a loaded CI machine (tests and ZooKeeper JVMs starting beside) once let a
            // 1 s session lose its connection before the first request.
            let zk = try await connect(server.connectString, timeout: .seconds(2))
            let log = StateLog(zk)
            let node = try await zk.create(uniquePath("idle"), mode: .ephemeral)
            try await Task.sleep(for: .seconds(6))  // three session timeouts without a request
            #expect(try await zk.exists(node)?.ephemeralOwner == zk.credentials.id)
            // Without pings the server ends the session after 2 s (the node goes, the log says expired).
            // A connection lost and resumed within the session (a starved JVM on a loaded machine: a
            // full test run saw one) is no failure of the pings.
            let states = await log.states
            #expect(!states.contains(.expired), "\(states)")
            await zk.close()
        }
    }

    @Test func sessionClosedElsewhereSurfacesAsExpired() async throws {
        try await ZooKeeperTestServer.with { server in
            let zk = try await connect(server.connectString, timeout: .seconds(2))
            let log = StateLog(zk)
            let node = try await zk.create(uniquePath("mine"), mode: .ephemeral)
            let (_, watch) = try await zk.existsAndWatch(uniquePath("never"))

            // Take the session over (the server drops zk's connection) and close it.
            try await SessionThief.closeSession(zk.credentials, port: server.port)

            // The client may win its session back once before the thief's close lands (a busy machine
            // delays the close): what must hold is that it starts connected, loses the connection and
            // ends expired.
            let states = try await log.wait(for: .expired)
            #expect(
                states.first == .connected && states.last == .expired && states.contains(.disconnected),
                "\(states)"
            )
            #expect(zk.state == .expired)
            #expect(await errorCode { _ = try await zk.exists("/") } == .sessionExpired)
            #expect(await errorCode { _ = try await watch.event() } == .sessionExpired)
            let observer = try await connect(server.connectString)
            #expect(try await observer.exists(node) == nil)
            // The id is dead for good: resuming it is refused.
            #expect(
                await errorCode { _ = try await connect(server.connectString, resuming: zk.credentials) }
                    == .sessionExpired
            )
            await observer.close()
            await zk.close()
        }
    }

    @Test func silentSessionExpires() async throws {
        try await ZooKeeperTestServer.with { server in
            let proxy = BlackholeProxy()
            let proxyPort = try await proxy.start(targetPort: server.port)
            let zk = try await connect("127.0.0.1:\(proxyPort)", timeout: .seconds(1))
            #expect(zk.negotiatedSessionTimeout == .seconds(1))
            let log = StateLog(zk)
            let observer = try await connect(server.connectString, timeout: .seconds(10))
            let node = try await zk.create(uniquePath("silent"), mode: .ephemeral)
            let (_, gone) = try await observer.existsAndWatch(node)
            // A partition longer than the session timeout: the client's reads time out, its resumes
            // go nowhere, and the server expires the silent session and deletes its ephemeral node.
            proxy.setBlackholed(true)
            try await log.wait(for: .disconnected)
            #expect(try await within(.seconds(10), "nodeDeleted") { try await gone.event() }.kind == .nodeDeleted)
            // Healed: the next resume is refused, and the client reports expiry.
            proxy.setBlackholed(false)
            // The client may win its session back once before the thief's close lands (a busy machine
            // delays the close): what must hold is that it starts connected, loses the connection and
            // ends expired.
            let states = try await log.wait(for: .expired)
            #expect(
                states.first == .connected && states.last == .expired && states.contains(.disconnected),
                "\(states)"
            )
            #expect(await errorCode { _ = try await zk.exists("/") } == .sessionExpired)
            await zk.close()
            await observer.close()
            await proxy.stop()
        }
    }

    /// A frozen server (SIGSTOP) longer than the timeout: whether the thawed server first expires the
    /// session or first accepts its resume is a race inside ZooKeeper, so only recovery is checked.
    @Test func frozenServerIsSurvived() async throws {
        try await ZooKeeperTestServer.with { server in
            let zk = try await connect(server.connectString, timeout: .seconds(1))
            let log = StateLog(zk)
            try await log.wait(for: .connected)
            await server.freeze(true)
            try await log.wait(for: .disconnected)
            try await Task.sleep(for: .seconds(2))
            await server.freeze(false)
            let states = try await within(.seconds(10), "connected or expired") { () async throws -> [SessionState] in
                while true {
                    let states = await log.states
                    if states.count > 2 { return states }
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            #expect(states.last == .connected || states.last == .expired)
            await zk.close()
        }
    }

    @Test func sessionResumesAfterServerRestart() async throws {
        try await ZooKeeperTestServer.with { server in
            let zk = try await connect(server.connectString, timeout: .seconds(6))
            let log = StateLog(zk)
            try await log.wait(for: .connected)
            let before = zk.credentials
            let root = uniquePath("restart")
            try await zk.create(root, data: [0])
            let ephemeral = try await zk.create("\(root)-e", mode: .ephemeral)
            let (_, watch) = try await zk.getDataAndWatch(root)

            try await server.restart(downFor: .milliseconds(300))
            let seen = try await log.wait(for: .connected, from: 1)
            #expect(seen == [.connected, .disconnected, .connected])
            #expect(zk.credentials == before)
            #expect(try await zk.exists(ephemeral)?.ephemeralOwner == before.id)

            // The watch was re-armed on the restarted server (setWatches).
            let other = try await connect(server.connectString)
            try await other.setData(root, data: [1])
            #expect(
                try await within(.seconds(5), "re-armed watch") { try await watch.event() }.kind == .nodeDataChanged
            )
            await other.close()
            await zk.close()
        }
    }

    /// ZooKeeper started again without its data refuses to resume a session that has seen later
    /// zxids than its own, for ever; the client used to retry it for ever. Once no member has taken
    /// the session back within its timeout, it ends as expired, and a new session connects.
    @Test func aSessionRefusedByAWipedServerExpires() async throws {
        try await ZooKeeperTestServer.with { server in
            let zk = try await connect(server.connectString, timeout: .seconds(4))
            let log = StateLog(zk)
            try await log.wait(for: .connected)
            let root = uniquePath("wiped")
            // Enough writes that the wiped server's zxids (which every session opened or closed there
            // moves on) stay below the client's for the whole wait: a server that caught up would
            // answer "expired" itself, and the test would pass without the client's own rule.
            for index in 0..<400 { try await zk.create("\(root)-\(index)", data: [0]) }

            try await server.restart(wipingData: true)
            let seen = try await log.wait(for: .expired, from: 1, timeout: .seconds(30))
            #expect(seen.last == .expired)
            let fresh = try await connect(server.connectString, timeout: .seconds(4))
            #expect(try await fresh.exists(root + "-0") == nil, "the server's data is gone")
            await fresh.close()
            await zk.close()
        }
    }

    /// ZooKeeper down for longer than the session timeout and started again with its data takes the
    /// session back: only members that refuse it end it on the client's side.
    @Test func aSessionSurvivesAnOutageLongerThanItsTimeout() async throws {
        try await ZooKeeperTestServer.with { server in
            let zk = try await connect(server.connectString, timeout: .seconds(2))
            let log = StateLog(zk)
            try await log.wait(for: .connected)
            let before = zk.credentials
            try await server.restart(downFor: .seconds(4))
            let seen = try await log.wait(for: .connected, from: 1, timeout: .seconds(30))
            #expect(!seen.contains(.expired), "\(seen)")
            #expect(zk.credentials == before)
            await zk.close()
        }
    }

    /// A ZooKeeper starting slowly closes connections unanswered for longer than the session timeout,
    /// as one without its data does: the session waits, and resumes once the server serves (a loaded
    /// run expired it across a plain restart).
    @Test func aSessionWaitsForAServerThatIsSlowToStart() async throws {
        try await ZooKeeperTestServer.with { server in
            let zk = try await connect(server.connectString, timeout: .seconds(2))
            let log = StateLog(zk)
            try await log.wait(for: .connected)
            let before = zk.credentials
            try await server.restart(downFor: .seconds(5), startingSlowly: true)
            let seen = try await log.wait(for: .connected, from: 1, timeout: .seconds(30))
            #expect(!seen.contains(.expired), "\(seen)")
            #expect(zk.credentials == before)
            await zk.close()
        }
    }

    @Test func requestsInFlightFailWithConnectionLoss() async throws {
        try await ZooKeeperTestServer.with { server in
            let zk = try await connect(server.connectString, timeout: .seconds(6))
            await server.freeze(true)
            // Nothing answers: the read times out after 2/3 of the timeout and the call fails.
            let code = try await within(.seconds(10), "connectionLoss") {
                await errorCode { _ = try await zk.exists("/") }
            }
            #expect(code == .connectionLoss)
            await server.freeze(false)
            try await StateLog(zk).wait(for: .connected)
            #expect(try await zk.exists("/") != nil)
            await zk.close()
        }
    }

    @Test func connectSkipsDeadMembers() async throws {
        try await ZooKeeperTestServer.with { server in
            let dead = try RefusingPort()
            let zk = try await connect("127.0.0.1:\(dead.port),\(server.connectString)")
            #expect(zk.state == .connected)
            #expect(zk.connectString.addresses.count == 2)
            await zk.close()
            withExtendedLifetime(dead) {}
        }
    }

    @Test func nothingReachableIsATypedError() async throws {
        let dead = try RefusingPort()
        let started = ContinuousClock.now
        do {
            _ = try await connect("127.0.0.1:\(dead.port)", attempts: 3)
            Issue.record("connected to a dead port")
        } catch let error as ZooKeeperError {
            #expect(error.code == .noServerReachable)
            #expect(error.message.contains("3 attempt"))
        }
        #expect(ContinuousClock.now - started < .seconds(5))
        withExtendedLifetime(dead) {}
    }

    @Test func oversizedFrameDropsTheConnection() async throws {
        // Answers the handshake with a frame length far above the 1 MiB limit.
        let fake = try await FakeServer.start(reply: [0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0])
        #expect(await errorCode { _ = try await connect("127.0.0.1:\(fake.port)", attempts: 2) } == .noServerReachable)
        await fake.stop()

        // A negative length is as bad.
        let negative = try await FakeServer.start(reply: [0xff, 0xff, 0xff, 0xfe])
        #expect(
            await errorCode { _ = try await connect("127.0.0.1:\(negative.port)", attempts: 1) } == .noServerReachable
        )
        await negative.stop()
    }

    @Test func oversizedFrameAfterHandshakeDisconnects() async throws {
        // A valid ConnectResponse, then a 16 MiB frame header.
        var reply = ByteBuffer()
        reply.writeInteger(37 as Int32)
        reply.writeInteger(0 as Int32)
        reply.writeInteger(4000 as Int32)
        reply.writeInteger(0x42 as Int64)
        reply.writeInteger(16 as Int32)
        reply.writeBytes([UInt8](repeating: 7, count: 16))
        reply.writeInteger(0 as UInt8)
        reply.writeInteger(16 << 20 as Int32)
        let fake = try await FakeServer.start(reply: Array(reply.readableBytesView))
        let zk = try await connect("127.0.0.1:\(fake.port)")
        let seen = try await StateLog(zk).wait(for: .disconnected, timeout: .seconds(5))
        #expect(seen.first == .connected || seen.first == .disconnected)
        await zk.close()
        await fake.stop()
    }

    @Test func smallerFrameLimitIsConfigurable() async throws {
        try await ZooKeeperTestServer.with { server in
            let writer = try await connect(server.connectString)
            let node = try await writer.create(uniquePath("big"), data: [UInt8](repeating: 1, count: 4096))
            let reader = try await ZooKeeperClient.connect(
                to: server.connectString,
                sessionTimeout: .seconds(4),
                configuration: .init(maximumFrameLength: 1024),
                logger: testLogger()
            )
            // The reply is over the reader's limit: the connection drops, the call fails, the session resumes.
            #expect(await errorCode { _ = try await reader.getData(node) } == .connectionLoss)
            try await StateLog(reader).wait(for: .connected, timeout: .seconds(5))
            #expect(try await reader.exists(node)?.dataLength == 4096)
            await reader.close()
            await writer.close()
        }
    }
}
