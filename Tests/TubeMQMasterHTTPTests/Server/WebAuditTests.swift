import Testing
import TubeMQTestKit

/// The webapi's audit lines: every change with its user and whether it was applied, and refused
/// tokens, never a password.
@Suite struct WebAuditTests {
    @Test func changesAreLoggedWithTheirOutcome() async throws {
        let capture = LogCapture()
        let logger = capture.logger(label: "tubemq.test.audit", level: .notice)
        try await WebTestSupport.withMaster(webLogger: logger) { _, client in
            _ = try await client.modify("admin_add_broker_configure", "brokerId=1&brokerIp=127.0.0.1&createUser=ops")
            _ = try await client.modify("admin_add_broker_configure", "brokerId=abc&brokerIp=127.0.0.1&createUser=ops")
            _ = try await client.query("admin_add_broker_configure", "brokerId=2&confModAuthToken=wrong")
        }
        let text = capture.lines
        let changes = text.filter { $0.contains("webapi change") }
        #expect(changes.count == 2, "\(text)")
        #expect(changes.first?.contains("tubemq.applied: true") == true, "\(changes)")
        #expect(changes.first?.contains("tubemq.user: ops") == true, "\(changes)")
        // With the caller's address: the user a call names is its own say.
        #expect(changes.allSatisfy { $0.contains("tubemq.peer: 127.0.0.1:") }, "\(changes)")
        // The second, with a bad brokerId, is refused.
        #expect(changes.last?.contains("tubemq.applied: false") == true, "\(changes)")
        #expect(
            text.contains { $0.contains("wrong confModAuthToken") && $0.contains("tubemq.peer: 127.0.0.1:") },
            "\(text)"
        )
    }
}
