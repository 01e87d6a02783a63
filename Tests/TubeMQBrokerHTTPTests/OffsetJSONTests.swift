import Testing
import TubeMQStorage
import TubeMQWebSupport

@testable import TubeMQBroker
@testable import TubeMQBrokerHTTP

/// A group whose committed offset was aged out lags by what is stored, not by what was deleted: the
/// lag of a group behind deleted segments counted 20,000 messages when 70 were left.
@Suite struct OffsetJSONTests {
    @Test(arguments: [
        (Int64?(28), Int64(1_960)),  // aged out below the oldest offset kept (560)
        (Int64?(840), Int64(1_680)),
        (Int64?.none, Int64(1_960)),
    ])
    func theLagCountsOnlyWhatIsStored(committed: Int64?, lag: Int64) {
        let offsets = PartitionOffsets(
            group: "g",
            topic: "t",
            partitionID: 0,
            committed: committed,
            tentative: nil,
            range: OffsetRange(min: 560, max: 2_520),
            consumerID: nil
        )
        let json = OffsetJSON.partition(offsets)
        #expect(json["offsetLag"] == .number(lag), "\(json)")
    }
}
