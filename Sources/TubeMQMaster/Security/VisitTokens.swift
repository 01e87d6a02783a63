import Synchronization
public import TubeMQCore

/// The visit tokens the master hands out (`visitAuthorizedToken`), which brokers check with
/// `startVisitTokenCheck` on.
///
/// Each is random: the recorded master's token was its start time in milliseconds, which a client
/// could guess from a log line in a few hundred tries. Each is replaced after
/// `visitTokenValidPeriodMs`. Brokers are told the current token and the next one (a comma-separated
/// list, of which they keep the last six), clients only the current one: when it is replaced, every
/// broker already accepts its successor.
public final class VisitTokens: Sendable {
    private struct State {
        var current: Int64
        var next: Int64
        var since: Int64
    }

    private let state: Mutex<State>
    private let periodMs: Int64
    private let clock: any WallClock

    /// Creates the first token and its successor.
    ///
    /// - Parameters:
    ///   - periodMs: how long a token is handed out before its successor replaces it.
    ///   - clock: the time source.
    public init(periodMs: Int64, clock: any WallClock) {
        self.periodMs = max(periodMs, 1)
        self.clock = clock
        state = Mutex(State(current: Self.random(), next: Self.random(), since: clock.now()))
    }

    /// The token to hand a client now.
    public var client: Int64 { rotated().current }

    /// The tokens to hand a broker now: the current one and its successor.
    public var brokers: [Int64] {
        let state = rotated()
        return [state.current, state.next]
    }

    private func rotated() -> State {
        let now = clock.now()
        return state.withLock { state in
            if now - state.since >= periodMs {
                state.current = state.next
                state.next = Self.random()
                state.since = now
            }
            return state
        }
    }

    private static func random() -> Int64 { Int64.random(in: 1...Int64.max) }
}
