public import Logging
public import NIOCore
public import NIOPosix

/// A ZooKeeper client: one session, kept alive across connections to the members of a connect string.
///
/// ```swift
/// let zk = try await ZooKeeperClient.connect(to: "127.0.0.1:2181", sessionTimeout: .seconds(6), logger: logger)
/// let me = try await zk.create("/election/m-", data: address, mode: .ephemeralSequential)
/// try await zk.multi([.check("/epoch", version: epoch), .setData("/meta", data: bytes, version: -1)])
/// try await zk.close()
/// ```
///
/// Requests are sent in call order on one connection, and the server answers them in that order.
/// While the connection is down, new requests wait for the next connection; a pass over all members
/// that fails fails them with ``ZooKeeperError/Code/connectionLoss``. Requests in flight when a
/// connection drops fail with ``ZooKeeperError/Code/connectionLoss``: they may or may not have been
/// applied. Watch ``sessionEvents`` for ``SessionState/disconnected`` and ``SessionState/expired``.
///
/// Safe to share between tasks. All session work runs on one event loop of the given group.
public final class ZooKeeperClient: Sendable {
    let core: NIOLoopBound<SessionCore>
    let eventLoop: any EventLoop
    /// The parsed connect string (members and chroot).
    public let connectString: ConnectString
    let snapshot: SessionSnapshot

    private init(
        core: NIOLoopBound<SessionCore>,
        eventLoop: any EventLoop,
        connectString: ConnectString,
        snapshot: SessionSnapshot
    ) {
        self.core = core
        self.eventLoop = eventLoop
        self.connectString = connectString
        self.snapshot = snapshot
    }

    /// Opens a session (or resumes `credentials`' session) on a member of `connectString`.
    ///
    /// Tries the members in order, pass after pass with a growing pause, up to
    /// ``Configuration/connectAttempts`` passes.
    ///
    /// - Parameters:
    ///   - connectString: `host:port[,host:port...][/chroot]`.
    ///   - sessionTimeout: the requested timeout; the server clamps it (to 4–40 s with its defaults).
    ///   - resuming: the id and password of a live session to take over instead of opening a new one.
    ///     The server closes that session's other connection.
    /// - Throws: ``ZooKeeperError``: `invalidArgument` (bad connect string), `noServerReachable`, or
    ///   `sessionExpired` (the resumed session is gone).
    public static func connect(
        to connectString: String,
        sessionTimeout: Duration = .seconds(10),
        configuration: Configuration = Configuration(),
        resuming credentials: SessionCredentials? = nil,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "tubemq.zookeeper")
    ) async throws(ZooKeeperError) -> ZooKeeperClient {
        let parsed = try ConnectString(connectString)
        let eventLoop = eventLoopGroup.next()
        let snapshot = SessionSnapshot()
        let started = eventLoop.submit {
            let core = SessionCore(
                eventLoop: eventLoop,
                connectString: parsed,
                sessionTimeout: sessionTimeout,
                configuration: configuration,
                resuming: credentials,
                snapshot: snapshot,
                logger: logger
            )
            return (NIOLoopBound(core, eventLoop: eventLoop), core.start())
        }
        do {
            let (core, connected) = try await started.get()
            let client = ZooKeeperClient(core: core, eventLoop: eventLoop, connectString: parsed, snapshot: snapshot)
            try await connected.get()
            return client
        } catch {
            throw ZooKeeperError.wrapping(error)
        }
    }

    deinit {
        // A dropped client must not keep its session alive with pings.
        let core = self.core
        eventLoop.execute { core.value.close(promise: nil) }
    }

    /// Ends the session: sends closeSession (the server deletes the session's ephemeral nodes at once)
    /// and closes the connection. Pending requests fail with ``ZooKeeperError/Code/closed``.
    /// Idempotent; waits at most ``Configuration/closeTimeout`` for the server.
    public func close() async {
        let promise = eventLoop.makePromise(of: Void.self)
        let core = self.core
        eventLoop.execute { core.value.close(promise: promise) }
        try? await promise.futureResult.get()
    }

    /// The session's state changes: a new stream per access, starting with the current state, then
    /// every change. It finishes after a final state (``SessionState/expired`` or ``SessionState/closed``).
    public var sessionEvents: AsyncStream<SessionState> {
        let (stream, continuation) = AsyncStream.makeStream(of: SessionState.self, bufferingPolicy: .unbounded)
        let core = self.core
        eventLoop.execute { core.value.subscribe(continuation) }
        return stream
    }

    /// The current session state.
    public var state: SessionState { snapshot.current.state ?? .disconnected }

    /// The session id and password (to resume the session from another client).
    public var credentials: SessionCredentials { snapshot.current.credentials }

    /// The session timeout the server granted.
    public var negotiatedSessionTimeout: Duration { .milliseconds(snapshot.current.negotiatedTimeoutMilliseconds) }

    /// Whether the session is connected and a frame arrived within the read timeout (two thirds of
    /// the session timeout), read without waiting for the event loop. After the process was stopped
    /// (SIGSTOP, a long pause) this turns false at once, before the connection's own timer runs:
    /// the ensemble may have expired the session meanwhile (zookeeper.md §8.3 rules 1 and 2).
    public var isFresh: Bool {
        let value = snapshot.current
        guard value.state == .connected else { return false }
        let last = snapshot.lastReceived.load(ordering: .relaxed)
        guard last > 0 else { return false }
        let elapsed = NIODeadline.now().uptimeNanoseconds &- last
        return elapsed < UInt64(max(0, Int64(value.negotiatedTimeoutMilliseconds))) * 2_000_000 / 3
    }
}

extension ZooKeeperError {
    /// The error as a ``ZooKeeperError`` (NIO errors become `connectionLoss`).
    static func wrapping(_ error: any Error, path: String? = nil) -> ZooKeeperError {
        if var error = error as? ZooKeeperError {
            if error.path == nil { error.path = path }
            return error
        }
        return ZooKeeperError(.connectionLoss, "\(error)", path: path, underlying: error)
    }
}
