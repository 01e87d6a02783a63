import Testing
import TubeMQClient
import TubeMQTestKit

/// A consumer that gets no partition says so, once, 10 s after joining: `tubemq consume` waited
/// silently when no broker served its topic. One that holds partitions says nothing.
@Suite struct IdleConsumerWarningTests {
    @Test(.timeLimit(.minutes(1)))
    func aMemberLeftWithoutPartitionsSaysSoOnce() async throws {
        try await TestCluster.with(topics: [.init(name: "t_idle", partitions: 1)]) { cluster in
            let busyLog = LogCapture()
            let configuration = cluster.consumerConfiguration(group: "g_idle", topics: ["t_idle"])
            let busy = try await PushConsumer(configuration: configuration, logger: busyLog.logger(level: .warning))
            try await eventually("the first member holds the partition", timeout: .seconds(20)) {
                await busy.assignedPartitions().count == 1
            }
            let idleLog = LogCapture()
            let idle = try await PushConsumer(configuration: configuration, logger: idleLog.logger(level: .warning))
            try await eventually("the second member says it holds nothing", timeout: .seconds(25)) {
                idleLog.all.contains { $0.message.hasPrefix("no partition assigned 10 s after joining the group") }
            }
            try await Task.sleep(for: .seconds(2))
            let said = idleLog.all.filter { $0.message.hasPrefix("no partition assigned") }
            #expect(said.count == 1, "once: \(said.map(\.message))")
            #expect(said.first?.metadata["tubemq.topics"] == "t_idle")
            #expect(!busyLog.all.contains { $0.message.hasPrefix("no partition assigned") })
            await idle.shutdown()
            await busy.shutdown()
        }
    }
}
