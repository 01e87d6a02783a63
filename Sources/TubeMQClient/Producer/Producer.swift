public import Logging
import Synchronization
public import TubeMQCore
import TubeMQRPC

/// Sends messages to TubeMQ topics.
///
/// A producer registers with the master when created, learns the partitions of the topics it
/// ``publish(_:)``es from its heartbeats, and sends each message to the next writable partition of
/// its topic, round-robin. Sends may run concurrently from many tasks: they are pipelined over one
/// connection per broker. It behaves on the wire as the Java producer does, so it works against
/// the original Java master and broker as well as against this project's.
///
/// ```swift
/// let producer = try await Producer(configuration: .init(masters: [MasterAddress(host: "127.0.0.1")]))
/// try await producer.publish(["demo"])
/// let result = try await producer.send(Message(body: Array("hello".utf8)), to: "demo")
/// await producer.shutdown()
/// ```
public final class Producer: Sendable {
    /// The producer's settings.
    public let configuration: Configuration
    /// The client id the producer registered under.
    public let clientID: String

    /// An executor that runs jobs on the event loop carrying every connection of this producer.
    ///
    /// Sends from a task that prefers it (`withTaskExecutorPreference(producer.executor) { ... }`, or
    /// `group.addTask(executorPreference: producer.executor) { ... }`) run on that loop's thread: the
    /// request is written and the reply resumes the task there, without waking another thread. Code
    /// run this way shares the thread with the producer's I/O and must never block.
    public let executor: any TaskExecutor

    let rpc: RPCClient
    let routing: ProducerRouting
    let session: ProducerSession
    let sentAddress: Int32
    let logger: Logger
    /// Twice the number of sends in flight, plus 1 once the producer is closed: one atomic operation
    /// each way per send.
    private let sendGate = Atomic<Int>(0)
    private let drain = Mutex(Drain())
    /// The first ``shutdown()``'s work, which later calls wait for.
    private let closer = Mutex<Task<Void, Never>?>(nil)

    /// What ``shutdown()`` waits for: the last send in flight to leave.
    private struct Drain {
        var drained = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    /// Connects to the cluster: registers with the master and starts heartbeating.
    ///
    /// - Throws: ``ClientError`` `invalidArgument` without masters, `masterUnavailable` when no master
    ///   answers, `rejected` when the master refuses the producer.
    public init(
        configuration: Configuration,
        logger: Logger = Logger(label: "tubemq.producer")
    ) async throws(ClientError) {
        guard !configuration.masters.isEmpty else { throw ClientError(.invalidArgument, "no master address given") }
        let host = configuration.localAddress ?? ClientIdentity.localIPv4
        let clientID = configuration.clientID ?? ClientIdentity.producerID(host: host)
        var logger = logger
        logger[metadataKey: "tubemq.client"] = "\(clientID)"
        // One loop for all of the producer's connections, so that `executor` is the thread of its I/O.
        let eventLoop = RPCClient.defaultEventLoopGroup.next()
        var rpcConfiguration = RPCClient.Configuration(defaultTimeout: configuration.rpcTimeout.timeAmount)
        rpcConfiguration.tls = configuration.tls
        let rpc = RPCClient(configuration: rpcConfiguration, eventLoopGroup: eventLoop)
        let routing = ProducerRouting()
        let master = MasterConnection(
            addresses: configuration.masters,
            rpc: rpc,
            timeout: configuration.rpcTimeout.timeAmount,
            logger: logger
        )
        let session = ProducerSession(
            clientID: clientID,
            host: host,
            master: master,
            routing: routing,
            period: configuration.heartbeatPeriod,
            clock: configuration.clock,
            authenticator: MasterAuthenticator(credentials: configuration.credentials, clock: configuration.clock),
            logger: logger
        )
        do {
            try await session.register(awaitingActive: configuration.masterTakeoverWait)
        } catch {
            await rpc.shutdown()
            throw error
        }
        await session.startHeartbeats()
        self.configuration = configuration
        self.clientID = clientID
        self.rpc = rpc
        self.executor = EventLoopTaskExecutor(eventLoop: eventLoop)
        self.routing = routing
        self.session = session
        self.sentAddress = ClientIdentity.packedIPv4(host)
        self.logger = logger
    }

    /// Publishes topics: heartbeats the master at once and returns when its reply (with the topics'
    /// partitions) has been applied.
    ///
    /// A topic the master does not know has no partitions; sending to it fails with `noPartition`.
    /// - Throws: ``ClientError`` when the master cannot be reached or refuses; `shutdown` after ``shutdown()``.
    public func publish(_ topics: [String]) async throws(ClientError) {
        for topic in topics {
            if let problem = NameRules.topicProblem(topic) { throw ClientError(.invalidArgument, problem) }
        }
        try checkOpen()
        try await session.publish(topics)
    }

    /// The topics published so far.
    public var publishedTopics: Set<String> { routing.published }

    /// The partitions of `topic` the producer currently knows, in sending order.
    public func partitions(of topic: String) -> [Partition] {
        routing.metadata.partitions(of: topic) ?? []
    }

    /// Stops sending: waits for sends in flight, stops heartbeats, tells the master (method 3), and
    /// closes every connection. Later sends fail with `shutdown`. All of it takes at most
    /// ``Configuration/leaveTimeout``: a send still unanswered then fails (its outcome unknown: it may
    /// be stored). Safe to call more than once, and from several tasks: each call returns once the
    /// producer is closed.
    public func shutdown() async {
        let closing = closer.withLock { task in
            if let task { return task }
            let made = Task { await self.close() }
            task = made
            return made
        }
        await closing.value
    }

    private func close() async {
        let before = sendGate.bitwiseOr(1, ordering: .sequentiallyConsistent).oldValue
        guard before & 1 == 0 else { return }
        // From here: a broker or master that no longer answers holds neither the sends in flight nor
        // the close at the master longer than the leave timeout.
        let deadline = LeaveDeadline(rpc: rpc, timeout: configuration.leaveTimeout, logger: logger, who: "producer")
        if before != 0 {
            await withCheckedContinuation { continuation in
                let done = drain.withLock { state -> Bool in
                    if state.drained { return true }
                    state.waiters.append(continuation)
                    return false
                }
                if done { continuation.resume() }
            }
        }
        await session.close()
        deadline.cancel()
        await rpc.shutdown()
        logger.debug("producer closed")
    }

    func checkOpen() throws(ClientError) {
        if sendGate.load(ordering: .sequentiallyConsistent) & 1 != 0 {
            throw ClientError(.shutdown, "the producer is shut down")
        }
    }

    /// Counts a send in; throws when the producer is closed.
    func enterSend() throws(ClientError) {
        let after = sendGate.add(2, ordering: .sequentiallyConsistent).newValue
        guard after & 1 == 0 else {
            leaveSend()
            throw ClientError(.shutdown, "the producer is shut down")
        }
    }

    /// Counts a send out, waking ``shutdown()`` when it was the last after the producer closed.
    func leaveSend() {
        guard sendGate.subtract(2, ordering: .sequentiallyConsistent).newValue == 1 else { return }
        let waiters = drain.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.drained = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
