import TubeMQCore
import TubeMQWire

/// The broker checks a send's checksum: the right CRC32 (masked to 31 bits) and −1 ("compute it") are
/// accepted, a wrong one is refused with 403.
public struct WrongChecksumCase: ConformanceCase {
    public let name = "wrong_checksum"
    public let summary = "a send with a wrong checkSum is refused with 403"

    /// Creates the case.
    public init() {}

    public func run(_ context: CaseContext) async throws(ConformanceError) {
        let probe = try await ClusterProbe.connect(context)
        guard let partition = probe.partitions.first else { throw .violation("the topic has no partition") }

        let right = context.tag(0).message(body: Array("checksum right".utf8))
        let rightSum = right.payload.withUnsafeBytes { CRC32.tubeChecksum($0) }
        let withRight = try await probe.send(right, to: partition, checksum: rightSum)
        try require(
            withRight.success,
            "a send with the right checksum was refused: \(withRight.errCode) \(withRight.errMsg)"
        )

        let computed = try await probe.send(context.tag(1).message(body: Array("checksum -1".utf8)), to: partition)
        try require(computed.success, "a send with checkSum -1 was refused: \(computed.errCode) \(computed.errMsg)")

        let wrong = context.tag(2).message(body: Array("checksum wrong".utf8))
        let wrongSum = wrong.payload.withUnsafeBytes { CRC32.tubeChecksum($0) } ^ 0x0102_0304
        let withWrong = try await probe.send(wrong, to: partition, checksum: wrongSum)
        try require(!withWrong.success, "a send with a wrong checksum was accepted")
        try require(
            withWrong.errCode == ErrorCode.forbidden.rawValue,
            "a send with a wrong checksum was refused with \(withWrong.errCode) (\(withWrong.errMsg)), not 403"
        )
    }
}
