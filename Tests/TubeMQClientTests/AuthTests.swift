import Foundation
import Logging
import Synchronization
import Testing
import TubeMQClient
import TubeMQCore
import TubeMQMaster
import TubeMQRPC
import TubeMQTestKit
import TubeMQWire

/// Authentication, authorisation and broker visit tokens, end to end against an in-process cluster.
@Suite("Permission checks", .serialized)
struct AuthTests {
    static let password = "s3cret-Pa55"

    /// A cluster with every check on: users `alice` (every topic) and `bob` (only `t_open`), group
    /// `g_allowed` granted on `t_auth`, brokers enforcing visit tokens at once.
    static func withSecureCluster(
        logger: Logger = TestCluster.logger,
        _ body: (TestCluster) async throws -> Void
    ) async throws {
        let cluster = try await TestCluster.start(
            topics: [.init(name: "t_auth", partitions: 1), .init(name: "t_open", partitions: 1)],
            logger: logger
        ) { configuration, directory in
            let users = directory + "/users"
            let text = "# test users\nalice \(password)\nbob \(password) t_open\n"
            _ = FileManager.default.createFile(atPath: users, contents: Data(text.utf8))
            configuration.security = SecuritySettings(
                produceAuthenticate: true,
                produceAuthorize: true,
                consumeAuthenticate: true,
                consumeAuthorize: true,
                visitTokenCheck: true,
                brokerVisitAuth: true,
                visitName: "broker",
                visitPassword: "broker-pw",
                userFile: users
            )
            configuration.brokerVisitCredentials = ("broker", "broker-pw")
            configuration.brokerVisitTokenGraceMs = 0
        }
        do {
            try await cluster.master.security.grants.update("t_auth") { control in
                control.isEnabled = true
                control.groups.insert("g_allowed")
            }
            try await body(cluster)
        } catch {
            await cluster.shutdown()
            throw error
        }
        await cluster.shutdown()
    }

    static func producer(_ cluster: TestCluster, user: String, password: String = password) -> Producer.Configuration {
        var configuration = cluster.producerConfiguration()
        configuration.credentials = Credentials(userName: user, password: password)
        return configuration
    }

    static func certificate(user: String, password: String, timestamp: Int64) -> MasterCertificateInfo {
        var info = AuthenticateInfo()
        info.userName = user
        info.timestamp = timestamp
        info.nonce = 7
        info.othParams = ""
        info.signature = AuthSignature.sign(userName: user, password: password, timestamp: timestamp, nonce: 7)
        var certificate = MasterCertificateInfo()
        certificate.authInfo = info
        return certificate
    }

    static func registerProducer(
        _ cluster: TestCluster,
        _ certificate: MasterCertificateInfo?
    ) async throws
        -> RegisterResponseM2P
    {
        var request = RegisterRequestP2M()
        request.clientID = "raw-producer-\(UUID().uuidString)"
        request.brokerCheckSum = -1
        request.hostName = "127.0.0.1"
        if let certificate { request.authInfo = certificate }
        return try await cluster.rpc.call(
            .producerRegister,
            request,
            host: "127.0.0.1",
            port: cluster.master.port
        )
    }

    static var now: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    @Test func rightCredentialsProduceAndConsume() async throws {
        try await Self.withSecureCluster { cluster in
            let producer = try await Producer(configuration: Self.producer(cluster, user: "alice"))
            try await producer.publish(["t_auth"])
            for i in 0..<5 { _ = try await producer.send(Message(body: Array("m\(i)".utf8)), to: "t_auth") }
            var configuration = cluster.consumerConfiguration(group: "g_allowed", topics: ["t_auth"])
            configuration.credentials = Credentials(userName: "alice", password: Self.password)
            let consumer = try await PushConsumer(configuration: configuration, logger: TestCluster.logger)
            var received = 0
            for try await _ in consumer {
                received += 1
                if received == 5 { break }
            }
            #expect(received == 5)
            await consumer.shutdown()
            await producer.shutdown()
        }
    }

