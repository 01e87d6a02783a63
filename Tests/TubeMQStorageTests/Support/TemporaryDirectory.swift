import Foundation

/// A fresh directory under the system's temporary directory, removed by ``remove()``.
struct TemporaryDirectory {
    let path: String

    init(_ label: String = "storage") {
        let template = NSTemporaryDirectory() + "tubemq-\(label)-XXXXXX"
        var bytes = Array(template.utf8CString)
        let made = bytes.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        if made {
            path = String(decoding: bytes.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        } else {
            path = template.replacingOccurrences(of: "XXXXXX", with: UUID().uuidString)
            try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
    }

    /// Wraps an existing directory (not removed by anyone but its creator).
    init(existing path: String) {
        self.path = path
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Runs `body` with a new directory and removes it afterwards.
    static func with<T>(_ label: String = "storage", _ body: (TemporaryDirectory) async throws -> T) async throws -> T {
        let directory = TemporaryDirectory(label)
        defer { directory.remove() }
        return try await body(directory)
    }
}
