import Foundation
import NIOCore
import TubeMQTestKit
import TubeMQWire

/// One recorded frame between a client and the real master (`../shared/vectors/*.jsonl`).
struct RecordedFrame: Sendable {
    let time: Double
    let conn: Int
    let isRequest: Bool
    let serial: Int
    let payload: ByteBuffer

    /// The request envelope of a request frame.
    var request: RequestEnvelope? { try? RequestEnvelope(decoding: payload) }

    /// The response envelope of a response frame.
    var response: ResponseEnvelope? { try? ResponseEnvelope(decoding: payload) }

    /// Key pairing a request with its response.
    var key: String { "\(conn)/\(serial)" }
}

/// Loading of the recorded vectors: `TUBEMQ_VECTORS`, or `shared/vectors` beside the repository.
enum RecordedFrames {
    static var directory: URL { Vectors.directory }

    /// The master frames of `file` in recorded order (frames without a decodable envelope are
    /// left out), or `nil` when the file is not there.
    static func master(_ file: String) -> [RecordedFrame]? {
        guard let text = try? String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8) else {
            return nil
        }
        return text.split(separator: "\n").compactMap { line in
            guard let data = line.data(using: .utf8),
                let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                json["peer"] as? String == "master",
                let hex = json["frame_hex"] as? String,
                let payload = framePayload(bytes(hex: hex))
            else { return nil }
            return RecordedFrame(
                time: (json["t_ms"] as? NSNumber)?.doubleValue ?? 0,
                conn: (json["conn"] as? NSNumber)?.intValue ?? -1,
                isRequest: json["dir"] as? String == "request",
                serial: (json["serial"] as? NSNumber)?.intValue ?? -1,
                payload: payload
            )
        }
    }

    /// The concatenated chunks of a frame: `token serial count {len bytes}*count`.
    static func framePayload(_ bytes: [UInt8]) -> ByteBuffer? {
        var buffer = ByteBuffer(bytes: bytes)
        guard let token: UInt32 = buffer.readInteger(), token == 0xFF7F_F4FE,
            let _: UInt32 = buffer.readInteger(), let count: UInt32 = buffer.readInteger()
        else { return nil }
        var payload = ByteBuffer()
        for _ in 0..<count {
            guard let length: UInt32 = buffer.readInteger(), var chunk = buffer.readSlice(length: Int(length)) else {
                return nil
            }
            payload.writeBuffer(&chunk)
        }
        return payload
    }

    static func bytes(hex: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(hex.utf8.count / 2)
        var iterator = hex.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            out.append(nibble(high) << 4 | nibble(low))
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8 {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        default: c &- UInt8(ascii: "A") &+ 10
        }
    }
}
