import Foundation
import Synchronization

/// Compiled schema patterns, shared by every thread: each pattern is compiled once per process.
enum PatternCache {
    /// `NSRegularExpression` is immutable and documented thread-safe.
    private struct Compiled: @unchecked Sendable {
        let expression: NSRegularExpression?
        /// The same pattern as a byte matcher, when it is in ``AsciiPattern``'s subset.
        let ascii: AsciiPattern?
    }

    private static let cache = Mutex<[String: Compiled]>([:])
    /// Unanchored searches (``search(_:_:)``), by pattern.
    private static let searches = Mutex<[String: Compiled]>([:])

    /// Whether the whole of `text` matches `pattern` (an ICU regular expression). Printable ASCII
    /// text and a pattern in ``AsciiPattern``'s subset are matched by bytes (unless `icuOnly`);
    /// anything else by ICU.
    static func wholeMatch(_ pattern: String, _ text: String, icuOnly: Bool = false) -> Bool {
        let compiled = cache.withLock { cache -> Compiled in
            if let hit = cache[pattern] { return hit }
            let expression = try? NSRegularExpression(pattern: "^(?:\(pattern))$")
            let made = Compiled(expression: expression, ascii: expression == nil ? nil : AsciiPattern(pattern))
            cache[pattern] = made
            return made
        }
        guard let expression = compiled.expression else { return false }
        if !icuOnly, let answer = compiled.ascii?.matches(text) { return answer }
        let range = NSRange(text.startIndex..., in: text)
        return expression.firstMatch(in: text, options: [], range: range) != nil
    }
}

extension PatternCache {
    /// Whether `pattern` (an ICU regular expression, compiled once) matches anywhere in `text`,
    /// as `range(of:options: .regularExpression)` finds it.
    static func search(_ pattern: String, _ text: String) -> Bool {
        let compiled = searches.withLock { cache -> Compiled in
            if let hit = cache[pattern] { return hit }
            let made = Compiled(expression: try? NSRegularExpression(pattern: pattern), ascii: nil)
            cache[pattern] = made
            return made
        }
        guard let expression = compiled.expression else { return false }
        return expression.firstMatch(in: text, options: [], range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// Whether `pattern` matches anywhere in `text`. Always ICU: the byte matcher is kept to
    /// the schema's short anchored patterns, not to unanchored searches through long text.
    static func contains(_ pattern: String, _ text: String) -> Bool {
        wholeMatch(".*(?:\(pattern)).*", text.replacingEvery("\n", with: " "), icuOnly: true)
    }
}
