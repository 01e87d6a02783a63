import NIOCore
import NIOPosix

/// One HTTP GET over a raw connection (no redirects followed), for tests that read a live server's
/// endpoints such as `/metrics`.
public enum TestHTTP {
    /// A response: status, headers (lower-cased names) and body.
    public struct Response: Sendable {
        /// The status code.
        public var status: Int
        /// The headers, names lower-cased.
        public var headers: [String: String]
        /// The body text.
        public var body: String
    }

    /// GETs `path` from `host:port` and reads the response until the server closes.
    ///
    /// - Throws: when the connection fails.
    public static func get(host: String = "127.0.0.1", port: Int, path: String) async throws -> Response {
        let collected = Collector()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in channel.pipeline.addHandler(collected) }
            .connect(host: host, port: port)
            .get()
        let request = "GET \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n"
        try await channel.writeAndFlush(ByteBuffer(string: request))
        try await channel.closeFuture.get()
        let text = collected.text
        let split = text.range(of: "\r\n\r\n")
        let head = split.map { String(text[..<$0.lowerBound]) } ?? text
        let body = split.map { String(text[$0.upperBound...]) } ?? ""
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.isEmpty ? "" : lines.removeFirst()
        let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") ?? 0
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Response(status: status, headers: headers, body: body)
    }

    private final class Collector: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        private(set) var text = ""
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            text += String(buffer: unwrapInboundIn(data))
        }
    }
}
