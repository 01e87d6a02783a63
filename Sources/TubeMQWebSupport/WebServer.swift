import Hummingbird
import HummingbirdCore
import HummingbirdTLS
package import Logging
import NIOCore
package import NIOSSL
import ServiceLifecycle
import TubeMQCore

/// A running HTTP listener that hands every request, whatever its path or verb, to one handler.
///
/// It runs a Hummingbird application in its own `ServiceGroup`; ``shutdown()`` triggers the
/// group's graceful shutdown (in-flight requests finish) and waits for it.
package final class WebServer: Sendable {
    /// The largest form body accepted (the Java server's multipart limit).
    package static let maxBodySize = 64 << 20

    /// How long a connection may stay without a request before it is closed: a browser's keep-alive
    /// connection, or one whose TLS handshake never finishes.
    static let idleTimeout: TimeAmount = .seconds(60)
    /// The most connections served at once; more are closed as soon as they are accepted.
    package static let maxConnections = 1_000

    /// The bound port (the real one when port 0 was asked for).
    package let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.group = group
        self.task = task
    }

    /// Binds `host:port` (0 picks a free port) and starts serving `handler`, over HTTPS when `tls`
    /// is given (a client that does not complete the handshake, plain HTTP included, is dropped).
    ///
    /// Returns once the listener is bound.
    /// - Throws: ``WebServerError`` when the address cannot be bound or `tls` cannot be used.
    package static func start(
        host: String,
        port: Int,
        tls: TLSConfiguration? = nil,
        maxConnections: Int = WebServer.maxConnections,
        logger: Logger,
        handler: @escaping @Sendable (WebRequest) async -> WebReply
    ) async throws(WebServerError) -> WebServer {
        let scheme = tls == nil ? "HTTP" : "HTTPS"
        if let tls {
            // Checked here, so that a bad configuration fails the start rather than each connection.
            do {
                _ = try NIOSSLContext(configuration: tls)
            } catch {
                throw WebServerError(message: "cannot serve HTTPS on \(host):\(port): \(error)")
            }
        }
        let open = OpenConnectionCount()
        let server = HTTPServerBuilder { responder in
            // A connection idle that long (a TLS handshake never finished included) is closed.
            let http = HTTP1Channel(responder: responder, configuration: .init(idleTimeout: WebServer.idleTimeout))
            if let tls {
                return ConnectionCap(
                    base: try TLSChannel(http, tlsConfiguration: tls),
                    limit: maxConnections,
                    open: open
                )
            }
            return ConnectionCap(base: http, limit: maxConnections, open: open)
        }
        let (bound, boundContinuation) = AsyncStream<Int>.makeStream()
        let application = Application(
            responder: WebResponder(handler: handler),
            server: server,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port)),
            onServerRunning: { channel in
                boundContinuation.yield(channel.localAddress?.port ?? port)
                boundContinuation.finish()
            },
            logger: logger
        )
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [application], logger: logger))
        let task = Task {
            defer { boundContinuation.finish() }
            try await group.run()
        }
        var iterator = bound.makeAsyncIterator()
        guard let actual = await iterator.next() else {
            let reason: String
            switch await task.result {
            case .failure(let error): reason = SystemErrorText.of(error)
            case .success: reason = "the server stopped before it was bound"
            }
            throw WebServerError(message: "cannot serve \(scheme) on \(host):\(port): \(reason)")
        }
        return WebServer(port: actual, group: group, task: task)
    }

    /// Stops accepting connections, lets in-flight requests finish, and waits until the server is
    /// gone. Calling it again does nothing.
    package func shutdown() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}

/// The HTTP server could not start.
public struct WebServerError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var message: String

    /// Creates an error.
    public init(message: String) { self.message = message }

    public var description: String { message }
}

/// Reads the parameters of every request (query string, then a form-encoded body) and calls the
/// handler.
struct WebResponder: HTTPResponder {
    typealias Context = WebRequestContext

    let handler: @Sendable (WebRequest) async -> WebReply

    func respond(to request: Request, context: Context) async throws -> Response {
        var request = request
        var values: [String: String] = [:]
        if let query = request.uri.query {
            FormDecoding.parameters(Substring(query), into: &values)
        }
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        if contentType.hasPrefix("application/x-www-form-urlencoded") {
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: WebServer.maxBodySize)
            } catch {
                // Too large (or cut off): a JSON refusal like every other, not an empty 500.
                let refusal = Envelope.failure("request body over \(WebServer.maxBodySize) bytes, or cut off")
                var headers = HTTPFields()
                headers[.contentType] = WebReply.jsonContentType
                return Response(
                    status: .contentTooLarge,
                    headers: headers,
                    body: ResponseBody(byteBuffer: ByteBuffer(string: refusal.text))
                )
            }
            FormDecoding.parameters(Substring(String(buffer: body)), into: &values)
        }
        let path = FormDecoding.decode(Substring(request.uri.path), plusIsSpace: false)
        let peer = context.remoteAddress.map { address in
            address.ipAddress.map { "\($0):\(address.port ?? 0)" } ?? "\(address)"
        }
        let reply = await handler(
            WebRequest(path: path, parameters: WebParameters(values), query: request.uri.query, peer: peer)
        )
        var headers = HTTPFields()
        headers[.contentType] = reply.contentType
        if let location = reply.location { headers[.location] = location }
        if reply.allowsAnyOrigin { headers[.accessControlAllowOrigin] = "*" }
        return Response(
            status: HTTPResponse.Status(code: reply.status),
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: reply.body))
        )
    }
}

/// Hummingbird's basic request context plus the caller's address.
struct WebRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The peer of the request's connection.
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
