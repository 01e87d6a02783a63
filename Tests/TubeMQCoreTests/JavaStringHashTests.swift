import Testing
import TubeMQCore

@Suite struct JavaStringHashTests {
    // Values of java.lang.String#hashCode.
    @Test(arguments: [
        ("", Int32(0)),
        ("a", Int32(97)),
        ("typeA", Int32(110_843_975)),
        ("hello", Int32(99_162_322)),
        ("polygenelubricants", Int32.min),
        ("Hello, World!", Int32(1_498_789_909)),
    ])
    func matchesJava(text: String, expected: Int32) {
        #expect(text.javaHashCode == expected)
    }

    @Test func countsUTF16Units() {
        // U+1F600 is a surrogate pair D83D DE00: 0xD83D * 31 + 0xDE00.
        #expect("😀".javaHashCode == Int32(0xD83D) &* 31 &+ Int32(0xDE00))
        #expect("é".javaHashCode == 233)
    }
}
