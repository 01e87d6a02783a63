public import SwiftProtobuf

/// A TubeMQ RPC method: its id, the service types that accept it, and its message types.
public struct RPCMethod: Sendable, Hashable, CustomStringConvertible {
    /// The method id in `RequestBody.method`.
    public let id: Int32
    /// The Java server's name for the method, for logs.
    public let name: String
    /// The service that implements it.
    public let service: ServiceType
    /// The request message type.
    public let requestType: any SwiftProtobuf.Message.Type
    /// The response message type.
    public let responseType: any SwiftProtobuf.Message.Type

    public var description: String { "\(name)(\(id))" }

    public static func == (lhs: RPCMethod, rhs: RPCMethod) -> Bool { lhs.id == rhs.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }

    // MARK: Master (service type 1)

    /// Producer registers with the master.
    public static let producerRegister = RPCMethod(
        1,
        "producerRegisterP2M",
        .master,
        RegisterRequestP2M.self,
        RegisterResponseM2P.self
    )
    /// Producer heartbeat; its reply carries the partition map.
    public static let producerHeartbeat = RPCMethod(
        2,
        "producerHeartbeatP2M",
        .master,
        HeartRequestP2M.self,
        HeartResponseM2P.self
    )
    /// Producer leaves.
    public static let producerClose = RPCMethod(
        3,
        "producerCloseClientP2M",
        .master,
        CloseRequestP2M.self,
        CloseResponseM2P.self
    )
    /// Consumer registers with the master.
    public static let consumerRegister = RPCMethod(
        4,
        "consumerRegisterC2M",
        .master,
        RegisterRequestC2M.self,
        RegisterResponseM2C.self
    )
    /// Consumer heartbeat; carries rebalance events both ways.
    public static let consumerHeartbeat = RPCMethod(
        5,
        "consumerHeartbeatC2M",
        .master,
        HeartRequestC2M.self,
        HeartResponseM2C.self
    )
    /// Consumer leaves.
    public static let consumerClose = RPCMethod(
        6,
        "consumerCloseClientC2M",
        .master,
        CloseRequestC2M.self,
        CloseResponseM2C.self
    )
    /// Broker registers with the master.
    public static let brokerRegister = RPCMethod(
        7,
        "brokerRegisterB2M",
        .master,
        RegisterRequestB2M.self,
        RegisterResponseM2B.self
    )
    /// Broker heartbeat.
    public static let brokerHeartbeat = RPCMethod(
        8,
        "brokerHeartbeatB2M",
        .master,
        HeartRequestB2M.self,
        HeartResponseM2B.self
    )
    /// Broker leaves.
    public static let brokerClose = RPCMethod(
        9,
        "brokerCloseClientB2M",
        .master,
        CloseRequestB2M.self,
        CloseResponseM2B.self
    )
    /// Client-balanced consumer registers (Java `SimpleClientBalanceConsumer`).
    public static let consumerRegisterV2 = RPCMethod(
        20,
        "consumerRegisterC2MV2",
        .master,
        RegisterRequestC2MV2.self,
        RegisterResponseM2CV2.self
    )
    /// Client-balanced consumer heartbeat.
    public static let consumerHeartbeatV2 = RPCMethod(
        21,
        "consumerHeartbeatC2MV2",
        .master,
        HeartRequestC2MV2.self,
        HeartResponseM2CV2.self
    )
    /// Client-balanced consumer asks for partition metadata.
    public static let consumerGetPartitionMeta = RPCMethod(
        22,
        "consumerGetPartMetaInfoC2M",
        .master,
        GetPartMetaRequestC2M.self,
        GetPartMetaResponseM2C.self
    )

    // MARK: Broker (service types 2 and 3)

    /// Producer sends a message.
    public static let sendMessage = RPCMethod(
        13,
        "sendMessageP2B",
        .brokerWrite,
        SendMessageRequestP2B.self,
        SendMessageResponseB2P.self
    )
    /// Consumer registers (opType 31) or unregisters (opType 32) a partition.
    public static let consumerRegisterToBroker = RPCMethod(
        15,
        "consumerRegisterC2B",
        .brokerRead,
        RegisterRequestC2B.self,
        RegisterResponseB2C.self
    )
    /// Consumer heartbeat to a broker.
    public static let consumerHeartbeatToBroker = RPCMethod(
        16,
        "consumerHeartbeatC2B",
        .brokerRead,
        HeartBeatRequestC2B.self,
        HeartBeatResponseB2C.self
    )
    /// Consumer fetches messages.
    public static let getMessages = RPCMethod(
        17,
        "getMessagesC2B",
        .brokerRead,
        GetMessageRequestC2B.self,
        GetMessageResponseB2C.self
    )
    /// Consumer commits its offset.
    public static let commitOffset = RPCMethod(
        18,
        "consumerCommitC2B",
        .brokerRead,
        CommitOffsetRequestC2B.self,
        CommitOffsetResponseB2C.self
    )

    /// Every method that has message types, by id.
    public static let all: [Int32: RPCMethod] = Dictionary(
        uniqueKeysWithValues: [
            producerRegister, producerHeartbeat, producerClose, consumerRegister, consumerHeartbeat, consumerClose,
            brokerRegister, brokerHeartbeat, brokerClose, consumerRegisterV2, consumerHeartbeatV2,
            consumerGetPartitionMeta, sendMessage, consumerRegisterToBroker, consumerHeartbeatToBroker, getMessages,
            commitOffset,
        ].map { ($0.id, $0) }
    )

    /// The method with message types for `id`; `nil` for unknown and reserved ids (0, 10–12, 14, 19, 23+).
    public static func withID(_ id: Int32) -> RPCMethod? { all[id] }

    /// Whether the Java server's validator accepts `method` under `serviceType`.
    ///
    /// Type 1 takes 1–9 and 20–22; type 2 takes 11–13 and 15–19 (so the Go client's send under
    /// type 2 is valid); type 3 takes 11–14; any other type takes nothing.
    public static func isValid(method: Int32, serviceType: Int32?) -> Bool {
        switch serviceType {
        case 1: return (1...9).contains(method) || (20...22).contains(method)
        case 2: return [11, 12, 13, 15, 16, 17, 18, 19].contains(method)
        case 3: return (11...14).contains(method)
        default: return false
        }
    }

    private init(
        _ id: Int32,
        _ name: String,
        _ service: ServiceType,
        _ requestType: any SwiftProtobuf.Message.Type,
        _ responseType: any SwiftProtobuf.Message.Type
    ) {
        self.id = id
        self.name = name
        self.service = service
        self.requestType = requestType
        self.responseType = responseType
    }
}
