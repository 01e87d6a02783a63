public import Logging
import Synchronization
import SystemPackage
public import TubeMQBroker
public import TubeMQBrokerHTTP
public import TubeMQMaster
public import TubeMQMasterHTTP
import TubeMQMasterState

/// A master and one or more brokers in one process, wired together as a real cluster: the brokers
/// register with the master over RPC and take their topics from its replies.
///
/// `tubemq standalone` runs one; the end-to-end and conformance tests run them on free ports.
public final class LocalCluster: Sendable {
    /// The master.
    public let master: MasterServer
    /// The brokers, in id order.
    public let brokers: [BrokerServer]
    /// The master's HTTP admin webapi (`/webapi.htm`).
    public let masterWeb: MasterHTTPServer
    /// Each broker's HTTP webapi (offsets), in broker order.
    public let brokerWebs: [BrokerHTTPServer]
    private let logger: Logger
    private let stopped = Mutex<Set<Int32>>([])

    /// The master's RPC address.
    public var masterAddress: (host: String, port: Int) { (master.configuration.host, master.port) }

    private init(
        master: MasterServer,
        brokers: [BrokerServer],
        masterWeb: MasterHTTPServer,
        brokerWebs: [BrokerHTTPServer],
        logger: Logger
    ) {
        self.master = master
        self.brokers = brokers
        self.masterWeb = masterWeb
        self.brokerWebs = brokerWebs
        self.logger = logger
    }

    /// Starts the master, the brokers, registers each broker with the master, puts them online, and
    /// deploys the configured topics on every broker (topics already in the master's store are kept).
    ///
    /// Returns once every broker has taken its topics from the master.
    /// - Throws: when a port cannot be bound, a store cannot be opened, or the brokers do not come online in time.
    public static func start(configuration: LocalClusterConfiguration, logger: Logger) async throws -> LocalCluster {
        let dataRoot = FilePath(configuration.dataDirectory)
        var masterConfiguration = MasterServer.Configuration(
            host: configuration.host,
            port: configuration.masterPort,
            dataDirectory: dataRoot.appending("master").string,
            firstBalanceDelayMs: configuration.firstBalanceDelayMs,
            balancePeriodMs: configuration.balancePeriodMs,
            consumerHeartbeatTimeoutMs: configuration.consumerHeartbeatTimeoutMs,
            producerHeartbeatTimeoutMs: configuration.producerHeartbeatTimeoutMs,
            brokerHeartbeatTimeoutMs: configuration.brokerHeartbeatTimeoutMs,
            security: configuration.security
        )
        if var tls = configuration.tls {
            tls.port = configuration.masterTLSPort
            masterConfiguration.tls = tls
        }
        let master = try await MasterServer.start(configuration: masterConfiguration, logger: logger)
        var brokers: [BrokerServer] = []
        var masterWeb: MasterHTTPServer?
        var brokerWebs: [BrokerHTTPServer] = []
        do {
            var webTLS = configuration.tls
            webTLS?.port = configuration.masterWebTLSPort
            masterWeb = try await MasterHTTPServer.start(
                master: master.master,
                host: configuration.host,
                port: configuration.masterWebPort,
                authToken: configuration.authToken,
                security: master.security,
                tls: webTLS,
                logger: logger
            )
            // Brokers with a TLS link reach the master's TLS port.
            var masterLinkPort = master.port
            if configuration.brokerMasterTLS != nil {
                guard let tlsPort = master.tlsPort else {
                    throw LocalClusterError(message: "brokerMasterTLS needs the master's TLS listener (tls)")
                }
                masterLinkPort = tlsPort
            }
            for (index, port) in configuration.brokerPorts.enumerated() {
                let id = Int32(index + 1)
                var brokerConfiguration = BrokerConfiguration(
                    brokerID: id,
                    host: configuration.host,
                    port: port,
                    dataDirectory: dataRoot.appending("broker-\(id)"),
                    masterAddresses: [(configuration.host, masterLinkPort)]
                        + configuration.backupMasterPorts.map { (configuration.host, $0) },
                    heartbeatPeriodMillis: configuration.brokerHeartbeatPeriodMs,
                    consumerTimeoutMillis: configuration.brokerConsumerTimeoutMs,
                    io: configuration.io
                )
                brokerConfiguration._faults = configuration._brokerFaults
                brokerConfiguration.acknowledgement = configuration.acknowledgement
                brokerConfiguration.retentionBytes = configuration.retentionBytes
                brokerConfiguration.masterVisitCredentials = configuration.brokerVisitCredentials
                brokerConfiguration.visitTokenGraceMs = configuration.brokerVisitTokenGraceMs
                brokerConfiguration.masterTLS = configuration.brokerMasterTLS
                if var tls = configuration.tls {
                    tls.port = index < configuration.brokerTLSPorts.count ? configuration.brokerTLSPorts[index] : 0
                    brokerConfiguration.tls = tls
                }
                let webPort = index < configuration.brokerWebPorts.count ? configuration.brokerWebPorts[index] : 0
                if port != 0, webPort != 0, brokerConfiguration.tls.map({ $0.port != 0 }) ?? true {
                    try await enroll(
                        id: id,
                        host: configuration.host,
                        port: port,
                        tlsPort: brokerConfiguration.tls?.port,
                        webPort: webPort,
                        master: master.master
                    )
                }
                let broker = try await BrokerServer.start(configuration: brokerConfiguration, logger: logger)
                brokers.append(broker)
                var webTLS = configuration.tls
                webTLS?.port =
                    index < configuration.brokerWebTLSPorts.count ? configuration.brokerWebTLSPorts[index] : 0
                brokerWebs.append(
                    try await BrokerHTTPServer.start(
                        broker: broker,
                        host: configuration.host,
                        port: webPort,
                        adminToken: configuration.brokerWebAdminToken,
                        tls: webTLS,
                        logger: logger
                    )
                )
                try await enroll(
                    broker: broker,
                    id: id,
                    host: configuration.host,
                    webPort: brokerWebs[index].port,
                    master: master.master
                )
            }
            for topic in configuration.topics {
                try await deploy(topic, on: brokers.count, master: master.master)
            }
            try await waitForTopics(configuration.topics.map(\.name), brokers: brokers, master: master.master)
            try await waitForServing(brokers.count, master: master.master)
            guard let masterWeb else { throw LocalClusterError(message: "the master webapi did not start") }
            return LocalCluster(
                master: master,
                brokers: brokers,
                masterWeb: masterWeb,
                brokerWebs: brokerWebs,
                logger: logger
            )
        } catch {
            for web in brokerWebs { await web.shutdown() }
            await masterWeb?.shutdown()
            for broker in brokers { await broker.shutdown() }
            await master.shutdown()
            throw error
        }
    }

