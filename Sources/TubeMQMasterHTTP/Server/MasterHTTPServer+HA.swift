public import Logging
import Synchronization
public import TubeMQMaster
public import TubeMQRPC
public import TubeMQWebSupport

extension MasterHTTPServer {
    /// Starts the webapi and console of a master in an HA group: while it is the active one it serves as
    /// ``start(master:host:port:authToken:logger:)`` does (its security methods managing `security`'s
    /// users and grants); as a standby it redirects (302) to the
    /// active master's `http://host:webPort` with the same path and query (admin-api.md §1), or,
    /// when no active master is known, answers "Please send your request to the master Node.".
    ///
    /// With `tls` it also serves over HTTPS on `tls.port`; a standby redirects HTTPS requests to
    /// `https://activeHost:<its own HTTPS port>` (the masters of a group serve HTTPS on the same port).
    ///
    /// - Throws: ``TubeMQWebSupport/WebServerError`` when an address cannot be bound or the key
    ///   store cannot be used.
    public static func start(
        role: MasterRole,
        host: String = "127.0.0.1",
        port: Int = MasterHTTPServer.defaultPort,
        authToken: String = MasterHTTPServer.defaultAuthToken,
        security: MasterSecurity? = nil,
        tls: TLSSettings? = nil,
        logger: Logger
    ) async throws(WebServerError) -> MasterHTTPServer {
        let gauge = MasterRoleGauge()
        // The bound HTTPS port (known once bound when 0 was asked for).
        let httpsPort = BoundPort(tls?.port ?? 0)
        let (server, secure) = try await listen(host: host, port: port, tls: tls, logger: logger) { request, overTLS in
            if request.path == WebReply.metricsPath {
                // Every master answers for itself: a standby does not redirect its metrics.
                let master = role.master
                let text = await master?.metricsText() ?? ""
                return .metrics(gauge.text(isActive: master != nil) + text)
            }
            if let master = role.master {
                // The active master: the console, its broker offset calls, then the webapi.
                if let page = Console.reply(for: request.path) { return page }
                if request.path == BrokerWebProxy.path { return await BrokerWebProxy(master: master).handle(request) }
                return await MasterWebAPI(
                    master: master,
                    authToken: authToken,
                    security: security,
                    role: role,
                    logger: logger
                )
                .handle(request)
            }
            if Console.pagePaths.contains(request.path) {
                // A standby's console says so and links to the active master's.
                let active = role.activeAddress.map { "http://\($0.host):\($0.webPort)/" }
                return WebReply(body: ConsoleStandbyPage.text(active: active), contentType: "text/html;charset=UTF-8")
            }
            if request.path.hasPrefix("/assets/"), let asset = Console.reply(for: request.path) { return asset }
            guard let active = role.activeAddress else {
                return WebReply(json: Envelope.dispatchFailure(HAMasterService.standbyMessage))
            }
            let query = request.query.map { "?" + $0 } ?? ""
            if overTLS {
                // The active master's HTTPS port as it advertised it; a master that did not (an older
                // one) is assumed to use the same port as this one.
                let port = active.webTLSPort ?? httpsPort.value.withLock { $0 }
                return .redirect(to: "https://\(active.host):\(port)\(request.path)\(query)")
            }
            return .redirect(to: "http://\(active.host):\(active.webPort)\(request.path)\(query)")
        }
        logger.info("master webapi serving (HA)", metadata: ["tubemq.address": "\(host):\(server.port)"])
        if let secure {
            httpsPort.value.withLock { $0 = secure.port }
            logger.info("master webapi serving HTTPS (HA)", metadata: ["tubemq.address": "\(host):\(secure.port)"])
        }
        return MasterHTTPServer(haServer: server, secure: secure)
    }

    /// Starts the `[prometheus] promHttpPort` listener of a master in an HA group: only `/metrics`,
    /// its role, and the active master's metrics while it is the active one.
    ///
    /// - Throws: ``TubeMQWebSupport/WebServerError`` when the address cannot be bound.
    public static func startPrometheus(
        role: MasterRole,
        host: String = "127.0.0.1",
        port: Int,
        logger: Logger
    ) async throws(WebServerError) -> MasterHTTPServer {
        let gauge = MasterRoleGauge()
        let server = try await WebServer.startMetrics(host: host, port: port, logger: logger) {
            let master = role.master
            let text = await master?.metricsText() ?? ""
            return gauge.text(isActive: master != nil) + text
        }
        logger.info("master metrics serving (HA)", metadata: ["tubemq.address": "\(host):\(server.port)/metrics"])
        return MasterHTTPServer(haServer: server, secure: nil)
    }
}

/// A port learnt once its listener is bound, read by the handlers already serving.
private final class BoundPort: Sendable {
    let value: Mutex<Int>
    init(_ port: Int) { value = Mutex(port) }
}
