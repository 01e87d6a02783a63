import Testing
import TubeMQCore

@Suite struct FlowControlRulesTests {
    static let text =
        #"[{"type":0,"rule":[{"start":"08:00","end":"17:59","dltInM":1024,"limitInM":20,"freqInMs":1000},"#
        + #"{"start":"00:00","end":"23:59","dltInM":0,"limitInM":60,"freqInMs":100}]},"#
        + #"{"type":1,"rule":[{"zeroCnt":3,"freqInMs":300},{"zeroCnt":8,"freqInMs":1000}]},"#
        + #"{"type":3,"rule":[{"normFreqInMs":0,"filterFreqInMs":100,"minDataFilterFreqInMs":400}]}]"#

    @Test func parsesAndNormalises() throws {
        let rules = try FlowControlRules(json: Self.text)
        #expect(rules.ruleCount == 3)
        #expect(rules.dataLimits.count == 2)
        #expect(rules.filterFrequency?.minDataFilterFreqInMs == 400)
        #expect(try FlowControlRules(json: rules.json) == rules)
        #expect(try FlowControlRules(json: " ") == FlowControlRules())
        #expect(FlowControlRules().json == "[]")
    }

    @Test func refusesBadRules() {
        #expect(throws: FlowControlRuleError.self) { try FlowControlRules(json: "{}") }
        #expect(throws: FlowControlRuleError.self) { try FlowControlRules(json: #"[{"type":7,"rule":[]}]"#) }
        #expect(throws: FlowControlRuleError.self) {
            try FlowControlRules(
                json: #"[{"type":0,"rule":[{"start":"18:00","end":"08:00","dltInM":0,"limitInM":1,"freqInMs":1}]}]"#
            )
        }
        #expect(throws: FlowControlRuleError.self) {
            try FlowControlRules(json: #"[{"type":1,"rule":[{"zeroCnt":"x","freqInMs":1}]}]"#)
        }
    }

    @Test func limitsByLagAndTimeOfDayInUTCPlus8() throws {
        let rules = try FlowControlRules(json: Self.text)
        // 02:00 UTC is 10:00 in UTC+8: inside the 08:00-17:59 window.
        let tenAM: Int64 = 1_800_000_000_000 - 1_800_000_000_000 % 86_400_000 + 2 * 3_600_000
        let big = rules.dataLimit(lagBytes: 2_000 * 1_048_576, epochMs: tenAM)
        #expect(big == FlowControlRules.Limit(bytesPerMinute: 20 * 1_048_576, waitMs: 1_000))
        let small = rules.dataLimit(lagBytes: 10, epochMs: tenAM)
        #expect(small?.bytesPerMinute == Int64(60 * 1_048_576))
        // 12:00 UTC is 20:00 in UTC+8: only the all-day rule applies.
        let eightPM = tenAM + 10 * 3_600_000
        #expect(rules.dataLimit(lagBytes: 2_000 * 1_048_576, epochMs: eightPM)?.bytesPerMinute == Int64(60 * 1_048_576))
        #expect(rules.zeroFetchWait(emptyFetches: 2) == nil)
        #expect(rules.zeroFetchWait(emptyFetches: 5) == 300)
        #expect(rules.zeroFetchWait(emptyFetches: 9) == 1_000)
    }
}
