import Testing
import TubeMQCore
import TubeMQMaster
import TubeMQMasterState
import TubeMQWire

/// Flow-control rules reach consumers (methods 4, 5, 20, 21) and brokers (method 8) in their replies.
@Suite struct FlowControlDeliveryTests {
    static let rules = #"[{"type":0,"rule":[{"start":"00:00","end":"23:59","dltInM":0,"limitInM":6,"freqInMs":200}]}]"#

    @Test func consumerRepliesCarryTheRulesOnlyWhenTheVersionChanged() async throws {
        try await TestMaster.with { harness in
            _ = try await harness.setUpRecordedCluster(topics: ["t_flow"])
            let parsed = try FlowControlRules(json: Self.rules)
            try await harness.master.setGroupResourceControl(
                group: "g_flow",
                GroupResourceControlPatch(qryPriorityID: 201, flowControlEnabled: true, rules: parsed),
                create: true,
                by: "ops"
            )
            var register = RegisterRequestC2M()
            register.clientID = "c_flow"
            register.groupName = "g_flow"
            register.hostName = "127.0.0.1"
            register.topicList = ["t_flow"]
            register.requireBound = false
            register.defFlowCheckID = -2
            register.groupFlowCheckID = -2
            let registered: RegisterResponseM2C = try await harness.call(.consumerRegister, register)
            #expect(registered.success)
            #expect(registered.defFlowCheckID == -2)
            #expect(registered.defFlowControlInfo == " ")
            #expect(registered.groupFlowCheckID > 0)
            #expect(try FlowControlRules(json: registered.groupFlowControlInfo) == parsed)
            #expect(registered.qryPriorityID == 201)

            var heartbeat = HeartRequestC2M()
            heartbeat.clientID = "c_flow"
            heartbeat.groupName = "g_flow"
            heartbeat.reportSubscribeInfo = false
            heartbeat.defFlowCheckID = -2
            heartbeat.groupFlowCheckID = registered.groupFlowCheckID
            let held: HeartResponseM2C = try await harness.call(.consumerHeartbeat, heartbeat)
            #expect(held.groupFlowCheckID == registered.groupFlowCheckID)
            #expect(held.groupFlowControlInfo == " ")

            // Default rules go to brokers too.
            try await harness.master.setDefaultFlowControl(enabled: true, rules: parsed, qryPriorityID: nil, by: "ops")
            let withDefaults: HeartResponseM2C = try await harness.call(.consumerHeartbeat, heartbeat)
            #expect(withDefaults.defFlowCheckID > 0)
            #expect(try FlowControlRules(json: withDefaults.defFlowControlInfo) == parsed)
        }
    }

    @Test func clientBalanceRepliesCarryTheRulesInOpsTaskInfo() async throws {
        try await TestMaster.with { harness in
            _ = try await harness.setUpRecordedCluster(topics: ["t_flow"])
            let parsed = try FlowControlRules(json: Self.rules)
            try await harness.master.setDefaultFlowControl(enabled: true, rules: parsed, qryPriorityID: nil, by: "ops")
            var register = RegisterRequestC2MV2()
            register.clientID = "c_cbflow"
            register.groupName = "g_cbflow"
            register.hostName = "127.0.0.1"
            register.sourceCount = 1
            register.nodeID = 0
            register.topicList = ["t_flow"]
            let reply: RegisterResponseM2CV2 = try await harness.call(.consumerRegisterV2, register)
            #expect(reply.errCode == 200)
            #expect(reply.opsTaskInfo.defFlowCheckID > 0)
            #expect(try FlowControlRules(json: reply.opsTaskInfo.defFlowControlInfo) == parsed)
            #expect(!reply.opsTaskInfo.hasGroupFlowCheckID)
        }
    }
}
