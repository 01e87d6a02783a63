import NIOCore
import Testing
import TubeMQWire

/// Refusals the original server was seen to give, with the exact exception and text.
@Suite struct JavaTextTests {
    static func accept(_ payload: [UInt8]) -> IncomingCall.Rejection? {
        let frame = Frame(serialNumber: 7, payload: ByteBuffer(bytes: payload))
        guard case .failure(let rejection) = IncomingCall.accept(frame, servedTypes: [.master]) else { return nil }
        return rejection
    }

    /// A required field sent with another wire type is an unknown field to protobuf-java: it counts as missing.
    @Test func aRequiredFieldOfTheWrongWireTypeIsMissing() throws {
        let request: [UInt8] = [
            0x0A, 0x01, 0x63,  // 1 clientId: "c"
            0x1A, 0x01, 0x35,  // 3 brokerCheckSum (an int64) as a string
            0x20, 0x01,  // 4 hostName (a string) as a varint
        ]
        let envelope = RequestEnvelope(serviceType: 1, method: 1, timeout: 10_000, request: ByteBuffer(bytes: request))
        let rejection = try #require(Self.accept(Array(envelope.encoded.readableBytesView)))
        #expect(rejection.exception.status == .fatal)
        #expect(rejection.exception.exceptionName == "com.google.protobuf.InvalidProtocolBufferException")
        #expect(
            rejection.exception.message
                == "IPC server handle request error :Message missing required fields: brokerCheckSum, hostName"
        )
    }

    /// The Java server reads the `RequestBody` length itself: cut off, it is a `java.io.EOFException` with no message.
    @Test func aCutOffRequestBodyLengthIsAnEndOfStream() throws {
        let payload: [UInt8] = [
            0x02, 0x08, 0x00,  // RpcConnHeader: flag 0
            0x04, 0x08, 0x01, 0x10, 0x03,  // RequestHeader: serviceType 1, protocolVer 3
            0x80,  // RequestBody length, its continuation bit set and nothing after
        ]
        let rejection = try #require(Self.accept(payload))
        #expect(rejection.exception.status == .fatal)
        #expect(rejection.exception.exceptionName == "java.io.EOFException")
        #expect(rejection.exception.message == "IPC server unable to read call parameters:null")
    }

    /// A request of nothing but nested group starts (70,000 of them overflowed the server's stack and
    /// killed it) is refused with protobuf-java's recursion-limit text; 50 levels are still read.
    @Test(arguments: [50, 101, 200_000])
    func groupsNestBoundedlyDeep(depth: Int) throws {
        var request: [UInt8] = [0x0A, 0x01, 0x63]  // 1 clientId: "c"
        request += Array(repeating: [0x9B, 0x06], count: depth).flatMap { $0 }  // field 99, start group
        request += Array(repeating: [0x9C, 0x06], count: depth).flatMap { $0 }  // field 99, end group
        let envelope = RequestEnvelope(serviceType: 1, method: 1, timeout: 10_000, request: ByteBuffer(bytes: request))
        let rejection = try #require(Self.accept(Array(envelope.encoded.readableBytesView)))
        #expect(rejection.exception.exceptionName == "com.google.protobuf.InvalidProtocolBufferException")
        if depth <= 100 {
            #expect(rejection.exception.message.contains("Message missing required fields"), "read through")
        } else {
            #expect(rejection.exception.message.contains("too many levels of nesting"), "\(rejection.exception)")
        }
        // The hand-written decoders (here a fetch reply's) bound the nesting too.
        var reply: [UInt8] = [0x08, 0x01, 0x10, 0xC8, 0x01]  // 1 success: true, 2 errCode: 200
        reply += Array(repeating: [0x9B, 0x06], count: depth).flatMap { $0 }
        reply += Array(repeating: [0x9C, 0x06], count: depth).flatMap { $0 }
        let decoded = Result { () throws(ProtoDecodingError) in try GetMessageReply(decoding: ByteBuffer(bytes: reply))
        }
        if depth <= 100 {
            #expect((try? decoded.get())?.success == true)
        } else {
            #expect(throws: ProtoDecodingError.self) { try decoded.get() }
        }
    }

    /// A cut-off header length stays protobuf-java's truncation.
    @Test func aCutOffHeaderLengthIsStillATruncation() throws {
        let rejection = try #require(Self.accept([0x02, 0x08, 0x00, 0x80]))
        #expect(rejection.exception.exceptionName == "com.google.protobuf.InvalidProtocolBufferException")
        #expect(rejection.exception.message.hasPrefix("IPC server unable to read call parameters:While parsing"))
    }
}
