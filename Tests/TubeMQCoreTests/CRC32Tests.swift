import Glibc
import Testing
import TubeMQCore

@Suite struct CRC32Tests {
    @Test(arguments: [
        ("", UInt32(0)),
        ("a", UInt32(0xE8B7_BE43)),
        ("123456789", UInt32(0xCBF4_3926)),
        ("The quick brown fox jumps over the lazy dog", UInt32(0x414F_A339)),
    ])
    func knownValues(text: String, expected: UInt32) {
        #expect(CRC32.checksum(Array(text.utf8)) == expected)
    }

    @Test func slicedEqualsBytewise() {
        // Lengths around the 8-byte stride, compared with a plain bitwise CRC.
        var bytes: [UInt8] = []
        for length in 0..<40 {
            #expect(CRC32.checksum(bytes) == Self.bitwise(bytes), "length \(length)")
            bytes.append(UInt8(truncatingIfNeeded: length &* 37 &+ 11))
        }
    }

    @Test func acceleratedWhereTheLibraryIsInstalled() {
        let paths: [String] = ["/usr/lib/x86_64-linux-gnu/libisal.so.2", "/usr/lib/aarch64-linux-gnu/libisal.so.2"]
        let installed = paths.contains { path in access(path, F_OK) == 0 }
        #expect(CRC32.isAccelerated == installed)
    }

    @Test func acceleratedEqualsTable() {
        // Every length from 0 to 300 and a few large ones, fresh and continued, at odd alignments.
        var generator = SystemRandomNumberGenerator()
        let data = (0..<70_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        data.withUnsafeBytes { raw in
            for length in Array(0...300) + [1024, 4099, 65_536] {
                for start in [0, 1, 3] {
                    let slice = UnsafeRawBufferPointer(rebasing: raw[start..<(start + length)])
                    #expect(CRC32.checksum(slice) == CRC32.tableChecksum(slice), "length \(length) at \(start)")
                    #expect(
                        CRC32.checksum(slice, continuing: 0x1234_5678)
                            == CRC32.tableChecksum(slice, continuing: 0x1234_5678),
                        "continued, length \(length) at \(start)"
                    )
                }
            }
        }
    }

    @Test func tubeChecksumClearsSignBit() {
        // CRC32("a") = 0xE8B7BE43 has the top bit set; TubeMQ masks it off.
        #expect(CRC32.tubeChecksum(Array("a".utf8)) == Int32(0x68B7_BE43))
        #expect(CRC32.tubeChecksum(Array("123456789".utf8)) == Int32(0x4BF4_3926))
    }

    static func bitwise(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            c ^= UInt32(byte)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
        }
        return ~c
    }
}
