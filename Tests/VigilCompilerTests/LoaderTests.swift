import Foundation
import Testing
import VigilCompiler
import VigilModel
import VigilTestSupport

/// One malformed-input case: marked YAML, the rule id expected at the marker.
struct LoaderCase: Sendable, CustomTestStringConvertible {
    var name: String
    var kind: SourceKind
    var yaml: String
    var id: RuleID
    var messageContains: String = ""
    var hintContains: String? = nil

    var testDescription: String { name }
}

let header = "apiVersion: vigil/v1\nkind: Baseline\nname: test\n"

let alertBody = """
        title: CPU high
        layer: data
        severity: 2
        metric:
          resource: postgresql
          resourceType: Microsoft.DBforPostgreSQL/flexibleServers
          namespace: Microsoft.DBforPostgreSQL/flexibleServers
          metric: cpu_percent
          aggregation: Average

    """

let loaderCases: [LoaderCase] = [
    LoaderCase(
        name: "syntax error", kind: .baseline,
        yaml: header + "alerts:\n  a: [1, 2\n↓", id: "yaml/syntax"),
    LoaderCase(
        name: "duplicate key at the second occurrence", kind: .baseline,
        yaml: header + "alerts:\n  cpu:\n" + alertBody + "      operator: GreaterThan\n      threshold: 1\n      window: 5m\n      frequency: 1m\n      ↓threshold: 2\n",
        id: "schema/duplicate-key", messageContains: "'threshold'"),
    LoaderCase(
        name: "unknown key with suggestion", kind: .baseline,
        yaml: header + "alerts:\n  cpu:\n" + alertBody + "      operator: GreaterThan\n      ↓treshold: 1\n      window: 5m\n      frequency: 1m\n",
        id: "schema/unknown-key", messageContains: "'treshold'", hintContains: "did you mean 'threshold'?"),
    LoaderCase(
        name: "wrong type: quoted number", kind: .baseline,
        yaml: header + "alerts:\n  cpu:\n" + alertBody + "      operator: GreaterThan\n      threshold: ↓\"95\"\n      window: 5m\n      frequency: 1m\n",
        id: "schema/type-mismatch", hintContains: "remove the quotes"),
    LoaderCase(
        name: "wrong type: yes is not a Boolean", kind: .baseline,
        yaml: header + "alerts:\n  cpu:\n    enabled: ↓yes\n" + alertBody.replacingOccurrences(of: "        title", with: "    title") + "      operator: GreaterThan\n      threshold: 1\n      window: 5m\n      frequency: 1m\n",
        id: "schema/type-mismatch"),
    LoaderCase(
        name: "wrong type: map where a list is expected", kind: .baseline,
        yaml: header + "alerts:\n  cpu:\n    covers: ↓{a: b}\n" + alertBody.replacingOccurrences(of: "        title", with: "    title") + "      operator: GreaterThan\n      threshold: 1\n      window: 5m\n      frequency: 1m\n",
        id: "schema/type-mismatch"),
    LoaderCase(
        name: "bad enum value with suggestion", kind: .baseline,
        yaml: header + "alerts:\n  cpu:\n" + alertBody.replacingOccurrences(of: "aggregation: Average", with: "aggregation: ↓Averge") + "      operator: GreaterThan\n      threshold: 1\n      window: 5m\n      frequency: 1m\n",
        id: "schema/invalid-value", hintContains: "did you mean 'Average'?"),
    LoaderCase(
        name: "integer out of range", kind: .baseline,
        yaml: header + "alerts:\n  cpu:\n" + alertBody.replacingOccurrences(of: "severity: 2", with: "severity: ↓7") + "      operator: GreaterThan\n      threshold: 1\n      window: 5m\n      frequency: 1m\n",
        id: "schema/invalid-value", messageContains: "out of range"),
    LoaderCase(
        name: "missing required field", kind: .baseline,
        yaml: header + "alerts:\n  cpu:\n" + alertBody.replacingOccurrences(of: "resource: postgresql", with: "↓resource: postgresql") + "      operator: GreaterThan\n      threshold: 1\n      frequency: 1m\n",
        id: "schema/missing-field", messageContains: "'window'"),
    LoaderCase(
        name: "missing required field: marker at the map", kind: .baseline,
        yaml: header + "alerts:\n  cpu:\n    ↓layer: data\n    severity: 1\n    metric: {resource: a, resourceType: A.B/c, namespace: n, metric: m, aggregation: Total, operator: LessThan, threshold: 1, window: 5m, frequency: 5m}\n",
        id: "schema/missing-field", messageContains: "'title'"),
    LoaderCase(
        name: "both threshold and dynamic", kind: .baseline,
        yaml: header + "alerts:\n  cpu:\n" + alertBody + "      operator: GreaterThan\n      threshold: 1\n      ↓dynamic: {operator: GreaterThan, sensitivity: Low}\n      window: 5m\n      frequency: 5m\n",
        id: "schema/exclusive-fields", messageContains: "only one of"),
    LoaderCase(
        name: "empty value", kind: .baseline,
        yaml: header + "alerts:\n  cpu:\n" + alertBody + "      operator: GreaterThan\n      ↓threshold:\n      window: 5m\n      frequency: 1m\n",
        id: "schema/empty-value", hintContains: "null"),
    LoaderCase(
        name: "unsafe name", kind: .baseline,
        yaml: "apiVersion: vigil/v1\nkind: Baseline\nname: ↓Data_Postgres\n",
        id: "schema/unsafe-name", hintContains: "lowercase"),
    LoaderCase(
        name: "unsafe id", kind: .baseline,
        yaml: header + "alerts:\n  ↓CPU-High:\n" + alertBody + "      operator: GreaterThan\n      threshold: 1\n      window: 5m\n      frequency: 1m\n",
        id: "schema/unsafe-name"),
    LoaderCase(
        name: "name longer than 63 characters", kind: .baseline,
        yaml: "apiVersion: vigil/v1\nkind: Baseline\nname: ↓" + String(repeating: "a", count: 64) + "\n",
        id: "schema/unsafe-name"),
    LoaderCase(
        name: "custom tag", kind: .baseline,
        yaml: header + "description: ↓!secret abc\n", id: "yaml/unsupported-tag"),
    LoaderCase(
        name: "merge key", kind: .baseline,
        yaml: header + "alerts:\n  cpu:\n    ↓<<: {title: x}\n", id: "yaml/merge-key"),
    LoaderCase(
        name: "wrong kind for the folder", kind: .environment,
        yaml: "apiVersion: vigil/v1\nkind: ↓Baseline\nname: x\n", id: "schema/kind-mismatch"),
    LoaderCase(
        name: "unknown apiVersion", kind: .baseline,
        yaml: "apiVersion: ↓vigil/v2\nkind: Baseline\nname: x\n", id: "schema/invalid-value"),
    LoaderCase(
        name: "bad duration", kind: .baseline,
        yaml: header + "alerts:\n  cpu:\n" + alertBody + "      operator: GreaterThan\n      threshold: 1\n      window: ↓5 minutes\n      frequency: 1m\n",
        id: "schema/invalid-value", hintContains: "5m"),
    LoaderCase(
        name: "complex key", kind: .baseline,
        yaml: header + "alerts:\n  ↓[a, b]: 1\n", id: "yaml/complex-key"),
    LoaderCase(
        name: "two documents", kind: .baseline,
        yaml: "↓" + header + "---\n" + header, id: "yaml/multiple-documents"),
]

