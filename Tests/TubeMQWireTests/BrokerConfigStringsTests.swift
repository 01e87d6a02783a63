import Testing
import TubeMQWire

@Suite struct BrokerConfigStringsTests {
    @Test func defaultStringRoundTripsTheRecordedOne() {
        let recorded = "2:true:true:1000:10000: :delete,168h:1:0:3:10:20000"
        let settings = BrokerTopicSettings(parsingDefault: recorded)
        #expect(settings.numPartitions == 2)
        #expect(settings.acceptPublish == true)
        #expect(settings.unflushThreshold == 1000)
        #expect(settings.deleteWhen == nil)
        #expect(settings.deletePolicy == "delete,168h")
        #expect(settings.numTopicStores == 1)
        #expect(settings.unflushDataHold == 0)
        #expect(settings.memCacheFlushIntvl == 20000)
        #expect(settings.defaultString == recorded)
    }

    @Test(arguments: ["t_go: : : : : : : : :0: : : : : ", "__offset_history__:10: : : : : : : :0: : : : : "])
    func topicStringsRoundTripTheRecordedOnes(recorded: String) throws {
        let (topic, settings) = try #require(BrokerTopicSettings.parseTopic(recorded))
        #expect(settings.statusID == 0, "the ninth field is the topic status")
        #expect(settings.unflushDataHold == nil)
        #expect(settings.topicString(topic) == recorded)
    }

    @Test func inheritanceFillsBlanks() throws {
        let defaults = BrokerTopicSettings(parsingDefault: "3:true:false:500:2000: :delete,24h:2:0:3:10:20000")
        let (_, own) = try #require(BrokerTopicSettings.parseTopic("t:5: : : : : : : :0: : : : :4"))
        let merged = own.inheriting(defaults)
        #expect(merged.numPartitions == 5)
        #expect(merged.acceptSubscribe == false)
        #expect(merged.numTopicStores == 2)
        #expect(merged.maxMsgSizeInMB == 4)
        #expect(merged.deletePolicy == "delete,24h")
    }
}
