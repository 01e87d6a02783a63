import ArgumentParser
import Logging
import ServiceLifecycle
import SystemPackage
import TubeMQBroker
import TubeMQBrokerHTTP
import TubeMQConfig
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

    @Option(help: "Override [broker] port (0 picks a free one).")
    var port: Int?

    @Option(help: "Log level.")
    var logLevel = "info"

    func run() async throws {
        var logger = Logger(label: "tubemq.broker")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let ini: BrokerINI
        do {
            ini = try BrokerINI(contentsOfFile: config)
        } catch {
            throw ValidationError("\(config): \(error)")
        }
        for warning in ini.startupWarnings() { logger.notice("\(warning)") }
        var configuration = BrokerConfiguration(
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
        configuration.acknowledgement = ini.acknowledgement == "disk" ? .disk : .memory
        configuration.retentionBytes = ini.retentionBytes > 0 ? ini.retentionBytes : nil
        let settings = configuration
        let log = logger
        let service = LifecycleService {
            let server = try await BrokerServer.start(configuration: settings, logger: log)
            let web: BrokerHTTPServer
            do {
                web = try await BrokerHTTPServer.start(
                    broker: server,
                    host: settings.host,
                    port: ini.webPort,
                    logger: log
                )
            } catch {
                await server.shutdown()
                throw error
            }
            print("tubemq-broker ready: \(settings.host):\(server.port) web \(settings.host):\(web.port)")
            return (server, web)
        } stop: { server, web in
            await web.shutdown()
            await server.shutdown()
        }
        try await ServiceGroup(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger).run()
    }
}