@Suite("Loader diagnostics")
struct LoaderTests {
    static func load(_ text: String, kind: SourceKind, limits: LoaderLimits = .standard) -> (SpecDocument?, [Diagnostic]) {
        var diagnostics = Diagnostics()
        let file = SourceFile(path: "baselines/test.yaml", kind: kind, contents: Data(text.utf8))
        let document = SpecLoader(limits: limits).load(file, diagnostics: &diagnostics)
        return (document, diagnostics.sorted)
    }

    @Test("each malformed input is reported at the marked place", arguments: loaderCases)
    func malformed(_ testCase: LoaderCase) throws {
        let marked = MarkedText(testCase.yaml)
        let (document, diagnostics) = Self.load(marked.text, kind: testCase.kind)
        #expect(document == nil)
        let first = try #require(
            diagnostics.first { $0.id == testCase.id && (testCase.messageContains.isEmpty || $0.message.contains(testCase.messageContains)) },
            "no \(testCase.id) in \(diagnostics)")
        #expect(first.location?.file == "baselines/test.yaml")
        #expect(first.location?.start == marked.marker, "\(first)")
        #expect(first.severity == .error)
        if !testCase.messageContains.isEmpty { #expect(first.message.contains(testCase.messageContains), "\(first.message)") }
        if let hint = testCase.hintContains { #expect(first.hint?.contains(hint) == true, "\(String(describing: first.hint))") }
    }

    @Test("a duplicate key notes its first occurrence")
    func duplicateKeyNote() throws {
        let marked = MarkedText(header + "↓description: one\n↓description: two\n")
        let (_, diagnostics) = Self.load(marked.text, kind: .baseline)
        let duplicate = try #require(diagnostics.first { $0.id == "schema/duplicate-key" })
        #expect(duplicate.location?.start == marked.markers[1])
        #expect(duplicate.notes.first?.location?.start == marked.markers[0])
    }

    @Test("invalid UTF-8 is reported at the first bad byte")
    func invalidUTF8() throws {
        let marked = MarkedText(header + "description: caf↓X\n")
        var bytes = Array(marked.text.utf8)
        let index = bytes.firstIndex(of: UInt8(ascii: "X"))!
        bytes[index] = 0xC3
        bytes.insert(0x28, at: index + 1)
        var diagnostics = Diagnostics()
        let file = SourceFile(path: "baselines/test.yaml", kind: .baseline, contents: Data(bytes))
        #expect(SpecLoader().load(file, diagnostics: &diagnostics) == nil)
        let first = try #require(diagnostics.sorted.first)
        #expect(first.id == "yaml/invalid-utf8")
        #expect(first.location?.start == marked.marker)
    }

    @Test("an alias bomb fails fast")
    func aliasBomb() throws {
        var yaml = header + "description: x\nx:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        var previous = "a"
        for level in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            yaml += "  \(level): &\(level) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
            previous = level
        }
        let clock = ContinuousClock()
        let start = clock.now
        let (document, diagnostics) = Self.load(yaml, kind: .baseline)
        #expect(document == nil)
        #expect(diagnostics.contains { $0.id == "yaml/limit-exceeded" })
        #expect(clock.now - start < .seconds(10))
    }

