import Logging
import TubeMQCore
import TubeMQMasterState
import TubeMQRPC
import TubeMQWire

/// Methods 1–3: producers.
///
/// Recorded shapes: a register reply carries `brokerCheckSum`, `brokerInfos`, `authorizedInfo` and
/// `appdConfig`; a heartbeat reply carries `topicInfos` (only heartbeats do), `brokerInfos` only
/// when the producer's checksum is stale, `authorizedInfo` and `appdConfig`; a failed register or
/// heartbeat carries the three result fields and `brokerCheckSum = -1`; a close reply only the
/// result fields.
extension MasterService {
    func registerProducer(_ request: RegisterRequestP2M, context: RPCCallContext) async throws -> RegisterResponseM2P {
        let registration = ProducerRegistration(
            clientID: request.clientID,
            hostName: request.hostName,
            topics: request.topicList,
            brokerChecksum: request.brokerCheckSum
        )
        let held = request.hasAppdConfig ? request.appdConfig : nil
        let certificate = request.hasAuthInfo ? request.authInfo : nil
        let (master, security) = (self.master, self.security)
        return try await answering { () async throws(MasterError) -> RegisterResponseM2P in
            if let problem = NameRules.clientProblem(clientID: request.clientID, hostName: request.hostName)
                ?? NameRules.bookedTopicsProblem(request.topicList)
            {
                throw .badRequest(problem)
            }
            let passed = try security.authenticateClient(certificate, produce: true, registering: true)
            try security.authorizeProducer(userName: passed.userName, topics: request.topicList)
            let (reply, approved) = try await master.registerProducer(registration)
            var response = RegisterResponseM2P.ok()
            response.brokerCheckSum = reply.brokerChecksum
            response.brokerInfos = ReplyFormatting.brokerInfos(reply.brokers)
            response.authorizedInfo = ReplyFormatting.authorizedInfo(
                security.visitTokens.client,
                authToken: passed.token
            )
            response.appdConfig = ReplyFormatting.approvedConfig(approved, held: held)
            return response
        } failure: { error in
            context.logger.info(
                "producer registration refused",
                metadata: [
                    "tubemq.client": "\(request.clientID)", "tubemq.errCode": "\(error.code)",
                    "tubemq.errMsg": "\(error.message)", "tubemq.user": "\(certificate?.authInfo.userName ?? "")",
                ]
            )
            var response = RegisterResponseM2P.failure(error)
            response.brokerCheckSum = -1
            return response
        }
    }

    func producerHeartbeat(_ request: HeartRequestP2M, context: RPCCallContext) async throws -> HeartResponseM2P {
        let heartbeat = ProducerHeartbeat(
            clientID: request.clientID,
            hostName: request.hostName,
            topics: request.topicList,
            brokerChecksum: request.brokerCheckSum
        )
        let held = request.hasAppdConfig ? request.appdConfig : nil
        let certificate = request.hasAuthInfo ? request.authInfo : nil
        let (master, security) = (self.master, self.security)
        return try await answering { () async throws(MasterError) -> HeartResponseM2P in
            let passed: MasterSecurity.Passed
            do throws(MasterError) {
                passed = try security.authenticateClient(certificate, produce: true, registering: false)
            } catch {
                // Its user was removed or its password changed: the producer is no longer registered.
                if error.message == AuthText.wrongCredentials {
                    try? await master.closeProducer(clientID: request.clientID)
                }
                throw error
            }
            if let problem = NameRules.bookedTopicsProblem(request.topicList) { throw .badRequest(problem) }
            try security.authorizeProducer(userName: passed.userName, topics: request.topicList)
            let (reply, approved) = try await master.producerHeartbeat(heartbeat)
            var response = HeartResponseM2P.ok()
            response.brokerCheckSum = reply.brokerChecksum
            response.topicInfos = reply.topics.map(ReplyFormatting.topicInfo)
            if let brokers = reply.brokers { response.brokerInfos = ReplyFormatting.brokerInfos(brokers) }
            if passed.requireAuth { response.requireAuth = true }
            response.authorizedInfo = ReplyFormatting.authorizedInfo(
                security.visitTokens.client,
                authToken: passed.token
            )
            response.appdConfig = ReplyFormatting.approvedConfig(approved, held: held)
            return response
        } failure: { error in
            context.logger.debug(
                "producer heartbeat refused",
                metadata: ["tubemq.client": "\(request.clientID)", "tubemq.errCode": "\(error.code)"]
            )
            var response = HeartResponseM2P.failure(error)
            response.brokerCheckSum = -1
            return response
        }
    }

    func closeProducer(_ request: CloseRequestP2M, context: RPCCallContext) async throws -> CloseResponseM2P {
        let (master, security) = (self.master, self.security)
        let clientID = request.clientID
        let certificate = request.hasAuthInfo ? request.authInfo : nil
        return try await answering { () async throws(MasterError) -> CloseResponseM2P in
            try MasterService.authenticateClose(certificate, produce: true, clientID: clientID, security, context)
            try await master.closeProducer(clientID: clientID)
            return .ok()
        } failure: {
            .failure($0)
        }
    }
}

extension MasterService {
    /// Checks the credentials of a producer's or consumer's close as its heartbeat's, logging a
    /// refusal: with authentication on, anyone could otherwise remove any client, whose ids the
    /// webapi lists without a token.
    ///
    /// - Throws: ``TubeMQMasterState/MasterError`` 415, as for a heartbeat.
    static func authenticateClose(
        _ certificate: MasterCertificateInfo?,
        produce: Bool,
        clientID: String,
        _ security: MasterSecurity,
        _ context: RPCCallContext
    ) throws(MasterError) {
        do throws(MasterError) {
            _ = try security.authenticateClient(certificate, produce: produce, registering: false)
        } catch {
            context.logger.notice(
                produce ? "producer close refused" : "consumer close refused",
                metadata: ["tubemq.client": "\(clientID)", "tubemq.errMsg": "\(error.message)"]
            )
            throw error
        }
    }
}
