import Testing
import TubeMQWire

/// The replay's comparator notices what it must notice and ignores what is ours to choose.
@Suite struct ReplyComparisonTests {
    static var recorded: RegisterResponseM2P {
        var reply = RegisterResponseM2P()
        reply.success = true
        reply.errCode = 200
        reply.errMsg = "OK!"
        reply.brokerCheckSum = 1_795_559_430_584
        reply.brokerInfos = ["1:127.0.0.1: "]
        var token = MasterAuthorizedInfo()
        token.visitAuthorizedToken = 1_795_559_414_421
        reply.authorizedInfo = token
        var config = ApprovedClientConfig()
        config.configID = -2
        config.maxMsgSize = 1_048_576
        reply.appdConfig = config
        return reply
    }

    @Test func identicalRepliesMatchAndChosenValuesAreIgnored() {
        var ours = Self.recorded
        ours.brokerCheckSum = 42
        ours.authorizedInfo.visitAuthorizedToken = 7
        #expect(ReplyComparison.differences(recorded: Self.recorded, ours: ours) == [])
    }

    @Test func missingNestedFieldsTextsAndSentinelsAreReported() {
        var ours = Self.recorded
        ours.appdConfig.clearMaxMsgSize()
        #expect(ReplyComparison.differences(recorded: Self.recorded, ours: ours).count == 1)

        ours = Self.recorded
        ours.brokerInfos = ["1:127.0.0.1:8123"]
        ours.errMsg = "OK"
        #expect(ReplyComparison.differences(recorded: Self.recorded, ours: ours).count == 2)

        var failed = Self.recorded
        failed.brokerCheckSum = -1
        #expect(ReplyComparison.differences(recorded: failed, ours: Self.recorded).count == 1)

        ours = Self.recorded
        ours.clearAuthorizedInfo()
        #expect(
            ReplyComparison.differences(recorded: Self.recorded, ours: ours) == [
                ": missing fields [\"authorizedInfo\"]"
            ]
        )
    }
}
