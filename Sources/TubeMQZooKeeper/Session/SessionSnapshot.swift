import Synchronization

/// What the client's synchronous properties read: the core publishes it on every change.
final class SessionSnapshot: Sendable {
    struct Value: Sendable {
        var state: SessionState?
        var credentials = SessionCredentials(id: 0, password: [UInt8](repeating: 0, count: 16))
        var negotiatedTimeoutMilliseconds: Int32 = 0
    }

    private let value: Mutex<Value>
    /// When the last frame arrived from a server (`NIODeadline` uptime nanoseconds; 0 before any).
    let lastReceived = Atomic<UInt64>(0)

    init() {
        value = Mutex(Value())
    }

    var current: Value { value.withLock { $0 } }

    func update(_ body: (inout Value) -> Void) {
        value.withLock { body(&$0) }
    }
}
