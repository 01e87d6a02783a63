public import Logging

/// swift-log's standard-error handler, with control characters in the message and in metadata
/// values escaped (`\n`, `\u{1B}`, …): many of those values come from peers (client ids, group and
/// topic names), and a line break in one would forge a log line of its own, a terminal escape would
/// act on the operator's terminal. The executables log through it.
public struct EscapingLogHandler: LogHandler {
    private var inner: StreamLogHandler

    /// A handler writing to standard error, labelled `label`.
    public static func standardError(label: String) -> EscapingLogHandler {
        EscapingLogHandler(inner: StreamLogHandler.standardError(label: label))
    }

    private init(inner: StreamLogHandler) {
        self.inner = inner
    }

    public var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    public var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { inner.metadataProvider }
        set { inner.metadataProvider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    public func log(event: LogEvent) {
        var safe = event
        let text = "\(event.message)"
        if Self.needsEscaping(text) { safe.message = "\(Self.escaped(text))" }
        if let metadata = event.metadata { safe.metadata = metadata.mapValues(Self.escaped) }
        inner.log(event: safe)
    }

    /// `value` with every string in it escaped.
    static func escaped(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let text):
            return needsEscaping(text) ? .string(escaped(text)) : value
        case .stringConvertible(let item):
            let text = item.description
            return needsEscaping(text) ? .string(escaped(text)) : value
        case .array(let items):
            return .array(items.map(escaped))
        case .dictionary(let items):
            return .dictionary(items.mapValues(escaped))
        }
    }

    /// Whether `text` holds a control character (C0, DEL or C1).
    static func needsEscaping(_ text: String) -> Bool {
        text.unicodeScalars.contains(where: isControl)
    }

    /// `text` with each control character written as Swift writes it in a literal.
    static func escaped(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                result += scalar.escaped(asASCII: true)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
