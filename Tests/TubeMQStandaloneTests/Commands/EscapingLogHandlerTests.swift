import Logging
import Testing

@testable import TubeMQStandalone

/// Peer-given text in a log line cannot break the line or reach the terminal: a client id with a line
/// break forged a log line of its own (found by fuzzing from outside).
@Suite struct EscapingLogHandlerTests {
    @Test func controlCharactersAreEscaped() {
        #expect(EscapingLogHandler.escaped("g_\u{0B}robe\nINFO forged") == "g_\\u{0B}robe\\nINFO forged")
        #expect(EscapingLogHandler.escaped("\u{1B}[2Jx\u{7F}\u{85}") == "\\u{1B}[2Jx\\u{7F}\\u{0085}")
        #expect(EscapingLogHandler.escaped("plain ünïcode") == "plain ünïcode")
        #expect(!EscapingLogHandler.needsEscaping("tubemq.client=p-1"))
    }

    @Test func metadataValuesOfEveryShapeAreEscaped() {
        let value: Logger.Metadata.Value = .dictionary([
            "list": .array([.string("a\nb"), .stringConvertible(7)]),
            "text": .stringConvertible("c\rd"),
        ])
        #expect(Self.strings(EscapingLogHandler.escaped(value)).sorted() == ["7", "a\\nb", "c\\rd"])
    }

    /// Every string in `value`.
    static func strings(_ value: Logger.Metadata.Value) -> [String] {
        switch value {
        case .string(let text): [text]
        case .stringConvertible(let item): [item.description]
        case .array(let items): items.flatMap(strings)
        case .dictionary(let items): items.values.flatMap(strings)
        }
    }
}
