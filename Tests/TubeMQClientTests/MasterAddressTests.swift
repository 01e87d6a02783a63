import Testing
import TubeMQClient

@Suite struct MasterAddressTests {
    @Test func parsesJavaStyleMasterLists() {
        let list = MasterAddress.list(parsing: "10.0.0.1:8715, 10.0.0.2:9000,host3,:1,bad:port")
        #expect(
            list == [
                MasterAddress(host: "10.0.0.1", port: 8715), MasterAddress(host: "10.0.0.2", port: 9000),
                MasterAddress(host: "host3", port: 8715),
            ]
        )
    }
}
