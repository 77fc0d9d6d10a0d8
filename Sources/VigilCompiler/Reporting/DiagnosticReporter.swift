import Foundation
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

    /// The input files by display path; when a diagnostic's file is here, its source line is
    /// shown under the message with a caret at the column.
    public var sources: [String: String]

    /// Creates the reporter.
    /// - Parameter sources: Input texts by display path (empty: no source lines).
    public init(sources: [String: String] = [:]) { self.sources = sources }

    /// The report, one diagnostic after another, sorted, with a summary line.
    public func report(_ diagnostics: [Diagnostic]) -> String {
        var out = ""
        let sorted = Diagnostics(diagnostics).sorted
        for diagnostic in sorted {
            let block = ReportSupport.textLines(diagnostic)
            guard let location = diagnostic.location, let excerpt = excerpt(location),
                let newline = block.firstIndex(of: "\n")
            else {
                out += block
                continue
            }
            out += block[...newline] + excerpt + block[block.index(after: newline)...]
        }
        let errors = sorted.count { $0.severity == .error }
        let warnings = sorted.count { $0.severity == .warning }
        if errors + warnings > 0 {
            out += "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n"
        }
        return out
    }

    /// `  | <the line>` and `  | <caret under the column>`, or nil when the line is unknown.
    func excerpt(_ location: SourceSpan) -> String? {
        guard let text = sources[location.file] else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard location.start.line >= 1, location.start.line <= lines.count else { return nil }
        let line = String(lines[location.start.line - 1]).replacingOccurrences(of: "\r", with: "")
        let prefix = line.unicodeScalars.prefix(max(0, location.start.column - 1)).map { $0 == "\t" ? "\t" : " " }.joined()
        return "  | \(line)\n  | \(prefix)^\n"
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
