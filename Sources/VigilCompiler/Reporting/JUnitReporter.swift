public import VigilModel

/// A JUnit XML report (`--format junit`) for CI test dashboards.
///
/// ```
/// <?xml version="1.0" encoding="UTF-8"?>
/// <testsuites name="vigil" tests="2" failures="1">
///   <testsuite name="policy/alert-requires-runbook" tests="2" failures="1">
///     <testcase classname="policy/alert-requires-runbook" name="overlays/prod/alerts.yaml">
///       <failure message="1 error" type="error">overlays/prod/alerts.yaml:14:9: error: … [policy/alert-requires-runbook]
///   hint: …
/// </failure>
///     </testcase>
///     …
/// ```
///
/// - One `<testsuite name="<rule id>">` per rule id present, sorted by id.
/// - In each, one `<testcase classname="<rule id>" name="<file>">` per file with findings of the
///   rule, sorted by path (UTF-8 bytes); findings without a place share the testcase named
///   `(no location)`, which sorts first.
/// - A testcase with errors or warnings has one `<failure>`: `message` counts them
///   (`1 error, 2 warnings`), `type` is `error` if any is an error and `warning` otherwise, and the
///   text lists them in reporting order in the text format (`path:line:column: severity: message
///   [id]`, then hint and note lines). Diagnostics of severity `note` never fail: they are listed
///   in the testcase's `<system-out>`.
/// - `tests` counts testcases and `failures` the failing ones, per suite and in total.
/// - With no diagnostics at all the report holds one passing testcase, `classname="vigil"`
///   `name="vigil check"` in a suite named `vigil`, so that dashboards always show a test.
/// - Escaping: `&`, `<`, `>`, `"` and `'` as entities everywhere; in attributes also tab, LF and
///   CR as character references (so they survive attribute normalization); CR in text as `&#13;`.
///   C0 control characters that XML 1.0 forbids even as references (and U+FFFE, U+FFFF) are
///   written as the visible text `\uXXXX`.
public struct JUnitReporter: DiagnosticReporter {
    /// `junit`.
    public static let identifier = "junit"

    /// The testcase name for findings without a place.
    public static let noLocationName = "(no location)"

    /// Creates the reporter.
    public init() {}

    private struct TestCase {
        var rule: RuleID
        var file: String?
        var findings: [Diagnostic] = []
        var notes: [Diagnostic] = []

        var errors: Int { findings.count { $0.severity == .error } }
        var warnings: Int { findings.count { $0.severity == .warning } }
        var fails: Bool { !findings.isEmpty }
    }

    /// The report as JUnit XML.
    public func report(_ diagnostics: [Diagnostic]) -> String {
        let sorted = Diagnostics(diagnostics).sorted
        // Group by (rule, file); `sorted` is in reporting order, so each group keeps that order.
        var suites: [RuleID: [String: TestCase]] = [:]
        let none = "\u{0}"  // a key no path can have, for findings without a place
        for diagnostic in sorted {
            let file = diagnostic.location?.file
            var testCase = suites[diagnostic.id, default: [:]][file ?? none] ?? TestCase(rule: diagnostic.id, file: file)
            if diagnostic.severity == .note {
                testCase.notes.append(diagnostic)
            } else {
                testCase.findings.append(diagnostic)
            }
            suites[diagnostic.id, default: [:]][file ?? none] = testCase
        }

        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        if suites.isEmpty {
            out += "<testsuites name=\"vigil\" tests=\"1\" failures=\"0\">\n"
            out += "  <testsuite name=\"vigil\" tests=\"1\" failures=\"0\">\n"
            out += "    <testcase classname=\"vigil\" name=\"vigil check\"/>\n"
            out += "  </testsuite>\n"
            out += "</testsuites>\n"
            return out
        }

        let ordered: [(RuleID, [TestCase])] = suites.keys.sorted().map { rule in
            let cases = suites[rule]!.values.sorted { lhs, rhs in
                switch (lhs.file, rhs.file) {
                case (nil, _): return rhs.file != nil
                case (_, nil): return false
                case let (l?, r?): return l.utf8.lexicographicallyPrecedes(r.utf8)
                }
            }
            return (rule, cases)
        }
        let totalTests = ordered.reduce(0) { $0 + $1.1.count }
        let totalFailures = ordered.reduce(0) { $0 + $1.1.count(where: \.fails) }
        out += "<testsuites name=\"vigil\" tests=\"\(totalTests)\" failures=\"\(totalFailures)\">\n"
        for (rule, cases) in ordered {
            let id = Self.attribute(rule.rawValue)
            out += "  <testsuite name=\"\(id)\" tests=\"\(cases.count)\" failures=\"\(cases.count(where: \.fails))\">\n"
            for testCase in cases {
                let name = Self.attribute(testCase.file ?? Self.noLocationName)
                out += "    <testcase classname=\"\(id)\" name=\"\(name)\""
                if !testCase.fails && testCase.notes.isEmpty {
                    out += "/>\n"
                    continue
                }
                out += ">\n"
                if testCase.fails {
                    var counts: [String] = []
                    if testCase.errors > 0 { counts.append("\(testCase.errors) error\(testCase.errors == 1 ? "" : "s")") }
                    if testCase.warnings > 0 { counts.append("\(testCase.warnings) warning\(testCase.warnings == 1 ? "" : "s")") }
                    let type = testCase.errors > 0 ? "error" : "warning"
                    let body = testCase.findings.map(ReportSupport.textLines).joined()
                    out += "      <failure message=\"\(Self.attribute(counts.joined(separator: ", ")))\" type=\"\(type)\">"
                    out += Self.text(body) + "</failure>\n"
                }
                if !testCase.notes.isEmpty {
                    out += "      <system-out>" + Self.text(testCase.notes.map(ReportSupport.textLines).joined()) + "</system-out>\n"
                }
                out += "    </testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }

    /// Escapes an attribute value (to be written between double quotes).
    static func attribute(_ value: String) -> String { escape(value, inAttribute: true) }

    /// Escapes character data.
    static func text(_ value: String) -> String { escape(value, inAttribute: false) }

    private static func escape(_ value: String, inAttribute: Bool) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#13;"
            case "\n" where inAttribute: out += "&#10;"
            case "\t" where inAttribute: out += "&#9;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            case "\u{0}"..."\u{1F}", "\u{FFFE}", "\u{FFFF}":
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
