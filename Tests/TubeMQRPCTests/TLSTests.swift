import NIOCore
import NIOPosix
import NIOSSL
import Testing
import TubeMQRPC
import TubeMQTestKit
import TubeMQWire

/// The RPC server and client over TLS: a round trip, a client that trusts another CA refused, and
/// plaintext on the TLS port dropped while the server goes on serving.
@Suite struct TLSTests {
    static let caPEM = TestCertificates.caPEM
    static let otherCAPEM = TestCertificates.otherCAPEM
    static let serverPEM = TestCertificates.serverPEM
    static let serverKeyPEM = TestCertificates.serverKeyPEM

    static func serverContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(serverPEM.utf8)).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(serverKeyPEM.utf8), format: .pem))
        )
        configuration.minimumTLSVersion = .tlsv12
        return try NIOSSLContext(configuration: configuration)
    }

    static func clientContext(trusting pem: String) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8)))
        return try NIOSSLContext(configuration: configuration)
    }

    static func register(_ client: RPCClient, port: Int) async throws -> RegisterResponseM2P {
        var request = RegisterRequestP2M()
        request.clientID = "tls-client"
        request.brokerCheckSum = 7
        request.hostName = "0"
        return try await client.call(.producerRegister, request, host: "127.0.0.1", port: port, timeout: .seconds(10))
    }

    @Test func roundTripWrongCAAndPlaintext() async throws {
        var serverConfiguration = RPCServerConfiguration(port: 0)
        serverConfiguration.tls = try Self.serverContext()
        let server = try await RPCServer.start(
            configuration: serverConfiguration,
            service: EchoService(),
            logger: .init(label: "tls")
        )
        var good = RPCClient.Configuration(defaultTimeout: .seconds(10))
        good.tls = try Self.clientContext(trusting: Self.caPEM)
        var bad = RPCClient.Configuration(defaultTimeout: .seconds(3))
        bad.tls = try Self.clientContext(trusting: Self.otherCAPEM)
        let goodClient = RPCClient(configuration: good)
        let badClient = RPCClient(configuration: bad)
        let plainClient = RPCClient(configuration: .init(defaultTimeout: .seconds(2)))

        let reply = try await Self.register(goodClient, port: server.localPort)
        #expect(reply.errMsg == "tls-client")
        await #expect(throws: RPCError.self) { _ = try await Self.register(badClient, port: server.localPort) }
        await #expect(throws: RPCError.self) { _ = try await Self.register(plainClient, port: server.localPort) }
        let again = try await Self.register(goodClient, port: server.localPort)
        #expect(again.brokerCheckSum == 7)

        await plainClient.shutdown()
        await badClient.shutdown()
        await goodClient.shutdown()
        await server.shutdown()
    }

    /// A peer that connects to the TLS port and never completes a handshake is dropped after
    /// `tlsHandshakeTimeout`; it held its descriptor for the whole idle timeout (300 s).
    @Test func aPeerThatNeverCompletesTheHandshakeIsDropped() async throws {
        var serverConfiguration = RPCServerConfiguration(port: 0, idleTimeout: .seconds(60))
        serverConfiguration.tls = try Self.serverContext()
        // Long enough for a good client's handshake on a crowded machine (300 ms dropped one in a
        // parallel test run).
        serverConfiguration.tlsHandshakeTimeout = .seconds(1)
        let server = try await RPCServer.start(
            configuration: serverConfiguration,
            service: EchoService(),
            logger: .init(label: "tls")
        )
        let started = ContinuousClock.now
        let silent = try await RawConnection.connect(port: server.localPort)
        guard case .closed = try await silent.exchange([], expecting: 1) else {
            Issue.record("the server answered a peer that sent nothing")
            await server.shutdown()
            return
        }
        #expect(ContinuousClock.now - started < .seconds(10), "dropped at the handshake timeout, not the idle one")

        var good = RPCClient.Configuration(defaultTimeout: .seconds(10))
        good.tls = try Self.clientContext(trusting: Self.caPEM)
        let client = RPCClient(configuration: good)
        let reply = try await Self.register(client, port: server.localPort)
        #expect(reply.errMsg == "tls-client", "a peer that completes the handshake stays")
        try await Task.sleep(for: .milliseconds(1_500))
        #expect(try await Self.register(client, port: server.localPort).errMsg == "tls-client")
        await client.shutdown()
        await server.shutdown()
    }
}
