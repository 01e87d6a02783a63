public import Logging
public import NIOCore
public import SwiftProtobuf
public import TubeMQWire

/// A server-side implementation of one or more TubeMQ services (master, or broker read + write).
///
/// The server decodes and validates every request before handing it over. How calls are run is the
/// service's ``execution``: each in its own task, replies written as they finish; or the calls that
/// one read from the socket delivered, together, on the connection's event loop.
public protocol RPCService: Sendable {
    /// The service types this implementation serves; requests for others get "No service N found".
    var serviceTypes: Set<ServiceType> { get }

    /// How the server runs this service's calls; ``RPCExecution/perCall`` by default.
    var execution: RPCExecution { get }

    /// Handles one call and returns the response message of `call.method.responseType`.
    ///
    /// - Throws: a ``RemoteException`` to reply with that exception; any other error is replied to as
    ///   an ERROR `java.lang.Exception` carrying its description.
    func handle(_ call: IncomingCall, context: RPCCallContext) async throws -> any SwiftProtobuf.Message

    /// Handles calls that arrived together and returns one outcome per call, in the same order.
    ///
    /// Used under ``RPCExecution/batchedOnEventLoop``. The default runs ``handle(_:context:)`` for
    /// each call concurrently.
    func handle(batch calls: [IncomingCall], context: RPCCallContext) async -> [RPCOutcome]

    /// Whether `call` may wait long (a long poll) and so runs alone, its reply written when ready,
    /// rather than holding up the replies of the calls it arrived with. `false` by default. Under
    /// ``RPCExecution/batchedOnEventLoop`` such a call still runs on the connection's event loop.
    func runsAlone(_ call: IncomingCall) -> Bool
}

/// The result of one call: the response message, or the error to reply with.
public typealias RPCOutcome = Result<any SwiftProtobuf.Message, any Error>

/// How a server runs a service's calls.
public enum RPCExecution: Sendable {
    /// Every call in its own task on the global executor; each reply is written when it is ready.
    case perCall
    /// The calls of one socket read are handed to ``RPCService/handle(batch:context:)`` together, in a
    /// task that runs on the connection's event loop (see ``EventLoopTaskExecutor``); their replies
    /// go out in one flush. The service's code and the actors it uses must never block.
    case batchedOnEventLoop
}

extension RPCService {
    public var execution: RPCExecution { .perCall }

    public func runsAlone(_ call: IncomingCall) -> Bool { false }

    public func handle(batch calls: [IncomingCall], context: RPCCallContext) async -> [RPCOutcome] {
        if calls.count == 1 { return [await outcome(of: calls[0], context: context)] }
        return await withTaskGroup(of: (Int, RPCOutcome).self) { group in
            for (index, call) in calls.enumerated() {
                group.addTask { (index, await self.outcome(of: call, context: context)) }
            }
            var outcomes = [RPCOutcome](
                repeating: .failure(RemoteException.handlerFailed("no reply")),
                count: calls.count
            )
            for await (index, outcome) in group { outcomes[index] = outcome }
            return outcomes
        }
    }

    /// Runs ``handle(_:context:)`` and captures its result or error.
    public func outcome(of call: IncomingCall, context: RPCCallContext) async -> RPCOutcome {
        do {
            return .success(try await handle(call, context: context))
        } catch {
            return .failure(error)
        }
    }
}

/// What a handler knows about the connection a call came on.
public struct RPCCallContext: Sendable {
    /// The peer's address.
    public var remoteAddress: SocketAddress?
    /// The local address the call arrived at.
    public var localAddress: SocketAddress?
    /// A logger with the connection's metadata.
    public var logger: Logger

    /// Creates a context.
    public init(remoteAddress: SocketAddress?, localAddress: SocketAddress?, logger: Logger) {
        self.remoteAddress = remoteAddress
        self.localAddress = localAddress
        self.logger = logger
    }

    /// The peer's IP address as text, or an empty string.
    public var remoteIP: String { remoteAddress?.ipAddress ?? "" }
}
