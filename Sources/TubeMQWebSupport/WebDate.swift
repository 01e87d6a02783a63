#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The webapi's date format, `yyyyMMddHHmmss` in the server's local time zone (as Java's
/// `SimpleDateFormat` with the default zone writes and reads it).
package enum WebDate {
    /// `millis` (since the epoch) as `yyyyMMddHHmmss`.
    package static func format(_ millis: Int64) -> String {
        var seconds = time_t(millis / 1000)
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return "" }
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return pad(parts.tm_year + 1900, 4) + pad(parts.tm_mon + 1, 2) + pad(parts.tm_mday, 2)
            + pad(parts.tm_hour, 2) + pad(parts.tm_min, 2) + pad(parts.tm_sec, 2)
    }

    /// `text` (`yyyyMMddHHmmss`, local time) in ms since the epoch, or `nil` when malformed.
    package static func parse(_ text: String) -> Int64? {
        let digits = Array(text.utf8)
        guard digits.count == 14, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            return nil
        }
        func number(_ from: Int, _ count: Int) -> Int32 {
            digits[from..<from + count].reduce(Int32(0)) { $0 * 10 + Int32($1 - UInt8(ascii: "0")) }
        }
        var parts = tm()
        parts.tm_year = number(0, 4) - 1900
        parts.tm_mon = number(4, 2) - 1
        parts.tm_mday = number(6, 2)
        parts.tm_hour = number(8, 2)
        parts.tm_min = number(10, 2)
        parts.tm_sec = number(12, 2)
        parts.tm_isdst = -1
        guard (0...11).contains(parts.tm_mon), (1...31).contains(parts.tm_mday), (0...23).contains(parts.tm_hour),
            (0...59).contains(parts.tm_min), (0...60).contains(parts.tm_sec)
        else { return nil }
        let seconds = mktime(&parts)
        guard seconds != -1 else { return nil }
        return Int64(seconds) * 1000
    }
}
