import Logging
import Synchronization

/// Collects log records for assertions: a `LogHandler` that appends to a shared list.
final class LogCapture: Sendable {
    /// One captured record.
    struct Record: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: [String: String]
    }

    private let records = Mutex<[Record]>([])

    /// A logger writing to this capture at `level` and above.
    func logger(level: Logger.Level = .debug) -> Logger {
        var logger = Logger(label: "tubemq.storage.test") { _ in Handler(capture: self) }
        logger.logLevel = level
        return logger
    }

    /// Everything captured so far.
    var all: [Record] { records.withLock { $0 } }

    /// The error-level (and worse) records.
    var errors: [Record] { all.filter { $0.level >= .error } }

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
