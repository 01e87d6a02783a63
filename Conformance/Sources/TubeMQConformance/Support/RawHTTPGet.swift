import NIOCore
import NIOPosix
import Synchronization

/// One HTTP/1.1 GET over a plain connection, without following redirects: the status and the
/// `Location` header, for checking a standby master's 302.
enum RawHTTPGet {
    struct Answer: Sendable {
        var status: Int
        var location: String?
    }

    /// Sends `GET path` to `host:port` and reads the reply until the server closes.
    ///
    /// - Throws: ``ConformanceError`` `clientFailure` when the connection fails or the reply has no status line.
    static func get(host: String, port: Int, path: String, timeout: Duration) async throws(ConformanceError) -> Answer {
        let collector = Collector()
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(5))
                .channelInitializer { channel in channel.pipeline.addHandler(collector) }
                .connect(host: host, port: port)
                .get()
            let request = "GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n\r\n"
            try await channel.writeAndFlush(ByteBuffer(string: request))
            let closed = channel.closeFuture
            let deadline = ContinuousClock.now + timeout
            while !collector.isClosed, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            if !collector.isClosed { try? await channel.close() }
            try? await closed.get()
        } catch {
            throw ConformanceError(.clientFailure, "GET http://\(host):\(port)\(path)", underlying: error)
        }
        let lines = collector.text.components(separatedBy: "\r\n")
        guard let first = lines.first, first.hasPrefix("HTTP/"),
            let status = Int(first.split(separator: " ").dropFirst().first ?? "")
        else {
            throw ConformanceError(.clientFailure, "GET http://\(host):\(port)\(path): no HTTP status line")
        }
        let location = lines.first { $0.lowercased().hasPrefix("location:") }
            .map { String($0.dropFirst("location:".count)).trimmingCharacters(in: .whitespaces) }
        return Answer(status: status, location: location)
    }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        private let state = Mutex<(text: String, closed: Bool)>(("", false))

        var text: String { state.withLock { $0.text } }
        var isClosed: Bool { state.withLock { $0.closed } }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let chunk = String(buffer: unwrapInboundIn(data))
            state.withLock { $0.text += chunk }
        }

        func channelInactive(context: ChannelHandlerContext) {
            state.withLock { $0.closed = true }
            context.fireChannelInactive()
        }
    }
}
