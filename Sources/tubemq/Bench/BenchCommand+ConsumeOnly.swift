import Foundation
import TubeMQClient

extension BenchCommand {
    /// `--producers 0`: a fresh group reads `--count` messages the topic already holds, from its first offset.
    ///
    /// The rate is timed from the first message received to the moment the count was reached (or the
    /// last progress, when the topic ran dry: the run ends after 5 s without a message).
    func runConsumeOnly() async throws {
        let masters = try cluster.masters()
        let logger = cluster.logger("tubemq.bench")
        let stats = BenchStats()
        var configuration = Consumer.Configuration(
            masters: masters,
            group: "bench-\(UInt32.random(in: 0...UInt32.max))",
            topics: [topic]
        )
        configuration.startPosition = .first
        // Each consumer fetches no more than its share, so the run reads --count messages, not the
        // batches past it (the original broker ignores the limit: there a run may read a batch more).
        configuration.messageLimit = (count + self.consumers - 1) / max(1, self.consumers)
        configuration.heartbeatPeriod = .seconds(2)
        configuration.tls = try cluster.tls()
        configuration.credentials = try cluster.credentials()
        let cpuAtStart = ProcessCPU.nanos()
        var consumers: [BenchConsumer] = []
        for _ in 0..<self.consumers {
            consumers.append(try await BenchConsumer.start(pull: pull, configuration: configuration, logger: logger))
        }
        let reporter = Task { await report(stats) }
        let receivers = consumers.map { consumer in Task { await consumer.receive(stats: stats, latency: false) } }
        let target = count
        var last = (received: 0, at: ContinuousClock.now)
        var end = BenchClock.nanos()
        while true {
            try await Task.sleep(for: .milliseconds(5))
            let received = stats.received.load(ordering: .relaxed)
            if received != last.received {
                last = (received, ContinuousClock.now)
                end = BenchClock.nanos()
            }
            if received >= target { break }
            let idle: Duration = received == 0 ? .seconds(60) : .seconds(5)
            if ContinuousClock.now - last.at > idle { break }
        }
        let cpu = ProcessCPU.nanos() - cpuAtStart
        for receiver in receivers { receiver.cancel() }
        reporter.cancel()
        for consumer in consumers { await consumer.shutdown() }
        FileHandle.standardError.write(Data("\n".utf8))
        let received = stats.received.load(ordering: .relaxed)
        let first = stats.firstReceive
        let seconds = first > 0 && end > first ? Double(end - first) / 1e9 : 0
        BenchTable.printConsumeOnly(received: received, seconds: seconds, size: size)
        BenchTable.printCPU(nanos: cpu, messages: received)
    }
}