    /// Adds a topic on every broker (no-op for deployments that exist) and waits until they serve it.
    ///
    /// - Throws: ``MasterError`` from the master, or a timeout error.
    public func createTopic(_ topic: LocalClusterConfiguration.Topic) async throws {
        try await Self.deploy(topic, on: brokers.count, master: master.master)
        try await Self.waitForTopics([topic.name], brokers: brokers, master: master.master)
    }

    /// Stops one broker and its webapi (flushing its store) while the master still lists it, as if it
    /// had crashed from the clients' point of view. Stopping a stopped broker does nothing. Returns
    /// whether the broker wrote everything it had acknowledged.
    @discardableResult
    public func stopBroker(id: Int32) async -> Bool {
        guard let index = brokers.firstIndex(where: { $0.configuration.brokerID == id }),
            stopped.withLock({ $0.insert(id).inserted })
        else { return true }
        await brokerWebs[index].shutdown()
        return await brokers[index].shutdown()
    }

    /// Stops the brokers still running (flushing their stores) and then the master; returns whether
    /// every broker wrote everything it had acknowledged (see ``BrokerServer/shutdown()``) and the
    /// master saved its metadata (see ``Master/shutdown(persistingFinalState:)``).
    @discardableResult
    public func shutdown() async -> Bool {
        (try? await stop()) != nil
    }

    /// Stops as ``shutdown()`` does.
    ///
    /// - Throws: ``LocalClusterError/stoppedWithUnwrittenMessages`` when a broker could not write what
    ///   it acknowledged; ``LocalClusterError/stoppedWithUnsavedMetadata`` when the master could not
    ///   save its metadata.
    public func stop() async throws(LocalClusterError) {
        var wroteEverything = true
        for broker in brokers where !(await stopBroker(id: broker.configuration.brokerID)) { wroteEverything = false }
        await masterWeb.shutdown()
        let saved = await master.shutdown()
        guard wroteEverything else { throw .stoppedWithUnwrittenMessages }
        guard saved else { throw .stoppedWithUnsavedMetadata }
    }

    private static func enroll(
        broker: BrokerServer,
        id: Int32,
        host: String,
        webPort: Int,
        master: Master
    ) async throws {
        try await enroll(
            id: id,
            host: host,
            port: broker.port,
            tlsPort: broker.tlsPort,
            webPort: webPort,
            master: master
        )
    }

