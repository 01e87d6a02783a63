public import Logging
import Synchronization
public import TubeMQCore

/// Sends to the first healthy cluster of a list, failing over between clusters that carry the same
/// topics — the producer side of ``BidConsumer``.
///
/// The producer connects to every cluster of its configuration (in the background for those it cannot
/// reach yet). Each message goes to the first cluster in the list that is connected, knows the topic's
/// partitions, and has not failed a send in the last ``Configuration/retryPeriod``; within a cluster
/// the cluster's ``Producer`` picks the partition and retries other brokers as usual. When the cluster
/// fails the send (its brokers unreachable, a timeout, no partition, a refusal), the message is sent to
/// the next cluster and the failed one is passed over for a retry period. After that period the next
/// send tries it again: if it works, sending is back on the earlier cluster; if not, it is passed over
/// for another period. So a cluster that comes back takes the traffic again within one retry period,
/// and one that stays away costs one failed attempt per period.
///
/// Delivery is at least once: a send that timed out may have been stored by the cluster that timed
/// out as well as by the next one. Only when every cluster fails does `send` throw.
///
/// ```swift
/// let producer = try await BidProducer(configuration: .init(clusters: [mastersA, mastersB]))
/// try await producer.publish(["demo"])
/// let sent = try await producer.send(Message(body: Array("hello".utf8)), to: "demo")
/// print("stored by \(sent.cluster) in \(sent.partition)")
/// ```
public final class BidProducer: Sendable {
    /// How a ``BidProducer`` connects and fails over.
    public struct Configuration: Sendable {
        /// The clusters, in order of preference.
        public var clusters: [BidCluster]
        /// The producer settings used on every cluster (timeouts, send attempts, credentials, TLS); its
        /// ``Producer/Configuration/masters`` is replaced by each cluster's.
        public var producer: Producer.Configuration
        /// How long a cluster that failed a send is passed over, and how often a cluster that could not
        /// be reached is tried again.
        public var retryPeriod: Duration

        /// Creates a configuration from a producer configuration (whose masters are ignored).
        public init(clusters: [BidCluster], producer: Producer.Configuration, retryPeriod: Duration = .seconds(5)) {
            self.clusters = clusters
            self.producer = producer
            self.retryPeriod = retryPeriod
        }

        /// Creates a configuration with the default producer settings, one cluster per master list
        /// (each named after its list), preferred in the order given.
        public init(clusters: [[MasterAddress]]) {
            self.init(
                clusters: clusters.map { BidCluster(masters: $0) },
                producer: Producer.Configuration(masters: [])
            )
        }
    }

