import Testing

@testable import TubeMQZooKeeper

@Suite struct ConnectStringTests {
    @Test func parsesMembersAndChroot() throws {
        let parsed = try ConnectString("h1:2181, h2:2182,h3/tubemq/ha")
        #expect(parsed.addresses.map(\.description) == ["h1:2181", "h2:2182", "h3:2181"])
        #expect(parsed.chroot == "/tubemq/ha")
        #expect(parsed.serverPath("/") == "/tubemq/ha")
        #expect(parsed.serverPath("/a/b") == "/tubemq/ha/a/b")
        #expect(parsed.clientPath("/tubemq/ha") == "/")
        #expect(parsed.clientPath("/tubemq/ha/a") == "/a")

        let plain = try ConnectString("127.0.0.1:2181/")
        #expect(plain.chroot == nil)
        #expect(plain.serverPath("/x") == "/x")
        #expect(try ConnectString("[::1]:2181").addresses == [.init(host: "::1", port: 2181)])
    }

    @Test(arguments: ["", "/chroot", "h:0", "h:99999", "h:abc", ":2181", "h:1/bad/"])
    func rejectsBadStrings(text: String) {
        #expect {
            try ConnectString(text)
        } throws: { error in
            (error as? ZooKeeperError)?.code == .invalidArgument
        }
    }
}
