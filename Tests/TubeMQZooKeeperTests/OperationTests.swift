import Testing
import TubeMQTestKit
import TubeMQZooKeeper

/// Every operation against a real ZooKeeper server.
@Suite(.serialized) struct OperationTests {
    @Test func handshakeNegotiatesTheTimeout() async throws {
        try await ZooKeeperTestServer.with { server in
            let short = try await connect(server.connectString, timeout: .milliseconds(100))
            #expect(short.negotiatedSessionTimeout == .milliseconds(2 * ZooKeeperTestServer.tickMilliseconds))
            #expect(short.credentials.id != 0)
            #expect(short.credentials.password.count == 16)
            #expect(short.state == .connected)
            let long = try await connect(server.connectString, timeout: .seconds(100))
            #expect(long.negotiatedSessionTimeout == .milliseconds(20 * ZooKeeperTestServer.tickMilliseconds))
            #expect(short.credentials.id != long.credentials.id)
            let log = StateLog(short)
            try await log.wait(for: .connected)
            await short.close()
            // A 1 s session may lose a connection on a loaded machine before the close: only the end is checked.
            #expect(try await log.wait(for: .closed).last == .closed)
            await short.close()  // idempotent
            #expect(await errorCode { _ = try await short.exists("/") } == .closed)
            await long.close()
        }
    }

    @Test func createGetSetDelete() async throws {
        try await ZooKeeperTestServer.with { server in
            let zk = try await connect(server.connectString)
            let root = uniquePath("crud")
            #expect(try await zk.create(root) == root)
            #expect(await errorCode { try await zk.create(root) } == .nodeExists)
            #expect(await errorCode { try await zk.create("\(root)/missing/child") } == .noNode)
            #expect(await errorCode { try await zk.create("relative") } == .invalidArgument)
            // The server validates the path once the parent exists.
            for bad in ["\(root)/", "\(root)/.", "\(root)/x\u{1}"] {
                #expect(await errorCode { try await zk.create(bad) } == .badArguments, "\(bad)")
            }

            let node = "\(root)/node"
            try await zk.create(node, data: Array("v0".utf8))
            let read = try await zk.getData(node)
            #expect(read.data == Array("v0".utf8))
            #expect(read.stat.version == 0 && read.stat.dataLength == 2 && !read.stat.isEphemeral)
            #expect(try await zk.getData(root).data == [])

            let stat = try await zk.setData(node, data: Array("v1".utf8), version: 0)
            #expect(stat.version == 1)
            #expect(await errorCode { try await zk.setData(node, data: [1], version: 0) } == .badVersion)
            #expect(try await zk.setData(node, data: Array("v2".utf8)).version == 2)
            #expect(try await zk.getData(node).data == Array("v2".utf8))
            #expect(await errorCode { try await zk.setData("\(root)/nope", data: [1]) } == .noNode)
            #expect(await errorCode { _ = try await zk.getData("\(root)/nope") } == .noNode)

            #expect(try await zk.exists(node)?.version == 2)
            #expect(try await zk.exists("\(root)/nope") == nil)

            #expect(await errorCode { try await zk.delete(root) } == .notEmpty)
            #expect(await errorCode { try await zk.delete(node, version: 1) } == .badVersion)
            try await zk.delete(node, version: 2)
            #expect(try await zk.exists(node) == nil)
            #expect(await errorCode { try await zk.delete(node) } == .noNode)
            try await zk.delete(root)

            // The error names the path it was about.
            do {
                _ = try await zk.getData("\(root)/gone")
                Issue.record("expected noNode")
            } catch let error as ZooKeeperError {
                #expect(error.path == "\(root)/gone")
            }
            await zk.close()
        }
    }

    @Test func childrenSequentialEphemeralAndSync() async throws {
        try await ZooKeeperTestServer.with { server in
            let zk = try await connect(server.connectString)
            let root = uniquePath("election")
            try await zk.create(root)
            let first = try await zk.create("\(root)/m-a_", data: Array("host1".utf8), mode: .ephemeralSequential)
            let second = try await zk.create("\(root)/m-b_", mode: .ephemeralSequential)
            let third = try await zk.create("\(root)/p-", mode: .persistentSequential)
            #expect(first == "\(root)/m-a_0000000000")
            #expect(second == "\(root)/m-b_0000000001")
            #expect(third == "\(root)/p-0000000002")
            let ephemeral = try await zk.exists(first)
            #expect(ephemeral?.ephemeralOwner == zk.credentials.id)
            #expect(await errorCode { try await zk.create("\(first)/child") } == .noChildrenForEphemerals)
            try await zk.create("\(root)/plain", mode: .ephemeral)

            let children = try await zk.getChildren(root)
            #expect(Set(children.names) == ["m-a_0000000000", "m-b_0000000001", "p-0000000002", "plain"])
            #expect(children.stat.numChildren == 4)
            #expect(await errorCode { _ = try await zk.getChildren("\(root)/nope") } == .noNode)

            try await zk.sync(root)
            let container = try await zk.create("\(root)/container", mode: .container)
            #expect(container == "\(root)/container")
            await zk.close()
        }
    }

