public import Foundation
import Synchronization

/// A tree of output data that the canonical writers turn into bytes. Renderers build these and
/// never concatenate strings.
///
/// Stage: render. Objects are written with keys sorted by UTF-8 bytes whatever order they were
/// built in, so no `Dictionary` order can reach the output.
public enum CanonicalValue: Sendable, Hashable {
    /// A map; its members are kept, and written, in the canonical key order.
    case object(CanonicalObject)
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
        // A fleet writes the same few thresholds over and over; Foundation's description divides
        // digit by digit, so each distinct value is formatted once.
        guard let key = DecimalFormatCache.Key(value) else { return formatThroughDescription(value) }
        if let text = DecimalFormatCache.shared.text(for: key) { return text }
        let text = formatThroughDescription(value)
        DecimalFormatCache.shared.remember(text, for: key)
        return text
    }

    /// A non-zero decimal, through Foundation's description (what ``format(_:)`` caches).
    private static func formatThroughDescription(_ value: Decimal) -> String {
        var text = value.description
        // Byte checks: `String.contains` with a string argument goes through Foundation.
        if text.utf8.contains(where: { $0 == 0x65 || $0 == 0x45 }) {
            text = NSDecimalNumber(decimal: value).stringValue
        }
        if text.utf8.contains(0x2E) {
            while text.utf8.last == 0x30 { text.removeLast() }
            if text.utf8.last == 0x2E { text.removeLast() }
        }
        return text
    }

    /// Builds an object from key-value pairs, leaving out nil values.
    /// - Parameter pairs: The pairs.
    /// - Returns: The object.
    public static func fields(_ pairs: KeyValuePairs<String, CanonicalValue?>) -> CanonicalValue {
        var members: [CanonicalObject.Member] = []
        members.reserveCapacity(pairs.count)
        for (key, value) in pairs {
            if let value { members.append(CanonicalObject.Member(key: key, value: value)) }
        }
        return .object(CanonicalObject(unsorted: members))
    }

    /// Builds an object from a dictionary.
    /// - Parameter dictionary: The members.
    /// - Returns: The object.
    public static func object(_ dictionary: [String: CanonicalValue]) -> CanonicalValue {
        .object(CanonicalObject(dictionary))
    }

    /// Builds a string map.
    /// - Parameter strings: The map.
    /// - Returns: An object of strings.
    public static func strings(_ strings: [String: String]) -> CanonicalValue {
        .strings(strings, setting: [:])
    }

    /// A string map and some entries set over it (an entry whose value is nil sets nothing), as
    /// one object: `base` with the entries assigned, without copying `base` into a new dictionary.
    /// - Parameters:
    ///   - base: The map.
    ///   - entries: The entries set over it; keys are distinct.
    /// - Returns: An object of strings.
    public static func strings(_ base: [String: String], setting entries: KeyValuePairs<String, String?>) -> CanonicalValue {
        var members: [CanonicalObject.Member] = []
        members.reserveCapacity(base.count + entries.count)
        for (key, value) in base where !entries.contains(where: { $0.key == key && $0.value != nil }) {
            members.append(CanonicalObject.Member(key: key, value: .string(value)))
        }
        for (key, value) in entries {
            if let value { members.append(CanonicalObject.Member(key: key, value: .string(value))) }
        }
        return .object(CanonicalObject(distinct: members))
    }
}

/// The texts of decimals already formatted, keyed by their bytes (equal bytes are equal values;
/// an equal value with other bytes is only a miss). Bounded: past its size it stops remembering.
final class DecimalFormatCache: Sendable {
    static let shared = DecimalFormatCache()
    static let limit = 4096

    /// A decimal's bytes.
    struct Key: Hashable, Sendable {
        var words: (UInt64, UInt64, UInt64) = (0, 0, 0)

        /// Nil if a decimal has more bytes than a key holds (then nothing is cached).
        init?(_ value: Decimal) {
            guard MemoryLayout<Decimal>.size <= MemoryLayout<(UInt64, UInt64, UInt64)>.size else { return nil }
            withUnsafeMutableBytes(of: &words) { destination in
                withUnsafeBytes(of: value) { source in
                    destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: source.prefix(destination.count)))
                }
            }
        }

        static func == (a: Key, b: Key) -> Bool { a.words == b.words }

        func hash(into hasher: inout Hasher) {
            hasher.combine(words.0)
            hasher.combine(words.1)
            hasher.combine(words.2)
        }
    }

    private let texts = Mutex<[Key: String]>([:])

    func text(for key: Key) -> String? {
        texts.withLock { $0[key] }
    }

    func remember(_ text: String, for key: Key) {
        texts.withLock { texts in
            if texts.count < Self.limit { texts[key] = text }
        }
    }
}
