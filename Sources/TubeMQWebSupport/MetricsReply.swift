package import Logging

extension WebReply {
    /// The path metrics are served on, on the web port and on `[prometheus] promHttpPort`.
    package static let metricsPath = "/metrics"

    /// `Content-Type` of the Prometheus text format.
    package static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

    /// A `/metrics` reply: `text` in the Prometheus text format, readable from any origin.
    package static func metrics(_ text: String) -> WebReply {
        var reply = WebReply(body: text, contentType: metricsContentType)
        reply.allowsAnyOrigin = true
        return reply
    }
}

extension WebServer {
    /// Starts the `[prometheus] promHttpPort` listener: `/metrics` answers `render()`, any other
    /// path 404.
    ///
    /// - Throws: ``WebServerError`` when the address cannot be bound.
    package static func startMetrics(
        host: String,
        port: Int,
        logger: Logger,
        render: @escaping @Sendable () async -> String
    ) async throws(WebServerError) -> WebServer {
        try await start(host: host, port: port, logger: logger) { request in
            guard request.path == WebReply.metricsPath else { return .notFound }
            return .metrics(await render())
        }
    }
}
