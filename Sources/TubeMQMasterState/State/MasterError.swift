/// A failure the master state machine reports: a TubeMQ error code and the text to send with it.
///
/// Client RPCs (methods 1–9) fail with `TErrCodeConstants` codes (411, 425, …), which the master actor
/// puts into `errCode`/`errMsg` of the response. Admin calls fail with `DataOpErrCode` codes
/// (401 record not found, 402 record exists, …), which the webapi puts into its per-record results.
public struct MasterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An extensible TubeMQ error code.
    public struct Code: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        /// The numeric code as carried on the wire.
        public var rawValue: Int32

        /// Wraps a numeric code.
        public init(rawValue: Int32) { self.rawValue = rawValue }

        /// The code as a decimal number.
        public var description: String { String(rawValue) }

        // MARK: wire codes (TErrCodeConstants)

        /// 400 BAD_REQUEST: a malformed or incomplete request.
        public static let badRequest = Code(rawValue: 400)
        /// 403 FORBIDDEN: the request is not allowed in the current state.
        public static let forbidden = Code(rawValue: 403)
        /// 411 HB_NO_NODE: the client is unknown; it must register again.
        public static let heartbeatNoNode = Code(rawValue: 411)
        /// 424 CLIENT_INCONSISTENT_CONSUMETYPE: bound and unbound consumers mixed in one group.
        public static let inconsistentConsumeType = Code(rawValue: 424)
        /// 425 CLIENT_INCONSISTENT_TOPICSET: the topic set differs from the group's.
        public static let inconsistentTopicSet = Code(rawValue: 425)
        /// 426 CLIENT_INCONSISTENT_FILTERSET: the filter conditions differ from the group's.
        public static let inconsistentFilterSet = Code(rawValue: 426)
        /// 427 CLIENT_INCONSISTENT_SESSIONKEY: the bound-consume session key differs from the group's.
        public static let inconsistentSessionKey = Code(rawValue: 427)
        /// 428 CLIENT_INCONSISTENT_SELECTBIG: the bound-consume `selectBig` differs from the group's.
        public static let inconsistentSelectBig = Code(rawValue: 428)
        /// 429 CLIENT_INCONSISTENT_SOURCECOUNT: the bound-consume `totalCount` differs or is exceeded.
        public static let inconsistentSourceCount = Code(rawValue: 429)
        /// 431 TOPIC_NOT_DEPLOYED: a subscribed topic is not deployed on any broker.
        public static let topicNotDeployed = Code(rawValue: 431)
        /// 450 CONSUME_GROUP_FORBIDDEN: the group may not consume one of its topics.
        public static let consumeGroupForbidden = Code(rawValue: 450)
        /// 455 CONSUME_CONTENT_FORBIDDEN: the group may consume a topic only with allowed filters.
        public static let consumeContentForbidden = Code(rawValue: 455)

        // MARK: admin codes (DataOpErrCode)

        /// 401 (admin): the record does not exist.
        public static let recordNotFound = Code(rawValue: 401)
        /// 402 (admin): the record already exists.
        public static let recordExists = Code(rawValue: 402)
        /// 404 (admin): related configuration must be cleaned up first.
        public static let relatedConfigExists = Code(rawValue: 404)
        /// 405 (admin): a precondition is not met.
        public static let preconditionFailed = Code(rawValue: 405)
        /// 406 (admin): the record's status forbids the operation.
        public static let illegalStatus = Code(rawValue: 406)
        /// 407 (admin): a value is out of range or malformed.
        public static let illegalValue = Code(rawValue: 407)
    }

    /// The error code.
    public var code: Code
    /// The human-readable text (`errMsg`).
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(code): \(message)" }
}

// MARK: - The catalogue of texts the recorded master sends

extension MasterError {
    /// 411 for a heartbeat from a producer the master does not know (text as recorded).
    public static func unknownProducer(_ clientID: String) -> MasterError {
        MasterError(
            code: .heartbeatNoNode,
            message: "Invalid node id:\(clientID), you have to append node first!"
        )
    }

    /// 411 for a consumer heartbeat naming a group the master does not hold (text as recorded).
    public static func unknownGroup(_ group: String) -> MasterError {
        MasterError(code: .heartbeatNoNode, message: "Not found groupName \(group) in holder!")
    }

    /// 411 for a consumer heartbeat whose group exists but does not contain the consumer.
    public static func unknownConsumer(_ clientID: String, group: String) -> MasterError {
        MasterError(
            code: .heartbeatNoNode,
            message: "Not found consumer \(clientID) of groupName \(group) in holder!"
        )
    }

    /// 411 for a heartbeat or close from a broker that has not registered.
    public static func unknownBroker(_ brokerID: Int32) -> MasterError {
        MasterError(
            code: .heartbeatNoNode,
            message: "Not found broker \(brokerID) in holder, please register first!"
        )
    }

    /// 400 for a request that is malformed.
    public static func badRequest(_ message: String) -> MasterError {
        MasterError(code: .badRequest, message: message)
    }
}
