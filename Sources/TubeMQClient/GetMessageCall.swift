import NIOCore
import SwiftProtobuf
import TubeMQRPC
import TubeMQWire

extension RPCClient {
    /// Calls method 17 and decodes the reply by hand (``GetMessageReply``): no `TransferedMessage`
    /// and no `Data` per message, the payloads stay in the reply's buffer.
    ///
    /// - Throws: ``RPCError`` as ``RPCClient/call(_:_:host:port:serviceType:timeout:as:)`` does.
    func getMessages(
        _ request: GetMessageRequestC2B, host: String, port: Int, timeout: TimeAmount
    ) async throws(RPCError) -> GetMessageReply {
        let method = RPCMethod.getMessages
        let bytes: [UInt8]
        do {
            bytes = try request.serializedBytes()
        } catch {
            throw RPCError(.badRequest, "cannot encode \(method) request", underlying: error)
        }
        let envelope = try await raw(
            method: method.id, request: ByteBuffer(bytes: bytes), host: host, port: port,
            serviceType: method.service, timeout: timeout)
        switch envelope {
        case .exception(let exception):
            throw RPCError(.remoteException, "\(method) failed at \(host):\(port)", remote: exception)
        case .success(let replyMethod, let data):
            guard replyMethod == method.id else {
                throw RPCError(.badResponse, "\(method) answered by method \(replyMethod) at \(host):\(port)")
            }
            do {
                return try GetMessageReply(decoding: data)
            } catch {
                throw RPCError(.badResponse, "undecodable \(method) reply from \(host):\(port)", underlying: error)
            }
        }
    }
}
