public import Logging
public import TubeMQCore
public import TubeMQMasterState

/// The TubeMQ master: owns the cluster state machine, runs its timer, and keeps its metadata store
/// up to date.
///
/// Every RPC of methods 1–9 (through ``MasterService``) and every admin call (the webapi) is one
/// isolated call on this actor: it reads the clock once, calls ``TubeMQMasterState/MasterState``,
/// re-arms the timer if the next deadline moved earlier, and persists the durable directives before
/// returning. One timer task sleeps until ``nextDeadline`` and runs
/// ``TubeMQMasterState/MasterState/tick(now:)`` (heartbeat expiry, balance rounds).
///
/// Isolation: the state is only touched on the actor. Calls may interleave at their `await`s (while
/// the store writes); the state is never read across such a suspension, and the store receives
/// versioned full snapshots, so interleaved writes cannot lose a change.
public actor Master {
    enum Lifecycle {
        case running
        case stopped
    }

    var state: MasterState
    let clock: any WallClock
    let store: any MetadataStore
    let logger: Logger
    var lifecycle: Lifecycle = .running
    var timer = TimerSlot()
    /// The topics of a group's topic set that it may not consume now (`startConsumeAuthorize` and
    /// the grants); `nil` when consumption is not authorized per group.
    var consumeAuthorization: (@Sendable (_ group: String, _ topics: Set<String>) -> Set<String>)?
    private var storeVersion: UInt64 = 0
    private(set) var storeDirty = false
    /// When a store failure was last logged at error.
    private var lastStoreFailureLogged: ContinuousClock.Instant?

    /// The master's metrics (its own Prometheus registry; `/metrics` renders ``metricsText()``).
    public nonisolated let metrics: MasterMetrics

    /// Starts a master: restores the durable state from `store` (or starts empty), then arms the
    /// timer.
    ///
    /// - Parameters:
    ///   - configuration: the timing knobs (balance delay and period, heartbeat timeouts).
    ///   - clock: the time source of every call and of the timer.
    ///   - store: the metadata store; the master owns it from now on and closes it on ``shutdown()``.
    ///   - logger: where the master logs, with `tubemq.*` metadata.
    ///   - metrics: where the master records its metrics (a registry of its own by default).
    /// - Throws: ``MetadataStoreError`` when the stored state cannot be read.
    public init(
        configuration: MasterTimings = MasterTimings(),
        clock: any WallClock = SystemWallClock(),
        store: any MetadataStore = MemoryMetadataStore(),
        logger: Logger,
        metrics: MasterMetrics = MasterMetrics()
    ) async throws(MetadataStoreError) {
        let now = clock.now()
        let snapshot = try await store.load()
        self.state =
            snapshot.map { MasterState(snapshot: $0, configuration: configuration, now: now) }
            ?? MasterState(configuration: configuration, now: now)
        self.clock = clock
        self.store = store
        self.logger = logger
        self.metrics = metrics
        logger.info(
            "master started",
            metadata: [
                "tubemq.restored": "\(snapshot != nil)",
                "tubemq.brokers": "\(snapshot?.brokers.count ?? 0)",
                "tubemq.topics": "\(snapshot?.topics.count ?? 0)",
                "tubemq.groups": "\(snapshot?.groups.count ?? 0)",
            ]
        )
        rearmTimer()
    }

    /// Stops the timer (cancelled and awaited), writes a final snapshot and closes the store. Calls
    /// after this throw ``TubeMQMasterState/MasterError`` 510; calling it again does nothing.
    ///
    /// - Parameter persistingFinalState: `false` for a master that steps down in an HA group: it may
    ///   no longer write, so only the store is closed.
    /// - Returns: whether the final state was saved (`false` when the metadata store failed: changes
    ///   not saved before are lost when the master starts again; the error is logged).
    @discardableResult
    public func shutdown(persistingFinalState: Bool = true) async -> Bool {
        guard lifecycle == .running else { return true }
        lifecycle = .stopped
        let task = timer.task
        timer = TimerSlot()
        task?.cancel()
        await task?.value
        guard persistingFinalState else {
            try? await store.close()
            logger.info("master stopped")
            return true
        }
        storeVersion += 1
        let final = MetadataChange(version: storeVersion, directives: [], snapshot: state.snapshot())
        var saved = true
        do {
            try await store.persist(final)
        } catch {
            saved = false
            let lost = storeDirty ? "; changes made since it last worked are lost when the master starts again" : ""
            logger.error("metadata store failed at shutdown\(lost)", metadata: ["tubemq.error": "\(error)"])
        }
        try? await store.close()
        logger.info("master stopped")
        return saved || !storeDirty
    }

    /// The time at which the timer next runs due work (heartbeat expiry or a balance round), in ms.
    public var nextDeadline: Int64 { state.nextDeadline }

    /// Whether ``shutdown()`` has been called.
    public var isStopped: Bool { lifecycle == .stopped }

    // MARK: - Internals shared by the RPC and admin calls

    func checkRunning() throws(MasterError) {
        guard lifecycle == .running else { throw .masterStopped }
    }

    /// Logs `directives` and persists the durable ones (with the state after them).
    ///
    /// - Throws: ``TubeMQMasterState/MasterError`` 501 when the store fails; the change stays applied.
    func perform(_ directives: [MasterDirective]) async throws(MasterError) {
        log(directives)
        let durable = directives.filter(\.isDurable)
        guard !durable.isEmpty || storeDirty else { return }
        storeVersion += 1
        let change = MetadataChange(version: storeVersion, directives: durable, snapshot: state.snapshot())
        do {
            try await store.persist(change)
            if storeDirty { logger.notice("metadata store writes again: every change is saved") }
            storeDirty = false
        } catch {
            // While the store keeps failing (a full disk), every retry fails: said when it starts
            // failing and then every 30 s.
            let now = ContinuousClock.now
            let loud = !storeDirty || lastStoreFailureLogged.map { now - $0 >= .seconds(30) } ?? true
            if loud { lastStoreFailureLogged = now }
            storeDirty = true
            logger.log(
                level: loud ? .error : .debug,
                "metadata store failed; the change stays in memory",
                metadata: ["tubemq.error": "\(error)", "tubemq.version": "\(change.version)"]
            )
            throw .storeFailed(error)
        }
    }

    /// ``perform(_:)`` for calls that answer a client whatever the store does: a failure is logged.
    func performLoggingFailures(_ directives: [MasterDirective]) async {
        do {
            try await perform(directives)
        } catch {
            // Already logged by perform(_:); the store catches up with the next change.
        }
    }

    private func log(_ directives: [MasterDirective]) {
        for directive in directives {
            switch directive {
            case .producerExpired(let clientID):
                logger.info("producer expired", metadata: ["tubemq.client": "\(clientID)"])
            case .consumerExpired(let clientID, let group):
                logger.info("consumer expired", metadata: ["tubemq.client": "\(clientID)", "tubemq.group": "\(group)"])
            case .brokerExpired(let id):
                logger.warning("broker expired", metadata: ["tubemq.broker": "\(id)"])
            case .brokerListChanged(let checksum):
                logger.info("serving brokers changed", metadata: ["tubemq.brokerCheckSum": "\(checksum)"])
            default:
                logger.debug("metadata changed", metadata: ["tubemq.directive": "\(directive)"])
            }
        }
    }
}
