import Foundation
public import Logging
import NIOCore
import NIOPosix
import SystemPackage
import TubeMQRPC
public import TubeMQStorage
import TubeMQWire

/// A running broker: the message store, the RPC service, the master link and the housekeeping timer.
public final class BrokerServer: Sendable {
    /// The broker's settings.
    public let configuration: BrokerConfiguration
    /// The message store (for the admin webapi and tests).
    public let store: MessageStore
    /// The broker's metrics (its own Prometheus registry; `/metrics` renders ``metricsText()``).
    public let metrics: BrokerMetrics
    let rpc: RPCServer
    private let tlsRPC: RPCServer?
    private let client: RPCClient
    let catalog: TopicCatalog
    let registry: ConsumerRegistry
    private let link: MasterLink
    private let housekeeping: Task<Void, Never>
    private let logger: Logger
    /// The ZooKeeper offset mirror, when ``BrokerConfiguration/zooKeeperOffsets`` is set.
    public let zooKeeperOffsets: ZooKeeperOffsetMirror?

    /// The RPC port the broker listens on.
    public var port: Int { rpc.localPort }
    /// The TLS port the broker listens on, when `[tlsSetting]` is on.
    public var tlsPort: Int? { tlsRPC?.localPort }

    private init(
        configuration: BrokerConfiguration,
        store: MessageStore,
        metrics: BrokerMetrics,
        rpc: RPCServer,
        tlsRPC: RPCServer?,
        client: RPCClient,
        catalog: TopicCatalog,
        registry: ConsumerRegistry,
        link: MasterLink,
        housekeeping: Task<Void, Never>,
        logger: Logger,
        zooKeeperOffsets: ZooKeeperOffsetMirror?
    ) {
        self.configuration = configuration
        self.store = store
        self.metrics = metrics
        self.rpc = rpc
        self.tlsRPC = tlsRPC
        self.client = client
        self.catalog = catalog
        self.registry = registry
        self.link = link
        self.housekeeping = housekeeping
        self.logger = logger
        self.zooKeeperOffsets = zooKeeperOffsets
    }

