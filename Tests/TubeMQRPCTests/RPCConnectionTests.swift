import NIOCore
import Testing
import TubeMQRPC
import TubeMQWire

/// Calls sharing one connection end independently: each with its reply, its own timeout, or the loss
/// of the connection, exactly once.
@Suite struct RPCConnectionTests {
    static func register(
        _ client: RPCClient,
        port: Int,
        id: String,
        delayMicros: Int,
        timeout: TimeAmount
    ) async -> Result<String, RPCError> {
        var request = RegisterRequestP2M()
        request.clientID = id
        request.brokerCheckSum = 0
        request.hostName = "\(delayMicros)"
        do throws(RPCError) {
            let reply: RegisterResponseM2P = try await client.call(
                .producerRegister,
                request,
                host: "127.0.0.1",
                port: port,
                timeout: timeout
            )
            return .success(reply.errMsg)
        } catch {
            return .failure(error)
        }
    }

    @Test func aShortTimeoutAfterALongOneStillFires() async throws {
        try await RPCRoundTripTests.withServer { server in
            let client = RPCClient()
            defer { Task { await client.shutdown() } }
            let port = server.localPort
            // The long call arms the connection's timer first; the short one must arm an earlier one.
            async let long = Self.register(client, port: port, id: "long", delayMicros: 300_000, timeout: .seconds(60))
            try await Task.sleep(for: .milliseconds(50))
            async let short = Self.register(
                client,
                port: port,
                id: "short",
                delayMicros: 2_000_000,
                timeout: .milliseconds(100)
            )
            async let quick = Self.register(client, port: port, id: "quick", delayMicros: 0, timeout: .seconds(60))
            let (longResult, shortResult, quickResult) = await (long, short, quick)
            #expect((try? longResult.get()) == "long")
            #expect((try? quickResult.get()) == "quick")
            guard case .failure(let error) = shortResult else {
                Issue.record("expected a timeout, got \(shortResult)")
                return
            }
            #expect(error.code == .timeout)
            #expect(server.connectionCount == 1)
        }
    }

    @Test func losingTheConnectionFailsEveryCallInFlight() async throws {
        try await RPCRoundTripTests.withServer { server in
            let client = RPCClient()
            defer { Task { await client.shutdown() } }
            let port = server.localPort
            let first = await Self.register(client, port: port, id: "open", delayMicros: 0, timeout: .seconds(60))
            #expect((try? first.get()) == "open")
            let results = await withTaskGroup(of: Result<String, RPCError>.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        await Self.register(
                            client,
                            port: port,
                            id: "\(index)",
                            delayMicros: 3_000_000,
                            timeout: .seconds(60)
                        )
                    }
                }
                group.addTask {
                    try? await Task.sleep(for: .milliseconds(500))
                    await client.disconnect(host: "127.0.0.1", port: port)
                    return .success("disconnected")
                }
                var collected: [Result<String, RPCError>] = []
                for await result in group { collected.append(result) }
                return collected
            }
            let failures = results.compactMap { result -> RPCError? in
                if case .failure(let error) = result { return error }
                return nil
            }
            #expect(results.count == 51)
            #expect(failures.count == 50)
            #expect(failures.allSatisfy { $0.code == .connectionFailed })
            #expect(failures.allSatisfy { $0.requestSent }, "in flight when lost: the server may have acted on them")
            let again = await Self.register(client, port: port, id: "again", delayMicros: 0, timeout: .seconds(60))
            #expect((try? again.get()) == "again", "the next call reconnects")
        }
    }

    @Test func shutdownFailsCallsInFlightAndLaterCalls() async throws {
        try await RPCRoundTripTests.withServer { server in
            let client = RPCClient()
            let port = server.localPort
            async let slow = Self.register(
                client,
                port: port,
                id: "slow",
                delayMicros: 5_000_000,
                timeout: .seconds(60)
            )
            try await Task.sleep(for: .milliseconds(200))
            await client.shutdown()
            guard case .failure(let error) = await slow else {
                Issue.record("expected the call to fail")
                return
            }
            // connectionFailed when it was on the wire; shutdown if the task only started after shutdown().
            #expect(error.code == .connectionFailed || error.code == .shutdown)
            let later = await Self.register(client, port: port, id: "late", delayMicros: 0, timeout: .seconds(1))
            guard case .failure(let lateError) = later else {
                Issue.record("expected the call to fail")
                return
            }
            #expect(lateError.code == .shutdown)
        }
    }
}
