import ArgumentParser
import Foundation
import TubeMQCore
import TubeMQStorage

/// The options of `tubemq admin offsets | lag | reset-offsets`.
struct OffsetOptions: ParsableArguments {
    @Option(help: "offsets, lag, reset-offsets: the consumer group.")
    var group: String?

    @Option(help: "offsets, lag, reset-offsets: the topic (reset-offsets needs it).")
    var topic: String?

    @Option(
        parsing: .unconditional,
        help: "reset-offsets with --to-offset, --to-earliest or --to-latest: only this partition id."
    )
    var partition: Int32?

    @Option(
        parsing: .unconditional,
        help: "reset-offsets: only on this broker (partition ids repeat from broker to broker)."
    )
    var broker: Int64?

    @Option(help: "reset-offsets: to the first message stored at or after this ISO 8601 time.")
    var toTime: String?

    @Option(
        parsing: .unconditional,
        help: "reset-offsets: to this offset (it must lie in each partition's stored range)."
    )
    var toOffset: Int64?

    @Flag(help: "reset-offsets: to the oldest message kept.")
    var toEarliest = false

    @Flag(help: "reset-offsets: to the newest offset (skip everything stored).")
    var toLatest = false
}

/// `tubemq admin offsets | lag | reset-offsets`: consumer-group offsets through the brokers' webapis.
extension AdminCommand {
    func runOffsets() async throws {
        let admin = OffsetAdmin(
            master: web,
            tls: try webTLS(),
            brokerToken: try brokerToken(),
            brokerTokens: try brokerTokensByID(),
            user: user,
            timeout: TimeInterval(timeout)
        )
        switch action {
        case "reset-offsets": try await resetOffsets(admin)
        default: try await showOffsets(admin, everyGroup: action == "lag")
        }
    }

    /// `offsets --group G` (one group) or `lag` (every group with offsets or a consumer, or `--group`).
    private func showOffsets(_ admin: OffsetAdmin, everyGroup: Bool) async throws {
        // Reset options here would do nothing: say so rather than exit 0 having reset nothing.
        guard offsets.partition == nil, offsets.broker == nil, offsets.toTime == nil, offsets.toOffset == nil,
            !offsets.toEarliest,
            !offsets.toLatest
        else {
            throw ValidationError("--partition and --to-… are reset-offsets options; \(action) only shows offsets")
        }
        let group = offsets.group
        guard everyGroup || group != nil else { throw ValidationError("offsets needs --group (lag lists every group)") }
        let (answered, unreachable) = try await admin.offsets(group: group, topic: offsets.topic)
        // Asked about a topic, a broker answers for every group it books, those that never read the
        // topic too (committed -1, the whole topic as lag): leave those out.
        let booked = Set(answered.filter { $0.committed >= 0 }.map { [$0.group, $0.topic] })
        let rows = answered.filter { booked.contains([$0.group, $0.topic]) }
        for problem in unreachable { FileHandle.standardError.write(Data("warning: \(problem)\n".utf8)) }
        if rows.isEmpty, unreachable.isEmpty {
            if let group {
                let scope = offsets.topic.map { " on topic \($0)" } ?? ""
                throw WebAPIFailure(
                    "unknown group \(group): no broker holds offsets for it\(scope) (`tubemq admin groups` lists the "
                        + "groups consuming now)"
                )
            }
            print("no group has offsets or a consumer\(offsets.topic.map { " of topic \($0)" } ?? "") on any broker")
            return
        }
        print(OffsetAdmin.table(rows, withGroup: everyGroup))
        if everyGroup {
            // The partitions of a storage instance share its index: each one's lag counts the others'
            // messages too. So a group's total takes, per instance, the lag of its least advanced partition.
            struct Store: Hashable {
                var group: String
                var topic: String
                var brokerID: Int64
                var index: Int64
            }
            var perStore: [Store: Int64] = [:]
            for row in rows {
                let store = Store(
                    group: row.group,
                    topic: row.topic,
                    brokerID: row.brokerID,
                    index: row.partitionID / Int64(PartitionID.storeBase)
                )
                perStore[store] = max(perStore[store] ?? 0, max(0, row.lag))
            }
            var totals: [String: Int64] = [:]
            for (store, lag) in perStore { totals[store.group, default: 0] += lag }
            for (name, lag) in totals.sorted(by: { $0.key < $1.key }) {
                print("total lag of \(name): \(lag) (\(lag / Int64(StorageOffset.entrySize)) messages)")
            }
        }
        if !unreachable.isEmpty { throw ExitCode(1) }
    }

    /// `reset-offsets --group G --topic T --to-…`, then the group's offsets on the topic.
    private func resetOffsets(_ admin: OffsetAdmin) async throws {
        guard let group = offsets.group, let topic = offsets.topic else {
            throw ValidationError("reset-offsets needs --group and --topic")
        }
        if let partition = offsets.partition, partition < 0 {
            throw ValidationError("--partition must not be negative, got \(partition)")
        }
        if let broker = offsets.broker, broker < 0 {
            throw ValidationError("--broker must not be negative, got \(broker)")
        }
        var targets: [OffsetAdmin.Target] = []
        if let text = offsets.toTime {
            guard let date = ConsumeCommand.time(text) else {
                throw ValidationError("--to-time takes an ISO 8601 time like 2026-12-01T10:00:00Z, got \(text)")
            }
            guard offsets.partition == nil else {
                throw ValidationError("--to-time moves every partition of the topic; drop --partition")
            }
            // The broker takes the time to the second (`recordTime`, yyyyMMddHHmmss): a fraction would be
            // dropped silently, and messages from earlier in that second would come again.
            guard date.timeIntervalSince1970.rounded(.down) == date.timeIntervalSince1970 else {
                throw ValidationError(
                    "--to-time is taken to the second by the broker: give a time without a fraction, got \(text)"
                )
            }
            targets.append(.time(date))
        }
        if let offset = offsets.toOffset {
            guard offset >= 0 else { throw ValidationError("--to-offset must be >= 0") }
            targets.append(.offset(offset))
        }
        if offsets.toEarliest { targets.append(.earliest) }
        if offsets.toLatest { targets.append(.latest) }
        guard targets.count == 1, let target = targets.first else {
            throw ValidationError(
                "reset-offsets takes exactly one of --to-time, --to-offset, --to-earliest, --to-latest"
            )
        }
        // A group with no offsets yet is set up by the reset (a way to place a group before it starts),
        // but a mistyped name would do the same silently: say so.
        let (before, _) = try await admin.offsets(group: group, topic: topic)
        let isNew = before.allSatisfy { $0.committed < 0 }
        try await admin.reset(
            group: group,
            topic: topic,
            partition: offsets.partition,
            broker: offsets.broker,
            to: target
        )
        let (rows, _) = try await admin.offsets(group: group, topic: topic)
        print(OffsetAdmin.table(rows, withGroup: false))
        if isNew {
            FileHandle.standardError.write(
                Data(
                    ("note: group \(group) had no offsets on topic \(topic): the reset created them, and a consumer "
                        + "of the group starts there (check the name if you meant an existing group)\n").utf8
                )
            )
        }
    }
}
