import Foundation
import Synchronization

/// Compiled schema patterns, shared by every thread: each pattern is compiled once per process.
enum PatternCache {
    /// `NSRegularExpression` is immutable and documented thread-safe.
    private struct Compiled: @unchecked Sendable {
        let expression: NSRegularExpression?
    }

    private static let cache = Mutex<[String: Compiled]>([:])

    /// Whether the whole of `text` matches `pattern` (an ICU regular expression).
    static func wholeMatch(_ pattern: String, _ text: String) -> Bool {
        let compiled = cache.withLock { cache -> Compiled in
            if let hit = cache[pattern] { return hit }
            let made = Compiled(expression: try? NSRegularExpression(pattern: "^(?:\(pattern))$"))
            cache[pattern] = made
            return made
        }
        guard let expression = compiled.expression else { return false }
        let range = NSRange(text.startIndex..., in: text)
        return expression.firstMatch(in: text, options: [], range: range) != nil
    }
}

extension PatternCache {
    /// Whether `pattern` matches anywhere in `text`.
    static func contains(_ pattern: String, _ text: String) -> Bool {
        wholeMatch(".*(?:\(pattern)).*", text.replacingEvery("\n", with: " "))
    }
}
