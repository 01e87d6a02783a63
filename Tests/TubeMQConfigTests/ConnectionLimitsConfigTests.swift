import Testing
import TubeMQConfig

/// `maxConnections` and `maxConnectionsPerAddress` (ours) in `[master]` and `[broker]`: one local
/// process holding 1,024 sockets used to lock every other local client out, with no key to raise it.
@Suite struct ConnectionLimitsConfigTests {
    @Test func defaultsWhenAbsent() throws {
        for limits in [
            try master(Fixtures.minimalMaster).connectionLimits, try broker(Fixtures.minimalBroker).connectionLimits,
        ] {
            #expect(limits.maxConnections == 4_096)
            #expect(limits.maxConnectionsPerAddress == 1_024)
        }
    }

    @Test func bothSectionsReadAndActOnTheKeys() throws {
        let masterINI = try master(Fixtures.master("maxConnections=10000", "maxConnectionsPerAddress=10000"))
        let brokerINI = try broker(Fixtures.broker("maxConnections=2000", "maxConnectionsPerAddress=1500"))
        #expect(masterINI.connectionLimits.maxConnections == 10_000)
        #expect(masterINI.connectionLimits.maxConnectionsPerAddress == 10_000)
        #expect(brokerINI.connectionLimits.maxConnections == 2_000)
        #expect(brokerINI.connectionLimits.maxConnectionsPerAddress == 1_500)
        // Acted on: no "ignored" or "unknown key" notes at start.
        let notes =
            masterINI.startupWarnings(supportedKeys: MasterINI.supportedKeys) + brokerINI.startupWarnings()
        #expect(!notes.contains { $0.key?.hasPrefix("maxConnections") == true }, "\(notes)")
    }

    @Test func outOfRangeValuesAreClampedWithAWarning() throws {
        let config = try master(Fixtures.master("maxConnections=0", "maxConnectionsPerAddress=5"))
        #expect(config.connectionLimits.maxConnections == 1)
        #expect(config.connectionLimits.maxConnectionsPerAddress == 1)
        let warnings = config.loadWarnings.map(\.description).joined(separator: "\n")
        #expect(warnings.contains("maxConnections"), "\(warnings)")
        #expect(warnings.contains("maxConnectionsPerAddress"), "\(warnings)")
        // A per-address limit left at its default follows a lower total.
        let lower = try broker(Fixtures.broker("maxConnections=100"))
        #expect(lower.connectionLimits.maxConnectionsPerAddress == 100)
    }

    @Test func aValueThatIsNotANumberIsAnError() {
        let error = configError { () throws(ConfigError) in try master(Fixtures.master("maxConnectionsPerAddress=many"))
        }
        #expect(error?.code == .unparseableValue)
        #expect(error?.description.contains("maxConnectionsPerAddress") == true)
    }
}
