/// Behaviours a test can turn off to get a deliberately broken broker, so that suites checking
/// TubeMQ semantics (the conformance suite) can prove their cases fail when the behaviour is missing.
///
/// Never set in production; the underscore marks it as not API.
public struct _BrokerFaults: Sendable, Hashable {
    /// Confirm every batch as it is fetched, so an unconfirmed batch is never delivered again.
    public var noRedelivery: Bool
    /// Accept any checksum on send instead of answering 403 to a mismatch.
    public var acceptBadChecksums: Bool
    /// Ignore consumers' message-type filters.
    public var ignoreFilters: Bool

    /// A broker with every behaviour on.
    public init(noRedelivery: Bool = false, acceptBadChecksums: Bool = false, ignoreFilters: Bool = false) {
        self.noRedelivery = noRedelivery
        self.acceptBadChecksums = acceptBadChecksums
        self.ignoreFilters = ignoreFilters
    }
}
