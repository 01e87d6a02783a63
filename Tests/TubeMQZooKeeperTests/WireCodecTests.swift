import NIOCore
import Testing

@testable import TubeMQZooKeeper

/// Requests encoded byte for byte as the recorded traffic of the protocol spec (§9), and recorded
/// replies decoded.
@Suite struct WireCodecTests {
    static let openACL = "00000001 0000001f 00000005 776f726c64 00000006 616e796f6e65"

    @Test func connectRequestMatchesRecording() {
        let request = ConnectRequest(
            lastZxidSeen: 0,
            timeoutMilliseconds: 30000,
            sessionID: 0,
            password: [UInt8](repeating: 0, count: 16)
        )
        #expect(
            request.encodedFrame().bytes
                == hex(
                    "0000002d 00000000 0000000000000000 00007530 0000000000000000 00000010 \(String(repeating: "00", count: 16)) 00"
                )
        )
    }

    @Test func connectResponseDecodes() throws {
        var payload = ByteBuffer(
            bytes: hex("00000000 00007530 01000033b13e000a 00000010 52cd6079ad24b55b7eb6ded974d64e5c 00")
        )
        let response = try ConnectResponse(from: &payload)
        #expect(response.timeoutMilliseconds == 30000)
        #expect(response.sessionID == 0x0100_0033_b13e_000a)
        #expect(response.password == hex("52cd6079ad24b55b7eb6ded974d64e5c"))
        #expect(!response.readOnly)
        #expect(!response.isExpired)

        var expired = ByteBuffer(
            bytes: hex("00000000 00000000 0000000000000000 00000010 \(String(repeating: "00", count: 16)) 00")
        )
        #expect(try ConnectResponse(from: &expired).isExpired)

        // An old server omits the readOnly byte.
        var old = ByteBuffer(bytes: hex("00000000 00007530 01000033b13e000a 00000010 52cd6079ad24b55b7eb6ded974d64e5c"))
        #expect(try ConnectResponse(from: &old).readOnly == false)

        var short = ByteBuffer(bytes: hex("00000000 00007530 0100"))
        #expect(throws: JuteDecodingError.self) { try ConnectResponse(from: &short) }
    }

    @Test func createRequestsMatchRecording() {
        var nullData = ByteBuffer()
        nullData.writeJuteString("/election")
        nullData.writeJuteBuffer(nil)
        nullData.writeACLs(ACL.openUnsafe)
        nullData.writeJuteInt(CreateMode.persistent.flags)
        #expect(
            RequestFrame.encode(xid: 1, opCode: .create, body: nullData).bytes
                == hex("00000038 00000001 00000001 00000009 2f656c656374696f6e ffffffff \(Self.openACL) 00000000")
        )

        let sequential = RequestFrame.create(
            "/election/m-6f1c_",
            data: [],
            acl: ACL.openUnsafe,
            flags: CreateMode.ephemeralSequential.flags
        )
        #expect(
            RequestFrame.encode(xid: 2, opCode: .create, body: sequential).bytes
                == hex(
                    "00000040 00000002 00000001 00000011 2f656c656374696f6e2f6d2d366631635f 00000000 \(Self.openACL) 00000003"
                )
        )
    }

    @Test func createReplyDecodes() throws {
        var reply = ByteBuffer(
            bytes: hex(
                "00000002 000000000000003a 00000000 0000001b 2f656c656374696f6e2f6d2d366631635f30303030303030303030"
            )
        )
        let header = try ReplyHeader(from: &reply)
        #expect(header == ReplyHeader(xid: 2, zxid: 0x3a, err: 0))
        #expect(try reply.readJuteString("path") == "/election/m-6f1c_0000000000")

        var exists = ByteBuffer(bytes: hex("00000001 0000000000000039 ffffff92"))
        #expect(try ReplyHeader(from: &exists).err == ZooKeeperError.Code.nodeExists.rawValue)
    }

    @Test func existsWithWatchAndNotification() throws {
        let path = "/election/m-6f1c_0000000000"
        #expect(
            RequestFrame.encode(xid: 4, opCode: .exists, body: RequestFrame.pathAndWatch(path, watch: true)).bytes
                == hex("00000028 00000004 00000003 0000001b \(hex(utf8: path)) 01")
        )

        var reply = ByteBuffer(
            bytes: hex(
                "00000004 000000000000003a 00000000 \(statHex(version: 0, ephemeralOwner: 0x0100_0033_b13e_000a))"
            )
        )
        _ = try ReplyHeader(from: &reply)
        let stat = try reply.readStat()
        #expect(stat.ephemeralOwner == 0x0100_0033_b13e_000a && stat.isEphemeral && stat.version == 0)

        var notification = ByteBuffer(
            bytes: hex("ffffffff ffffffffffffffff 00000000 00000002 00000003 0000001b \(hex(utf8: path))")
        )
        #expect(try ReplyHeader(from: &notification) == ReplyHeader(xid: -1, zxid: -1, err: 0))
        let event = try WatcherEvent(from: &notification)
        #expect(event == WatcherEvent(type: WatchedEvent.Kind.nodeDeleted.rawValue, state: 3, path: path))
    }

    @Test func pingSetDataAndCloseMatchRecording() throws {
        #expect(
            RequestFrame.encode(xid: -2, opCode: .ping, body: ByteBuffer()).bytes == hex("00000008 fffffffe 0000000b")
        )
        #expect(
            RequestFrame.encode(
                xid: 6,
                opCode: .setData,
                body: RequestFrame.setData("/missing", data: [0x78], version: 3)
            ).bytes
                == hex("0000001d 00000006 00000005 00000008 2f6d697373696e67 00000001 78 00000003")
        )
        var error = ByteBuffer(bytes: hex("00000006 000000000000003b ffffff9b"))
        #expect(try ReplyHeader(from: &error) == ReplyHeader(xid: 6, zxid: 0x3b, err: -101))
        #expect(
            RequestFrame.encode(xid: 8, opCode: .closeSession, body: ByteBuffer()).bytes
                == hex("00000008 00000008 fffffff5")
        )
    }

    @Test func multiRequestMatchesRecording() {
        let body = MultiCodec.encode([
            .check("/election", version: 0), .setData("/meta", data: Array("v1".utf8), version: 0),
        ])
        #expect(
            RequestFrame.encode(xid: 2, opCode: .multi, body: body).bytes
                == hex(
                    """
                    00000047 00000002 0000000e
                    0000000d 00 ffffffff 00000009 2f656c656374696f6e 00000000
                    00000005 00 ffffffff 00000005 2f6d657461 00000002 7631 00000000
                    ffffffff 01 ffffffff
                    """
                )
        )
    }

    @Test func multiRepliesDecode() throws {
        var success = ByteBuffer(
            bytes: hex("0000000d 00 00000000   00000005 00 00000000 \(statHex(version: 1))   ffffffff 01 ffffffff")
        )
        let outcomes = try MultiCodec.decode(&success)
        #expect(outcomes.count == 2)
        #expect(outcomes[0] == .success(.checked))
        guard case .success(.dataSet(let stat)) = outcomes[1] else {
            Issue.record("expected a setData result, got \(outcomes[1])")
            return
        }
        #expect(stat.version == 1)

        var failed = ByteBuffer(
            bytes: hex("ffffffff 00 00000000 00000000   ffffffff 00 ffffff99 ffffff99   ffffffff 01 ffffffff")
        )
        #expect(try MultiCodec.decode(&failed) == [.failure(0), .failure(-103)])

        var truncated = ByteBuffer(bytes: hex("0000000d 00 00000000   00000005 00"))
        #expect(throws: JuteDecodingError.self) { try MultiCodec.decode(&truncated) }
    }

    @Test func nullsAndEmptiesDecode() throws {
        var buffer = ByteBuffer(bytes: hex("ffffffff ffffffff 00000000 ffffffff 00000002 00000001 61 00000000"))
        #expect(try buffer.readJuteBuffer("null buffer") == [])
        #expect(try buffer.readJuteString("null string") == "")
        #expect(try buffer.readJuteStrings("empty vector") == [])
        #expect(try buffer.readJuteStrings("null vector") == [])
        #expect(try buffer.readJuteStrings("vector") == ["a", ""])
        var lying = ByteBuffer(bytes: hex("7fffffff 00000001"))
        #expect(throws: JuteDecodingError.self) { try lying.readJuteStrings("lying count") }
        var shortBuffer = ByteBuffer(bytes: hex("00000010 0102"))
        #expect(throws: JuteDecodingError.self) { try shortBuffer.readJuteBuffer("short buffer") }
    }

    @Test func unknownErrorCodesAreCarried() {
        let code = ZooKeeperError.Code(rawValue: -999)
        #expect(code.description == "unknown error -999")
        #expect(ZooKeeperError.Code(rawValue: -103) == .badVersion)
    }
}
