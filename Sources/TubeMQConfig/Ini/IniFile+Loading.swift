#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension IniFile {
    /// Reads and parses the UTF-8 ini file at `path`.
    ///
    /// - Throws: ``ConfigError`` with code ``ConfigError/Code/unreadableFile`` if the file cannot be
    ///   opened or read, or ``ConfigError/Code/syntax`` for a malformed line.
    public init(contentsOfFile path: String) throws(ConfigError) {
        let bytes = try Self.readFile(path)
        self = try IniParser.parse(String(decoding: bytes, as: UTF8.self), source: path)
    }

    /// Reads a whole file with `open`/`read`; config files are small.
    static func readFile(_ path: String) throws(ConfigError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw unreadable(path, errno) }
        defer { _ = close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw unreadable(path, errno)
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    private static func unreadable(_ path: String, _ code: Int32) -> ConfigError {
        let reason = strerror(code).map { String(cString: $0) } ?? "errno \(code)"
        return ConfigError(.unreadableFile, "cannot read \(path): \(reason) (errno \(code))", source: path)
    }
}
