import Foundation
import Testing
import TubeMQMaster
import TubeMQRPC
import TubeMQTestKit
import TubeMQWire

/// The master's `[tlsSetting]` listener beside the plain one: PEM key store, TLS round trip,
/// plaintext on the TLS port dropped, a JKS store refused with the conversion command.
@Suite struct MasterTLSTests {
    static let caPEM = TestCertificates.caPEM
    static let otherCAPEM = TestCertificates.otherCAPEM
    static let serverPEM = TestCertificates.serverPEM
    static let serverKeyPEM = TestCertificates.serverKeyPEM

    @Test func servesTLSBesideThePlainPort() async throws {
        let directory = NSTemporaryDirectory() + "tubemq-tls-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = directory + "/server.pem"
        let trust = directory + "/ca.pem"
        let jks = directory + "/store.jks"
        _ = FileManager.default.createFile(
            atPath: store,
            contents: Data((Self.serverPEM + "\n" + Self.serverKeyPEM + "\n").utf8)
        )
        _ = FileManager.default.createFile(atPath: trust, contents: Data(Self.caPEM.utf8))
        _ = FileManager.default.createFile(atPath: jks, contents: Data([0xFE, 0xED, 0xFE, 0xED, 0, 0, 0, 2]))

        do {
            _ = try TLSSettings(port: 0, keyStorePath: jks).makeServerContext()
            Issue.record("a JKS store was accepted")
        } catch let error as TLSSettingsError {
            #expect(error.message.contains("keytool -importkeystore"))
        }

        var configuration = MasterServer.Configuration(port: 0)
        configuration.tls = TLSSettings(port: 0, keyStorePath: store)
        let server = try await MasterServer.start(configuration: configuration, logger: TestMaster.logger)
        let tlsPort = try #require(server.tlsPort)
        var tlsClientConfiguration = RPCClient.Configuration(defaultTimeout: .seconds(10))
        tlsClientConfiguration.tls = try TLSSettings.makeClientContext(trustStorePath: trust)
        let tlsClient = RPCClient(configuration: tlsClientConfiguration)
        let plain = RPCClient(configuration: .init(defaultTimeout: .seconds(2)))
        var request = RegisterRequestP2M()
        request.clientID = "tls-producer"
        request.brokerCheckSum = -1
        request.hostName = "127.0.0.1"
        let overTLS: RegisterResponseM2P = try await tlsClient.call(
            .producerRegister,
            request,
            host: "127.0.0.1",
            port: tlsPort
        )
        #expect(overTLS.success)
        await #expect(throws: RPCError.self) {
            let _: RegisterResponseM2P = try await plain.call(
                .producerRegister,
                request,
                host: "127.0.0.1",
                port: tlsPort
            )
        }
        let overPlain: RegisterResponseM2P = try await plain.call(
            .producerRegister,
            request,
            host: "127.0.0.1",
            port: server.port
        )
        #expect(overPlain.success)
        await plain.shutdown()
        await tlsClient.shutdown()
        await server.shutdown()
    }
}
