package import Logging
package import NIOSSL

/// A webapi served over HTTP and, when a key store is configured, over HTTPS beside it (`[tlsSetting]
/// webTLSEnable`), both with one handler.
package struct WebServerPair: Sendable {
    /// The HTTP listener.
    package let plain: WebServer
    /// The HTTPS listener, when one was asked for.
    package let secure: WebServer?

    /// Serves `handler` on `host:port` over HTTP and, with `tls`, on `host:tls.port` over HTTPS with
    /// the configuration `tls.configuration` makes (from a key store); `handler` is told whether the
    /// request came over HTTPS. When the second listener cannot start, the first is stopped again.
    ///
    /// - Throws: ``WebServerError`` when an address cannot be bound or the TLS configuration cannot
    ///   be made or used.
    package static func start(
        host: String,
        port: Int,
        tls: (port: Int, configuration: () throws -> TLSConfiguration)?,
        logger: Logger,
        handler: @escaping @Sendable (WebRequest, _ overTLS: Bool) async -> WebReply
    ) async throws(WebServerError) -> WebServerPair {
        var configuration: TLSConfiguration?
        if let tls {
            do {
                configuration = try tls.configuration()
            } catch {
                throw WebServerError(message: "cannot serve HTTPS on \(host):\(tls.port): \(error)")
            }
        }
        let plain = try await WebServer.start(host: host, port: port, logger: logger) { await handler($0, false) }
        guard let tls, let configuration else { return WebServerPair(plain: plain, secure: nil) }
        do throws(WebServerError) {
            let secure = try await WebServer.start(
                host: host,
                port: tls.port,
                tls: configuration,
                logger: logger
            ) { await handler($0, true) }
            return WebServerPair(plain: plain, secure: secure)
        } catch {
            await plain.shutdown()
            throw error
        }
    }

    /// Stops both listeners; in-flight requests finish first.
    package func shutdown() async {
        await plain.shutdown()
        await secure?.shutdown()
    }
}
