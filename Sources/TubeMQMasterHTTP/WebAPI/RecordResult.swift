import TubeMQMasterState
import TubeMQWebSupport

/// The per-record items of modify calls (admin-api.md §3.2): success is errCode 200 with
/// `"Ok!"`, a failure carries the master's ``TubeMQMasterState/MasterError`` code and text.
enum RecordResult {
    /// `brokerId`, `brokerIp`, `success`, `errCode`, `errInfo`.
    static func broker(id: Int32, ip: String, _ error: MasterError?) -> JSONObject {
        var item: JSONObject = ["brokerId": .int(id), "brokerIp": .string(ip)]
        item.append(contentsOf: outcome(error))
        return item
    }

    /// `brokerId`, `topicName`, `success`, `errCode`, `errInfo`.
    static func topicDeploy(brokerID: Int32, topic: String, _ error: MasterError?) -> JSONObject {
        var item: JSONObject = ["brokerId": .int(brokerID), "topicName": .string(topic)]
        item.append(contentsOf: outcome(error))
        return item
    }

    /// `topicName`, `success`, `errCode`, `errInfo`.
    static func topicControl(topic: String, _ error: MasterError?) -> JSONObject {
        var item: JSONObject = ["topicName": .string(topic)]
        item.append(contentsOf: outcome(error))
        return item
    }

    /// `groupName`, `topicName`, `success`, `errCode`, `errInfo`.
    static func groupTopic(group: String, topic: String, _ error: MasterError?) -> JSONObject {
        var item: JSONObject = ["groupName": .string(group), "topicName": .string(topic)]
        item.append(contentsOf: outcome(error))
        return item
    }

    /// `groupName`, `success`, `errCode`, `errInfo` (group resource control, group flow rules).
    static func group(_ group: String, _ error: MasterError?) -> JSONObject {
        var item: JSONObject = ["groupName": .string(group)]
        item.append(contentsOf: outcome(error))
        return item
    }

    private static func outcome(_ error: MasterError?) -> JSONObject {
        guard let error else { return ["success": true, "errCode": 200, "errInfo": "Ok!"] }
        return ["success": false, "errCode": .int(error.code.rawValue), "errInfo": .string(error.message)]
    }
}

extension MasterError {
    /// Runs `body` and returns the master error it threw, or `nil` when it succeeded.
    static func capture(_ body: () async throws(MasterError) -> Void) async -> MasterError? {
        do {
            try await body()
            return nil
        } catch {
            return error
        }
    }
}
