public import Logging
public import TubeMQCore

/// One consumer over several clusters that carry the same topics: TubeMQ's cross-cluster,
/// switch-free "BidConsumer".
///
/// The consumer joins the same group on every cluster of its configuration (each through its own
/// masters) and delivers the messages of all of them as one sequence; each ``BidMessage`` says which
/// cluster it came from. Each cluster keeps its own offsets: a batch is confirmed to the cluster it
/// was read from, once the loop has asked past its last message, exactly as ``PushConsumer`` does.
///
/// When a whole cluster goes away (masters and brokers), the loop carries on with the others: no
/// error surfaces and nothing restarts. That cluster's consumer keeps trying in the background and,
/// when the cluster is back, resumes from the offsets committed there. A cluster that cannot be
/// joined (unreachable, or its master refuses) is tried again every
/// ``Configuration/retryPeriod``.
///
/// Delivery is at least once per cluster: a batch whose confirmation did not reach its cluster
/// (the cluster went away first, or the loop broke in the middle of it) is delivered again by that
/// cluster. Messages of one partition arrive in order; there is no order between clusters.
///
/// Iterate once: when the loop ends (it is cancelled or broken out of) the consumer leaves every
/// cluster's group, as ``shutdown()`` does.
///
/// ```swift
/// let consumer = try await BidConsumer(configuration: .init(clusters: [mastersA, mastersB], group: "g", topics: ["demo"]))
/// for await message in consumer {
///     print(message.cluster, message.partition, String(decoding: message.body, as: UTF8.self))
/// }
/// ```
public final class BidConsumer: AsyncSequence, Sendable {
    /// Each element is one message with its cluster.
    public typealias Element = BidMessage
    /// The iteration never throws: a cluster's failures are retried, not reported.
    public typealias Failure = Never

    /// How a ``BidConsumer`` joins its clusters.
    public struct Configuration: Sendable {
        /// The clusters, each with its own masters; the group is joined on every one.
        public var clusters: [BidCluster]
        /// The consumer settings used on every cluster (group, topics, filters, start position, timings,
        /// credentials, TLS); its ``Consumer/Configuration/masters`` is replaced by each cluster's.
        public var consumer: Consumer.Configuration
        /// How long to wait before trying again to join a cluster that could not be joined, or whose
        /// consumer failed.
        public var retryPeriod: Duration

        /// Creates a configuration from a consumer configuration (whose masters are ignored).
        public init(clusters: [BidCluster], consumer: Consumer.Configuration, retryPeriod: Duration = .seconds(5)) {
            self.clusters = clusters
            self.consumer = consumer
            self.retryPeriod = retryPeriod
        }

        /// Creates a configuration consuming every message of `topics`, one cluster per master list
        /// (each named after its list).
        public init(
            clusters: [[MasterAddress]],
            group: String,
            topics: [String],
            startPosition: Consumer.StartPosition = .latest
        ) {
            self.init(
                clusters: clusters.map { BidCluster(masters: $0) },
                consumer: Consumer.Configuration(
                    masters: [],
                    group: group,
                    topics: topics,
                    startPosition: startPosition
                )
            )
        }
    }

    /// The consumer's settings.
    public let configuration: Configuration
    let delivery: BidDelivery
    let members: [BidConsumerMember]

    /// Joins the group on every cluster it can reach, returning once one of them is joined; the
    /// others are joined in the background, as soon as they can be.
    ///
    /// - Throws: ``ClientError`` `invalidArgument` for a bad configuration (no cluster, a cluster
    ///   without masters, a name given twice, a bad group or topic name); when no cluster can be joined
    ///   at all, the first cluster's error (`masterUnavailable`, `rejected`).
    public init(
        configuration: Configuration,
        logger: Logger = Logger(label: "tubemq.bid-consumer")
    ) async throws(ClientError) {
        try BidCluster.validate(configuration.clusters)
        if let problem = NameRules.groupProblem(configuration.consumer.group) {
            throw ClientError(.invalidArgument, problem)
        }
        for topic in configuration.consumer.topics.keys.sorted() {
            if let problem = NameRules.topicProblem(topic) { throw ClientError(.invalidArgument, problem) }
        }
        guard !configuration.consumer.topics.isEmpty else { throw ClientError(.invalidArgument, "no topic to consume") }
        let delivery = BidDelivery()
        // The clusters share one message limit: the consumer takes no more than it in all.
        let budget = configuration.consumer.messageLimit.map { FetchBudget(limit: $0) }
        let members = configuration.clusters.map {
            BidConsumerMember(
                cluster: $0,
                template: configuration.consumer,
                retryPeriod: configuration.retryPeriod,
                delivery: delivery,
                budget: budget,
                logger: logger
            )
        }
        let (outcomes, report) = AsyncStream.makeStream(of: (Int, ClientError?).self)
        for (index, member) in members.enumerated() {
            member.start { report.yield((index, $0)) }
        }
        var failures: [Int: ClientError] = [:]
        var joined = false
        for await (index, error) in outcomes {
            guard let error else {
                joined = true
                break
            }
            failures[index] = error
            if failures.count == members.count { break }
        }
        report.finish()
        guard joined else {
            await delivery.close()
            for member in members { await member.stop() }
            let first = failures.sorted { $0.key < $1.key }.first?.value
            let detail = configuration.clusters.indices.map {
                "\(configuration.clusters[$0].name): \(failures[$0].map { "\($0)" } ?? "-")"
            }
            throw ClientError(
                first?.code ?? .masterUnavailable,
                "no cluster could be joined (\(detail.joined(separator: "; ")))",
                serverCode: first?.serverCode,
                underlying: first
            )
        }
        self.configuration = configuration
        self.delivery = delivery
        self.members = members
    }