    /// Withdrawing a group's grant stops its members already running (the next balance round takes the
    /// topic's partitions); granting it again gives them back. Before, only registration was checked.
    /// A removed user's running clients stop at their next heartbeat: the master refuses the tokens it
    /// issued to the user, the producer's sends fail with the refusal, and the consumer ends its loop
    /// with it and frees its partitions at the broker (which does not know users). Before, both went
    /// on until the token expired and beyond: 18.6 minutes in an outside run.
    @Test func aRemovedUsersRunningClientsStop() async throws {
        try await Self.withSecureCluster { cluster in
            let producer = try await Producer(configuration: Self.producer(cluster, user: "alice"))
            try await producer.publish(["t_auth"])
            _ = try await producer.send(Message(body: Array("before".utf8)), to: "t_auth")
            var configuration = cluster.consumerConfiguration(group: "g_allowed", topics: ["t_auth"])
            configuration.credentials = Credentials(userName: "alice", password: Self.password)
            let consumer = try await PushConsumer(configuration: configuration, logger: TestCluster.logger)
            try await eventually("the consumer holds the partition") { await !consumer.assignedPartitions().isEmpty }
            let loop = Task { () -> ClientError? in
                do {
                    for try await _ in consumer {}
                    return nil
                } catch let error as ClientError {
                    return error
                } catch {
                    return nil
                }
            }

            #expect(try await cluster.master.security.users.remove("alice"))
            try await eventually("sends fail with the master's refusal", timeout: .seconds(20)) {
                do throws(ClientError) {
                    _ = try await producer.send(Message(body: Array("after".utf8)), to: "t_auth")
                    return false
                } catch {
                    return error.serverCode == 415
                }
            }
            let ended = try await withTimeout(.seconds(20)) { await loop.value }
            #expect(ended?.serverCode == 415, "the loop ends with the refusal: \(String(describing: ended))")
            try await eventually("the broker freed the partition") {
                await cluster.holdings(group: "g_allowed").isEmpty
            }
            // The master dropped it from the group when it refused its heartbeat (its close, unsigned,
            // is refused too): not after the consumer timeout (10 s here, 30 s by default).
            let group = await cluster.master.master.group(named: "g_allowed")
            #expect(group == nil || group?.members.isEmpty == true, "\(String(describing: group?.members.keys))")
            await producer.shutdown()
        }
    }

    /// An authenticated producer registers again with a master that does not know it (a restart, a
    /// failover). Its first heartbeat there is refused for the unknown token (415), and the one it signs
    /// anew for the unknown producer (411): it used to stop at that 411, and heartbeat in vain for ever.
    @Test func anAuthenticatedProducerRegistersAgainAfterAMasterRestart() async throws {
        let directory = NSTemporaryDirectory() + "tubemq-auth-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let users = directory + "/users"
        #expect(FileManager.default.createFile(atPath: users, contents: Data("alice \(Self.password)\n".utf8)))
        let cluster = try await RestartableCluster.start(topics: [.init(name: "t_restart", partitions: 1)]) {
            $0.requireAuthentication(userFile: users)
        }
        do {
            var configuration = cluster.producerConfiguration()
            configuration.credentials = Credentials(userName: "alice", password: Self.password)
            let producer = try await Producer(configuration: configuration)
            try await producer.publish(["t_restart"])
            _ = try await producer.send(Message(body: Array("before".utf8)), to: "t_restart")
            await cluster.stop()
            try await cluster.restart()
            try await eventually("the producer registered with the restarted master", timeout: .seconds(20)) {
                guard let master = cluster.local?.master.master else { return false }
                return await !master.producers().isEmpty
            }
            _ = try await producer.send(Message(body: Array("after".utf8)), to: "t_restart")
            await producer.shutdown()
        } catch {
            await cluster.remove()
            throw error
        }
        await cluster.remove()
    }

