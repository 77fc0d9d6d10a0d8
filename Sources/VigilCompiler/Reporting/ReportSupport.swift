import VigilModel

/// Small helpers shared by the reporters.
enum ReportSupport {
    /// The prefix of display paths of files in the shipped library.
    static let libraryPrefix = "library:/"

    /// Whether a display path names a file of the shipped library rather than of the root.
    static func isLibraryPath(_ path: String) -> Bool { path.hasPrefix(libraryPrefix) }

    /// The number of diagnostics of one severity.
    static func count(_ diagnostics: [Diagnostic], _ severity: Severity) -> Int {
        diagnostics.count { $0.severity == severity }
    }

    /// The `file:line:column` of a span as a canonical value (the JSON report's `location`).
    static func location(_ span: SourceSpan) -> CanonicalValue {
        .fields(["file": .string(span.file), "line": .int(span.start.line), "column": .int(span.start.column)])
    }
}

extension ReportSupport {
    /// A diagnostic in the text format: the `file:line:column: severity: message [id]` line (or
    /// `vigil: severity: …` without a place), then `  hint: …` and one line per note, each line
    /// ending in a newline. The same lines as ``TextReporter`` writes for one diagnostic.
    static func textLines(_ diagnostic: Diagnostic) -> String {
        let head = diagnostic.location.map { "\($0)" } ?? "vigil"
        var out = "\(head): \(diagnostic.severity.rawValue): \(diagnostic.message) [\(diagnostic.id)]\n"
        if let hint = diagnostic.hint { out += "  hint: \(hint)\n" }
        for note in diagnostic.notes {
            out += note.location.map { "\($0): note: \(note.message)\n" } ?? "  note: \(note.message)\n"
        }
        return out
    }
}
