import TubeMQCore

/// One record of the consumer-offset log. Integers are little-endian.
///
/// ```
/// 0   u32  length of the body
/// 4   u32  CRC-32 of the body
/// 8   body: i64 offset (-1 deletes the key) · i32 partition id ·
///           u16 group length · group (UTF-8) · u16 topic length · topic (UTF-8)
/// ```
///
/// Replay applies records in order; the last one for a key wins. A damaged record is stepped over
/// to the next one that decodes; a torn tail (no valid record after it) is truncated.
struct OffsetLogRecord: Equatable {
    static let deleted: Int64 = -1

    var key: OffsetStore.Key
    var offset: Int64

    func encode(into bytes: inout [UInt8]) {
        let group = Array(key.group.utf8.prefix(Int(UInt16.max)))
        let topic = Array(key.topic.utf8.prefix(Int(UInt16.max)))
        var body: [UInt8] = []
        body.reserveCapacity(16 + group.count + topic.count)
        append(offset, to: &body)
        append(key.partitionID, to: &body)
        append(UInt16(group.count), to: &body)
        body.append(contentsOf: group)
        append(UInt16(topic.count), to: &body)
        body.append(contentsOf: topic)
        append(UInt32(body.count), to: &bytes)
        append(CRC32.checksum(body), to: &bytes)
        bytes.append(contentsOf: body)
    }

    /// Decodes the record at the start of `bytes`; returns it and its size, or `nil` when the
    /// bytes are short or damaged.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> (OffsetLogRecord, Int)? {
        guard bytes.count >= 8, let base = bytes.baseAddress else { return nil }
        let length = Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 0, as: UInt32.self)))
        let crc = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        guard length >= 16, length <= bytes.count - 8 else { return nil }
        let body = UnsafeRawBufferPointer(rebasing: bytes[8..<(8 + length)])
        guard let start = body.baseAddress else { return nil }
        // The lengths must fit together before the checksum is worth computing (replay looks for the
        // next record after a damaged one by trying every position).
        let groupLength = Int(UInt16(littleEndian: start.loadUnaligned(fromByteOffset: 12, as: UInt16.self)))
        guard 14 + groupLength + 2 <= length else { return nil }
        let topicAt = 14 + groupLength
        let topicLength = Int(UInt16(littleEndian: start.loadUnaligned(fromByteOffset: topicAt, as: UInt16.self)))
        guard topicAt + 2 + topicLength == length, CRC32.checksum(body) == crc else { return nil }
        let offset = Int64(littleEndian: start.loadUnaligned(fromByteOffset: 0, as: Int64.self))
        let partition = Int32(littleEndian: start.loadUnaligned(fromByteOffset: 8, as: Int32.self))
        let group = String(decoding: body[14..<(14 + groupLength)], as: UTF8.self)
        let topic = String(decoding: body[(topicAt + 2)..<length], as: UTF8.self)
        let key = OffsetStore.Key(group: group, topic: topic, partitionID: partition)
        return (OffsetLogRecord(key: key, offset: offset), 8 + length)
    }

    private func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}
