import ArgumentParser
import Foundation

/// A running count shown on the terminal (standard error, rewritten in place about four times a
/// second) while a long `--count` run goes on; silent when standard error is not a terminal.
struct Progress {
    private let label: String
    private let enabled = isatty(STDERR_FILENO) == 1
    private var lastShown = ContinuousClock.now

    init(_ label: String) {
        self.label = label
    }

    /// Shows `count` if a quarter of a second has passed since the last time.
    mutating func update(_ count: Int) {
        guard enabled, ContinuousClock.now - lastShown >= .milliseconds(250) else { return }
        lastShown = .now
        FileHandle.standardError.write(Data("\r\(label) \(count)".utf8))
    }

    /// Clears the line, when anything was shown.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

/// Writes `line` to standard output and flushes it, so a reader on a pipe has every line even when
/// the command is killed.
func printFlushed(_ line: String) {
    print(line)
    fflush(nil)  // every output stream; `stdout` itself is not concurrency-safe to name
}

/// Writes `bytes` to standard output as they are, after anything `print` buffered, so a reader on a
/// pipe has every line even when the command is killed.
///
/// - Returns: `false` when they could not all be written (the reader closed the pipe, the disk is
///   full): a consumer must then not confirm the message.
@discardableResult
func writeFlushed(_ bytes: [UInt8]) -> Bool {
    fflush(nil)
    return bytes.withUnsafeBytes { raw -> Bool in
        var done = 0
        while done < raw.count, let base = raw.baseAddress {
            let written = write(STDOUT_FILENO, base + done, raw.count - done)
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    // A non-blocking output that is full for now: wait until it takes more.
                    var ready = pollfd(fd: STDOUT_FILENO, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&ready, 1, 1_000)
                    continue
                }
                return false
            }
            done += written
        }
        return true
    }
}

/// Ends `consume` when its output stopped taking lines: says so on standard error and exits with
/// status 1.
func stopForClosedOutput(printed: Int) throws -> Never {
    FileHandle.standardError.write(
        Data(
            ("standard output closed after \(printed) messages: stopped; the batch in hand is not confirmed, "
                + "so the group gets its messages again\n").utf8
        )
    )
    throw ExitCode(1)
}
