import Logging
import TubeMQCore
import TubeMQMasterState
import TubeMQRPC
import TubeMQWire

/// Methods 20–22, the client-balance ("V2") consumer protocol of the Java `SimpleClientBalanceConsumer`.
///
/// Recorded shapes: the replies have no `success` field, `errCode` and `errMsg` are always set
/// (observation 27); register and heartbeat replies carry `brokerConfigId`, the broker list only
/// when the client's version is stale, an `opsTaskInfo` (empty when no task applies) and
/// `authorizedInfo`; the metadata reply carries both versions and each list only when stale.
/// Failures carry only `errCode` and `errMsg`.
extension MasterService {
    func registerClientBalanceConsumer(
        _ request: RegisterRequestC2MV2,
        context: RPCCallContext
    ) async throws -> RegisterResponseM2CV2 {
        let registration = ClientBalanceRegistration(
            clientID: request.clientID,
            group: request.groupName,
            hostName: request.hostName,
            sourceCount: request.sourceCount,
            nodeID: request.nodeID,
            topics: Set(request.topicList),
            filters: RequestParsing.filters(request.topicCondition),
            report: request.hasSubRepInfo ? Self.report(request.subRepInfo) : ClientBalanceReport(),
            consumeFromMaxID: request.hasOpsTaskInfo && request.opsTaskInfo.hasCsmFrmMaxOffsetCtrlID
                ? request.opsTaskInfo.csmFrmMaxOffsetCtrlID : -2
        )
        let certificate = request.hasAuthInfo ? request.authInfo : nil
        let (master, security) = (self.master, self.security)
        return try await answering { () async throws(MasterError) -> RegisterResponseM2CV2 in
            guard !request.hostName.isEmpty else { throw .badRequest("Request miss necessary hostName field info!") }
            let passed = try security.authenticateClient(certificate, produce: false, registering: true)
            try security.authorizeConsumer(
                consumerID: request.clientID,
                group: request.groupName,
                topics: request.topicList
            )
            let reply = try await master.registerClientBalanceConsumer(registration)
            var response = RegisterResponseM2CV2()
            response.errCode = ErrorCode.success.rawValue
            response.errMsg = "OK!"
            response.brokerConfigID = reply.brokerListID
            if let brokers = reply.brokers { response.brokerConfigList = ReplyFormatting.brokerInfos(brokers) }
            response.opsTaskInfo = Self.opsTaskInfo(
                reply,
                flow: await master.flowControl(group: request.groupName),
                held: request.hasOpsTaskInfo ? request.opsTaskInfo : nil
            )
            response.authorizedInfo = ReplyFormatting.authorizedInfo(
                security.visitTokens.client,
                authToken: passed.token
            )
            return response
        } failure: { error in
            context.logger.info(
                "client-balanced consumer registration refused",
                metadata: [
                    "tubemq.client": "\(request.clientID)", "tubemq.group": "\(request.groupName)",
                    "tubemq.errCode": "\(error.code)", "tubemq.errMsg": "\(error.message)",
                ]
            )
            var response = RegisterResponseM2CV2()
            response.errCode = error.code.rawValue
            response.errMsg = error.message
            return response
        }
    }

    func clientBalanceHeartbeat(
        _ request: HeartRequestC2MV2,
        context: RPCCallContext
    ) async throws -> HeartResponseM2CV2 {
        let report = request.hasSubRepInfo ? Self.report(request.subRepInfo) : ClientBalanceReport()
        let consumeFromMaxID =
            request.hasOpsTaskInfo && request.opsTaskInfo.hasCsmFrmMaxOffsetCtrlID
            ? request.opsTaskInfo.csmFrmMaxOffsetCtrlID : -2
        let certificate = request.hasAuthInfo ? request.authInfo : nil
        let (master, security) = (self.master, self.security)
        return try await answering { () async throws(MasterError) -> HeartResponseM2CV2 in
            let passed = try security.authenticateClient(certificate, produce: false, registering: false)
            let reply = try await master.clientBalanceHeartbeat(
                clientID: request.clientID,
                group: request.groupName,
                report: report,
                consumeFromMaxID: consumeFromMaxID
            )
            var response = HeartResponseM2CV2()
            response.errCode = ErrorCode.success.rawValue
            response.errMsg = "OK!"
            response.brokerConfigID = reply.brokerListID
            if let brokers = reply.brokers { response.brokerConfigList = ReplyFormatting.brokerInfos(brokers) }
            if let id = reply.topicMetaID { response.topicMetaInfoID = id }
            if let meta = reply.topicMeta { response.topicMetaInfoList = meta.map(Self.topicMetaText) }
            response.opsTaskInfo = Self.opsTaskInfo(
                reply,
                flow: await master.flowControl(group: request.groupName),
                held: request.hasOpsTaskInfo ? request.opsTaskInfo : nil
            )
            response.authorizedInfo = ReplyFormatting.authorizedInfo(
                security.visitTokens.client,
                authToken: passed.token
            )
            return response
        } failure: { error in
            context.logger.debug(
                "client-balanced consumer heartbeat refused",
                metadata: [
                    "tubemq.client": "\(request.clientID)", "tubemq.group": "\(request.groupName)",
                    "tubemq.errCode": "\(error.code)",
                ]
            )
            var response = HeartResponseM2CV2()
            response.errCode = error.code.rawValue
            response.errMsg = error.message
            return response
        }
    }

