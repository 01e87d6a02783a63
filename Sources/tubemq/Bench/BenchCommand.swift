import ArgumentParser
import Foundation
import Histogram
import Synchronization
import TubeMQClient
import TubeMQCore

/// `tubemq bench`: producers and consumers against a cluster, with throughput and latency percentiles.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure publish and consume throughput and latency.",
        discussion: "Each producer has its own connections; --in-flight sends run concurrently per producer. "
            + "Consumer latency is end to end (send to delivery), from a timestamp in the payload.\n\n"
            + "Consume only: with --producers 0, the consumers (a fresh group) read --count messages already in "
            + "the topic, from its first offset; the rate is timed from the first message received to the last, "
            + "and the run ends at --count or after 5 s without a message. Fill the topic first with "
            + "--consumers 0. Every run also reports the bench process's CPU time per message."
    )

    @OptionGroup var cluster: ClusterOptions

    @Option(help: "The topic.")
    var topic = "demo"

    @Option(
        parsing: .unconditional,
        help: "Producer clients (each with its own connections); 0 consumes what the topic holds (see below)."
    )
    var producers = 1

    @Option(parsing: .unconditional, help: "Concurrent sends per producer.")
    var inFlight = 64

    @Option(parsing: .unconditional, help: "Consumers in the bench's group (0 = publish only).")
    var consumers = 1

    @Flag(help: "Consume with pull consumers, confirming each batch with a commit call (push consumers by default).")
    var pull = false

    @Option(parsing: .unconditional, help: "Message size in bytes.")
    var size = 100

    @Option(parsing: .unconditional, help: "Messages to send in total (with --producers 0: to consume).")
    var count = 100_000

    @Option(parsing: .unconditional, help: "Stop sending after this many seconds, whatever --count says.")
    var duration: Double?

    @Option(help: "Set the topic's acknowledgement policy first (memory or disk), through the master webapi.")
    var ack: String?

    @Option(help: "The master webapi, for --ack.")
    var web = "http://127.0.0.1:8080"

    @Option(help: "confModAuthToken, for --ack.")
    var token = "ASDFGHJKL"

    @Option(parsing: .unconditional, help: "Seconds to wait after --ack for the brokers to apply it (two heartbeats).")
    var ackSettleSeconds = 5

    @Option(
        parsing: .unconditional,
        help: "The consumers' first wait in ms after a 404 (the client's default when not given)."
    )
    var fetchBackoffMs: Int?

    @Option(
        parsing: .unconditional,
        help: "The consumers' longest wait in ms while a partition stays empty (the client's default when not given)."
    )
    var fetchBackoffMaxMs: Int?

    @Option(
        parsing: .unconditional,
        help: "How long in ms the broker may hold a consumer's fetch that finds no data (long poll; 0 = off)."
    )
    var fetchWaitMs: Int?

    func validate() throws {
        guard producers > 0 || consumers > 0 else { throw ValidationError("--producers 0 needs --consumers 1 or more") }
        guard producers >= 0, consumers >= 0 else {
            throw ValidationError("--producers and --consumers must not be negative")
        }
        guard count > 0 else { throw ValidationError("--count must be at least 1, got \(count)") }
        guard inFlight > 0 else { throw ValidationError("--in-flight must be at least 1, got \(inFlight)") }
        guard size > 0 else { throw ValidationError("--size must be at least 1, got \(size)") }
        if let duration, !(duration > 0) { throw ValidationError("--duration must be more than 0, got \(duration)") }
        guard ackSettleSeconds >= 0 else { throw ValidationError("--ack-settle-seconds must not be negative") }
        for (name, value) in [
            ("--fetch-backoff-ms", fetchBackoffMs), ("--fetch-backoff-max-ms", fetchBackoffMaxMs),
            ("--fetch-wait-ms", fetchWaitMs),
        ] {
            if let value, value < 0 { throw ValidationError("\(name) must not be negative, got \(value)") }
        }
        if let ack, ack != "memory", ack != "disk" { throw ValidationError("--ack takes memory or disk") }
    }

    func run() async throws {
        if let ack { try await applyAcknowledgement(ack) }
        if producers == 0 {
            try await runConsumeOnly()
            return
        }
        let masters = try cluster.masters()
        let logger = cluster.logger("tubemq.bench")
        let stats = BenchStats()
        let group = "bench-\(UInt32.random(in: 0...UInt32.max))"
        var consumerConfiguration = Consumer.Configuration(masters: masters, group: group, topics: [topic])
        consumerConfiguration.startPosition = .latestAlways
        consumerConfiguration.heartbeatPeriod = .seconds(2)
        let tls = try cluster.tls()
        let credentials = try cluster.credentials()
        consumerConfiguration.tls = tls
        consumerConfiguration.credentials = credentials
        if let fetchBackoffMs { consumerConfiguration.minimumFetchBackoff = .milliseconds(max(1, fetchBackoffMs)) }
        if let fetchBackoffMaxMs {
            consumerConfiguration.maximumFetchBackoff = .milliseconds(max(1, fetchBackoffMaxMs))
        }
        if let fetchWaitMs { consumerConfiguration.fetchWait = .milliseconds(max(0, fetchWaitMs)) }
        var benchConsumers: [BenchConsumer] = []
        for _ in 0..<consumers {
            benchConsumers.append(
                try await BenchConsumer.start(pull: pull, configuration: consumerConfiguration, logger: logger)
            )
        }
        try await waitForAssignment(benchConsumers)
        let cpuAtStart = ProcessCPU.nanos()
        var clients: [Producer] = []
        for _ in 0..<max(1, producers) {
            var producerConfiguration = Producer.Configuration(masters: masters)
            producerConfiguration.tls = tls
            producerConfiguration.credentials = credentials
            let producer = try await Producer(configuration: producerConfiguration, logger: logger)
            try await producer.publish([topic])
            clients.append(producer)
        }
        let deadline = duration.map { ContinuousClock.now + .milliseconds(Int64($0 * 1000)) }
        let target = count
        let bodySize = max(size, 8)
        let reporter = Task { await report(stats) }
        let receivers = benchConsumers.map { consumer in
            Task(executorPreference: consumer.executor) { await consumer.receive(stats: stats, latency: true) }
        }
        let start = ContinuousClock.now
        // Ctrl-C ends the sends (each loop after its send in flight) and the run reports what it did.
        // A failed send (a full disk, a refused topic) stops the run too: the table still says what
        // was acknowledged before it, then the error ends the command.
        var failure: (any Error)?
        var interrupted = false
        do {
            interrupted = try await runInterruptibly { [clients, inFlight] () async throws -> Bool in
                try await withThrowingTaskGroup(of: Histogram<UInt64>.self) { group in
                    for producer in clients {
                        for _ in 0..<max(1, inFlight) {
                            group.addTask(executorPreference: producer.executor) {
                                try await Self.sendLoop(
                                    producer,
                                    topic: topic,
                                    size: bodySize,
                                    stats: stats,
                                    target: target,
                                    deadline: deadline
                                )
                            }
                        }
                    }
                    for try await histogram in group { stats.mergeSend(histogram) }
                }
                return Task.isCancelled
            } then: {
            }
        } catch {
            failure = error
        }
        let sendSeconds = (ContinuousClock.now - start).seconds
        let sent = stats.sent.load(ordering: .relaxed)
        if !receivers.isEmpty {
            // Interrupted, the consumers get a moment for what is on its way, not the full wait.
            let wait = ContinuousClock.now + .seconds(interrupted || failure != nil ? 2 : 30)
            while stats.received.load(ordering: .relaxed) < sent && ContinuousClock.now < wait {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        let receiveSeconds = (ContinuousClock.now - start).seconds
        for receiver in receivers { receiver.cancel() }
        for receiver in receivers { await receiver.value }
        reporter.cancel()
        for consumer in benchConsumers { await consumer.shutdown() }
        for producer in clients { await producer.shutdown() }
        let ending =
            failure != nil
            ? "\nstopped at a failed send (below): the figures cover the \(sent) sends acknowledged before it\n"
            : interrupted ? "\ninterrupted: the figures cover the run so far\n" : "\n"
        FileHandle.standardError.write(Data(ending.utf8))
        BenchTable.print(
            stats: stats,
            size: bodySize,
            sendSeconds: sendSeconds,
            receiveSeconds: receiveSeconds,
            consumers: consumers
        )
        BenchTable.printCPU(
            nanos: ProcessCPU.nanos() - cpuAtStart,
            messages: max(sent, stats.received.load(ordering: .relaxed))
        )
        if let failure { throw failure }
        if interrupted { throw ExitCode(130) }  // as produce: the run did not go as asked
    }

    func waitForAssignment(_ consumers: [BenchConsumer]) async throws {
        guard !consumers.isEmpty else { return }
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            var held = 0
            for consumer in consumers { held += await consumer.assignedPartitions() }
            if held > 0 {
                try await Task.sleep(for: .milliseconds(500))  // let the other partitions register too
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ValidationError("consumers got no partitions within 60 s")
    }

    private static func sendLoop(
        _ producer: Producer,
        topic: String,
        size: Int,
        stats: BenchStats,
        target: Int,
        deadline: ContinuousClock.Instant?
    ) async throws -> Histogram<UInt64> {
        var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        var body = [UInt8](repeating: UInt8(ascii: "b"), count: size)
        while !Task.isCancelled, stats.claim(target: target) {
            if let deadline, ContinuousClock.now >= deadline { break }
            let sentAt = BenchClock.nanos()
            body.withUnsafeMutableBytes { $0.storeBytes(of: sentAt.bigEndian, as: UInt64.self) }
            do {
                _ = try await producer.send(Message(body: body), to: topic)
            } catch {
                if error.code == .cancelled { break }  // Ctrl-C came before this send went out
                stats.mergeSend(histogram)  // the table still shows the latencies of what went out
                throw error
            }
            _ = histogram.record((BenchClock.nanos() &- sentAt) / 1000)
            stats.sent.add(1, ordering: .relaxed)
        }
        return histogram
    }

    func report(_ stats: BenchStats) async {
        var last = (sent: 0, received: 0)
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            let sent = stats.sent.load(ordering: .relaxed)
            let received = stats.received.load(ordering: .relaxed)
            let line =
                "\rsent \(sent) (\(sent - last.sent) msg/s)  received \(received) (\(received - last.received) msg/s)   "
            FileHandle.standardError.write(Data(line.utf8))
            last = (sent, received)
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
