import Logging
import TubeMQRPC

/// Bounds how long a client takes to leave the cluster on shutdown.
///
/// Leaving (giving partitions back to their brokers, closing at the master) waits for the servers'
/// answers. A broker or master that is frozen or cut off answers nothing, and each call would wait
/// for its RPC timeout: leaving a group took 29–36 s that way. Once the deadline passes, the client's
/// connections are closed, which ends every call still waiting at once; the servers then forget the
/// client by their heartbeat timeouts, as after a crash. Delivery stays at least once: an offset not
/// committed by the cut-short leave is read again by the group's next consumer.
struct LeaveDeadline: Sendable {
    private let timer: Task<Void, Never>

    /// Starts the deadline: after `timeout`, `rpc`'s connections are closed.
    init(rpc: RPCClient, timeout: Duration, logger: Logger, who: String) {
        timer = Task {
            do {
                try await Task.sleep(for: timeout)
            } catch {
                return
            }
            logger.info(
                "\(who) still leaving after \(timeout); closing its connections (the servers time it out)",
                metadata: ["tubemq.timeout": "\(timeout)"]
            )
            await rpc.shutdown()
        }
    }

    /// Stops the deadline: the leave ended in time.
    func cancel() { timer.cancel() }
}