    /// The producer's settings.
    public let configuration: Configuration
    let members: [BidProducerMember]
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var published: [String] = []
        var closed = false
    }

    /// Connects to the clusters, returning once the first cluster of the list that can be reached is
    /// connected (those before it having failed their first try); the others are connected in the
    /// background, as soon as they can be.
    ///
    /// - Throws: ``ClientError`` `invalidArgument` for a bad cluster list; when no cluster can be
    ///   reached at all, the first cluster's error (`masterUnavailable`, `rejected`).
    public init(
        configuration: Configuration,
        logger: Logger = Logger(label: "tubemq.bid-producer")
    ) async throws(ClientError) {
        try BidCluster.validate(configuration.clusters)
        let members = configuration.clusters.map {
            BidProducerMember(
                cluster: $0,
                template: configuration.producer,
                retryPeriod: configuration.retryPeriod,
                logger: logger
            )
        }
        self.configuration = configuration
        self.members = members
        self.logger = logger
        let (outcomes, report) = AsyncStream.makeStream(of: (Int, ClientError?).self)
        for (index, member) in members.enumerated() {
            member.start(topics: { [weak self] in self?.publishedTopics ?? [] }) { report.yield((index, $0)) }
        }
        // Wait for the first cluster that connects with every cluster before it in the list having
        // failed its first try, so that the first sends go where they should.
        var failures: [Int: ClientError] = [:]
        var successes: Set<Int> = []
        var connected = false
        for await (index, error) in outcomes {
            if let error { failures[index] = error } else { successes.insert(index) }
            guard let first = members.indices.first(where: { failures[$0] == nil }) else { break }
            if successes.contains(first) {
                connected = true
                break
            }
        }
        report.finish()
        guard connected else {
            for member in members { await member.stop() }
            let first = failures.sorted { $0.key < $1.key }.first?.value
            let detail = configuration.clusters.indices.map {
                "\(configuration.clusters[$0].name): \(failures[$0].map { "\($0)" } ?? "-")"
            }
            throw ClientError(
                first?.code ?? .masterUnavailable,
                "no cluster could be reached (\(detail.joined(separator: "; ")))",
                serverCode: first?.serverCode,
                underlying: first
            )
        }
    }

    deinit {
        // Dropped without shutdown(): stop every cluster's producer in the background.
        for member in members { member.abandon() }
    }

    /// The topics published so far.
    public var publishedTopics: [String] { state.withLock { $0.published } }

    /// The clusters connected now, in order of preference.
    public func connectedClusters() -> [BidCluster] {
        members.filter { $0.producer != nil }.map(\.cluster)
    }

    /// The cluster the next send of `topic` tries first, if any.
    public func preferredCluster(for topic: String) -> BidCluster? {
        let now = ContinuousClock.now
        return members.first { member in
            member.isPreferred(at: now) && !(member.producer?.partitions(of: topic).isEmpty ?? true)
        }?.cluster
    }

    /// Publishes topics on every connected cluster (and on the others when they connect).
    ///
    /// - Throws: ``ClientError`` `invalidArgument` for a bad topic name, `shutdown` after ``shutdown()``,
    ///   or, when no connected cluster could publish them, the first cluster's error.
    public func publish(_ topics: [String]) async throws(ClientError) {
        for topic in topics {
            if let problem = NameRules.topicProblem(topic) { throw ClientError(.invalidArgument, problem) }
        }
        try state.withLock { state throws(ClientError) in
            guard !state.closed else { throw ClientError(.shutdown, "the producer is shut down") }
            for topic in topics where !state.published.contains(topic) { state.published.append(topic) }
        }
        var firstError: ClientError?
        var published = false
        for member in members {
            guard let producer = member.producer else { continue }
            do {
                try await producer.publish(topics)
                published = true
            } catch {
                logger.info(
                    "publishing on a cluster failed",
                    metadata: ["tubemq.cluster": "\(member.cluster)", "tubemq.error": "\(error)"]
                )
                firstError = firstError ?? error
            }
        }
        if !published, let firstError { throw firstError }
    }

    /// Sends `message` to `topic` on the first healthy cluster, failing over to the next ones.
    ///
    /// - Throws: ``ClientError`` at once for what no cluster would take (`invalidArgument`: topic not
    ///   published, empty body, bad attribute; `messageTooLarge`), `cancelled`, `shutdown` after
    ///   ``shutdown()``; otherwise the last cluster's error when every connected cluster failed, or
    ///   `masterUnavailable` when none is connected.
    @discardableResult
    public func send(_ message: TubeMQCore.Message, to topic: String) async throws(ClientError) -> BidSendResult {
        let published = try state.withLock { state throws(ClientError) in
            guard !state.closed else { throw ClientError(.shutdown, "the producer is shut down") }
            return state.published.contains(topic)
        }
        guard published else {
            throw ClientError(.invalidArgument, "topic \(topic) is not published; call publish first")
        }
        let now = ContinuousClock.now
        var tried: Set<Int> = []
        var lastError: ClientError?
        var maybeStored = false  // some cluster may have stored it before failing
        // First the preferred clusters that know the topic's partitions (no waiting for a map), then
        // every other connected one in order: passed over, or still learning the topic.
        for round in 0..<2 {
            for (index, member) in members.enumerated() where !tried.contains(index) {
                guard let producer = member.producer else { continue }
                if round == 0 {
                    guard member.isPreferred(at: now), !producer.partitions(of: topic).isEmpty else { continue }
                }
                tried.insert(index)
                do {
                    let sent = try await send(message, to: topic, on: producer)
                    if member.recovered() {
                        logger.info("cluster takes messages again", metadata: ["tubemq.cluster": "\(member.cluster)"])
                    }
                    return BidSendResult(cluster: member.cluster, sent: sent)
                } catch {
                    switch error.code {
                    case .invalidArgument, .messageTooLarge, .cancelled:
                        throw error
                    case .shutdown where state.withLock({ $0.closed }):
                        throw error
                    default:
                        if member.passOver() {
                            logger.warning(
                                "sending to a cluster failed; failing over",
                                metadata: [
                                    "tubemq.cluster": "\(member.cluster)", "tubemq.error": "\(error)",
                                    "tubemq.retryIn": "\(configuration.retryPeriod)",
                                ]
                            )
                        }
                        lastError = error
                        maybeStored = maybeStored || error.outcomeUnknown
                    }
                }
            }
        }
        var failure = lastError ?? ClientError(.masterUnavailable, "no cluster is connected")
        if maybeStored { failure.outcomeUnknown = true }
        throw failure
    }

    /// One send on a cluster's producer, publishing the topic there first if it connected after ``publish(_:)``.
    private func send(
        _ message: TubeMQCore.Message,
        to topic: String,
        on producer: Producer
    ) async throws(ClientError)
        -> SendResult
    {
        if !producer.publishedTopics.contains(topic) {
            do { try await producer.publish([topic]) } catch  where error.code == .shutdown { throw error } catch {}
        }
        return try await producer.send(message, to: topic)
    }

    /// Shuts every cluster's producer down (waiting for sends in flight). Later calls fail with
    /// `shutdown`. Safe to call more than once.
    public func shutdown() async {
        state.withLock { $0.closed = true }
        await withTaskGroup(of: Void.self) { group in
            for member in members { group.addTask { await member.stop() } }
        }
    }
}
