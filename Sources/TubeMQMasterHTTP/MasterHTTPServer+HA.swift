public import Logging
public import TubeMQMaster
public import TubeMQWebSupport

extension MasterHTTPServer {
    /// Starts the webapi of a master in an HA group: while it is the active one it serves as
    /// ``start(master:host:port:authToken:logger:)`` does; as a standby it redirects (302) to the
    /// active master's `http://host:webPort` with the same path and query (admin-api.md §1), or,
    /// when no active master is known, answers "Please send your request to the master Node.".
    ///
    /// - Throws: ``TubeMQWebSupport/WebServerError`` when the address cannot be bound.
    public static func start(
        role: MasterRole,
        host: String = "127.0.0.1",
        port: Int = MasterHTTPServer.defaultPort,
        authToken: String = MasterHTTPServer.defaultAuthToken,
        logger: Logger
    ) async throws(WebServerError) -> MasterHTTPServer {
        let gauge = MasterRoleGauge()
        let server = try await WebServer.start(host: host, port: port, logger: logger) { request in
            if request.path == WebReply.metricsPath {
                // Every master answers for itself: a standby does not redirect its metrics.
                let master = role.master
                let text = await master?.metricsText() ?? ""
                return .metrics(gauge.text(isActive: master != nil) + text)
            }
            if let master = role.master {
                return await MasterWebAPI(master: master, authToken: authToken).handle(request)
            }
            guard let active = role.activeAddress else {
                return WebReply(json: Envelope.dispatchFailure(HAMasterService.standbyMessage))
            }
            let query = request.query.map { "?" + $0 } ?? ""
            return .redirect(to: "http://\(active.host):\(active.webPort)\(request.path)\(query)")
        }
        logger.info("master webapi serving (HA)", metadata: ["tubemq.address": "\(host):\(server.port)"])
        return MasterHTTPServer(haServer: server)
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
        return MasterHTTPServer(haServer: server)
    }
}
