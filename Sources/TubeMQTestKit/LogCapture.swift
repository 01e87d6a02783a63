public import Logging
import Synchronization

/// Keeps the records of the loggers it makes, for tests that check what was logged (audit lines,
/// damage reports, what must never be logged).
public final class LogCapture: Sendable {
    /// One captured record.
    public struct Record: Sendable {
        /// Its level.
        public let level: Logger.Level
        /// Its message.
        public let message: String
        /// The logger's and the record's metadata, rendered.
        public let metadata: [String: String]

        /// `level message key: value, …`, the keys in order: one line to search.
        public var line: String {
            let fields = metadata.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
            return "\(level) \(message) \(fields.joined(separator: ", "))"
        }
    }

    private let records = Mutex<[Record]>([])

    /// Creates an empty capture.
    public init() {}

    /// A logger writing to this capture at `level` and above.
    public func logger(label: String = "tubemq.test", level: Logger.Level = .debug) -> Logger {
        var logger = Logger(label: label) { _ in Handler(capture: self) }
        logger.logLevel = level
        return logger
    }

    /// Everything captured so far.
    public var all: [Record] { records.withLock { $0 } }

    /// The error-level (and worse) records.
    public var errors: [Record] { all.filter { $0.level >= .error } }

    /// Every record as its ``Record/line``.
    public var lines: [String] { all.map(\.line) }

    fileprivate func add(_ record: Record) {
        records.withLock { $0.append(record) }
    }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var merged = metadata
            if let extra = event.metadata { merged.merge(extra) { $1 } }
            capture.add(
                Record(
                    level: event.level,
                    message: "\(event.message)",
                    metadata: merged.mapValues { "\($0)" }
                )
            )
        }
    }
}
