import Logging
public import SwiftProtobuf
public import TubeMQRPC
import TubeMQStorage
public import TubeMQWire

/// The broker's RPC service: send (13), partition register/unregister (15), heartbeat (16),
/// get (17) and commit (18), under service types 2 and 3, as the real broker answers them.
public struct BrokerService: RPCService {
    public var serviceTypes: Set<ServiceType> { [.brokerRead, .brokerWrite] }

    /// Calls run together on their connection's event loop; sends of one batch share their appends.
    public var execution: RPCExecution { .batchedOnEventLoop }

    let brokerID: Int32
    let host: String
    let store: MessageStore
    let catalog: TopicCatalog
    let registry: ConsumerRegistry
    let ids: MessageIDGenerator
    let transferSize: Int
    let clock: @Sendable () -> Int64
    var faults: _BrokerFaults = _BrokerFaults()
    var authorization = BrokerAuthorization(clock: { 0 })
    /// Gets waiting for data, woken by sends (the long poll).
    let wakeups = PartitionWakeups()
    var metrics = BrokerMetrics()
    /// Where the service reports what a client's call changed beyond its reply (an aged-out offset).
    var logger = Logger(label: "tubemq.broker", factory: { _ in SwiftLogNoOpLogHandler() })

    public func handle(_ call: IncomingCall, context: RPCCallContext) async throws -> any SwiftProtobuf.Message {
        if let refusal = authorizationRefusal(call.request, peer: context.peer) { return refusal }
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

    /// A get carrying `maxWaitMs` may be held (a long poll): it runs alone so that it never holds up
    /// the replies of the sends and gets it arrived with.
    public func runsAlone(_ call: IncomingCall) -> Bool {
        // The method id first: a send (most calls) is answered without a cast.
        guard call.method.id == RPCMethod.getMessages.id else { return false }
        return (call.request as? GetMessageRequestC2B).map { $0.maxWaitMs > 0 } ?? false
    }

    /// Sends are appended together (one storage call per storage instance); the other calls run
    /// concurrently with them, so a commit waiting for its sync holds nothing else up.
    public func handle(batch calls: [IncomingCall], context: RPCCallContext) async -> [RPCOutcome] {
        var sends: [SendMessageRequestP2B] = []
        var sendIndices: [Int] = []
        var others: [Int] = []
        var outcomes = [RPCOutcome?](repeating: nil, count: calls.count)
        for (index, call) in calls.enumerated() {
            if call.method.id == RPCMethod.sendMessage.id, let request = call.request as? SendMessageRequestP2B {
                // Other calls are checked once, by `handle(_:)`.
                if let refusal = sendRefusal(request, peer: context.peer) {
                    outcomes[index] = .success(refusal)
                } else {
                    sends.append(request)
                    sendIndices.append(index)
                }
            } else {
                others.append(index)
            }
        }
        if sends.isEmpty && others.isEmpty {
            // Every call was refused.
        } else if others.isEmpty {
            let replies = await send(batch: sends)
            metrics.countSendReplies(replies)
            for (index, reply) in zip(sendIndices, replies) { outcomes[index] = .success(reply) }
        } else if sends.isEmpty && others.count == 1 {
            outcomes[others[0]] = await outcome(of: calls[others[0]], context: context)
        } else {
            await withTaskGroup(of: (Int, RPCOutcome).self) { group in
                for index in others {
                    group.addTask { (index, await self.outcome(of: calls[index], context: context)) }
                }
                if !sends.isEmpty {
                    let replies = await send(batch: sends)
                    metrics.countSendReplies(replies)
                    for (index, reply) in zip(sendIndices, replies) { outcomes[index] = .success(reply) }
                }
                for await (index, outcome) in group { outcomes[index] = outcome }
            }
        }
        let results = outcomes.map { $0 ?? .failure(RemoteException.handlerFailed("no reply")) }
        if sendIndices.count < calls.count {
            // The calls not counted with their batch's sends: refusals and the other methods.
            var sendPosition = 0
            for (index, call) in calls.enumerated() {
                if sendPosition < sendIndices.count && sendIndices[sendPosition] == index {
                    sendPosition += 1
                } else {
                    metrics.countReply(method: call.method.id, outcome: results[index])
                }
            }
        }
        return results
    }

    func key(group: String, topic: String, partition: Int32) -> ConsumerSessions.Key {
        ConsumerSessions.Key(group: group, topic: topic, partitionID: partition)
    }
}

extension RPCCallContext {
    /// The caller's address for a log line.
    var peer: String { remoteAddress.map { "\($0)" } ?? "?" }
}
