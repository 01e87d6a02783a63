import TubeMQClient
import TubeMQCore

extension CaseContext {
    /// Polls `condition` until it holds, for at most `limit` (and never past the case deadline).
    ///
    /// - Throws: ``ConformanceError`` `violation` naming `what` when time runs out, `timeout` when the
    ///   case was cancelled.
    func eventually(
        _ what: String,
        within limit: Duration? = nil,
        every interval: Duration = .milliseconds(50),
        _ condition: () async throws(ConformanceError) -> Bool
    ) async throws(ConformanceError) {
        let start = ContinuousClock.now
        let end = limit.map { min(start + $0, deadline) } ?? deadline
        while true {
            if try await condition() { return }
            guard ContinuousClock.now < end else {
                let waited = (ContinuousClock.now - start).seconds
                throw .violation("\(what) did not happen within \(Int(waited.rounded())) s")
            }
            do {
                try await Task.sleep(for: interval)
            } catch {
                throw ConformanceError(.timeout, "cancelled while waiting until \(what)")
            }
        }
    }

    /// Waits until the master has given the consumers of a group the partitions in `expected`,
    /// each to exactly one of them (and, with `everyConsumerHolds`, at least one to each consumer, which
    /// tells a finished balance from a step in the middle of one), within ``ConformanceSettings/balanceWait``.
    ///
    /// - Throws: ``ConformanceError`` `violation` describing the last assignment seen.
    func waitForAssignment(
        _ what: String,
        of consumers: [any AssignedPartitions],
        covering expected: Set<String>,
        everyConsumerHolds: Bool = false
    ) async throws(ConformanceError) {
        var last: [[String]] = []
        do throws(ConformanceError) {
            try await eventually(what, within: settings.balanceWait, every: .milliseconds(100)) { () async -> Bool in
                var held: [[String]] = []
                for consumer in consumers { held.append(await consumer.assignedPartitions().map(\.key)) }
                last = held
                let flat = held.flatMap { $0 }
                return Set(flat) == expected && flat.count == expected.count
                    && (!everyConsumerHolds || held.allSatisfy { !$0.isEmpty })
            }
        } catch {
            let shown = last.enumerated().map { "consumer \($0.offset + 1): \($0.element.sorted())" }
            throw .violation("\(error.message); last assignment: \(shown.joined(separator: "; "))")
        }
    }

    /// Sleeps for `duration`, unless that passes the deadline.
    ///
    /// - Throws: ``ConformanceError`` `timeout` when cancelled.
    func pause(_ duration: Duration) async throws(ConformanceError) {
        do {
            try await Task.sleep(for: min(duration, remaining))
        } catch {
            throw ConformanceError(.timeout, "cancelled")
        }
    }
}

/// A consumer that can say which partitions it holds.
protocol AssignedPartitions: Sendable {
    /// The held partitions.
    func assignedPartitions() async -> [Partition]
}

extension PushConsumer: AssignedPartitions {}
extension PullConsumer: AssignedPartitions {}