    func clientBalanceMeta(
        _ request: GetPartMetaRequestC2M,
        context: RPCCallContext
    ) async throws -> GetPartMetaResponseM2C {
        let certificate = request.hasAuthInfo ? request.authInfo : nil
        let (master, security) = (self.master, self.security)
        return try await answering { () async throws(MasterError) -> GetPartMetaResponseM2C in
            _ = try security.authenticateClient(certificate, produce: false, registering: false)
            let reply = try await master.clientBalanceMeta(
                clientID: request.clientID,
                group: request.groupName,
                brokerListID: request.brokerConfigID,
                topicMetaID: request.topicMetaInfoID
            )
            var response = GetPartMetaResponseM2C()
            response.errCode = ErrorCode.success.rawValue
            response.errMsg = "OK!"
            response.brokerConfigID = reply.brokerListID
            if let id = reply.topicMetaID { response.topicMetaInfoID = id }
            if let meta = reply.topicMeta { response.topicMetaInfoList = meta.map(Self.topicMetaText) }
            if let brokers = reply.brokers { response.brokerConfigList = ReplyFormatting.brokerInfos(brokers) }
            return response
        } failure: { error in
            var response = GetPartMetaResponseM2C()
            response.errCode = error.code.rawValue
            response.errMsg = error.message
            return response
        }
    }

    /// The client's `ClientSubRepInfo`, parsed; malformed `partSubInfo` entries are skipped.
    static func report(_ info: ClientSubRepInfo) -> ClientBalanceReport {
        var partitions: [ReportedPartition]?
        if info.reportSubInfo {
            partitions = info.partSubInfo.flatMap { entry in
                (MetadataStrings.parsePartSubInfo(entry) ?? []).map {
                    ReportedPartition(brokerID: $0.brokerID, topic: $0.topic, partitionID: $0.partitionID)
                }
            }
        }
        return ClientBalanceReport(
            brokerListID: info.brokerConfigID,
            topicMetaID: info.topicMetaInfoID,
            lastAssignedAt: info.hasLstAssignedTime ? info.lstAssignedTime : -2,
            partitions: partitions
        )
    }

    /// The `opsTaskInfo` of a register or heartbeat reply: the consume-from-max task when the client
    /// must apply it, and the enabled flow-control rules (versions always, texts when the client
    /// holds other versions, the group's read priority with the group's rules).
    static func opsTaskInfo(_ reply: ClientBalanceReply, flow: ConsumerFlowControl, held: OpsTaskInfo?) -> OpsTaskInfo {
        var info = OpsTaskInfo()
        if let id = reply.consumeFromMaxID { info.csmFrmMaxOffsetCtrlID = id }
        if let defaults = flow.defaults {
            info.defFlowCheckID = defaults.version
            if held?.hasDefFlowCheckID != true || held?.defFlowCheckID != defaults.version {
                info.defFlowControlInfo = defaults.rules.json
            }
        }
        if let group = flow.group {
            info.groupFlowCheckID = group.version
            if let priority = flow.qryPriorityID { info.qryPriorityID = priority }
            if held?.hasGroupFlowCheckID != true || held?.groupFlowCheckID != group.version {
                info.groupFlowControlInfo = group.rules.json
            }
        }
        return info
    }

    /// One `topicMetaInfoList` entry.
    static func topicMetaText(_ meta: TopicPartitionMeta) -> String {
        MetadataStrings.topicMeta(
            MetadataStrings.TopicMeta(
                topic: meta.topic,
                deployments: meta.deployments.map {
                    .init(
                        brokerID: $0.brokerID,
                        stores: $0.numTopicStores,
                        partitionsPerStore: $0.numPartitions,
                        subscribable: $0.subscribable
                    )
                }
            )
        )
    }
}
