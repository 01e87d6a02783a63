import TubeMQClient
import TubeMQCore

/// The examples of `docs/client-examples.md`, compiled (never run) so they keep up with the API.
enum ExampleSnippets {
    static func producer() async throws {
        let masters = MasterAddress.list(parsing: "127.0.0.1:8715")
        let producer = try await Producer(configuration: .init(masters: masters))
        try await producer.publish(["demo"])
        var message = Message(body: Array("hello".utf8), attributes: [("orderId", "42")])
        message.messageType = "greeting"  // consumers can filter on it
        let sent = try await producer.send(message, to: "demo")
        print("message \(sent.messageID) stored in \(sent.partition) at offset \(sent.offset)")
        await producer.shutdown()
    }

    static func producerOnItsExecutor(_ producer: Producer) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<64 {
                group.addTask(executorPreference: producer.executor) {
                    for _ in 0..<10_000 { try await producer.send(Message(body: Array("hello".utf8)), to: "demo") }
                }
            }
            try await group.waitForAll()
        }
    }

    static func consumer() async throws {
        let masters = MasterAddress.list(parsing: "127.0.0.1:8715")
        var configuration = Consumer.Configuration(masters: masters, group: "demo-group", topics: ["demo"])
        configuration.startPosition = .first
        let consumer = try await PushConsumer(configuration: configuration)
        for try await message in consumer {
            print(message.partition, message.attributes, String(decoding: message.body, as: UTF8.self))
        }
        func printUntilStop(_ consumer: PushConsumer) async throws {
            var messages = consumer.makeAsyncIterator()
            while let message = try await messages.next() {
                let text = String(decoding: message.body, as: UTF8.self)
                print(text)
                if text == "stop" {  // the application's own reason to stop
                    messages.finishBatch()
                    break
                }
            }
        }
        try await printUntilStop(consumer)
        let loop = Task(executorPreference: consumer.executor) {
            for try await message in consumer { print(message.body.count) }
        }
        try await loop.value
        for try await batch in try await PullConsumer(configuration: configuration) {
            for message in batch.messages { print(message.body.count) }
            try await batch.confirm()  // or batch.release() to have it delivered again
        }
    }

    static func boundConsumer(masters: [MasterAddress]) async throws {
        var bound = Consumer.Configuration(masters: masters, group: "replay-group", topics: ["demo"])
        bound.boundConsume = Consumer.BoundConsume(
            sessionKey: "replay-2026-12-04",
            consumerCount: 1,
            offsets: ["1:demo:0": 0, "1:demo:1": 112, "1:demo:2": 56]
        )
        bound.messageOffsets = true  // each message's own offset (our broker; nil from the original one)
        for try await message in try await PushConsumer(configuration: bound) {
            // message.offset is its batch's; messageOffset is the value to give `offsets` to start at it.
            print(message.partitionKey, message.messageOffset ?? message.offset)
        }
    }
}
