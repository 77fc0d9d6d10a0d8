public import VigilModel

/// A machine-readable report with a stable, versioned schema (`--format json`).
///
/// Written by ``CanonicalJSONWriter``: keys sorted by UTF-8 bytes, 2-space indent, one trailing
/// newline. Diagnostics are in reporting order (``Diagnostics/sorted``: file, line, column, id,
/// message; diagnostics without a place first) with exact duplicates removed.
///
/// Schema, version 1 (optional members are absent, never `null`):
///
/// ```
/// {
///   "version": 1,                          // bumped on any incompatible change
///   "diagnostics": [
///     {
///       "id": "schema/unknown-key",          // stable rule id
///       "severity": "error",                 // "error" | "warning" | "note"
///       "message": "unknown key 'tresholds'",
///       "location": {                        // optional: absent when the finding has no place
///         "file": "baselines/data/redis.yaml", // root-relative, or "library:/…" for the library
///         "line": 14,                        // 1-based
///         "column": 9                        // 1-based, in Unicode scalars
///       },
///       "hint": "did you mean 'threshold'?", // optional
///       "notes": [                           // always present, possibly empty, author's order
///         { "message": "first defined here", "location": { "file": …, "line": …, "column": … } }
///       ]                                    // a note's "location" is optional too
///     }
///   ],
///   "summary": { "errors": 1, "warnings": 0, "notes": 0 }  // counts of diagnostics by severity
/// }
/// ```
///
/// Consumers must ignore members they do not know: new optional members may be added without a
/// version bump.
public struct JSONReporter: DiagnosticReporter {
    /// `json`.
    public static let identifier = "json"

    /// The schema version written in `version`.
    public static let schemaVersion = 1

    /// Creates the reporter.
    public init() {}

    /// The report as canonical JSON.
    public func report(_ diagnostics: [Diagnostic]) -> String {
        let sorted = Diagnostics(diagnostics).sorted
        let document: CanonicalValue = .fields([
            "version": .int(Self.schemaVersion),
            "diagnostics": .array(sorted.map(Self.value(of:))),
            "summary": .fields([
                "errors": .int(ReportSupport.count(sorted, .error)),
                "warnings": .int(ReportSupport.count(sorted, .warning)),
                "notes": .int(ReportSupport.count(sorted, .note)),
            ]),
        ])
        return String(decoding: CanonicalJSONWriter().write(document), as: UTF8.self)
    }

    private static func value(of diagnostic: Diagnostic) -> CanonicalValue {
        .fields([
            "id": .string(diagnostic.id.rawValue),
            "severity": .string(diagnostic.severity.rawValue),
            "message": .string(diagnostic.message),
            "location": diagnostic.location.map(ReportSupport.location),
            "hint": diagnostic.hint.map(CanonicalValue.string),
            "notes": .array(diagnostic.notes.map { note in
                .fields(["message": .string(note.message), "location": note.location.map(ReportSupport.location)])
            }),
        ])
    }
}
