import Foundation
import SystemPackage
import Testing
import TubeMQBroker
import TubeMQBrokerHTTP
import TubeMQRPC
import TubeMQTestKit
import TubeMQWebSupport

/// The broker's webapi over HTTPS (`[tlsSetting] webTLSEnable`), beside plain HTTP.
@Suite struct BrokerHTTPSTests {
    static let offsetQuery = "/broker.htm?method=admin_query_group_offset&groupName=g1"

    @Test func servesTheWebapiOverHTTPSToClientsTrustingTheCA() async throws {
        try await TestCertificates.withStoreFolder { directory in try await Self.serve(directory) }
    }

    static func serve(_ directory: String) async throws {
        let broker = try await BrokerServer.start(
            configuration: BrokerConfiguration(
                brokerID: 1,
                port: 0,
                dataDirectory: FilePath(directory + "/data"),
                io: .posix
            ),
            topics: [BrokerTopic(name: "t1", partitionsPerStore: 1)],
            logger: BrokerFixture.logger
        )
        let web = try await BrokerHTTPServer.start(
            broker: broker,
            port: 0,
            adminToken: "tok",
            tls: TLSSettings(port: 0, keyStorePath: directory + "/server.pem"),
            logger: BrokerFixture.logger
        )
        do {
            let tlsPort = try #require(web.tlsPort)
            #expect(tlsPort != web.port)
            let trusting = try TLSSettings.makeClientContext(trustStorePath: directory + "/ca.pem")
            let secure = try await WebFetch.get(host: "127.0.0.1", port: tlsPort, path: offsetQuery, tls: trusting)
            let plain = try await WebFetch.get(host: "127.0.0.1", port: web.port, path: offsetQuery, tls: nil)
            #expect(secure.status == 200)
            #expect(secure.body.contains("\"result\":true"), "\(secure.body)")
            #expect(secure.body == plain.body)
            // A state-changing call still needs the token over HTTPS.
            let refused = try await WebFetch.get(
                host: "127.0.0.1",
                port: tlsPort,
                path: "/broker.htm?method=admin_rmv_offset&groupName=g1&topicName=t1",
                tls: trusting
            )
            #expect(refused.body.contains("\"result\":false"), "\(refused.body)")
            // A client trusting another CA, and plain HTTP on the HTTPS port, get no answer.
            let other = try TLSSettings.makeClientContext(trustStorePath: directory + "/other.pem")
            await #expect(throws: WebServerError.self) {
                _ = try await WebFetch.get(host: "127.0.0.1", port: tlsPort, path: offsetQuery, tls: other)
            }
            await #expect(throws: WebServerError.self) {
                _ = try await WebFetch.get(
                    host: "127.0.0.1",
                    port: tlsPort,
                    path: offsetQuery,
                    tls: nil,
                    timeoutMilliseconds: 5_000
                )
            }
            let again = try await WebFetch.get(host: "127.0.0.1", port: tlsPort, path: offsetQuery, tls: trusting)
            #expect(again.status == 200)
        } catch {
            await web.shutdown()
            await broker.shutdown()
            throw error
        }
        await web.shutdown()
        await broker.shutdown()
    }
}
