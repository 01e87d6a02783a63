/// Finds the closest key name to a wanted one, to point at a likely typo.
///
/// The Java loader suggests the key with the smallest Levenshtein distance among the keys present in
/// the section. We compare without regard to letter case (so `brokerID` is found for `brokerId`), keep
/// the first key in file order on a tie, and suggest nothing when even the closest key differs in more
/// than half of its characters: such a "suggestion" would only mislead.
enum KeySuggestion {
    /// The candidate closest to `wanted`, or `nil` if none is close enough.
    static func closest(to wanted: String, among candidates: [String]) -> String? {
        let target = Array(wanted.lowercased())
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate != wanted {
            let distance = levenshtein(target, Array(candidate.lowercased()))
            if best == nil || distance < best!.distance { best = (candidate, distance) }
        }
        guard let best, best.distance * 2 <= max(target.count, 2) else { return nil }
        return best.name
    }

    /// The edit distance (insertions, deletions, substitutions) between two character arrays.
    static func levenshtein(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
