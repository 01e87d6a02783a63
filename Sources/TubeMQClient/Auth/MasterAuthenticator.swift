import Synchronization
import TubeMQCore
import TubeMQWire

/// What a producer or consumer tells the master and brokers about who it is, as the Java client's
/// `SimpleClientAuthenticateHandler` does: full signed credentials on registration and when the
/// master asks (`requireAuth`), the issued `authAuthorizedToken` otherwise.
final class MasterAuthenticator: Sendable {
    private let credentials: Credentials?
    private let clock: any WallClock
    private let state = Mutex(State())

    private struct State {
        var issuedToken = ""
        var mustSign = true
        var brokerToken = ""
    }

    init(credentials: Credentials?, clock: any WallClock) {
        self.credentials = credentials
        self.clock = clock
    }

    /// The certificate for a master request; `nil` without credentials.
    func certificate(registering: Bool) -> MasterCertificateInfo? {
        guard let credentials else { return nil }
        var certificate = MasterCertificateInfo()
        let (token, mustSign) = state.withLock { ($0.issuedToken, $0.mustSign) }
        if registering || mustSign || token.isEmpty {
            let timestamp = clock.now()
            let nonce = Int32.random(in: 0...Int32.max)
            let signature = AuthSignature.sign(
                userName: credentials.userName,
                password: credentials.password,
                timestamp: timestamp,
                nonce: nonce
            )
            var info = AuthenticateInfo()
            info.userName = credentials.userName
            info.timestamp = timestamp
            info.nonce = nonce
            info.othParams = ""
            info.signature = signature
            certificate.authInfo = info
            let brokerToken = [credentials.userName, String(timestamp), String(nonce), signature].joined(separator: " ")
            state.withLock {
                $0.mustSign = false
                $0.brokerToken = brokerToken
            }
        } else {
            certificate.authorizedToken = token
        }
        return certificate
    }

    /// Takes the tokens of a master reply and its `requireAuth`.
    func accept(_ info: MasterAuthorizedInfo?, requireAuth: Bool) {
        state.withLock { state in
            if let info, info.hasAuthAuthorizedToken, !info.authAuthorizedToken.isEmpty {
                state.issuedToken = info.authAuthorizedToken
            }
            if requireAuth { state.mustSign = true }
        }
    }

    /// The `authAuthorizedToken` for brokers (`"userName timestamp nonce signature"`); `nil` without
    /// credentials.
    var brokerToken: String? {
        guard credentials != nil else { return nil }
        let token = state.withLock { $0.brokerToken }
        return token.isEmpty ? nil : token
    }
}
