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
        let address = channel.remoteAddress?.ipAddress ?? "?"
        guard open.enter(limit: limit, address: address) else {
            open.warnOnce(logger: logger, limit: limit, peer: channel.remoteAddress)
            return channel.close().flatMapThrowing { throw ConnectionLimitReached() }
        }
        channel.closeFuture.whenComplete { _ in open.leave(address: address) }
        return base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

/// How many connections of one server are open, in all and per peer address, shared by its child
/// channels.
///
/// One address may hold at most a quarter of the limit: 1,000 idle connections from one host
/// locked every operator out of the webapi and the console.
final class OpenConnectionCount: Sendable {
    private let counts = Mutex((total: 0, byAddress: [String: Int]()))
    private let warned = Atomic<Bool>(false)

    /// The most connections one address may hold, out of `limit`.
    static func perAddressLimit(_ limit: Int) -> Int { max(1, limit / 4) }

    /// Counts a new connection from `address` in; `false` (and not counted) when `limit` are open
    /// already, or the address holds its share.
    func enter(limit: Int, address: String) -> Bool {
        counts.withLock { counts in
            guard counts.total < limit, counts.byAddress[address, default: 0] < Self.perAddressLimit(limit) else {
                return false
            }
            counts.total += 1
            counts.byAddress[address, default: 0] += 1
            return true
        }
    }

    /// Counts a closed connection from `address` out.
    func leave(address: String) {
        counts.withLock { counts in
            counts.total -= 1
            let left = counts.byAddress[address, default: 1] - 1
            counts.byAddress[address] = left > 0 ? left : nil
        }
        warned.store(false, ordering: .relaxed)
    }

    /// Logs the first refusal of a run of them.
    func warnOnce(logger: Logger, limit: Int, peer: SocketAddress?) {
        guard !warned.exchange(true, ordering: .relaxed) else { return }
        logger.warning(
            "refusing HTTP connections: the server, or the peer's address, is at its connection limit",
            metadata: ["tubemq.limit": "\(limit)", "tubemq.peer": "\(peer.map { "\($0)" } ?? "?")"]
        )
    }
}

/// A connection refused at the limit.
struct ConnectionLimitReached: Error {}
