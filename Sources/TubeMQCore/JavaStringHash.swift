extension String {
    /// Java's `String.hashCode()`: `s[0]*31^(n-1) + … + s[n-1]` over UTF-16 code units, wrapping in 32 bits.
    ///
    /// The broker stores this value for a message's `$msgType$` and filters on it, so it must match
    /// the Java server bit for bit (including surrogate pairs, which count as two units).
    public var javaHashCode: Int32 {
        var hash: Int32 = 0
        for unit in self.utf16 {
            hash = hash &* 31 &+ Int32(unit)
        }
        return hash
    }
}
