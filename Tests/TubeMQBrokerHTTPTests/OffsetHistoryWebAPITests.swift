import Foundation
import Testing
import TubeMQStorage
import TubeMQWebSupport

/// `admin_get_group_history_offset` (a group's offsets at a past time) and
/// `admin_backup_group_offsets` (every group's offsets to a file under the data directory).
@Suite struct OffsetHistoryWebAPITests {
    static let entry = StorageOffset.entrySize

    @Test func historyGivesTheOffsetsAtTheRecordTime() async throws {
        try await BrokerFixture.with { fixture in
            try await fixture.send(2)
            // Move into the next wall-clock second: recordTime has one-second resolution.
            let now = Date().timeIntervalSince1970
            try await Task.sleep(for: .milliseconds(Int((ceil(now) - now) * 1000) + 20))
            let mark = WebDate.format(Int64(Date().timeIntervalSince1970 * 1000))
            try await fixture.send(2)
            try await fixture.register()
            _ = try await fixture.fetch()
            #expect(try await fixture.commit() == 4 * Self.entry)

            let reply = try await fixture.get(
                "method=admin_get_group_history_offset&groupName=\(BrokerFixture.group),g_none&recordTime=\(mark)"
            )
            #expect(reply.keys == ["result", "errCode", "errMsg", "data", "count"])
            #expect(reply.number("count") == 2)
            let items = reply.objects("data")
            let found = try #require(items.first { $0.string("groupName") == BrokerFixture.group })
            #expect(found.keys == ["groupName", "result", "errMsg", "records", "recordCount"])
            #expect(found.bool("result") == true)
            #expect(found.number("recordCount") == 1)
            let record = try #require(found.objects("records").first)
            #expect(record.keys == ["dt", "bId", "ver", "group", "on", "flt", "clients", "records"])
            #expect(record.number("dt") == WebDate.parse(mark))
            #expect(record.number("bId") == 1)
            #expect(record.number("on") == 1)
            #expect(record.objects("clients").first?.string("cltId") == BrokerFixture.consumer)
            let topic = try #require(record.objects("records").first)
            #expect(topic.string("topic") == BrokerFixture.topic)
            let store = try #require(topic.objects("offsets").first)
            #expect(store.number("storeId") == 0)
            #expect(store.number("iMax") == 2 * Self.entry)
            let parts = store.objects("parts")
            #expect(parts.map { $0.number("partId") } == [0, 1])
            #expect(parts.allSatisfy { $0.number("iCfm") == 2 * Self.entry }, "\(reply.text)")
            #expect(parts.first?.number("recId") == 0)
            #expect(parts.last?.number("recId") == nil, "nobody holds partition 1")

            let missing = try #require(items.first { $0.string("groupName") == "g_none" })
            #expect(missing.text == #"{"groupName":"g_none","result":false,"errMsg":"Could not find record!"}"#)

            // The offsets are those a reset by time moves the group to.
            let reset = try await fixture.get(
                "method=admin_set_offset_by_time&groupName=\(BrokerFixture.group)&modifyUser=ops&recordTime=\(mark)"
            )
            let after = reset.objects("data").first?.objects("after").first?.objects("offsets").first
            #expect(after?.number("curOffset") == 2 * Self.entry)
        }
    }

    @Test func historyRefusesBadInputs() async throws {
        try await BrokerFixture.with { fixture in
            let time = WebDate.format(Int64(Date().timeIntervalSince1970 * 1000))
            let cases: [(String, String)] = [
                ("recordTime=\(time)", "Parameter groupName is missing or value is blank!"),
                ("groupName=g_off", "Parameter recordTime is missing or value is blank!"),
                (
                    "groupName=g_off&recordTime=2024",
                    "Parameter recordTime value 2024 must be a date as yyyyMMddHHmmss!"
                ),
                ("groupName=g_off&recordTime=\(time)&maxRetryCnt=6", "Parameter maxRetryCnt value must be <= 5!"),
                ("groupName=g_off&recordTime=\(time)&msgCount=0", "Parameter msgCount value must be >= 1!"),
            ]
            for (query, message) in cases {
                let reply = try await fixture.get("method=admin_get_group_history_offset&\(query)")
                #expect(reply.text == BrokerFixtureText.failure("Bad request from server: \(message)"), "\(query)")
            }
        }
    }

