import Foundation
import Histogram
import Synchronization

/// Counters and latency histograms shared by a bench's tasks.
final class BenchStats: Sendable {
    let sent = Atomic<Int>(0)
    let received = Atomic<Int>(0)
    private let claimed = Atomic<Int>(0)
    private let firstReceiveNanos = Atomic<UInt64>(0)
    private let histograms = Mutex<(send: Histogram<UInt64>, receive: Histogram<UInt64>)>(
        (
            Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three),
            Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        )
    )

    /// Takes one message of the budget; false once `target` messages were claimed.
    func claim(target: Int) -> Bool { claimed.add(1, ordering: .relaxed).newValue <= target }

    /// Notes the time of the first message received by any consumer (later calls keep the first).
    func markFirstReceive() {
        _ = firstReceiveNanos.compareExchange(expected: 0, desired: BenchClock.nanos(), ordering: .relaxed)
    }

    /// When the first message was received (``BenchClock`` nanoseconds), 0 before that.
    var firstReceive: UInt64 { firstReceiveNanos.load(ordering: .relaxed) }

    func mergeSend(_ histogram: Histogram<UInt64>) { histograms.withLock { $0.send.add(histogram) } }
    func mergeReceive(_ histogram: Histogram<UInt64>) { histograms.withLock { $0.receive.add(histogram) } }

    var sendLatency: Histogram<UInt64> { histograms.withLock { $0.send } }
    var receiveLatency: Histogram<UInt64> { histograms.withLock { $0.receive } }
}

/// A monotonic nanosecond clock shared by senders and receivers in one process.
enum BenchClock {
    static func nanos() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }
}

/// The CPU time this process has used.
enum ProcessCPU {
    /// User plus system CPU time of the process so far, in nanoseconds.
    static func nanos() -> UInt64 {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func nanos(_ time: timeval) -> UInt64 { UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_usec) * 1000 }
        return nanos(usage.ru_utime) + nanos(usage.ru_stime)
    }
}

/// The final table of a bench run.
enum BenchTable {
    static func print(stats: BenchStats, size: Int, sendSeconds: Double, receiveSeconds: Double, consumers: Int) {
        Swift.print("role      messages   seconds      msg/s     MB/s   p50 us   p90 us   p99 us  p99.9 us   max us")
        row("produce", stats.sent.load(ordering: .relaxed), sendSeconds, size, stats.sendLatency)
        if consumers > 0 {
            row("consume", stats.received.load(ordering: .relaxed), receiveSeconds, size, stats.receiveLatency)
        }
    }

    /// The table of a consume-only run (no latency: the messages were sent before the run).
    static func printConsumeOnly(received: Int, seconds: Double, size: Int) {
        Swift.print("role      messages   seconds      msg/s     MB/s")
        let rate = seconds > 0 ? Double(received) / seconds : 0
        let cells = [
            "consume ", pad(String(received), 10), pad(String(format: "%.2f", seconds), 9),
            pad(String(format: "%.0f", rate), 10), pad(String(format: "%.1f", rate * Double(size) / 1_048_576), 8),
        ]
        Swift.print(cells.joined(separator: " "))
    }

    /// The bench process's CPU time, in total and per message.
    static func printCPU(nanos: UInt64, messages: Int) {
        let perMessage = messages > 0 ? Double(nanos) / 1000 / Double(messages) : 0
        Swift.print(String(format: "bench process CPU: %.2f s, %.2f us/msg", Double(nanos) / 1e9, perMessage))
    }

    private static func row(_ role: String, _ count: Int, _ seconds: Double, _ size: Int, _ latency: Histogram<UInt64>)
    {
        let rate = seconds > 0 ? Double(count) / seconds : 0
        let mb = rate * Double(size) / 1_048_576
        func p(_ percentile: Double) -> String { String(latency.valueAtPercentile(percentile)) }
        let cells = [
            role.padding(toLength: 8, withPad: " ", startingAt: 0), pad(String(count), 10),
            pad(String(format: "%.2f", seconds), 9),
            pad(String(format: "%.0f", rate), 10), pad(String(format: "%.1f", mb), 8), pad(p(50), 8), pad(p(90), 8),
            pad(p(99), 8), pad(p(99.9), 9), pad(String(latency.max), 8),
        ]
        Swift.print(cells.joined(separator: " "))
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
