import NIOCore
import NIOPosix
import TubeMQZooKeeper

@testable import TubeMQZooKeeper

/// Ends another client's session from outside: one raw connection that resumes the session with its
/// id and password and closes it in the same write, so the owner cannot take it back in between.
enum SessionThief {
    static func closeSession(_ credentials: SessionCredentials, port: Int) async throws {
        var bytes = ConnectRequest(
            lastZxidSeen: 0,
            timeoutMilliseconds: 4000,
            sessionID: credentials.id,
            password: credentials.password
        ).encodedFrame()
        var close = RequestFrame.encode(xid: 1, opCode: .closeSession, body: ByteBuffer())
        bytes.writeBuffer(&close)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port)
            .get()
        try await channel.writeAndFlush(bytes)
        // The server answers both and closes the connection.
        try await channel.closeFuture.get()
    }
}
