/// Topic names double as directory names, so they are restricted to a safe alphabet.
enum TopicName {
    /// Accepts 1–255 characters of `A-Z a-z 0-9 _ - .`, not starting with a dot.
    static func validate(_ name: String) throws(StorageError) {
        let bytes = Array(name.utf8)
        let allowed = bytes.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x5F || byte == 0x2D || byte == 0x2E
        }
        guard !bytes.isEmpty, bytes.count <= 255, allowed, bytes.first != 0x2E else {
            throw StorageError(code: .invalidTopic, message: "topic name \"\(name)\" is not a valid directory name")
        }
    }
}
