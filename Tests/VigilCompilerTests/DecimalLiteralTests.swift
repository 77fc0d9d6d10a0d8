import Foundation
import Testing
import VigilModel

@testable import VigilCompiler

@Suite("Decimal literals")
struct DecimalLiteralTests {
    static let span = SourceSpan(file: "t.yaml", line: 1, column: 1)

    static let literals: [String] = {
        var result = ["0", "-0", "0.0", "-0.00", "1", "-1", "5", "12.5", "12.50", "100", "0.25", "0.001", "-3.25", "99.9",
                      "999999999999999999", "-999999999999999999", "1234567890123456789", "0.000000000000000001",
                      "123456789.123456789", "18446744073709551615", "0.1234567890123456789012345", "86400", "2592000"]
        var state: UInt64 = 42
        for _ in 0..<300 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let whole = Int(state >> 40) % 100_000
            let fraction = Int(state >> 20) % 1000
            let digits = Int(state >> 12) % 4
            var text = (state & 1 == 0 ? "-" : "") + String(whole)
            if digits > 0 { text += "." + String(String(fraction).prefix(digits)) }
            result.append(text)
        }
        return result
    }()

    @Test("a literal's value, number text and whole-number reading equal Decimal(string:)'s")
    func sameValue() throws {
        for text in Self.literals {
            let fast = try #require(DecimalLiteral.value(text), "\(text)")
            let slow = try #require(Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")))
            #expect(fast == slow, "\(text)")
            #expect(CanonicalValue.format(fast) == CanonicalValue.format(slow), "\(text)")
            #expect(SpecValue(.number(fast), at: Self.span).int == SpecValue(.number(slow), at: Self.span).int, "\(text)")
        }
    }

    @Test("what is a plain decimal literal agrees with its regular expression")
    func shape() {
        let texts = Self.literals + ["", "-", "01", "-01", "00", "1.", ".5", "+1", "1e5", "1E5", "--1", "1.2.3", "1 ", " 1",
                                     "١", "1_000", "0x10", "-.5", "1.-5", "٣.5", "NaN", "inf"]
        for text in texts {
            let expected = text.wholeMatch(of: /-?(0|[1-9][0-9]*)(\.[0-9]+)?/) != nil
            #expect(DecimalLiteral.isValid(text) == expected, "\(text)")
            #expect((DecimalLiteral.value(text) != nil) == expected, "\(text)")
        }
    }
}
