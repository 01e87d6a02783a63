import Foundation
import NIOCore
import NIOPosix
import TubeMQMaster
import TubeMQMasterHTTP

/// Asks a master's HA webapi one GET over a raw connection (no redirect following) and returns the
/// status and `Location` header.
enum MasterHTTPServerProbe {
    struct Answer {
        var status: Int
        var location: String?
    }

    static func redirect(of server: HAMasterServer, path: String) async throws -> Answer {
        let web = try await MasterHTTPServer.start(role: server.role, port: 0, logger: HATestSupport.logger)
        defer { Task { await web.shutdown() } }
        let collected = Collector()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in channel.pipeline.addHandler(collected) }
            .connect(host: "127.0.0.1", port: web.port)
            .get()
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        try await channel.writeAndFlush(ByteBuffer(string: request))
        try await channel.closeFuture.get()
        let text = collected.text
        let lines = text.components(separatedBy: "\r\n")
        let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
        let location = lines.first { $0.lowercased().hasPrefix("location:") }
            .map { String($0.dropFirst("location:".count)).trimmingCharacters(in: .whitespaces) }
        return Answer(status: status, location: location)
    }

    final class Collector: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        private(set) var text = ""
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            text += String(buffer: unwrapInboundIn(data))
        }
    }
}
