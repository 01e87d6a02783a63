import Foundation
import NIOSSL
import Testing
import TubeMQClient
import TubeMQCore
import TubeMQRPC
import TubeMQStandalone
import TubeMQTestKit
import TubeMQWire

#if canImport(Glibc)
import Glibc
#endif

/// TLS on the master's and the broker's `[tlsSetting]` ports with our client: certificates made per
/// run by a ``TubeMQRPC/CertificateAuthority``.
@Suite("TLS end to end", .serialized)
struct TLSEndToEndTests {
    /// The stores of one run, in a temporary folder.
    struct Stores {
        var directory: String
        /// The CA the servers' certificate comes from.
        var caPath: String
        /// The servers' certificate for localhost / 127.0.0.1 and its key.
        var serverPath: String
        /// A client certificate from the same CA, with its key.
        var clientPath: String
        /// A CA that signed nothing here.
        var otherCAPath: String
    }

    static func makeStores() throws -> Stores {
        let directory = NSTemporaryDirectory() + "tubemq-tls-e2e-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let authority = try CertificateAuthority(commonName: "tubemq-test-ca")
        let server = try authority.issue(commonName: "localhost", hosts: ["localhost", "127.0.0.1"])
        let client = try authority.issue(commonName: "tubemq-test-client")
        let other = try CertificateAuthority(commonName: "other-ca")
        let stores = Stores(
            directory: directory,
            caPath: directory + "/ca.pem",
            serverPath: directory + "/server.pem",
            clientPath: directory + "/client.pem",
            otherCAPath: directory + "/other-ca.pem"
        )
        let files = [
            (stores.caPath, authority.certificatePEM),
            (stores.serverPath, server.certificatePEM + "\n" + server.privateKeyPEM),
            (stores.clientPath, client.certificatePEM + "\n" + client.privateKeyPEM),
            (stores.otherCAPath, other.certificatePEM),
        ]
        for (path, text) in files {
            guard FileManager.default.createFile(atPath: path, contents: Data((text + "\n").utf8)) else {
                throw TestTimeout(description: "cannot write \(path)")
            }
        }
        return stores
    }

    /// A cluster (one broker, topic `t_tls`) serving TLS on free ports beside the plain ones.
    static func withTLSCluster(
        twoWayAuth: Bool = false,
        _ body: (TestCluster, Stores) async throws -> Void
    ) async throws {
        let stores = try makeStores()
        defer { try? FileManager.default.removeItem(atPath: stores.directory) }
        let cluster = try await TestCluster.start(topics: [.init(name: "t_tls", partitions: 2)]) { configuration, _ in
            configuration.tls = TLSSettings(
                port: 0,
                keyStorePath: stores.serverPath,
                twoWayAuth: twoWayAuth,
                trustStorePath: twoWayAuth ? stores.caPath : nil
            )
            configuration.masterTLSPort = 0
            configuration.brokerTLSPorts = [0]
        }
        do {
            try await body(cluster, stores)
        } catch {
            await cluster.shutdown()
            throw error
        }
        await cluster.shutdown()
    }

    static func producerConfiguration(
        _ cluster: TestCluster,
        trusting caPath: String,
        certificate: String? = nil
    ) throws -> Producer.Configuration {
        var configuration = cluster.producerConfiguration()
        configuration.masters = [MasterAddress(host: "127.0.0.1", port: try #require(cluster.master.tlsPort))]
        configuration.tls = try TLSSettings.makeClientContext(trustStorePath: caPath, keyStorePath: certificate)
        return configuration
    }

    static func registration(_ clientID: String) -> RegisterRequestP2M {
        var request = RegisterRequestP2M()
        request.clientID = clientID
        request.brokerCheckSum = -1
        request.hostName = "127.0.0.1"
        return request
    }

    @Test func produceAndConsumeOverTheTLSPorts() async throws {
        try await Self.withTLSCluster { cluster, stores in
            let masterTLSPort = try #require(cluster.master.tlsPort)
            let broker = try #require(cluster.brokers.first)
            let brokerTLSPort = try #require(broker.tlsPort)
            #expect(brokerTLSPort != broker.port)
            // The broker's record (admin_query_broker_configure) holds the port it serves TLS on.
            #expect(await cluster.master.master.broker(id: 1)?.config.tlsPort == brokerTLSPort)

            // The master tells clients on its TLS port the broker's TLS port, and the others its plain port.
            let request = Self.registration("raw-tls-producer")
            var rpcConfiguration = RPCClient.Configuration(defaultTimeout: .seconds(5))
            rpcConfiguration.tls = try TLSSettings.makeClientContext(trustStorePath: stores.caPath)
            let tlsRPC = RPCClient(configuration: rpcConfiguration)
            try await eventually("the broker registered its TLS port") {
                let overTLS: RegisterResponseM2P = try await tlsRPC.call(
                    .producerRegister,
                    request,
                    host: "127.0.0.1",
                    port: masterTLSPort
                )
                return overTLS.brokerInfos == ["1:127.0.0.1:\(brokerTLSPort)"]
            }
            await tlsRPC.shutdown()
            let overPlain: RegisterResponseM2P = try await cluster.rpc.call(
                .producerRegister,
                request,
                host: "127.0.0.1",
                port: cluster.master.port
            )
            #expect(
                overPlain.brokerInfos == [
                    MetadataStrings.brokerInfo(BrokerInfo(id: 1, host: "127.0.0.1", port: broker.port))
                ]
            )

            // Our client, told only the master's TLS port, produces and consumes over TLS.
            let producer = try await Producer(
                configuration: Self.producerConfiguration(cluster, trusting: stores.caPath)
            )
            try await producer.publish(["t_tls"])
            for i in 0..<6 { _ = try await producer.send(.text("secret-\(i)"), to: "t_tls") }
            var consumerConfiguration = cluster.consumerConfiguration(group: "g_tls", topics: ["t_tls"])
            consumerConfiguration.masters = [MasterAddress(host: "127.0.0.1", port: masterTLSPort)]
            consumerConfiguration.tls = try TLSSettings.makeClientContext(trustStorePath: stores.caPath)
            let consumer = try await PushConsumer(configuration: consumerConfiguration, logger: TestCluster.logger)
            let received = try await receive(6, from: consumer)
            #expect(Set(received.map(\.text)) == Set((0..<6).map { "secret-\($0)" }))
            // The master knows it came over TLS (the webapi's isOverTLS read false for every consumer).
            let members = await cluster.master.master.group(named: "g_tls")?.members.values.map(\.overTLS)
            #expect(members == [true])
            await consumer.shutdown()
            await producer.shutdown()
        }
    }

    @Test func untrustedServersPlaintextAndGarbageAreRefusedWithoutHarm() async throws {
        try await Self.withTLSCluster { cluster, stores in
            let broker = try #require(cluster.brokers.first)
            let brokerTLSPort = try #require(broker.tlsPort)
            let masterTLSPort = try #require(cluster.master.tlsPort)

            // A client that trusts another CA does not get in.
            do {
                let configuration = try Self.producerConfiguration(cluster, trusting: stores.otherCAPath)
                let producer = try await Producer(configuration: configuration)
                await producer.shutdown()
                Issue.record("a client trusting another CA was let in")
            } catch {
                #expect("\(error)".contains("connectionFailed"), "the handshake failed: \(error)")
            }

            // Plain text on the TLS ports, and garbage: the connection is dropped.
            let plain = RPCClient(configuration: .init(defaultTimeout: .seconds(3)))
            let request = Self.registration("plain-on-tls")
            for port in [masterTLSPort, brokerTLSPort] {
                await #expect(throws: RPCError.self) {
                    let _: RegisterResponseM2P = try await plain.call(
                        .producerRegister,
                        request,
                        host: "127.0.0.1",
                        port: port
                    )
                }
                #expect(try Self.garbageIsDropped(port: port))
            }
            await plain.shutdown()

            // The servers go on serving TLS.
            let producer = try await Producer(
                configuration: Self.producerConfiguration(cluster, trusting: stores.caPath)
            )
            try await producer.publish(["t_tls"])
            _ = try await producer.send(.text("after the garbage"), to: "t_tls")
            await producer.shutdown()
        }
    }

