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
        for diagnostic in sorted {
            out += line(diagnostic.location, diagnostic.severity.rawValue, "\(diagnostic.message) [\(diagnostic.id)]")
            if let hint = diagnostic.hint { out += "  hint: \(hint)\n" }
            for note in diagnostic.notes {
                out += note.location.map { "\($0): note: \(note.message)\n" } ?? "  note: \(note.message)\n"
            }
        }
        let errors = sorted.count { $0.severity == .error }
        let warnings = sorted.count { $0.severity == .warning }
        if errors + warnings > 0 {
            out += "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n"
        }
        return out
    }

    private func line(_ location: SourceSpan?, _ severity: String, _ message: String) -> String {
        if let location { return "\(location): \(severity): \(message)\n" }
        return "vigil: \(severity): \(message)\n"
    }
}