    /// Adds or updates broker `id`'s record with its ports and sets it online. Called before the
    /// broker starts when its ports are fixed, so that its first registration is not refused ("Broker
    /// 1 is not configured", a warning on a clean start), and again once it listens.
    private static func enroll(
        id: Int32,
        host: String,
        port: Int,
        tlsPort: Int?,
        webPort: Int,
        master: Master
    ) async throws {
        // The record carries the ports the broker listens on, its TLS one among them when it serves
        // TLS (the cluster default, 8124, was reported whatever port it had).
        if let existing = await master.broker(id: id) {
            if existing.config.port != port || existing.config.webPort != webPort
                || tlsPort.map({ $0 != existing.config.tlsPort }) ?? false
            {
                _ = try await master.updateBroker(
                    id: id,
                    BrokerPatch(port: port, tlsPort: tlsPort, webPort: webPort),
                    by: "standalone"
                )
            }
        } else {
            _ = try await master.addBroker(
                BrokerSpec(id: id, host: host, port: port, tlsPort: tlsPort, webPort: webPort),
                by: "standalone"
            )
        }
        if await master.broker(id: id)?.config.manageStatus != .online {
            _ = try await master.onlineBroker(id: id, by: "standalone")
        }
    }

    private static func deploy(
        _ topic: LocalClusterConfiguration.Topic,
        on brokerCount: Int,
        master: Master
    ) async throws {
        for id in 1...Int32(max(brokerCount, 1)) where brokerCount > 0 {
            // A remove still pending (the standalone stopped before the broker reported it) ends at the
            // broker's first heartbeat: wait for it, then deploy the topic again, empty.
            let deadline = ContinuousClock.now + .seconds(30)
            while await master.topic(named: topic.name)?.deployment(on: id)?.status == .softRemoved,
                ContinuousClock.now < deadline
            {
                try await Task.sleep(for: .milliseconds(50))
            }
            if await master.topic(named: topic.name)?.deployment(on: id) != nil { continue }
            _ = try await master.addTopicDeployment(
                topic: topic.name,
                brokerID: id,
                settings: TopicSettingsPatch(numPartitions: topic.partitions, numTopicStores: topic.stores),
                by: "standalone"
            )
        }
    }

    /// Waits until the master counts every broker as serving (registered and heartbeating online),
    /// so that producers registering now get the full broker list.
    private static func waitForServing(_ count: Int, master: Master) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if await master.servingBrokers().brokers.count >= count { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw LocalClusterError(message: "the master did not see \(count) serving brokers within 30 s")
    }

    /// Waits until every broker serves `names` and the master knows it (it hands a broker's topics to
    /// clients once a broker heartbeat reports the configuration holding them).
    private static func waitForTopics(_ names: [String], brokers: [BrokerServer], master: Master) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let ready = brokers.allSatisfy { broker in
                let served = Set(broker.topics.map(\.name))
                return names.allSatisfy(served.contains)
            }
            if ready, await known(names, on: brokers, master: master) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw LocalClusterError(message: "brokers did not take topics \(names) from the master within 30 s")
    }

    /// Whether the master counts every one of `names` as served by every broker (whatever their publish
    /// and subscribe flags).
    private static func known(_ names: [String], on brokers: [BrokerServer], master: Master) async -> Bool {
        for broker in brokers {
            guard let status = await master.broker(id: broker.configuration.brokerID),
                names.allSatisfy({ status.servedShares[$0] != nil })
            else { return false }
        }
        return true
    }
}

/// The cluster did not come up, or a server stopped without writing what it had acknowledged.
public struct LocalClusterError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var message: String
    public var description: String { message }

    /// A broker stopped with acknowledged messages it could not write (a full or failing disk): the
    /// stop fails with this, so `tubemq standalone` and `tubemq-broker` exit non-zero.
    public static let stoppedWithUnwrittenMessages = LocalClusterError(
        message: "stopped without writing every acknowledged message to disk (the broker log names the store and count)"
    )

    /// The master stopped with metadata changes its store could not save (a full or failing disk):
    /// they are lost when it starts again, so `tubemq standalone` and `tubemq-master` exit non-zero.
    public static let stoppedWithUnsavedMetadata = LocalClusterError(
        message: "stopped without saving every metadata change (brokers, topics, settings): the master log names "
            + "the store error; re-apply the changes made since it failed after the next start"
    )
}
