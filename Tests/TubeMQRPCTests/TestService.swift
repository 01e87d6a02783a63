import NIOCore
import SwiftProtobuf
import TubeMQRPC
import TubeMQWire

/// A master-typed service for transport tests: producer register echoes the client id after a
/// delay taken from the host name (so replies finish out of order); close throws a standby exception.
struct EchoService: RPCService {
    var serviceTypes: Set<ServiceType> { [.master] }
    /// Both ways a server can run calls; batched calls use the protocol's default `handle(batch:)`.
    var execution: RPCExecution = .perCall

    func handle(_ call: IncomingCall, context: RPCCallContext) async throws -> any SwiftProtobuf.Message {
        switch call.request {
        case let request as RegisterRequestP2M:
            if let micros = UInt64(request.hostName), micros > 0 {
                try await Task.sleep(nanoseconds: micros * 1000)
            }
            var reply = RegisterResponseM2P()
            reply.success = true
            reply.errCode = 200
            reply.errMsg = request.clientID
            reply.brokerCheckSum = request.brokerCheckSum
            return reply
        case is CloseRequestP2M:
            throw RemoteException.standby("not the active master")
        default:
            throw RemoteException.handlerFailed("unexpected \(call.method)")
        }
    }
}
