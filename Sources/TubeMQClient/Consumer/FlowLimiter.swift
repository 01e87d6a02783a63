import Foundation
import Synchronization
import TubeMQCore

/// The flow-control rules a consumer received from the master, applied to its own fetches.
///
/// As TubeMQ's clients do: the group's rules come first and the cluster default rules apply when
/// the group's give no limit; a type-0 limit (bytes per minute, by data lag and time of day) paces
/// the fetches of all the consumer's partitions together, and a type-1 rule lengthens the wait after
/// a run of empty fetches, and a type-3 rule spaces the fetches (empty ones, and the filtered ones
/// that found data; see ``requestWait(filtered:foundData:)``). While the group's own rules limit the consumer, its fetches ask the
/// broker to skip the default rules it enforces (`escFlowCtrl`), since the group's replace them.
final class FlowLimiter: Sendable {
    private struct RuleSet {
        var version: Int64 = -2
        var rules = FlowControlRules()
    }

    private struct State {
        var defaults = RuleSet()
        var group = RuleSet()
        /// Bytes that may still be read now; negative when over.
        var tokens: Double = 0
        var lastRefill: Int64 = 0
        var lagBytes: Int64 = 0
    }

    private let state = Mutex(State())
    private let clock: @Sendable () -> Int64

    init(clock: @escaping @Sendable () -> Int64 = ClientIdentity.millisecondsNow) {
        self.clock = clock
    }

    /// The versions held, for the next heartbeat request (`defFlowCheckId`, `groupFlowCheckId`).
    var versions: (defaults: Int64, group: Int64) {
        state.withLock { ($0.defaults.version, $0.group.version) }
    }

    /// Takes the versions and rule texts of a heartbeat or register reply: a version of -2 (or
    /// absent) clears that set; a text is parsed only when it comes with a new version.
    func update(defaultsVersion: Int64, defaultsText: String, groupVersion: Int64, groupText: String) {
        state.withLock { state in
            Self.apply(&state.defaults, version: defaultsVersion, text: defaultsText)
            Self.apply(&state.group, version: groupVersion, text: groupText)
        }
    }

    private static func apply(_ set: inout RuleSet, version: Int64, text: String) {
        guard version >= 0 else {
            set = RuleSet()
            return
        }
        guard version != set.version, !text.trimmingCharacters(in: .whitespaces).isEmpty,
            let rules = try? FlowControlRules(json: text)
        else { return }
        set = RuleSet(version: version, rules: rules)
    }

    /// Whether the group's own rules limit the consumer now (the fetches then carry `escFlowCtrl`).
    var groupLimits: Bool {
        let now = clock()
        return state.withLock { $0.group.rules.dataLimit(lagBytes: $0.lagBytes, epochMs: now) != nil }
    }

    /// How long to wait before the next fetch, `nil` for no wait.
    func delay() -> Duration? {
        let now = clock()
        return state.withLock { state -> Duration? in
            guard let limit = Self.limit(state, now: now) else { return nil }
            Self.refill(&state, limit: limit, now: now)
            guard state.tokens < 0 else { return nil }
            let rate = Double(limit.bytesPerMinute) / 60_000
            guard rate > 0 else { return .milliseconds(max(limit.waitMs, 1_000)) }
            return .milliseconds(Int64((-state.tokens / rate).rounded(.up)) + 1)
        }
    }

    /// Counts a fetched batch of `bytes`, with the data lag the broker reported.
    func consumed(bytes: Int, lagBytes: Int64?) {
        let now = clock()
        state.withLock { state in
            if let lagBytes, lagBytes >= 0 { state.lagBytes = lagBytes }
            guard let limit = Self.limit(state, now: now) else { return }
            Self.refill(&state, limit: limit, now: now)
            state.tokens -= Double(bytes)
        }
    }

    /// The wait after `emptyFetches` empty fetches in a row, from a type-1 rule; `nil` when none applies.
    func zeroFetchWait(emptyFetches: Int) -> Duration? {
        state.withLock { state in
            (state.group.rules.zeroFetchWait(emptyFetches: emptyFetches)
                ?? state.defaults.rules.zeroFetchWait(emptyFetches: emptyFetches)).map { .milliseconds($0) }
        }
    }

    /// The wait a type-3 rule puts after a fetch, `nil` when none applies: after a fetch that found
    /// nothing, `filterFreqInMs` when the consumer filters the partition's topic and `normFreqInMs`
    /// when it does not; after a filtered fetch that found data, `minDataFilterFreqInMs`. The
    /// group's rule comes first, then the cluster default.
    func requestWait(filtered: Bool, foundData: Bool) -> Duration? {
        state.withLock { state -> Duration? in
            guard let rule = state.group.rules.filterFrequency ?? state.defaults.rules.filterFrequency else {
                return nil
            }
            let millis: Int
            switch (filtered, foundData) {
            case (true, true): millis = rule.minDataFilterFreqInMs
            case (true, false): millis = rule.filterFreqInMs
            case (false, false): millis = rule.normFreqInMs
            case (false, true): millis = 0
            }
            return millis > 0 ? .milliseconds(millis) : nil
        }
    }

    private static func limit(_ state: State, now: Int64) -> FlowControlRules.Limit? {
        state.group.rules.dataLimit(lagBytes: state.lagBytes, epochMs: now)
            ?? state.defaults.rules.dataLimit(lagBytes: state.lagBytes, epochMs: now)
    }

    /// Adds what the limit allows since the last refill, up to one second's worth.
    private static func refill(_ state: inout State, limit: FlowControlRules.Limit, now: Int64) {
        let perMs = Double(limit.bytesPerMinute) / 60_000
        let capacity = perMs * 1_000
        if state.lastRefill == 0 { state.tokens = capacity }
        let elapsed = Double(max(0, now - state.lastRefill))
        state.tokens = min(capacity, state.tokens + elapsed * perMs)
        state.lastRefill = now
    }
}
