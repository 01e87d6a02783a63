import TubeMQBroker
import TubeMQCore
import TubeMQWebSupport

/// A group's offsets at a past time (`admin_get_group_history_offset`), and a backup of every
/// group's offsets to a file (`admin_backup_group_offsets`).
extension BrokerWebAPI {
    static let offsetHistoryMethods: [BrokerWebMethod] = [
        BrokerWebMethod("admin_get_group_history_offset") { api, p throws(BrokerWebError) in
            try await api.historyOffsets(p)
        }
    ]

    static let offsetBackupMethods: [BrokerWebMethod] = [
        BrokerWebMethod("admin_backup_group_offsets") { api, p throws(BrokerWebError) in try await api.backupOffsets(p)
        }
    ]

    /// `admin_get_group_history_offset`: per group of `groupName` (a list, required), its offset
    /// record at `recordTime` in the JSON of TubeMQ's `__offset_history__` records (version 3: `dt`,
    /// `bId`, `ver`, `group`, `on`, `flt`, `clients`, and `records` per topic and store with `iMin`,
    /// `iMax`, `dMin`, `dMax` and `parts` of `partId`, `iCfm`, `iFlt`, `recId`), as
    /// `{groupName, result:true, errMsg:"ok", records:[…], recordCount}`.
    ///
    /// This broker keeps no `__offset_history__` records: the record is derived from the stored
    /// messages' append times, as `admin_set_offset_by_time` derives its offsets. A partition's `iCfm`
    /// (and its store's `iMax`) is the offset of the first message stored at or after `recordTime`:
    /// where the group stood had it read everything stored before then, and where
    /// `admin_set_offset_by_time` would move it; not the group's own position then (`iFlt` is -1).
    /// `iMin` is the store's minimum now; `on` and `clients` are the consumers holding the group's
    /// partitions now. So a group has one record: `msgCount` (at least 1, default 1) and `maxRetryCnt`
    /// (1 to 5, default 2) are only checked. A group with no partitions or offsets here answers
    /// `{groupName, result:false, errMsg:"Could not find record!"}`.
    func historyOffsets(_ p: WebParameters) async throws(BrokerWebError) -> JSONObject {
        let groups: [String]
        let time: Int64
        do throws(WebParameterError) {
            groups = try p.list(.groupName, required: true)
            _ = try p.int32(.msgCount, range: 1...Int64(Int32.max))
            _ = try p.int32(.maxRetryCount, range: 1...5)
            time = try p.date(.recordTime, required: true) ?? 0
        } catch {
            throw BrokerWebError(error)
        }
        var items: [JSON] = []
        for group in groups {
            let partitions = await broker.groupOffsets(group: group)
            guard !partitions.isEmpty else {
                items.append(
                    .object(["groupName": .string(group), "result": false, "errMsg": "Could not find record!"])
                )
                continue
            }
            let atTime = try await offsets(at: time, of: partitions)
            let record = historyRecord(group: group, time: time, partitions: partitions, offsets: atTime)
            items.append(
                .object([
                    "groupName": .string(group), "result": true, "errMsg": "ok", "records": [.object(record)],
                    "recordCount": 1,
                ])
            )
        }
        return Envelope.success(items: items)
    }