    @Test func twoWayAuthRefusesAClientWithoutACertificate() async throws {
        try await Self.withTLSCluster(twoWayAuth: true) { cluster, stores in
            do {
                let producer = try await Producer(
                    configuration: Self.producerConfiguration(cluster, trusting: stores.caPath)
                )
                await producer.shutdown()
                Issue.record("a client without a certificate was let in")
            } catch {
                #expect("\(error)".contains("connectionFailed"), "the handshake failed: \(error)")
            }

            let producer = try await Producer(
                configuration: Self.producerConfiguration(
                    cluster,
                    trusting: stores.caPath,
                    certificate: stores.clientPath
                )
            )
            try await producer.publish(["t_tls"])
            _ = try await producer.send(.text("with a certificate"), to: "t_tls")
            await producer.shutdown()
        }
    }

    @Test func brokersReachTheMasterOverItsTLSPort() async throws {
        let stores = try Self.makeStores()
        defer { try? FileManager.default.removeItem(atPath: stores.directory) }
        func configure(_ link: NIOSSLContext) -> (inout LocalClusterConfiguration, String) -> Void {
            { configuration, _ in
                configuration.tls = TLSSettings(port: 0, keyStorePath: stores.serverPath)
                configuration.masterTLSPort = 0
                configuration.brokerTLSPorts = [0]
                configuration.brokerMasterTLS = link
            }
        }
        // The broker knows only the master's TLS port: the cluster comes up only if it registers
        // and takes its topics over TLS.
        let trusting = try TLSSettings.makeClientContext(trustStorePath: stores.caPath)
        let cluster = try await TestCluster.start(
            topics: [.init(name: "t_link", partitions: 2)],
            configure: configure(trusting)
        )
        do {
            let broker = try #require(cluster.brokers.first)
            #expect(broker.configuration.masterAddresses.map(\.port) == [try #require(cluster.master.tlsPort)])
            let producer = try await Producer(configuration: cluster.producerConfiguration())
            try await producer.publish(["t_link"])
            _ = try await producer.send(.text("over a TLS-registered broker"), to: "t_link")
            await producer.shutdown()
        } catch {
            await cluster.shutdown()
            throw error
        }
        await cluster.shutdown()

        // A broker trusting another CA cannot register: the cluster never serves its topic.
        let untrusting = try TLSSettings.makeClientContext(trustStorePath: stores.otherCAPath)
        do {
            let refused = try await TestCluster.start(
                topics: [.init(name: "t_link", partitions: 2)],
                configure: configure(untrusting)
            )
            await refused.shutdown()
            Issue.record("a broker that does not trust the master's certificate registered")
        } catch {
            #expect("\(error)".contains("within"), "the brokers never came up: \(error)")
        }
    }

    /// Sends bytes that are no TLS record to `port` and reports whether the server closed the
    /// connection (within 10 s).
    static func garbageIsDropped(port: Int) throws -> Bool {
        let fd = try loopbackSocket(port: port)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let garbage = [UInt8](repeating: 0x5A, count: 64) + Array("GET / HTTP/1.0\r\n\r\n".utf8)
        _ = garbage.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var buffer = [UInt8](repeating: 0, count: 512)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { return true }
            if count < 0 { return errno != EAGAIN && errno != EWOULDBLOCK }
        }
    }
}
