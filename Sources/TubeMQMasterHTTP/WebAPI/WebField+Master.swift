import TubeMQWebSupport

/// The parameters only the master's methods read (admin-api.md §4.1), beside the shared ones of
/// ``TubeMQWebSupport/WebField``.
extension WebField {
    /// `flowCtrlInfo` / `flowCtrlSet` (JSON).
    static let flowCtrlInfo = WebField("flowCtrlInfo", "flowCtrlSet")
    /// `flowCtrlEnable` / `fCtrlEn`.
    static let flowCtrlEnable = WebField("flowCtrlEnable", "fCtrlEn")
    /// `statusId` (old flow-control API: 0 off, 1 on).
    static let statusID = WebField("statusId", "statusId")
    /// `resCheckEnable` / `resChkEn`.
    static let resCheckEnable = WebField("resCheckEnable", "resChkEn")
    /// `alwdBrokerClientRate` / `abcr`.
    static let allowedBrokerClientRate = WebField("alwdBrokerClientRate", "abcr")
    /// `allowedBClientRate` (the consume-group setting spelling of the same value).
    static let oldAllowedBrokerClientRate = WebField("allowedBClientRate", "allowedBClientRate")
    /// `enableBind` (consume-group settings).
    static let enableBind = WebField("enableBind", "enableBind")
    /// `condStatus` (the old filter-condition API: 0 off, 1 on without filter, 2 on with filter).
    static let condStatus = WebField("condStatus", "condStatus")
}

/// The JSON-set parameters of the master's batch methods (beside `brokerJsonSet` and `topicJsonSet`).
extension WebField {
    /// `groupResCtrlJsonSet` / `gResCtrlSet` (JSON set).
    static let groupResCtrlJSONSet = WebField("groupResCtrlJsonSet", "gResCtrlSet")
    /// `groupNameJsonSet` / `gJsonSet` (JSON set; deprecated in TubeMQ, read by the old batch calls).
    static let groupNameJSONSet = WebField("groupNameJsonSet", "gJsonSet")
    /// `groupCsmJsonSet` / `csmJsonSet` (JSON set of the consume-control batch methods).
    static let groupCsmJSONSet = WebField("groupCsmJsonSet", "csmJsonSet")
    /// `topicCtrlJsonSet` / `tCtrlSet` (JSON set of the topic-control batch methods).
    static let topicCtrlJSONSet = WebField("topicCtrlJsonSet", "tCtrlSet")
    /// `filterCondJsonSet` / `filterJsonSet` (JSON set of the filter-condition batch methods).
    static let filterCondJSONSet = WebField("filterCondJsonSet", "filterJsonSet")
}
