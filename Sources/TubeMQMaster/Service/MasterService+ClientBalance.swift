import Logging
import SwiftProtobuf
import TubeMQRPC
import TubeMQWire

/// Methods 20–22, the client-balance ("V2") consumer protocol of the Java `SimpleClientBalanceConsumer`.
///
/// Not supported: ``TubeMQMasterState`` does not model client-balanced groups. Rather than leave the
/// methods silently unimplemented, the master answers each with a normal reply carrying
/// `errCode 500` and a text saying so, with every required field set (these replies have no
/// `success` field; observation 27).
enum ClientBalanceReplies {
    /// The error code of the reply.
    static let errCode = ErrorCode.internalServerError.rawValue

    /// The text of the reply.
    static func text(_ method: RPCMethod) -> String {
        "Client-balance consumption (\(method.name)) is not supported by this master,"
            + " use a server-balanced consumer!"
    }

    /// The "not supported" reply of `method` (20, 21 or 22).
    static func notSupported(_ method: RPCMethod, context: RPCCallContext) -> any SwiftProtobuf.Message {
        context.logger.info("client-balance method not supported", metadata: ["tubemq.method": "\(method)"])
        switch method.id {
        case RPCMethod.consumerRegisterV2.id:
            var reply = RegisterResponseM2CV2()
            reply.errCode = errCode
            reply.errMsg = text(method)
            return reply
        case RPCMethod.consumerHeartbeatV2.id:
            var reply = HeartResponseM2CV2()
            reply.errCode = errCode
            reply.errMsg = text(method)
            return reply
        default:
            var reply = GetPartMetaResponseM2C()
            reply.errCode = errCode
            reply.errMsg = text(method)
            return reply
        }
    }
}
