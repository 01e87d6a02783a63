import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SystemPackage
import Testing
import TubeMQBroker
import TubeMQBrokerHTTP
import TubeMQCore
import TubeMQRPC
import TubeMQWebSupport
import TubeMQWire

/// A broker (no master) serving one topic, its webapi on a free port, an RPC client playing
/// producer and consumer, and an HTTP client.
struct BrokerFixture: Sendable {
    static let topic = "t_off"
    static let group = "g_off"
    static let consumer = "c_off"

    let broker: BrokerServer
    let rpc: RPCClient
    let http: TestClient

    static let logger: Logger = {
        var logger = Logger(label: "tubemq.test.broker-web")
        logger.logLevel = .warning
        return logger
    }()

    static func with(
        adminToken: String? = nil,
        _ body: @escaping @Sendable (BrokerFixture) async throws -> Void
    ) async throws {
        let directory = NSTemporaryDirectory() + "tubemq-broker-web-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let broker = try await BrokerServer.start(
            configuration: BrokerConfiguration(brokerID: 1, port: 0, dataDirectory: FilePath(directory), io: .posix),
            topics: [BrokerTopic(name: topic, partitionsPerStore: 2)],
            logger: logger
        )
        let web = try await BrokerHTTPServer.start(broker: broker, port: 0, adminToken: adminToken, logger: logger)
        let rpc = RPCClient()
        do {
            try await TestClient.withClient(host: "127.0.0.1", port: web.port) { http in
                try await body(BrokerFixture(broker: broker, rpc: rpc, http: http))
            }
        } catch {
            await rpc.shutdown()
            await web.shutdown()
            await broker.shutdown()
            throw error
        }
        await rpc.shutdown()
        await web.shutdown()
        await broker.shutdown()
    }

    /// GET `/metrics`: the Prometheus text.
    func metricsText() async throws -> String {
        let response = try await http.get("/metrics")
        return String(buffer: response.body ?? ByteBuffer())
    }

    /// GET `/broker.htm?query`, parsed.
    func get(_ query: String) async throws -> JSONObject {
        let response = try await http.get("/broker.htm?\(query)")
        let text = String(buffer: response.body ?? ByteBuffer())
        let parsed = try JSON.parse(text)
        return try #require(parsed.object, "not a JSON object: \(text)")
    }

    /// Sends `count` messages (`m0`, `m1`, …) to a partition.
    func send(_ count: Int, partition: Int32 = 0) async throws {
        try await send((0..<count).map { TubeMQCore.Message(body: Array("m\($0)".utf8)) }, partition: partition)
    }

    /// Sends `messages` to a partition.
    func send(_ messages: [TubeMQCore.Message], partition: Int32 = 0) async throws {
        for message in messages {
            var send = SendMessageRequestP2B()
            send.clientID = "p_off"
            send.topicName = Self.topic
            send.partitionID = partition
            send.data = Data(message.payload)
            send.flag = message.flag
            send.checkSum = -1
            send.sentAddr = 0
            let reply: SendMessageResponseB2P = try await rpc.call(
                .sendMessage,
                send,
                host: "127.0.0.1",
                port: broker.port
            )
            #expect(reply.success, "\(reply.errMsg)")
        }
    }

    /// Sends `count` messages to partition 0, registers the consumer there, fetches them and
    /// confirms them; returns the committed offset.
    func sendAndConsume(_ count: Int) async throws -> Int64 {
        try await send(count)
        try await register()
        _ = try await fetch()
        return try await commit()
    }

    /// Registers the consumer for a partition.
    func register(partition: Int32 = 0) async throws {
        try await registration(opType: 31, partition: partition)
    }

    /// Unregisters the consumer from a partition, confirming what it read (readStatus 0).
    func unregister(partition: Int32 = 0) async throws {
        try await registration(opType: 32, partition: partition)
    }

    /// Method 15 with `opType` 31 (register) or 32 (unregister).
    private func registration(opType: Int32, partition: Int32) async throws {
        var request = RegisterRequestC2B()
        request.opType = opType
        request.clientID = Self.consumer
        request.groupName = Self.group
        request.topicName = Self.topic
        request.partitionID = partition
        request.readStatus = 0
        let reply: RegisterResponseB2C = try await rpc.call(
            .consumerRegisterToBroker,
            request,
            host: "127.0.0.1",
            port: broker.port
        )
        #expect(reply.success, "\(reply.errMsg)")
    }

    /// One get: the offset it started at and the payloads.
    func fetch(partition: Int32 = 0, confirmingLast: Bool = false) async throws -> (offset: Int64, bodies: [String]) {
        var get = GetMessageRequestC2B()
        get.clientID = Self.consumer
        get.groupName = Self.group
        get.topicName = Self.topic
        get.partitionID = partition
        get.lastPackConsumed = confirmingLast
        let reply: GetMessageResponseB2C = try await rpc.call(.getMessages, get, host: "127.0.0.1", port: broker.port)
        #expect(reply.success, "\(reply.errMsg)")
        return (reply.currOffset, reply.messages.map { String(decoding: $0.payLoadData, as: UTF8.self) })
    }

    /// Confirms the batch handed out.
    func commit(partition: Int32 = 0) async throws -> Int64 {
        var commit = CommitOffsetRequestC2B()
        commit.clientID = Self.consumer
        commit.groupName = Self.group
        commit.topicName = Self.topic
        commit.partitionID = partition
        commit.lastPackConsumed = true
        let reply: CommitOffsetResponseB2C = try await rpc.call(
            .commitOffset,
            commit,
            host: "127.0.0.1",
            port: broker.port
        )
        return reply.currOffset
    }
}

extension JSONObject {
    func string(_ key: String) -> String? { self[key]?.stringValue }
    func number(_ key: String) -> Int64? { self[key]?.numberValue }
    func bool(_ key: String) -> Bool? { self[key]?.boolValue }
    func objects(_ key: String) -> [JSONObject] { self[key]?.items?.compactMap(\.object) ?? [] }
    var keys: [String] { fields.map(\.key) }
}
