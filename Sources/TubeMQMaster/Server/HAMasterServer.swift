public import Logging
public import TubeMQCore
import TubeMQMasterState
import TubeMQRPC
import TubeMQZooKeeper

/// A master of an HA group on ZooKeeper (master.ini `[meta_zookeeper]`): it serves RPC at once,
/// takes part in the election, and answers as the active master only while it holds the lowest
/// election znode; otherwise it is a hot standby answering `StandbyException` (see
/// `docs/master-ha.md`).
///
/// ```swift
/// let zk = HAMasterServer.ZooKeeperSettings(connectString: "127.0.0.1:2181", nodeRoot: "/tubemq")
/// let server = try await HAMasterServer.start(configuration: settings, zooKeeper: zk, webPort: 8080, logger: logger)
/// if let master = server.role.master { … }   // the active master's state, nil on a standby
/// await server.shutdown()
/// ```
public final class HAMasterServer: Sendable {
    /// Where the metadata and the election live (`[meta_zookeeper]`).
    public struct ZooKeeperSettings: Sendable, Hashable {
        /// `zkServerAddr`: the connect string.
        public var connectString: String
        /// `zkNodeRoot`: the root znode of the metadata and the election.
        public var nodeRoot: String
        /// `zkSessionTimeoutMs`: the session timeout asked for (the server clamps it); a crashed
        /// active master is replaced about this long after it stopped answering ZooKeeper.
        public var sessionTimeoutMs: Int64
        /// How many times start-up tries to reach ZooKeeper (with doubling pauses up to 5 s) before
        /// it gives up, when ``startTimeout`` is not set.
        public var startAttempts: Int
        /// `zkConnectionTimeoutMs`: how long start-up keeps trying to reach ZooKeeper (ZooKeeper may
        /// come up after the masters when a host restarts); `nil` to make ``startAttempts`` tries.
        public var startTimeout: Duration?
        /// `zkAuthDigest` (ours): `user:password`, the ZooKeeper `digest` identity every master of the
        /// group proves. With it, the security znodes (grants, users and their passwords) are created
        /// readable and writable by that identity only; without it, with the open ACL. Never logged.
        public var authDigest: String?

        /// Creates settings; the defaults are the `[meta_zookeeper]` code defaults.
        public init(
            connectString: String = "localhost:2181",
            nodeRoot: String = "/tubemq",
            sessionTimeoutMs: Int64 = 180_000,
            startAttempts: Int = 5,
            startTimeout: Duration? = nil,
            authDigest: String? = nil
        ) {
            self.connectString = connectString
            self.nodeRoot = nodeRoot
            self.sessionTimeoutMs = sessionTimeoutMs
            self.startAttempts = startAttempts
            self.startTimeout = startTimeout
            self.authDigest = authDigest
        }

        /// The identity proved to ZooKeeper, if any.
        var authentication: ZooKeeperAuthentication? {
            authDigest.map { ZooKeeperAuthentication(scheme: "digest", credential: Array($0.utf8)) }
        }

        /// The ACL of the security znodes: the proved identity's only, or open without one.
        var securityACL: [ACL] { authDigest == nil ? ACL.openUnsafe : ACL.creatorAll }
    }

    /// Active or standby, and the running ``Master`` while active.
    public let role: MasterRole
    /// The configuration it was started with (its `dataDirectory` is not used).
    public let configuration: MasterServer.Configuration
    /// This master's advertised addresses (the election znode's data).
    public let address: MasterRole.Address
    /// The permission checks its RPC service and webapi apply while it is active (users and grants
    /// are files of this master's, not replicated: give every master of the group the same ones).
    public let security: MasterSecurity
    private let rpc: RPCServer
    private let tlsRPC: RPCServer?
    private let election: MasterElection
    private let task: Task<Void, Never>
    private let logger: Logger

    /// The bound RPC port.
    public var port: Int { rpc.localPort }
    /// The bound TLS RPC port (`[tlsSetting]`), if it serves one.
    public var tlsPort: Int? { tlsRPC?.localPort }

