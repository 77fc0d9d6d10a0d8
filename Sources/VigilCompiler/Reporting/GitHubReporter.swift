public import VigilModel

/// GitHub Actions workflow commands (`--format github`), which the runner turns into annotations
/// on the pull request:
///
/// ```
/// ::error file=overlays/prod/alerts.yaml,line=14,col=9,title=policy/threshold-positive::threshold must be > 0 [policy/threshold-positive]
/// ::warning title=schema/deprecated-key::key 'foo' is deprecated [schema/deprecated-key]
/// ```
///
/// - One line per diagnostic, in reporting order (``Diagnostics/sorted``); no output for none.
/// - `error` → `::error`, `warning` → `::warning`, `note` → `::notice`.
/// - Properties: `file`, `line`, `col` when the diagnostic has a place in the repository, and
///   `title` (the rule id). Files of the shipped library (`library:/…`) are not repository files,
///   so for them `file`, `line` and `col` are left out and the message starts with
///   `library:/…:line:column: ` instead.
/// - The message is followed by ` [rule id]`, then by `hint: …` and one `…: note: …` line per
///   note (the text format), each after a newline.
/// - Escaping (GitHub's `toCommandValue`/`toCommandProperty` rules): in the message `%` → `%25`,
///   CR → `%0D`, LF → `%0A`; in property values additionally `:` → `%3A` and `,` → `%2C`.
public struct GitHubReporter: DiagnosticReporter {
    /// `github`.
    public static let identifier = "github"

    /// Creates the reporter.
    public init() {}

    /// The workflow commands, one line each.
    public func report(_ diagnostics: [Diagnostic]) -> String {
        var out = ""
        for diagnostic in Diagnostics(diagnostics).sorted {
            var properties: [(String, String)] = []
            var message = "\(diagnostic.message) [\(diagnostic.id)]"
            if let location = diagnostic.location {
                if ReportSupport.isLibraryPath(location.file) {
                    message = "\(location): " + message
                } else {
                    properties.append(("file", location.file))
                    properties.append(("line", String(location.start.line)))
                    properties.append(("col", String(location.start.column)))
                }
            }
            properties.append(("title", diagnostic.id.rawValue))
            if let hint = diagnostic.hint { message += "\nhint: \(hint)" }
            for note in diagnostic.notes {
                message += note.location.map { "\n\($0): note: \(note.message)" } ?? "\nnote: \(note.message)"
            }
            let list = properties.map { "\($0.0)=\(Self.escapeProperty($0.1))" }.joined(separator: ",")
            out += "::\(Self.command(diagnostic.severity)) \(list)::\(Self.escapeData(message))\n"
        }
        return out
    }

    private static func command(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "notice"
        }
    }

    /// Escapes a command's data (the message): `%`, CR and LF.
    static func escapeData(_ text: String) -> String { escape(text, property: false) }

    /// Escapes a property value: as data, plus `:` and `,`.
    static func escapeProperty(_ text: String) -> String { escape(text, property: true) }

    private static func escape(_ text: String, property: Bool) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            case ":" where property: out += "%3A"
            case "," where property: out += "%2C"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
