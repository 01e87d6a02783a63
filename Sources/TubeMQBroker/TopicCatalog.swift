import Synchronization

/// The topics this broker serves, readable from any task without a hop.
///
/// Written by the master link (or by tests and the standalone runner), read on every request.
final class TopicCatalog: Sendable {
    private let topics = Mutex<[String: BrokerTopic]>([:])
    private let flags = Mutex<(stopRead: Bool, stopWrite: Bool)>((false, false))
    /// The default flow-control rules from the master, enforced on get-message.
    let flowControl = FlowControlGate()

    /// The topic named `name`, if served here.
    func topic(_ name: String) -> BrokerTopic? { topics.withLock { $0[name] } }

    /// All served topics.
    var all: [BrokerTopic] { topics.withLock { Array($0.values) } }

    /// Adds or replaces a topic.
    func set(_ topic: BrokerTopic) { topics.withLock { $0[topic.name] = topic } }

    /// Removes a topic.
    func remove(_ name: String) { _ = topics.withLock { $0.removeValue(forKey: name) } }

    /// Whether the master stopped reads or writes on this broker.
    var serviceFlags: (stopRead: Bool, stopWrite: Bool) { flags.withLock { $0 } }

    /// Records the master's stop-read / stop-write orders.
    func setServiceFlags(stopRead: Bool, stopWrite: Bool) { flags.withLock { $0 = (stopRead, stopWrite) } }
}
