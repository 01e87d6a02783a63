import Glibc
public import Logging
import NIOCore
public import TubeMQCore
import TubeMQMasterState
import TubeMQRPC

/// A running master process: the ``Master`` actor with its timer and metadata store, served over
/// RPC on the configured address.
///
/// ```swift
/// let configuration = MasterServer.Configuration(port: 8715, dataDirectory: "/data/master")
/// let server = try await MasterServer.start(configuration: configuration, logger: logger)
/// // … the webapi calls server.master …
/// await server.shutdown()
/// ```
public final class MasterServer: Sendable {
    /// The master; the admin webapi calls it directly.
    public let master: Master
    /// The configuration it was started with.
    public let configuration: Configuration
    /// The permission checks; the webapi manages its users and grants.
    public let security: MasterSecurity
    private let rpc: RPCServer
    private let tlsRPC: RPCServer?
    private let logger: Logger

    /// The bound RPC port (the real one when the configuration asked for port 0).
    public var port: Int { rpc.localPort }
    /// The bound TLS port, when `[tlsSetting]` is on.
    public var tlsPort: Int? { tlsRPC?.localPort }

    private init(
        master: Master,
        configuration: Configuration,
        security: MasterSecurity,
        rpc: RPCServer,
        tlsRPC: RPCServer?,
        logger: Logger
    ) {
        self.tlsRPC = tlsRPC
        self.master = master
        self.security = security
        self.configuration = configuration
        self.rpc = rpc
        self.logger = logger
    }

    /// Opens the metadata store (the data directory, or `store` when given), restores the master
    /// from it, and starts serving RPC.
    ///
    /// - Parameters:
    ///   - configuration: address, data directory and timings.
    ///   - clock: the master's time source; tests pass a ``ManualClock``.
    ///   - store: a metadata store to use instead of the data directory's (an HA engine, or a
    ///     ``MemoryMetadataStore`` in tests).
    ///   - security: the permission checks to use instead of those `configuration.security` names
    ///     (tests, `tubemq standalone --auth`).
    ///   - logger: where the master and its RPC server log.
    /// - Throws: ``UserDirectoryError`` when the users or grants file cannot be read; ``MetadataStoreError`` when the store cannot be opened or read (the data directory
    ///   is locked by another master, the snapshot is corrupt), or the RPC server's error when the
    ///   address cannot be bound; nothing is left running then.
    public static func start(
        configuration: Configuration,
        clock: any WallClock = SystemWallClock(),
        store: (any MetadataStore)? = nil,
        security: MasterSecurity? = nil,
        logger: Logger
    ) async throws -> MasterServer {
        let security = try security ?? MasterSecurity(settings: configuration.effectiveSecurity, clock: clock)
        let metadata: any MetadataStore
        if let store {
            metadata = store
        } else if let directory = configuration.dataDirectory {
            metadata = try FileMetadataStore(directory: directory)
        } else {
            logger.warning("no data directory configured: metadata is kept in memory only")
            metadata = MemoryMetadataStore()
        }
        let master = try await Master(
            configuration: configuration.timings,
            clock: clock,
            store: metadata,
            logger: logger
        )
        let settings = security.settings
        if settings.produceAuthenticate || settings.consumeAuthenticate, let file = settings.userFile,
            access(file, F_OK) != 0
        {
            logger.warning(
                "the users file does not exist: no client can authenticate until a user is added",
                metadata: ["tubemq.authUserFile": "\(file)"]
            )
        }
        if security.settings.consumeAuthorize {
            let grants = security.grants
            await master.authorizeConsumption { group, topics in Set(grants.refusedTopics(group: group, topics: topics))
            }
        }
        do {
            let rpc = try await RPCServer.start(
                configuration: configuration.rpcConfiguration(port: configuration.port),
                service: MasterService(master: master, security: security),
                logger: logger
            )
            logger.info(
                "master serving",
                metadata: ["tubemq.address": "\(configuration.host):\(rpc.localPort)"]
            )
            var tlsRPC: RPCServer?
            if let tls = configuration.tls {
                do {
                    var tlsConfiguration = configuration.rpcConfiguration(port: tls.port)
                    tlsConfiguration.tls = try tls.makeServerContext()
                    tlsRPC = try await RPCServer.start(
                        configuration: tlsConfiguration,
                        service: MasterService(master: master, security: security, overTLS: true),
                        logger: logger
                    )
                    logger.info(
                        "master serving TLS",
                        metadata: ["tubemq.address": "\(configuration.host):\(tlsRPC?.localPort ?? tls.port)"]
                    )
                } catch {
                    await rpc.shutdown()
                    throw error
                }
            }
            return MasterServer(
                master: master,
                configuration: configuration,
                security: security,
                rpc: rpc,
                tlsRPC: tlsRPC,
                logger: logger
            )
        } catch {
            await master.shutdown()
            throw error
        }
    }

    /// Stops serving: closes the RPC server and its connections, then shuts the master down (timer
    /// cancelled and awaited, final snapshot written, store closed). Safe to call more than once.
    /// - Returns: whether the master saved its final state (see ``Master/shutdown(persistingFinalState:)``).
    @discardableResult
    public func shutdown() async -> Bool {
        await tlsRPC?.shutdown()
        await rpc.shutdown()
        let saved = await master.shutdown()
        logger.info("master server stopped")
        return saved
    }
}