    @Test func backupWritesEveryGroupsOffsetsUnderTheDataDirectory() async throws {
        try await BrokerFixture.with { fixture in
            #expect(try await fixture.sendAndConsume(3) == 3 * Self.entry)
            _ = try await fixture.get(
                "method=admin_clone_offset&sourceGroupName=\(BrokerFixture.group)&targetGroupName=g_copy&modifyUser=ops"
            )

            let reply = try await fixture.get("method=admin_backup_group_offsets&backupPath=daily/one")
            #expect(reply.keys == ["result", "errCode", "errMsg", "data", "count"])
            let item = try #require(reply.objects("data").first)
            let expected = fixture.broker.configuration.dataDirectory.appending("offset-backups/daily/one/offsets.meta")
            #expect(item.string("backupFile") == expected.string)
            #expect(item.number("groupCount") == 2)
            #expect(item.number("partCount") == 2)
            let text = try String(contentsOfFile: expected.string, encoding: .utf8)
            let backup = try #require(try JSON.parse(text).object)
            #expect(backup.keys == ["lstStoreTime", "brokerId", "groupOffsetStgInfo"])
            #expect(backup.number("brokerId") == 1)
            let groups = try #require(backup["groupOffsetStgInfo"]?.object)
            #expect(groups.keys == ["g_copy", "g_off"])
            let part = groups["g_off"]?.object?["partOffsetInfo"]?.object?["t_off-0"]?.object
            #expect(part?.text == #"{"topic":"t_off","partId":0,"lstOffset":\#(3 * Self.entry)}"#)

            // Again to the same folder: replaced whole. Without a folder: one named by the time.
            #expect(try await fixture.get("method=admin_backup_group_offsets&bPath=daily/one").bool("result") == true)
            let stamped = try await fixture.get("method=admin_backup_group_offsets")
            let file = try #require(stamped.objects("data").first?.string("backupFile"))
            #expect(FileManager.default.fileExists(atPath: file))
            #expect(file.hasSuffix("/offsets.meta") && file.contains("/offset-backups/"))
        }
    }

    @Test func backupStaysInsideTheDataDirectory() async throws {
        try await BrokerFixture.with { fixture in
            for path in ["../escape", "/tmp/escape", "a/../../b", "a//b", "a%20b", "."] {
                let reply = try await fixture.get("method=admin_backup_group_offsets&backupPath=\(path)")
                #expect(reply.bool("result") == false, "\(path)")
                #expect(reply.number("errCode") == 400, "\(path)")
                #expect(reply.string("errMsg")?.hasPrefix("Bad request from server: backup folder") == true, "\(path)")
            }
            let root = fixture.broker.configuration.dataDirectory.string
            #expect(!FileManager.default.fileExists(atPath: root + "/../escape"))
            // Nor through a symbolic link inside the backup folder.
            let outside = root + "-outside"
            try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: outside) }
            try FileManager.default.createDirectory(atPath: root + "/offset-backups", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(
                atPath: root + "/offset-backups/link",
                withDestinationPath: outside
            )
            let linked = try await fixture.get("method=admin_backup_group_offsets&backupPath=link/z")
            #expect(linked.bool("result") == false, "\(linked.text)")
            #expect(!FileManager.default.fileExists(atPath: outside + "/z/offsets.meta"))
        }
    }
}

/// Envelope texts the tests compare with.
enum BrokerFixtureText {
    /// `{"result":false,"errCode":400,"errMsg":<message>}`.
    static func failure(_ message: String) -> String {
        JSON.object(["result": false, "errCode": 400, "errMsg": .string(message)]).text
    }
}
