/// The shape of a value in the definitions language: what the loader accepts where.
///
/// Stage: loading. The schema is data, so every kind (`Environment`, `Baseline`, `Overlay`,
/// `Template`, `Config`) is checked by one validator, with one set of diagnostics, and
/// `docs/definitions.md` describes the same tree.
public indirect enum Schema: Sendable {
    /// A string, with an extra check.
    case string(StringFormat)
    /// One of a fixed set of strings.
    case enumeration([String])
    /// A whole number in a range.
    case integer(ClosedRange<Int>)
    /// A decimal number (never a binary float).
    case number
    /// `true` or `false`.
    case boolean
    /// A duration: `5m`, `1h30m`, `1d` or ISO 8601 `PT5M`.
    case duration
    /// A list of elements of one schema.
    case list(Schema)
    /// A map whose keys are chosen by the author (ids, label names) and whose values share one
    /// schema. With `.name` keys it is a keyed collection that overlays address by id.
    case map(key: KeyFormat, value: Schema)
    /// A map with a fixed set of fields.
    case object(ObjectSchema)
    /// A scalar, or a list of scalars (selector values: `stage: production` or
    /// `stage: [staging, production]`).
    case scalarOrList(Schema)
    /// Any value: scalars are kept as text, checked later against a declared type (template
    /// parameter values).
    case any
}

/// Extra checks on a string.
public enum StringFormat: Sendable {
    /// Any non-empty string.
    case text
    /// A safe name: lowercase letters, digits and `-`, starting with a letter, at most 63
    /// characters. Names become folder and resource names.
    case name
    /// An `http` or `https` URL.
    case url
    /// A GUID.
    case uuid
    /// An Azure resource id (starts with `/subscriptions/`).
    case resourceID
    /// A string matching a regular expression, described for messages.
    case pattern(String, description: String)
}

/// Checks on the keys of a ``Schema/map(key:value:)``.
public enum KeyFormat: Sendable {
    /// A safe name (see ``StringFormat/name``): item ids.
    case name
    /// Any non-empty key (labels, dimensions, tables).
    case any
    /// Keys matching a regular expression.
    case pattern(String, description: String)
    /// Selector facts: `tier`, `stage`, `region`, `compliance`, `components.<name>`.
    case fact
}

/// A map with fixed fields.
public struct ObjectSchema: Sendable {
    /// What the map is, for messages ("metric criteria").
    public var title: String
    /// Its fields, in documentation order.
    public var fields: [FieldSchema]
    /// Groups of fields of which exactly one must be present.
    public var exactlyOneOf: [[String]]
    /// Fields that need other fields: `threshold` needs `operator`.
    public var requiresFields: [String: [String]]
    /// Fields that must not appear together with another field.
    public var conflicts: [String: [String]]

    /// Creates an object schema.
    /// - Parameters:
    ///   - title: What it is.
    ///   - fields: Its fields.
    ///   - exactlyOneOf: Mutually exclusive, mandatory groups.
    ///   - requiresFields: Fields that need other fields.
    ///   - conflicts: Fields that exclude other fields.
    public init(
        _ title: String, _ fields: [FieldSchema], exactlyOneOf: [[String]] = [],
        requiresFields: [String: [String]] = [:], conflicts: [String: [String]] = [:]
    ) {
        self.title = title
        self.fields = fields
        self.exactlyOneOf = exactlyOneOf
        self.requiresFields = requiresFields
        self.conflicts = conflicts
        self.index = Dictionary(fields.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { a, _ in a })
        self.groupMembers = Set(exactlyOneOf.joined())
    }

    /// Field name → position in `fields`.
    private var index: [String: Int]
    /// Every field named by an `exactlyOneOf` group.
    var groupMembers: Set<String>

    /// The field named `name`.
    /// - Parameter name: The key.
    /// - Returns: Its schema, if the object has it.
    public func field(_ name: String) -> FieldSchema? { index[name].map { fields[$0] } }
}

/// One field of an object.
public struct FieldSchema: Sendable {
    /// The key.
    public var name: String
    /// The value's shape.
    public var schema: Schema
    /// Whether a complete definition must have it.
    public var required: Bool

    /// Creates a field.
    /// - Parameters:
    ///   - name: Key.
    ///   - schema: Shape.
    ///   - required: Whether a complete definition must set it.
    public init(_ name: String, _ schema: Schema, required: Bool = false) {
        self.name = name
        self.schema = schema
        self.required = required
    }
}
