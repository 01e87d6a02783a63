import Synchronization
import TubeMQClient

/// The messages of one case that a push consumer received, in arrival order.
///
/// Filled by a background loop over the consumer (started with ``CaseContext/collect(_:scopes:)``);
/// messages of other cases and runs are skipped. The loop ends when the case ends or the consumer is
/// shut down.
final class Inbox: Sendable {
    private struct State {
        var messages: [ConsumedMessage] = []
        var failure: String?
        var ended = false
    }

    private let state = Mutex(State())

    /// Everything received so far.
    var messages: [ConsumedMessage] { state.withLock { $0.messages } }

    /// Why the consumer loop ended with an error, if it did.
    var failure: String? { state.withLock { $0.failure } }

    fileprivate func append(_ message: ConsumedMessage) { state.withLock { $0.messages.append(message) } }

    fileprivate func end(failure: String?) {
        state.withLock { state in
            state.ended = true
            if state.failure == nil { state.failure = failure }
        }
    }

    /// Waits until `condition` holds for the messages received.
    ///
    /// - Throws: ``ConformanceError`` `violation` naming `what` (with a count of what arrived) on timeout,
    ///   or `clientFailure` when the consumer failed.
    func wait(
        _ what: String,
        in context: CaseContext,
        within limit: Duration? = nil,
        until condition: @escaping ([ConsumedMessage]) -> Bool
    ) async throws(ConformanceError) {
        do throws(ConformanceError) {
            try await context.eventually(what, within: limit, every: .milliseconds(20)) { () throws(ConformanceError) in
                let (messages, failure) = state.withLock { ($0.messages, $0.failure) }
                if condition(messages) { return true }
                if let failure { throw ConformanceError(.clientFailure, "the consumer failed: \(failure)") }
                return false
            }
        } catch  where error.code == .violation {
            throw .violation("\(error.message) (\(messages.count) messages of the case arrived)")
        }
    }
}

extension CaseContext {
    /// Starts receiving from `consumer` into a new ``Inbox``, keeping messages of this case and run whose
    /// scope is one of `scopes` (the case itself when `nil`).
    func collect(_ consumer: PushConsumer, scopes: Set<String?> = [nil]) -> Inbox {
        let inbox = Inbox()
        let wanted = Set(scopes.map { scope in tag(0, scope: scope).scope })
        let run = settings.runID
        background {
            do {
                for try await message in consumer {
                    guard let tag = message.tag, tag.run == run, wanted.contains(tag.scope) else { continue }
                    inbox.append(message)
                }
                inbox.end(failure: nil)
            } catch {
                inbox.end(failure: "\(error)")
            }
        }
        return inbox
    }
}
