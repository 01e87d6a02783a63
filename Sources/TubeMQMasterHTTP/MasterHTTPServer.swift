public import Logging
public import TubeMQMaster
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

    /// The bound port (the real one when port 0 was asked for).
    public var port: Int { server.port }

    private init(server: WebServer) {
        self.server = server
    }

    init(haServer server: WebServer) {
        self.server = server
    }

    /// Starts serving the webapi of `master` on `host:port`.
    ///
    /// - Parameters:
    ///   - master: the master the methods read and change.
    ///   - host: the address to bind.
    ///   - port: the port to bind; 0 picks a free one (see ``port``).
    ///   - authToken: the `confModAuthToken` modify methods must carry.
    ///   - logger: where the HTTP server logs.
    /// - Throws: ``TubeMQWebSupport/WebServerError`` when the address cannot be bound.
    public static func start(
        master: Master,
        host: String = "127.0.0.1",
        port: Int = MasterHTTPServer.defaultPort,
        authToken: String = MasterHTTPServer.defaultAuthToken,
        security: MasterSecurity? = nil,
        logger: Logger
    ) async throws(WebServerError) -> MasterHTTPServer {
        let api = MasterWebAPI(master: master, authToken: authToken, security: security)
        let proxy = BrokerWebProxy(master: master)
        let role = MasterRoleGauge()
        let server = try await WebServer.start(host: host, port: port, logger: logger) { request in
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
        return MasterHTTPServer(server: server)
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
        return MasterHTTPServer(server: server)
    }

    /// Stops serving; in-flight requests finish first. Calling it again does nothing.
    public func shutdown() async {
        await server.shutdown()
    }
}
