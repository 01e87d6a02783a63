import HummingbirdCore
import Logging
import NIOCore
import Synchronization

/// A server child channel that refuses connections beyond `limit` open at once: each one past it
/// is closed as soon as it is accepted. Without it, idle HTTP connections (a client that opens
/// them and says nothing until the 60 s idle timeout) used every descriptor of the process, and its
/// RPC port stopped answering too.
struct ConnectionCap<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let limit: Int
    let open: OpenConnectionCount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        guard open.enter(limit: limit) else {
            open.warnOnce(logger: logger, limit: limit, peer: channel.remoteAddress)
            return channel.close().flatMapThrowing { throw ConnectionLimitReached() }
        }
        channel.closeFuture.whenComplete { _ in open.leave() }
        return base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

/// How many connections of one server are open, shared by its child channels.
final class OpenConnectionCount: Sendable {
    private let count = Atomic<Int>(0)
    private let warned = Atomic<Bool>(false)

    /// Counts a new connection in; `false` (and not counted) when `limit` are open already.
    func enter(limit: Int) -> Bool {
        if count.wrappingAdd(1, ordering: .relaxed).newValue <= limit { return true }
        count.wrappingSubtract(1, ordering: .relaxed)
        return false
    }

    /// Counts a closed connection out.
    func leave() {
        count.wrappingSubtract(1, ordering: .relaxed)
        warned.store(false, ordering: .relaxed)
    }

    /// Logs the first refusal of a run of them.
    func warnOnce(logger: Logger, limit: Int, peer: SocketAddress?) {
        guard !warned.exchange(true, ordering: .relaxed) else { return }
        logger.warning(
            "refusing HTTP connections: the server is at its connection limit",
            metadata: ["tubemq.limit": "\(limit)", "tubemq.peer": "\(peer.map { "\($0)" } ?? "?")"]
        )
    }
}

/// A connection refused at the limit.
struct ConnectionLimitReached: Error {}
