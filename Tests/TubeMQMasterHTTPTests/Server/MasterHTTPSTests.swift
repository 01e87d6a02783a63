import Foundation
import NIOCore
import NIOPosix
import Testing
import TubeMQMasterHTTP
import TubeMQRPC
import TubeMQTestKit
import TubeMQWebSupport

@testable import TubeMQMaster

/// The master's webapi and console over HTTPS (`[tlsSetting] webTLSEnable`), beside plain HTTP.
@Suite struct MasterHTTPSTests {
    static let topicQuery = "/webapi.htm?type=op_query&method=admin_query_topic_info"

    @Test func servesTheWebapiAndConsoleOverHTTPSToClientsTrustingTheCA() async throws {
        try await TestCertificates.withStoreFolder { directory in
            let master = try await Master(logger: WebTestSupport.logger)
            let web = try await MasterHTTPServer.start(
                master: master,
                port: 0,
                authToken: WebTestSupport.token,
                tls: TLSSettings(port: 0, keyStorePath: directory + "/server.pem"),
                logger: WebTestSupport.logger
            )
            do {
                let tlsPort = try #require(web.tlsPort)
                #expect(tlsPort != web.port)
                let trusting = try TLSSettings.makeClientContext(trustStorePath: directory + "/ca.pem")
                let query = try await WebFetch.get(
                    host: "127.0.0.1",
                    port: tlsPort,
                    path: Self.topicQuery,
                    tls: trusting
                )
                #expect(query.status == 200)
                #expect(query.body.contains("\"result\":true"), "\(query.body)")
                #expect(query.body.contains("\"errCode\":0"), "\(query.body)")
                let console = try await WebFetch.get(host: "127.0.0.1", port: tlsPort, path: "/", tls: trusting)
                #expect(console.status == 200)
                #expect(console.body.lowercased().contains("<html"), "the console page")

                // A client trusting another CA does not get an answer.
                let other = try TLSSettings.makeClientContext(trustStorePath: directory + "/other.pem")
                await #expect(throws: WebServerError.self) {
                    _ = try await WebFetch.get(host: "127.0.0.1", port: tlsPort, path: Self.topicQuery, tls: other)
                }
                // Plain HTTP and garbage on the HTTPS port are dropped; the server keeps serving.
                await #expect(throws: WebServerError.self) {
                    _ = try await WebFetch.get(
                        host: "127.0.0.1",
                        port: tlsPort,
                        path: Self.topicQuery,
                        tls: nil,
                        timeoutMilliseconds: 5_000
                    )
                }
                try await Self.sendGarbage(port: tlsPort)
                let again = try await WebFetch.get(
                    host: "127.0.0.1",
                    port: tlsPort,
                    path: Self.topicQuery,
                    tls: trusting
                )
                #expect(again.status == 200 && again.body.contains("\"result\":true"))
                // The plain port still answers plain HTTP.
                let plain = try await WebFetch.get(host: "127.0.0.1", port: web.port, path: Self.topicQuery, tls: nil)
                #expect(plain.status == 200 && plain.body.contains("\"result\":true"))
            } catch {
                await web.shutdown()
                await master.shutdown()
                throw error
            }
            await web.shutdown()
            await master.shutdown()
        }
    }

    @Test func twoWayAuthRefusesAClientWithoutACertificate() async throws {
        try await TestCertificates.withStoreFolder { directory in
            let master = try await Master(logger: WebTestSupport.logger)
            let settings = TLSSettings(
                port: 0,
                keyStorePath: directory + "/server.pem",
                twoWayAuth: true,
                trustStorePath: directory + "/ca.pem"
            )
            let web = try await MasterHTTPServer.start(
                master: master,
                port: 0,
                tls: settings,
                logger: WebTestSupport.logger
            )
            do {
                let tlsPort = try #require(web.tlsPort)
                let anonymous = try TLSSettings.makeClientContext(trustStorePath: directory + "/ca.pem")
                await #expect(throws: WebServerError.self) {
                    _ = try await WebFetch.get(host: "127.0.0.1", port: tlsPort, path: Self.topicQuery, tls: anonymous)
                }
                // The server's certificate was issued by the CA: presented as a client one, it is accepted.
                let identified = try TLSSettings.makeClientContext(
                    trustStorePath: directory + "/ca.pem",
                    keyStorePath: directory + "/server.pem"
                )
                let answer = try await WebFetch.get(
                    host: "127.0.0.1",
                    port: tlsPort,
                    path: Self.topicQuery,
                    tls: identified
                )
                #expect(answer.status == 200 && answer.body.contains("\"result\":true"), "\(answer.body)")
            } catch {
                await web.shutdown()
                await master.shutdown()
                throw error
            }
            await web.shutdown()
            await master.shutdown()
        }
    }

    @Test func aStandbyRedirectsHTTPSRequestsToTheActiveMastersHTTPSPort() async throws {
        try await TestCertificates.withStoreFolder { directory in
            let role = MasterRole()
            let web = try await MasterHTTPServer.start(
                role: role,
                port: 0,
                tls: TLSSettings(port: 0, keyStorePath: directory + "/server.pem"),
                logger: WebTestSupport.logger
            )
            do {
                let tlsPort = try #require(web.tlsPort)
                let trusting = try TLSSettings.makeClientContext(trustStorePath: directory + "/ca.pem")
                let unknown = try await WebFetch.get(
                    host: "127.0.0.1",
                    port: tlsPort,
                    path: Self.topicQuery,
                    tls: trusting
                )
                #expect(unknown.body.contains(HAMasterService.standbyMessage), "\(unknown.body)")
                role.setActive(MasterRole.Address(host: "10.9.8.7", port: 8715, webPort: 8080))
                let overTLS = try await WebFetch.get(
                    host: "127.0.0.1",
                    port: tlsPort,
                    path: Self.topicQuery,
                    tls: trusting
                )
                #expect(overTLS.status == 302)
                #expect(overTLS.location == "https://10.9.8.7:\(tlsPort)\(Self.topicQuery)")
                let plain = try await WebFetch.get(host: "127.0.0.1", port: web.port, path: Self.topicQuery, tls: nil)
                #expect(plain.status == 302)
                #expect(plain.location == "http://10.9.8.7:8080\(Self.topicQuery)")
            } catch {
                await web.shutdown()
                throw error
            }
            await web.shutdown()
        }
    }

    @Test func anUnusableKeyStoreIsRefusedBeforeAnythingIsBound() async throws {
        let master = try await Master(logger: WebTestSupport.logger)
        await #expect(throws: WebServerError.self) {
            _ = try await MasterHTTPServer.start(
                master: master,
                port: 0,
                tls: TLSSettings(port: 0, keyStorePath: "/nonexistent/server.pem"),
                logger: WebTestSupport.logger
            )
        }
        await master.shutdown()
    }

    /// Writes bytes that are neither TLS nor HTTP to `port` and waits until the server closes.
    static func sendGarbage(port: Int) async throws {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port).get()
        try await channel.writeAndFlush(ByteBuffer(bytes: Array(repeating: 0x5A, count: 64) + [0, 1, 2, 255])).get()
        let closed = channel.closeFuture
        let deadline = channel.eventLoop.scheduleTask(in: .seconds(20)) { channel.close(promise: nil) }
        try await closed.get()
        deadline.cancel()
    }
}
