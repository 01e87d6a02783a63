import ArgumentParser
import Foundation
import Synchronization
import TubeMQClient
import TubeMQCore

/// `tubemq produce`: sends stdin lines, or generated payloads, to a topic.
struct ProduceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce",
        abstract: "Send messages: one per stdin line, or --count generated payloads of --size bytes.",
        discussion: """
            Each stdin line is sent as its bytes, without the line end (\\n, or \\r\\n: a line that \
            ends in a carriage return loses it). Empty lines are not sent (TubeMQ refuses empty \
            messages); a note on standard error names each.
            """
    )

    @OptionGroup var cluster: ClusterOptions

    @Option(help: "The topic.")
    var topic: String

    @Option(help: "Message type ($msgType$), for consumers' filters.")
    var type: String?

    @Option(name: .customLong("attr"), help: "An attribute key=value (repeatable).")
    var attributes: [String] = []

    @Option(parsing: .unconditional, help: "Send this many generated payloads instead of reading stdin.")
    var count: Int?

    @Option(parsing: .unconditional, help: "Size of generated payloads in bytes.")
    var size = 100

    @Flag(help: "Print one line per message sent (id, partition, offset).")
    var verbose = false

    @Option(
        parsing: .unconditional,
        help: """
            Seconds to keep retrying a message whose broker does not answer or cannot be reached \
            (0 = stop at the first failure). A message retried after no answer may be stored twice.
            """
    )
    var retrySeconds = 60

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be at least 1, got \(count)") }
        guard retrySeconds >= 0 else { throw ValidationError("--retry-seconds must be 0 or more, got \(retrySeconds)") }
        guard size > 0 else {
            throw ValidationError("--size must be at least 1 (the broker refuses empty messages), got \(size)")
        }
    }

    func run() async throws {
        var base = Message(body: [])
        for item in attributes {
            guard let eq = item.firstIndex(of: "=") else {
                throw ValidationError("--attr takes key=value, got \(item)")
            }
            base.setAttribute(String(item[..<eq]), String(item[item.index(after: eq)...]))
        }
        if let type {
            // A type no consumer filter can name would be stored, but could never be selected.
            if let problem = NameRules.filterProblem([type]) {
                let shown = type.count > 40 ? "\(type.prefix(40))…" : type
                throw ValidationError("--type \(shown): no consumer could filter on it: \(problem)")
            }
            base.messageType = type
        }
        let clusters = try cluster.clusters()
        var producerConfiguration = Producer.Configuration(masters: clusters[0])
        producerConfiguration.credentials = try cluster.credentials()
        producerConfiguration.tls = try cluster.tls()
        let producer = try await MessageSender(
            clusters: clusters,
            configuration: producerConfiguration,
            logger: cluster.logger("tubemq.produce")
        )
        try await producer.publish([topic])
        let tally = ProduceTally()
        let retryWindow = Duration.seconds(retrySeconds)
        let outcome = await runInterruptibly { [base, count, size, verbose, topic] () async -> ProduceOutcome in
            var progress = Progress("sent")
            defer { progress.finish() }
            func send(_ body: [UInt8]) async throws {
                var message = base
                message.body = body
                tally.sending()
                let result = try await Self.send(message, to: topic, with: producer, retryingFor: retryWindow, tally)
                tally.sent()
                if verbose {
                    printFlushed(result)
                } else {
                    progress.update(tally.count)
                }
            }
            do {
                if let count {
                    let body = [UInt8](repeating: UInt8(ascii: "x"), count: max(0, size))
                    for _ in 0..<count {
                        if Task.isCancelled { return .interrupted }
                        try await send(body)
                    }
                } else {
                    var lines = StandardInputLines()
                    while let line = lines.next() {
                        if Task.isCancelled { return .interrupted }
                        tally.readLine()
                        guard !line.isEmpty else {
                            // TubeMQ refuses an empty body; one blank line must not stop the rest.
                            tally.skipped()
                            FileHandle.standardError.write(Data("line \(tally.lineNumber) is empty: not sent\n".utf8))
                            continue
                        }
                        try await send(line)
                    }
                    if Task.isCancelled { return .interrupted }
                }
                return .done
            } catch let error as ClientError where error.code == .cancelled && Task.isCancelled {
                return .interrupted
            } catch is CancellationError {
                return .interrupted
            } catch {
                return .failed(error)
            }
        } then: {
            await producer.shutdown()
        }
        let note = tally.skippedCount > 0 ? " (\(tally.skippedCount) empty lines not sent)" : ""
        let twice =
            tally.resentCount > 0
            ? "; sent again after no answer, so possibly stored twice: \(tally.resentCount)" : ""
        switch outcome {
        case .done:
            FileHandle.standardError.write(Data("sent \(tally.count) messages to \(topic)\(note)\(twice)\n".utf8))
        case .interrupted:
            // Say where it stopped, so the rest can be sent again from there: the message in hand when
            // the signal came (being sent, or waited on between retries) was not acknowledged.
            let first = count == nil ? tally.lineNumber + (tally.isSending ? 0 : 1) : tally.count + 1
            let next = count == nil ? "lines from \(first) on" : "messages from \(first) on"
            let maybe =
                tally.isSending && tally.mayBeStoredTwice
                ? " (\(count == nil ? "line" : "message") \(first) had no answer once: it may be stored)" : ""
            FileHandle.standardError.write(
                Data(
                    "interrupted: sent \(tally.count) messages to \(topic)\(note)\(twice); \(next) were not sent\(maybe)\n"
                        .utf8
                )
            )
            throw ExitCode(130)
        case .failed(let error):
            let which = count == nil ? "line \(tally.lineNumber)" : "message \(tally.count + 1)"
            let stored: String
            switch error as? ClientError {
            case let failure? where failure.code == .timeout:
                stored = "it may have been stored (no answer in time)"
            case let failure? where failure.outcomeUnknown:
                stored = "it may have been stored (the broker may have written it before failing)"
            default:
                stored = "it was not stored"
            }
            FileHandle.standardError.write(
                Data(
                    "sent \(tally.count) messages to \(topic)\(twice), then \(which) failed: \(stored); nothing after it was sent\n"
                        .utf8
                )
            )
            throw error
        }
    }

    /// Sends `message`; while its broker does not answer or cannot be reached (a broker restarting, a
    /// stalled disk, a partition moving), tries again every second for up to `window`, saying so once.
    ///
    /// - Throws: The send's error when it is not one of those, or when `window` has passed.
    private static func send(
        _ message: Message,
        to topic: String,
        with producer: MessageSender,
        retryingFor window: Duration,
        _ tally: ProduceTally
    ) async throws -> String {
        let start = ContinuousClock.now
        var attempts = 0
        while true {
            do {
                // Interrupted while a send waits for its answer (a frozen broker): the producer's
                // shutdown starts at once and ends the wait within its leave timeout.
                return try await withTaskCancellationHandler {
                    try await producer.send(message, to: topic)
                } onCancel: {
                    Task { await producer.shutdown() }
                }
            } catch let error as ClientError where Task.isCancelled {
                // Interrupted: the message in hand was not acknowledged (the summary says where to go on).
                if error.code == .timeout || error.outcomeUnknown { tally.mayBeTwice() }
                throw CancellationError()
            } catch let error as ClientError where error.isTransient && (error.code != .noPartition || tally.count > 0)
            {
                if error.code == .timeout || error.outcomeUnknown { tally.mayBeTwice() }
                // No partition before anything was sent is a topic that does not exist (or is not
                // deployed), not a broker coming back: say so at once.
                guard ContinuousClock.now - start < window else { throw error }
                attempts += 1
                if attempts == 1 {
                    FileHandle.standardError.write(
                        Data("\(error): retrying for up to \(window.components.seconds) s\n".utf8)
                    )
                }
                try await Task.sleep(for: .seconds(1))
            }
        }
    }
}

