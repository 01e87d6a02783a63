extension ZooKeeperClient {
    /// Settings of a client beyond the connect string and session timeout.
    public struct Configuration: Sendable {
        /// How many passes over the connect string the first connection may take before
        /// ``ZooKeeperClient/connect(to:sessionTimeout:configuration:resuming:eventLoopGroup:logger:)``
        /// gives up with ``ZooKeeperError/Code/noServerReachable``. At least 1.
        ///
        /// Once a session is established, a lost connection is retried until the session resumes, the
        /// ensemble reports it expired, or the client is closed.
        public var connectAttempts: Int
        /// The pause after the first failed pass over all members; doubled after each further failed pass.
        public var initialBackoff: Duration
        /// The longest pause between passes.
        public var maximumBackoff: Duration
        /// How long one member may take to accept the TCP connection and answer the handshake;
        /// `nil` means the session timeout divided by the number of members (ZooKeeper's rule).
        public var connectTimeout: Duration?
        /// The largest inbound frame accepted (payload bytes); larger or negative lengths drop the
        /// connection. ZooKeeper's `jute.maxbuffer` default, 1,048,575, unless changed.
        public var maximumFrameLength: Int
        /// How long ``ZooKeeperClient/close()`` waits for the server to confirm closeSession.
        public var closeTimeout: Duration
        /// Identities proved right after every handshake, before any other request. A refused one
        /// ends the session (``ZooKeeperError/Code/authFailed``).
        public var authentications: [ZooKeeperAuthentication]

        /// Creates a configuration.
        public init(
            connectAttempts: Int = 5,
            initialBackoff: Duration = .milliseconds(100),
            maximumBackoff: Duration = .seconds(1),
            connectTimeout: Duration? = nil,
            maximumFrameLength: Int = 1_048_575,
            closeTimeout: Duration = .seconds(2),
            authentications: [ZooKeeperAuthentication] = []
        ) {
            self.connectAttempts = connectAttempts
            self.initialBackoff = initialBackoff
            self.maximumBackoff = maximumBackoff
            self.connectTimeout = connectTimeout
            self.maximumFrameLength = maximumFrameLength
            self.closeTimeout = closeTimeout
            self.authentications = authentications
        }
    }
}
