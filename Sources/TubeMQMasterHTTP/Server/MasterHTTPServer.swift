public import Logging
import NIOSSL
public import TubeMQMaster
public import TubeMQRPC
public import TubeMQWebSupport

/// The master's HTTP admin webapi (`http://host:webPort/webapi.htm?type=op_query&method=admin_…`),
/// serving the methods of admin-api.md §5 that this master implements against a running
/// ``TubeMQMaster/Master``.
///
/// ```swift
/// let web = try await MasterHTTPServer.start(master: server.master, port: 8080, authToken: "abc", logger: logger)
/// // curl 'http://127.0.0.1:8080/webapi.htm?type=op_query&method=admin_query_broker_configure'
/// await web.shutdown()
/// ```
public final class MasterHTTPServer: Sendable {
    /// The default web port (`[master] webPort`).
    public static let defaultPort = 8080
    /// The default modify token (`[master] confModAuthToken`).
    public static let defaultAuthToken = "ASDFGHJKL"

    private let server: WebServer
    private let secure: WebServer?

    /// The bound port (the real one when port 0 was asked for).
    public var port: Int { server.port }
    /// The bound HTTPS port, when the webapi is also served over HTTPS.
    public var tlsPort: Int? { secure?.port }

    private init(server: WebServer, secure: WebServer?) {
        self.server = server
        self.secure = secure
    }

    init(haServer server: WebServer, secure: WebServer?) {
        self.server = server
        self.secure = secure
    }

    /// Serves `handler` over HTTP on `host:port` and, with `tls`, over HTTPS on `host:tls.port` with
    /// its key store (and its client-certificate check under two-way auth).
    static func listen(
        host: String,
        port: Int,
        tls: TLSSettings?,
        logger: Logger,
        handler: @escaping @Sendable (WebRequest, _ overTLS: Bool) async -> WebReply
    ) async throws(WebServerError) -> (WebServer, WebServer?) {
        let pair = try await WebServerPair.start(
            host: host,
            port: port,
            tls: tls.map { tls in (tls.port, { try tls.makeServerConfiguration() }) },
            logger: logger,
            handler: handler
        )
        return (pair.plain, pair.secure)
    }

    /// Starts serving the webapi of `master` on `host:port`.
    ///
    /// - Parameters:
    ///   - master: the master the methods read and change.
    ///   - host: the address to bind.
    ///   - port: the port to bind; 0 picks a free one (see ``port``).
    ///   - authToken: the `confModAuthToken` modify methods must carry.
    ///   - security: the users and topic grants the authorisation methods manage.
    ///   - tls: also serve the webapi and the console over HTTPS on `tls.port` (0 picks a free one,
    ///     see ``tlsPort``) with this key store.
    ///   - logger: where the HTTP server logs.
    /// - Throws: ``TubeMQWebSupport/WebServerError`` when an address cannot be bound or the key store
    ///   cannot be used.
    public static func start(
        master: Master,
        host: String = "127.0.0.1",
        port: Int = MasterHTTPServer.defaultPort,
        authToken: String = MasterHTTPServer.defaultAuthToken,
        security: MasterSecurity? = nil,
        tls: TLSSettings? = nil,
        logger: Logger
    ) async throws(WebServerError) -> MasterHTTPServer {
        let api = MasterWebAPI(master: master, authToken: authToken, security: security, logger: logger)
        let proxy = BrokerWebProxy(master: master)
        let role = MasterRoleGauge()
        let (server, secure) = try await listen(host: host, port: port, tls: tls, logger: logger) { request, _ in
            if request.path == WebReply.metricsPath {
                let text = await master.metricsText()
                return .metrics(role.text(isActive: true) + text)
            }
            // The web console (`/`, `/assets/…`), broker offset calls for it, then the webapi.
            if let page = Console.reply(for: request.path) { return page }
            if request.path == BrokerWebProxy.path { return await proxy.handle(request) }
            return await api.handle(request)
        }
        logger.info("master webapi serving", metadata: ["tubemq.address": "\(host):\(server.port)"])
        if let secure {
            logger.info("master webapi serving HTTPS", metadata: ["tubemq.address": "\(host):\(secure.port)"])
        }
        return MasterHTTPServer(server: server, secure: secure)
    }

    /// Starts the `[prometheus] promHttpPort` listener of `master`: only `/metrics` (the same text
    /// as the web port's `/metrics`).
    ///
    /// - Throws: ``TubeMQWebSupport/WebServerError`` when the address cannot be bound.
    public static func startPrometheus(
        master: Master,
        host: String = "127.0.0.1",
        port: Int,
        logger: Logger
    ) async throws(WebServerError) -> MasterHTTPServer {
        let role = MasterRoleGauge()
        let server = try await WebServer.startMetrics(host: host, port: port, logger: logger) {
            let text = await master.metricsText()
            return role.text(isActive: true) + text
        }
        logger.info("master metrics serving", metadata: ["tubemq.address": "\(host):\(server.port)/metrics"])
        return MasterHTTPServer(server: server, secure: nil)
    }

    /// Stops serving; in-flight requests finish first. Calling it again does nothing.
    public func shutdown() async {
        await secure?.shutdown()
        await server.shutdown()
    }
}
