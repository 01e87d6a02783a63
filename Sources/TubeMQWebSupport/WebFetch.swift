import NIOCore
import NIOHTTP1
import NIOPosix
package import NIOSSL

/// A one-shot HTTP/1.1 client for the webapis of other servers (the master forwarding the console's
/// offset calls to a broker, the CLI calling an HTTPS webapi): one request per connection, the whole
/// body collected; over TLS when given a client context.
package enum WebFetch {
    /// The answer: status and body text.
    package struct Response: Sendable {
        /// The HTTP status code.
        package var status: Int
        /// The body, as UTF-8.
        package var body: String
        /// The `Location` header (a redirect), if any.
        package var location: String? = nil
    }

    /// The largest body accepted.
    package static let maxBodySize = 8 << 20

    /// POSTs `form` (already `application/x-www-form-urlencoded`) to `http://host:port/path`.
    ///
    /// - Throws: ``WebServerError`` when the server cannot be reached, closes early, answers with
    ///   something that is not HTTP, sends more than ``maxBodySize``, or takes longer than `timeoutMilliseconds`.
    package static func post(
        host: String,
        port: Int,
        path: String,
        form: String,
        timeoutMilliseconds: Int64 = 10_000
    ) async throws(WebServerError) -> Response {
        try await send(
            .POST,
            host: host,
            port: port,
            path: path,
            form: form,
            tls: nil,
            timeoutMilliseconds: timeoutMilliseconds
        )
    }

    /// GETs `path` (with its query) from `host:port`, over HTTPS when `tls` is given (the server's
    /// certificate is checked against `host` as the context says).
    ///
    /// - Throws: ``WebServerError`` as ``post(host:port:path:form:timeoutMilliseconds:)`` does, and
    ///   when the TLS handshake fails (an untrusted certificate, a server that does not speak TLS).
    package static func get(
        host: String,
        port: Int,
        path: String,
        tls: NIOSSLContext?,
        timeoutMilliseconds: Int64 = 10_000
    ) async throws(WebServerError) -> Response {
        try await send(
            .GET,
            host: host,
            port: port,
            path: path,
            form: nil,
            tls: tls,
            timeoutMilliseconds: timeoutMilliseconds
        )
    }

    private static func send(
        _ method: HTTPMethod,
        host: String,
        port: Int,
        path: String,
        form: String?,
        tls: NIOSSLContext?,
        timeoutMilliseconds: Int64
    ) async throws(WebServerError) -> Response {
        let timeout = TimeAmount.milliseconds(timeoutMilliseconds)
        let group = MultiThreadedEventLoopGroup.singleton
        let promise = group.next().makePromise(of: Response.self)
        do {
            // SNI carries names only; an IP address is checked without it.
            let isAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
            let channel = try await ClientBootstrap(group: group)
                .connectTimeout(timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls {
                            let handler = try NIOSSLClientHandler(context: tls, serverHostname: isAddress ? nil : host)
                            try channel.pipeline.syncOperations.addHandler(handler)
                        }
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(ResponseCollector(promise: promise))
                    }
                }
                .connect(host: host, port: port).get()
            var headers = HTTPHeaders()
            headers.add(name: "Host", value: "\(host):\(port)")
            if let form {
                headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                headers.add(name: "Content-Length", value: "\(form.utf8.count)")
            }
            headers.add(name: "Connection", value: "close")
            let head = HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers)
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            if let form {
                channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(string: form))), promise: nil)
            }
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
            let deadline = channel.eventLoop.scheduleTask(in: timeout) {
                promise.fail(WebServerError(message: "no answer within \(timeoutMilliseconds) ms"))
                channel.close(promise: nil)
            }
            defer { deadline.cancel() }
            let response = try await promise.futureResult.get()
            channel.close(promise: nil)
            return response
        } catch let error as WebServerError {
            promise.fail(error)
            throw error
        } catch {
            promise.fail(error)
            throw WebServerError(message: "\(error)")
        }
    }
}

/// Collects one response and completes the promise with it (or fails it when the connection ends
/// first).
private final class ResponseCollector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let promise: EventLoopPromise<WebFetch.Response>
    private var status = 0
    private var location: String?
    private var body = ByteBuffer()
    private var done = false

    init(promise: EventLoopPromise<WebFetch.Response>) { self.promise = promise }

    private func finish(_ result: Result<WebFetch.Response, WebServerError>) {
        guard !done else { return }
        done = true
        promise.completeWith(result.mapError { $0 as any Error })
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
            location = head.headers.first(name: "Location")
        case .body(var chunk):
            guard body.readableBytes + chunk.readableBytes <= WebFetch.maxBodySize else {
                finish(.failure(WebServerError(message: "the answer is larger than \(WebFetch.maxBodySize) bytes")))
                context.close(promise: nil)
                return
            }
            body.writeBuffer(&chunk)
        case .end:
            finish(.success(WebFetch.Response(status: status, body: String(buffer: body), location: location)))
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(WebServerError(message: "the connection closed before the answer was complete")))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failure(WebServerError(message: "\(error)")))
        context.close(promise: nil)
    }
}
