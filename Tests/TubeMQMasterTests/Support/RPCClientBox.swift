import SwiftProtobuf
import TubeMQRPC
import TubeMQWire

/// An RPC client bound to 127.0.0.1, for tests that run a ``TubeMQMaster/MasterServer`` without a
/// ``TestMaster``.
struct TubeMQRPCClientBox {
    let client = RPCClient()

    func call<Response: SwiftProtobuf.Message>(
        _ method: RPCMethod,
        _ request: some SwiftProtobuf.Message,
        port: Int,
        as type: Response.Type = Response.self
    ) async throws -> Response {
        try await client.call(method, request, host: "127.0.0.1", port: port, as: type)
    }

    func shutdown() async { await client.shutdown() }
}
