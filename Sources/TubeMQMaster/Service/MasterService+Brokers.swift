import Logging
import TubeMQMasterState
import TubeMQRPC
import TubeMQWire

/// Methods 7–9: brokers.
///
/// Recorded shapes (`broker-master.jsonl`): the register reply carries the service flags,
/// `takeConfInfo = true`, `enableBrokerInfo` (all false), the configuration version, checksum and
/// strings, `ssdStoreId`/`flowCheckId` -2, the cluster's `qryPriorityId`, both authorized infos and
/// `clsConfig`. A heartbeat reply carries the flags, version and checksum, `needReportData = false`,
/// `takeRemoveTopicInfo = true` (the list may be empty), and the strings only when the broker's
/// version is stale (`takeConfInfo`).
extension MasterService {
    func registerBroker(_ request: RegisterRequestB2M, context: RPCCallContext) async throws -> RegisterResponseM2B {
        let master = self.master
        let held = request.hasClsConfig ? request.clsConfig : nil
        let parsed = RequestParsing.brokerAddress(request.clientID)
        let certificate = request.hasAuthInfo ? request.authInfo : nil
        let security = self.security
        return try await answering { () async throws(MasterError) -> RegisterResponseM2B in
            try security.authenticateBroker(certificate)
            guard let (id, host, port) = parsed else {
                throw .badRequest("Illegal broker clientId \(request.clientID), expected brokerId:ip:port:version!")
            }
            var registration = BrokerRegistration(
                id: id,
                host: host,
                port: port,
                enableTLS: request.enableTls,
                tlsPort: request.hasTlsPort && request.tlsPort > 0 ? Int(request.tlsPort) : nil,
                online: request.brokerOnline,
                configVersion: request.curBrokerConfID
            )
            registration.reported = BrokerServiceReport(read: request.readStatusRpt, write: request.writeStatusRpt)
            let (reply, brokerContext) = try await master.registerBroker(registration)
            let text = BrokerConfigText(reply)
            var response = RegisterResponseM2B.ok()
            response.stopRead = reply.stopRead
            response.stopWrite = reply.stopWrite
            response.takeConfInfo = true
            response.enableBrokerInfo = security.brokerFunctions
            response.curBrokerConfID = reply.configVersion
            response.confCheckSumID = text.checksum
            response.brokerDefaultConfInfo = text.defaults
            response.brokerTopicSetConfInfo = text.topics
            Self.fillShared(
                &response,
                context: brokerContext,
                heldFlowCheckID: request.flowCheckID,
                heldCluster: held,
                security: security
            )
            return response
        } failure: { error in
            context.logger.warning(
                "broker registration refused",
                metadata: ["tubemq.client": "\(request.clientID)", "tubemq.errMsg": "\(error.message)"]
            )
            var response = RegisterResponseM2B.failure(error)
            response.stopRead = false
            response.stopWrite = false
            response.takeConfInfo = false
            return response
        }
    }

    func brokerHeartbeat(_ request: HeartRequestB2M, context: RPCCallContext) async throws -> HeartResponseM2B {
        let master = self.master
        let held = request.hasClsConfig ? request.clsConfig : nil
        let id = RequestParsing.brokerID(request.brokerID)
        let removed = request.takeRemovedTopicInfo ? RequestParsing.topicNames(request.removedTopicsInfo) : []
        let certificate = request.hasAuthInfo ? request.authInfo : nil
        let security = self.security
        return try await answering { () async throws(MasterError) -> HeartResponseM2B in
            try security.authenticateBroker(certificate)
            guard let id else { throw .badRequest("Illegal brokerId \(request.brokerID)!") }
            var heartbeat = BrokerHeartbeat(
                id: id,
                online: request.brokerOnline,
                configVersion: request.curBrokerConfID,
                removedTopics: removed
            )
            heartbeat.reported = BrokerServiceReport(read: request.readStatusRpt, write: request.writeStatusRpt)
            let (reply, brokerContext) = try await master.brokerHeartbeat(heartbeat)
            let text = BrokerConfigText(reply)
            var response = HeartResponseM2B.ok()
            response.stopRead = reply.stopRead
            response.stopWrite = reply.stopWrite
            response.curBrokerConfID = reply.configVersion
            response.confCheckSumID = text.checksum
            response.needReportData = false
            response.takeConfInfo = reply.takeConfig
            response.takeRemoveTopicInfo = true
            if reply.takeConfig {
                response.brokerDefaultConfInfo = text.defaults
                response.brokerTopicSetConfInfo = text.topics
            }
            response.removeTopicConfInfo = text.removedTopics
            Self.fillShared(
                &response,
                context: brokerContext,
                heldFlowCheckID: request.flowCheckID,
                heldCluster: held,
                security: security
            )
            return response
        } failure: { error in
            context.logger.info(
                "broker heartbeat refused",
                metadata: ["tubemq.broker": "\(request.brokerID)", "tubemq.errMsg": "\(error.message)"]
            )
            var response = HeartResponseM2B.failure(error)
            response.stopRead = false
            response.stopWrite = false
            response.curBrokerConfID = -2
            response.confCheckSumID = -2
            response.needReportData = true
            response.takeConfInfo = false
            response.takeRemoveTopicInfo = false
            return response
        }
    }

