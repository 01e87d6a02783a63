import Crypto
import Foundation

/// TubeMQ's request signature (`wire.md`, "Auth"): the URL-encoded Base64 of an HMAC-SHA1 keyed by
/// the password over `userName + timestamp + nonce` (the two numbers in decimal).
///
/// The signature and the password are secrets: neither is ever logged.
public enum AuthSignature {
    /// The signature of `userName` at `timestamp` (ms) with `nonce`, keyed by `password`.
    public static func sign(userName: String, password: String, timestamp: Int64, nonce: Int32) -> String {
        let key = SymmetricKey(data: Array(password.utf8))
        let text = Array((userName + String(timestamp) + String(nonce)).utf8)
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: text, using: key)
        return urlEncoded(Data(mac).base64EncodedString())
    }

    /// Whether `signature` is the one `password` gives, compared in constant time.
    public static func verify(
        _ signature: String,
        userName: String,
        password: String,
        timestamp: Int64,
        nonce: Int32
    ) -> Bool {
        let expected = Array(sign(userName: userName, password: password, timestamp: timestamp, nonce: nonce).utf8)
        let given = Array(signature.utf8)
        guard expected.count == given.count else { return false }
        var difference: UInt8 = 0
        for index in expected.indices { difference |= expected[index] ^ given[index] }
        return difference == 0
    }

    /// Java's `URLEncoder.encode(_, "UTF-8")` over a Base64 text: only `+`, `/` and `=` change.
    static func urlEncoded(_ base64: String) -> String {
        var out = ""
        out.reserveCapacity(base64.utf8.count + 8)
        for character in base64 {
            switch character {
            case "+": out += "%2B"
            case "/": out += "%2F"
            case "=": out += "%3D"
            default: out.append(character)
            }
        }
        return out
    }
}
