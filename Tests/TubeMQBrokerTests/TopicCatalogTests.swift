import Synchronization
import Testing

@testable import TubeMQBroker

/// A broker just started has not taken its topics from the master yet: a request for a topic it does
/// not know waits for them instead of answering "topic not existed" (403, final to clients), which
/// failed 3–10 sends of running producers right after broker restarts.
@Suite struct TopicCatalogTests {
    @Test func anUnknownTopicWaitsForTheMastersConfigurationAfterAStart() async throws {
        let catalog = TopicCatalog()
        let answered = Mutex(false)
        let waiting = Task {
            let found = await catalog.topicAfterStart("t1")
            answered.withLock { $0 = true }
            return found
        }
        try await Task.sleep(for: .milliseconds(200))
        #expect(!answered.withLock { $0 }, "it waits while the broker has no configuration")
        catalog.set(BrokerTopic(name: "t1", stores: 1, partitionsPerStore: 1))
        catalog.markConfigured()
        #expect(await waiting.value?.name == "t1")
    }

    @Test func aConfiguredCatalogAnswersAnUnknownTopicAtOnce() async {
        let catalog = TopicCatalog()
        catalog.markConfigured()
        let started = ContinuousClock.now
        #expect(await catalog.topicAfterStart("nosuch") == nil)
        #expect(ContinuousClock.now - started < TopicCatalog.startupWait)
    }
}
