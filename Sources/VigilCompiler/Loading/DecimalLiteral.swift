import Foundation

/// Plain decimal literals, `-?(0|[1-9][0-9]*)(\.[0-9]+)?`: how definitions write numbers.
enum DecimalLiteral {
    /// Whether `text` is a plain decimal: no exponent, no leading zeros, no `+`.
    static func isValid(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { shape($0) != nil }
    }

    /// The value of a plain decimal literal, or nil when `text` is not one. Literals of up to 18
    /// digits are built from their digits; longer ones go through `Decimal(string:)` (the same
    /// value: `DecimalLiteralTests`).
    static func value(_ text: String) -> Decimal? {
        var copy = text
        // The digits as one integer, nil when there are more than 18 of them.
        let literal = copy.withUTF8 { bytes -> (negative: Bool, digits: UInt64?, scale: Int)? in
            guard let shape = shape(bytes) else { return nil }
            guard shape.digitCount <= 18 else { return (shape.negative, nil, shape.scale) }
            var digits: UInt64 = 0
            for byte in bytes where byte >= 0x30 && byte <= 0x39 { digits = digits * 10 + UInt64(byte - 0x30) }
            return (shape.negative, digits, shape.scale)
        }
        guard let literal else { return nil }
        guard let digits = literal.digits else { return Decimal(string: text, locale: SchemaValidator.posix) }
        // Zero has no sign (a negative zero is NaN in Decimal's layout).
        if digits == 0 { return Decimal(0) }
        return Decimal(sign: literal.negative ? .minus : .plus, exponent: -literal.scale, significand: Decimal(digits))
    }

    /// The sign, digit count and fraction length of a plain decimal literal, or nil.
    private static func shape(_ bytes: UnsafeBufferPointer<UInt8>) -> (negative: Bool, digitCount: Int, scale: Int)? {
        var index = 0
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { index = 1 }
        let wholeStart = index
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
        let whole = index - wholeStart
        guard whole > 0, whole == 1 || bytes[wholeStart] != 0x30 else { return nil }
        guard index < bytes.count else { return (negative, whole, 0) }
        guard bytes[index] == UInt8(ascii: ".") else { return nil }
        index += 1
        let fractionStart = index
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
        let fraction = index - fractionStart
        guard fraction > 0, index == bytes.count else { return nil }
        return (negative, whole + fraction, fraction)
    }
}
