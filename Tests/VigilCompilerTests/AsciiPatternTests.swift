import Foundation
import Testing

@testable import VigilCompiler

@Suite("Schema patterns matched by bytes")
struct AsciiPatternTests {
    /// Every string-format and key pattern reachable from the four document schemas.
    static let schemaPatterns: [String] = {
        var found = Set<String>()
        var seen = Set<String>()
        func walk(_ schema: Schema) {
            switch schema {
            case .string(.pattern(let pattern, _)): found.insert(pattern)
            case .list(let element), .scalarOrList(let element): walk(element)
            case .map(let key, let value):
                if case .pattern(let pattern, _) = key { found.insert(pattern) }
                walk(value)
            case .object(let object): walk(object)
            default: break
            }
        }
        func walk(_ object: ObjectSchema) {
            guard seen.insert(object.title + "/" + object.fields.map(\.name).joined(separator: ",")).inserted else { return }
            for field in object.fields { walk(field.schema) }
        }
        for root in [DefinitionsSchema.baseline, DefinitionsSchema.overlay, DefinitionsSchema.template, DefinitionsSchema.environment] {
            walk(root)
        }
        return found.sorted()
    }()

    static func icu(_ pattern: String, _ text: String) -> Bool {
        let expression = try! NSRegularExpression(pattern: "^(?:\(pattern))$")
        return expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// Strings near the pattern: drawn from the bytes it names, a few others, and lengths around
    /// its bounds (a fixed generator, so failures repeat).
    static func samples(for pattern: String) -> [String] {
        var alphabet = Array(Set(pattern.utf8.filter { $0 >= 0x20 && $0 < 0x7F })) + Array(" aZ09-_./:@#%?&<>\\".utf8)
        alphabet.sort()
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 &+ UInt64(pattern.utf8.count)
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        var result = ["", "a", "-", "0", "tenant-000.erp.example.com", "odoo_db", "app.kubernetes.io/name", "#a0B1c2",
                      "https://status.example.com:8443/health", "09:30", "2026-12-03", "2026-12-03T10:00:00Z",
                      "2026-12-03T23:59", "2026-12-03T24:00", "ptn-de-ps1-azr", "ptn-de-ps1-edge", "ptn-de-ps12345-azr"]
        for length in [1, 2, 3, 4, 5, 6, 8, 12, 13, 16, 20, 61, 62, 63, 64, 65, 90, 91, 127, 128] {
            for _ in 0..<40 {
                let bytes = (0..<length).map { _ in alphabet[next() % alphabet.count] }
                result.append(String(decoding: bytes, as: UTF8.self))
            }
            // Mostly one class: long runs that hit the length bounds.
            for byte in [UInt8(ascii: "a"), UInt8(ascii: "A"), UInt8(ascii: "0")] {
                result.append(String(decoding: [UInt8](repeating: byte, count: length), as: UTF8.self))
            }
        }
        return result
    }

    @Test("every schema pattern is in the byte matcher's subset")
    func everyPatternCompiles() {
        #expect(Self.schemaPatterns.count >= 20)
        for pattern in Self.schemaPatterns { #expect(AsciiPattern(pattern) != nil, "\(pattern)") }
    }

    @Test("the byte matcher agrees with ICU on every schema pattern")
    func agreesWithICU() {
        for pattern in Self.schemaPatterns {
            guard let compiled = AsciiPattern(pattern) else { continue }
            var outcomes = Set<Bool>()
            for text in Self.samples(for: pattern) {
                let expected = Self.icu(pattern, text)
                outcomes.insert(expected)
                #expect(compiled.matches(text) == expected, "\(pattern) on '\(text)'")
            }
            #expect(outcomes.count == 2, "the samples for \(pattern) all give \(outcomes)")
        }
    }

    @Test("the subset's edges", arguments: [
        ("a|b", "b", true), ("(ab)+", "ababab", true), ("(ab)+", "aba", false), ("(?:a|ab)c", "abc", true),
        ("[a-c-]{2,3}", "a-c", true), ("[a-c-]{2,3}", "a-cd", false), ("[^a]*", "bcd", true), ("[^a]*", "bad", false),
        ("\\w+\\.\\d", "ab_9.3", true), ("x{3,}", "xx", false), ("x{3,}", "xxxxx", true), ("[]a]", "]", true),
        ("a?a?aa", "aa", true), ("(a|ab)(c|bcd)(d*)", "abcd", true), ("[\\s]", " ", true), ("[a&b]", "&", true),
    ])
    func edges(pattern: String, text: String, expected: Bool) {
        #expect(Self.icu(pattern, text) == expected, "ICU itself")
        #expect(AsciiPattern(pattern)?.matches(text) == expected)
    }

    @Test("outside the subset: ICU answers", arguments: ["(?i)abc", "a*?", "a++", "\\bword", "[[:alpha:]]", "[a&&b]", "\\p{L}", "a{,2}", "(?=a)a"])
    func outside(pattern: String) {
        #expect(AsciiPattern(pattern) == nil)
    }

    @Test("text beyond printable ASCII is left to ICU, and PatternCache still answers")
    func unicodeFallsBack() {
        let pattern = "^[^<>%&\\\\?/]{1,512}$"
        #expect(AsciiPattern(pattern)?.matches("Grüße") == nil)
        #expect(AsciiPattern(pattern)?.matches("tab\there") == nil)
        #expect(PatternCache.wholeMatch(pattern, "Grüße") == Self.icu(pattern, "Grüße"))
        #expect(PatternCache.wholeMatch("^[a-z]+$", "abc\n") == Self.icu("^[a-z]+$", "abc\n"))
    }
}
