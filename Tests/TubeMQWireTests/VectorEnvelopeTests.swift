import Foundation
import NIOCore
import SwiftProtobuf
import Testing
import TubeMQTestKit

@testable import TubeMQWire

/// Envelopes and method messages of every recorded frame decode to the recorded fields.
@Suite struct VectorEnvelopeTests {
    @Test(arguments: Vectors.files)
    func envelopesMatchTheRecording(file: String) throws {
        for vector in Vectors.load(file) where !vector.hasDecodeError {
            var buffer = vector.buffer
            var decoder = FrameDecoder()
            let frame = try #require(try decoder.next(from: &buffer))
            if vector.isRequest {
                let envelope = try RequestEnvelope(decoding: frame.payload)
                #expect(envelope.method == vector.method, "\(vector)")
                #expect(envelope.serviceType == vector.serviceType, "\(vector)")
                #expect(envelope.protocolVersion == vector.protocolVersion, "\(vector)")
                #expect(envelope.flag == vector.flag, "\(vector)")
                #expect(envelope.timeout == vector.timeout, "\(vector)")
                if vector.trailingHex == nil {
                    // Our encoder writes the same bytes the clients did.
                    #expect(
                        Array(envelope.encoded.readableBytesView) == Array(frame.payload.readableBytesView),
                        "\(vector)"
                    )
                }
            } else {
                let envelope = try ResponseEnvelope(decoding: frame.payload)
                switch envelope {
                case .success(let method, _):
                    #expect(vector.status == "SUCCESS", "\(vector)")
                    #expect(method == vector.method, "\(vector)")
                case .exception(let exception):
                    #expect(vector.status == (exception.status == .fatal ? "FATAL" : "ERROR"), "\(vector)")
                    #expect(exception.exceptionName == vector.fields["exceptionName"] as? String, "\(vector)")
                    #expect(exception.message == vector.fields["stackTrace"] as? String, "\(vector)")
                }
                // Re-encoding gives the server's exact bytes (protocolVer 3 on SUCCESS/ERROR, none on FATAL).
                let again = envelope.encoded(clientProtocolVersion: 3)
                #expect(Array(again.readableBytesView) == Array(frame.payload.readableBytesView), "\(vector)")
            }
        }
    }

    @Test(arguments: Vectors.files)
    func methodMessagesMatchTheRecordedFields(file: String) throws {
        var compared = 0
        for vector in Vectors.load(file) where !vector.hasDecodeError {
            guard let name = vector.messageName, name != "RspExceptionBody", let json = vector.fieldsJSON,
                let methodID = vector.method, let method = RPCMethod.withID(methodID)
            else { continue }
            var buffer = vector.buffer
            var decoder = FrameDecoder()
            let frame = try #require(try decoder.next(from: &buffer))
            let bytes: ByteBuffer
            let type: any SwiftProtobuf.Message.Type
            if vector.isRequest {
                bytes = try RequestEnvelope(decoding: frame.payload).request ?? ByteBuffer()
                type = method.requestType
            } else {
                guard case .success(_, let data) = try ResponseEnvelope(decoding: frame.payload) else {
                    Issue.record("expected a success body in \(vector)")
                    continue
                }
                bytes = data
                type = method.responseType
            }
            #expect(type.protoMessageName == name, "\(vector)")
            let decoded = try type.init(serializedBytes: Array(bytes.readableBytesView))
            let expected = try type.init(jsonString: json)
            #expect(decoded.isEqualTo(message: expected), "\(vector): decoded \(decoded) expected \(expected)")
            // Re-encoding gives the same bytes: fields in number order, as protobuf-java writes them.
            let again: [UInt8] = try decoded.serializedBytes()
            #expect(again == Array(bytes.readableBytesView), "\(vector)")
            compared += 1
        }
        #expect(compared > 0 || file.hasPrefix("probe-missing") || file.hasPrefix("probe-unknown"), "\(file)")
    }
}
