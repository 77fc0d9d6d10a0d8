public import Foundation

/// A tree of output data that the canonical writers turn into bytes. Renderers build these and
/// never concatenate strings.
///
/// Stage: render. Objects are written with keys sorted by UTF-8 bytes whatever order they were
/// built in, so no `Dictionary` order can reach the output.
public indirect enum CanonicalValue: Sendable, Hashable {
    /// A map; written with sorted keys.
    case object([String: CanonicalValue])
    /// A list; written in the order given (renderers sort lists whose order has no meaning).
    case array([CanonicalValue])
    /// A string.
    case string(String)
    /// A whole number.
    case int(Int)
    /// An exact decimal, written by ``CanonicalValue/format(_:)``.
    case decimal(Decimal)
    /// A Boolean.
    case bool(Bool)
    /// Null.
    case null

    /// Formats a decimal the one way Vigil writes numbers: no exponent, no trailing zeros,
    /// integers without `.0`, `-0` as `0`.
    /// - Parameter value: The number.
    /// - Returns: Its text.
    public static func format(_ value: Decimal) -> String {
        if value.isZero { return "0" }
        var text = value.description
        if text.contains("e") || text.contains("E") {
            text = NSDecimalNumber(decimal: value).stringValue
        }
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    /// Builds an object from key-value pairs, leaving out nil values.
    /// - Parameter pairs: The pairs.
    /// - Returns: The object.
    public static func fields(_ pairs: KeyValuePairs<String, CanonicalValue?>) -> CanonicalValue {
        var result: [String: CanonicalValue] = [:]
        result.reserveCapacity(pairs.count)
        for (key, value) in pairs {
            if let value { result[key] = value }
        }
        return .object(result)
    }

    /// Builds a string map.
    /// - Parameter strings: The map.
    /// - Returns: An object of strings.
    public static func strings(_ strings: [String: String]) -> CanonicalValue {
        .object(strings.mapValues { .string($0) })
    }
}
