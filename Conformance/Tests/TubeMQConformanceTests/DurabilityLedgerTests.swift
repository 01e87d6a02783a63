import Testing

@testable import TubeMQConformance

/// The durability checker's verdict: lost, duplicated and corrupted messages are told apart.
@Suite struct DurabilityLedgerTests {
    @Test func verdictCountsEachKind() {
        let ledger = DurabilityLedger(runTag: 7)
        var bodies: [UInt64: [UInt8]] = [:]
        for sequence in 1...5 as ClosedRange<UInt64> {
            let key = DurabilityLedger.key(producer: 1, sequence: sequence)
            let body = ledger.body(key: key, size: 64)
            bodies[key] = body
            ledger.record(key: key, body: body, partition: "1:t:0", offset: Int64(sequence))
        }
        let key = { DurabilityLedger.key(producer: 1, sequence: $0) }
        var corrupted = bodies[key(3)]!
        corrupted[40] ^= 0xFF
        let unacknowledged = ledger.body(key: key(9), size: 64)
        let otherRun = DurabilityLedger(runTag: 8).body(key: key(1), size: 64)
        let report = ledger.verdict(consumed: [
            bodies[key(1)]!, bodies[key(2)]!, bodies[key(2)]!, corrupted, unacknowledged, otherRun,
        ])
        #expect(report.acknowledged == 5)
        #expect(report.consumed == 5)
        #expect(report.lost == 2, "4 and 5 never came back")
        #expect(report.duplicated == 1)
        #expect(report.corrupted == 1)
        #expect(report.storedUnacknowledged == 1)
    }

    @Test func bodiesCarryTheirKey() {
        let ledger = DurabilityLedger(runTag: 3)
        let key = DurabilityLedger.key(producer: 2, sequence: 12_345)
        #expect(ledger.key(of: ledger.body(key: key, size: 16)) == key)
        #expect(ledger.key(of: [1, 2, 3]) == nil)
    }
}
