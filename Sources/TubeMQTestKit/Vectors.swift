public import Foundation
public import NIOCore

/// One recorded frame from `../shared/vectors/*.jsonl`.
public struct VectorFrame: @unchecked Sendable, CustomStringConvertible {
    // @unchecked: the JSON dictionaries are immutable after loading.
    public let file: String
    public let line: Int
    public let json: [String: Any]
    public let raw: String

    public var conn: Int { json["conn"] as? Int ?? -1 }
    public var peer: String { json["peer"] as? String ?? "" }
    public var isRequest: Bool { json["dir"] as? String == "request" }
    public var serial: UInt32 { UInt32(truncatingIfNeeded: json["serial"] as? Int ?? -1) }
    public var chunks: [Int] { json["chunks"] as? [Int] ?? [] }
    public var method: Int32? { (json["method"] as? Int).map { Int32($0) } }
    public var serviceType: Int32? { (json["service_type"] as? Int).map { Int32($0) } }
    public var protocolVersion: Int32? { (json["protocol_ver"] as? Int).map { Int32($0) } }
    public var flag: Int32? { (json["flag"] as? Int).map { Int32($0) } }
    public var timeout: Int64? { (json["timeout"] as? Int).map { Int64($0) } }
    public var status: String? { json["status"] as? String }
    public var messageName: String? { json["message"] as? String }
    public var fields: [String: Any] { json["fields"] as? [String: Any] ?? [:] }
    public var hasDecodeError: Bool { json["decode_error"] != nil }
    public var trailingHex: String? { json["trailing_hex"] as? String }

    public var frameBytes: [UInt8] { Self.bytes(hex: json["frame_hex"] as? String ?? "") }
    public var buffer: ByteBuffer { ByteBuffer(bytes: frameBytes) }

    /// The `fields` object as proto3 JSON text for SwiftProtobuf: its raw text (so 64-bit values keep
    /// every digit) with the hex of bytes fields turned into base64. `nil` for probe frames with special keys.
    public var fieldsJSON: String? {
        guard let start = raw.range(of: "\"fields\":")?.upperBound else { return nil }
        var depth = 0
        var inString = false
        var escaped = false
        var end = start
        for index in raw[start...].indices {
            let c = raw[index]
            if inString {
                if escaped {
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else if c == "\"" {
                    inString = false
                }
                continue
            }
            if c == "\"" {
                inString = true
            } else if c == "{" {
                depth += 1
            } else if c == "}" {
                depth -= 1
                if depth == 0 {
                    end = raw.index(after: index)
                    break
                }
            }
        }
        var text = String(raw[start..<end])
        guard !text.contains("\"__") else { return nil }
        for key in ["data", "payLoadData"] {
            while let range = text.range(of: "\"\(key)\":\"[0-9a-f]*\"", options: .regularExpression) {
                let hex = text[range].dropFirst(key.count + 4).dropLast()
                let base64 = Data(Self.bytes(hex: String(hex))).base64EncodedString()
                text.replaceSubrange(range, with: "\"\(key)\":\"b64:\(base64)\"")
            }
            text = text.replacingOccurrences(of: "\"\(key)\":\"b64:", with: "\"\(key)\":\"")
        }
        return text
    }

    public var description: String { "\(file):\(line) \(peer) \(isRequest ? "request" : "response") serial \(serial)" }

    public static func bytes(hex: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(hex.utf8.count / 2)
        var iterator = hex.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            out.append(nibble(high) << 4 | nibble(low))
        }
        return out
    }

    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    private static func nibble(_ c: UInt8) -> UInt8 {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        default: return c - UInt8(ascii: "A") + 10
        }
    }
}

/// The recorded vectors: `TUBEMQ_VECTORS`, or `shared/vectors` beside the repository.
public enum Vectors {
    public static let directory: URL = {
        if let path = ProcessInfo.processInfo.environment["TUBEMQ_VECTORS"] { return URL(fileURLWithPath: path) }
        // Sources/TubeMQTestKit/Vectors.swift → the repository → its sibling shared/vectors.
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/vectors")
    }()

    public static let files: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".jsonl") }.sorted()
    }()

    /// The frames of `file` (one of ``files``: read once, on first use; another file is read on
    /// every call). Many parameterized tests ask for the same files at once at the start of a run.
    public static func load(_ file: String) -> [VectorFrame] {
        byFile[file] ?? parse(file)
    }

    /// Every file's frames, in file order.
    public static let all: [VectorFrame] = files.flatMap(load)

    private static let byFile: [String: [VectorFrame]] = Dictionary(
        uniqueKeysWithValues: files.map { ($0, parse($0)) }
    )

    private static func parse(_ file: String) -> [VectorFrame] {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent(file)) else { return [] }
        var frames: [VectorFrame] = []
        for (index, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            guard !line.isEmpty, let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any]
            else { continue }
            frames.append(
                VectorFrame(file: file, line: index + 1, json: object, raw: String(decoding: line, as: UTF8.self))
            )
        }
        return frames
    }
}
