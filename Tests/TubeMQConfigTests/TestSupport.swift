import TubeMQConfig

/// Runs `body` and returns the ``ConfigError`` it throws, or `nil` if it succeeds (so `#expect` on the
/// result fails).
func configError<T>(_ body: () throws(ConfigError) -> T) -> ConfigError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

/// Parses `text` and loads a master configuration from it.
func master(_ text: String) throws(ConfigError) -> MasterINI {
    try MasterINI(ini: IniFile(parsing: text, source: "master.ini"))
}

/// Parses `text` and loads a broker configuration from it.
func broker(_ text: String) throws(ConfigError) -> BrokerINI {
    try BrokerINI(ini: IniFile(parsing: text, source: "broker.ini"))
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A test file could not be written.
struct WriteFailure: Error {}

/// Writes `text` to `path` (test helper; keeps the tests free of Foundation).
func writeFile(_ path: String, _ text: String) throws {
    guard let file = fopen(path, "w") else { throw WriteFailure() }
    defer { fclose(file) }
    guard fputs(text, file) >= 0 else { throw WriteFailure() }
}

/// Removes `path`, ignoring errors.
func removeFile(_ path: String) {
    _ = unlink(path)
}
