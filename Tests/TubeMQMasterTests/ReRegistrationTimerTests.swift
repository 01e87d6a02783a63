import Testing
import TubeMQMaster
import TubeMQTestKit
import TubeMQWire

/// Over the wire, on the master's own timer and a ``ManualClock``: a consumer coming back with the
/// partitions it held is sent its `ONLY_CONNECT` at its first heartbeat, although the balance period
/// is a minute.
@Suite struct ReRegistrationTimerTests {
    @Test func aConsumerReportingStalePartitionsIsConnectedAtItsFirstHeartbeat() async throws {
        var configuration = TestMaster.recordedTimings
        configuration.balancePeriodMs = 60_000
        let clock = ManualClock()
        try await TestMaster.with(configuration: configuration, clock: clock) { harness in
            try await harness.setUpRecordedCluster(topics: ["t_go"])
            clock.advance(by: 5_000)  // the first round, with nobody in the group yet
            #expect(await eventually { await harness.master.nextDeadline > clock.now() })
            clock.advance(by: 10_000)
            let held = ["c1@g1#1:127.0.0.1:8123#t_go:0", "c1@g1#1:127.0.0.1:8123#t_go:1"]
            var registration = TimerTests.consumerRegistration("c1", group: "g1", topic: "t_go")
            registration.subscribeInfo = held
            let registered: RegisterResponseM2C = try await harness.call(.consumerRegister, registration)
            #expect(registered.success)
            // The round runs now, on the timer, without the clock moving.
            #expect(await eventually { await harness.master.nextDeadline > clock.now() })
            let reply: HeartResponseM2C = try await harness.call(
                .consumerHeartbeat,
                TimerTests.consumerHeartbeat("c1", group: "g1")
            )
            #expect(reply.success)
            #expect(reply.event.opType == 10, "ONLY_CONNECT")
            #expect(Set(reply.event.subscribeInfo) == Set(held))
            let next = await harness.master.nextDeadline
            #expect(next >= clock.now() + 30_000, "the next round keeps its period: \(next - clock.now()) ms away")
        }
    }
}
