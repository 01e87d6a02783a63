import Testing
import TubeMQWire

@testable import TubeMQMaster

/// Clients on the master's TLS port see the brokers' TLS ports; what they report is read back at
/// the plain ports.
@Suite struct TLSAddressingTests {
    let addressing = TLSAddressing(ports: [1: (plain: 8123, tls: 8124), 2: (plain: 9123, tls: 9124)])

    @Test func repliesNameTheTLSPorts() throws {
        var register = RegisterResponseM2P()
        register.brokerInfos = ["1:10.0.0.1: ", "2:10.0.0.2:9123", "7:10.0.0.7: ", "garbage"]
        let told = try #require(addressing.tls(register) as? RegisterResponseM2P)
        #expect(told.brokerInfos == ["1:10.0.0.1:8124", "2:10.0.0.2:9124", "7:10.0.0.7: ", "garbage"])

        var heartbeat = HeartResponseM2C()
        heartbeat.event.rebalanceID = 3
        heartbeat.event.subscribeInfo = ["c1@g1#2:10.0.0.2:9123#t1:0"]
        let event = try #require(addressing.tls(heartbeat) as? HeartResponseM2C)
        #expect(event.event.subscribeInfo == ["c1@g1#2:10.0.0.2:9124#t1:0"])
    }

    @Test func reportsAreReadAtThePlainPorts() throws {
        var heartbeat = HeartRequestC2M()
        heartbeat.subscribeInfo = ["c1@g1#1:10.0.0.1:8124#t1:0"]
        heartbeat.event.subscribeInfo = ["c1@g1#2:10.0.0.2:9124#t1:1"]
        let read = try #require(addressing.plain(heartbeat) as? HeartRequestC2M)
        #expect(read.subscribeInfo == ["c1@g1#1:10.0.0.1:8123#t1:0"])
        #expect(read.event.subscribeInfo == ["c1@g1#2:10.0.0.2:9123#t1:1"])

        var register = RegisterRequestC2M()
        register.subscribeInfo = ["c1@g1#2:10.0.0.2:9124#t1:0"]
        let registered = try #require(addressing.plain(register) as? RegisterRequestC2M)
        #expect(registered.subscribeInfo == ["c1@g1#2:10.0.0.2:9123#t1:0"])
    }
}
