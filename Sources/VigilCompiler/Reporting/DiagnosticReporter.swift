public import VigilModel

/// Turns diagnostics into a report in one format.
public protocol DiagnosticReporter: Sendable {
    /// The name that selects this reporter (the planned `--format` values).
    static var identifier: String { get }
    /// The report of the diagnostics, which the reporter sorts itself.
    /// - Parameter diagnostics: The diagnostics.
    /// - Returns: The report text.
    func report(_ diagnostics: [Diagnostic]) -> String
}

/// The compiler-style text format that editors and GitHub problem matchers parse:
///
/// ```
/// baselines/data/redis.yaml:14:9: error: unknown key 'tresholds' in metric criteria [schema/unknown-key]
///   hint: did you mean 'threshold'?
/// baselines/data/redis.yaml:3:1: note: first defined here
/// ```
public struct TextReporter: DiagnosticReporter {
    /// `text`.
    public static let identifier = "text"

    /// Creates the reporter.
    public init() {}

    /// The report, one diagnostic after another, sorted, with a summary line.
    public func report(_ diagnostics: [Diagnostic]) -> String {
        var out = ""
        let sorted = Diagnostics(diagnostics).sorted
        for diagnostic in sorted { out += ReportSupport.textLines(diagnostic) }
        let errors = sorted.count { $0.severity == .error }
        let warnings = sorted.count { $0.severity == .warning }
        if errors + warnings > 0 {
            out += "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n"
        }
        return out
    }
}

/// Every reporter, for `--format` lookup and listing.
public enum Reporters {
    /// One instance of each reporter, hand-written and sorted by ``DiagnosticReporter/identifier``
    /// (a test checks that identifiers are unique and sorted).
    public static let all: [any DiagnosticReporter] = [
        GitHubReporter(),
        JSONReporter(),
        JUnitReporter(),
        SARIFReporter(),
        TextReporter(),
    ]

    /// The identifiers of ``all``, in order.
    public static var identifiers: [String] { all.map { type(of: $0).identifier } }

    /// The reporter with an identifier.
    /// - Parameter name: The identifier, e.g. `sarif`.
    /// - Returns: The reporter, or nil if there is none by that name.
    public static func reporter(named name: String) -> (any DiagnosticReporter)? {
        all.first { type(of: $0).identifier == name }
    }
}
