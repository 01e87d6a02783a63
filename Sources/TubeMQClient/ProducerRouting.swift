import Synchronization
import TubeMQCore

/// The producer's metadata under a lock: written by heartbeats, read by every send without an actor hop.
final class ProducerRouting: Sendable {
    private struct State {
        var metadata = ProducerMetadata()
        var visitToken: Int64?
        var published: Set<String> = []
    }

    private let state = Mutex(State())

    /// Applies `body` to the metadata.
    func update<T>(_ body: (inout ProducerMetadata) -> T) -> T {
        state.withLock { body(&$0.metadata) }
    }

    /// The metadata as of now.
    var metadata: ProducerMetadata { state.withLock { $0.metadata } }

    /// The master's visit token, sent to brokers as the Java client does.
    var visitToken: Int64? {
        get { state.withLock { $0.visitToken } }
        set { state.withLock { $0.visitToken = newValue } }
    }

    /// The topics published so far.
    var published: Set<String> {
        get { state.withLock { $0.published } }
        set { state.withLock { $0.published = newValue } }
    }

    /// Where one send goes: the partition, the largest message it accepts and the visit token to send.
    struct Route {
        var partition: Partition
        var maxMessageSize: Int
        var visitToken: Int64?
    }

    /// What ``route(topic:excluding:)`` found.
    enum Routing {
        case route(Route)
        /// The topic has no partition (yet).
        case noPartition
        /// The topic was not published.
        case notPublished
    }

    /// The next partition of `topic` to send to (see ``ProducerMetadata/pick(topic:now:excluding:)``), read
    /// under one lock with everything else a send needs.
    func route(topic: String, excluding: Set<Int32>) -> Routing {
        state.withLock { state in
            guard state.published.contains(topic) else { return .notPublished }
            guard let partition = state.metadata.pick(topic: topic, now: nil, excluding: excluding) else {
                return .noPartition
            }
            return .route(Route(
                partition: partition,
                maxMessageSize: state.metadata.maxMessageSize(of: topic),
                visitToken: state.visitToken
            ))
        }
    }

    /// Avoids a broker for `duration`.
    func avoid(brokerID: Int32, for duration: Duration) {
        state.withLock { $0.metadata.avoid(brokerID: brokerID, until: .now + duration) }
    }
}
