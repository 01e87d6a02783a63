import Foundation
import TubeMQClient
import TubeMQCore
import TubeMQTestKit

/// Runs `body`, failing with ``TestTimeout`` (and cancelling it) after `duration`.
func withTimeout<T: Sendable>(
    _ duration: Duration,
    _ what: String = "the test body",
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: duration)
            throw TestTimeout(description: "\(what) did not finish within \(duration)")
        }
        defer { group.cancelAll() }
        guard let result = try await group.next() else { throw TestTimeout(description: "no result") }
        return result
    }
}

/// Reads `count` messages from a push consumer, then ends the iteration (which closes the consumer).
func receive(
    _ count: Int,
    from consumer: PushConsumer,
    within duration: Duration = .seconds(30)
) async throws
    -> [ConsumedMessage]
{
    try await withTimeout(duration, "receiving \(count) messages") {
        var received: [ConsumedMessage] = []
        guard count > 0 else { return received }
        for try await message in consumer {
            received.append(message)
            if received.count >= count { break }
        }
        return received
    }
}

extension Message {
    /// A text message with optional attributes.
    static func text(_ text: String, type: String? = nil, _ attributes: [(key: String, value: String)] = []) -> Message
    {
        var message = Message(body: Array(text.utf8), attributes: attributes)
        if let type { message.messageType = type }
        return message
    }
}

extension ConsumedMessage {
    /// The body as text.
    var text: String { String(decoding: body, as: UTF8.self) }
}
