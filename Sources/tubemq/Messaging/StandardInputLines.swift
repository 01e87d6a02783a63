import Foundation

/// The lines of standard input as bytes, exactly as read: a body may hold any byte but `\n`
/// (`readLine` would replace bytes that are not UTF-8 with U+FFFD). The line end (`\n`, or `\r\n`)
/// is not part of the line; a last line without one is still a line. A task cancelled while it waits
/// for input (Ctrl-C at a terminal) ends the lines there.
struct StandardInputLines {
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false

    /// The next line, or `nil` at the end of input.
    mutating func next() -> [UInt8]? {
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = Array(buffer[start..<end])
                start = newline + 1
                return line
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                return line
            }
            fill()
        }
    }

    /// Reads the next chunk, keeping the unread part of the buffer.
    private mutating func fill() {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        // Wait in short polls, so that a cancelled task stops waiting for a line that may never come.
        var ready = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        while poll(&ready, 1, 250) == 0 {
            if Task.isCancelled {
                atEnd = true
                return
            }
        }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let count = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
        if count > 0 {
            buffer.append(contentsOf: chunk[..<count])
        } else if count == 0 || errno != EINTR {
            atEnd = true
        }
    }
}