    private init(
        role: MasterRole,
        configuration: MasterServer.Configuration,
        address: MasterRole.Address,
        security: MasterSecurity,
        rpc: RPCServer,
        tlsRPC: RPCServer?,
        election: MasterElection,
        task: Task<Void, Never>,
        logger: Logger
    ) {
        self.role = role
        self.configuration = configuration
        self.address = address
        self.security = security
        self.rpc = rpc
        self.tlsRPC = tlsRPC
        self.election = election
        self.task = task
        self.logger = logger
    }

    /// Connects to ZooKeeper, starts serving RPC (as a standby until elected) and joins the election.
    ///
    /// - Parameters:
    ///   - configuration: address and timings (the first balance waits `firstBalanceDelayMs` after
    ///     each takeover).
    ///   - zooKeeper: the ensemble and root.
    ///   - webPort: this master's webapi port, advertised so standbys can redirect to it.
    ///   - webTLSPort: this master's HTTPS webapi port, if any, advertised likewise.
    ///   - role: the role the election updates (pass the one the webapi was started with).
    ///   - clock: the active master's time source.
    ///   - security: the permission checks to use instead of those `configuration.security` names.
    ///   - logger: where the master logs.
    /// - Throws: ``HAMasterError`` when ZooKeeper stays unreachable, ``UserDirectoryError`` when the
    ///   users or grants file cannot be read, or the RPC server's error when an address cannot be
    ///   bound or the TLS key store cannot be used.
    public static func start(
        configuration: MasterServer.Configuration,
        zooKeeper: ZooKeeperSettings,
        webPort: Int,
        webTLSPort: Int? = nil,
        role: MasterRole = MasterRole(),
        clock: any WallClock = SystemWallClock(),
        security: MasterSecurity? = nil,
        logger: Logger
    ) async throws -> HAMasterServer {
        let security = try security ?? MasterSecurity(settings: configuration.effectiveSecurity, clock: clock)
        let rpc = try await RPCServer.start(
            configuration: configuration.rpcConfiguration(port: configuration.port),
            service: HAMasterService(role: role, security: security),
            logger: logger
        )
        var tlsRPC: RPCServer?
        if let tls = configuration.tls {
            do {
                var tlsConfiguration = configuration.rpcConfiguration(port: tls.port)
                tlsConfiguration.tls = try tls.makeServerContext()
                tlsRPC = try await RPCServer.start(
                    configuration: tlsConfiguration,
                    service: HAMasterService(role: role, security: security, overTLS: true),
                    logger: logger
                )
            } catch {
                await rpc.shutdown()
                throw error
            }
        }
        let address = MasterRole.Address(
            host: configuration.host,
            port: rpc.localPort,
            webPort: webPort,
            webTLSPort: webTLSPort
        )
        let election = MasterElection(
            settings: zooKeeper,
            address: address,
            role: role,
            timings: configuration.timings,
            clock: clock,
            security: security,
            logger: logger
        )
        do {
            try await election.connectFirst()
        } catch {
            await tlsRPC?.shutdown()
            await rpc.shutdown()
            throw error
        }
        let task = Task { await election.run() }
        logger.info(
            "HA master serving",
            metadata: ["tubemq.address": "\(address)", "tubemq.zookeeper": "\(zooKeeper.connectString)"]
        )
        return HAMasterServer(
            role: role,
            configuration: configuration,
            address: address,
            security: security,
            rpc: rpc,
            tlsRPC: tlsRPC,
            election: election,
            task: task,
            logger: logger
        )
    }

    /// The ZooKeeper session's id and password (tests use them to expire the session from outside).
    public var zooKeeperSession: (id: Int64, password: [UInt8])? {
        get async {
            guard let credentials = await election.client?.credentials else { return nil }
            return (credentials.id, credentials.password)
        }
    }

    /// This master's election znode, while it has one.
    public var electionNode: String? {
        get async {
            guard let name = await election.candidate else { return nil }
            return await election.electionPath + "/" + name
        }
    }

    /// Stops: steps down (so a standby takes over at once: the session is closed, which deletes the
    /// election znode), stops the election and the RPC server. Safe to call more than once.
    public func shutdown() async {
        task.cancel()
        await task.value
        await tlsRPC?.shutdown()
        await rpc.shutdown()
        logger.info("HA master stopped")
    }
}
