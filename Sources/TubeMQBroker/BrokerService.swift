import Logging
public import SwiftProtobuf
public import TubeMQRPC
import TubeMQStorage
public import TubeMQWire

/// The broker's RPC service: send (13), partition register/unregister (15), heartbeat (16),
/// get (17) and commit (18), under service types 2 and 3, as the real broker answers them.
public struct BrokerService: RPCService {
    public var serviceTypes: Set<ServiceType> { [.brokerRead, .brokerWrite] }

    let brokerID: Int32
    let host: String
    let store: MessageStore
    let catalog: TopicCatalog
    let registry: ConsumerRegistry
    let ids: MessageIDGenerator
    let transferSize: Int
    let clock: @Sendable () -> Int64
    var faults: _BrokerFaults = _BrokerFaults()

    public func handle(_ call: IncomingCall, context: RPCCallContext) async throws -> any SwiftProtobuf.Message {
        switch call.request {
        case let request as SendMessageRequestP2B:
            return await send(request)
        case let request as RegisterRequestC2B:
            return await registerOrUnregister(request)
        case let request as HeartBeatRequestC2B:
            return await heartbeat(request)
        case let request as GetMessageRequestC2B:
            return await getMessages(request)
        case let request as CommitOffsetRequestC2B:
            return await commit(request)
        default:
            throw RemoteException.handlerFailed("Unsupported method \(call.method.id) on the broker")
        }
    }

    func key(group: String, topic: String, partition: Int32) -> ConsumerSessions.Key {
        ConsumerSessions.Key(group: group, topic: topic, partitionID: partition)
    }
}
