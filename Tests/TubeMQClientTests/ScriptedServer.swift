import Logging
import SwiftProtobuf
import Synchronization
import TubeMQRPC
import TubeMQTestKit
import TubeMQWire

/// Every request a scripted server received, in arrival order, across servers sharing the log.
final class RequestLog: Sendable {
    struct Entry: @unchecked Sendable {
        // @unchecked: generated protobuf messages are values; `any Message` just hides which.
        var method: Int32
        var serviceType: Int32?
        var request: any SwiftProtobuf.Message
    }

    private let entries = Mutex<[Entry]>([])

    func append(_ call: IncomingCall) {
        entries.withLock {
            $0.append(Entry(method: call.method.id, serviceType: call.envelope.serviceType, request: call.request))
        }
    }

    var all: [Entry] { entries.withLock { $0 } }

    /// The requests of one type, in order.
    func requests<Request: SwiftProtobuf.Message>(_ type: Request.Type) -> [Request] {
        all.compactMap { $0.request as? Request }
    }

    /// Method ids in arrival order.
    var methods: [Int32] { all.map(\.method) }
}

/// A stand-in master or broker that answers from a script, to check what the client puts on the wire
/// against what the recorded Java server answered (`shared/vectors`), independently of our own servers.
struct ScriptedService: RPCService {
    let serviceTypes: Set<ServiceType>
    let log: RequestLog
    let answer: @Sendable (IncomingCall) async throws -> any SwiftProtobuf.Message

    func handle(_ call: IncomingCall, context: RPCCallContext) async throws -> any SwiftProtobuf.Message {
        log.append(call)
        return try await answer(call)
    }

    /// Starts a server on a free loopback port.
    static func start(
        _ serviceTypes: Set<ServiceType>,
        log: RequestLog,
        answer: @escaping @Sendable (IncomingCall) async throws -> any SwiftProtobuf.Message
    ) async throws -> RPCServer {
        try await RPCServer.start(
            configuration: RPCServerConfiguration(port: 0),
            service: ScriptedService(serviceTypes: serviceTypes, log: log, answer: answer),
            logger: TestCluster.logger
        )
    }
}

/// Reply builders with every proto2-required field, as the recorded Java server filled them.
enum RecordedReplies {
    /// A master's answer to a producer's register, heartbeat or close, as the recorded Java master
    /// gave it: `brokerInfos` on registering, `topicInfos` on every heartbeat.
    static func producerMaster(
        _ call: IncomingCall,
        checksum: Int64,
        brokerInfos: [String],
        topicInfos: [String]
    ) -> any SwiftProtobuf.Message {
        switch call.request {
        case is RegisterRequestP2M:
            var reply = RegisterResponseM2P()
            reply.success = true
            reply.errCode = 200
            reply.errMsg = "OK!"
            reply.brokerCheckSum = checksum
            reply.brokerInfos = brokerInfos
            reply.authorizedInfo = authorized
            return reply
        case is HeartRequestP2M:
            var reply = HeartResponseM2P()
            reply.success = true
            reply.errCode = 200
            reply.errMsg = "OK!"
            reply.brokerCheckSum = checksum
            reply.topicInfos = topicInfos
            reply.authorizedInfo = authorized
            return reply
        default:
            var reply = CloseResponseM2P()
            reply.success = true
            reply.errCode = 200
            reply.errMsg = "OK!"
            return reply
        }
    }

    static let visitToken: Int64 = 1_795_559_414_421

    static var authorized: MasterAuthorizedInfo {
        var info = MasterAuthorizedInfo()
        info.visitAuthorizedToken = visitToken
        return info
    }

    static func consumerHeartbeat(event: EventProto? = nil, notAllocated: Bool = true) -> HeartResponseM2C {
        var reply = HeartResponseM2C()
        reply.success = true
        reply.errCode = 200
        reply.errMsg = "OK!"
        if let event { reply.event = event }
        reply.notAllocated = notAllocated
        reply.defFlowCheckID = -2
        reply.defFlowControlInfo = " "
        reply.groupFlowCheckID = -2
        reply.groupFlowControlInfo = " "
        reply.ssdStoreID = -2
        reply.qryPriorityID = -2
        reply.authorizedInfo = authorized
        return reply
    }

    static func noData() -> GetMessageResponseB2C {
        var reply = GetMessageResponseB2C()
        reply.success = false
        reply.errCode = 404
        reply.errMsg = "The request offset reached maxOffset!"
        reply.currOffset = -1
        reply.minLimitTime = -1
        reply.escFlowCtrl = false
        reply.currDataDlt = -1
        return reply
    }
}
