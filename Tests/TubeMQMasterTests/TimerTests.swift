import Testing
import TubeMQMaster
import TubeMQMasterState
import TubeMQTestKit
import TubeMQWire

/// The master's own timer task: it sleeps on the injected clock until the next deadline, and
/// re-arms when a call brings the deadline closer.
@Suite struct TimerTests {
    static func producerRegistration(_ id: String) -> RegisterRequestP2M {
        var request = RegisterRequestP2M()
        request.clientID = id
        request.brokerCheckSum = -1
        request.hostName = "127.0.0.1"
        return request
    }

    static func consumerRegistration(_ id: String, group: String, topic: String) -> RegisterRequestC2M {
        var request = RegisterRequestC2M()
        request.clientID = id
        request.groupName = group
        request.hostName = "127.0.0.1"
        request.topicList = [topic]
        return request
    }

    static func consumerHeartbeat(
        _ id: String,
        group: String,
        ack: EventProto? = nil,
        held: [String] = []
    )
        -> HeartRequestC2M
    {
        var request = HeartRequestC2M()
        request.clientID = id
        request.groupName = group
        request.reportSubscribeInfo = ack != nil
        request.subscribeInfo = held
        if var ack {
            ack.status = 2
            request.event = ack
        }
        return request
    }

    @Test func theTimerExpiresAProducerWhenTheManualClockPassesItsTimeout() async throws {
        let clock = ManualClock()
        try await TestMaster.with(clock: clock) { harness in
            try await harness.setUpRecordedCluster(topics: ["t_go"])
            let _: RegisterResponseM2P = try await harness.call(.producerRegister, Self.producerRegistration("p1"))
            #expect(await harness.master.producers().map(\.clientID) == ["p1"])
            // The first balance round (5 s) is due first; the producer's expiry (45 s) after it.
            clock.advance(by: 44_999)
            #expect(await eventually { await harness.master.nextDeadline > clock.now() })
            #expect(await harness.master.producers().map(\.clientID) == ["p1"])
            clock.advance(by: 1)
            #expect(await eventually { await harness.master.producers().isEmpty })
            var heartbeat = HeartRequestP2M()
            heartbeat.clientID = "p1"
            heartbeat.brokerCheckSum = -1
            heartbeat.hostName = "127.0.0.1"
            let refused: HeartResponseM2P = try await harness.call(.producerHeartbeat, heartbeat)
            #expect(refused.errCode == 411 && refused.brokerCheckSum == -1)
        }
    }

    @Test func realTimeBalanceAndExpiryWithShortTimings() async throws {
        let configuration = MasterServer.Configuration(
            host: "127.0.0.1",
            port: 0,
            firstBalanceDelayMs: 150,
            balancePeriodMs: 150,
            consumerHeartbeatTimeoutMs: 5000,
            producerHeartbeatTimeoutMs: 5000,
            brokerHeartbeatTimeoutMs: 60_000
        )
        let server = try await MasterServer.start(configuration: configuration, logger: TestMaster.logger)
        do {
            let master = server.master
            try await master.addBroker(
                BrokerSpec(
                    id: 1,
                    host: "127.0.0.1",
                    manageStatus: .online,
                    settings: TopicSettingsPatch(numPartitions: 2)
                ),
                by: "test"
            )
            try await master.addTopicDeployment(topic: "t_rt", brokerID: 1, by: "test")
            let client = TubeMQRPCClientBox()
            let registered: RegisterResponseM2B = try await client.call(
                .brokerRegister,
                TestMaster.brokerRegistration(),
                port: server.port
            )
            let _: HeartResponseM2B = try await client.call(
                .brokerHeartbeat,
                TestMaster.brokerHeartbeat(confID: registered.curBrokerConfID),
                port: server.port
            )

            let _: RegisterResponseM2C = try await client.call(
                .consumerRegister,
                Self.consumerRegistration("c1", group: "g_rt", topic: "t_rt"),
                port: server.port
            )
            var event: EventProto?
            let deadline = ContinuousClock.now + .seconds(20)
            while event == nil && ContinuousClock.now < deadline {
                let reply: HeartResponseM2C = try await client.call(
                    .consumerHeartbeat,
                    Self.consumerHeartbeat("c1", group: "g_rt"),
                    port: server.port
                )
                if reply.hasEvent { event = reply.event }
                try await Task.sleep(nanoseconds: 30_000_000)
            }
            let assigned = try #require(event, "the timer ran a balance round")
            #expect(assigned.opType == 10)
            #expect(assigned.subscribeInfo.count == 2)
            let acked: HeartResponseM2C = try await client.call(
                .consumerHeartbeat,
                Self.consumerHeartbeat("c1", group: "g_rt", ack: assigned, held: assigned.subscribeInfo),
                port: server.port
            )
            #expect(acked.notAllocated == false)
            // Silence: the consumer expires after 5 s (wide enough that a loaded machine's slow heartbeats
            // above do not expire it early) and its group goes away.
            #expect(await eventually(timeoutMs: 30_000) { await master.group(named: "g_rt") == nil })
            await client.shutdown()
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }
}
