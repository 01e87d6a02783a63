import Foundation
import Testing
import TubeMQClient
import TubeMQCore
import TubeMQMaster
import TubeMQMasterState
import TubeMQTestKit
import TubeMQWire

/// Flow control (admin-api.md §5.4) end to end: rules set at the master reach the consumers in their
/// heartbeat replies and pace their fetches.
@Suite struct FlowControlTests {
    actor Meter {
        private(set) var bytes = 0
        private(set) var count = 0
        func add(_ message: ConsumedMessage) {
            bytes += message.body.count
            count += 1
        }
    }

    @Test func aLimitedGroupConsumesAtItsRateWhileAnotherRunsFree() async throws {
        try await TestCluster.with(topics: [.init(name: "t_flow", partitions: 2)]) { cluster in
            let limitInM: Int64 = 12  // 12 MB a minute: 200 KiB a second
            let rules = try FlowControlRules(
                json: #"[{"type":0,"rule":[{"start":"00:00","end":"23:59","dltInM":0,"limitInM":\#(limitInM),"#
                    + #""freqInMs":200}]}]"#
            )
            try await cluster.master.master.setGroupResourceControl(
                group: "g_slow",
                GroupResourceControlPatch(flowControlEnabled: true, rules: rules),
                create: true,
                by: "test"
            )
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_flow"])
            let total = 500
            let body = [UInt8](repeating: 0x61, count: 10_000)
            for _ in 0..<total { try await producer.send(Message(body: body), to: "t_flow") }
            let fast = try await PushConsumer(
                configuration: cluster.consumerConfiguration(group: "g_fast", topics: ["t_flow"]),
                logger: TestCluster.logger
            )
            let slow = try await PushConsumer(
                configuration: cluster.consumerConfiguration(group: "g_slow", topics: ["t_flow"]),
                logger: TestCluster.logger
            )
            let (fastMeter, slowMeter) = (Meter(), Meter())
            let started = ContinuousClock.now
            try await withTimeout(.seconds(150)) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { for try await message in fast { await fastMeter.add(message) } }
                    group.addTask { for try await message in slow { await slowMeter.add(message) } }
                    try await eventually("the free group read everything", timeout: .seconds(60)) {
                        await fastMeter.count == total
                    }
                    let fastTook = ContinuousClock.now - started
                    // The first fetches may each bring a whole batch (up to the broker's transfer size);
                    // the rate is measured after them, over 2.5 MB.
                    try await eventually("the limited group read 1 MB", timeout: .seconds(60)) {
                        await slowMeter.bytes >= 1_000_000
                    }
                    let (from, fromBytes) = (ContinuousClock.now, await slowMeter.bytes)
                    try await eventually("the limited group read 3.5 MB", timeout: .seconds(90)) {
                        await slowMeter.bytes >= 3_500_000
                    }
                    let elapsed = (ContinuousClock.now - from).components
                    let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
                    let slowBytes = await slowMeter.bytes - fromBytes
                    let rate = Double(slowBytes) / seconds
                    let limit = Double(limitInM * 1_048_576) / 60
                    print(
                        "flow control: free group read \(total * body.count) bytes in \(fastTook);"
                            + " limited group \(slowBytes) bytes in \(seconds) s = \(Int(rate)) B/s, limit \(Int(limit)) B/s"
                    )
                    // Generous bounds for a loaded machine; one batch of slack above.
                    #expect(rate <= limit * 1.6 + 1_048_576 / seconds)
                    #expect(rate >= limit * 0.3)
                    #expect(fastTook < .seconds(10))
                    group.cancelAll()
                }
            }
            await producer.shutdown()
        }
    }

    @Test func theBrokerRefusesGetsOverTheDefaultRuleWith452() async throws {
        try await TestCluster.with(topics: [.init(name: "t_gate", partitions: 1)]) { cluster in
            let producer = try await Producer(
                configuration: cluster.producerConfiguration(),
                logger: TestCluster.logger
            )
            try await producer.publish(["t_gate"])
            let body = [UInt8](repeating: 0x62, count: 10_000)
            for _ in 0..<200 { try await producer.send(Message(body: body), to: "t_gate") }
            await producer.shutdown()
            try await cluster.master.master.setDefaultFlowControl(
                enabled: true,
                rules: try FlowControlRules(
                    json:
                        #"[{"type":0,"rule":[{"start":"00:00","end":"23:59","dltInM":0,"limitInM":6,"freqInMs":300}]}]"#
                ),
                qryPriorityID: nil,
                by: "test"
            )
            let broker = try #require(cluster.brokers.first)
            var register = RegisterRequestC2B()
            register.opType = 31
            register.clientID = "raw_gate_consumer"
            register.groupName = "g_gate"
            register.topicName = "t_gate"
            register.partitionID = 0
            register.readStatus = 0
            register.qryPriorityID = -2
            let registered: RegisterResponseB2C = try await cluster.rpc.call(
                .consumerRegisterToBroker,
                register,
                host: "127.0.0.1",
                port: broker.port
            )
            #expect(registered.success)
            var get = GetMessageRequestC2B()
            get.clientID = "raw_gate_consumer"
            get.groupName = "g_gate"
            get.topicName = "t_gate"
            get.partitionID = 0
            get.lastPackConsumed = true
            get.manualCommitOffset = false
            get.escFlowCtrl = false
            var refusal: GetMessageResponseB2C?
            let deadline = ContinuousClock.now + .seconds(30)
            while refusal == nil, ContinuousClock.now < deadline {
                let reply: GetMessageResponseB2C = try await cluster.rpc.call(
                    .getMessages,
                    get,
                    host: "127.0.0.1",
                    port: broker.port
                )
                if reply.errCode == 452 { refusal = reply } else { try await Task.sleep(for: .milliseconds(20)) }
            }
            let limited = try #require(refusal, "no 452 within 30 s")
            #expect(!limited.success)
            #expect(limited.minLimitTime >= 300)
            #expect(limited.errMsg.contains("g_gate"))
            get.escFlowCtrl = true
            let escaped: GetMessageResponseB2C = try await cluster.rpc.call(
                .getMessages,
                get,
                host: "127.0.0.1",
                port: broker.port
            )
            #expect(escaped.success)
        }
    }
}
