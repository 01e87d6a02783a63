import Logging
import NIOCore
import Testing
import TubeMQRPC
import TubeMQWire

@Suite struct RPCRoundTripTests {
    static let logger = Logger(label: "tubemq.test")

    static func withServer<T>(
        idleTimeout: TimeAmount = .seconds(300),
        execution: RPCExecution = .perCall,
        _ body: (RPCServer) async throws -> T
    ) async throws -> T {
        let server = try await RPCServer.start(
            configuration: RPCServerConfiguration(port: 0, idleTimeout: idleTimeout),
            service: EchoService(execution: execution),
            logger: logger
        )
        do {
            let result = try await body(server)
            await server.shutdown()
            return result
        } catch {
            await server.shutdown()
            throw error
        }
    }

    @Test(arguments: [RPCExecution.perCall, .batchedOnEventLoop])
    func tenThousandPipelinedCallsMatchTheirCallers(execution: RPCExecution) async throws {
        try await Self.withServer(execution: execution) { server in
            let client = RPCClient()
            defer { Task { await client.shutdown() } }
            let results = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for index in 0..<10_000 {
                    group.addTask {
                        var request = RegisterRequestP2M()
                        request.clientID = "client-\(index)"
                        request.brokerCheckSum = Int64(index)
                        // Later calls finish sooner: replies come back out of order.
                        request.hostName = "\((10_000 - index) % 50 * 20)"
                        let reply: RegisterResponseM2P = try await client.call(
                            .producerRegister,
                            request,
                            host: "127.0.0.1",
                            port: server.localPort,
                            timeout: .seconds(60)
                        )
                        #expect(reply.brokerCheckSum == Int64(index))
                        return (index, reply.errMsg)
                    }
                }
                var collected: [(Int, String)] = []
                for try await result in group { collected.append(result) }
                return collected
            }
            #expect(results.count == 10_000)
            for (index, echoed) in results { #expect(echoed == "client-\(index)") }
            #expect(server.connectionCount == 1, "all calls share one connection")
        }
    }

    @Test(arguments: [RPCExecution.perCall, .batchedOnEventLoop])
    func remoteExceptionsCarryTheirName(execution: RPCExecution) async throws {
        try await Self.withServer(execution: execution) { server in
            let client = RPCClient()
            defer { Task { await client.shutdown() } }
            var request = CloseRequestP2M()
            request.clientID = "x"
            do throws(RPCError) {
                let _: CloseResponseM2P = try await client.call(
                    .producerClose,
                    request,
                    host: "127.0.0.1",
                    port: server.localPort
                )
                Issue.record("expected a StandbyException")
            } catch {
                #expect(error.code == .remoteException)
                #expect(error.isStandby)
                #expect(error.remote?.exceptionName == RemoteException.standbyName)
                #expect(error.remote?.message == "not the active master")
            }
        }
    }

    @Test func protocolTwoClientsGetTheOldExceptionPrefix() async throws {
        try await Self.withServer { server in
            let client = RPCClient(configuration: .init(protocolVersion: 2))
            defer { Task { await client.shutdown() } }
            var request = CloseRequestP2M()
            request.clientID = "x"
            await #expect {
                let _: CloseResponseM2P = try await client.call(
                    .producerClose,
                    request,
                    host: "127.0.0.1",
                    port: server.localPort
                )
            } throws: { error in
                (error as? RPCError)?.remote?.exceptionName == "com.apache.tubemq.corerpc.exception.StandbyException"
            }
        }
    }

    @Test func callsTimeOut() async throws {
        try await Self.withServer { server in
            let client = RPCClient()
            defer { Task { await client.shutdown() } }
            var request = RegisterRequestP2M()
            request.clientID = "slow"
            request.brokerCheckSum = 0
            request.hostName = "2000000"  // two seconds
            do throws(RPCError) {
                let _: RegisterResponseM2P = try await client.call(
                    .producerRegister,
                    request,
                    host: "127.0.0.1",
                    port: server.localPort,
                    timeout: .milliseconds(100)
                )
                Issue.record("expected a timeout")
            } catch {
                #expect(error.code == .timeout)
            }
        }
    }

    @Test func clientReconnectsAfterTheConnectionDrops() async throws {
        try await Self.withServer { server in
            let client = RPCClient()
            defer { Task { await client.shutdown() } }
            var request = RegisterRequestP2M()
            request.clientID = "again"
            request.brokerCheckSum = 1
            request.hostName = "0"
            let first: RegisterResponseM2P = try await client.call(
                .producerRegister,
                request,
                host: "127.0.0.1",
                port: server.localPort
            )
            #expect(first.errMsg == "again")
            await client.disconnect(host: "127.0.0.1", port: server.localPort)
            let second: RegisterResponseM2P = try await client.call(
                .producerRegister,
                request,
                host: "127.0.0.1",
                port: server.localPort
            )
            #expect(second.errMsg == "again")
        }
    }

    @Test func aPortInUseIsNamedInTheError() async throws {
        try await Self.withServer { server in
            do {
                let second = try await RPCServer.start(
                    configuration: RPCServerConfiguration(port: server.localPort),
                    service: EchoService(execution: .perCall),
                    logger: Self.logger
                )
                await second.shutdown()
                Issue.record("a second server bound the same port")
            } catch let error as RPCBindError {
                #expect(error.port == server.localPort)
                #expect("\(error)".hasPrefix("cannot serve RPC on 127.0.0.1:\(server.localPort): "), "\(error)")
            }
        }
    }

    @Test func unreachableServerIsAConnectionFailure() async throws {
        let client = RPCClient(configuration: .init(connectTimeout: .seconds(1)))
        defer { Task { await client.shutdown() } }
        var request = CloseRequestP2M()
        request.clientID = "x"
        do throws(RPCError) {
            // Port 1 on loopback: nothing listens there.
            let _: CloseResponseM2P = try await client.call(.producerClose, request, host: "127.0.0.1", port: 1)
            Issue.record("expected a connection failure")
        } catch {
            #expect(error.code == .connectionFailed)
            #expect(!error.requestSent, "a connect that failed sent nothing")
        }
    }
}
