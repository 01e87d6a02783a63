import Foundation
import NIOCore

/// Bytes from the spaced hex of the protocol spec's §9 dumps (spaces and newlines ignored).
func hex(_ text: String) -> [UInt8] {
    let digits = text.filter { $0.isHexDigit }
    var bytes: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2)
        bytes.append(UInt8(digits[index..<next], radix: 16)!)
        index = next
    }
    return bytes
}

/// The hex of a string's UTF-8 bytes.
func hex(utf8 string: String) -> String {
    string.utf8.map { String(format: "%02x", $0) }.joined()
}

extension ByteBuffer {
    var bytes: [UInt8] { Array(readableBytesView) }
}

/// A 68-byte Stat record with the given version (other fields recognisable constants).
func statHex(version: Int32 = 1, ephemeralOwner: Int64 = 0) -> String {
    var buffer = ByteBuffer()
    buffer.writeInteger(0x39 as Int64)  // czxid
    buffer.writeInteger(0x41 as Int64)  // mzxid
    buffer.writeInteger(1_700_000_000_000 as Int64)  // ctime
    buffer.writeInteger(1_700_000_000_500 as Int64)  // mtime
    buffer.writeInteger(version)
    buffer.writeInteger(0 as Int32)  // cversion
    buffer.writeInteger(0 as Int32)  // aversion
    buffer.writeInteger(ephemeralOwner)
    buffer.writeInteger(2 as Int32)  // dataLength
    buffer.writeInteger(0 as Int32)  // numChildren
    buffer.writeInteger(0x39 as Int64)  // pzxid
    return buffer.bytes.map { String(format: "%02x", $0) }.joined()
}