    @Test("nesting deeper than the limit is refused")
    func depthLimit() {
        let yaml = header + "description: " + String(repeating: "[", count: 80) + String(repeating: "]", count: 80) + "\n"
        let (document, diagnostics) = Self.load(yaml, kind: .baseline)
        #expect(document == nil)
        #expect(diagnostics.contains { $0.id == "yaml/limit-exceeded" && $0.message.contains("deeper") })
    }

    @Test("files over the size limit are refused before parsing")
    func sizeLimit() {
        let limits = LoaderLimits(maxFileBytes: 100, maxDepth: 64, maxNodes: 1000, maxAliasedNodes: 100)
        let (document, diagnostics) = Self.load(header + "description: " + String(repeating: "x", count: 200) + "\n", kind: .baseline, limits: limits)
        #expect(document == nil)
        #expect(diagnostics.map(\.id) == ["yaml/limit-exceeded"])
    }

    @Test("YAML 1.1 look-alikes stay strings where the schema expects strings")
    func noImplicitConversion() throws {
        let yaml = header + """
            description: no
            alerts:
              cpu:
                title: on
                runbook: https://example.com/1.10
                layer: data
                severity: 2
                metric: {resource: pg, resourceType: A.B/c, namespace: n, metric: m, aggregation: Average, operator: GreaterThan, threshold: 1.10, window: 5m, frequency: 1m}

            """
        let (document, diagnostics) = Self.load(yaml, kind: .baseline)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let doc = try #require(document)
        #expect(doc.root["description"]?.string == "no")
        let alert = try #require(doc.root["alerts"]?["cpu"])
        #expect(alert["title"]?.string == "on")
        #expect(alert["metric"]?["threshold"]?.number == Decimal(string: "1.1"))
    }

    @Test("null is kept as an explicit removal in patches")
    func nullInPatch() throws {
        let yaml = "apiVersion: vigil/v1\nkind: Overlay\nname: prod\nappliesTo: {stage: production}\nalerts:\n  cpu: null\n  mem:\n    description: null\n"
        var diagnostics = Diagnostics()
        let document = SpecLoader().load(SourceFile(path: "overlays/p.yaml", kind: .overlay, contents: Data(yaml.utf8)), diagnostics: &diagnostics)
        #expect(diagnostics.all.isEmpty, "\(diagnostics.all)")
        #expect(document?.root["alerts"]?["cpu"]?.isNull == true)
        #expect(document?.root["alerts"]?["mem"]?["description"]?.isNull == true)
    }
}
