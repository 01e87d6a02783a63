import Testing
import TubeMQMasterState

/// The recorded master's answers, reproduced: each recording is replayed into a ``MasterState`` with
/// balance rounds every 5 s from the given first round (derived from when the recorded events
/// first appear), and every consumer and producer response is compared field by field: error codes
/// and texts, `notAllocated`, the event's type, subscriptions and rebalance id (up to a constant
/// offset, so the same number of rounds must pass between events), broker lists and topic infos.
@Suite struct VectorReplayTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let file: String
        let topics: Set<String>
        let firstRound: Int64
        let events: Int
        var testDescription: String { file }
    }

    static let cases: [Case] = [
        Case(file: "probe-rebalance.jsonl", topics: ["t_probe"], firstRound: 4_500, events: 4),
        Case(file: "go-consumer-rebalance.jsonl", topics: ["t_go"], firstRound: 8_500, events: 4),
        Case(file: "java-consumer-rebalance.jsonl", topics: ["t_java"], firstRound: 400, events: 4),
        Case(file: "probe-timeout.jsonl", topics: ["t_probe"], firstRound: 2_500, events: 1),
        Case(file: "probe-end-of-data.jsonl", topics: ["t_probe"], firstRound: 500, events: 1),
        Case(file: "go-consumer.jsonl", topics: ["t_go"], firstRound: 10_000, events: 1),
        Case(file: "cpp-consumer.jsonl", topics: ["t_cpp"], firstRound: 10_000, events: 1),
        Case(file: "java-pull-consumer.jsonl", topics: ["t_java"], firstRound: 5_000, events: 1),
        Case(file: "go-filter-consumer.jsonl", topics: ["t_filter"], firstRound: 10_000, events: 1),
        Case(file: "java-filter-consumer.jsonl", topics: ["t_filter"], firstRound: 5_000, events: 1),
        Case(file: "go-producer.jsonl", topics: ["t_go"], firstRound: 5_000, events: 0),
        Case(file: "java-producer.jsonl", topics: ["t_java"], firstRound: 5_000, events: 0),
        Case(file: "cpp-producer.jsonl", topics: ["t_cpp"], firstRound: 5_000, events: 0),
        Case(file: "probe-unregistered-get.jsonl", topics: ["t_probe"], firstRound: 5_000, events: 0),
    ]

    @Test(arguments: cases)
    func replayMatchesTheRecordedMaster(_ recording: Case) throws {
        let frames = try #require(
            RecordedVectors.masterFrames(recording.file),
            "vectors not found at \(RecordedVectors.directory.path)"
        )
        var replay = try VectorReplay(topics: recording.topics, firstRound: recording.firstRound)
        replay.run(frames)
        #expect(replay.mismatches == [])
        #expect(replay.comparedResponses == frames.filter { !$0.isRequest && $0.method != nil }.count)
        #expect(replay.comparedEvents == recording.events)
    }

    /// `probe-rebalance-noreport.jsonl` cannot be replayed answer by answer (the real master spread
    /// the re-pushed partitions at random), but its shape holds: no ONLY_DISCONNECT ever, and
    /// ONLY_CONNECT again in round after round.
    @Test func noReportRecordingKeepsGettingOnlyConnect() throws {
        let frames = try #require(RecordedVectors.masterFrames("probe-rebalance-noreport.jsonl"))
        let pushed = frames.compactMap { $0.isRequest ? nil : $0.object("event") }
        #expect(pushed.count >= 10)
        #expect(pushed.allSatisfy { ($0["opType"] as? Int) == 10 })
        #expect(frames.allSatisfy { !$0.isRequest || $0.bool("reportSubscribeInfo") != true })
    }
}
