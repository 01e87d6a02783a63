import Foundation
import SystemPackage
import Testing
import TubeMQBroker
import TubeMQMaster
import TubeMQMasterState
import TubeMQTestKit

/// A broker started before the master has a record of it, as with `tubemq-master` and
/// `tubemq-broker` run from their ini files and the broker added by an admin call afterwards.
@Suite struct BrokerEnrolmentTests {
    /// Before, the broker asked again only every heartbeat period (8 s by default), so the first
    /// `tubemq produce` after the admin calls found no partition.
    @Test func aBrokerAddedAfterItStartedIsServingWithinSecondsNotAHeartbeatPeriod() async throws {
        let master = try await MasterServer.start(
            configuration: MasterServer.Configuration(host: "127.0.0.1", port: 0),
            logger: TestCluster.logger
        )
        let directory = NSTemporaryDirectory() + "tubemq-enrol-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let broker: BrokerServer
        do {
            broker = try await BrokerServer.start(
                configuration: BrokerConfiguration(
                    brokerID: 1,
                    host: "127.0.0.1",
                    port: 0,
                    dataDirectory: FilePath(directory),
                    masterAddresses: [("127.0.0.1", master.port)],
                    heartbeatPeriodMillis: 30_000,
                    io: .posix
                ),
                logger: TestCluster.logger
            )
        } catch {
            await master.shutdown()
            throw error
        }
        do {
            try await Task.sleep(for: .milliseconds(500))  // refused: no record yet
            _ = try await master.master.addBroker(
                BrokerSpec(id: 1, host: "127.0.0.1", port: broker.port, manageStatus: .online),
                by: "test"
            )
            _ = try await master.master.addTopicDeployment(topic: "t_enrol", brokerID: 1, by: "test")
            let added = ContinuousClock.now
            try await eventually("the broker serves the topic and the master hands it out", timeout: .seconds(20)) {
                await master.master.publishInfo(topic: "t_enrol") != nil
            }
            // One second between registration attempts, and the follow-up heartbeat; not 30 s.
            #expect(ContinuousClock.now - added < .seconds(10))
        } catch {
            await broker.shutdown()
            await master.shutdown()
            throw error
        }
        await broker.shutdown()
        await master.shutdown()
    }
}
