import Testing
import TubeMQMaster

/// The master side of every client recording, replayed end to end over RPC: same reply types, the
/// same fields present, the same `errCode`/`errMsg`, the same strings (broker and topic infos,
/// subscriptions, flow-control boilerplate), the same events at the same points; only ids,
/// checksums, tokens and times may differ.
@Suite struct RecordedReplayTests {
    struct Recording: Sendable, CustomTestStringConvertible {
        let file: String
        let topics: [String]
        /// When the recorded master's first balance round that matters ran (recording time, ms);
        /// the same values the state machine's replay uses.
        let firstRound: Int64
        let events: Int
        var testDescription: String { file }
    }

    static let recordings: [Recording] = [
        Recording(file: "go-producer.jsonl", topics: ["t_go"], firstRound: 5_000, events: 0),
        Recording(file: "cpp-producer.jsonl", topics: ["t_cpp"], firstRound: 5_000, events: 0),
        Recording(file: "java-producer.jsonl", topics: ["t_java"], firstRound: 5_000, events: 0),
        Recording(file: "java-pull-consumer.jsonl", topics: ["t_java"], firstRound: 5_000, events: 1),
        Recording(file: "go-consumer.jsonl", topics: ["t_go"], firstRound: 10_000, events: 1),
        Recording(file: "cpp-consumer.jsonl", topics: ["t_cpp"], firstRound: 10_000, events: 1),
        Recording(file: "go-filter-consumer.jsonl", topics: ["t_filter"], firstRound: 10_000, events: 1),
        Recording(file: "java-filter-consumer.jsonl", topics: ["t_filter"], firstRound: 5_000, events: 1),
        Recording(file: "probe-end-of-data.jsonl", topics: ["t_probe"], firstRound: 500, events: 1),
        Recording(file: "probe-timeout.jsonl", topics: ["t_probe"], firstRound: 2_500, events: 1),
        Recording(file: "probe-unregistered-get.jsonl", topics: ["t_probe"], firstRound: 5_000, events: 0),
        Recording(file: "probe-rebalance.jsonl", topics: ["t_probe"], firstRound: 4_500, events: 4),
        Recording(file: "go-consumer-rebalance.jsonl", topics: ["t_go"], firstRound: 8_500, events: 4),
        Recording(file: "java-consumer-rebalance.jsonl", topics: ["t_java"], firstRound: 400, events: 4),
        Recording(file: "probe-unknown-method.jsonl", topics: ["t_probe"], firstRound: 5_000, events: 0),
        Recording(file: "probe-missing-required.jsonl", topics: ["t_probe"], firstRound: 5_000, events: 0),
        Recording(file: "java-client-balance-consumer.jsonl", topics: ["t_java"], firstRound: 5_000, events: 0),
    ]

    @Test(arguments: recordings)
    func replayMatchesTheRecordedMaster(_ recording: Recording) async throws {
        let frames = try #require(
            RecordedFrames.master(recording.file),
            "vectors not found at \(RecordedFrames.directory.path)"
        )
        // The recording's time 0 is the master's start; its first balance round runs at `firstRound`
        // and then every 5 s, as in the recording.
        var configuration = TestMaster.recordedTimings
        configuration.firstBalanceDelayMs = recording.firstRound
        try await TestMaster.with(configuration: configuration) { harness in
            try await harness.setUpRecordedCluster(topics: recording.topics)
            var replay = MasterReplay(harness: harness, origin: harness.clock.now())
            await replay.run(frames)
            #expect(replay.mismatches == [])
            let replies = frames.filter { !$0.isRequest }.count
            #expect(replay.comparedReplies + replay.skippedFrames / 2 == replies)
            #expect(replay.comparedEvents == recording.events)
        }
    }
}
