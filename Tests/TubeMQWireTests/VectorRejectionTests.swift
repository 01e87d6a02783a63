import NIOCore
import Testing
import TubeMQTestKit

@testable import TubeMQWire

/// Every request the real server refused is refused by ``IncomingCall/accept(_:servedTypes:)`` with
/// the same status, exception name and text; every request it served is accepted.
@Suite struct VectorRejectionTests {
    @Test(arguments: Vectors.files)
    func sameVerdictAsTheRealServer(file: String) throws {
        let vectors = Vectors.load(file)
        var responses: [String: VectorFrame] = [:]
        for vector in vectors where !vector.isRequest {
            responses["\(vector.conn)/\(vector.serial)"] = vector
        }
        for request in vectors where request.isRequest {
            guard let response = responses["\(request.conn)/\(request.serial)"] else { continue }
            var buffer = request.buffer
            var decoder = FrameDecoder()
            let frame = try #require(try decoder.next(from: &buffer))
            let served: Set<ServiceType> = request.peer == "master" ? [.master] : [.brokerRead, .brokerWrite]
            switch IncomingCall.accept(frame, servedTypes: served) {
            case .success(let call):
                #expect(
                    response.status == "SUCCESS",
                    "\(request) accepted but the server answered \(response.status ?? "?")"
                )
                #expect(call.method.id == request.method)
                #expect(call.serialNumber == request.serial)
            case .failure(let rejection):
                #expect(response.status != "SUCCESS", "\(request) rejected: \(rejection.exception)")
                let status = rejection.exception.status == .fatal ? "FATAL" : "ERROR"
                #expect(status == response.status, "\(request)")
                #expect(rejection.exception.exceptionName == response.fields["exceptionName"] as? String, "\(request)")
                #expect(rejection.exception.message == response.fields["stackTrace"] as? String, "\(request)")
            }
        }
    }
}
