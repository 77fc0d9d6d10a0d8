public import VigilModel

/// A SARIF 2.1.0 log (`--format sarif`), for GitHub code scanning and other SARIF viewers.
///
/// Written by ``CanonicalJSONWriter`` (keys sorted, one trailing newline); valid against the
/// OASIS SARIF 2.1.0 JSON schema. The log has one run:
///
/// - `tool.driver`: `name` `vigil`, `version` (``toolVersion``), and a `rules` table with one
///   entry per distinct rule id present, sorted by id: `id`, `name` (the part after `/` in
///   UpperCamelCase, `schema/unknown-key` → `UnknownKey`) and `shortDescription.text` (the id).
/// - `results`, in reporting order (``Diagnostics/sorted``): `ruleId`, `ruleIndex` (into the
///   rules table), `level` (`error`, `warning` or `note`), `message.text` (the message, then
///   ` — hint: …` when there is a hint), `locations` (absent when the diagnostic has no place),
///   `relatedLocations` for the notes that have a place (`id` 0, 1, … in note order), and
///   `properties.notes` with the texts of the notes that have no place.
/// - Locations are never absolute: root files are relative to `uriBaseId` `ROOT`, files of the
///   shipped library (`library:/baselines/…`) relative to `LIBRARY` (`uri` `baselines/…`). Both
///   base ids are declared in `originalUriBaseIds` with a description only, so the log names no
///   machine path. URIs are percent-encoded; `region` has `startLine` and `startColumn`, and
///   `columnKind` is `unicodeCodePoints`, which is how Vigil counts columns.
///
/// No timestamps, invocation data or absolute paths: the same diagnostics give the same bytes.
public struct SARIFReporter: DiagnosticReporter {
    /// `sarif`.
    public static let identifier = "sarif"

    /// The `$schema` written in the log.
    public static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"

    /// The `tool.driver.version` written in the log.
    public var toolVersion: String

    /// Creates the reporter.
    /// - Parameter toolVersion: The driver version; ``Compiler/version`` unless a test pins it.
    public init(toolVersion: String = Compiler.version) {
        self.toolVersion = toolVersion
    }

    /// The report as a SARIF 2.1.0 log.
    public func report(_ diagnostics: [Diagnostic]) -> String {
        let sorted = Diagnostics(diagnostics).sorted
        let ruleIDs = Set(sorted.map(\.id)).sorted()
        var ruleIndex: [RuleID: Int] = [:]
        for (index, id) in ruleIDs.enumerated() { ruleIndex[id] = index }

        let driver: CanonicalValue = .fields([
            "name": .string("vigil"),
            "version": .string(toolVersion),
            "rules": .array(ruleIDs.map { id in
                .fields([
                    "id": .string(id.rawValue),
                    "name": .string(Self.ruleName(id)),
                    "shortDescription": .fields(["text": .string(id.rawValue)]),
                ])
            }),
        ])
        let run: CanonicalValue = .fields([
            "tool": .fields(["driver": driver]),
            "columnKind": .string("unicodeCodePoints"),
            "originalUriBaseIds": .fields([
                "ROOT": .fields(["description": .fields(["text": .string("The Vigil root folder (--root).")])]),
                "LIBRARY": .fields(["description": .fields(["text": .string("The definitions library shipped with vigil.")])]),
            ]),
            "results": .array(sorted.map { result($0, ruleIndex: ruleIndex[$0.id] ?? -1) }),
        ])
        let log: CanonicalValue = .fields([
            "$schema": .string(Self.schemaURI),
            "version": .string("2.1.0"),
            "runs": .array([run]),
        ])
        return String(decoding: CanonicalJSONWriter().write(log), as: UTF8.self)
    }

    private func result(_ diagnostic: Diagnostic, ruleIndex: Int) -> CanonicalValue {
        var text = diagnostic.message
        if let hint = diagnostic.hint { text += " — hint: \(hint)" }
        let located = diagnostic.notes.filter { $0.location != nil }
        let unlocated = diagnostic.notes.filter { $0.location == nil }
        return .fields([
            "ruleId": .string(diagnostic.id.rawValue),
            "ruleIndex": .int(ruleIndex),
            "level": .string(diagnostic.severity.rawValue),
            "message": .fields(["text": .string(text)]),
            "locations": diagnostic.location.map { .array([.fields(["physicalLocation": Self.physicalLocation($0)])]) },
            "relatedLocations": located.isEmpty ? nil : .array(located.enumerated().map { index, note in
                .fields([
                    "id": .int(index),
                    "message": .fields(["text": .string(note.message)]),
                    "physicalLocation": note.location.map(Self.physicalLocation),
                ])
            }),
            "properties": unlocated.isEmpty ? nil : .fields(["notes": .array(unlocated.map { .string($0.message) })]),
        ])
    }

    /// `schema/unknown-key` → `UnknownKey`: the part after the last `/`, kebab-case to UpperCamelCase.
    static func ruleName(_ id: RuleID) -> String {
        let name = id.rawValue.split(separator: "/").last.map(String.init) ?? id.rawValue
        return name.split(whereSeparator: { $0 == "-" || $0 == "_" }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    private static func physicalLocation(_ span: SourceSpan) -> CanonicalValue {
        .fields([
            "artifactLocation": artifactLocation(span.file),
            "region": .fields(["startLine": .int(span.start.line), "startColumn": .int(span.start.column)]),
        ])
    }

    /// A display path as a SARIF artifact location relative to `ROOT` or `LIBRARY`.
    static func artifactLocation(_ path: String) -> CanonicalValue {
        if ReportSupport.isLibraryPath(path) {
            let relative = String(path.dropFirst(ReportSupport.libraryPrefix.count))
            return .fields(["uri": .string(percentEncoded(relative)), "uriBaseId": .string("LIBRARY")])
        }
        if path.hasPrefix("/") {
            // Not expected (display paths are relative), but still a valid absolute URI.
            return .fields(["uri": .string("file://" + percentEncoded(path))])
        }
        return .fields(["uri": .string(percentEncoded(path)), "uriBaseId": .string("ROOT")])
    }

    /// Percent-encodes everything but unreserved characters, `/`, `@` and sub-delimiters (RFC 3986).
    /// `:` is encoded so that a relative path can never be read as a scheme.
    static func percentEncoded(_ path: String) -> String {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/@!$&'()*+,;=".utf8)
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in path.utf8 {
            if allowed.contains(byte) {
                out.append(byte)
            } else {
                out.append(contentsOf: [0x25, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
