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
        _ request: GetMessageRequestC2B,
        host: String,
        port: Int,
        timeout: TimeAmount
    ) async throws(RPCError) -> GetMessageReply {
        let method = RPCMethod.getMessages
        let data = try await call(
            method,
            encodedRequest: try RPCClient.encode(request, for: method),
            host: host,
            port: port,
            timeout: timeout
        )
        do {
            return try GetMessageReply(decoding: data)
        } catch {
            throw RPCError(.badResponse, "undecodable \(method) reply from \(host):\(port)", underlying: error)
        }
    }
}