    func closeBroker(_ request: CloseRequestB2M, context: RPCCallContext) async throws -> CloseResponseM2B {
        let (master, security) = (self.master, self.security)
        let id = RequestParsing.brokerID(request.brokerID)
        let certificate = request.hasAuthInfo ? request.authInfo : nil
        return try await answering { () async throws(MasterError) -> CloseResponseM2B in
            guard let id else { throw .badRequest("Illegal brokerId \(request.brokerID)!") }
            // With needBrokerVisitAuth, a close is signed as a heartbeat is: anyone could otherwise
            // take a broker out of the cluster.
            do throws(MasterError) {
                try security.authenticateBroker(certificate)
            } catch {
                context.logger.notice(
                    "broker close refused",
                    metadata: ["tubemq.broker": "\(id)", "tubemq.errMsg": "\(error.message)"]
                )
                throw error
            }
            try await master.closeBroker(id: id)
            return .ok()
        } failure: {
            .failure($0)
        }
    }

    /// The visit tokens a broker accepts from clients (a comma-separated list: the current token
    /// and the next, ``VisitTokens``).
    static func brokerAuthorizedInfo(_ tokens: [Int64]) -> MasterBrokerAuthorizedInfo {
        var info = MasterBrokerAuthorizedInfo()
        info.visitAuthorizedToken = tokens.map(String.init).joined(separator: ",")
        return info
    }

    /// Sets what a broker's register and heartbeat replies share: `ssdStoreId` -2, the default flow
    /// rules (their text only when the broker holds another version), the cluster's `qryPriorityId`,
    /// both authorized infos (the broker's with the current and the next visit token) and `clsConfig`.
    static func fillShared<Reply: BrokerReplySharedFields>(
        _ response: inout Reply,
        context: BrokerReplyContext,
        heldFlowCheckID: Int64,
        heldCluster: ClusterConfig?,
        security: MasterSecurity
    ) {
        response.ssdStoreID = -2
        response.flowCheckID = context.flowControl?.version ?? -2
        if let flow = context.flowControl, heldFlowCheckID != flow.version {
            response.flowControlInfo = flow.rules.json
        }
        response.qryPriorityID = context.qryPriorityID
        response.authorizedInfo = ReplyFormatting.authorizedInfo(security.visitTokens.client)
        response.brokerAuthorizedInfo = Self.brokerAuthorizedInfo(security.visitTokens.brokers)
        response.clsConfig = ReplyFormatting.clusterConfig(context.approved, held: heldCluster)
    }
}

/// The fields a broker's register reply (`RegisterResponseM2B`) and heartbeat reply
/// (`HeartResponseM2B`) share, filled by ``MasterService/fillShared(_:context:heldFlowCheckID:heldCluster:security:)``.
protocol BrokerReplySharedFields {
    var ssdStoreID: Int64 { get set }
    var flowCheckID: Int64 { get set }
    var flowControlInfo: String { get set }
    var qryPriorityID: Int32 { get set }
    var authorizedInfo: MasterAuthorizedInfo { get set }
    var brokerAuthorizedInfo: MasterBrokerAuthorizedInfo { get set }
    var clsConfig: ClusterConfig { get set }
}

extension RegisterResponseM2B: BrokerReplySharedFields {}
extension HeartResponseM2B: BrokerReplySharedFields {}
