public import NIOCore

/// The envelope of a response: `RpcConnHeader{flag=1}` · `ResponseHeader` · a body.
///
/// SUCCESS carries `RspResponseBody{method, data}` and `protocolVer` 3; ERROR carries
/// `RspExceptionBody` and `protocolVer` 3; FATAL carries `RspExceptionBody` and no `protocolVer`,
/// exactly as the Java server answers.
public enum ResponseEnvelope: Sendable, Equatable {
    /// A handled call: the method id echoed and the serialized response message.
    case success(method: Int32, data: ByteBuffer)
    /// A failed call.
    case exception(RemoteException)

    /// Decodes the envelope carried by a response frame.
    ///
    /// - Throws: ``EnvelopeError`` when it is malformed.
    public init(decoding payload: ByteBuffer) throws(EnvelopeError) {
        var reader = EnvelopeReader(buffer: payload)
        _ = try reader.next("RpcConnHeader", required: [(1, "flag")])
        let header = try reader.next("ResponseHeader", required: [(1, "status")])
        switch header.int32(1) ?? 0 {
        case 0:
            let body = try reader.next("RspResponseBody", required: [(1, "method"), (2, "data")])
            self = .success(method: body.int32(1) ?? 0, data: body.slice(2) ?? ByteBuffer())
        case let raw:
            let body = try reader.next("RspExceptionBody", required: [(1, "exceptionName")])
            self = .exception(
                RemoteException(
                    status: raw == 1 ? .error : .fatal,
                    exceptionName: body.string(1) ?? "",
                    message: body.string(2) ?? ""
                )
            )
        }
    }

    /// Appends the envelope bytes to `buffer`; exception names are written for a client of `protocolVersion`.
    public func encode(into buffer: inout ByteBuffer, clientProtocolVersion: Int32? = nil) {
        switch self {
        case .success(let method, let data):
            data.withUnsafeReadableBytes { Self.encodeSuccess(method: method, data: $0, into: &buffer) }
        case .exception(let exception):
            // RpcConnHeader{flag = 1}
            buffer.writeInteger(UInt8(2))
            buffer.writeInteger(UInt16(0x0801))
            switch exception.status {
            case .error:
                buffer.writeInteger(UInt8(4))
                buffer.writeInteger(UInt32(0x0801_1803))
            case .fatal:
                buffer.writeInteger(UInt8(2))
                buffer.writeInteger(UInt16(0x0802))
            }
            let name = exception.exceptionName(forProtocolVersion: clientProtocolVersion)
            buffer.writeDelimited { body in
                body.writeInteger(UInt8(0x0A))
                body.writeProtobufVarint(UInt64(name.utf8.count))
                body.writeString(name)
                body.writeInteger(UInt8(0x12))
                body.writeProtobufVarint(UInt64(exception.message.utf8.count))
                body.writeString(exception.message)
            }
        }
    }

    /// Appends a whole SUCCESS envelope (connection header, response header, body) for the response
    /// message bytes `data`, without first building a ``ByteBuffer`` of them.
    public static func encodeSuccess(method: Int32, data: UnsafeRawBufferPointer, into buffer: inout ByteBuffer) {
        writeSuccessHeaders(method: method, dataLength: data.count, into: &buffer)
        buffer.writeBytes(data)
    }

    /// Writes a SUCCESS envelope up to the response message bytes, which must follow, `dataLength` of them.
    static func writeSuccessHeaders(method: Int32, dataLength: Int, into buffer: inout ByteBuffer) {
        // At most 3 + 5 + 10 + 1 + 10 + 1 + 10 bytes: one capacity check, then plain stores.
        buffer.writeRaw(reserving: 40) { writer in
            // RpcConnHeader{flag = 1}
            writer.byte(2)
            writer.byte(0x08)
            writer.byte(0x01)
            // ResponseHeader{status = SUCCESS, protocolVer = 3}
            writer.byte(4)
            writer.uint32(0x0800_1803)
            let methodSize = protobufVarintSize(UInt64(bitPattern: Int64(method)))
            let bodyLength = 1 + methodSize + 1 + protobufVarintSize(UInt64(dataLength)) + dataLength
            writer.varint(UInt64(bodyLength))
            writer.byte(0x08)
            writer.varint(signed: Int64(method))
            writer.byte(0x12)
            writer.varint(UInt64(dataLength))
        }
    }

    /// The envelope as a frame payload.
    public func encoded(clientProtocolVersion: Int32? = nil) -> ByteBuffer {
        var buffer = ByteBuffer()
        encode(into: &buffer, clientProtocolVersion: clientProtocolVersion)
        return buffer
    }
}
