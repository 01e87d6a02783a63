import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import SystemPackage
import TubeMQBroker
import TubeMQBrokerHTTP
import TubeMQConfig
import TubeMQRPC
import TubeMQStandalone
import TubeMQStorage

/// `tubemq-broker`: a broker, configured from TubeMQ's own broker.ini.
@main
struct BrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tubemq-broker",
        abstract: "Run a TubeMQ broker from a broker.ini file."
    )

    @Option(name: [.short, .long], help: "The broker.ini file.")
    var config: String

    @Option(parsing: .unconditional, help: "Override [broker] port (0 picks a free one).")
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
        var logger = Logger(label: "tubemq.broker", factory: EscapingLogHandler.standardError)
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let ini: BrokerINI
        do {
            ini = try BrokerINI(contentsOfFile: config)
        } catch {
            throw ValidationError("\(config): \(error)")
        }
        for warning in ini.startupWarnings() { logger.notice("\(warning)") }
        var brokerSettings = BrokerConfiguration(
            brokerID: Int32(ini.brokerId),
            host: ini.hostName,
            port: port ?? ini.port,
            dataDirectory: FilePath(ini.primaryPath),
            masterAddresses: ini.masterAddresses.map { ($0.host, $0.port) },
            heartbeatPeriodMillis: ini.heartbeatPeriodMs,
            consumerTimeoutMillis: Int64(ini.consumerRegTimeoutMs),
            transferSize: ini.transferSize,
            io: ini.io == .posix ? .posix : .uring,
            segmentBytes: Int64(ini.maxSegmentSize)
        )
        brokerSettings.acknowledgement = ini.acknowledgement == "disk" ? .disk : .memory
        brokerSettings.retentionBytes = ini.retentionBytes > 0 ? ini.retentionBytes : nil
        brokerSettings.retentionSweepMillis = ini.logClearupDurationMs
        if ini.visitMasterAuth { brokerSettings.masterVisitCredentials = (ini.visitName, ini.visitPassword) }
        brokerSettings.visitTokenGraceMs = ini.visitTokenCheckInValidTimeMs
        brokerSettings.connectionLimits = RPCConnectionLimits(ini.connectionLimits)
        if ini.enableWriteOffset2Zk {
            guard let zk = ini.zooKeeper else {
                throw ValidationError(
                    "\(config): enableWriteOffset2Zk=true needs a [zookeeper] section (zkServerAddr, zkNodeRoot)"
                )
            }
            brokerSettings.zooKeeperOffsets = ZooKeeperOffsetSettings(
                serverAddress: zk.serverAddress,
                nodeRoot: zk.nodeRoot,
                sessionTimeoutMs: zk.sessionTimeoutMs,
                commitPeriodMs: zk.commitPeriodMs,
                syncTimeMs: zk.syncTimeMs,
                commitFailRetries: zk.commitFailRetries
            )
        }
        if ini.tls.isEnabled {
            brokerSettings.tls = TLSSettings(ini.tls, port: ini.tls.port)
        }
        if ini.tls.isMasterLinkEnabled {
            // `masterTLSEnable` (ours): masterAddressList names the masters' TLS ports.
            // The trust store first, alone, so that an error names the key that holds the bad value.
            do {
                _ = try TLSSettings.makeClientContext(
                    trustStorePath: ini.tls.trustStorePath,
                    trustStorePassword: ini.tls.trustStorePassword
                )
            } catch {
                throw ValidationError(
                    "[tlsSetting] tlsTrustStorePath / tlsTrustStorePassword (for masterTLSEnable): \(error)"
                )
            }
            do {
                brokerSettings.masterTLS = try TLSSettings.makeClientContext(
                    trustStorePath: ini.tls.trustStorePath,
                    trustStorePassword: ini.tls.trustStorePassword,
                    keyStorePath: ini.tls.keyStorePath.isEmpty ? nil : ini.tls.keyStorePath,
                    keyStorePassword: ini.tls.keyStorePassword
                )
            } catch {
                throw ValidationError(
                    "[tlsSetting] tlsKeyStorePath / tlsKeyStorePassword (for masterTLSEnable): \(error)"
                )
            }
        }
        // `[tlsSetting] webTLSEnable` (ours): the offset webapi over HTTPS too.
        let webTLS: TLSSettings? =
            ini.tls.isWebEnabled
            ? TLSSettings(ini.tls, port: ini.tls.webPort) : nil
        let settings = brokerSettings
        let adminToken = try Self.webAdminToken(ini, logger: logger)
        let log = logger
        let service = LifecycleService {
            let server = try await BrokerServer.start(configuration: settings, logger: log)
            let web: BrokerHTTPServer
            do {
                web = try await BrokerHTTPServer.start(
                    broker: server,
                    host: settings.host,
                    port: ini.webPort,
                    adminToken: adminToken,
                    tls: webTLS,
                    logger: log
                )
            } catch {
                await server.shutdown()
                throw error
            }
            var prometheus: BrokerHTTPServer?
            if ini.prometheus.isEnabled {
                do {
                    prometheus = try await BrokerHTTPServer.startPrometheus(
                        broker: server,
                        host: settings.host,
                        port: ini.prometheus.httpPort,
                        logger: log
                    )
                } catch {
                    await web.shutdown()
                    await server.shutdown()
                    throw error
                }
            }
            print(
                "tubemq-broker ready: \(settings.host):\(server.port) web \(settings.host):\(web.port)"
                    + (server.tlsPort.map { " tls \(settings.host):\($0)" } ?? "")
                    + (prometheus.map { " metrics \(settings.host):\($0.port)/metrics" } ?? "")
            )
            fflush(nil)  // a file or a pipe buffers it: scripts wait for this line
            return (server, web, prometheus)
        } stop: { server, web, prometheus in
            await prometheus?.shutdown()
            await web.shutdown()
            guard await server.shutdown() else { throw LocalClusterError.stoppedWithUnwrittenMessages }
        }
        try await ServiceGroup(
            services: [service],
            gracefulShutdownSignals: [.sigterm, .sigint, .sighup],
            logger: logger
        ).run()
    }

    /// The webapi admin token: `webAdminToken`, else `primaryPath/webapi.token` (created at random on
    /// first start); `nil` when `webAdminTokenCheck` is false.
    static func webAdminToken(_ ini: BrokerINI, logger: Logger) throws -> String? {
        guard ini.webAdminTokenCheck else { return nil }
        if let token = ini.webAdminToken { return token }
        let (token, path, created) = try DataFolder.secret(named: "webapi.token", in: ini.primaryPath)
        if created { logger.notice("broker webapi admin token created", metadata: ["tubemq.path": "\(path)"]) }
        return token
    }
}