    @Test func multiAppliesAllOrNothing() async throws {
        try await ZooKeeperTestServer.with { server in
            let zk = try await connect(server.connectString)
            let root = uniquePath("multi")
            try await zk.create(root)
            try await zk.create("\(root)/epoch")
            try await zk.create("\(root)/meta", data: Array("v0".utf8))
            try await zk.create("\(root)/old")

            let results = try await zk.multi([
                .check("\(root)/epoch", version: 0),
                .create("\(root)/new", data: [1, 2], mode: .persistent),
                .create("\(root)/seq-", data: [], mode: .persistentSequential),
                .setData("\(root)/meta", data: Array("v1".utf8), version: 0),
                .delete("\(root)/old", version: -1),
            ])
            #expect(results.count == 5)
            #expect(results[0] == .checked)
            #expect(results[1] == .created(path: "\(root)/new"))
            guard case .created(let sequential) = results[2], case .dataSet(let stat) = results[3] else {
                Issue.record("unexpected results \(results)")
                return
            }
            #expect(sequential.hasPrefix("\(root)/seq-") && sequential.count == "\(root)/seq-".count + 10)
            #expect(stat.version == 1)
            #expect(results[4] == .deleted)
            #expect(try await zk.getData("\(root)/new").data == [1, 2])
            #expect(try await zk.exists("\(root)/old") == nil)

            // A fenced write by a deposed leader: the epoch moved on, nothing is applied.
            try await zk.setData("\(root)/epoch", data: [2])
            do {
                try await zk.multi([
                    .check("\(root)/epoch", version: 0),
                    .setData("\(root)/meta", data: Array("stale".utf8), version: -1),
                    .create("\(root)/never"),
                ])
                Issue.record("the fenced multi should have failed")
            } catch let error as ZooKeeperError {
                #expect(error.code == .badVersion)
                #expect(error.failedOperationIndex == 0)
                #expect(error.operationCodes == [.badVersion, .runtimeInconsistency, .runtimeInconsistency])
            }
            #expect(try await zk.getData("\(root)/meta").data == Array("v1".utf8))
            #expect(try await zk.exists("\(root)/never") == nil)

            do {
                try await zk.multi([.create("\(root)/x"), .delete("\(root)/missing", version: -1)])
                Issue.record("expected noNode")
            } catch let error as ZooKeeperError {
                #expect(error.code == .noNode)
                #expect(error.failedOperationIndex == 1)
                #expect(error.operationCodes == [.ok, .noNode])
                #expect(error.path == "\(root)/missing")
            }
            #expect(try await zk.exists("\(root)/x") == nil)
            #expect(try await zk.multi([]) == [])
            await zk.close()
        }
    }

