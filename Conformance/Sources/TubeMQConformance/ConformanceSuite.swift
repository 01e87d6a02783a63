/// The cases of the conformance suite.
public enum ConformanceSuite {
    /// Every case, in the order the runner runs them: single-client behaviour first, groups last.
    public static var all: [any ConformanceCase] {
        [
            RoundTripCase(),
            PartitionOrderCase(),
            MultiChunkCase(),
            MaxMessageSizeCase(),
            WrongChecksumCase(),
            UnregisteredConsumerCase(),
            EndOfDataCase(),
            ProtocolAbuseCase(),
            RedeliveryCase(),
            CommitResumeCase(),
            StartPositionCase(),
            FilterCase(),
            OffsetResetCase(),
            IndependentGroupsCase(),
            GroupBalanceCase(),
            StandbyMasterCase(),
        ]
    }
}
