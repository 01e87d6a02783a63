import Testing
import TubeMQWire

/// Our two fields after TubeMQ's 14 (acknowledgement policy, size cap): present only when set,
/// and read back.
@Suite struct BrokerTopicSettingsExtensionTests {
    @Test func withoutThemTheStringIsTubeMQs() {
        let settings = BrokerTopicSettings(statusID: 0)
        #expect(settings.topicString("t") == "t: : : : : : : : :0: : : : : ")
    }

    @Test func theyFollowTheFourteenthField() throws {
        let settings = BrokerTopicSettings(statusID: 0, ackPolicy: "disk", retentionBytes: 1 << 30)
        let text = settings.topicString("t")
        #expect(text == "t: : : : : : : : :0: : : : : :disk:1073741824")
        let (name, parsed) = try #require(BrokerTopicSettings.parseTopic(text))
        #expect(name == "t")
        #expect(parsed.ackPolicy == "disk")
        #expect(parsed.retentionBytes == 1 << 30)
        #expect(parsed.statusID == 0)
        #expect(parsed.maxMsgSizeInMB == nil)
    }

    @Test func oneWithoutTheOther() throws {
        let text = BrokerTopicSettings(ackPolicy: "memory").topicString("t")
        let (_, parsed) = try #require(BrokerTopicSettings.parseTopic(text))
        #expect(parsed.ackPolicy == "memory")
        #expect(parsed.retentionBytes == nil)
        #expect(BrokerTopicSettings.parseTopic("t: : : : : : : : :0: : : : : : :5")?.settings.retentionBytes == 5)
    }

    @Test func theDefaultStringNeverCarriesThem() {
        let settings = BrokerTopicSettings(parsingDefault: "2:true:true:1000:10000: :delete,168h:1:0:3:10:20000")
        #expect(settings.ackPolicy == nil)
        #expect(settings.retentionBytes == nil)
        let inherited = BrokerTopicSettings(ackPolicy: "disk").inheriting(settings)
        #expect(inherited.ackPolicy == "disk")
        #expect(inherited.defaultString == settings.defaultString)
    }
}
