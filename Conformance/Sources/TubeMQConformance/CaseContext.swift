import NIOCore
import Synchronization
public import TubeMQClient
import TubeMQRPC

/// What one running case gets: the settings, unique names, a deadline, and clients that are closed for
/// it when it ends.
///
/// Every producer, consumer, RPC client and background task made through the context is shut down by
/// ``cleanUp()``, which the runner calls after the case, whether it passed, failed or timed out, so
/// each case leaves its groups.
public final class CaseContext: Sendable {
    /// The suite's settings.
    public let settings: ConformanceSettings
    /// The name of the running case.
    public let caseName: String
    /// When the case runs out of time.
    public let deadline: ContinuousClock.Instant

    private enum Resource {
        case producer(Producer)
        case push(PushConsumer)
        case pull(PullConsumer)
        case rpc(RPCClient)
        case task(Task<Void, Never>)
        case cleanup(@Sendable () async -> Void)
    }

    private let resources = Mutex<[Resource]>([])

    /// Creates the context of one case run.
    public init(settings: ConformanceSettings, caseName: String, deadline: ContinuousClock.Instant) {
        self.settings = settings
        self.caseName = caseName
        self.deadline = deadline
    }

    /// The topic under test.
    public var topic: String { settings.topic }

    /// A group name unique to this case and run: `conf_<case>_<runid>`, then `_<suffix>` when given.
    public func group(_ suffix: String = "") -> String {
        let base = "conf_\(caseName)_\(settings.runID)"
        return suffix.isEmpty ? base : "\(base)_\(suffix)"
    }

    /// The tag of message `sequence` of this case (or of one of its scopes).
    func tag(_ sequence: Int, scope: String? = nil) -> MessageTag {
        MessageTag(run: settings.runID, scope: scope.map { "\(caseName).\($0)" } ?? caseName, sequence: sequence)
    }

    /// Whether `tag` belongs to this case (and scope) in this run.
    func owns(_ tag: MessageTag?, scope: String? = nil) -> Bool {
        guard let tag, tag.run == settings.runID else { return false }
        return tag.scope == (scope.map { "\(caseName).\($0)" } ?? caseName)
    }

    /// Time left before the deadline.
    var remaining: Duration { max(.zero, deadline - ContinuousClock.now) }

    // MARK: Clients

    /// A producer that has published the topic under test.
    ///
    /// - Throws: ``ConformanceError`` when it cannot register or publish.
    public func producer() async throws(ConformanceError) -> Producer {
        let configuration = Producer.Configuration(
            masters: settings.masters,
            heartbeatPeriod: settings.heartbeatPeriod,
            rpcTimeout: settings.rpcTimeout,
            partitionWaitTimeout: min(settings.balanceWait, .seconds(30))
        )
        let producer = try await step("starting a producer") {
            try await Producer(configuration: configuration, logger: settings.logger)
        }
        keep(.producer(producer))
        try await step("publishing \(topic)") { try await producer.publish([topic]) }
        guard !producer.partitions(of: topic).isEmpty else {
            throw ConformanceError(.clientFailure, "the master reports no partition of topic \(topic)")
        }
        return producer
    }

    /// A consumer configuration for the topic under test with the suite's timings.
    public func consumerConfiguration(group: String, from start: Consumer.StartPosition) -> Consumer.Configuration {
        var configuration = Consumer.Configuration(
            masters: settings.masters,
            group: group,
            topics: [topic],
            startPosition: start,
            heartbeatPeriod: settings.heartbeatPeriod,
            rpcTimeout: settings.rpcTimeout
        )
        configuration.minimumFetchBackoff = .milliseconds(50)
        configuration.maximumFetchBackoff = .milliseconds(500)
        return configuration
    }

    /// A push consumer, shut down when the case ends.
    ///
    /// - Throws: ``ConformanceError`` when the master refuses it or cannot be reached.
    public func pushConsumer(_ configuration: Consumer.Configuration) async throws(ConformanceError) -> PushConsumer {
        let consumer = try await step("starting a push consumer in \(configuration.group)") {
            try await PushConsumer(configuration: configuration, logger: settings.logger)
        }
        keep(.push(consumer))
        return consumer
    }

    /// A pull consumer, shut down when the case ends.
    ///
    /// - Throws: ``ConformanceError`` when the master refuses it or cannot be reached.
    public func pullConsumer(_ configuration: Consumer.Configuration) async throws(ConformanceError) -> PullConsumer {
        let consumer = try await step("starting a pull consumer in \(configuration.group)") {
            try await PullConsumer(configuration: configuration, logger: settings.logger)
        }
        keep(.pull(consumer))
        return consumer
    }

    /// An RPC client for raw calls, shut down when the case ends.
    func rpcClient() -> RPCClient {
        let client = RPCClient(configuration: RPCClient.Configuration(defaultTimeout: settings.rpcTimeout.timeAmount))
        keep(.rpc(client))
        return client
    }

    /// Runs `body` in a task that is cancelled (and awaited) when the case ends.
    func background(_ body: @escaping @Sendable () async -> Void) {
        keep(.task(Task { await body() }))
    }

    /// Runs `action` when the case ends, before clients are shut down.
    func onCleanup(_ action: @escaping @Sendable () async -> Void) {
        keep(.cleanup(action))
    }

    private func keep(_ resource: Resource) {
        resources.withLock { $0.append(resource) }
    }

    /// Shuts down everything the case made, newest first: cleanup actions, background tasks, consumers
    /// (which leave their groups), producers, then RPC clients. Safe to call more than once.
    public func cleanUp() async {
        let all = resources.withLock { list -> [Resource] in
            defer { list.removeAll() }
            return list.reversed()
        }
        for case .cleanup(let action) in all { await action() }
        for case .task(let task) in all { task.cancel() }
        for resource in all {
            switch resource {
            case .push(let consumer): await consumer.shutdown()
            case .pull(let consumer): await consumer.shutdown()
            default: break
            }
        }
        for case .task(let task) in all { await task.value }
        for case .producer(let producer) in all { await producer.shutdown() }
        for case .rpc(let client) in all { await client.shutdown() }
    }
}

extension Duration {
    /// The duration as NIO's `TimeAmount`.
    var timeAmount: TimeAmount { .nanoseconds(nanoseconds) }

    /// Whole nanoseconds, saturating.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return seconds < 0 ? .min : .max }
        let (total, overflowAgain) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        return overflowAgain ? .max : total
    }

    /// The duration in seconds, as a floating-point number.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
