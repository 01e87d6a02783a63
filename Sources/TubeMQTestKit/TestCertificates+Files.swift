import Foundation

extension TestCertificates {
    /// Runs `body` with a temporary folder holding `server.pem` (the server certificate for
    /// 127.0.0.1 and its key), `ca.pem` (its CA) and `other.pem` (a CA that did not sign it), and
    /// deletes the folder afterwards.
    public static func withStoreFolder<T>(_ body: (String) async throws -> T) async throws -> T {
        let directory = NSTemporaryDirectory() + "tubemq-stores-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let files = [
            "server.pem": serverPEM + "\n" + serverKeyPEM + "\n",
            "ca.pem": caPEM,
            "other.pem": otherCAPEM,
        ]
        for (name, text) in files {
            _ = FileManager.default.createFile(atPath: directory + "/" + name, contents: Data(text.utf8))
        }
        return try await body(directory)
    }
}
