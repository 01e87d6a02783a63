/// File names of a storage instance's directory.
///
/// A segment is a pair of files named after the global entry number of its first entry, padded
/// to 20 digits so that names sort like numbers: `00000000000000004096.data` and
/// `00000000000000004096.index`. `checkpoint` records durable state at the last clean close.
enum SegmentName {
    static let dataSuffix = ".data"
    static let indexSuffix = ".index"
    static let checkpoint = "checkpoint"
    static let checkpointTemporary = "checkpoint.tmp"

    static func stem(_ base: Int64) -> String {
        let digits = String(base)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    static func data(_ base: Int64) -> String { stem(base) + dataSuffix }
    static func index(_ base: Int64) -> String { stem(base) + indexSuffix }

    /// The base entry of a file name with `suffix`, or `nil` when the name is not a segment file.
    static func base(of name: String, suffix: String) -> Int64? {
        guard name.hasSuffix(suffix) else { return nil }
        let stem = name.dropLast(suffix.count)
        guard stem.count == 20, stem.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int64(stem)
    }
}
