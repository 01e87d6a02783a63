import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TubeMQConfig
import TubeMQMaster
import TubeMQMasterHTTP
import TubeMQRPC
import TubeMQStandalone

/// `tubemq-master`: the master, configured from TubeMQ's own master.ini.
@main
struct MasterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tubemq-master",
        abstract: "Run a TubeMQ master from a master.ini file."
    )

    @Option(name: [.short, .long], help: "The master.ini file (defaults apply without one).")
    var config: String?

    @Option(parsing: .unconditional, help: "Override [master] port (0 picks a free one).")
    var port: Int?

    @Option(help: "Log level.")
    var logLevel = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError(
                "--log-level takes trace, debug, info, notice, warning, error or critical, got \(logLevel)"
            )
        }
        if let port, !(0...65_535).contains(port) { throw ValidationError("--port must be 0…65535, got \(port)") }
    }

    func run() async throws {
        var logger = Logger(label: "tubemq.master", factory: EscapingLogHandler.standardError)
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        var ini = MasterINI()
        if let config {
            do {
                ini = try MasterINI(contentsOfFile: config)
            } catch {
                throw ValidationError("\(config): \(error)")
            }
            let supported = MasterINI.supportedKeys.union(MasterINI.zooKeeperMetaStoreKeys)
            for warning in ini.startupWarnings(supportedKeys: supported) { logger.notice("\(warning)") }
        }
        var configuration = MasterServer.Configuration(
            host: ini.hostName,
            port: port ?? ini.port,
            dataDirectory: ini.metaDataPath,
            firstBalanceDelayMs: Int64(ini.firstBalanceDelayAfterStartMs),
            balancePeriodMs: Int64(ini.consumerBalancePeriodMs),
            consumerHeartbeatTimeoutMs: Int64(ini.consumerHeartbeatTimeoutMs),
            producerHeartbeatTimeoutMs: Int64(ini.producerHeartbeatTimeoutMs),
            brokerHeartbeatTimeoutMs: Int64(ini.brokerHeartbeatTimeoutMs),
            security: SecuritySettings(
                produceAuthenticate: ini.startProduceAuthenticate,
                produceAuthorize: ini.startProduceAuthorize,
                consumeAuthenticate: ini.startConsumeAuthenticate,
                consumeAuthorize: ini.startConsumeAuthorize,
                visitTokenCheck: ini.startVisitTokenCheck,
                timestampPeriodMs: ini.authValidTimeStampPeriodMs,
                tokenValidPeriodMs: ini.visitTokenValidPeriodMs,
                brokerVisitAuth: ini.needBrokerVisitAuth,
                visitName: ini.visitName,
                visitPassword: ini.visitPassword,
                userFile: ini.authUserFile
            )
        )
        if ini.tls.isEnabled {
            configuration.tls = TLSSettings(ini.tls, port: ini.tls.port)
        }
        configuration.connectionLimits = RPCConnectionLimits(ini.connectionLimits)
        for warning in Self.securityWarnings(configuration.security, authToken: ini.confModAuthToken) {
            logger.warning("\(warning)")
        }
        // `[tlsSetting] webTLSEnable` (ours): the webapi and the console over HTTPS too.
        let webTLS: TLSSettings? =
            ini.tls.isWebEnabled
            ? TLSSettings(ini.tls, port: ini.tls.webPort) : nil
        let settings = configuration
        let log = logger
        let (webPort, authToken) = (ini.webPort, ini.confModAuthToken)
        let promPort = ini.prometheus.isEnabled ? ini.prometheus.httpPort : nil
        if let zooKeeper = ini.metaStore?.zooKeeper {
            try await runHA(
                settings,
                zooKeeper: zooKeeper,
                webPort: webPort,
                webTLS: webTLS,
                promPort: promPort,
                authToken: authToken,
                logger: log
            )
            return
        }
        let service = LifecycleService {
            let server = try await MasterServer.start(configuration: settings, logger: log)
            let web: MasterHTTPServer
            do {
                web = try await MasterHTTPServer.start(
                    master: server.master,
                    host: settings.host,
                    port: webPort,
                    authToken: authToken,
                    security: server.security,
                    tls: webTLS,
                    logger: log
                )
            } catch {
                await server.shutdown()
                throw error
            }
            var prometheus: MasterHTTPServer?
            if let promPort {
                do {
                    prometheus = try await MasterHTTPServer.startPrometheus(
                        master: server.master,
                        host: settings.host,
                        port: promPort,
                        logger: log
                    )
                } catch {
                    await web.shutdown()
                    await server.shutdown()
                    throw error
                }
            }
            print(
                "tubemq-master ready: \(settings.host):\(server.port) web \(settings.host):\(web.port)"
                    + (web.tlsPort.map { " web-tls \(settings.host):\($0)" } ?? "")
                    + (server.tlsPort.map { " tls \(settings.host):\($0)" } ?? "")
                    + (prometheus.map { " metrics \(settings.host):\($0.port)/metrics" } ?? "")
            )
            fflush(nil)  // a file or a pipe buffers it: scripts wait for this line
            return (server, web, prometheus)
        } stop: { server, web, prometheus in
            await prometheus?.shutdown()
            await web.shutdown()
            // A clean exit says that every metadata change is saved; scripts see the rest.
            guard await server.shutdown() else { throw LocalClusterError.stoppedWithUnsavedMetadata }
        }
        try await ServiceGroup(
            services: [service],
            gracefulShutdownSignals: [.sigterm, .sigint, .sighup],
            logger: logger
        ).run()
    }

    /// Runs one master of an HA group on ZooKeeper (`[meta_zookeeper]`).
    private func runHA(
        _ settings: MasterServer.Configuration,
        zooKeeper: ZooKeeperConfig,
        webPort: Int,
        webTLS: TLSSettings?,
        promPort: Int?,
        authToken: String,
        logger: Logger
    ) async throws {
        let zk = HAMasterServer.ZooKeeperSettings(
            connectString: zooKeeper.serverAddress,
            nodeRoot: zooKeeper.nodeRoot,
            sessionTimeoutMs: Int64(zooKeeper.sessionTimeoutMs),
            startTimeout: zooKeeper.connectionTimeoutMs.map { .milliseconds($0) },
            authDigest: zooKeeper.authDigest
        )
        let ha = LifecycleService {
            let role = MasterRole()
            // One set of permission checks for the RPC service and the webapi that manages it.
            let security = try MasterSecurity(settings: settings.effectiveSecurity)
            let web = try await MasterHTTPServer.start(
                role: role,
                host: settings.host,
                port: webPort,
                authToken: authToken,
                security: security,
                tls: webTLS,
                logger: logger
            )
            let server: HAMasterServer
            do {
                server = try await HAMasterServer.start(
                    configuration: settings,
                    zooKeeper: zk,
                    webPort: web.port,
                    webTLSPort: web.tlsPort,
                    role: role,
                    security: security,
                    logger: logger
                )
            } catch {
                await web.shutdown()
                throw error
            }
            var prometheus: MasterHTTPServer?
            if let promPort {
                do {
                    prometheus = try await MasterHTTPServer.startPrometheus(
                        role: role,
                        host: settings.host,
                        port: promPort,
                        logger: logger
                    )
                } catch {
                    await server.shutdown()
                    await web.shutdown()
                    throw error
                }
            }
            print(
                "tubemq-master ready: \(settings.host):\(server.port) web \(settings.host):\(web.port)"
                    + (server.tlsPort.map { " tls \(settings.host):\($0)" } ?? "")
                    + (web.tlsPort.map { " web-tls \(settings.host):\($0)" } ?? "")
                    + " (HA on ZooKeeper \(zk.connectString)\(zk.nodeRoot))"
                    + (prometheus.map { " metrics \(settings.host):\($0.port)/metrics" } ?? "")
            )
            fflush(nil)  // a file or a pipe buffers it: scripts wait for this line
            return (server, web, prometheus)
        } stop: { server, web, prometheus in
            await prometheus?.shutdown()
            await web.shutdown()
            await server.shutdown()
        }
        try await ServiceGroup(services: [ha], gracefulShutdownSignals: [.sigterm, .sigint, .sighup], logger: logger)
            .run()
    }
}

extension MasterCommand {
    /// What an operator turning authentication on should hear about at start: settings that leave
    /// a hole or lose data without saying so.
    static func securityWarnings(_ security: SecuritySettings, authToken: String) -> [String] {
        let authenticating = security.produceAuthenticate || security.consumeAuthenticate
        guard authenticating else { return [] }
        var warnings: [String] = []
        if security.userFile == nil {
            warnings.append(
                "authentication is on without [master] authUserFile: users added through the webapi are "
                    + "kept in memory only and are gone after a restart"
            )
        }
        if authToken == MasterHTTPServer.defaultAuthToken {
            warnings.append(
                "authentication is on, but confModAuthToken is TubeMQ's public default (ASDFGHJKL): anyone "
                    + "who can reach the webapi can add a user; set [master] confModAuthToken"
            )
        }
        return warnings
    }
}
