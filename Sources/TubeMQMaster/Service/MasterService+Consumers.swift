import Logging
import TubeMQCore
import TubeMQMasterState
import TubeMQRPC
import TubeMQWire

/// Methods 4–6: server-balanced consumers.
///
/// Recorded shapes: register and heartbeat replies carry `notAllocated`, the flow-control
/// boilerplate (ids -2, rule texts " ", `ssdStoreId` -2, `qryPriorityId` -2) and `authorizedInfo`;
/// a heartbeat reply carries at most one `event`, without `status`. Failed registers and heartbeats
/// (411 and friends) carry only the three result fields, as does every close reply.
extension MasterService {
    func registerConsumer(_ request: RegisterRequestC2M, context: RPCCallContext) async throws -> RegisterResponseM2C {
        let (held, malformed) = RequestParsing.partitions(request.subscribeInfo)
        if !malformed.isEmpty {
            context.logger.debug(
                "ignored malformed subscribeInfo",
                metadata: ["tubemq.client": "\(request.clientID)", "tubemq.entries": "\(malformed)"]
            )
        }
        let registration = ConsumerRegistration(
            clientID: request.clientID,
            group: request.groupName,
            hostName: request.hostName,
            topics: Set(request.topicList),
            filters: RequestParsing.filters(request.topicCondition),
            held: held,
            bound: Self.boundRequest(request),
            overTLS: overTLS
        )
        let certificate = request.hasAuthInfo ? request.authInfo : nil
        let (master, security) = (self.master, self.security)
        return try await answering { () async throws(MasterError) -> RegisterResponseM2C in
            let passed = try security.authenticateClient(certificate, produce: false, registering: true)
            try security.authorizeConsumer(
                consumerID: request.clientID,
                group: request.groupName,
                topics: request.topicList
            )
            let reply = try await master.registerConsumer(registration)
            var response = RegisterResponseM2C.ok()
            response.notAllocated = reply.notAllocated
            response.setFlowControl(
                await master.flowControl(group: request.groupName),
                heldDefault: request.defFlowCheckID,
                heldGroup: request.groupFlowCheckID
            )
            response.authorizedInfo = ReplyFormatting.authorizedInfo(
                security.visitTokens.client,
                authToken: passed.token
            )
            return response
        } failure: { error in
            context.logger.info(
                "consumer registration refused",
                metadata: [
                    "tubemq.client": "\(request.clientID)", "tubemq.group": "\(request.groupName)",
                    "tubemq.errCode": "\(error.code)", "tubemq.errMsg": "\(error.message)",
                ]
            )
            return .failure(error)
        }
    }

    func consumerHeartbeat(_ request: HeartRequestC2M, context: RPCCallContext) async throws -> HeartResponseM2C {
        let heartbeat = ConsumerHeartbeat(
            clientID: request.clientID,
            group: request.groupName,
            report: request.reportSubscribeInfo ? RequestParsing.partitions(request.subscribeInfo).partitions : nil,
            ack: request.hasEvent ? ReplyFormatting.acknowledgement(request.event) : nil
        )
        let certificate = request.hasAuthInfo ? request.authInfo : nil
        let (master, security) = (self.master, self.security)
        return try await answering { () async throws(MasterError) -> HeartResponseM2C in
            let passed: MasterSecurity.Passed
            do throws(MasterError) {
                passed = try security.authenticateClient(certificate, produce: false, registering: false)
            } catch {
                // Its user was removed or its password changed: the consumer is out of the group now, so
                // the others take its partitions at once (its close, unsigned, is refused as well).
                if error.message == AuthText.wrongCredentials {
                    try? await master.closeConsumer(clientID: request.clientID, group: request.groupName)
                }
                throw error
            }
            let reply = try await master.consumerHeartbeat(heartbeat)
            var response = HeartResponseM2C.ok()
            if let event = reply.event { response.event = ReplyFormatting.event(event) }
            response.notAllocated = reply.notAllocated
            response.setFlowControl(
                await master.flowControl(group: request.groupName),
                heldDefault: request.defFlowCheckID,
                heldGroup: request.groupFlowCheckID
            )
            if passed.requireAuth { response.requireAuth = true }
            response.authorizedInfo = ReplyFormatting.authorizedInfo(
                security.visitTokens.client,
                authToken: passed.token
            )
            return response
        } failure: { error in
            context.logger.debug(
                "consumer heartbeat refused",
                metadata: [
                    "tubemq.client": "\(request.clientID)", "tubemq.group": "\(request.groupName)",
                    "tubemq.errCode": "\(error.code)",
                ]
            )
            return .failure(error)
        }
    }

    func closeConsumer(_ request: CloseRequestC2M, context: RPCCallContext) async throws -> CloseResponseM2C {
        let (master, security) = (self.master, self.security)
        let (clientID, group) = (request.clientID, request.groupName)
        let certificate = request.hasAuthInfo ? request.authInfo : nil
        return try await answering { () async throws(MasterError) -> CloseResponseM2C in
            try MasterService.authenticateClose(certificate, produce: false, clientID: clientID, security, context)
            try await master.closeConsumer(clientID: clientID, group: group)
            return .ok()
        } failure: {
            .failure($0)
        }
    }

    /// The bound-consume part of a registration, when `requireBound` is set.
    static func boundRequest(_ request: RegisterRequestC2M) -> BoundConsumeRequest? {
        guard request.requireBound else { return nil }
        return BoundConsumeRequest(
            sessionKey: request.sessionKey,
            sessionTime: request.sessionTime,
            totalCount: request.totalCount,
            requiredOffsets: RequestParsing.requiredOffsets(request.requiredPartition),
            selectBig: request.hasSelectBig ? request.selectBig : true
        )
    }
}

/// Consumer replies that carry the flow-control fields: the "no rules" values the recorded master
/// sent (ids -2, texts of one blank) unless rules are enabled.
protocol FlowControlReply {
    var defFlowCheckID: Int64 { get set }
    var defFlowControlInfo: String { get set }
    var groupFlowCheckID: Int64 { get set }
    var groupFlowControlInfo: String { get set }
    var ssdStoreID: Int64 { get set }
    var qryPriorityID: Int32 { get set }
}

extension FlowControlReply {
    /// Ids -2, rule texts of one blank, `ssdStoreId` -2, `qryPriorityId` -2.
    mutating func setFlowControlDefaults() {
        defFlowCheckID = -2
        defFlowControlInfo = " "
        groupFlowCheckID = -2
        groupFlowControlInfo = " "
        ssdStoreID = -2
        qryPriorityID = -2
    }
}

extension FlowControlReply {
    /// The enabled rules of `flow`: each set's version, and its JSON only when the consumer holds
    /// another version (`held…`); the group's read priority when the group has its own rules.
    mutating func setFlowControl(_ flow: ConsumerFlowControl, heldDefault: Int64, heldGroup: Int64) {
        setFlowControlDefaults()
        if let defaults = flow.defaults {
            defFlowCheckID = defaults.version
            if heldDefault != defaults.version { defFlowControlInfo = defaults.rules.json }
        }
        if let group = flow.group {
            groupFlowCheckID = group.version
            if heldGroup != group.version { groupFlowControlInfo = group.rules.json }
        }
        if let priority = flow.qryPriorityID { qryPriorityID = priority }
    }
}

extension RegisterResponseM2C: FlowControlReply {}
extension HeartResponseM2C: FlowControlReply {}
