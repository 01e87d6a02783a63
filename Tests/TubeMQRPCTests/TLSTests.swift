import NIOCore
import NIOPosix
import NIOSSL
import Testing
import TubeMQRPC
import TubeMQWire

/// The RPC server and client over TLS: a round trip, a client that trusts another CA refused, and
/// plaintext on the TLS port dropped while the server goes on serving.
@Suite struct TLSTests {
    static let caPEM = """
        -----BEGIN CERTIFICATE-----
        MIIBijCCAS+gAwIBAgIUGFK6xYM0sFoaxScjlcQVXW8J+gQwCgYIKoZIzj0EAwIw
        GTEXMBUGA1UEAwwOdHViZW1xLXRlc3QtY2EwIBcNMjYxMjA0MjIyODA5WhgPMjEy
        NjExMTAyMjI4MDlaMBkxFzAVBgNVBAMMDnR1YmVtcS10ZXN0LWNhMFkwEwYHKoZI
        zj0CAQYIKoZIzj0DAQcDQgAEecJWAY+bYd5U9KF/38xhvnzy4MRuIXI6ek7xPhQP
        cCRDqipZ3JsLW7hubssia5xEissBoeoc29gz9GfI+n41y6NTMFEwHQYDVR0OBBYE
        FA9EN0VVECg7g63QGscPLaAgFj/HMB8GA1UdIwQYMBaAFA9EN0VVECg7g63QGscP
        LaAgFj/HMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSQAwRgIhAKSpatuR
        53yf4KYahwdGD3j6/lEQY2EhOnth6RjA+D3GAiEAjYMkY8KIrZZAbJ0xij8hkN2C
        aUonKK6hXbofZiXAZU8=
        -----END CERTIFICATE-----
        """
    static let otherCAPEM = """
        -----BEGIN CERTIFICATE-----
        MIIBfTCCASOgAwIBAgIUE2EG2uYOVgu8Wp70fV9sReVSwJswCgYIKoZIzj0EAwIw
        EzERMA8GA1UEAwwIb3RoZXItY2EwIBcNMjYxMjA0MjIyODA5WhgPMjEyNjExMTAy
        MjI4MDlaMBMxETAPBgNVBAMMCG90aGVyLWNhMFkwEwYHKoZIzj0CAQYIKoZIzj0D
        AQcDQgAElAqzINoM2QmAPyOrhL/3jBtcLU/OCoPD8h68yFdwBsL5Yt/6XSCkTJVN
        eXVDj4nme9wgcR/AUytqO69Iw/vGVKNTMFEwHQYDVR0OBBYEFMYsocPA8n2enfw0
        V3jkpzOzC4czMB8GA1UdIwQYMBaAFMYsocPA8n2enfw0V3jkpzOzC4czMA8GA1Ud
        EwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIgF95yamCrHBQhrXBPHW+lXH+5
        lm8s/xVuSbx4UfGc0ukCIQDEgN+grivX0cLWSSddYIH8NJqBi0Gvl7qzzADSwNZk
        jw==
        -----END CERTIFICATE-----
        """
    static let serverPEM = """
        -----BEGIN CERTIFICATE-----
        MIIBjzCCATWgAwIBAgIUaTs2alrueykwyXDoc2nFSWSxN7swCgYIKoZIzj0EAwIw
        GTEXMBUGA1UEAwwOdHViZW1xLXRlc3QtY2EwIBcNMjYxMjA0MjIyODA5WhgPMjEy
        NjExMTAyMjI4MDlaMBQxEjAQBgNVBAMMCWxvY2FsaG9zdDBZMBMGByqGSM49AgEG
        CCqGSM49AwEHA0IABChtTtZ2mrEC0bQMTiVf+UTYjwDshZ1/C0ZgphvTP2kQ/E1D
        K2Wuz624FVaAiuqAPTpXY12T3YE19uXe5HmyYwijXjBcMBoGA1UdEQQTMBGHBH8A
        AAGCCWxvY2FsaG9zdDAdBgNVHQ4EFgQUXpuQfMFUB8HqiRYjD/Q7foPd3fwwHwYD
        VR0jBBgwFoAUD0Q3RVUQKDuDrdAaxw8toCAWP8cwCgYIKoZIzj0EAwIDSAAwRQIg
        SE/hxBmcKlh1bC7hiKAf0IP//7h6T560zB8LmsSSNAoCIQCP3fmg9TmcdmCeTFiA
        y8OiPS2DRvC7mUwg6DauaXZw0w==
        -----END CERTIFICATE-----
        """
    static let serverKeyPEM = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgl9CUyg1Mu38p4I5l
        L1w4tf5kEImXIrBxd4Du2u4bvhChRANCAAQobU7WdpqxAtG0DE4lX/lE2I8A7IWd
        fwtGYKYb0z9pEPxNQytlrs+tuBVWgIrqgD06V2Ndk92BNfbl3uR5smMI
        -----END PRIVATE KEY-----
        """

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
        return try await client.call(.producerRegister, request, host: "127.0.0.1", port: port, timeout: .seconds(3))
    }

    @Test func roundTripWrongCAAndPlaintext() async throws {
        var serverConfiguration = RPCServerConfiguration(port: 0)
        serverConfiguration.tls = try Self.serverContext()
        let server = try await RPCServer.start(
            configuration: serverConfiguration,
            service: EchoService(),
            logger: .init(label: "tls")
        )
        var good = RPCClient.Configuration(defaultTimeout: .seconds(3))
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
}
