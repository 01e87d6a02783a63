import Foundation
import Testing
import TubeMQClient
import TubeMQCore
import TubeMQTestKit

/// A group member killed with SIGKILL (`tubemq consume`, holding every partition): the member that
/// stays takes all of them within the master's consumer timeout and a few seconds. The partitions come
/// to it in two events (the one that waited for the dead member's disconnect, then the rest), and the
/// second is planned only after the first is acknowledged: before, it waited for the member's next
/// heartbeat, 13 s later.
@Suite struct ConsumerCrashTests {
    @Test func theRemainingMemberTakesEveryPartitionSoonAfterTheTimeout() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: ConsumeInterruptTests.binary))
        // The broker forgets a silent consumer after 3 s, the master after 10 s (TestCluster).
        try await TestCluster.with(topics: [.init(name: "t_crash", partitions: 3)], brokerConsumerTimeoutMillis: 3_000)
        {
            cluster in
            let directory = cluster.directory
            let command = try ChildProcess.spawn(
                [
                    ConsumeInterruptTests.binary, "consume", "--master", "127.0.0.1:\(cluster.master.port)",
                    "--topic", "t_crash", "--group", "g_crash", "--count",
                ],
                output: directory + "/consume.out"
            )
            defer { command.signal(SIGKILL) }
            try await eventually("the command holds every partition") {
                await cluster.holdings(group: "g_crash").count == 3
            }
            // Past the command's quick heartbeats after its event: its next one is a period (13 s) away.
            try await Task.sleep(for: .seconds(4))

            var configuration = cluster.consumerConfiguration(group: "g_crash", topics: ["t_crash"])
            configuration.heartbeatPeriod = .seconds(13)  // the default
            let member = try await PushConsumer(configuration: configuration, logger: TestCluster.logger)
            command.signal(SIGKILL)
            let killed = ContinuousClock.now
            try await eventually("the member holds every partition", timeout: .seconds(25)) {
                let holders = Set(await cluster.holdings(group: "g_crash").values)
                return await member.assignedPartitions().count == 3 && holders == [member.clientID]
            }
            let took = ContinuousClock.now - killed
            // The master's 10 s timeout, then the two events; 13 s more when the second waited a period.
            #expect(took < .seconds(16), "took \(took)")
            await member.shutdown()
        }
    }
}
