import Testing
import TubeMQWire

/// The expected values were computed independently with the `openssl` CLI:
/// `printf 'user175' | openssl dgst -sha1 -hmac secret -binary | base64`, then URL-encoded.
@Suite("TubeMQ's request signature")
struct AuthSignatureTests {
    @Test func signsUserTimestampAndNonceWithHMACSHA1() {
        let signature = AuthSignature.sign(userName: "user", password: "secret", timestamp: 17, nonce: 5)
        #expect(signature == "Qgm9MQI0HxBYmExuNCXWP5NFV8M%3D")
    }

    @Test(arguments: [
        (Int32(1), "suq3ODYwrEVeJlm20mTXTyO%2FlGc%3D"),
        (Int32(5), "%2B2YJ8CxONkytYpePjOKcbfOXp4Q%3D"),
        (Int32(9), "YIx1s%2F6e9t3BbdBe%2B6GYDumUGhw%3D"),
    ])
    func urlEncodesPlusSlashAndEquals(nonce: Int32, expected: String) {
        let signature = AuthSignature.sign(
            userName: "bob",
            password: "p@ss",
            timestamp: 1_700_000_000_000,
            nonce: nonce
        )
        #expect(signature == expected)
    }

    @Test func anyChangedFieldFailsVerification() {
        let time: Int64 = 1_700_000_000_000
        let signature = AuthSignature.sign(userName: "alice", password: "pw", timestamp: time, nonce: 42)
        #expect(AuthSignature.verify(signature, userName: "alice", password: "pw", timestamp: time, nonce: 42))
        #expect(!AuthSignature.verify(signature, userName: "alice", password: "px", timestamp: time, nonce: 42))
        #expect(!AuthSignature.verify(signature, userName: "alice", password: "pw", timestamp: time + 1, nonce: 42))
        #expect(!AuthSignature.verify(signature, userName: "alicf", password: "pw", timestamp: time, nonce: 42))
        #expect(!AuthSignature.verify(signature, userName: "alice", password: "pw", timestamp: time, nonce: 43))
    }
}
