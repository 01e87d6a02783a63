import Foundation
import NIOCore
import SwiftProtobuf
import TubeMQClient
import TubeMQCore
import TubeMQRPC
import TubeMQWire

/// A raw producer session with the master, for cases that talk to brokers frame by frame.
///
/// It registers (method 1) and heartbeats (method 2) as a producer of the topic under test, which is
/// how any client learns the brokers (`brokerInfos`, a blank port meaning 8123), the partitions
/// (`topicInfos`) and the largest message allowed (the topic's `maxMsgSize`, else `appdConfig`, else 1 MiB).
struct ClusterProbe: Sendable {
    /// The client used for every raw call.
    let rpc: RPCClient
    /// The master that answered.
    let master: MasterAddress
    /// The producer id the probe registered under.
    let clientID: String
    /// Every partition of the topic, ordered by broker and id.
    let partitions: [Partition]
    /// The brokers serving the topic.
    var brokers: [BrokerInfo] { Array(Set(partitions.map(\.broker))).sorted { $0.id < $1.id } }
    /// The largest message (attributes and body) the topic accepts.
    let maxMessageSize: Int

    /// Registers with the master and learns the topic's placement; unregistered again when the case ends.
    ///
    /// - Throws: ``ConformanceError`` when no master answers or it refuses the producer.
    static func connect(_ context: CaseContext) async throws(ConformanceError) -> ClusterProbe {
        let rpc = context.rpcClient()
        let clientID = "conf-probe-\(context.caseName)-\(context.settings.runID)"
        var register = RegisterRequestP2M()
        register.clientID = clientID
        register.brokerCheckSum = -1
        register.hostName = "127.0.0.1"
        let (master, registered): (MasterAddress, RegisterResponseM2P) = try await callMaster(
            rpc,
            context.settings.masters,
            .producerRegister,
            register
        )
        try require(
            registered.success,
            "the master refused a producer: \(registered.errCode) \(registered.errMsg)"
        )
        context.onCleanup {
            var close = CloseRequestP2M()
            close.clientID = clientID
            let _: CloseResponseM2P? = try? await rpc.call(
                .producerClose,
                close,
                host: master.host,
                port: master.port
            )
        }
        var heartbeat = HeartRequestP2M()
        heartbeat.clientID = clientID
        heartbeat.brokerCheckSum = -1
        heartbeat.hostName = "127.0.0.1"
        heartbeat.topicList = [context.topic]
        let beat: HeartResponseM2P = try await call(rpc, .producerHeartbeat, heartbeat, at: master)
        try require(beat.success, "the master refused a producer heartbeat: \(beat.errCode) \(beat.errMsg)")

        var brokers: [Int32: BrokerInfo] = [:]
        for info in registered.brokerInfos + beat.brokerInfos {
            if let broker = MetadataStrings.parseBrokerInfo(info) { brokers[broker.id] = broker }
        }
        guard
            let topicInfo = beat.topicInfos.compactMap(MetadataStrings.TopicInfo.init(parsing:))
                .first(where: { $0.topic == context.topic })
        else {
            throw ConformanceError(
                .clientFailure,
                "the master's heartbeat reply has no topicInfo for \(context.topic): \(beat.topicInfos)"
            )
        }
        var partitions: [Partition] = []
        for placement in topicInfo.placements {
            guard let broker = brokers[placement.brokerID] else {
                throw .violation("topicInfo names broker \(placement.brokerID), which brokerInfos do not list")
            }
            partitions += placement.partitionIDs.map { Partition(broker: broker, topic: context.topic, id: $0) }
        }
        var maxSize = 1 << 20
        if registered.hasAppdConfig, registered.appdConfig.hasMaxMsgSize, registered.appdConfig.maxMsgSize > 0 {
            maxSize = Int(registered.appdConfig.maxMsgSize)
        }
        if beat.hasAppdConfig, beat.appdConfig.hasMaxMsgSize, beat.appdConfig.maxMsgSize > 0 {
            maxSize = Int(beat.appdConfig.maxMsgSize)
        }
        if let size = topicInfo.maxMessageSize, size > 0 { maxSize = Int(size) }
        return ClusterProbe(
            rpc: rpc,
            master: master,
            clientID: clientID,
            partitions: partitions.sorted { ($0.broker.id, $0.id) < ($1.broker.id, $1.id) },
            maxMessageSize: maxSize
        )
    }

    /// Sends one message to `partition` (method 13) with the given checksum (−1 lets the broker compute it).
    ///
    /// - Throws: ``ConformanceError`` when the call fails (a refusal is a reply, not an error).
    func send(
        _ message: TubeMQCore.Message,
        to partition: Partition,
        checksum: Int32 = -1
    )
        async throws(ConformanceError)
        -> SendMessageResponseB2P
    {
        try await send(payload: message.payload, flag: message.flag, to: partition, checksum: checksum)
    }

    /// Sends raw payload bytes with `flag` to `partition`.
    ///
    /// - Throws: ``ConformanceError`` when the call fails.
    func send(
        payload: [UInt8],
        flag: Int32,
        to partition: Partition,
        checksum: Int32 = -1
    )
        async throws(ConformanceError) -> SendMessageResponseB2P
    {
        var request = SendMessageRequestP2B()
        request.clientID = clientID
        request.topicName = partition.topic
        request.partitionID = partition.id
        request.data = Data(payload)
        request.flag = flag
        request.checkSum = checksum
        request.sentAddr = 0x7F00_0001
        return try await Self.call(rpc, .sendMessage, request, at: partition.broker)
    }

    /// Calls a broker method on `broker`.
    ///
    /// - Throws: ``ConformanceError`` `clientFailure` (or `violation` for an exception reply).
    func call<Response: SwiftProtobuf.Message>(
        _ method: RPCMethod,
        _ request: some SwiftProtobuf.Message,
        at broker: BrokerInfo
    ) async throws(ConformanceError) -> Response {
        try await Self.call(rpc, method, request, at: broker)
    }

    static func call<Response: SwiftProtobuf.Message>(
        _ rpc: RPCClient,
        _ method: RPCMethod,
        _ request: some SwiftProtobuf.Message,
        at broker: BrokerInfo
    ) async throws(ConformanceError) -> Response {
        try await call(rpc, method, request, at: MasterAddress(host: broker.host, port: broker.port))
    }

    static func call<Response: SwiftProtobuf.Message>(
        _ rpc: RPCClient,
        _ method: RPCMethod,
        _ request: some SwiftProtobuf.Message,
        at address: MasterAddress
    ) async throws(ConformanceError) -> Response {
        do {
            return try await rpc.call(method, request, host: address.host, port: address.port)
        } catch {
            if error.code == .remoteException {
                throw .violation("\(method) at \(address) answered with an exception: \(error)")
            }
            throw ConformanceError(.clientFailure, "\(method) at \(address)", underlying: error)
        }
    }

    /// Calls the first master that answers as the active one (standbys and unreachable ones are skipped).
    private static func callMaster<Response: SwiftProtobuf.Message>(
        _ rpc: RPCClient,
        _ masters: [MasterAddress],
        _ method: RPCMethod,
        _ request: some SwiftProtobuf.Message
    ) async throws(ConformanceError) -> (MasterAddress, Response) {
        var failures: [String] = []
        for master in masters {
            do {
                let reply: Response = try await rpc.call(method, request, host: master.host, port: master.port)
                return (master, reply)
            } catch {
                failures.append("\(master): \(error)")
            }
        }
        throw ConformanceError(.clientFailure, "no master answered \(method): \(failures.joined(separator: "; "))")
    }
}
