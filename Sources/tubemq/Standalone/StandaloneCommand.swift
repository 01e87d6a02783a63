import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TubeMQRPC
import TubeMQStandalone
import TubeMQStorage

/// `tubemq standalone`: master + broker in one process, data in a local folder.
struct StandaloneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "standalone",
        abstract: "Run a master and a broker in one process (topic `demo` with 3 partitions by default)."
    )

    @Option(help: "The folder holding the cluster's data.")
    var data = "data"

    @Option(help: "The address to bind.")
    var host = "127.0.0.1"

    @Option(parsing: .unconditional, help: "The master's RPC port (0 picks a free one).")
    var masterPort = 8715

    @Option(parsing: .unconditional, help: "The broker's RPC port (0 picks a free one).")
    var brokerPort = 8123

    @Option(parsing: .unconditional, help: "The master's HTTP admin webapi port (0 picks a free one).")
    var masterWebPort = 8080

    @Option(parsing: .unconditional, help: "The broker's HTTP webapi port (0 picks a free one).")
    var brokerWebPort = 8081

    @Option(help: "Topics to create, as name:partitions.")
    var topic: [String] = ["demo:3"]

    @Option(parsing: .unconditional, help: "Delay before the first consumer balance, in milliseconds.")
    var balanceDelayMs: Int64 = 1000

    @Option(parsing: .unconditional, help: "Period of consumer balancing, in milliseconds.")
    var balancePeriodMs: Int64 = 1000

    @Option(help: "Storage I/O: uring or posix.")
    var io = "uring"

    @Option(help: "When sends are acknowledged: memory (in the memory block) or disk (written and fdatasynced).")
    var ack = "memory"

    @Option(
        parsing: .unconditional,
        help:
            "The most bytes each topic keeps on the broker (oldest segments deleted first, each time a segment of an eighth of the cap fills; 0: no cap)."
    )
    var retentionBytes: Int64 = 0

    @Option(help: "Log level (trace, debug, info, notice, warning, error).")
    var logLevel = "info"

    @Flag(help: "Let the broker webapi move and remove offsets without a token (TubeMQ's behaviour).")
    var uncheckedBrokerWebapi = false

    @Flag(help: "Authenticate producers and consumers: creates user `tubemq` with a random password on first start.")
    var auth = false

    @Flag(help: "Serve TLS beside the plain ports: creates a CA and a server certificate in <data>/tls on first start.")
    var tls = false

    @Option(parsing: .unconditional, help: "The master's TLS port with --tls (0 picks a free one).")
    var masterTlsPort = 8716

    @Option(parsing: .unconditional, help: "The broker's TLS port with --tls (0 picks a free one).")
    var brokerTlsPort = 8124

    @Option(
        parsing: .unconditional,
        help: "The master's HTTPS webapi and console port with --tls (0 picks a free one)."
    )
    var masterWebTlsPort = 8443

    @Option(parsing: .unconditional, help: "The broker's HTTPS webapi port with --tls (0 picks a free one).")
    var brokerWebTlsPort = 8444

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError(
                "--log-level takes trace, debug, info, notice, warning, error or critical, got \(logLevel)"
            )
        }
        let ports = [
            ("--master-port", masterPort), ("--broker-port", brokerPort), ("--master-web-port", masterWebPort),
            ("--broker-web-port", brokerWebPort), ("--master-tls-port", masterTlsPort),
            ("--broker-tls-port", brokerTlsPort), ("--master-web-tls-port", masterWebTlsPort),
            ("--broker-web-tls-port", brokerWebTlsPort),
        ]
        for (name, port) in ports where !(0...65_535).contains(port) {
            throw ValidationError("\(name) must be 0…65535 (0 picks a free one), got \(port)")
        }
        for (name, value) in [
            ("--balance-delay-ms", balanceDelayMs), ("--balance-period-ms", balancePeriodMs),
            ("--retention-bytes", retentionBytes),
        ] where value < 0 {
            throw ValidationError("\(name) must not be negative, got \(value)")
        }
        guard balancePeriodMs > 0 else { throw ValidationError("--balance-period-ms must be at least 1, got 0") }
    }

    func run() async throws {
        var logger = Logger(label: "tubemq.standalone", factory: EscapingLogHandler.standardError)
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let topics = try topic.map { spec -> LocalClusterConfiguration.Topic in
            let parts = spec.split(separator: ":")
            guard parts.count == 2, let partitions = Int32(parts[1]), partitions > 0 else {
                throw ValidationError("--topic takes name:partitions, got \(spec)")
            }
            return LocalClusterConfiguration.Topic(name: String(parts[0]), partitions: partitions)
        }
        guard let backend = IOBackend(rawValue: io) else { throw ValidationError("--io takes uring or posix") }
        guard let acknowledgement = FlushPolicy.Acknowledgement(rawValue: ack) else {
            throw ValidationError("--ack takes memory or disk")
        }
        var configuration = LocalClusterConfiguration(
            host: host,
            masterPort: masterPort,
            brokerPorts: [brokerPort],
            dataDirectory: data,
            topics: topics,
            firstBalanceDelayMs: balanceDelayMs,
            balancePeriodMs: balancePeriodMs,
            io: backend,
            masterWebPort: masterWebPort,
            brokerWebPorts: [brokerWebPort]
        )
        configuration.acknowledgement = acknowledgement
        configuration.retentionBytes = retentionBytes > 0 ? retentionBytes : nil
        if !uncheckedBrokerWebapi {
            let (token, path) = try StandaloneAuth.webToken(dataDirectory: data)
            configuration.brokerWebAdminToken = token
            FileHandle.standardOutput.write(Data("tubemq standalone broker webapi token in \(path)\n".utf8))
        }
        if auth {
            let (users, passwordFile) = try StandaloneAuth.prepare(dataDirectory: data)
            configuration.requireAuthentication(userFile: users)
            let line = "tubemq standalone auth: user tubemq, password in \(passwordFile) (users file \(users))\n"
            FileHandle.standardOutput.write(Data(line.utf8))
            // TubeMQ's default master token is public: anyone could add a user through the webapi.
            let (token, path) = try StandaloneAuth.webToken(dataDirectory: data)
            configuration.authToken = token
            FileHandle.standardOutput.write(
                Data("tubemq standalone auth: master webapi changes take the token in \(path)\n".utf8)
            )
        }
        if tls {
            let files: StandaloneCertificates.Files
            do {
                files = try StandaloneCertificates.prepare(dataDirectory: data, hosts: [host])
            } catch {
                throw ValidationError("--tls: \(error)")
            }
            configuration.tls = TLSSettings(port: masterTlsPort, keyStorePath: files.keyStorePath)
            configuration.masterTLSPort = masterTlsPort
            configuration.masterWebTLSPort = masterWebTlsPort
            configuration.brokerTLSPorts = [brokerTlsPort]
            configuration.brokerWebTLSPorts = [brokerWebTlsPort]
            // The broker registers and heartbeats on the master's TLS port too, trusting the same CA.
            do {
                configuration.brokerMasterTLS = try TLSSettings.makeClientContext(trustStorePath: files.caPath)
            } catch {
                throw ValidationError("--tls: \(error)")
            }
            FileHandle.standardOutput.write(Data("tubemq standalone TLS: clients trust \(files.caPath)\n".utf8))
        }
        let (log, settings) = (logger, configuration)
        let service = LifecycleService {
            let cluster = try await LocalCluster.start(configuration: settings, logger: log)
            let brokers = cluster.brokers.map { "127.0.0.1:\($0.port)" }.joined(separator: ",")
            // One line for scripts and tests to read the chosen ports from.
            let brokerWebs = cluster.brokerWebs.map { "\(host):\($0.port)" }.joined(separator: ",")
            let line =
                "tubemq standalone ready: master \(host):\(cluster.master.port) brokers \(brokers)"
                + " web \(host):\(cluster.masterWeb.port) broker-web \(brokerWebs)"
                + (cluster.master.tlsPort.map { " tls-master \(host):\($0)" } ?? "")
                + (cluster.masterWeb.tlsPort.map { " web-tls https://\(host):\($0)" } ?? "")
                + (cluster.brokers.first?.tlsPort.map { " tls-broker \(host):\($0)" } ?? "")
                + (cluster.brokerWebs.first?.tlsPort.map { " broker-web-tls https://\(host):\($0)" } ?? "") + "\n"
            FileHandle.standardOutput.write(Data(line.utf8))
            return cluster
        } stop: { cluster in
            // A clean exit says that every acknowledged message is on disk; scripts see the rest.
            try await cluster.stop()
        }
        let group = ServiceGroup(
            services: [service],
            gracefulShutdownSignals: [.sigterm, .sigint, .sighup],
            logger: logger
        )
        try await group.run()
    }
}
