import Foundation
import Synchronization

/// Compiled patterns, shared by every thread: each pattern is compiled once per process.
enum PatternCache {
    /// `NSRegularExpression` is immutable and documented thread-safe.
    private struct Compiled: @unchecked Sendable {
        let expression: NSRegularExpression?
        /// The same pattern as a byte matcher, when it is in ``AsciiPattern``'s subset (whole
        /// matches only).
        let ascii: AsciiPattern?
    }

    /// Whole-match patterns (``wholeMatch(_:_:)``) and unanchored searches (``search(_:_:)``),
    /// by pattern.
    private static let wholeMatches = Mutex<[String: Compiled]>([:])
    private static let searches = Mutex<[String: Compiled]>([:])

    private static func compiled(
        _ pattern: String, in cache: borrowing Mutex<[String: Compiled]>, _ make: () -> Compiled
    ) -> Compiled {
        cache.withLock { cache -> Compiled in
            if let hit = cache[pattern] { return hit }
            let made = make()
            cache[pattern] = made
            return made
        }
    }

    private static func firstMatch(_ expression: NSRegularExpression, _ text: String) -> Bool {
        expression.firstMatch(in: text, options: [], range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// Whether the whole of `text` matches `pattern` (an ICU regular expression). Printable ASCII
    /// text and a pattern in ``AsciiPattern``'s subset are matched by bytes; anything else by ICU.
    static func wholeMatch(_ pattern: String, _ text: String) -> Bool {
        let compiled = compiled(pattern, in: wholeMatches) {
            let expression = try? NSRegularExpression(pattern: "^(?:\(pattern))$")
            return Compiled(expression: expression, ascii: expression == nil ? nil : AsciiPattern(pattern))
        }
        guard let expression = compiled.expression else { return false }
        if let answer = compiled.ascii?.matches(text) { return answer }
        return firstMatch(expression, text)
    }

    /// Whether `pattern` (an ICU regular expression) matches anywhere in `text`, as
    /// `range(of:options: .regularExpression)` finds it. Always ICU: the byte matcher is kept to
    /// the schema's short anchored patterns, not to searches through long text.
    static func search(_ pattern: String, _ text: String) -> Bool {
        let compiled = compiled(pattern, in: searches) { Compiled(expression: try? NSRegularExpression(pattern: pattern), ascii: nil) }
        guard let expression = compiled.expression else { return false }
        return firstMatch(expression, text)
    }
}
