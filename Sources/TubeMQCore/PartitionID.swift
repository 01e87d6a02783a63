/// Helpers for TubeMQ partition ids, which encode the storage instance: `storeIndex * 10000 + index`.
public enum PartitionID {
    /// The multiplier between a store index and its partitions (`TBaseConstants.META_STORE_INS_BASE`).
    public static let storeBase: Int32 = 10_000

    /// The partition id of partition `index` inside storage instance `storeIndex`.
    @inlinable
    public static func make(storeIndex: Int32, index: Int32) -> Int32 { storeIndex * storeBase + index }

    /// The storage-instance index a partition id belongs to.
    @inlinable
    public static func storeIndex(of partitionID: Int32) -> Int32 { partitionID / storeBase }

    /// The partition's index inside its storage instance.
    @inlinable
    public static func index(of partitionID: Int32) -> Int32 { partitionID % storeBase }

    /// Every partition id of a topic laid out as `stores` instances of `partitionsPerStore` partitions.
    public static func all(stores: Int32, partitionsPerStore: Int32) -> [Int32] {
        var ids: [Int32] = []
        ids.reserveCapacity(Int(stores * partitionsPerStore))
        for store in 0..<stores {
            for index in 0..<partitionsPerStore { ids.append(make(storeIndex: store, index: index)) }
        }
        return ids
    }
}