    /// Opens the store, starts serving, and (with master addresses) registers with the master.
    ///
    /// - Parameter topics: topics to serve before the master's configuration arrives (standalone, tests).
    /// - Throws: when the store cannot be opened, the port or the TLS port cannot be bound, the TLS
    ///   key or trust store cannot be used (``TubeMQRPC/TLSSettingsError``), or ZooKeeper (for
    ///   ``BrokerConfiguration/zooKeeperOffsets``) cannot be reached (``ZooKeeperOffsetError``).
    public static func start(
        configuration: BrokerConfiguration,
        topics: [BrokerTopic] = [],
        logger: Logger
    ) async throws -> BrokerServer {
        var logger = logger
        logger[metadataKey: "tubemq.broker"] = "\(configuration.brokerID)"
        let clock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
        let tlsContext = try configuration.tls?.makeServerContext()
        let metrics = BrokerMetrics()
        var storeConfiguration = MessageStore.Configuration(
            io: configuration.io,
            retentionInterval: .milliseconds(max(1, configuration.retentionSweepMillis))
        )
        storeConfiguration.flushObserver = { metrics.recordFlush($0) }
        let store = try await MessageStore.open(
            directory: configuration.dataDirectory,
            configuration: storeConfiguration,
            logger: logger
        )
        var mirror: ZooKeeperOffsetMirror?
        if let settings = configuration.zooKeeperOffsets {
            do {
                mirror = try await ZooKeeperOffsetMirror.start(
                    settings: settings,
                    brokerID: configuration.brokerID,
                    offsets: store.offsets,
                    logger: logger
                )
            } catch {
                try? await store.close()
                throw error
            }
        }
        let catalog = TopicCatalog()
        let registry = ConsumerRegistry(timeoutMillis: configuration.consumerTimeoutMillis, clock: clock)
        for topic in topics {
            try await Self.open(topic, in: store, catalog: catalog, configuration: configuration)
        }
        let authorization = BrokerAuthorization(graceMs: configuration.visitTokenGraceMs, clock: clock, logger: logger)
        let service = BrokerService(
            brokerID: configuration.brokerID,
            host: configuration.host,
            store: store,
            catalog: catalog,
            registry: registry,
            ids: MessageIDGenerator(workerID: configuration.brokerID),
            transferSize: configuration.transferSize,
            clock: clock,
            faults: configuration._faults,
            authorization: authorization,
            metrics: metrics,
            logger: logger
        )
        let rpc: RPCServer
        do {
            rpc = try await RPCServer.start(
                configuration: configuration.rpcConfiguration(port: configuration.port),
                service: service,
                logger: logger
            )
        } catch {
            try? await store.close()
            throw error
        }
        var tlsRPC: RPCServer?
        if let tls = configuration.tls, let tlsContext {
            var tlsConfiguration = configuration.rpcConfiguration(port: tls.port)
            tlsConfiguration.tls = tlsContext
            do {
                tlsRPC = try await RPCServer.start(configuration: tlsConfiguration, service: service, logger: logger)
            } catch {
                await rpc.shutdown()
                try? await store.close()
                throw error
            }
            logger.info("broker serving TLS", metadata: ["tubemq.tlsPort": "\(tlsRPC?.localPort ?? tls.port)"])
        }
        var clientConfiguration = RPCClient.Configuration()
        clientConfiguration.tls = configuration.masterTLS
        let client = RPCClient(configuration: clientConfiguration)
        let log = logger
        // Without a master the topics are the ones given here: nothing more will come.
        if configuration.masterAddresses.isEmpty { catalog.markConfigured() }
        let link = MasterLink(
            configuration: configuration,
            client: client,
            catalog: catalog,
            authorization: authorization,
            logger: logger,
            unwritableTopics: { store.unwritableTopics }
        ) {
            defaults,
            topics,
            removed in
            await Self.apply(
                defaults: defaults,
                topics: topics,
                removed: removed,
                store: store,
                catalog: catalog,
                metrics: metrics,
                configuration: configuration,
                logger: log
            )
        }
        let port = rpc.localPort
        let tlsPort = tlsRPC?.localPort
        let heartbeat = Duration.milliseconds(max(configuration.heartbeatPeriodMillis, 50))
        let tick = min(heartbeat, .seconds(1))
        let housekeeping = Task {
            var lastHeartbeat: ContinuousClock.Instant?
            // At most one heartbeat right after a step that registered or took a new configuration, so
            // the master learns at once that the broker is online and holds it (a master that kept
            // sending configurations would otherwise be asked in a tight loop).
            var reportAtOnce = false
            while !Task.isCancelled {
                if reportAtOnce || lastHeartbeat.map({ ContinuousClock.now - $0 >= heartbeat }) ?? true {
                    let changed = await link.step(port: port, tlsPort: tlsPort)
                    // A broker not registered yet (the master has no record of it until an admin adds
                    // one, or no master answered) asks again every tick rather than every period.
                    lastHeartbeat = await link.isRegistered ? ContinuousClock.now : nil
                    reportAtOnce = changed && !reportAtOnce
                    if reportAtOnce { continue }
                }
                _ = registry.expire()
                try? await Task.sleep(for: tick)
            }
        }
        logger.info("broker started", metadata: ["tubemq.port": "\(port)"])
        return BrokerServer(
            configuration: configuration,
            store: store,
            metrics: metrics,
            rpc: rpc,
            tlsRPC: tlsRPC,
            client: client,
            catalog: catalog,
            registry: registry,
            link: link,
            housekeeping: housekeeping,
            logger: logger,
            zooKeeperOffsets: mirror
        )
    }

    /// Serves `topic` (opening its storage), without waiting for the master.
    ///
    /// - Throws: ``StorageError`` when its storage cannot be opened.
    public func addTopic(_ topic: BrokerTopic) async throws {
        try await Self.open(topic, in: store, catalog: catalog, configuration: configuration)
    }

    /// The topics served.
    public var topics: [BrokerTopic] { catalog.all }

    /// Logs, per topic with syncs, its policy, its syncs and the median messages per sync (group commit).
    func logFlushStatistics() async {
        for name in store.topicNames {
            guard let topic = store.topic(name) else { continue }
            var syncs = 0
            var synced: Int64 = 0
            var recent: [Int] = []
            for instance in topic.instances {
                let statistics = await instance.flushStatistics
                syncs += statistics.syncs
                synced += statistics.syncedMessages
                recent += statistics.recentMessagesPerSync
            }
            guard syncs > 0 else { continue }
            var merged = FlushStatistics()
            merged.recentMessagesPerSync = recent
            logger.info(
                "flush statistics",
                metadata: [
                    "tubemq.topic": "\(name)", "tubemq.ack": "\(topic.configuration.flush.acknowledgement)",
                    "tubemq.syncs": "\(syncs)", "tubemq.syncedMessages": "\(synced)",
                    "tubemq.medianMessagesPerSync": "\(merged.medianMessagesPerSync ?? 0)",
                ]
            )
        }
    }

