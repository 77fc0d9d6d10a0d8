/// How serious a diagnostic is.
public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable {
    /// Blocks the run: nothing is written and the exit status is 1.
    case error
    /// Reported; fails the run only under `--strict`.
    case warning
    /// Information attached to a run.
    case note

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .note: 2
        }
    }

    /// Errors sort before warnings, warnings before notes.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// A stable rule identifier such as `schema/unknown-key`: lowercase, `category/kebab-name`.
///
/// The same id appears in messages, configuration, suppressions and the docs path.
public struct RuleID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The id text.
    public var rawValue: String

    /// Creates an id from its text.
    /// - Parameter rawValue: The id, e.g. `yaml/syntax`.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Creates an id from a string literal.
    /// - Parameter value: The id text.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// The category before the slash (`schema` for `schema/unknown-key`).
    public var category: String { String(rawValue.split(separator: "/").first ?? "") }

    /// Orders ids by their text.
    public static func < (lhs: RuleID, rhs: RuleID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The id text.
    public var description: String { rawValue }
}

/// A secondary message attached to a diagnostic, e.g. "first defined here".
public struct DiagnosticNote: Hashable, Sendable {
    /// The note text.
    public var message: String
    /// Where the note points, if anywhere.
    public var location: SourceSpan?

    /// Creates a note.
    /// - Parameters:
    ///   - message: The text.
    ///   - location: Where it points.
    public init(_ message: String, at location: SourceSpan? = nil) {
        self.message = message
        self.location = location
    }
}

/// One finding of any stage: loader, merge, policy or renderer.
///
/// Diagnostics are data: stages append them to a ``Diagnostics`` bag and never print.
public struct Diagnostic: Hashable, Sendable, Comparable {
    /// The stable rule id.
    public var id: RuleID
    /// How serious it is.
    public var severity: Severity
    /// Lowercase, no trailing period, quoting the offending value.
    public var message: String
    /// Where it is, if it has a place.
    public var location: SourceSpan?
    /// What to do about it ("did you mean 'threshold'?"), if anything useful can be said.
    public var hint: String?
    /// Secondary locations and explanations.
    public var notes: [DiagnosticNote]

    /// Creates a diagnostic.
    /// - Parameters:
    ///   - id: The rule id.
    ///   - severity: Defaults to `.error`.
    ///   - message: The message.
    ///   - location: Where it is.
    ///   - hint: What to do about it.
    ///   - notes: Secondary locations.
    public init(
        _ id: RuleID, severity: Severity = .error, _ message: String, at location: SourceSpan?,
        hint: String? = nil, notes: [DiagnosticNote] = []
    ) {
        self.id = id
        self.severity = severity
        self.message = message
        self.location = location
        self.hint = hint
        self.notes = notes
    }

    /// The reporting order: file, line, column, id, message (diagnostics without a place first).
    public static func < (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
        switch (lhs.location, rhs.location) {
        case (nil, .some): return true
        case (.some, nil): return false
        case let (l?, r?) where l != r: return l < r
        default: break
        }
        if lhs.id != rhs.id { return lhs.id < rhs.id }
        if lhs.message != rhs.message { return lhs.message < rhs.message }
        return lhs.severity < rhs.severity
    }
}

/// A value-type bag of diagnostics that every stage appends to.
public struct Diagnostics: Sendable, Equatable {
    /// The diagnostics in the order they were appended.
    public private(set) var all: [Diagnostic] = []

    /// Creates an empty bag.
    public init() {}

    /// Creates a bag holding the given diagnostics.
    /// - Parameter diagnostics: The diagnostics.
    public init(_ diagnostics: [Diagnostic]) { self.all = diagnostics }

    /// Appends one diagnostic.
    /// - Parameter diagnostic: The diagnostic.
    public mutating func append(_ diagnostic: Diagnostic) { all.append(diagnostic) }

    /// Appends every diagnostic of another bag.
    /// - Parameter other: The other bag.
    public mutating func append(contentsOf other: Diagnostics) { all.append(contentsOf: other.all) }

    /// Appends several diagnostics.
    /// - Parameter diagnostics: The diagnostics.
    public mutating func append(contentsOf diagnostics: [Diagnostic]) { all.append(contentsOf: diagnostics) }

    /// Whether any diagnostic is an error.
    public var hasErrors: Bool { all.contains { $0.severity == .error } }

    /// The number of errors.
    public var errorCount: Int { all.count { $0.severity == .error } }

    /// The number of warnings.
    public var warningCount: Int { all.count { $0.severity == .warning } }

    /// The diagnostics in reporting order, without exact duplicates.
    public var sorted: [Diagnostic] {
        var seen = Set<Diagnostic>()
        return all.sorted().filter { seen.insert($0).inserted }
    }
}
