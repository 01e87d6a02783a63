import Foundation
public import Logging
import Synchronization
import TubeMQClient
import TubeMQCore

/// Checks that acknowledged means stored: starts `tubemq standalone` itself, keeps producers
/// sending, kills (or stops) the process under load and restarts it, again and again, then reads
/// the topic back from its first offset and compares with every acknowledgement received.
public struct DurabilityChecker: Sendable {
    /// How the run goes.
    public struct Settings: Sendable {
        /// The `tubemq` executable.
        public var binary: String
        /// The acknowledgement policy `tubemq standalone --ack` gets: `memory` or `disk`.
        public var acknowledgement: String = "disk"
        /// How many times the process is signalled under load.
        public var kills: Int = 5
        /// `SIGKILL` (a crash) or `SIGTERM` (a clean stop).
        public var signal: Int32 = SIGKILL
        /// How long producers send before each signal.
        public var loadTime: Duration = .seconds(2)
        /// Producer clients.
        public var producers: Int = 2
        /// Sends in flight per producer.
        public var inFlight: Int = 16
        /// Message size in bytes (at least 16).
        public var messageSize: Int = 256
        /// Partitions of the topic.
        public var partitions: Int = 4
        /// Keep the temp folder (its logs and data) afterwards.
        public var keepFolder = false
        /// The first of four consecutive ports the standalone listens on (master, broker, master web,
        /// broker web); `nil` lets it pick free ports on its first start and keeps them after.
        public var firstPort: Int? = nil
        /// The clients' logger.
        public var logger = Logger(label: "tubemq.durability")

        /// Settings with the defaults above, for `binary`.
        public init(binary: String) { self.binary = binary }
    }

    let settings: Settings

    /// Creates a checker.
    public init(settings: Settings) { self.settings = settings }

    /// Runs the rounds and returns the verdict; `progress` gets a line per step.
    ///
    /// - Throws: ``ConformanceError`` when the process cannot be started or read back.
    public func run(progress: @Sendable (String) -> Void) async throws(ConformanceError) -> DurabilityReport {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("tubemq-durability-\(UInt32.random(in: 0...UInt32.max))")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if !settings.keepFolder { try? FileManager.default.removeItem(at: folder) } }
        let server = StandaloneProcess(
            binary: settings.binary,
            folder: folder,
            ports: settings.firstPort.map {
                StandaloneProcess.Ports(master: $0, broker: $0 + 1, masterWeb: $0 + 2, brokerWeb: $0 + 3)
            },
            arguments: [
                "--topic", "durability:\(settings.partitions)", "--ack", settings.acknowledgement,
                "--balance-delay-ms", "500", "--balance-period-ms", "500", "--log-level", "error",
            ]
        )
        let ledger = DurabilityLedger(runTag: UInt32.random(in: 1...UInt32.max))
        let signalName = settings.signal == SIGKILL ? "kill -9" : "SIGTERM"
        for round in 1...max(1, settings.kills) {
            try await server.start()
            let before = ledger.acknowledgedCount
            let load = Load(ledger: ledger, settings: settings, masters: server.masterAddress ?? "")
            let senders = Task { await load.run() }
            // Under load: wait for the first acknowledgements of this round, then for the load time.
            let started = ContinuousClock.now
            while ledger.acknowledgedCount == before, ContinuousClock.now - started < .seconds(30) {
                try? await Task.sleep(for: .milliseconds(20))
            }
            try? await Task.sleep(for: settings.loadTime)
            await server.stop(signal: settings.signal)
            load.stop()
            _ = await value(of: senders, within: .seconds(15))
            progress("round \(round): \(signalName) after \(ledger.acknowledgedCount - before) acknowledged")
        }
        try await server.start()
        let consumed = try await readBack(masters: server.masterAddress ?? "", expected: ledger.acknowledgedCount)
        await server.stop(signal: SIGTERM)
        for line in server.errorLines().prefix(5) { progress("server: \(line)") }
        return ledger.verdict(consumed: consumed)
    }

    /// Reads the topic from its first offset with a fresh group until every acknowledged message
    /// (or more) came back, or nothing came for 5 s.
    private func readBack(masters: String, expected: Int) async throws(ConformanceError) -> [[UInt8]] {
        var configuration = Consumer.Configuration(
            masters: MasterAddress.list(parsing: masters),
            group: "durability_\(UInt32.random(in: 0...UInt32.max))",
            topics: ["durability"]
        )
        configuration.startPosition = .first
        configuration.heartbeatPeriod = .milliseconds(500)
        let consumer = try await step("start the consumer") {
            try await PushConsumer(configuration: configuration, logger: settings.logger)
        }
        let bodies = Mutex<(bodies: [[UInt8]], last: ContinuousClock.Instant)>(([], .now))
        let reader = Task {
            do {
                for try await message in consumer {
                    bodies.withLock {
                        $0.bodies.append(message.body)
                        $0.last = .now
                    }
                }
            } catch {}
        }
        let started = ContinuousClock.now
        while true {
            try? await Task.sleep(for: .milliseconds(100))
            let (count, last) = bodies.withLock { ($0.bodies.count, $0.last) }
            if count >= expected, ContinuousClock.now - last > .milliseconds(500) { break }
            if count > 0, ContinuousClock.now - last > .seconds(5) { break }
            if ContinuousClock.now - started > .seconds(60) { break }
        }
        reader.cancel()
        _ = await value(of: reader, within: .seconds(5))
        return bodies.withLock { $0.bodies }
    }
}

/// The producers of one round: each keeps `inFlight` sends going until stopped, and records every
/// acknowledgement in the ledger.
private final class Load: Sendable {
    let ledger: DurabilityLedger
    let settings: DurabilityChecker.Settings
    let masters: String
    private let stopped = Mutex(false)
    private static let sequence = Mutex<UInt64>(0)

    init(ledger: DurabilityLedger, settings: DurabilityChecker.Settings, masters: String) {
        self.ledger = ledger
        self.settings = settings
        self.masters = masters
    }

    func stop() { stopped.withLock { $0 = true } }

    private var isStopped: Bool { stopped.withLock { $0 } }

    func run() async {
        await withTaskGroup(of: Void.self) { group in
            for producerIndex in 0..<settings.producers {
                group.addTask { await self.produce(as: producerIndex) }
            }
        }
    }

    private func produce(as producerIndex: Int) async {
        var configuration = Producer.Configuration(masters: MasterAddress.list(parsing: masters))
        configuration.heartbeatPeriod = .seconds(1)
        configuration.rpcTimeout = .seconds(3)
        configuration.maxSendAttempts = 1
        guard let producer = try? await Producer(configuration: configuration, logger: settings.logger) else { return }
        _ = try? await producer.publish(["durability"])
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<settings.inFlight {
                group.addTask {
                    while !self.isStopped {
                        let sequence = Self.sequence.withLock {
                            $0 += 1
                            return $0
                        }
                        let key = DurabilityLedger.key(producer: producerIndex, sequence: sequence)
                        let body = self.ledger.body(key: key, size: max(16, self.settings.messageSize))
                        do {
                            let sent = try await producer.send(Message(body: body), to: "durability")
                            self.ledger.record(key: key, body: body, partition: sent.partition.key, offset: sent.offset)
                        } catch {
                            try? await Task.sleep(for: .milliseconds(20))
                        }
                    }
                }
            }
        }
        _ = await value(of: Task { await producer.shutdown() }, within: .seconds(3))
    }
}