    deinit {
        // Dropped without shutdown(): stop every cluster's consumer in the background.
        for member in members { member.abandon() }
    }

    /// The clusters whose group the consumer has joined now.
    public func joinedClusters() -> [BidCluster] {
        members.filter { $0.consumer != nil }.map(\.cluster)
    }

    /// The partitions the consumer holds now, by cluster name.
    public func assignedPartitions() async -> [String: [Partition]] {
        var result: [String: [Partition]] = [:]
        for member in members {
            guard let consumer = member.consumer else { continue }
            result[member.cluster.name] = await consumer.assignedPartitions()
        }
        return result
    }

    /// Leaves the group on every cluster (a batch in the middle of processing is not confirmed and is
    /// delivered again later) and ends iterations. Returns when every cluster's consumer is closed;
    /// idempotent.
    public func shutdown() async {
        await delivery.close()
        await withTaskGroup(of: Void.self) { group in
            for member in members { group.addTask { await member.stop() } }
        }
    }

    /// Starts the iteration.
    public func makeAsyncIterator() -> Iterator { Iterator(lease: BidIterationLease(consumer: self)) }

    /// Delivers messages; see ``BidConsumer``.
    public struct Iterator: AsyncIteratorProtocol {
        let lease: BidIterationLease

        /// The next message from any cluster, confirming the previous batch to its cluster once all its
        /// messages were handed out and asked past; `nil` after ``BidConsumer/shutdown()`` or cancellation.
        public mutating func next() async -> BidMessage? { await lease.nextMessage() }

        /// The next message, as ``next()``, staying on the caller's executor (`for await` calls this).
        public mutating func next(isolation actor: isolated (any Actor)?) async -> BidMessage? {
            await lease.nextMessage()
        }

        /// Ends the batch in hand now, for a loop that stops early after processing what it took
        /// (`tubemq consume --max`): when every message of it was handed out, it is confirmed to its
        /// cluster before this returns; otherwise it is left to be delivered again.
        public mutating func finishBatch() async { await lease.finishBatch() }
    }
}

/// One iteration over a ``BidConsumer``: the batch being worked through.
///
/// Owned by a single iterator. When the iterator goes away (the loop ended or was broken out of),
/// the consumer is shut down in the background; the batch in hand is not confirmed.
final class BidIterationLease {
    let consumer: BidConsumer
    private var current: BidDelivery.Batch?
    private var index = 0

    init(consumer: BidConsumer) {
        self.consumer = consumer
    }

    deinit {
        let consumer = self.consumer
        Task { await consumer.shutdown() }
    }

    /// Confirms the batch in hand if every message of it was handed out, waiting for its cluster.
    nonisolated(nonsending) func finishBatch() async {
        guard let batch = current, index >= batch.messages.count else { return }
        current = nil
        await consumer.delivery.finishAndWaitForConfirmation(batch.id)
    }

    /// The next message; on cancellation the consumer is shut down and `nil` returned.
    nonisolated(nonsending) func nextMessage() async -> BidMessage? {
        if let current, index < current.messages.count {
            index += 1
            return BidMessage(cluster: current.cluster, consumed: current.messages[index - 1])
        }
        let delivery = consumer.delivery
        while true {
            if let current {
                self.current = nil
                await delivery.finish(current.id)
            }
            let batch: BidDelivery.Batch?
            do {
                batch = Task.isCancelled ? nil : try await delivery.next()
            } catch {
                batch = nil
            }
            guard let batch else {
                let consumer = self.consumer
                await Task { await consumer.shutdown() }.value
                return nil
            }
            current = batch
            if !batch.messages.isEmpty { break }
        }
        guard let batch = current else { return nil }
        index = 1
        return BidMessage(cluster: batch.cluster, consumed: batch.messages[0])
    }
}
