import NIOCore

/// Builds outbound request frames: length prefix, RequestHeader `{xid, type}`, then the op's record.
enum RequestFrame {
    /// The whole frame for a request whose record is already encoded in `body`.
    static func encode(xid: Int32, opCode: OpCode, body: ByteBuffer) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(12 + body.readableBytes)
        buffer.writeInteger(Int32(8 + body.readableBytes))
        buffer.writeJuteInt(xid)
        buffer.writeJuteInt(opCode.rawValue)
        var body = body
        buffer.writeBuffer(&body)
        return buffer
    }

    /// `path, watch`: exists, getData, getChildren, getChildren2.
    static func pathAndWatch(_ path: String, watch: Bool) -> ByteBuffer {
        var body = ByteBuffer()
        body.writeJuteString(path)
        body.writeJuteBool(watch)
        return body
    }

    /// `path, data, acl, flags`: create, create2, createContainer.
    static func create(_ path: String, data: [UInt8], acl: [ACL], flags: Int32) -> ByteBuffer {
        var body = ByteBuffer()
        writeCreate(into: &body, path, data: data, acl: acl, flags: flags)
        return body
    }

    static func writeCreate(into body: inout ByteBuffer, _ path: String, data: [UInt8], acl: [ACL], flags: Int32) {
        body.writeJuteString(path)
        body.writeJuteBuffer(data)
        body.writeACLs(acl)
        body.writeJuteInt(flags)
    }

    /// `path, version`: delete, check.
    static func pathAndVersion(_ path: String, version: Int32) -> ByteBuffer {
        var body = ByteBuffer()
        body.writeJuteString(path)
        body.writeJuteInt(version)
        return body
    }

    /// `path, data, version`: setData.
    static func setData(_ path: String, data: [UInt8], version: Int32) -> ByteBuffer {
        var body = ByteBuffer()
        body.writeJuteString(path)
        body.writeJuteBuffer(data)
        body.writeJuteInt(version)
        return body
    }

    /// `path`: sync.
    static func path(_ path: String) -> ByteBuffer {
        var body = ByteBuffer()
        body.writeJuteString(path)
        return body
    }

    /// `relativeZxid, dataWatches, existWatches, childWatches`: setWatches.
    static func setWatches(relativeZxid: Int64, data: [String], exist: [String], child: [String]) -> ByteBuffer {
        var body = ByteBuffer()
        body.writeJuteLong(relativeZxid)
        body.writeJuteStrings(data)
        body.writeJuteStrings(exist)
        body.writeJuteStrings(child)
        return body
    }
}
