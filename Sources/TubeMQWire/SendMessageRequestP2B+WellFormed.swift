import Foundation
public import NIOCore

extension SendMessageRequestP2B {
    /// Decodes a send request in one pass when it is an ordinary one: only known fields, each with
    /// its own wire type, every required field present, strings valid UTF-8. Returns `nil` otherwise.
    ///
    /// A `nil` says nothing about validity: SwiftProtobuf then decodes the bytes and reports what is
    /// wrong. The two agree on every request this one accepts.
    public static func wellFormed(_ bytes: ByteBuffer) -> SendMessageRequestP2B? {
        bytes.withUnsafeReadableBytes { raw -> SendMessageRequestP2B? in
            var reader = WellFormedReader(raw: raw)
            var request = SendMessageRequestP2B()
            var seen: UInt16 = 0
            while reader.position < raw.count {
                guard let (number, wireType) = reader.tag() else { return nil }
                switch (number, wireType) {
                case (1, 2):
                    guard let value = reader.string() else { return nil }
                    request.clientID = value
                case (2, 2):
                    guard let value = reader.string() else { return nil }
                    request.topicName = value
                case (3, 0):
                    guard let value = reader.varint() else { return nil }
                    request.partitionID = Int32(truncatingIfNeeded: value)
                case (4, 2):
                    guard let range = reader.delimited() else { return nil }
                    request.data = Data(buffer: reader.bytes(range))
                case (5, 0):
                    guard let value = reader.varint() else { return nil }
                    request.flag = Int32(truncatingIfNeeded: value)
                case (6, 0):
                    guard let value = reader.varint() else { return nil }
                    request.checkSum = Int32(truncatingIfNeeded: value)
                case (7, 0):
                    guard let value = reader.varint() else { return nil }
                    request.sentAddr = Int32(truncatingIfNeeded: value)
                case (8, 2):
                    guard let value = reader.string() else { return nil }
                    request.msgType = value
                case (9, 2):
                    guard let value = reader.string() else { return nil }
                    request.msgTime = value
                case (10, 2):
                    // Repeated occurrences of a message field merge in protobuf: leave those to SwiftProtobuf.
                    guard seen & (1 << 10) == 0, let range = reader.delimited(),
                        let info = AuthorizedInfo.wellFormed(UnsafeRawBufferPointer(rebasing: raw[range]))
                    else { return nil }
                    request.authInfo = info
                default:
                    return nil
                }
                seen |= 1 << number
            }
            let required: UInt16 = 0b1111_1110  // fields 1...7
            guard seen & required == required else { return nil }
            return request
        }
    }
}

extension AuthorizedInfo {
    /// Decodes an ordinary `AuthorizedInfo` in one pass, or returns `nil`.
    static func wellFormed(_ raw: UnsafeRawBufferPointer) -> AuthorizedInfo? {
        var reader = WellFormedReader(raw: raw)
        var info = AuthorizedInfo()
        var sawToken = false
        while reader.position < raw.count {
            guard let (number, wireType) = reader.tag() else { return nil }
            switch (number, wireType) {
            case (1, 0):
                guard let value = reader.varint() else { return nil }
                info.visitAuthorizedToken = Int64(bitPattern: value)
                sawToken = true
            case (2, 2):
                guard let value = reader.string() else { return nil }
                info.authAuthorizedToken = value
            default:
                return nil
            }
        }
        return sawToken ? info : nil
    }
}
