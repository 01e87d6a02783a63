public import Logging
public import TubeMQBroker
public import TubeMQWebSupport

/// The broker's own HTTP webapi (`http://host:webPort/broker.htm?method=admin_…`): a consumer
/// group's offsets on this broker, queried and moved by offset or by time (admin-api.md §5.6), and
/// `/metrics` in the Prometheus text format (`docs/metrics.md`).
public final class BrokerHTTPServer: Sendable {
    /// The default web port (`[broker] webPort`).
    public static let defaultPort = 8081

    private let server: WebServer

    /// The bound port (the real one when port 0 was asked for).
    public var port: Int { server.port }

    private init(server: WebServer) {
        self.server = server
    }

    /// Starts serving the webapi of `broker` on `host:port`.
    ///
    /// - Parameters:
    ///   - broker: the broker whose offsets the methods read and move.
    ///   - host: the address to bind.
    ///   - port: the port to bind; 0 picks a free one (see ``port``).
    ///   - adminToken: the `confModAuthToken` the offset-moving methods need; `nil` checks none.
    ///   - logger: where the HTTP server logs.
    /// - Throws: ``TubeMQWebSupport/WebServerError`` when the address cannot be bound.
    public static func start(
        broker: BrokerServer,
        host: String = "127.0.0.1",
        port: Int = BrokerHTTPServer.defaultPort,
        adminToken: String? = nil,
        logger: Logger
    ) async throws(WebServerError) -> BrokerHTTPServer {
        let api = BrokerWebAPI(broker: broker, adminToken: adminToken)
        let server = try await WebServer.start(host: host, port: port, logger: logger) { request in
            if request.path == WebReply.metricsPath { return .metrics(await broker.metricsText()) }
            return await api.handle(request)
        }
        logger.info("broker webapi serving", metadata: ["tubemq.address": "\(host):\(server.port)"])
        return BrokerHTTPServer(server: server)
    }

    /// Starts the `[prometheus] promHttpPort` listener of `broker`: only `/metrics` (the same text
    /// as the web port's `/metrics`).
    ///
    /// - Throws: ``TubeMQWebSupport/WebServerError`` when the address cannot be bound.
    public static func startPrometheus(
        broker: BrokerServer,
        host: String = "127.0.0.1",
        port: Int,
        logger: Logger
    ) async throws(WebServerError) -> BrokerHTTPServer {
        let server = try await WebServer.startMetrics(host: host, port: port, logger: logger) {
            await broker.metricsText()
        }
        logger.info("broker metrics serving", metadata: ["tubemq.address": "\(host):\(server.port)/metrics"])
        return BrokerHTTPServer(server: server)
    }

    /// Stops serving; in-flight requests finish first. Calling it again does nothing.
    public func shutdown() async {
        await server.shutdown()
    }
}
