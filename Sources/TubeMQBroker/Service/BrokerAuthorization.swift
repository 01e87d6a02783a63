public import Logging
import SwiftProtobuf
import Synchronization
import TubeMQWire

/// What the broker checks of the clients that call it, as TubeMQ's `SimpleCertificateBrokerHandler`
/// does: the switches the master sends in `EnableBrokerFunInfo`, and the visit tokens it hands out
/// in `MasterBrokerAuthorizedInfo` (the last six are accepted).
///
/// Visit tokens are enforced only once `visitTokenCheckInValidTimeMs` has passed since the broker
/// registered, so clients holding tokens of a master that just took over are not turned away.
public final class BrokerAuthorization: Sendable {
    private struct State {
        var functions = EnableBrokerFunInfo()
        var tokens: [Int64] = []
        var lastTokens = ""
        var registeredAt: Int64?
    }

    private static let keptTokens = 6
    private let graceMs: Int64
    private let clock: @Sendable () -> Int64
    private let logger: Logger?
    /// Refusals since the last one logged, and when that was (ms): at most one line in 10 s, so a
    /// client guessing tokens is seen without flooding the log.
    private let refusalLog = Mutex((unlogged: 0, loggedAt: Int64?.none))
    private let state = Mutex(State())
    /// Whether any check is on: sends skip the lock while none is (the default).
    private let checking = Atomic<Bool>(false)

    /// Creates the checks with every switch off until the master says otherwise.
    ///
    /// - Parameters:
    ///   - graceMs: `visitTokenCheckInValidTimeMs`, the delay after registration before visit
    ///     tokens are enforced.
    ///   - clock: milliseconds since the epoch.
    ///   - logger: where refusals are reported (at most a line every 10 s); `nil` reports none.
    public init(graceMs: Int64 = 120_000, clock: @escaping @Sendable () -> Int64, logger: Logger? = nil) {
        self.graceMs = graceMs
        self.clock = clock
        self.logger = logger
    }

    /// Takes the switches and tokens of a master register reply.
    func registered(functions: EnableBrokerFunInfo?, tokens: MasterBrokerAuthorizedInfo?) {
        let now = clock()
        state.withLock { state in
            if let functions { state.functions = functions }
            state.registeredAt = now
        }
        if let functions {
            let any =
                functions.enableVisitTokenCheck || functions.enableProduceAuthenticate
                || functions.enableConsumeAuthenticate
            checking.store(any, ordering: .relaxed)
        }
        if let tokens { append(tokens) }
    }

    /// Takes the tokens of a master reply: a comma-separated list, the newest kept.
    func append(_ info: MasterBrokerAuthorizedInfo) {
        let text = info.visitAuthorizedToken
        state.withLock { state in
            guard !text.trimmingCharacters(in: " ").isEmpty, text != state.lastTokens else { return }
            state.lastTokens = text
            for item in text.split(separator: ",") {
                guard let token = Int64(item.trimmingCharacters(in: " ")), !state.tokens.contains(token) else {
                    continue
                }
                state.tokens.append(token)
                if state.tokens.count > Self.keptTokens { state.tokens.removeFirst() }
            }
        }
    }

    /// The 415 text refusing `info` for a produce (`produce`) or consume call, or `nil` when it passes.
    func refusal(_ info: AuthorizedInfo?, produce: Bool, peer: @autoclosure () -> String = "?") -> String? {
        guard checking.load(ordering: .relaxed) else { return nil }
        let now = clock()
        let text = state.withLock { state -> String? in
            let functions = state.functions
            let authenticate = produce ? functions.enableProduceAuthenticate : functions.enableConsumeAuthenticate
            guard functions.enableVisitTokenCheck || authenticate else { return nil }
            guard let info else { return AuthText.authorizedInfoRequired }
            if functions.enableVisitTokenCheck, let registeredAt = state.registeredAt,
                !state.tokens.contains(info.visitAuthorizedToken), now - registeredAt > graceMs
            {
                return AuthText.visitTokenInvalid
            }
            if authenticate && info.authAuthorizedToken.trimmingCharacters(in: " ").isEmpty {
                return AuthText.authTokenBlank
            }
            return nil
        }
        if let text { report(text, produce: produce, peer: peer(), now: now) }
        return text
    }

    private func report(_ text: String, produce: Bool, peer: String, now: Int64) {
        guard let logger else { return }
        let refused = refusalLog.withLock { log -> Int? in
            log.unlogged += 1
            if let loggedAt = log.loggedAt, now - loggedAt < 10_000 { return nil }
            defer { log = (0, now) }
            return log.unlogged
        }
        guard let refused else { return }
        logger.notice(
            "refused a client's credentials",
            metadata: [
                "tubemq.reason": "\(text)", "tubemq.call": "\(produce ? "send" : "consume")",
                "tubemq.refusedSinceLastLine": "\(refused)", "tubemq.peer": "\(peer)",
            ]
        )
    }
}

extension String {
    fileprivate func trimmingCharacters(in character: Character) -> String {
        var view = Substring(self)
        while view.first == character { view.removeFirst() }
        while view.last == character { view.removeLast() }
        return String(view)
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in character: Character) -> String {
        String(self).trimmingCharacters(in: character)
    }
}

extension BrokerService {
    /// The failure reply of a send when the producer's credentials do not pass, else `nil`.
    func sendRefusal(_ request: SendMessageRequestP2B, peer: @autoclosure () -> String) -> SendMessageResponseB2P? {
        let refusal = authorization.refusal(request.hasAuthInfo ? request.authInfo : nil, produce: true, peer: peer())
        return refusal.map { SendMessageResponseB2P.failure(.certificateFailure, $0) }
    }

    /// The failure reply of `request` when the caller's credentials do not pass, else `nil`.
    func authorizationRefusal(
        _ request: any SwiftProtobuf.Message,
        peer: @autoclosure () -> String
    ) -> (any SwiftProtobuf.Message)? {
        switch request {
        case let request as SendMessageRequestP2B:
            return sendRefusal(request, peer: peer())
        case let request as RegisterRequestC2B:
            let refusal = authorization.refusal(
                request.hasAuthInfo ? request.authInfo : nil,
                produce: false,
                peer: peer()
            )
            return refusal.map { RegisterResponseB2C.failure(.certificateFailure, $0) }
        case let request as HeartBeatRequestC2B:
            guard
                let refusal = authorization.refusal(
                    request.hasAuthInfo ? request.authInfo : nil,
                    produce: false,
                    peer: peer()
                )
            else { return nil }
            var reply = HeartBeatResponseB2C()
            reply.success = false
            reply.errCode = ErrorCode.certificateFailure.rawValue
            reply.errMsg = refusal
            return reply
        default:
            return nil
        }
    }
}
