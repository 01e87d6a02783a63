import Testing

@testable import TubeMQBroker

@Suite struct MessageIDGeneratorTests {
    @Test func idsAreUniqueNonNegativeAndCarryTheWorker() {
        let generator = MessageIDGenerator(workerID: 37)
        var seen = Set<Int64>()
        var issued = 0
        // Single ids and batches mixed, more than one millisecond's 4,096 sequence numbers.
        for round in 0..<300 {
            let batch = round % 3 == 0 ? [generator.next()] : generator.next(round % 64)
            issued += batch.count
            for id in batch {
                #expect(id >= 0)
                #expect((id >> 12) & 0x3FF == 37)
                #expect(seen.insert(id).inserted, "duplicate id \(id)")
            }
        }
        #expect(generator.next(0).isEmpty)
        #expect(seen.count == issued)
        #expect(issued > 4096)
    }
}
