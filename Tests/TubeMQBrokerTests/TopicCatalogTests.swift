import Testing

@testable import TubeMQBroker

/// A broker just started has not taken its topics from the master yet: a request for a topic it does
/// not know waits for them instead of answering "topic not existed" (403, final to clients), which
/// failed 3–10 sends of running producers right after broker restarts.
@Suite struct TopicCatalogTests {
    @Test func anUnknownTopicWaitsForTheMastersConfigurationAfterAStart() async throws {
        let catalog = TopicCatalog()
        let arrival = Task {
            try await Task.sleep(for: .milliseconds(200))
            catalog.set(BrokerTopic(name: "t1", stores: 1, partitionsPerStore: 1))
            catalog.markConfigured()
        }
        let found = await catalog.topicAfterStart("t1")
        #expect(found?.name == "t1")
        try await arrival.value
        // Configured: an unknown topic is answered at once.
        let started = ContinuousClock.now
        #expect(await catalog.topicAfterStart("nosuch") == nil)
        #expect(ContinuousClock.now - started < .seconds(1))
    }

    @Test func theWaitEndsWhenTheConfigurationHasNoSuchTopic() async {
        let catalog = TopicCatalog()
        Task {
            try? await Task.sleep(for: .milliseconds(100))
            catalog.markConfigured()
        }
        let started = ContinuousClock.now
        #expect(await catalog.topicAfterStart("nosuch") == nil)
        #expect(ContinuousClock.now - started < TopicCatalog.startupWait)
    }
}
