public import SwiftProtobuf
import TubeMQMasterState
public import TubeMQRPC
public import TubeMQWire

/// The master's RPC service (service type 1): methods 1–9 and the client-balance methods 20–22
/// answered as the recorded Java master answers them.
///
/// Failures of the state machine become normal replies with `success = false`, `errCode` and
/// `errMsg`, every proto2-required field set. Only a stopped master answers with an exception, a
/// `StandbyException`, so Java clients move on to another master.
public struct MasterService: RPCService {
    /// The master the calls go to.
    public let master: Master
    /// The permission checks (all off unless `master.ini` turns them on).
    public let security: MasterSecurity

    /// Whether this service answers the master's TLS port: clients there are told each broker's
    /// TLS port (TubeMQ's `isOverTLS`), and the partitions they report are read back at the plain ports.
    public let overTLS: Bool

    /// Creates the service for `master`, checking permissions with `security`; `overTLS` for the
    /// service of the TLS listener.
    public init(master: Master, security: MasterSecurity = .off(), overTLS: Bool = false) {
        self.master = master
        self.security = security
        self.overTLS = overTLS
    }

    /// The master service type only; broker methods get "No service 3 found on the server".
    public var serviceTypes: Set<ServiceType> { [.master] }

    /// Answers one call.
    ///
    /// - Throws: a `StandbyException` ``TubeMQWire/RemoteException`` when the master is stopped, and
    ///   "Unsupported method ID" for a request type this service does not know (not reachable for
    ///   requests the server accepted).
    public func handle(_ call: IncomingCall, context: RPCCallContext) async throws -> any SwiftProtobuf.Message {
        do {
            let reply = try await answer(call, context: context)
            if let counted = reply as? any ReplyErrorCode {
                master.metrics.countCall(call.method, outcome: .success(counted))
            }
            return reply
        } catch {
            master.metrics.countCall(call.method, outcome: .failure(error))
            throw error
        }
    }

    /// Answers a call; on the TLS port, broker addresses in it and in its reply are the TLS ports.
    private func answer(_ call: IncomingCall, context: RPCCallContext) async throws -> any SwiftProtobuf.Message {
        guard overTLS else { return try await dispatch(call, context: context) }
        let addressing = TLSAddressing(await master.brokers())
        var call = call
        call.request = addressing.plain(call.request)
        return addressing.tls(try await dispatch(call, context: context))
    }

    func dispatch(_ call: IncomingCall, context: RPCCallContext) async throws -> any SwiftProtobuf.Message {
        switch call.request {
        case let request as RegisterRequestP2M: return try await registerProducer(request, context: context)
        case let request as HeartRequestP2M: return try await producerHeartbeat(request, context: context)
        case let request as CloseRequestP2M: return try await closeProducer(request, context: context)
        case let request as RegisterRequestC2M: return try await registerConsumer(request, context: context)
        case let request as HeartRequestC2M: return try await consumerHeartbeat(request, context: context)
        case let request as CloseRequestC2M: return try await closeConsumer(request, context: context)
        case let request as RegisterRequestB2M: return try await registerBroker(request, context: context)
        case let request as HeartRequestB2M: return try await brokerHeartbeat(request, context: context)
        case let request as CloseRequestB2M: return try await closeBroker(request, context: context)
        case let request as RegisterRequestC2MV2:
            return try await registerClientBalanceConsumer(request, context: context)
        case let request as HeartRequestC2MV2: return try await clientBalanceHeartbeat(request, context: context)
        case let request as GetPartMetaRequestC2M: return try await clientBalanceMeta(request, context: context)
        default:
            throw RemoteException.unsupportedMethod(call.method.id)
        }
    }

    /// Runs `body`; a stopped master becomes a `StandbyException`, any other ``MasterError`` the
    /// failure reply built by `failure`.
    func answering<Reply>(
        _ body: () async throws(MasterError) -> Reply,
        failure: (MasterError) -> Reply
    ) async throws -> Reply {
        do {
            return try await body()
        } catch {
            if error.code == .stopped { throw RemoteException.standby(error.message) }
            return failure(error)
        }
    }
}
