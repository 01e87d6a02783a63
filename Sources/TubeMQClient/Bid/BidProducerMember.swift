import Logging
import Synchronization

/// One cluster of a ``BidProducer``: its ``Producer`` once connected, and whether sends pass it over.
///
/// The member's task creates the producer, trying again every retry period while no master answers
/// or the master refuses; once connected, the producer itself keeps heartbeating through outages.
/// A cluster that failed a send is passed over until ``State/passOverUntil``.
final class BidProducerMember: Sendable {
    let cluster: BidCluster
    private let configuration: Producer.Configuration
    private let retryPeriod: Duration
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var producer: Producer?
        var passOverUntil: ContinuousClock.Instant?
        var task: Task<Void, Never>?
        var stopped = false
    }

    init(cluster: BidCluster, template: Producer.Configuration, retryPeriod: Duration, logger: Logger) {
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
        self.logger = logger
    }

    /// The cluster's producer once connected.
    var producer: Producer? { state.withLock { $0.producer } }

    /// Whether sends should try this cluster first: connected, and not failed in the last retry period.
    func isPreferred(at now: ContinuousClock.Instant) -> Bool {
        state.withLock { state in
            state.producer != nil && (state.passOverUntil.map { $0 <= now } ?? true)
        }
    }

    /// Whether a send failed here and the retry period since has not passed.
    func isPassedOver(at now: ContinuousClock.Instant) -> Bool {
        state.withLock { state in state.passOverUntil.map { $0 > now } ?? false }
    }

    /// A send failed here: pass the cluster over for a retry period. Returns whether it was preferred before.
    @discardableResult
    func passOver() -> Bool {
        let now = ContinuousClock.now
        return state.withLock { state in
            let was = state.passOverUntil.map { $0 <= now } ?? true
            state.passOverUntil = now + retryPeriod
            return was
        }
    }

    /// A send succeeded here: the cluster is preferred again. Returns whether it was passed over before.
    @discardableResult
    func recovered() -> Bool {
        state.withLock { state in
            defer { state.passOverUntil = nil }
            return state.passOverUntil != nil
        }
    }

    /// Starts connecting; `firstAttempt` is called once with the outcome of the first try, and
    /// `topics` gives the topics to publish on the new producer.
    func start(
        topics: @escaping @Sendable () -> [String],
        firstAttempt: @escaping @Sendable (ClientError?) -> Void
    ) {
        let task = Task { await self.connect(topics: topics, firstAttempt: firstAttempt) }
        state.withLock { $0.task = task }
    }

    /// Stops connecting and shuts the producer down (waiting for its sends in flight).
    func stop() async {
        let (task, producer) = state.withLock { state in
            state.stopped = true
            return (state.task, state.producer)
        }
        task?.cancel()
        await task?.value
        await producer?.shutdown()
    }

    /// Stops connecting and shuts the producer down in the background (the bid producer was dropped
    /// without ``stop()``).
    func abandon() {
        let (task, producer) = state.withLock { state in
            state.stopped = true
            return (state.task, state.producer)
        }
        task?.cancel()
        if let producer { Task { await producer.shutdown() } }
    }

    private func connect(
        topics: @Sendable () -> [String],
        firstAttempt: @Sendable (ClientError?) -> Void
    ) async {
        var reported = false
        var failures = 0
        while !Task.isCancelled {
            let producer: Producer
            do {
                producer = try await Producer(configuration: configuration, logger: logger)
            } catch {
                failures += 1
                if !reported {
                    reported = true
                    firstAttempt(error)
                }
                logger.log(
                    level: failures == 1 || failures % 12 == 0 ? .warning : .debug,
                    "cannot connect to this cluster; trying again",
                    metadata: ["tubemq.error": "\(error)", "tubemq.retryIn": "\(retryPeriod)"]
                )
                do { try await Task.sleep(for: retryPeriod) } catch { return }
                continue
            }
            let admitted = state.withLock { state -> Bool in
                guard !state.stopped else { return false }
                state.producer = producer
                return true
            }
            guard admitted else {
                await producer.shutdown()
                return
            }
            if failures > 0 { logger.info("connected to this cluster") }
            // Topics published before the producer existed; a failure here is retried by its heartbeats.
            let wanted = topics()
            if !wanted.isEmpty {
                do {
                    try await producer.publish(wanted)
                } catch {
                    logger.info("publishing on this cluster failed", metadata: ["tubemq.error": "\(error)"])
                }
            }
            if !reported { firstAttempt(nil) }
            return
        }
    }
}
