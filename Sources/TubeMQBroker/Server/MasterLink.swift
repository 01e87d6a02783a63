import Foundation
import Logging
import NIOCore
import TubeMQRPC
import TubeMQWire

/// The broker's session with the master: register (7), heartbeat (8) every period, close (9).
///
/// Topic configuration from the master's replies is handed to `apply`; stop-read / stop-write
/// orders go to the catalog. Masters are tried in order; a standby or unreachable one is skipped.
actor MasterLink {
    private let configuration: BrokerConfiguration
    private let client: RPCClient
    private let catalog: TopicCatalog
    private let authorization: BrokerAuthorization
    /// Serves the topics of a configuration and removes the removed ones.
    private let apply:
        @Sendable (_ defaults: BrokerTopicSettings, _ topics: [(String, BrokerTopicSettings)], _ removed: [String])
            async -> TopicChanges
    private let logger: Logger
    /// The topics whose storage refuses writes (a failed write or sync, a full disk), read at each heartbeat.
    private let unwritableTopics: @Sendable () -> [String]

    private var masterIndex = 0
    private var reportedUnwritable = false
    private var registered = false
    private var configVersion: Int64 = 0
    private var checksum: Int32 = 0
    private var defaults = BrokerTopicSettings()
    private var topicStrings: [String] = []
    private var reportConfig = false
    /// Topics removed here (files deleted) and not yet purged by the master, reported in each heartbeat
    /// (`removedTopicsInfo`) as the master's `removeTopicConfInfo` named them, until its reply stops
    /// listing them.
    private var removedReports: [String: String] = [:]
    /// The last failure logged, so that one repeated every second is logged once.
    private var lastFailure: String?
    /// The masters (by index) already logged as standby since the broker last reached the active one.
    private var standbysLogged = Set<Int>()

    init(
        configuration: BrokerConfiguration,
        client: RPCClient,
        catalog: TopicCatalog,
        authorization: BrokerAuthorization,
        logger: Logger,
        unwritableTopics: @escaping @Sendable () -> [String] = { [] },
        apply:
            @escaping @Sendable (BrokerTopicSettings, [(String, BrokerTopicSettings)], [String]) async -> TopicChanges
    ) {
        self.configuration = configuration
        self.client = client
        self.catalog = catalog
        self.authorization = authorization
        self.logger = logger
        self.apply = apply
        self.unwritableTopics = unwritableTopics
    }

    /// Whether the broker is registered with a master (heartbeats are sent, not registrations).
    var isRegistered: Bool { registered }

    /// `writeStatusRpt`: 0 while every topic's storage accepts writes, 1 (write service abnormal)
    /// while some does not; a change is logged once each way.
    func writeStatus() -> Int32 {
        let unwritable = unwritableTopics()
        if !unwritable.isEmpty, !reportedUnwritable {
            logger.error(
                "storage not writable, reporting it to the master",
                metadata: ["tubemq.topics": "\(unwritable.joined(separator: ","))"]
            )
        } else if unwritable.isEmpty, reportedUnwritable {
            logger.notice("storage writable again, reporting it to the master")
        }
        reportedUnwritable = !unwritable.isEmpty
        return unwritable.isEmpty ? 0 : 1
    }

    private var master: (host: String, port: Int) { configuration.masterAddresses[masterIndex] }

    /// The signed credentials of a master request, when the broker has visit credentials.
    private var certificate: MasterCertificateInfo? {
        guard let credentials = configuration.masterVisitCredentials else { return nil }
        let timestamp = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        let nonce = Int32.random(in: 0...Int32.max)
        var info = AuthenticateInfo()
        info.userName = credentials.name
        info.timestamp = timestamp
        info.nonce = nonce
        info.othParams = ""
        info.signature = AuthSignature.sign(
            userName: credentials.name,
            password: credentials.password,
            timestamp: timestamp,
            nonce: nonce
        )
        var certificate = MasterCertificateInfo()
        certificate.authInfo = info
        return certificate
    }

    /// One step: registers if needed, heartbeats otherwise. Failures are logged and retried on the next step.
    ///
    /// - Returns: whether the broker registered or took a new configuration. The master tells clients
    ///   about the broker (after registering) and about partitions it added (after a new configuration)
    ///   only once a heartbeat says the broker is online and holds that configuration, so the caller
    ///   sends the next heartbeat at once instead of a period later.
    @discardableResult
    func step(port: Int, tlsPort: Int? = nil) async -> Bool {
        guard !configuration.masterAddresses.isEmpty else { return false }
        // A hot standby answering sends the broker to the next master at once, not a second later;
        // once around the list at most (all standby: an election under way).
        var standbys = 0
        while true {
            do throws(RPCError) {
                let stepped: Bool
                if registered {
                    stepped = try await heartbeat()
                } else {
                    try await register(port: port, tlsPort: tlsPort)
                    stepped = true
                }
                standbysLogged.removeAll()
                return stepped
            } catch  where error.isStandby && standbys < configuration.masterAddresses.count - 1 {
                // Expected in an HA group whose active master is not first in the list: not a warning,
                // and said once per master until the broker reaches the active one (an election
                // without an active master made it twice a second per broker).
                logger.log(
                    level: standbysLogged.insert(masterIndex).inserted ? .info : .debug,
                    "master is a hot standby: trying the next",
                    metadata: [
                        "tubemq.master":
                            "\(configuration.masterAddresses[masterIndex].host):\(configuration.masterAddresses[masterIndex].port)"
                    ]
                )
                masterIndex = (masterIndex + 1) % configuration.masterAddresses.count
                registered = false
                standbys += 1
            } catch {
                return failed(error)
            }
        }
    }

    /// Notes a failed step: the next goes to the next master when this one is a standby or cannot
    /// be reached, and the broker registers again.
    private func failed(_ error: RPCError) -> Bool {
        if error.isStandby || error.code == .connectionFailed || error.code == .timeout {
            masterIndex = (masterIndex + 1) % configuration.masterAddresses.count
        }
        registered = false
        // Unregistered, the broker asks again every second: the same failure is logged once.
        let text = "\(error)"
        logger.log(
            level: text == lastFailure ? .debug : .warning,
            "master link failed",
            metadata: ["tubemq.error": "\(text)"]
        )
        lastFailure = text
        return false
    }

    private func register(port: Int, tlsPort: Int?) async throws(RPCError) {
        var request = RegisterRequestB2M()
        request.clientID = "\(configuration.brokerID):\(configuration.host):\(port):\(configuration.version)"
        request.brokerOnline = false
        request.enableTls = tlsPort != nil
        request.readStatusRpt = 0
        request.writeStatusRpt = writeStatus()
        request.curBrokerConfID = configVersion
        request.confCheckSumID = checksum
        request.brokerDefaultConfInfo = ""
        request.flowCheckID = catalog.flowControl.version
        request.qryPriorityID = -2
        request.tlsPort = Int32(tlsPort ?? 8124)
        var cluster = ClusterConfig()
        cluster.configID = -2
        request.clsConfig = cluster
        if let certificate { request.authInfo = certificate }
        let reply: RegisterResponseM2B = try await client.call(
            .brokerRegister,
            request,
            host: master.host,
            port: master.port
        )
        guard reply.success else {
            throw RPCError(.badResponse, "master refused registration: \(reply.errCode) \(reply.errMsg)")
        }
        catalog.setServiceFlags(stopRead: reply.stopRead, stopWrite: reply.stopWrite)
        takeFlowControl(version: reply.hasFlowCheckID ? reply.flowCheckID : -2, text: reply.flowControlInfo)
        authorization.registered(
            functions: reply.hasEnableBrokerInfo ? reply.enableBrokerInfo : nil,
            tokens: reply.hasBrokerAuthorizedInfo ? reply.brokerAuthorizedInfo : nil
        )
        if reply.takeConfInfo {
            await take(
                version: reply.curBrokerConfID,
                checksum: reply.confCheckSumID,
                defaults: reply.brokerDefaultConfInfo,
                topics: reply.brokerTopicSetConfInfo
            )
        }
        registered = true
        catalog.markConfigured()
        reportConfig = true
        lastFailure = nil
        logger.info("registered with master", metadata: ["tubemq.master": "\(master.host):\(master.port)"])
    }

    /// - Returns: whether the reply carried a new configuration, now applied.
    private func heartbeat() async throws(RPCError) -> Bool {
        var request = HeartRequestB2M()
        request.brokerID = "\(configuration.brokerID)"
        request.brokerOnline = true
        request.readStatusRpt = 0
        request.writeStatusRpt = writeStatus()
        request.curBrokerConfID = configVersion
        request.confCheckSumID = checksum
        request.takeConfInfo = reportConfig
        request.takeRemovedTopicInfo = !removedReports.isEmpty
        request.removedTopicsInfo = removedReports.keys.sorted().compactMap { removedReports[$0] }
        if reportConfig {
            request.brokerDefaultConfInfo = defaults.defaultString
            request.brokerTopicSetConfInfo = topicStrings
        }
        request.flowCheckID = catalog.flowControl.version
        request.qryPriorityID = -2
        var cluster = ClusterConfig()
        cluster.configID = -2
        request.clsConfig = cluster
        if let certificate { request.authInfo = certificate }
        let reply: HeartResponseM2B = try await client.call(
            .brokerHeartbeat,
            request,
            host: master.host,
            port: master.port
        )
        guard reply.success else {
            if reply.errCode == ErrorCode.heartbeatNoNode.rawValue { registered = false }
            throw RPCError(.badResponse, "master refused heartbeat: \(reply.errCode) \(reply.errMsg)")
        }
        reportConfig = false
        takeFlowControl(version: reply.hasFlowCheckID ? reply.flowCheckID : -2, text: reply.flowControlInfo)
        if reply.hasBrokerAuthorizedInfo { authorization.append(reply.brokerAuthorizedInfo) }
        catalog.setServiceFlags(stopRead: reply.stopRead, stopWrite: reply.stopWrite)
        let toRemove: [String: String] =
            reply.takeRemoveTopicInfo
            ? Dictionary(
                reply.removeTopicConfInfo.compactMap { text in
                    BrokerTopicSettings.parseTopic(text).map { ($0.topic, text) }
                },
                uniquingKeysWith: { first, _ in first }
            ) : [:]
        // The master purged what it no longer lists; what it still lists and we removed is reported again.
        if reply.takeRemoveTopicInfo { removedReports = removedReports.filter { toRemove[$0.key] != nil } }
        let removing = toRemove.filter { removedReports[$0.key] == nil }
        if reply.takeConfInfo {
            await take(
                version: reply.curBrokerConfID,
                checksum: reply.confCheckSumID,
                defaults: reply.brokerDefaultConfInfo,
                topics: reply.brokerTopicSetConfInfo,
                removed: removing
            )
            return true
        }
        if !removing.isEmpty { noteRemoved(await apply(defaults, [], removing.keys.sorted()).removed, removing) }
        return false
    }

    /// Serves the configuration `version` of a master reply. The broker reports holding `version` only
    /// once every topic of it is served: the master hands a configuration's partitions to clients once a
    /// heartbeat reports it held, so a topic that failed to open (its error is logged) keeps the old
    /// version reported, and the next heartbeat's reply brings the configuration again for a retry.
    private func take(
        version: Int64,
        checksum: Int32,
        defaults text: String,
        topics: [String],
        removed: [String: String] = [:]
    ) async {
        defaults = BrokerTopicSettings(parsingDefault: text)
        topicStrings = topics
        let parsed = topics.compactMap { BrokerTopicSettings.parseTopic($0) }.map { ($0.topic, $0.settings) }
        let changes = await apply(defaults, parsed, removed.keys.sorted())
        noteRemoved(changes.removed, removed)
        guard changes.served else {
            logger.warning(
                "configuration not fully served; reporting the previous version until a retry serves it",
                metadata: ["tubemq.configVersion": "\(version)", "tubemq.heldVersion": "\(configVersion)"]
            )
            return
        }
        configVersion = version
        self.checksum = checksum
    }

    /// Remembers removed topics to report, each with the text the master named it by.
    private func noteRemoved(_ names: [String], _ texts: [String: String]) {
        for name in names { removedReports[name] = texts[name] ?? name }
    }

    private func takeFlowControl(version: Int64, text: String) {
        if catalog.flowControl.update(version: version, text: text) {
            logger.info("default flow-control rules changed", metadata: ["tubemq.flowCheckId": "\(version)"])
        }
    }

    /// Tells the master the broker is leaving (method 9).
    func close() async {
        guard registered, !configuration.masterAddresses.isEmpty else { return }
        var request = CloseRequestB2M()
        request.brokerID = "\(configuration.brokerID)"
        if let certificate { request.authInfo = certificate }
        let _: CloseResponseM2B? = try? await client.call(
            .brokerClose,
            request,
            host: master.host,
            port: master.port,
            timeout: .seconds(3)
        )
        registered = false
    }
}
