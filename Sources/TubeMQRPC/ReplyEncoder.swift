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
            if let direct = response as? any DirectlyEncodable {
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
}
