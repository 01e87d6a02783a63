import Metrics
import TubeMQRPC
public import TubeMQStorage
import TubeMQWire

extension BrokerMetrics {
    /// Records one completed flush job: its latency, and the bytes and messages it wrote.
    public func recordFlush(_ observation: FlushObservation) {
        if timesService.load(ordering: .relaxed) {
            let nanoseconds = observation.duration.nanoseconds
            flushLatency.recordNanoseconds(nanoseconds)
            stats.withLock { $0.fileSync.record(nanoseconds / 1_000_000) }
        }
        guard observation.messages > 0 else { return }
        topic(observation.topic).recordFlushed(messages: observation.messages, bytes: observation.bytes)
    }

    /// Records one storage append call that took `duration` (unless `serviceStatus` is off).
    func recordAppend(_ duration: Duration) {
        guard timesService.load(ordering: .relaxed) else { return }
        let nanoseconds = duration.nanoseconds
        appendLatency.recordNanoseconds(nanoseconds)
        stats.withLock { $0.append.record(nanoseconds / 1_000_000) }
    }

    /// Counts the replies of a batch of sends: one increment per distinct errCode.
    func countSendReplies(_ replies: [SendMessageResponseB2P]) {
        var successes = 0
        for reply in replies {
            if reply.errCode == ErrorCode.success.rawValue {
                successes += 1
            } else {
                countReplies(method: RPCMethod.sendMessage.id, errCode: reply.errCode)
            }
        }
        if successes > 0 {
            countReplies(method: RPCMethod.sendMessage.id, errCode: ErrorCode.success.rawValue, count: successes)
        }
    }

    /// Counts one reply of any method: its errCode, 200 for a hand-encoded success, and `-1` for a
    /// call that ended in an exception.
    func countReply(method: Int32, outcome: RPCOutcome) {
        switch outcome {
        case .success(let reply):
            let code = (reply as? any ReplyErrorCode)?.errCode ?? ErrorCode.success.rawValue
            countReplies(method: method, errCode: code)
        case .failure:
            countReplies(method: method, errCode: -1)
        }
    }
}

extension Duration {
    /// The duration in whole nanoseconds.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
