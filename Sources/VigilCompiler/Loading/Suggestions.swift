/// "Did you mean" suggestions by edit distance, as argument-parser does.
enum Suggestions {
    /// The closest candidate within a distance that makes sense for the word's length.
    static func closest(to word: String, in candidates: [String]) -> String? {
        let lowered = word.lowercased()
        // An abbreviation ('prod' for 'production') names its one expansion.
        let expansions = candidates.filter { $0.lowercased().hasPrefix(lowered) && lowered.count >= 3 }
        if expansions.count == 1 { return expansions[0] }
        var best: (String, Int)?
        for candidate in candidates.sorted() {
            let d = distance(lowered, candidate.lowercased())
            if d < (best?.1 ?? Int.max) { best = (candidate, d) }
        }
        guard let (candidate, d) = best else { return nil }
        let limit = max(1, min(4, word.count / 3))
        return d <= limit ? candidate : nil
    }

    /// Levenshtein distance over Unicode scalars.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// A hint naming the closest candidate, or listing the candidates when none is close.
    static func hint(for word: String, in candidates: [String], listing noun: String) -> String {
        if let match = closest(to: word, in: candidates) { return "did you mean '\(match)'?" }
        let sorted = candidates.sorted()
        if sorted.count <= 12 { return "\(noun): \(sorted.joined(separator: ", "))" }
        return "\(noun): \(sorted.prefix(12).joined(separator: ", ")), …"
    }
}

/// Safe names: folder and resource names.
public enum SafeName {
    /// Lowercase letters, digits and `-`, starting with a letter, not ending with `-`, 1–63
    /// characters.
    /// - Parameter name: The candidate.
    /// - Returns: Whether it is safe.
    public static func isValid(_ name: String) -> Bool {
        // Every allowed character is one ASCII byte, so a byte scan decides.
        let bytes = name.utf8
        guard (1...63).contains(bytes.count), let first = bytes.first, (0x61...0x7A).contains(first), bytes.last != 0x2D
        else { return false }
        return bytes.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
    }

    /// The hint every unsafe-name diagnostic carries.
    public static let rule = "use lowercase letters, digits and '-', starting with a letter, at most 63 characters"
}
