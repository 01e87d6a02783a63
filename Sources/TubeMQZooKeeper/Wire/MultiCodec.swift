import NIOCore

/// The multi (opcode 14) request and response records: `(MultiHeader, record)*` then a terminator
/// `MultiHeader {type -1, done true, err -1}`.
enum MultiCodec {
    /// The outcome of one op as the server reported it.
    enum OpOutcome: Sendable, Equatable {
        case success(MultiResult)
        case failure(Int32)
    }

    /// The request body for `operations` (paths already carry the chroot).
    static func encode(_ operations: [MultiOperation]) -> ByteBuffer {
        var body = ByteBuffer()
        for operation in operations {
            switch operation {
            case .create(let path, let data, let mode, let acl):
                writeHeader(into: &body, type: mode.opCode.rawValue, done: false)
                RequestFrame.writeCreate(into: &body, path, data: data, acl: acl, flags: mode.flags)
            case .delete(let path, let version):
                writeHeader(into: &body, type: OpCode.delete.rawValue, done: false)
                body.writeJuteString(path)
                body.writeJuteInt(version)
            case .setData(let path, let data, let version):
                writeHeader(into: &body, type: OpCode.setData.rawValue, done: false)
                body.writeJuteString(path)
                body.writeJuteBuffer(data)
                body.writeJuteInt(version)
            case .check(let path, let version):
                writeHeader(into: &body, type: OpCode.check.rawValue, done: false)
                body.writeJuteString(path)
                body.writeJuteInt(version)
            }
        }
        writeHeader(into: &body, type: -1, done: true)
        return body
    }

    private static func writeHeader(into body: inout ByteBuffer, type: Int32, done: Bool) {
        body.writeJuteInt(type)
        body.writeJuteBool(done)
        body.writeJuteInt(-1)
    }

    /// Decodes the response body into one outcome per op, in order.
    static func decode(_ body: inout ByteBuffer) throws(JuteDecodingError) -> [OpOutcome] {
        var outcomes: [OpOutcome] = []
        while true {
            let type = try body.readJuteInt("MultiHeader")
            let done = try body.readJuteBool("MultiHeader")
            let headerErr = try body.readJuteInt("MultiHeader")
            if done { return outcomes }
            switch type {
            case OpCode.create.rawValue:
                outcomes.append(.success(.created(path: try body.readJuteString("multi create result"))))
            case OpCode.create2.rawValue, OpCode.createContainer.rawValue:
                let path = try body.readJuteString("multi create2 result")
                _ = try body.readStat()
                outcomes.append(.success(.created(path: path)))
            case OpCode.delete.rawValue:
                outcomes.append(.success(.deleted))
            case OpCode.check.rawValue:
                outcomes.append(.success(.checked))
            case OpCode.setData.rawValue:
                outcomes.append(.success(.dataSet(try body.readStat())))
            case OpCode.error.rawValue:
                // The ErrorResponse record repeats the header's err.
                let err = body.readableBytes >= 4 ? try body.readJuteInt("multi error result") : headerErr
                outcomes.append(.failure(err))
            default:
                throw JuteDecodingError(what: "multi result of type \(type)")
            }
        }
    }
}
