public import Foundation

/// A value as written in a definitions file, after the loader checked it against the schema:
/// typed scalars, lists and maps, each carrying the place it was written.
///
/// Stage: produced by loading, consumed by merging. Maps keep the author's key order; nothing
/// downstream may depend on it for output (renderers sort).
public struct SpecValue: Sendable, Hashable {
    /// The content of a value.
    public enum Content: Sendable, Hashable {
        /// An explicit `null` (in a patch: remove).
        case null
        /// `true` or `false`.
        case bool(Bool)
        /// A number, kept exact.
        case number(Decimal)
        /// A string.
        case string(String)
        /// A list; order is meaningful.
        case list([SpecValue])
        /// A map with string keys.
        case map([SpecField])
    }

    /// The content.
    public var content: Content
    /// Where the value starts.
    public var span: SourceSpan

    /// Creates a value.
    /// - Parameters:
    ///   - content: The content.
    ///   - span: Where it was written.
    public init(_ content: Content, at span: SourceSpan) {
        self.content = content
        self.span = span
    }

    /// The string, if this is a string.
    public var string: String? {
        if case .string(let s) = content { return s }
        return nil
    }

    /// The number, if this is a number.
    public var number: Decimal? {
        if case .number(let n) = content { return n }
        return nil
    }

    /// The integer, if this is a whole number that fits `Int`.
    public var int: Int? {
        guard var n = number else { return nil }
        var whole = Decimal()
        NSDecimalRound(&whole, &n, 0, .plain)
        guard whole == n, abs(n) < Decimal(Int64(1) << 53) else { return nil }
        return Int(NSDecimalNumber(decimal: n).int64Value)
    }

    /// The Boolean, if this is a Boolean.
    public var bool: Bool? {
        if case .bool(let b) = content { return b }
        return nil
    }

    /// The elements, if this is a list.
    public var list: [SpecValue]? {
        if case .list(let l) = content { return l }
        return nil
    }

    /// The fields, if this is a map.
    public var fields: [SpecField]? {
        if case .map(let m) = content { return m }
        return nil
    }

    /// Whether this is an explicit `null`.
    public var isNull: Bool {
        if case .null = content { return true }
        return false
    }

    /// The value under `key`, if this is a map that has it.
    /// - Parameter key: The key.
    public subscript(key: String) -> SpecValue? {
        // In place: no copy of the fields array or of the fields passed over.
        guard case .map(let fields) = content else { return nil }
        for index in fields.indices where fields[index].key == key { return fields[index].value }
        return nil
    }

    /// The field (key, key location and value) under `key`, if present.
    /// - Parameter key: The key.
    /// - Returns: The field.
    public func field(_ key: String) -> SpecField? {
        guard case .map(let fields) = content else { return nil }
        for index in fields.indices where fields[index].key == key { return fields[index] }
        return nil
    }
}

/// One entry of a map: the key, where the key was written, and the value.
public struct SpecField: Sendable, Hashable {
    /// The key.
    public var key: String
    /// Where the key was written (diagnostics about the entry point here).
    public var keySpan: SourceSpan
    /// The value.
    public var value: SpecValue

    /// Creates a field.
    /// - Parameters:
    ///   - key: The key.
    ///   - keySpan: Where the key was written.
    ///   - value: The value.
    public init(key: String, keySpan: SourceSpan, value: SpecValue) {
        self.key = key
        self.keySpan = keySpan
        self.value = value
    }
}
