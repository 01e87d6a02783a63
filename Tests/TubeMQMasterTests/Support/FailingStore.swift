import TubeMQMaster
import TubeMQMasterState

/// A metadata store whose writes fail while ``failing`` is set; it keeps what it was given.
actor FailingStore: MetadataStore {
    var failing = false
    private(set) var written: [MetadataChange] = []

    func setFailing(_ value: Bool) { failing = value }

    func load() async throws(MetadataStoreError) -> MasterSnapshot? { nil }

    func persist(_ change: MetadataChange) async throws(MetadataStoreError) {
        if failing { throw MetadataStoreError(.io, "disk full (simulated)") }
        written.append(change)
    }

    func close() async throws(MetadataStoreError) {}
}
