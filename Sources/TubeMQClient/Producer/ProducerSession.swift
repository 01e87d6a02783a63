import Logging
import TubeMQCore
import TubeMQWire

/// A producer's membership at the master: register (method 1), heartbeat (2), close (3).
///
/// Heartbeats go out at once on `publish` (as the Java producer does) and then every period; each reply
/// refreshes the partition map in ``ProducerRouting``. A master that answers 411 (it does not know the
/// producer, e.g. after a failover) gets a new registration. Calls to the master are serialized here.
actor ProducerSession {
    private let clientID: String
    private let host: String
    private let master: MasterConnection
    private let routing: ProducerRouting
    private let period: Duration
    private let logger: Logger
    private let authenticator: MasterAuthenticator
    private var published: [String] = []
    private var registered = false
    private var loop: Task<Void, Never>?
    /// Cuts the wait for the next periodic heartbeat short (``requestHeartbeat()``).
    private nonisolated let heartbeatNow: Wakeup

    init(
        clientID: String,
        host: String,
        master: MasterConnection,
        routing: ProducerRouting,
        period: Duration,
        clock: any WallClock,
        authenticator: MasterAuthenticator,
        logger: Logger
    ) {
        self.authenticator = authenticator
        self.heartbeatNow = Wakeup(clock: clock)
        self.clientID = clientID
        self.host = host
        self.master = master
        self.routing = routing
        self.period = period
        self.logger = logger
    }

    /// Registers with the master (method 1), waiting up to `wait` for an active one while the masters
    /// answer that they are standby.
    ///
    /// - Throws: ``ClientError`` `rejected` when the master refuses, `masterUnavailable` when none answers.
    func register(awaitingActive wait: Duration? = nil) async throws(ClientError) {
        var request = RegisterRequestP2M()
        request.clientID = clientID
        request.topicList = published
        request.brokerCheckSum = -1
        request.hostName = host
        if let certificate = authenticator.certificate(registering: true) { request.authInfo = certificate }
        let reply: RegisterResponseM2P = try await master.call(.producerRegister, request, awaitingActive: wait)
        guard reply.success else {
            throw .rejected("the master refused the producer", code: reply.errCode, text: reply.errMsg)
        }
        routing.update { metadata in
            metadata.forceBrokerRefresh()
            metadata.applyBrokers(checksum: reply.brokerCheckSum, infos: reply.brokerInfos)
            if reply.hasAppdConfig, reply.appdConfig.hasMaxMsgSize, reply.appdConfig.maxMsgSize > 0 {
                metadata.defaultMaxMessageSize = Int(reply.appdConfig.maxMsgSize)
            }
        }
        if reply.hasAuthorizedInfo { routing.visitToken = reply.authorizedInfo.visitAuthorizedToken }
        authenticator.accept(reply.hasAuthorizedInfo ? reply.authorizedInfo : nil, requireAuth: false)
        routing.authToken = authenticator.brokerToken
        registered = true
        logger.debug("producer registered", metadata: ["tubemq.brokers": "\(reply.brokerInfos.count)"])
    }

    /// Adds topics and heartbeats at once, so their partitions are known when this returns.
    ///
    /// - Throws: ``ClientError`` when the heartbeat (and the registration it may need) fails.
    func publish(_ topics: [String]) async throws(ClientError) {
        for topic in topics where !published.contains(topic) { published.append(topic) }
        routing.published = Set(published)
        try await heartbeat()
    }

    /// The published topics.
    var topics: [String] { published }

    /// One heartbeat (method 2); registers first when the master does not know the producer.
    ///
    /// - Throws: ``ClientError`` when no master answers or it refuses.
    func heartbeat() async throws(ClientError) {
        if !registered { try await register() }
        var reply = try await sendHeartbeat()
        if !reply.success && reply.errCode == ErrorCode.certificateFailure.rawValue {
            // The issued token may just be unknown to this master (a restart, a failover): sign again at
            // once. Before the 411 check: that master does not know the producer either.
            authenticator.accept(nil, requireAuth: true)
            reply = try await sendHeartbeat()
        }
        if !reply.success && reply.errCode == ErrorCode.heartbeatNoNode.rawValue {
            registered = false
            try await register()
            reply = try await sendHeartbeat()
        }
        guard reply.success else {
            if reply.errCode == ErrorCode.certificateFailure.rawValue { authenticator.accept(nil, requireAuth: true) }
            let error = ClientError.rejected(
                "the master refused the producer heartbeat",
                code: reply.errCode,
                text: reply.errMsg
            )
            switch ErrorCode(rawValue: reply.errCode) {
            case .certificateFailure: routing.refusal = .init(error: error, topics: nil)
            case .forbidden: routing.refusal = .init(error: error, topics: Self.refusedTopics(reply.errMsg))
            default: break
            }
            throw error
        }
        routing.refusal = nil
        routing.update { metadata in
            metadata.applyBrokers(checksum: reply.brokerCheckSum, infos: reply.brokerInfos)
            metadata.applyTopics(reply.topicInfos)
            if metadata.missesBrokers { metadata.forceBrokerRefresh() }
        }
        if reply.hasAuthorizedInfo { routing.visitToken = reply.authorizedInfo.visitAuthorizedToken }
        authenticator.accept(reply.hasAuthorizedInfo ? reply.authorizedInfo : nil, requireAuth: reply.requireAuth)
        routing.authToken = authenticator.brokerToken
    }

    private func sendHeartbeat() async throws(ClientError) -> HeartResponseM2P {
        var request = HeartRequestP2M()
        request.clientID = clientID
        request.brokerCheckSum = routing.metadata.brokerCheckSum
        request.hostName = host
        request.topicList = published
        if let certificate = authenticator.certificate(registering: false) { request.authInfo = certificate }
        return try await master.call(.producerHeartbeat, request)
    }

    /// The topics a 403 names (`… unAuthorizedTopics: [t1, t2]`); `nil` (every topic) when it names none.
    static func refusedTopics(_ text: String) -> Set<String>? {
        guard let start = text.range(of: "unAuthorizedTopics: ["),
            let end = text[start.upperBound...].firstIndex(of: "]")
        else { return nil }
        let names = text[start.upperBound..<end].split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        return names.isEmpty ? nil : Set(names)
    }

    /// Starts the periodic heartbeats.
    func startHeartbeats() {
        guard loop == nil else { return }
        let period = self.period
        let wakeup = heartbeatNow
        loop = Task { [weak self] in
            while !Task.isCancelled {
                await wakeup.wait(upTo: period)
                guard !Task.isCancelled, let self else { return }
                do {
                    try await self.heartbeat()
                } catch {
                    self.logger.warning("producer heartbeat failed", metadata: ["tubemq.error": "\(error)"])
                }
            }
        }
    }

    /// Asks the heartbeat loop for a heartbeat now instead of at the end of the period (a send that
    /// found no partition wants the latest partition map). Returns at once.
    nonisolated func requestHeartbeat() {
        heartbeatNow.signal()
    }

    /// Stops heartbeating and tells the master the producer leaves (method 3).
    func close() async {
        loop?.cancel()
        await loop?.value
        loop = nil
        guard registered else { return }
        registered = false
        var request = CloseRequestP2M()
        request.clientID = clientID
        if let certificate = authenticator.certificate(registering: false) { request.authInfo = certificate }
        do {
            let reply: CloseResponseM2P = try await master.call(.producerClose, request)
            if !reply.success {
                logger.info(
                    "master refused the producer close",
                    metadata: ["tubemq.error": "\(reply.errCode) \(reply.errMsg)"]
                )
            }
        } catch {
            logger.info("producer close did not reach the master", metadata: ["tubemq.error": "\(error)"])
        }
    }
}
