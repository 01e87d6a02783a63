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

    /// Filter items are compared whole with a message's type: `A,B` (meant as two items) matched
    /// nothing and a blank item turned filtering off, both accepted without a word.
    @Test func filterItems() {
        #expect(NameRules.filterProblem(["A", "b-2", "c_3"]) == nil)
        // A type the producer can send, `produce --type order.created`, can be filtered on.
        #expect(NameRules.filterProblem(["order.created"]) == nil)
        #expect(NameRules.filterProblem(["t#1"])?.contains("no ',' or '#'") == true)
        #expect(NameRules.filterProblem(["  "]) == "a filter item is blank")
        #expect(NameRules.filterProblem([]) == nil)
        #expect(NameRules.filterProblem(["A,B"])?.contains("illegal filter item \"A,B\"") == true)
        #expect(NameRules.filterProblem([""]) == "a filter item is blank")
        #expect(NameRules.filterProblem([String(repeating: "x", count: 257)])?.contains("longer than 256") == true)
        #expect(NameRules.filterProblem(Set((0..<501).map { "t\($0)" }))?.contains("at most 500") == true)
    }

    /// Client ids and host names are bounded (2048, room for a consumer id built on a 1024-character
    /// group, and 256): a 5 MiB id was registered, kept and logged whole. The text quotes only the
    /// start of what it refuses.
    @Test func clientIDsAndHostNames() {
        let group = String(repeating: "g", count: NameRules.maxGroupLength)
        #expect(
            NameRules.clientProblem(clientID: group + "_10.0.0.1-12345-1765000000000-1-Push-2.0.0", hostName: "h")
                == nil
        )
        let long = NameRules.clientProblem(clientID: String(repeating: "c", count: 5 << 20), hostName: "h")
        #expect(long?.contains("longer than 2048") == true)
        #expect((long?.count ?? .max) < 200)
        #expect(
            NameRules.clientProblem(clientID: "c", hostName: String(repeating: "h", count: 257))?
                .contains("longer than 256") == true
        )
        #expect((NameRules.topicProblem(String(repeating: "t", count: 100_000))?.count ?? .max) < 200)
    }
}
