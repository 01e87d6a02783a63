import Logging
import NIOCore
import SwiftProtobuf
import TubeMQWire

/// Encodes the replies of several calls, framed, one after the other into one buffer, so that they
/// leave in one write.
struct ReplyEncoder {
    /// The framed replies.
    private(set) var output = ByteBuffer()
    private var envelope = ByteBuffer()
    private let maxPayload: Int
    private let logger: Logger

    init(maxPayload: Int, logger: Logger) {
        self.maxPayload = maxPayload
        self.logger = logger
    }

    /// Appends the framed reply to `call`: its response, or the exception its error maps to.
    mutating func append(_ outcome: RPCOutcome, for call: IncomingCall) {
        envelope.clear()
        do {
            let response = try outcome.get()
            if let direct = Self.directlyEncodable(response) {
                let size = direct.directlyEncodedSize
                guard size < maxPayload - 64 else {
                    throw RemoteException.handlerFailed("response of \(size) bytes exceeds the frame limit")
                }
                ResponseEnvelope.encodeSuccess(method: call.method.id, message: direct, into: &envelope)
                RPCServerHandler.frame(serialNumber: call.serialNumber, payload: envelope, into: &output)
                return
            }
            let bytes: [UInt8] = try response.serializedBytes()
            guard bytes.count < maxPayload - 64 else {
                throw RemoteException.handlerFailed("response of \(bytes.count) bytes exceeds the frame limit")
            }
            bytes.withUnsafeBytes { ResponseEnvelope.encodeSuccess(method: call.method.id, data: $0, into: &envelope) }
        } catch {
            let exception: RemoteException
            if let remote = error as? RemoteException {
                exception = remote
            } else {
                logger.warning(
                    "handler failed",
                    metadata: ["tubemq.method": "\(call.method)", "tubemq.error": "\(error)"]
                )
                exception = .handlerFailed("\(error)")
            }
            ResponseEnvelope.exception(exception).encode(
                into: &envelope,
                clientProtocolVersion: call.envelope.protocolVersion
            )
        }
        RPCServerHandler.frame(serialNumber: call.serialNumber, payload: envelope, into: &output)
    }

    /// `response` as a directly encodable message, when it is one. The hot replies (a send's, and
    /// the pre-encoded ones such as a fetch's) are tried by their concrete types first: that costs
    /// a type comparison, where `as? any DirectlyEncodable` costs a conformance lookup per reply.
    static func directlyEncodable(_ response: any SwiftProtobuf.Message) -> (any DirectlyEncodable)? {
        if let reply = response as? SendMessageResponseB2P { return reply }
        if let reply = response as? EncodedMessage { return reply }
        return response as? any DirectlyEncodable
    }
}
