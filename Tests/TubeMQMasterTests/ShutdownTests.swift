import Testing
import TubeMQMaster
import TubeMQMasterState
import TubeMQRPC
import TubeMQTestKit
import TubeMQWire

@Suite struct ShutdownTests {
    @Test func shutdownStopsTheTimerTheServerAndTheStore() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = ManualClock()
        var configuration = TestMaster.recordedTimings
        configuration.dataDirectory = directory.path
        let harness = try await TestMaster.start(configuration: configuration, clock: clock)
        try await harness.setUpRecordedCluster(topics: ["t_go"])
        #expect(await eventually { clock.sleeperCount == 1 }, "the timer sleeps on the clock")
        let port = harness.port

        await harness.server.shutdown()
        #expect(clock.sleeperCount == 0, "the timer task was cancelled and awaited")
        #expect(await harness.master.isStopped)
        do {
            try await harness.master.addTopicDeployment(topic: "t_late", brokerID: 1, by: "test")
            Issue.record("an admin call after shutdown succeeded")
        } catch {
            #expect(error.code == .stopped)
        }
        let client = RPCClient(configuration: .init(connectTimeout: .milliseconds(500)))
        var register = RegisterRequestP2M()
        register.clientID = "late"
        register.brokerCheckSum = -1
        register.hostName = "127.0.0.1"
        do {
            let _: RegisterResponseM2P = try await client.call(
                .producerRegister,
                register,
                host: "127.0.0.1",
                port: port
            )
            Issue.record("the RPC server still answers")
        } catch {
            // Refused, or (on a machine running the whole suite, where another test's server may take
            // the freed port) unanswered: either way the stopped master no longer serves.
            #expect(error.code == .connectionFailed || error.code == .timeout, "\(error)")
        }
        await client.shutdown()
        // The store was closed: its lock is free, and the final snapshot holds the topic.
        let store = try FileMetadataStore(directory: directory.path)
        #expect(try await store.load()?.topics.map(\.name) == ["t_go"])
        try await store.close()
        await harness.stop()  // a second shutdown does nothing
    }

    @Test func aStoppedMasterBehindARunningServerAnswersStandby() async throws {
        try await TestMaster.with { harness in
            await harness.master.shutdown()
            var register = RegisterRequestP2M()
            register.clientID = "p"
            register.brokerCheckSum = -1
            register.hostName = "127.0.0.1"
            do {
                let _: RegisterResponseM2P = try await harness.call(.producerRegister, register)
                Issue.record("a stopped master answered")
            } catch let error as RPCError {
                #expect(error.isStandby)
            }
        }
    }
}
