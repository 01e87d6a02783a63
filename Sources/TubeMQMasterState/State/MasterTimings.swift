/// Timing knobs of the master's state machine, all in milliseconds.
///
/// The defaults are the upstream code defaults (`master.ini`); the recorded vectors ran with a first
/// balance delay and a balance period of 5 s, a producer timeout of 45 s and a broker timeout of 25 s.
public struct MasterTimings: Sendable, Hashable, Codable {
    /// Delay between the master's start and its first rebalance round (`firstBalanceDelayAfterStartMs`).
    public var firstBalanceDelayMs: Int64
    /// Period of the rebalance rounds after the first one (`consumerBalancePeriodMs`).
    public var balancePeriodMs: Int64
    /// A consumer without a heartbeat for this long is dropped (`consumerHeartbeatTimeoutMs`).
    public var consumerHeartbeatTimeoutMs: Int64
    /// A producer without a heartbeat for this long is dropped (`producerHeartbeatTimeoutMs`).
    public var producerHeartbeatTimeoutMs: Int64
    /// A broker without a heartbeat for this long goes offline (`brokerHeartbeatTimeoutMs`).
    public var brokerHeartbeatTimeoutMs: Int64
    /// Whether a consumer leaving a group (closed, or expired) brings the next balance round forward
    /// to now, so the others take its partitions at once rather than up to a balance period later.
    /// TubeMQ's master waits for the period; the recorded vectors were made so.
    public var balancesWhenAMemberLeaves: Bool

    /// Creates a configuration; every parameter defaults to the upstream code default.
    public init(
        firstBalanceDelayMs: Int64 = 30_000,
        balancePeriodMs: Int64 = 60_000,
        consumerHeartbeatTimeoutMs: Int64 = 30_000,
        producerHeartbeatTimeoutMs: Int64 = 30_000,
        brokerHeartbeatTimeoutMs: Int64 = 30_000,
        balancesWhenAMemberLeaves: Bool = true
    ) {
        self.firstBalanceDelayMs = firstBalanceDelayMs
        self.balancePeriodMs = balancePeriodMs
        self.consumerHeartbeatTimeoutMs = consumerHeartbeatTimeoutMs
        self.producerHeartbeatTimeoutMs = producerHeartbeatTimeoutMs
        self.brokerHeartbeatTimeoutMs = brokerHeartbeatTimeoutMs
        self.balancesWhenAMemberLeaves = balancesWhenAMemberLeaves
    }

    /// The timings of the recorded vectors: balance after 5 s and every 5 s (and only then), consumer
    /// 30 s, producer 45 s and broker 25 s heartbeat timeouts.
    public static let recorded = MasterTimings(
        firstBalanceDelayMs: 5_000,
        balancePeriodMs: 5_000,
        consumerHeartbeatTimeoutMs: 30_000,
        producerHeartbeatTimeoutMs: 45_000,
        brokerHeartbeatTimeoutMs: 25_000,
        balancesWhenAMemberLeaves: false
    )
}
