import Atomics
import Logging
import NIOCore

/// The resources a whole ``RPCServer`` shares among its connections: the bytes buffered for
/// frames still arriving, and one rate-limited warning for bad frames and refusals.
///
/// Thread-safe: every counter is atomic, so handlers on any event loop charge and release it.
final class RPCServerLimits: Sendable {
    /// The most bytes one connection may buffer for a frame in progress.
    let maxBufferedBytesPerConnection: Int
    /// The most bytes all connections together may buffer for frames in progress.
    let maxBufferedBytes: Int
    /// The most open connections.
    let maxConnections: Int
    /// The most open connections from one address.
    let maxConnectionsPerAddress: Int
    /// How long a frame begun may take to arrive whole.
    let frameTimeout: TimeAmount
    private let buffered = ManagedAtomic<Int>(0)
    private let lastWarning = ManagedAtomic<UInt64>(0)
    private let suppressed = ManagedAtomic<Int>(0)
    /// The shortest time between two warnings.
    private static let warningInterval: UInt64 = 10_000_000_000

    init(configuration: RPCServerConfiguration) {
        maxBufferedBytesPerConnection = configuration.maxBufferedBytesPerConnection
        maxBufferedBytes = configuration.maxBufferedBytes
        maxConnections = configuration.connectionLimits.maxConnections
        maxConnectionsPerAddress = configuration.connectionLimits.maxConnectionsPerAddress
        frameTimeout = configuration.frameTimeout
    }

    /// The bytes buffered now, over every connection.
    var bufferedBytes: Int { buffered.load(ordering: .relaxed) }

    /// Takes `bytes` more from the shared budget; `false` (and nothing taken) when that would pass it.
    func charge(_ bytes: Int) -> Bool {
        guard bytes > 0 else {
            buffered.wrappingDecrement(by: -bytes, ordering: .relaxed)
            return true
        }
        var current = buffered.load(ordering: .relaxed)
        while current + bytes <= maxBufferedBytes {
            let (exchanged, original) = buffered.weakCompareExchange(
                expected: current,
                desired: current + bytes,
                ordering: .relaxed
            )
            if exchanged { return true }
            current = original
        }
        return false
    }

    /// Gives `bytes` back to the shared budget.
    func release(_ bytes: Int) {
        if bytes > 0 { buffered.wrappingDecrement(by: bytes, ordering: .relaxed) }
    }

    /// Logs `message` at debug level, and as a warning at most once per 10 s (saying how many
    /// were only logged at debug since the last one), so a flood of bad peers cannot flood the log.
    func warn(_ message: Logger.Message, metadata: Logger.Metadata, logger: Logger) {
        logger.debug(message, metadata: metadata)
        let now = NIODeadline.now().uptimeNanoseconds
        let last = lastWarning.load(ordering: .relaxed)
        guard last == 0 || now &- last >= Self.warningInterval,
            lastWarning.compareExchange(expected: last, desired: now, ordering: .relaxed).exchanged
        else {
            suppressed.wrappingIncrement(ordering: .relaxed)
            return
        }
        var metadata = metadata
        metadata["tubemq.suppressed"] = "\(suppressed.exchange(0, ordering: .relaxed))"
        logger.warning(message, metadata: metadata)
    }
}