    /// Every (group, topic, partition) → consumer holding on this broker.
    public func holdings() async -> [(group: String, topic: String, partitionID: Int32, consumerID: String)] {
        consumerHoldings().map { ($0.group, $0.topic, $0.partitionID, $0.consumerID) }
    }

    /// Every partition a consumer holds on this broker, with how it holds it.
    public func consumerHoldings() -> [ConsumerHolding] {
        registry.holdings().map { key, holding in
            ConsumerHolding(
                group: key.group,
                topic: key.topic,
                partitionID: key.partitionID,
                consumerID: holding.consumerID,
                filtersMessages: !holding.filterHashes.isEmpty,
                lastSeen: holding.lastSeen
            )
        }
    }

    /// Stops serving, leaves the master, flushes and closes the store (joining every flusher).
    /// - Returns: whether every message the broker acknowledged is written: `false` when the store
    ///   could not write all of them (a full or failing disk; the error is logged).
    @discardableResult
    public func shutdown() async -> Bool {
        housekeeping.cancel()
        _ = await housekeeping.value
        await link.close()
        await tlsRPC?.shutdown()
        await rpc.shutdown()
        await client.shutdown()
        await logFlushStatistics()
        await zooKeeperOffsets?.close()
        var wroteEverything = true
        do {
            try await store.close()
        } catch {
            logger.error("stopped without writing every message to disk", metadata: ["tubemq.error": "\(error)"])
            wroteEverything = false
        }
        logger.info("broker stopped")
        return wroteEverything
    }

    static func open(
        _ topic: BrokerTopic,
        in store: MessageStore,
        catalog: TopicCatalog,
        configuration: BrokerConfiguration
    ) async throws(StorageError) {
        let wanted = topic.storageConfiguration(segmentBytes: configuration.segmentBytes)
        if let existing = store.topic(topic.name), !existing.configuration.canBeReconfigured(to: wanted) {
            // Fewer partitions or stores: only closing and opening again takes them.
            try await store.closeTopic(topic.name)
        }
        // Opens the topic, or has the open one take added partitions and changed settings while it serves.
        try await store.reconfigureTopic(topic.name, configuration: wanted)
        catalog.set(topic)
    }

    /// Serves `topics` and removes the `removed` ones (closing them and deleting their files).
    /// - Returns: whether every topic of `topics` is served, and the names of the removed topics whose
    ///   files are gone (to report to the master, which then purges their records).
    static func apply(
        defaults: BrokerTopicSettings,
        topics: [(String, BrokerTopicSettings)],
        removed: [String],
        store: MessageStore,
        catalog: TopicCatalog,
        metrics: BrokerMetrics? = nil,
        configuration: BrokerConfiguration,
        logger: Logger
    ) async -> TopicChanges {
        var served = true
        for (name, settings) in topics {
            let topic = BrokerTopic(name: name, settings: settings.inheriting(defaults), configuration: configuration)
            do {
                try await open(topic, in: store, catalog: catalog, configuration: configuration)
            } catch {
                served = false
                logger.error("cannot open topic", metadata: ["tubemq.topic": "\(name)", "tubemq.error": "\(error)"])
            }
        }
        var gone: [String] = []
        for name in removed {
            catalog.remove(name)
            do {
                try await store.removeTopic(name)
                metrics?.removeTopic(name)
                gone.append(name)
                logger.info("topic removed: its files are deleted", metadata: ["tubemq.topic": "\(name)"])
            } catch {
                logger.error(
                    "cannot remove topic; trying again at the next heartbeat",
                    metadata: ["tubemq.topic": "\(name)", "tubemq.error": "\(error)"]
                )
            }
        }
        return TopicChanges(served: served, removed: gone)
    }
}

/// What serving a master's configuration did (``BrokerServer/apply(defaults:topics:removed:store:catalog:configuration:logger:)``).
struct TopicChanges: Sendable {
    /// Whether every topic of the configuration is served.
    var served: Bool
    /// The removed topics whose files are deleted.
    var removed: [String]
}
