import Foundation
import Testing
import TubeMQMasterState

/// Our topic settings `ackPolicy` and `retentionBytes`: validated, kept, and absent from old snapshots.
@Suite struct TopicSettingsDurabilityTests {
    @Test func aPatchSetsThem() throws {
        var patch = TopicSettingsPatch()
        patch.ackPolicy = "DISK"
        patch.retentionBytes = 1 << 30
        let settings = try TopicSettings().applying(patch)
        #expect(settings.ackPolicy == "disk")
        #expect(settings.retentionBytes == 1 << 30)
        #expect(try settings.applying(TopicSettingsPatch()).ackPolicy == "disk", "an empty patch keeps them")
    }

    @Test func badValuesAreIllegal() {
        var patch = TopicSettingsPatch()
        patch.ackPolicy = "fsync"
        #expect(throws: MasterError.self) { try TopicSettings().applying(patch) }
        var bytes = TopicSettingsPatch()
        bytes.retentionBytes = -1
        #expect(throws: MasterError.self) { try TopicSettings().applying(bytes) }
    }

    @Test func snapshotsWithoutThemStillDecode() throws {
        let old = try JSONEncoder().encode(TopicSettings())
        var object = try #require(try JSONSerialization.jsonObject(with: old) as? [String: Any])
        object.removeValue(forKey: "ackPolicy")
        object.removeValue(forKey: "retentionBytes")
        let decoded = try JSONDecoder().decode(TopicSettings.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(decoded.ackPolicy == nil)
        #expect(decoded == TopicSettings())
    }
}
