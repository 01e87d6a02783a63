import Testing

@testable import TubeMQBroker

/// A topic removed from a broker leaves its `/metrics`: its series stayed for ever (544 → 832 lines
/// over a soak that added and removed topics).
@Suite struct BrokerMetricsTests {
    @Test func aRemovedTopicsSeriesLeaveTheExposition() {
        let metrics = BrokerMetrics()
        metrics.topic("t_gone").messagesIn.increment(by: 3)
        metrics.topic("t_kept").messagesIn.increment(by: 1)
        #expect(metrics.exposition().contains(#"topic="t_gone""#))
        metrics.removeTopic("t_gone")
        let text = metrics.exposition()
        #expect(!text.contains(#"topic="t_gone""#), "\(text)")
        #expect(text.contains(#"topic="t_kept""#))
        // Added again, it counts from zero.
        metrics.topic("t_gone").messagesIn.increment(by: 1)
        #expect(metrics.exposition().contains(#"topic="t_gone""#))
    }
}
