import Logging
import Synchronization
import TubeMQCore

/// One cluster of a ``BidConsumer``: a ``PushConsumer`` of that cluster, joined again whenever it
/// cannot be joined or fails, whose batches go through the ``BidDelivery``.
///
/// The member's task joins the group on the cluster (retrying every ``retryPeriod`` while no master
/// answers or the master refuses), then hands each batch to the delivery and asks its consumer for the
/// next one — which confirms the batch to this cluster — only once the application has worked through
/// it. A cluster that goes away is not an error: its consumer keeps heartbeating and fetching in the
/// background and resumes from the cluster's committed offsets when the cluster is back.
final class BidConsumerMember: Sendable {
    let cluster: BidCluster
    private let configuration: Consumer.Configuration
    private let retryPeriod: Duration
    private let delivery: BidDelivery
    /// The message limit the clusters share (``Consumer/Configuration/messageLimit``), if any.
    private let budget: FetchBudget?
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var consumer: PushConsumer?
        var task: Task<Void, Never>?
        var stopped = false
    }

    /// How a consumer's batch loop ended.
    private enum LoopEnd {
        /// The bid consumer is closing.
        case stopped
        /// The consumer ended or failed on its own: join again.
        case rejoin
    }

    init(
        cluster: BidCluster,
        template: Consumer.Configuration,
        retryPeriod: Duration,
        delivery: BidDelivery,
        budget: FetchBudget?,
        logger: Logger
    ) {
        var configuration = template
        configuration.masters = cluster.masters
        // A cluster without an active master is retried in the background every retry period, and the
        // other clusters serve meanwhile: waiting for its takeover would only hold up the first connect.
        configuration.masterTakeoverWait = .zero
        var logger = logger
        logger[metadataKey: "tubemq.cluster"] = "\(cluster.name)"
        self.cluster = cluster
        self.configuration = configuration
        self.retryPeriod = retryPeriod
        self.delivery = delivery
        self.budget = budget
        self.logger = logger
    }

    /// The cluster's consumer while it is joined.
    var consumer: PushConsumer? { state.withLock { $0.consumer } }

    /// Starts the member's task; `firstAttempt` is called once, with the outcome of the first try to join.
    func start(firstAttempt: @escaping @Sendable (ClientError?) -> Void) {
        let task = Task { await self.run(firstAttempt: firstAttempt) }
        state.withLock { $0.task = task }
    }

    /// Stops the task and leaves the cluster's group (batches not worked through are not confirmed).
    func stop() async {
        let (task, consumer) = state.withLock { state in
            state.stopped = true
            return (state.task, state.consumer)
        }
        task?.cancel()
        await consumer?.shutdown()
        await task?.value
    }

    /// Stops the task and leaves the cluster's group in the background (the bid consumer was dropped
    /// without ``stop()``).
    func abandon() {
        let (task, consumer) = state.withLock { state in
            state.stopped = true
            return (state.task, state.consumer)
        }
        task?.cancel()
        if let consumer { Task { await consumer.shutdown() } }
    }

    private func run(firstAttempt: @Sendable (ClientError?) -> Void) async {
        var reported = false
        var failures = 0
        while !Task.isCancelled {
            let consumer: PushConsumer
            do {
                consumer = try await PushConsumer(configuration: configuration, logger: logger, budget: budget)
            } catch {
                failures += 1
                if !reported {
                    reported = true
                    firstAttempt(error)
                }
                // A bad configuration (a filter or name refused before any call) fails the same way every time.
                if error.code == .invalidArgument { return }
                // Warn on the first failure and then now and then, not on every retry of a long outage.
                logger.log(
                    level: failures == 1 || failures % 12 == 0 ? .warning : .debug,
                    "cannot join the group on this cluster; trying again",
                    metadata: ["tubemq.error": "\(error)", "tubemq.retryIn": "\(retryPeriod)"]
                )
                guard await pause() else { return }
                continue
            }
            if failures > 0 { logger.info("joined the group on this cluster") }
            failures = 0
            if !reported {
                reported = true
                firstAttempt(nil)
            }
            let admitted = state.withLock { state -> Bool in
                guard !state.stopped else { return false }
                state.consumer = consumer
                return true
            }
            guard admitted else {
                await consumer.shutdown()
                return
            }
            let end = await deliverBatches(of: consumer)
            state.withLock { $0.consumer = nil }
            await consumer.shutdown()
            guard end == .rejoin, await pause() else { return }
        }
    }

    /// Hands the consumer's batches to the application, confirming each once the application has
    /// worked through it, and only then asking for the next one.
    private func deliverBatches(of consumer: PushConsumer) async -> LoopEnd {
        var batches = consumer.batches.makeAsyncIterator()
        do {
            while let messages = try await batches.next() {
                guard case .processed(let id) = await delivery.hand(cluster, messages: messages) else {
                    return .stopped
                }
                batches.finishBatch()
                await delivery.confirmed(id)
            }
        } catch {
            logger.warning(
                "the consumer of this cluster failed; joining again",
                metadata: ["tubemq.error": "\(error)", "tubemq.retryIn": "\(retryPeriod)"]
            )
            return isStopped ? .stopped : .rejoin
        }
        return isStopped || Task.isCancelled ? .stopped : .rejoin
    }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    /// Waits a retry period; `false` when the member is stopped meanwhile.
    private func pause() async -> Bool {
        guard !isStopped else { return false }
        do { try await Task.sleep(for: retryPeriod) } catch { return false }
        return !isStopped
    }
}
