import Logging
import NIOCore
import SwiftProtobuf
import Synchronization
import TubeMQRPC
import TubeMQWire

/// Calls to "the" master of a cluster, failing over between the listed ones.
///
/// A call goes to the master that answered last. When that master is unreachable, times out, or
/// answers with `StandbyException` (it is not the active master), the call moves on to the next
/// listed master, as the Java client's `RpcServiceFailoverInvoker` does. A master reached after a
/// failover does not know the client yet; callers see that as errCode 411 and register again.
final class MasterConnection: Sendable {
    private let addresses: [MasterAddress]
    private let rpc: RPCClient
    private let timeout: TimeAmount
    private let current = Mutex<Int>(0)
    private let logger: Logger

    init(addresses: [MasterAddress], rpc: RPCClient, timeout: TimeAmount, logger: Logger) {
        self.addresses = addresses
        self.rpc = rpc
        self.timeout = timeout
        self.logger = logger
    }

    /// The master the next call goes to first.
    var activeMaster: MasterAddress? {
        let index = current.withLock { $0 }
        return addresses.isEmpty ? nil : addresses[index % addresses.count]
    }

    /// Calls `method` on the active master, failing over as described above.
    ///
    /// - Throws: ``ClientError`` `masterUnavailable` when no master answered; `shutdown` after the
    ///   client closed; `badResponse` for an exception reply other than standby.
    func call<Response: SwiftProtobuf.Message>(
        _ method: RPCMethod,
        _ request: some SwiftProtobuf.Message,
        timeout: TimeAmount? = nil,
        as: Response.Type = Response.self
    ) async throws(ClientError) -> Response {
        guard !addresses.isEmpty else { throw ClientError(.invalidArgument, "no master address configured") }
        let start = current.withLock { $0 }
        var failures: [String] = []
        var lastError: RPCError?
        for attempt in 0..<addresses.count {
            let index = (start + attempt) % addresses.count
            let master = addresses[index]
            do {
                let response: Response = try await rpc.call(
                    method,
                    request,
                    host: master.host,
                    port: master.port,
                    timeout: timeout ?? self.timeout
                )
                if attempt > 0 {
                    current.withLock { $0 = index }
                    logger.info("switched master", metadata: ["tubemq.master": "\(master)"])
                }
                return response
            } catch {
                switch error.code {
                case .shutdown:
                    throw ClientError(.shutdown, "\(method) not sent: the client is shut down", underlying: error)
                case .remoteException where !error.isStandby:
                    throw ClientError(.badResponse, "\(method) failed at master \(master)", underlying: error)
                default:
                    failures.append("\(master): \(error.isStandby ? "standby" : "\(error.code)")")
                    lastError = error
                    logger.debug(
                        "master did not serve the call",
                        metadata: [
                            "tubemq.master": "\(master)", "tubemq.method": "\(method)", "tubemq.error": "\(error)",
                        ]
                    )
                }
            }
        }
        current.withLock { $0 = (start + 1) % addresses.count }
        throw ClientError(
            .masterUnavailable,
            "no master served \(method) (\(failures.joined(separator: "; ")))",
            underlying: lastError
        )
    }
}
