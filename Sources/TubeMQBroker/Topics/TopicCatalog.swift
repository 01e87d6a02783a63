import Synchronization

/// The topics this broker serves, readable from any task without a hop.
///
/// Written by the master link (or by tests and the standalone runner), read on every request.
final class TopicCatalog: Sendable {
    private let topics = Mutex<[String: BrokerTopic]>([:])
    private let flags = Mutex<(stopRead: Bool, stopWrite: Bool)>((false, false))
    private let configured = Atomic<Bool>(false)
    /// The default flow-control rules from the master, enforced on get-message.
    let flowControl = FlowControlGate()

    /// The topic named `name`, if served here.
    func topic(_ name: String) -> BrokerTopic? { topics.withLock { $0[name] } }

    /// Whether the topics are the master's (the broker registered), or the broker has no master.
    var isConfigured: Bool { configured.load(ordering: .acquiring) }

    /// Records that the topics now are the master's.
    func markConfigured() { configured.store(true, ordering: .releasing) }

    /// The topic named `name`; while the broker has not yet taken its topics from the master (just
    /// started), waits for them up to ``startupWait`` before answering that it is not served here.
    /// Clients reconnect at once after a restart, and a "topic not existed" (403) is final to them:
    /// 4–10 sends of a running producer failed so in the 0.1 s before the configuration came.
    func topicAfterStart(_ name: String) async -> BrokerTopic? {
        if let topic = topic(name) { return topic }
        let deadline = ContinuousClock.now + Self.startupWait
        while !isConfigured, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
            if let topic = topic(name) { return topic }
        }
        return topic(name)
    }

    /// The longest a request for an unknown topic waits for the master's configuration after a start.
    static let startupWait = Duration.seconds(5)

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
