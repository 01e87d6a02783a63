import NIOCore

/// A one-shot watch armed by a read (``ZooKeeperClient/existsAndWatch(_:)``,
/// ``ZooKeeperClient/getDataAndWatch(_:)``, ``ZooKeeperClient/getChildrenAndWatch(_:)``).
///
/// It fires at most once. It survives disconnections (the client re-arms it on the server when the
/// session resumes, and gets the changes missed meanwhile); it fails with
/// ``ZooKeeperError/Code/sessionExpired`` when the session expires and ``ZooKeeperError/Code/closed``
/// when the client closes.
public struct Watch: Sendable {
    let future: EventLoopFuture<WatchedEvent>

    init(future: EventLoopFuture<WatchedEvent>) {
        self.future = future
    }

    /// Waits for the watched change.
    ///
    /// - Throws: ``ZooKeeperError`` `sessionExpired` or `closed`: the watch will never fire.
    public func event() async throws(ZooKeeperError) -> WatchedEvent {
        do {
            return try await future.get()
        } catch let error as ZooKeeperError {
            throw error
        } catch {
            throw ZooKeeperError(.protocolError, "watch failed", underlying: error)
        }
    }
}
