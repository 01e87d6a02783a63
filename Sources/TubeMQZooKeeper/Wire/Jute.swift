import NIOCore

// The jute binary archive (big-endian integers, length-prefixed buffers, strings and vectors),
// as ByteBuffer reads and writes. Decoders read fields in order and ignore bytes left over.

/// A record could not be decoded: the frame ended early or a length was out of range.
struct JuteDecodingError: Error, Sendable, CustomStringConvertible {
    var what: String
    var description: String { "undecodable \(what)" }
}

extension ByteBuffer {
    mutating func writeJuteBool(_ value: Bool) {
        writeInteger(value ? 1 as UInt8 : 0)
    }

    mutating func writeJuteInt(_ value: Int32) {
        writeInteger(value)
    }

    mutating func writeJuteLong(_ value: Int64) {
        writeInteger(value)
    }

    /// Writes a `buffer`; `nil` is written as length -1.
    mutating func writeJuteBuffer(_ bytes: [UInt8]?) {
        guard let bytes else {
            writeInteger(-1 as Int32)
            return
        }
        writeInteger(Int32(bytes.count))
        writeBytes(bytes)
    }

    /// Writes a `ustring` (byte length, then UTF-8).
    mutating func writeJuteString(_ string: String) {
        let lengthIndex = writerIndex
        writeInteger(0 as Int32)
        let written = writeString(string)
        setInteger(Int32(written), at: lengthIndex)
    }

    /// Writes a `vector<ustring>`.
    mutating func writeJuteStrings(_ strings: [String]) {
        writeInteger(Int32(strings.count))
        for string in strings { writeJuteString(string) }
    }

    mutating func readJuteBool(_ what: @autoclosure () -> String) throws(JuteDecodingError) -> Bool {
        guard let byte = readInteger(as: UInt8.self) else { throw JuteDecodingError(what: what()) }
        return byte != 0
    }

    mutating func readJuteInt(_ what: @autoclosure () -> String) throws(JuteDecodingError) -> Int32 {
        guard let value = readInteger(as: Int32.self) else { throw JuteDecodingError(what: what()) }
        return value
    }

    mutating func readJuteLong(_ what: @autoclosure () -> String) throws(JuteDecodingError) -> Int64 {
        guard let value = readInteger(as: Int64.self) else { throw JuteDecodingError(what: what()) }
        return value
    }

    /// Reads a `buffer`; a null buffer (length -1) reads as empty.
    mutating func readJuteBuffer(_ what: @autoclosure () -> String) throws(JuteDecodingError) -> [UInt8] {
        guard let length = readInteger(as: Int32.self) else { throw JuteDecodingError(what: what()) }
        if length < 0 { return [] }
        guard let bytes = readBytes(length: Int(length)) else { throw JuteDecodingError(what: what()) }
        return bytes
    }

    /// Reads a `ustring`; a null string (length -1) reads as empty.
    mutating func readJuteString(_ what: @autoclosure () -> String) throws(JuteDecodingError) -> String {
        guard let length = readInteger(as: Int32.self) else { throw JuteDecodingError(what: what()) }
        if length < 0 { return "" }
        guard let string = readString(length: Int(length)) else { throw JuteDecodingError(what: what()) }
        return string
    }

    /// Reads a `vector<ustring>`; a null vector (count -1) reads as empty.
    mutating func readJuteStrings(_ what: @autoclosure () -> String) throws(JuteDecodingError) -> [String] {
        guard let count = readInteger(as: Int32.self) else { throw JuteDecodingError(what: what()) }
        if count <= 0 { return [] }
        // Each string takes at least its 4-byte length: a count beyond that is a lie.
        guard Int(count) <= readableBytes / 4 else { throw JuteDecodingError(what: what()) }
        var strings: [String] = []
        strings.reserveCapacity(Int(count))
        for _ in 0..<count { strings.append(try readJuteString(what())) }
        return strings
    }
}
