public import ServiceLifecycle

/// Runs a server as a `ServiceLifecycle` service: starts it, waits for graceful shutdown (SIGTERM,
/// SIGINT), then stops it, flushing what it holds.
public struct LifecycleService<Server: Sendable>: Service {
    private let start: @Sendable () async throws -> Server
    private let stop: @Sendable (Server) async throws -> Void

    /// Creates the service from a start and a stop function; an error the stop function throws (a
    /// server that stopped without writing what it had acknowledged) ends the service with it.
    public init(
        start: @escaping @Sendable () async throws -> Server,
        stop: @escaping @Sendable (Server) async throws -> Void
    ) {
        self.start = start
        self.stop = stop
    }

    public func run() async throws {
        let server = try await start()
        // Returns on graceful shutdown; throws CancellationError on cancellation. Stop either way.
        try? await gracefulShutdown()
        try await stop(server)
    }
}
