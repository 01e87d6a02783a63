import Logging
import Synchronization
import Testing

/// The webapi's audit lines: every change with its user and whether it was applied, and refused
/// tokens, never a password.
@Suite struct WebAuditTests {
    @Test func changesAreLoggedWithTheirOutcome() async throws {
        let store = AuditLines()
        var logger = Logger(label: "tubemq.test.audit") { _ in AuditCapture(store: store) }
        logger.logLevel = .notice
        try await WebTestSupport.withMaster(webLogger: logger) { _, client in
            _ = try await client.modify("admin_add_broker_configure", "brokerId=1&brokerIp=127.0.0.1&createUser=ops")
            _ = try await client.modify("admin_add_broker_configure", "brokerId=abc&brokerIp=127.0.0.1&createUser=ops")
            _ = try await client.query("admin_add_broker_configure", "brokerId=2&confModAuthToken=wrong")
        }
        let text = store.lines.withLock { $0 }
        let changes = text.filter { $0.contains("webapi change") }
        #expect(changes.count == 2, "\(text)")
        #expect(changes.first?.contains("tubemq.applied: true") == true, "\(changes)")
        #expect(changes.first?.contains("tubemq.user: ops") == true, "\(changes)")
        // The second, with a bad brokerId, is refused.
        #expect(changes.last?.contains("tubemq.applied: false") == true, "\(changes)")
        #expect(text.contains { $0.contains("wrong confModAuthToken") }, "\(text)")
    }
}

/// The lines an ``AuditCapture`` kept.
final class AuditLines: Sendable {
    let lines = Mutex<[String]>([])
}

/// Keeps every log line with its metadata.
struct AuditCapture: LogHandler {
    let store: AuditLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let fields = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        store.lines.withLock { $0.append("\(event.message) \(fields.joined(separator: ", "))") }
    }
}
