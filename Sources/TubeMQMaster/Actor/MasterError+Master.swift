public import TubeMQMasterState

extension MasterError.Code {
    /// 501 (admin, `DataOpErrCode` store error): the change is applied in memory but the metadata
    /// store failed to write it; the master writes the full state again with its next change.
    public static let storeFailure = MasterError.Code(rawValue: 501)
    /// 510 (admin, `DataOpErrCode` store stopped): the master is shut down.
    public static let stopped = MasterError.Code(rawValue: 510)
}

extension MasterError {
    /// 510: the call arrived after ``Master/shutdown()``.
    static let masterStopped = MasterError(code: .stopped, message: "The master is stopped!")

    /// 501: the metadata store failed after the change was applied in memory.
    static func storeFailed(_ error: MetadataStoreError) -> MasterError {
        MasterError(
            code: .storeFailure,
            message: "Applied, but the metadata store failed to persist it: \(error); it will be retried, "
                + "and a restart before it is saved loses it"
        )
    }

    /// 501: an earlier change is still not saved and the store still fails; nothing was applied.
    static func storeStillFailing(_ error: MasterError) -> MasterError {
        MasterError(
            code: .storeFailure,
            message: "Not applied: the metadata store cannot save earlier changes (\(error.message))"
        )
    }
}
