import Testing
import TubeMQCore

@Suite struct NameRulesTests {
    @Test(arguments: ["demo", "t1", "a_b", "Topic_2", "__offset_history__"])
    func acceptsTubeMQTopicNames(_ name: String) {
        #expect(NameRules.topicProblem(name) == nil)
    }

    @Test(arguments: ["", "t", "1abc", "_x", "with-hyphen", "bad topic", "naïve", String(repeating: "a", count: 65)])
    func refusesOtherTopicNames(_ name: String) {
        #expect(NameRules.topicProblem(name) != nil)
    }

    @Test(arguments: ["g1", "demo-group", "a_b-c", "tubemq-cli-group"])
    func acceptsTubeMQGroupNames(_ name: String) {
        #expect(NameRules.groupProblem(name) == nil)
    }

    @Test(arguments: ["", "g", "bad group!", "-x", "9lives", String(repeating: "g", count: 1025)])
    func refusesOtherGroupNames(_ name: String) {
        #expect(NameRules.groupProblem(name) != nil)
    }

    @Test func theTextNamesTheRule() {
        #expect(NameRules.groupProblem("bad group!")?.contains("\"bad group!\"") == true)
        #expect(NameRules.groupProblem("bad group!")?.contains("start with a letter") == true)
    }
}
