import Testing

@testable import TubeMQWire

/// Replies quote the names a peer sent whole when they could be valid, and only their start when not
/// (a 1 MB topic name came back whole in the broker's 403).
@Suite struct ReplyTextTests {
    @Test func namesAreQuotedWholeUpToTheLongestValidOne() {
        #expect(ReplyText.topicNotExisted("t_1") == "topicName t_1 not existed, please check your configure")
        let group = String(repeating: "g", count: 1024)
        #expect(ReplyText.groupNotFound(group).contains(group))
        let huge = String(repeating: "x", count: 1_000_000)
        let text = ReplyText.topicNotExisted(huge)
        #expect(text.count < 200, "\(text.count) characters")
        #expect(text.hasPrefix("topicName xxxx") && text.hasSuffix("… not existed, please check your configure"))
        #expect(ReplyText.unregisteredConsumer(huge).count < 200)
    }
}
