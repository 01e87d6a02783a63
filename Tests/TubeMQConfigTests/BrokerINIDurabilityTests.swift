import Testing
import TubeMQConfig

/// Our `[broker]` keys `acknowledgement` and `retentionBytes`.
@Suite struct BrokerINIDurabilityTests {
    @Test func defaultsAreTubeMQsBehaviour() throws {
        let config = try broker(Fixtures.broker())
        #expect(config.acknowledgement == "memory")
        #expect(config.retentionBytes == 0)
    }

    @Test(arguments: [("disk", "disk"), ("DISK", "disk"), ("memory", "memory")])
    func acknowledgement(text: String, expected: String) throws {
        #expect(try broker(Fixtures.broker("acknowledgement=\(text)")).acknowledgement == expected)
    }

    @Test func anUnknownPolicyIsAnError() {
        let error = configError { () throws(ConfigError) in try broker(Fixtures.broker("acknowledgement=fsync")) }
        #expect(error?.code == .invalidValue)
        #expect(error?.key == "acknowledgement")
    }

    @Test func retentionBytes() throws {
        #expect(try broker(Fixtures.broker("retentionBytes=1073741824")).retentionBytes == 1 << 30)
        let error = configError { () throws(ConfigError) in try broker(Fixtures.broker("retentionBytes=-1")) }
        #expect(error?.key == "retentionBytes")
    }

    @Test func bothAreSupportedKeys() {
        #expect(BrokerINI.supportedKeys.contains { $0.name == "acknowledgement" })
        #expect(BrokerINI.supportedKeys.contains { $0.name == "retentionBytes" })
    }
}