    @Test func watchesFireOnce() async throws {
        try await ZooKeeperTestServer.with { server in
            let zk = try await connect(server.connectString)
            let other = try await connect(server.connectString)
            let root = uniquePath("watch")
            try await zk.create(root)
            let node = "\(root)/n"

            let (absent, created) = try await zk.existsAndWatch(node)
            #expect(absent == nil)
            try await other.create(node, data: [1])
            #expect(
                try await within(.seconds(5), "nodeCreated") { try await created.event() }
                    == WatchedEvent(kind: .nodeCreated, path: node)
            )

            let (read, changed) = try await zk.getDataAndWatch(node)
            #expect(read.data == [1])
            let (_, sameNode) = try await zk.existsAndWatch(node)
            try await other.setData(node, data: [2])
            #expect(
                try await within(.seconds(5), "nodeDataChanged") { try await changed.event() }.kind == .nodeDataChanged
            )
            #expect(
                try await within(.seconds(5), "nodeDataChanged") { try await sameNode.event() }.kind == .nodeDataChanged
            )

            let (children, childWatch) = try await zk.getChildrenAndWatch(root)
            #expect(children.names == ["n"])
            try await other.create("\(root)/m")
            #expect(
                try await within(.seconds(5), "nodeChildrenChanged") { try await childWatch.event() }
                    == WatchedEvent(kind: .nodeChildrenChanged, path: root)
            )

            let (_, deleted) = try await zk.existsAndWatch(node)
            try await other.delete(node)
            #expect(
                try await within(.seconds(5), "nodeDeleted") { try await deleted.event() }
                    == WatchedEvent(kind: .nodeDeleted, path: node)
            )

            // A read of a missing node leaves no watch behind.
            #expect(await errorCode { _ = try await zk.getDataAndWatch(node) } == .noNode)

            // A watch outstanding at close fails.
            let (_, pending) = try await zk.existsAndWatch("\(root)/never")
            await zk.close()
            #expect(await errorCode { _ = try await pending.event() } == .closed)
            await other.close()
        }
    }

    @Test func ephemeralNodesGoWithTheSession() async throws {
        try await ZooKeeperTestServer.with { server in
            let owner = try await connect(server.connectString)
            let observer = try await connect(server.connectString)
            let node = try await owner.create(uniquePath("leader"), data: Array("me".utf8), mode: .ephemeral)
            let (stat, watch) = try await observer.existsAndWatch(node)
            #expect(stat?.ephemeralOwner == owner.credentials.id)
            await owner.close()
            #expect(try await within(.seconds(5), "nodeDeleted") { try await watch.event() }.kind == .nodeDeleted)
            #expect(try await observer.exists(node) == nil)
            await observer.close()
        }
    }

    @Test func chrootIsAppliedAndStripped() async throws {
        try await ZooKeeperTestServer.with { server in
            let root = try await connect(server.connectString)
            let chroot = uniquePath("chroot")
            try await root.create(chroot)
            let scoped = try await connect(server.connectString + chroot)
            #expect(try await scoped.create("/a", data: [7]) == "/a")
            #expect(try await root.getData("\(chroot)/a").data == [7])
            #expect(try await scoped.getChildren("/").names == ["a"])
            let (_, watch) = try await scoped.getDataAndWatch("/a")
            let results = try await scoped.multi([
                .create("/b-", data: [], mode: .persistentSequential), .setData("/a", data: [8], version: 0),
            ])
            #expect(results.first == .created(path: "/b-0000000001"))
            #expect(
                try await within(.seconds(5), "event") { try await watch.event() }
                    == WatchedEvent(kind: .nodeDataChanged, path: "/a")
            )
            await scoped.close()
            await root.close()
        }
    }

    @Test func anAuthenticatedCreatorsNodeIsClosedToOthers() async throws {
        try await ZooKeeperTestServer.with { server in
            func client(_ authentications: [ZooKeeperAuthentication]) async throws -> ZooKeeperClient {
                try await ZooKeeperClient.connect(
                    to: server.connectString,
                    sessionTimeout: .seconds(4),
                    configuration: .init(connectAttempts: 5, authentications: authentications),
                    logger: testLogger()
                )
            }
            let owner = try await client([.digest(user: "tubemq", password: "s3cret")])
            let path = uniquePath("acl")
            _ = try await owner.create(path, data: [1], acl: ACL.creatorAll)
            #expect(try await owner.getData(path).data == [1])

            // Without the identity, and with a wrong password: no access.
            let anonymous = try await client([])
            #expect(await errorCode { _ = try await anonymous.getData(path) } == .noAuth)
            #expect(await errorCode { _ = try await anonymous.setData(path, data: [9]) } == .noAuth)
            let wrong = try await client([.digest(user: "tubemq", password: "other")])
            #expect(await errorCode { _ = try await wrong.getData(path) } == .noAuth)
            // A creator ACL needs an identity to name.
            #expect(await errorCode { _ = try await anonymous.create(path + "-x", acl: ACL.creatorAll) } == .invalidACL)

            // The same identity on another session (another master) reads and writes it.
            let peer = try await client([.digest(user: "tubemq", password: "s3cret")])
            _ = try await peer.setData(path, data: [2])
            #expect(try await owner.getData(path).data == [2])
            #expect("\(ZooKeeperAuthentication.digest(user: "tubemq", password: "s3cret"))".contains("s3cret") == false)
            for zk in [owner, anonymous, wrong, peer] { await zk.close() }
        }
    }
}
