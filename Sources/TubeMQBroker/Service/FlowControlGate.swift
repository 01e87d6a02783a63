import Synchronization
import TubeMQCore

/// The cluster default flow-control rules the broker enforces on get-message (learned from the
/// master's heartbeat replies, `flowCheckId` / `flowControlInfo`), with the bytes each consumer
/// group read recently.
///
/// A group whose data lag reaches a type-0 rule's `dltInM` inside its time window may read that
/// rule's `limitInM` MB per minute on this broker; past that, gets answer 452 with
/// `minLimitTime` (the time until the group is within its rate again, at least the rule's
/// `freqInMs`). Fetches that carry `escFlowCtrl` (a group with its own rules, which its consumers
/// apply) are not limited. The lag is the distance the broker reports in `currDataDlt`.
final class FlowControlGate: Sendable {
    private struct Budget {
        var tokens: Double
        var lastRefill: Int64
    }

    private struct State {
        var version: Int64 = -2
        var rules = FlowControlRules()
        var budgets: [String: Budget] = [:]
    }

    private let state = Mutex(State())

    /// The version of the rules held (-2 for none), for the broker's heartbeat request.
    var version: Int64 { state.withLock { $0.version } }

    /// Takes the rules of a master reply: a version of -2 clears them; a text is parsed when it
    /// comes with a new version. Returns whether the rules changed.
    @discardableResult
    func update(version: Int64, text: String) -> Bool {
        state.withLock { state in
            guard version >= 0 else {
                let had = state.version != -2
                state = State()
                return had
            }
            guard version != state.version, let rules = try? FlowControlRules(json: text) else { return false }
            state.version = version
            state.rules = rules
            state.budgets = [:]
            return true
        }
    }

    /// The wait (ms) a get of `group` must observe now, `nil` when it may read.
    func refusal(group: String, lagBytes: Int64, now: Int64) -> Int32? {
        state.withLock { state -> Int32? in
            guard let limit = state.rules.dataLimit(lagBytes: lagBytes, epochMs: now) else { return nil }
            let rate = Double(limit.bytesPerMinute) / 60_000
            let budget = Self.refilled(state.budgets[group], rate: rate, now: now)
            state.budgets[group] = budget
            guard budget.tokens < 0 else { return nil }
            let catchUp = rate > 0 ? Int64((-budget.tokens / rate).rounded(.up)) : Int64(max(limit.waitMs, 1_000))
            return Int32(clamping: max(catchUp, Int64(limit.waitMs)))
        }
    }

    /// Counts `bytes` read by `group`.
    func consumed(group: String, bytes: Int, lagBytes: Int64, now: Int64) {
        state.withLock { state in
            guard let limit = state.rules.dataLimit(lagBytes: lagBytes, epochMs: now) else { return }
            var budget = Self.refilled(state.budgets[group], rate: Double(limit.bytesPerMinute) / 60_000, now: now)
            budget.tokens -= Double(bytes)
            state.budgets[group] = budget
        }
    }

    /// `budget` refilled at `rate` bytes per ms up to one second's worth (a full second for a new group).
    private static func refilled(_ budget: Budget?, rate: Double, now: Int64) -> Budget {
        let capacity = rate * 1_000
        guard var budget else { return Budget(tokens: capacity, lastRefill: now) }
        budget.tokens = min(capacity, budget.tokens + Double(max(0, now - budget.lastRefill)) * rate)
        budget.lastRefill = now
        return budget
    }
}