    @Test func aWithdrawnGrantStopsARunningConsumer() async throws {
        try await Self.withSecureCluster { cluster in
            var configuration = cluster.consumerConfiguration(group: "g_allowed", topics: ["t_auth"])
            configuration.credentials = Credentials(userName: "alice", password: Self.password)
            let consumer = try await PushConsumer(configuration: configuration, logger: TestCluster.logger)
            try await eventually("the consumer holds the partition") { await !consumer.assignedPartitions().isEmpty }
            try await cluster.master.security.grants.update("t_auth") { control in
                control.groups.remove("g_allowed")
            }
            try await eventually("the withdrawn grant takes the partition", timeout: .seconds(30)) {
                await consumer.assignedPartitions().isEmpty
            }
            try await cluster.master.security.grants.update("t_auth") { control in
                control.groups.insert("g_allowed")
            }
            try await eventually("the grant given again gives it back", timeout: .seconds(30)) {
                await !consumer.assignedPartitions().isEmpty
            }
            await consumer.shutdown()
        }
    }

    @Test func refusalsCarryTubeMQsCodesAndTextsWhileOthersAreServed() async throws {
        try await Self.withSecureCluster { cluster in
            let good = try await Producer(configuration: Self.producer(cluster, user: "alice"))
            try await good.publish(["t_auth"])

            // Wrong password and unknown user: the same text, which does not say which.
            for (user, password) in [("alice", "wrong"), ("mallory", Self.password)] {
                let reply = try await Self.registerProducer(
                    cluster,
                    Self.certificate(user: user, password: password, timestamp: Self.now)
                )
                #expect(!reply.success)
                #expect(reply.errCode == 415)
                #expect(reply.errMsg == "Illegal value: userName or password is not correct!")
                #expect(reply.brokerCheckSum == -1)
            }
            // A stale timestamp.
            let stale = try await Self.registerProducer(
                cluster,
                Self.certificate(user: "alice", password: Self.password, timestamp: Self.now - 60_000)
            )
            #expect(stale.errCode == 415)
            #expect(stale.errMsg == "Illegal value: timestamp out of effective period in authenticateToken!")
            // No certificate at all.
            let missing = try await Self.registerProducer(cluster, nil)
            #expect(missing.errCode == 415)
            #expect(missing.errMsg == "Server required MasterCertificateInfo!")

            // Our client surfaces the refusal.
            do throws(ClientError) {
                _ = try await Producer(configuration: Self.producer(cluster, user: "alice", password: "nope"))
                Issue.record("a wrong password was accepted")
            } catch {
                #expect(error.serverCode == 415)
            }

            // A producer whose user may not publish to the topic.
            let bob = try await Producer(configuration: Self.producer(cluster, user: "bob"))
            do throws(ClientError) {
                try await bob.publish(["t_auth"])
                Issue.record("bob published to a topic he is not granted")
            } catch {
                #expect(error.serverCode == 403)
                #expect(error.message.contains("unAuthorizedTopics: [t_auth]"))
            }
            await bob.shutdown()

            // A consumer group not allowed on the topic.
            var request = RegisterRequestC2M()
            request.clientID = "c-denied"
            request.groupName = "g_other"
            request.hostName = "127.0.0.1"
            request.topicList = ["t_auth"]
            request.requireBound = false
            request.authInfo = Self.certificate(user: "alice", password: Self.password, timestamp: Self.now)
            let denied: RegisterResponseM2C = try await cluster.rpc.call(
                .consumerRegister,
                request,
                host: "127.0.0.1",
                port: cluster.master.port
            )
            #expect(denied.errCode == 450)
            #expect(
                denied.errMsg
                    == "[unAuthorized Group] c-denied's consumerGroup not authorized by administrator, unAuthorizedTopics: [t_auth]"
            )

            // The good producer is still served.
            _ = try await good.send(Message(body: Array("still served".utf8)), to: "t_auth")
            await good.shutdown()
        }
    }

    /// A close needs credentials as a heartbeat does: anyone could otherwise take a broker out of
    /// the cluster, or remove any producer or consumer (their ids are listed without a token).
    @Test func closesWithoutCredentialsAreRefused() async throws {
        try await Self.withSecureCluster { cluster in
            let port = cluster.master.port
            var producerClose = CloseRequestP2M()
            producerClose.clientID = "someone-elses-producer"
            let producerReply: CloseResponseM2P = try await cluster.rpc.call(
                .producerClose,
                producerClose,
                host: "127.0.0.1",
                port: port
            )
            #expect(producerReply.errCode == 415)
            producerClose.authInfo = Self.certificate(user: "alice", password: Self.password, timestamp: Self.now)
            let signedProducerReply: CloseResponseM2P = try await cluster.rpc.call(
                .producerClose,
                producerClose,
                host: "127.0.0.1",
                port: port
            )
            #expect(signedProducerReply.success)

            var consumerClose = CloseRequestC2M()
            consumerClose.clientID = "someone-elses-consumer"
            consumerClose.groupName = "g_allowed"
            let consumerReply: CloseResponseM2C = try await cluster.rpc.call(
                .consumerClose,
                consumerClose,
                host: "127.0.0.1",
                port: port
            )
            #expect(consumerReply.errCode == 415)

            let brokerID = try #require(cluster.brokers.first).configuration.brokerID
            var brokerClose = CloseRequestB2M()
            brokerClose.brokerID = "\(brokerID)"
            let brokerReply: CloseResponseM2B = try await cluster.rpc.call(
                .brokerClose,
                brokerClose,
                host: "127.0.0.1",
                port: port
            )
            #expect(brokerReply.errCode == 415)
            // The broker is still in the cluster: a producer still gets its partitions and sends.
            let producer = try await Producer(configuration: Self.producer(cluster, user: "alice"))
            try await producer.publish(["t_auth"])
            _ = try await producer.send(Message(body: Array("after the forged close".utf8)), to: "t_auth")
            await producer.shutdown()
        }
    }

    @Test func brokersRefuseCallsWithoutAValidVisitToken() async throws {
        try await Self.withSecureCluster { cluster in
            let partition = try #require(cluster.partitions(of: "t_auth").first)
            try await eventually("the broker took the master's switches") {
                var request = RegisterRequestC2B()
                request.opType = 31
                request.clientID = "c-raw"
                request.groupName = "g_allowed"
                request.topicName = "t_auth"
                request.partitionID = partition.id
                request.readStatus = 0
                let reply: RegisterResponseB2C = try await cluster.rpc.call(
                    .consumerRegisterToBroker,
                    request,
                    host: partition.broker.host,
                    port: Int(partition.broker.port)
                )
                return reply.errCode == 415 && reply.errMsg == "Authorized Info is required!"
            }
            var request = RegisterRequestC2B()
            request.opType = 31
            request.clientID = "c-raw"
            request.groupName = "g_allowed"
            request.topicName = "t_auth"
            request.partitionID = partition.id
            request.readStatus = 0
            var info = AuthorizedInfo()
            info.visitAuthorizedToken = 12345
            info.authAuthorizedToken = "alice 1 2 sig"
            request.authInfo = info
            let reply: RegisterResponseB2C = try await cluster.rpc.call(
                .consumerRegisterToBroker,
                request,
                host: partition.broker.host,
                port: Int(partition.broker.port)
            )
            #expect(reply.errCode == 415)
            #expect(reply.errMsg == "Visit Authorized Token is invalid!")
        }
    }

    @Test func tokenRunsKeepNoPasswordOrSignatureInTheLogs() async throws {
        let capture = LogCapture()
        let logger = capture.logger(label: "tubemq.test.auth", level: .trace)
        try await Self.withSecureCluster(logger: logger) { cluster in
            let producer = try await Producer(configuration: Self.producer(cluster, user: "alice"), logger: logger)
            try await producer.publish(["t_auth"])
            _ = try await producer.send(Message(body: Array("x".utf8)), to: "t_auth")
            _ = try? await Producer(
                configuration: Self.producer(cluster, user: "alice", password: "wrong"),
                logger: logger
            )
            await producer.shutdown()
        }
        let lines = capture.lines
        #expect(!lines.isEmpty)
        // The refused registration is on record (it left no line before), without the password.
        #expect(lines.contains { $0.contains("producer registration refused") && $0.contains("415") })
        for line in lines {
            #expect(!line.contains(Self.password))
            #expect(!line.contains("broker-pw"))
            #expect(!line.contains("%3D"))
        }
    }
}
