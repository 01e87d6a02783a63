public import Logging
public import TubeMQBroker
public import TubeMQRPC
public import TubeMQWebSupport

/// The broker's own HTTP webapi (`http://host:webPort/broker.htm?method=admin_…`): a consumer
/// group's offsets on this broker, queried, moved by offset or by time and backed up; its consumers,
/// stores, newest messages and statistics (admin-api.md §5.6, `docs/admin-webapi.md`); and
/// `/metrics` in the Prometheus text format (`docs/metrics.md`).
public final class BrokerHTTPServer: Sendable {
    /// The default web port (`[broker] webPort`).
    public static let defaultPort = 8081

    private let server: WebServer
    private let secure: WebServer?

    /// The bound port (the real one when port 0 was asked for).
    public var port: Int { server.port }
    /// The bound HTTPS port, when the webapi is also served over HTTPS (`webTLSEnable`).
    public var tlsPort: Int? { secure?.port }

    private init(server: WebServer, secure: WebServer? = nil) {
        self.server = server
        self.secure = secure
    }

    /// Starts serving the webapi of `broker` on `host:port`.
    ///
    /// - Parameters:
    ///   - broker: the broker whose offsets the methods read and move.
    ///   - host: the address to bind.
    ///   - port: the port to bind; 0 picks a free one (see ``port``).
    ///   - adminToken: the `confModAuthToken` the state-changing methods need (offset moves and
    ///     removals, offset backups, statistics switches); `nil` checks none.
    ///   - tls: also serve the webapi over HTTPS on `tls.port` (0 picks a free one, see ``tlsPort``)
    ///     with this key store (and its client-certificate check under two-way auth).
    ///   - logger: where the HTTP server logs.
    /// - Throws: ``TubeMQWebSupport/WebServerError`` when an address cannot be bound or the key store
    ///   cannot be used.
    public static func start(
        broker: BrokerServer,
        host: String = "127.0.0.1",
        port: Int = BrokerHTTPServer.defaultPort,
        adminToken: String? = nil,
        tls: TLSSettings? = nil,
        logger: Logger
    ) async throws(WebServerError) -> BrokerHTTPServer {
        let api = BrokerWebAPI(broker: broker, adminToken: adminToken)
        let pair = try await WebServerPair.start(
            host: host,
            port: port,
            tls: tls.map { tls in (tls.port, { try tls.makeServerConfiguration() }) },
            logger: logger
        ) { request, _ in
            if request.path == WebReply.metricsPath { return .metrics(await broker.metricsText()) }
            return await api.handle(request)
        }
        logger.info("broker webapi serving", metadata: ["tubemq.address": "\(host):\(pair.plain.port)"])
        if let secure = pair.secure {
            logger.info("broker webapi serving HTTPS", metadata: ["tubemq.address": "\(host):\(secure.port)"])
        }
        return BrokerHTTPServer(server: pair.plain, secure: pair.secure)
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
        await secure?.shutdown()
    }
}
