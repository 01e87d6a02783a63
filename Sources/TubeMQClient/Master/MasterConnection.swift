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
    /// With `awaitingActive`, a round in which no master served the call but one at least answered
    /// that it is standby is tried again every half second for up to that long: the masters are alive
    /// and between two active ones (the active one crashed or stepped down, and the next is not yet
    /// elected). A round in which no master answered at all fails at once.
    ///
    /// - Throws: ``ClientError`` `masterUnavailable` when no master answered; `shutdown` after the
    ///   client closed; `badResponse` for an exception reply other than standby.
    func call<Response: SwiftProtobuf.Message>(
        _ method: RPCMethod,
        _ request: some SwiftProtobuf.Message,
        timeout: TimeAmount? = nil,
        awaitingActive wait: Duration? = nil,
        as: Response.Type = Response.self
    ) async throws(ClientError) -> Response {
        guard let wait, wait > .zero else {
            return try await callEach(method, request, timeout: timeout, as: Response.self).mapError(\.error).get()
        }
        let deadline = ContinuousClock.now + wait
        var warned = false
        while true {
            let outcome = try await callEach(method, request, timeout: timeout, as: Response.self)
            guard case .failure(let unavailable) = outcome, unavailable.sawStandby,
                ContinuousClock.now + Self.standbyPause < deadline
            else { return try outcome.mapError(\.error).get() }
            if !warned {
                warned = true
                logger.warning(
                    "no active master yet (a takeover may be in progress); retrying",
                    metadata: ["tubemq.method": "\(method)", "tubemq.wait": "\(wait)"]
                )
            }
            do {
                try await Task.sleep(for: Self.standbyPause)
            } catch {
                throw unavailable.error
            }
        }
    }

    /// The pause between rounds while every master that answers is standby.
    static let standbyPause: Duration = .milliseconds(500)

    /// A round in which no master served the call.
    private struct Unavailable: Error {
        var error: ClientError
        /// Whether one master at least answered that it is standby.
        var sawStandby: Bool
    }

    /// One round over the masters: the reply, or why none served it (other errors are thrown).
    private func callEach<Response: SwiftProtobuf.Message>(
        _ method: RPCMethod,
        _ request: some SwiftProtobuf.Message,
        timeout: TimeAmount?,
        as: Response.Type = Response.self
    ) async throws(ClientError) -> Result<Response, Unavailable> {
        guard !addresses.isEmpty else { throw ClientError(.invalidArgument, "no master address configured") }
        let start = current.withLock { $0 }
        var failures: [String] = []
        var lastError: RPCError?
        var sawStandby = false
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
                return .success(response)
            } catch {
                switch error.code {
                case .shutdown:
                    throw ClientError(.shutdown, "\(method) not sent: the client is shut down", underlying: error)
                case .remoteException where !error.isStandby:
                    throw ClientError(.badResponse, "\(method) failed at master \(master)", underlying: error)
                default:
                    if error.isStandby { sawStandby = true }
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
        let error = ClientError(
            .masterUnavailable,
            "no master served \(method) (\(failures.joined(separator: "; ")))",
            underlying: lastError
        )
        return .failure(Unavailable(error: error, sawStandby: sawStandby))
    }
}
