import Foundation
import Histogram
import Synchronization

/// Counters and latency histograms shared by a bench's tasks.
final class BenchStats: Sendable {
    let sent = Atomic<Int>(0)
    let received = Atomic<Int>(0)
    private let claimed = Atomic<Int>(0)
    private let histograms = Mutex<(send: Histogram<UInt64>, receive: Histogram<UInt64>)>(
        (
            Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three),
            Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        ))

    /// Takes one message of the budget; false once `target` messages were claimed.
    func claim(target: Int) -> Bool { claimed.add(1, ordering: .relaxed).newValue <= target }

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

/// The final table of a bench run.
enum BenchTable {
    static func print(stats: BenchStats, size: Int, sendSeconds: Double, receiveSeconds: Double, consumers: Int) {
        Swift.print("role      messages   seconds      msg/s     MB/s   p50 us   p90 us   p99 us  p99.9 us   max us")
        row("produce", stats.sent.load(ordering: .relaxed), sendSeconds, size, stats.sendLatency)
        if consumers > 0 {
            row("consume", stats.received.load(ordering: .relaxed), receiveSeconds, size, stats.receiveLatency)
        }
    }

    private static func row(_ role: String, _ count: Int, _ seconds: Double, _ size: Int, _ latency: Histogram<UInt64>) {
        let rate = seconds > 0 ? Double(count) / seconds : 0
        let mb = rate * Double(size) / 1_048_576
        func p(_ percentile: Double) -> String { String(latency.valueAtPercentile(percentile)) }
        let cells = [
            role.padding(toLength: 8, withPad: " ", startingAt: 0), pad(String(count), 10), pad(String(format: "%.2f", seconds), 9),
            pad(String(format: "%.0f", rate), 10), pad(String(format: "%.1f", mb), 8), pad(p(50), 8), pad(p(90), 8),
            pad(p(99), 8), pad(p(99.9), 9), pad(String(latency.max), 8),
        ]
        Swift.print(cells.joined(separator: " "))
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
