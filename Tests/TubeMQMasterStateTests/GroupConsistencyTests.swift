import Testing
import TubeMQCore
import TubeMQMasterState

@Suite struct GroupConsistencyTests {
    func cluster() throws -> TestCluster {
        var cluster = try TestCluster(topics: ["tp", "up"])
        _ = try cluster.state.registerConsumer(
            ConsumerRegistration(clientID: "a", group: "gp", topics: ["tp"], filters: ["tp": ["typeA"]]),
            now: 0
        )
        return cluster
    }

    func code(_ request: ConsumerRegistration, _ cluster: inout TestCluster) -> MasterError.Code? {
        do {
            _ = try cluster.state.registerConsumer(request, now: 1)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func differentTopicSetIs425() throws {
        var cluster = try cluster()
        let request = ConsumerRegistration(
            clientID: "b",
            group: "gp",
            topics: ["tp", "up"],
            filters: ["tp": ["typeA"]]
        )
        #expect(code(request, &cluster) == .inconsistentTopicSet)
        #expect(cluster.state.group(named: "gp")?.members.keys.sorted() == ["a"], "a rejected consumer is not added")
    }

    @Test func differentFiltersAre426() throws {
        var cluster = try cluster()
        #expect(
            code(ConsumerRegistration(clientID: "b", group: "gp", topics: ["tp"]), &cluster) == .inconsistentFilterSet
        )
        let other = ConsumerRegistration(clientID: "b", group: "gp", topics: ["tp"], filters: ["tp": ["typeB"]])
        #expect(code(other, &cluster) == .inconsistentFilterSet)
        let same = ConsumerRegistration(clientID: "b", group: "gp", topics: ["tp"], filters: ["tp": ["typeA"]])
        #expect(code(same, &cluster) == nil)
    }

    @Test func errorTextNamesBothSides() throws {
        var cluster = try cluster()
        let error = #expect(throws: MasterError.self) {
            try cluster.state.registerConsumer(ConsumerRegistration(clientID: "b", group: "gp", topics: ["up"]), now: 1)
        }
        let message = error?.message ?? ""
        #expect(message.contains("[up]") && message.contains("[tp]") && message.contains("Consumer b"))
    }

    @Test func soleMemberMayRedefineTheGroup() throws {
        var cluster = try cluster()
        #expect(code(ConsumerRegistration(clientID: "a", group: "gp", topics: ["up"]), &cluster) == nil)
        #expect(cluster.state.group(named: "gp")?.topics == ["up"])
        #expect(cluster.state.group(named: "gp")?.filters.isEmpty == true)
    }

    @Test func boundAndUnboundDoNotMix() throws {
        var cluster = try cluster()
        let bound = BoundConsumeRequest(sessionKey: "s", totalCount: 2, requiredOffsets: [:])
        let request = ConsumerRegistration(
            clientID: "b",
            group: "gp",
            topics: ["tp"],
            filters: ["tp": ["typeA"]],
            bound: bound
        )
        #expect(code(request, &cluster) == .inconsistentConsumeType)
    }

    @Test func boundSessionMismatches() throws {
        var cluster = try TestCluster()
        func request(_ id: String, key: String = "s", count: Int32 = 2, big: Bool = true) -> ConsumerRegistration {
            ConsumerRegistration(
                clientID: id,
                group: "gb",
                topics: ["tp"],
                bound: BoundConsumeRequest(sessionKey: key, totalCount: count, requiredOffsets: [:], selectBig: big)
            )
        }
        #expect(code(request("a"), &cluster) == nil)
        #expect(
            code(ConsumerRegistration(clientID: "x", group: "gb", topics: ["tp"]), &cluster) == .inconsistentConsumeType
        )
        #expect(code(request("b", key: "other"), &cluster) == .inconsistentSessionKey)
        #expect(code(request("b", big: false), &cluster) == .inconsistentSelectBig)
        #expect(code(request("b", count: 3), &cluster) == .inconsistentSourceCount)
        #expect(code(request("b"), &cluster) == nil)
        #expect(code(request("c"), &cluster) == .inconsistentSourceCount, "the session is full")
    }

    @Test func undeployedTopicIs431AndForbiddenGroupIs450() throws {
        var cluster = try cluster()
        #expect(
            code(ConsumerRegistration(clientID: "z", group: "hg", topics: ["nosuch"]), &cluster) == .topicNotDeployed
        )
        _ = try cluster.state.stopAndDeleteTopicDeployment(topic: "up", brokerID: 1, by: "admin", now: 1)
        #expect(code(ConsumerRegistration(clientID: "z", group: "hg", topics: ["up"]), &cluster) == .topicNotDeployed)
        _ = cluster.state.setGroupConsume(
            group: "hg",
            topic: "tp",
            enabled: false,
            reason: "blacklisted",
            by: "admin",
            now: 2
        )
        #expect(
            code(ConsumerRegistration(clientID: "z", group: "hg", topics: ["tp"]), &cluster) == .consumeGroupForbidden
        )
        _ = cluster.state.setGroupConsume(group: "hg", topic: "tp", enabled: true, by: "admin", now: 3)
        #expect(code(ConsumerRegistration(clientID: "z", group: "hg", topics: ["tp"]), &cluster) == nil)
        #expect(cluster.state.groupSettings.isEmpty)
    }

    @Test func malformedRegistrationsAre400() throws {
        var cluster = try cluster()
        #expect(code(ConsumerRegistration(clientID: "z", group: "hg", topics: []), &cluster) == .badRequest)
        // TubeMQ's name rules (admin-api.md §4): a group and a topic of a registration.
        #expect(code(ConsumerRegistration(clientID: "z", group: "bad group!", topics: ["tp"]), &cluster) == .badRequest)
        #expect(code(ConsumerRegistration(clientID: "z", group: "hg", topics: ["bad topic"]), &cluster) == .badRequest)
        let strayFilter = ConsumerRegistration(clientID: "z", group: "hg", topics: ["tp"], filters: ["up": ["x"]])
        #expect(code(strayFilter, &cluster) == .badRequest)
        let badBound = ConsumerRegistration(
            clientID: "z",
            group: "hg",
            topics: ["tp"],
            bound: BoundConsumeRequest(sessionKey: "", totalCount: 1, requiredOffsets: [:])
        )
        #expect(code(badBound, &cluster) == .badRequest)
    }
}
