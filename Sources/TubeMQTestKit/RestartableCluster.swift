import Foundation
import Glibc
public import Logging
import Synchronization
public import TubeMQClient
public import TubeMQStandalone

/// An in-process cluster (master and brokers, as ``TestCluster``) that can go away as a whole —
/// ``stop()`` shuts every server down and keeps the data — and come back with ``restart()`` on the
/// same ports and data folder: a cluster outage as the clients see it.
///
/// Its ports lie below the system's ephemeral range, so no client connection can take one of them
/// while the cluster is down (nor connect to itself while retrying a port nobody listens on).
public final class RestartableCluster: Sendable {
    /// The folder holding the cluster's data, removed by ``remove()``.
    public let directory: String
    /// The master's RPC port, the same across restarts.
    public let masterPort: Int
    /// The brokers' RPC ports, the same across restarts.
    public let brokerPorts: [Int]
    private let topics: [TestCluster.Topic]
    private let configure: @Sendable (inout LocalClusterConfiguration) -> Void
    private let logger: Logger
    private let running: Mutex<LocalCluster?>

    /// The master's address for clients.
    public var masterAddress: MasterAddress { MasterAddress(host: "127.0.0.1", port: masterPort) }

    /// The running cluster, if it is up.
    public var local: LocalCluster? { running.withLock { $0 } }

    private init(
        directory: String,
        masterPort: Int,
        brokerPorts: [Int],
        topics: [TestCluster.Topic],
        configure: @escaping @Sendable (inout LocalClusterConfiguration) -> Void,
        logger: Logger,
        local: LocalCluster
    ) {
        self.directory = directory
        self.masterPort = masterPort
        self.brokerPorts = brokerPorts
        self.topics = topics
        self.configure = configure
        self.logger = logger
        self.running = Mutex(local)
    }

    /// Starts a master and `brokerCount` brokers on free ports with `topics` deployed on every broker,
    /// returning once producers would be told about every topic.
    ///
    /// - Throws: when no free ports are found or the cluster does not come up in time.
    public static func start(
        brokerCount: Int = 1,
        topics: [TestCluster.Topic],
        logger: Logger = TestCluster.logger,
        configure: @escaping @Sendable (inout LocalClusterConfiguration) -> Void = { _ in }
    ) async throws -> RestartableCluster {
        let directory = NSTemporaryDirectory() + "tubemq-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var lastError: (any Error)?
        for _ in 0..<8 {
            let ports = try freePorts(brokerCount + 1)
            do {
                let local = try await launch(
                    directory: directory,
                    masterPort: ports[0],
                    brokerPorts: Array(ports.dropFirst()),
                    topics: topics,
                    configure: configure,
                    logger: logger
                )
                return RestartableCluster(
                    directory: directory,
                    masterPort: ports[0],
                    brokerPorts: Array(ports.dropFirst()),
                    topics: topics,
                    configure: configure,
                    logger: logger,
                    local: local
                )
            } catch {
                // Most likely a port taken between the check and the bind: start over with others.
                lastError = error
                try? FileManager.default.removeItem(atPath: directory)
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
        throw lastError ?? TestTimeout(description: "no cluster could be started")
    }

    /// Shuts the master and every broker down (their stores flushed), keeping the data. Idempotent.
    public func stop() async {
        guard
            let local = running.withLock({ current -> LocalCluster? in
                defer { current = nil }
                return current
            })
        else { return }
        await local.shutdown()
    }

    /// Starts the cluster again on the same ports and data, returning once producers would be told
    /// about every topic. Does nothing while it runs.
    ///
    /// - Throws: when a port cannot be bound or the cluster does not come up in time.
    public func restart() async throws {
        guard local == nil else { return }
        // A port may stay busy for a moment after the stop on a loaded machine: try for a while.
        let deadline = ContinuousClock.now + .seconds(30)
        var attempt = 0
        while true {
            attempt += 1
            do {
                let local = try await Self.launch(
                    directory: directory,
                    masterPort: masterPort,
                    brokerPorts: brokerPorts,
                    topics: topics,
                    configure: configure,
                    logger: logger
                )
                running.withLock { $0 = local }
                if attempt > 1 { print("RestartableCluster: restarted on attempt \(attempt)") }
                return
            } catch {
                guard ContinuousClock.now < deadline else {
                    throw TestTimeout(
                        description: "the cluster did not restart on master port \(masterPort), broker ports "
                            + "\(brokerPorts) (\(attempt) attempts): \(error)"
                    )
                }
                print("RestartableCluster: restart attempt \(attempt) failed: \(error)")
                try await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    /// Stops the cluster and removes its data.
    public func remove() async {
        await stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A producer configuration with short heartbeats and timeouts.
    public func producerConfiguration() -> Producer.Configuration {
        Producer.Configuration(masters: [masterAddress], heartbeatPeriod: .milliseconds(200), rpcTimeout: .seconds(5))
    }

    private static func launch(
        directory: String,
        masterPort: Int,
        brokerPorts: [Int],
        topics: [TestCluster.Topic],
        configure: @Sendable (inout LocalClusterConfiguration) -> Void,
        logger: Logger
    ) async throws -> LocalCluster {
        var configuration = LocalClusterConfiguration(
            masterPort: masterPort,
            brokerPorts: brokerPorts,
            dataDirectory: directory,
            topics: topics.map { .init(name: $0.name, partitions: $0.partitions, stores: $0.stores) },
            firstBalanceDelayMs: 100,
            balancePeriodMs: 100,
            brokerHeartbeatPeriodMs: 50,
            io: .posix,
            masterWebPort: 0,
            brokerWebPorts: []
        )
        configuration.consumerHeartbeatTimeoutMs = 10_000
        configuration.producerHeartbeatTimeoutMs = 10_000
        configuration.brokerHeartbeatTimeoutMs = 10_000
        configure(&configuration)
        let local = try await LocalCluster.start(configuration: configuration, logger: logger)
        do {
            for topic in topics {
                try await eventually("producers are told about \(topic.name)", timeout: .seconds(30)) {
                    guard let info = await local.master.master.publishInfo(topic: topic.name) else { return false }
                    return info.brokers.count == brokerPorts.count
                }
            }
        } catch {
            await local.shutdown()
            throw error
        }
        return local
    }

    /// `count` distinct ports nothing listens on now, below the ephemeral range.
    private static func freePorts(_ count: Int) throws -> [Int] {
        let range = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8))?
            .split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        let ephemeralStart = range?.first ?? 32_768
        let candidates = 10_000..<max(10_001, min(ephemeralStart, 65_536))
        var ports: [Int] = []
        var attempts = 0
        while ports.count < count {
            attempts += 1
            guard attempts < 1_000 else { throw TestTimeout(description: "no free port below \(ephemeralStart)") }
            let port = Int.random(in: candidates)
            if !ports.contains(port), isFree(port) { ports.append(port) }
        }
        return ports
    }

    private static func isFree(_ port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
