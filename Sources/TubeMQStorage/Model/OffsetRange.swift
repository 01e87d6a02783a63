/// The offsets a storage instance can serve: from ``min`` (inclusive) to ``max`` (exclusive).
///
/// Offsets are entry numbers multiplied by ``StorageOffset/entrySize`` (28, the Java server's index
/// entry size), so they match what users of the real server see. Every partition of an instance
/// shares one index and therefore one range; a partition's own offsets are not contiguous.
public struct OffsetRange: Sendable, Hashable, CustomStringConvertible {
    /// The smallest readable offset; data below it has been aged out.
    public var min: Int64
    /// The offset the next appended message will get.
    public var max: Int64

    /// Creates a range.
    public init(min: Int64, max: Int64) {
        self.min = min
        self.max = max
    }

    /// `min..<max`.
    public var description: String { "\(min)..<\(max)" }
}

/// Conversions between client-visible offsets and index entry numbers.
public enum StorageOffset {
    /// The offset step between consecutive index entries: the Java server's index entry size.
    public static let entrySize: Int64 = 28

    /// The client-visible offset of entry `entry`.
    @inlinable
    public static func offset(ofEntry entry: Int64) -> Int64 { entry &* entrySize }

    /// The entry at or before `offset` (offsets between two entries round down).
    @inlinable
    public static func entry(atOffset offset: Int64) -> Int64 { offset / entrySize }
}
