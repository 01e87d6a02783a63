import Logging
import Synchronization
import TubeMQCore
import TubeMQRPC
import TubeMQWire

/// The engine behind ``PushConsumer`` and ``PullConsumer``: group membership, held partitions and
/// the queue of fetched batches.
///
/// Isolation: this actor owns the membership state (registration, pending event acknowledgement),
/// the held partitions and the ready queue. Each held partition runs its own fetch task
/// (``PartitionFetcher``) and hops here once per batch; heartbeats to the master and to brokers run
/// in two loop tasks; a rebalance event is applied in its own task while heartbeats continue. Every
/// task is owned: cancelled and awaited by ``shutdown()``.
actor ConsumerSession {
    /// Which public consumer drives the session (it shows in the client id and sets confirm timeouts).
    enum Kind: String, Sendable {
        case push = "Push"
        case pull = "Pull"
    }

    enum Lifecycle {
        case starting, running, closing, closed
    }

    struct Held {
        var handle: PartitionHandle
        /// Ends with the readStatus to unregister with, or `nil` when the partition was never registered.
        var fetch: Task<Int32?, Never>
    }

    nonisolated let configuration: Consumer.Configuration
    nonisolated let kind: Kind
    nonisolated let clientID: String
    nonisolated let host: String
    nonisolated let rpc: RPCClient
    /// Runs jobs on the event loop carrying every connection of the consumer: the fetch loops run
    /// there, so a reply resumes its loop on the thread that read it.
    nonisolated let executor: EventLoopTaskExecutor
    nonisolated let master: MasterConnection
    nonisolated let logger: Logger
    /// Cuts the master heartbeat wait short (to acknowledge an event, or register again at once).
    nonisolated let heartbeatNow = Wakeup()
    /// When the session started, in ms (`sessionTime`).
    nonisolated let sessionTime: Int64

    var lifecycle = Lifecycle.starting
    var failure: ClientError?
    var held: [String: Held] = [:]
    var ready: [ReadyBatch] = []
    private var waiters: [(id: Int, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextWaiterID = 0
    private nonisolated let activeIterations = Mutex(0)
    /// Set once the consumer closes (its last iteration ended, or ``shutdown()``): an iteration begun
    /// after it throws instead of ending at once with nothing.
    private nonisolated let closedToIterations = Mutex(false)
    /// Raised when the session shuts down (see ``IterationLease``).
    nonisolated let stopFlag = StopFlag()
    private var closing: Task<Void, Never>?

    // Membership (see ConsumerSession+Master.swift).
    var registeredWithMaster = false
    /// Until when the master is asked often (every ``quickHeartbeat``) while no partition is held, so
    /// that a new member learns its first assignment within a balance round, not a heartbeat period.
    var quickHeartbeatsUntil: ContinuousClock.Instant = .now
    /// When the consumer last registered with the master.
    var registeredAt: ContinuousClock.Instant = .now
    /// Whether the consumer said it holds no partition ``idleWarningAfter`` after registering, or
    /// held one since (then there is nothing to say).
    var warnedIdle = false
    /// Until when the master is asked often after an event, for the next one (``followUpWindow``).
    var followUpHeartbeatsUntil: ContinuousClock.Instant = .now
    var visitToken: Int64?
    nonisolated let authenticator: MasterAuthenticator
    var pendingAck: EventProto?
    /// Heartbeats refused for their credentials (415) in a row; at two (one with a fresh signature)
    /// the consumer stops.
    var certificateRefusals = 0
    var eventTask: Task<Void, Never>?
    var queuedEvents: [EventProto] = []
    var groupAllocated = false
    var masterLoop: Task<Void, Never>?
    var brokerLoop: Task<Void, Never>?
    /// The flow-control rules from the master, applied by every fetch loop.
    nonisolated let flow = FlowLimiter()
    /// What is left of ``Consumer/Configuration/messageLimit``, shared by every fetch loop; `nil` without one.
    nonisolated let budget: FetchBudget?
    /// Client assignment only (see ConsumerSession+ClientBalance.swift).
    var clientBalance = ClientBalanceView()
    /// The readStatus every broker registration sends while set (consume from max: 2).
    var readStatusOverride: Int32?

    // Partitions (see ConsumerSession+Partitions.swift).
    var registeredBefore: Set<String> = []
    var boundOffsetsApplied: Set<String> = []
    /// Held partitions whose broker still had the previous holder (410) when they were assigned; each
    /// one's fetch task registers it in the background before fetching.
    var awaitingRegistration: Set<String> = []

    /// - Parameter budget: the message limit shared with other consumers (a ``BidConsumer``'s
    ///   clusters); `nil` makes one from ``Consumer/Configuration/messageLimit``.
    init(configuration: Consumer.Configuration, kind: Kind, logger: Logger, budget: FetchBudget? = nil) {
        let host = configuration.localAddress ?? ClientIdentity.localIPv4
        let clientID =
            configuration.clientID
            ?? ClientIdentity.consumerID(group: configuration.group, host: host, kind: kind.rawValue)
        var logger = logger
        logger[metadataKey: "tubemq.client"] = "\(clientID)"
        logger[metadataKey: "tubemq.group"] = "\(configuration.group)"
        var rpcConfiguration = RPCClient.Configuration(defaultTimeout: configuration.rpcTimeout.timeAmount)
        rpcConfiguration.tls = configuration.tls
        // One loop for all of the consumer's connections, so that `executor` is the thread of its I/O.
        let eventLoop = RPCClient.defaultEventLoopGroup.next()
        let rpc = RPCClient(configuration: rpcConfiguration, eventLoopGroup: eventLoop)
        self.executor = EventLoopTaskExecutor(eventLoop: eventLoop)
        self.configuration = configuration
        self.budget = budget ?? configuration.messageLimit.map { FetchBudget(limit: $0) }
        self.kind = kind
        self.clientID = clientID
        self.host = host
        self.rpc = rpc
        self.master = MasterConnection(
            addresses: configuration.masters,
            rpc: rpc,
            timeout: configuration.rpcTimeout.timeAmount,
            logger: logger
        )
        self.logger = logger
        self.sessionTime = ClientIdentity.millisecondsNow()
        self.authenticator = MasterAuthenticator(credentials: configuration.credentials, clock: SystemWallClock())
    }

    deinit {
        // Dropped without shutdown(): stop the background work (the servers time the consumer out).
        masterLoop?.cancel()
        brokerLoop?.cancel()
        eventTask?.cancel()
        for entry in held.values {
            entry.handle.stop()
            entry.handle.releaseOpenBatch()
            entry.fetch.cancel()
        }
    }

    /// Registers with the master and starts the heartbeat loops.
    ///
    /// - Throws: ``ClientError`` `invalidArgument` for a bad configuration, `masterUnavailable`, or
    ///   `rejected` when the master refuses the consumer (unknown topic, forbidden or inconsistent group).
    func start() async throws(ClientError) {
        do {
            try Self.validate(configuration)
            try await registerWithMaster(awaitingActive: configuration.masterTakeoverWait)
        } catch {
            lifecycle = .closed
            await rpc.shutdown()
            throw error
        }
        lifecycle = .running
        startLoops()
    }

    private static func validate(_ configuration: Consumer.Configuration) throws(ClientError) {
        guard !configuration.masters.isEmpty else { throw ClientError(.invalidArgument, "no master address given") }
        guard !configuration.group.isEmpty else { throw ClientError(.invalidArgument, "the group name is empty") }
        guard !configuration.topics.isEmpty, !configuration.topics.keys.contains(where: \.isEmpty) else {
            throw ClientError(.invalidArgument, "no topic, or an empty topic name, to consume")
        }
        if let problem = NameRules.groupProblem(configuration.group) { throw ClientError(.invalidArgument, problem) }
        for (topic, filters) in configuration.topics.sorted(by: { $0.key < $1.key }) {
            if let problem = NameRules.topicProblem(topic) { throw ClientError(.invalidArgument, problem) }
            if let problem = NameRules.filterProblem(filters) {
                throw ClientError(.invalidArgument, "topic \(topic): \(problem)")
            }
        }
        if case .client(let choice) = configuration.assignment {
            guard configuration.boundConsume == nil else {
                throw ClientError(
                    .invalidArgument,
                    "bound consume needs the master's assignment, not client assignment"
                )
            }
            if case .share(let node, let nodes) = choice, nodes < 1 || node < 0 || node >= nodes {
                throw ClientError(.invalidArgument, "client assignment share \(node) of \(nodes) is out of range")
            }
        }
        if let bound = configuration.boundConsume {
            guard !bound.sessionKey.isEmpty, bound.consumerCount > 0 else {
                throw ClientError(.invalidArgument, "bound consume needs a session key and a positive consumer count")
            }
            // An offset is the position of an index entry (28 bytes): the broker would silently round
            // another value down, or read a negative one from the start.
            for (key, offset) in bound.offsets.sorted(by: { $0.key < $1.key })
            where offset < 0 || offset % Consumer.BoundConsume.offsetUnit != 0 {
                throw ClientError(
                    .invalidArgument,
                    "bound consume offset \(offset) of \(key) is not an offset: offsets are 0 or more, in steps of "
                        + "\(Consumer.BoundConsume.offsetUnit) (as `produce --verbose` and `messageOffset` give them)"
                )
            }
        }
    }

    // MARK: Delivery

    /// The next fetched batch, waiting for one; `nil` once the session is closing.
    ///
    /// - Throws: the session's fatal ``ClientError``, or `CancellationError` when the caller is cancelled.
    func nextBatch() async throws -> ReadyBatch? {
        while true {
            if let failure { throw failure }
            guard lifecycle == .running else { return nil }
            while !ready.isEmpty {
                let batch = ready.removeFirst()
                // A batch decided while it waited here (its partition given up) is gone: handing it out
                // would only make its confirm fail.
                if batch.handle.handOut(batch.sequence) { return batch }
            }
            try await waitForChange()
        }
    }

    /// Queues a batch from a fetch loop; `false` when its partition is being given up or the session closes.
    func deliver(_ batch: ReadyBatch) -> Bool {
        guard lifecycle == .running, held[batch.handle.partition.key]?.handle === batch.handle,
            !batch.handle.isStopping
        else { return false }
        ready.append(batch)
        if !waiters.isEmpty { waiters.removeFirst().continuation.resume() }
        return true
    }

    /// Takes the queued (not yet handed out) batches of `handle` back and releases them.
    func withdrawQueued(_ handle: PartitionHandle) {
        let withdrawn = ready.filter { $0.handle === handle }
        ready.removeAll { $0.handle === handle }
        for batch in withdrawn { batch.release() }
    }

    private func waitForChange() async throws {
        let id = nextWaiterID
        nextWaiterID += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters.append((id, continuation))
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    private func cancelWaiter(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }

    private func wakeAllWaiters() {
        let all = waiters
        waiters.removeAll()
        for waiter in all { waiter.continuation.resume() }
    }

    /// Ends the session with a fatal error: waiting iterations throw it.
    func fail(_ error: ClientError) {
        guard failure == nil else { return }
        failure = error
        logger.error("consumer failed", metadata: ["tubemq.error": "\(error)"])
        wakeAllWaiters()
    }

    // MARK: Iterations and shutdown

    /// An iteration over the consumer began.
    nonisolated func iterationStarted() { activeIterations.withLock { $0 += 1 } }

    /// Whether the consumer closed before now (an iteration begun now gets nothing).
    nonisolated var isClosedToIterations: Bool { closedToIterations.withLock { $0 } }

    /// An iteration ended (its iterator went away); the last one to end closes the session.
    nonisolated func iterationEnded() {
        let last = activeIterations.withLock { count -> Bool in
            count -= 1
            return count <= 0
        }
        if last {
            closedToIterations.withLock { $0 = true }
            Task { await self.shutdown() }
        }
    }

    /// The partitions held now, sorted by key.
    var heldPartitions: [Partition] { held.values.map(\.handle.partition).sorted { $0.key < $1.key } }

    /// Leaves the group: stops heartbeats, gives up every partition (unregister, method 15 op 32, with
    /// readStatus 0 only where the last batch was confirmed), tells the master (method 6), and closes
    /// the connections. Returns when all of that is done; safe to call more than once.
    func shutdown() async {
        closedToIterations.withLock { $0 = true }
        stopFlag.raise()
        if let closing {
            await closing.value
            return
        }
        let task = Task { await self.close() }
        closing = task
        await task.value
    }

    private func close() async {
        let wasRunning = lifecycle == .running
        lifecycle = .closing
        wakeAllWaiters()
        masterLoop?.cancel()
        brokerLoop?.cancel()
        eventTask?.cancel()
        let deadline = LeaveDeadline(rpc: rpc, timeout: configuration.leaveTimeout, logger: logger, who: "consumer")
        await masterLoop?.value
        await brokerLoop?.value
        await eventTask?.value
        await disconnect(heldPartitions, grace: nil)
        if wasRunning && registeredWithMaster { await closeAtMaster() }
        deadline.cancel()
        await rpc.shutdown()
        lifecycle = .closed
        logger.debug("consumer closed")
    }
}