/// How a `produce` run ended.
enum ProduceOutcome: Sendable {
    case done
    case interrupted
    case failed(any Error)
}

/// What `produce` has done so far, shared between its send loop and the summary printed after it.
final class ProduceTally: Sendable {
    private struct Counts {
        var sent = 0
        var lineNumber = 0  // of stdin, empty lines included
        var skipped = 0
        var resent = 0
        var pendingResend = false
        var sending = false
    }

    private let counts = Mutex(Counts())

    /// Messages acknowledged.
    var count: Int { counts.withLock { $0.sent } }
    /// The stdin line read last (empty lines included).
    var lineNumber: Int { counts.withLock { $0.lineNumber } }
    /// Empty stdin lines not sent.
    var skippedCount: Int { counts.withLock { $0.skipped } }
    /// Messages sent again after a send with no answer: the topic may hold them twice.
    var resentCount: Int { counts.withLock { $0.resent } }

    /// Whether a message is in hand: being sent, or waited on between its retries.
    var isSending: Bool { counts.withLock { $0.sending } }
    /// Whether the message in hand had no answer once (it may be stored).
    var mayBeStoredTwice: Bool { counts.withLock { $0.pendingResend } }

    /// A message is in hand.
    func sending() { counts.withLock { $0.sending = true } }

    /// One more message acknowledged.
    func sent() {
        counts.withLock {
            $0.sent += 1
            if $0.pendingResend { $0.resent += 1 }
            $0.pendingResend = false
            $0.sending = false
        }
    }

    /// One more stdin line read.
    func readLine() { counts.withLock { $0.lineNumber += 1 } }

    /// One more empty line skipped.
    func skipped() { counts.withLock { $0.skipped += 1 } }

    /// The message in hand had no answer once: if it is acknowledged now, it may be stored twice.
    func mayBeTwice() { counts.withLock { $0.pendingResend = true } }
}
