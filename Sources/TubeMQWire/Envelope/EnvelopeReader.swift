public import NIOCore

/// Reads the length-delimited protobuf messages of an RPC envelope, field by field, without copying.
struct EnvelopeReader {
    /// The decoded top-level fields of one envelope message.
    struct Fields {
        let bytes: ByteBuffer
        let occurrences: [ProtoWireScanner.Occurrence]

        /// The last value of varint field `number` (protobuf keeps the last one), truncated as Java's `(int)` cast.
        func int32(_ number: Int) -> Int32? {
            occurrences.last(where: { $0.number == number })?.varint.map { Int32(truncatingIfNeeded: $0) }
        }

        /// The last value of varint field `number` as a signed 64-bit integer.
        func int64(_ number: Int) -> Int64? {
            occurrences.last(where: { $0.number == number })?.varint.map { Int64(bitPattern: $0) }
        }

        /// The content of the last length-delimited field `number`, as a slice of the frame.
        func slice(_ number: Int) -> ByteBuffer? {
            guard let range = occurrences.last(where: { $0.number == number })?.content else { return nil }
            return bytes.getSlice(at: bytes.readerIndex + range.lowerBound, length: range.count)
        }

        /// The UTF-8 string in field `number`.
        func string(_ number: Int) -> String? {
            slice(number).map { String(buffer: $0) }
        }
    }

    var buffer: ByteBuffer

    /// Reads the next delimited message and returns its fields.
    ///
    /// - Parameter cutLength: what a length varint cut off by the end of the envelope throws; protobuf-java's
    ///   truncation text unless given (the Java server reads the `RequestBody` length itself and reports
    ///   ``EnvelopeError/endOfStream``).
    /// - Throws: ``EnvelopeError`` with protobuf-java's text when the length or the message is malformed,
    ///   or when `required` names fields the message lacks (a field of another wire type counts as missing).
    mutating func next(
        _ messageName: String,
        required: [(Int, String)],
        cutLength: EnvelopeError = EnvelopeError(javaText: ProtoWireScanner.truncated)
    ) throws(EnvelopeError) -> Fields {
        guard buffer.readableBytes > 0 else { throw EnvelopeError(javaText: ProtoWireScanner.truncated) }
        guard let length = buffer.readProtobufVarint() else {
            guard buffer.readableBytes < 10 else { throw EnvelopeError(javaText: ProtoWireScanner.malformedVarint) }
            throw cutLength
        }
        guard length <= UInt64(Int32.max) else { throw EnvelopeError(javaText: ProtoWireScanner.negativeSize) }
        guard let slice = buffer.readSlice(length: Int(length)) else {
            throw EnvelopeError(javaText: ProtoWireScanner.truncated)
        }
        let scanned = slice.withUnsafeReadableBytes { ProtoWireScanner.scan($0) }
        switch scanned {
        case .failure(let problem):
            throw EnvelopeError(javaText: problem.text)
        case .success(let occurrences):
            // A field of another wire type than declared is an unknown field to protobuf-java.
            let declared = ProtoSchema.messages[messageName] ?? []
            let missing = required.filter { field in
                let wireType = declared.first { $0.number == field.0 }?.wireType
                return !occurrences.contains(where: { $0.number == field.0 && (wireType ?? $0.wireType) == $0.wireType }
                )
            }
            guard missing.isEmpty else {
                throw EnvelopeError(
                    javaText: "Message missing required fields: " + missing.map(\.1).joined(separator: ", ")
                )
            }
            return Fields(bytes: slice, occurrences: occurrences)
        }
    }
}

extension ByteBuffer {
    /// Writes one length-delimited envelope message whose body `write` produces.
    @inlinable
    mutating func writeDelimited(_ write: (inout ByteBuffer) -> Void) {
        var body = ByteBuffer()
        write(&body)
        writeProtobufVarint(UInt64(body.readableBytes))
        writeImmutableBuffer(body)
    }
}