    /// One offset record of `group` at `time`: `offsets[i]` is the offset at `time` of `partitions[i]`.
    private func historyRecord(
        group: String,
        time: Int64,
        partitions: [PartitionOffsets],
        offsets: [Int64]
    ) -> JSONObject {
        let holdings = broker.consumerHoldings().filter { $0.group == group }
        let clients = Array(Set(holdings.map(\.consumerID))).sorted()
        let clientItems: [JSON] = clients.enumerated().map { index, client in
            let lastSeen = holdings.filter { $0.consumerID == client }.map(\.lastSeen).max() ?? 0
            return .object(["recId": .int(index), "cltId": .string(client), "lstTm": .number(lastSeen)])
        }
        var topics: [JSON] = []
        var index = 0
        while index < partitions.count {
            let topic = partitions[index].topic
            var stores: [JSON] = []
            while index < partitions.count, partitions[index].topic == topic {
                let store = PartitionID.storeIndex(of: partitions[index].partitionID)
                var parts: [JSON] = []
                var storeEnd: Int64 = 0
                let storeMin = partitions[index].range.min
                while index < partitions.count, partitions[index].topic == topic,
                    PartitionID.storeIndex(of: partitions[index].partitionID) == store
                {
                    let partition = partitions[index]
                    var part: JSONObject = [
                        "partId": .int(partition.partitionID), "iCfm": .number(offsets[index]), "iFlt": -1,
                    ]
                    if let holder = partition.consumerID, let recID = clients.firstIndex(of: holder) {
                        part.append("recId", .int(recID))
                    }
                    parts.append(.object(part))
                    storeEnd = max(storeEnd, offsets[index])
                    index += 1
                }
                stores.append(
                    .object([
                        "storeId": .int(store), "iMin": .number(storeMin), "iMax": .number(storeEnd), "dMin": -1,
                        "dMax": -1, "parts": .array(parts),
                    ])
                )
            }
            topics.append(.object(["topic": .string(topic), "offsets": .array(stores)]))
        }
        return [
            "dt": .number(time), "bId": .int(broker.configuration.brokerID), "ver": 3, "group": .string(group),
            "on": .int(holdings.isEmpty ? 0 : 1), "flt": .int(holdings.contains(where: \.filtersMessages) ? 1 : 0),
            "clients": .array(clientItems), "records": .array(topics),
        ]
    }

    /// `admin_backup_group_offsets`: writes every group's committed offsets on this broker to
    /// `<data directory>/offset-backups/<backupPath>/offsets.meta`, `backupPath` a relative folder
    /// (default: the time of the call, `yyyyMMddHHmmss`), in the JSON of TubeMQ's offset file:
    /// `lstStoreTime`, `brokerId`, and `groupOffsetStgInfo` with, per group, `partOffsetInfo` keyed
    /// `<topic>-<partitionId>` of `{topic, partId, lstOffset}` (the other fields of TubeMQ's file are
    /// not kept here). TubeMQ writes to the `backupPath` it is given, anywhere on the broker's disk;
    /// here a backup never leaves the data directory. Answers with the file written and what it holds:
    /// `data:[{backupFile, groupCount, partCount}]`.
    func backupOffsets(_ p: WebParameters) async throws(BrokerWebError) -> JSONObject {
        let now = broker.metrics.now
        let folder: String
        do throws(WebParameterError) {
            folder = try p.string(.backupPath) ?? WebDate.format(now)
        } catch {
            throw BrokerWebError(error)
        }
        var byGroup: [String: [(key: String, value: JSON)]] = [:]
        var partitions = 0
        let committed = await broker.store.offsets.allCommittedOffsets().sorted {
            ($0.key.group, $0.key.topic, $0.key.partitionID) < ($1.key.group, $1.key.topic, $1.key.partitionID)
        }
        for (key, offset) in committed {
            let part: JSONObject = [
                "topic": .string(key.topic), "partId": .int(key.partitionID), "lstOffset": .number(offset),
            ]
            byGroup[key.group, default: []].append(("\(key.topic)-\(key.partitionID)", .object(part)))
            partitions += 1
        }
        var groups = JSONObject()
        for group in byGroup.keys.sorted() {
            var parts = JSONObject()
            for (key, value) in byGroup[group] ?? [] { parts.append(key, value) }
            groups.append(group, .object(["partOffsetInfo": .object(parts)]))
        }
        let contents: JSON = .object([
            "lstStoreTime": .number(now), "brokerId": .int(broker.configuration.brokerID),
            "groupOffsetStgInfo": .object(groups),
        ])
        let file: String
        do {
            file = try broker.writeOffsetBackup(contents.text, folder: folder)
        } catch {
            throw BrokerWebError(error)
        }
        return Envelope.success(objects: [
            ["backupFile": .string(file), "groupCount": .int(byGroup.count), "partCount": .int(partitions)]
        ])
    }
}
