import SwiftProtobuf
import TubeMQMasterState
import TubeMQWire

/// A master reply with the three required result fields `success`, `errCode` and `errMsg`.
protocol ResultReply: SwiftProtobuf.Message {
    var success: Bool { get set }
    var errCode: Int32 { get set }
    var errMsg: String { get set }
}

extension ResultReply {
    /// A reply with `success = true`, `errCode = 200`, `errMsg = "OK!"`.
    static func ok() -> Self {
        var reply = Self()
        reply.success = true
        reply.errCode = ErrorCode.success.rawValue
        reply.errMsg = ReplyText.ok
        return reply
    }

    /// A reply with `success = false` and `error`'s code and text.
    static func failure(_ error: MasterError) -> Self {
        var reply = Self()
        reply.success = false
        reply.errCode = error.code.rawValue
        reply.errMsg = error.message
        return reply
    }
}

extension RegisterResponseM2P: ResultReply {}
extension HeartResponseM2P: ResultReply {}
extension CloseResponseM2P: ResultReply {}
extension RegisterResponseM2C: ResultReply {}
extension HeartResponseM2C: ResultReply {}
extension CloseResponseM2C: ResultReply {}
extension RegisterResponseM2B: ResultReply {}
extension HeartResponseM2B: ResultReply {}
extension CloseResponseM2B: ResultReply {}
