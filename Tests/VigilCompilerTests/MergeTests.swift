import Foundation
import Testing
@testable import VigilCompiler
import VigilModel
import VigilTestSupport

/// A root configuration that reads no library, so a test sees only its own files.
let isolatedConfig = "apiVersion: vigil/v1\nkind: Config\nname: test\nlibrary: none\n"

/// The environment every merge case resolves: dedicated production, two compliance classes.
let mergeEnvironment = """
    apiVersion: vigil/v1
    kind: Environment
    name: acme-prod
    tier: dedicated
    stage: production
    region: westeurope
    compliance: [healthcare, pci]
    components: {postgresql: flexible-server}
    azure:
      subscriptionId: 00000000-0000-0000-0000-000000000001
      resourceGroup: rg
      resources: {pg: /subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg}

    """

func alertYAML(_ threshold: String = "95", severity: Int = 2, extra: String = "") -> String {
    "{title: CPU, layer: data, severity: \(severity),\(extra) metric: {resource: pg, resourceType: Microsoft.DBforPostgreSQL/flexibleServers, namespace: Microsoft.DBforPostgreSQL/flexibleServers, metric: cpu_percent, aggregation: Average, operator: GreaterThan, threshold: \(threshold), window: 15m, frequency: 5m}}"
}

func baselineYAML(_ body: String) -> String { "apiVersion: vigil/v1\nkind: Baseline\nname: base\n" + body }
func overlayYAML(_ name: String, _ target: String, _ body: String) -> String {
    "apiVersion: vigil/v1\nkind: Overlay\nname: \(name)\nappliesTo: {\(target)}\n" + body
}

/// A merge case: files (with `↓` where each expected diagnostic must point), the resolved values
/// expected (dotted paths into the canonical model of the environment), ids expected absent, and
/// the rule ids expected (one per marker, in any order).
struct MergeCase: Sendable, CustomTestStringConvertible {
    var name: String
    var files: [String: String]
    var expect: [String: String] = [:]
    var absent: [String] = []
    var diagnostics: [RuleID] = []
    var testDescription: String { name }
}

let mergeTable: [MergeCase] = [
    MergeCase(
        name: "patch a field",
        files: ["baselines/a.yaml": baselineYAML("alerts:\n  cpu: \(alertYAML())\n"),
                "overlays/prod.yaml": overlayYAML("prod", "stage: production", "alerts:\n  cpu: {metric: {threshold: 90}}\n")],
        expect: ["alerts.cpu.criteria.threshold.value": "90", "alerts.cpu.criteria.window": "900"]),
    MergeCase(
        name: "add a complete item",
        files: ["baselines/a.yaml": baselineYAML("alerts:\n  cpu: \(alertYAML())\n"),
                "overlays/prod.yaml": overlayYAML("prod", "stage: production", "alerts:\n  cpu-paging: \(alertYAML("98", severity: 1))\n")],
        expect: ["alerts.cpu-paging.severity": "1", "alerts.cpu.severity": "2"]),
    MergeCase(
        name: "a partial item under a typo is an error with a suggestion",
        files: ["baselines/a.yaml": baselineYAML("alerts:\n  postgresql-cpu: \(alertYAML())\n"),
                "overlays/prod.yaml": overlayYAML("prod", "stage: production", "alerts:\n  ↓postgresql-cpux: {metric: {threshold: 90}}\n")],
        diagnostics: ["merge/unknown-target"]),
    MergeCase(
        name: "null removes an item",
        files: ["baselines/a.yaml": baselineYAML("alerts:\n  cpu: \(alertYAML())\n  mem: \(alertYAML())\n"),
                "environments/acme-prod.yaml": mergeEnvironment + "overrides:\n  alerts:\n    mem: null\n"],
        absent: ["mem"]),
    MergeCase(
        name: "null removes a field",
        files: ["baselines/a.yaml": baselineYAML("alerts:\n  cpu: \(alertYAML(extra: " owner: team-a,"))\n"),
                "environments/acme-prod.yaml": mergeEnvironment + "overrides:\n  alerts:\n    cpu: {owner: null}\n"],
        absent: ["cpu.owner"]),
    MergeCase(
        name: "removing a missing id is an error",
        files: ["baselines/a.yaml": baselineYAML("alerts:\n  cpu: \(alertYAML())\n"),
                "environments/acme-prod.yaml": mergeEnvironment + "overrides:\n  alerts:\n    ↓memory: null\n"],
        diagnostics: ["merge/remove-missing"]),
    MergeCase(
        name: "an empty value is an error",
        files: ["baselines/a.yaml": baselineYAML("alerts:\n  cpu: \(alertYAML())\n"),
                "overlays/prod.yaml": overlayYAML("prod", "stage: production", "alerts:\n  cpu:\n    ↓owner:\n")],
        diagnostics: ["schema/empty-value"]),
    MergeCase(
        name: "the same id twice in one layer is an error naming both",
        files: ["baselines/a.yaml": baselineYAML("alerts:\n  cpu: \(alertYAML())\n"),
                "baselines/b.yaml": "apiVersion: vigil/v1\nkind: Baseline\nname: b\nalerts:\n  ↓cpu: \(alertYAML("80"))\n"],
        diagnostics: ["merge/duplicate-id"]),
    MergeCase(
        name: "compliance overlays that disagree are an error",
        files: ["baselines/a.yaml": baselineYAML("alerts:\n  cpu: \(alertYAML())\n"),
                "overlays/healthcare.yaml": overlayYAML("healthcare", "compliance: healthcare", "alerts:\n  cpu: {metric: {threshold: 80}}\n"),
                "overlays/pci.yaml": overlayYAML("pci", "compliance: pci", "alerts:\n  cpu: {metric: {threshold: ↓85}}\n")],
        diagnostics: ["merge/compliance-conflict"]),
    MergeCase(
        name: "compliance overlays that agree are fine",
        files: ["baselines/a.yaml": baselineYAML("alerts:\n  cpu: \(alertYAML())\n"),
                "overlays/healthcare.yaml": overlayYAML("healthcare", "compliance: healthcare", "alerts:\n  cpu: {metric: {threshold: 80}}\n"),
                "overlays/pci.yaml": overlayYAML("pci", "compliance: pci", "alerts:\n  cpu: {metric: {threshold: 80}, severity: 1}\n")],
        expect: ["alerts.cpu.criteria.threshold.value": "80", "alerts.cpu.severity": "1"]),
    MergeCase(
        name: "selectors apply after the merge: an overlay may patch an item a selector drops",
        files: ["baselines/a.yaml": baselineYAML("alerts:\n  cpu: \(alertYAML(extra: " when: {stage: production},"))\n  dev-only: \(alertYAML(extra: " when: {stage: dev},"))\n"),
                "overlays/prod.yaml": overlayYAML("prod", "stage: production", "alerts:\n  dev-only: {metric: {threshold: 1}}\n  cpu: {when: {stage: [production, staging]}}\n")],
        expect: ["alerts.cpu.severity": "2"], absent: ["dev-only"]),
    MergeCase(
        name: "requirements cannot be removed",
        files: ["baselines/a.yaml": baselineYAML("requires:\n  backup.freshness: {description: backups are watched}\n"),
                "environments/acme-prod.yaml": mergeEnvironment + "overrides:\n  requires:\n    ↓backup.freshness: null\n"],
        diagnostics: ["merge/requirement-removed"]),
    MergeCase(
        name: "requirements cannot be narrowed",
        files: ["baselines/a.yaml": baselineYAML("requires:\n  backup.freshness: {description: backups are watched}\n"),
                "overlays/prod.yaml": overlayYAML("prod", "stage: production", "requires:\n  ↓backup.freshness: {when: {stage: dev}}\n")],
        diagnostics: ["merge/requirement-removed"]),
    MergeCase(
        name: "requirements accumulate across layers",
        files: ["baselines/a.yaml": baselineYAML("requires:\n  backup.freshness: {description: backups are watched}\n"),
                "overlays/hc.yaml": overlayYAML("hc", "compliance: healthcare", "requires:\n  audit.retention: {description: audit logs kept six years}\n")],
        expect: ["requirements.backup.freshness": "backups are watched", "requirements.audit.retention": "audit logs kept six years"]),
]

@Suite("Overlay merger")
struct MergeTests {
    /// Resolves the files (plus the standard environment when none is given) and flattens the
    /// environment's canonical model into dotted paths.
    static func resolve(_ files: [String: String]) throws -> (values: [String: String], diagnostics: [Diagnostic], markers: Set<SourceSpan>) {
        let tree = try FixtureTree()
        var markers = Set<SourceSpan>()
        var all = files
        if all["environments/acme-prod.yaml"] == nil { all["environments/acme-prod.yaml"] = mergeEnvironment }
        all["vigil.yaml"] = isolatedConfig
        for (path, marked) in all {
            let text = MarkedText(marked)
            for marker in text.markers { markers.insert(SourceSpan(file: path, start: marker)) }
            try tree.write(path, text.text)
        }
        let result = try Compiler().compile(Compiler.Options(root: tree.url))
        var values: [String: String] = [:]
        if let environment = result.environments.first {
            let model = ModelEncoder.encode(environment)
            guard case .object(let fields) = model else { return (values, result.diagnostics.sorted, markers) }
            for (key, value) in fields { flatten(value, path: key, into: &values) }
        }
        return (values, result.diagnostics.sorted, markers)
    }

    /// Lists of objects with an `id`, `signal` or `table` are keyed by it.
    static func flatten(_ value: CanonicalValue, path: String, into values: inout [String: String]) {
        switch value {
        case .object(let fields):
            for (key, child) in fields { flatten(child, path: "\(path).\(key)", into: &values) }
        case .array(let items):
            for (index, item) in items.enumerated() {
                if case .object(let fields) = item {
                    if case .string(let id)? = fields["id"] ?? fields["table"] {
                        flatten(item, path: "\(path).\(id)", into: &values)
                        continue
                    }
                    if case .string(let signal)? = fields["signal"], case .string(let description)? = fields["description"] {
                        values["\(path).\(signal)"] = description
                        continue
                    }
                }
                flatten(item, path: "\(path).\(index)", into: &values)
            }
        case .string(let s): values[path] = s
        case .int(let i): values[path] = String(i)
        case .decimal(let d): values[path] = CanonicalValue.format(d)
        case .bool(let b): values[path] = String(b)
        case .null: break
        }
    }

    @Test("merge table", arguments: mergeTable)
    func table(_ testCase: MergeCase) throws {
        let (values, diagnostics, markers) = try Self.resolve(testCase.files)
        #expect(diagnostics.map(\.id).sorted() == testCase.diagnostics.sorted(), "\(diagnostics)")
        #expect(Set(diagnostics.compactMap(\.location)) == markers, "\(diagnostics)")
        for (path, expected) in testCase.expect {
            #expect(values[path] == expected, "\(path)")
        }
        for id in testCase.absent {
            #expect(!values.keys.contains { $0.hasPrefix("alerts.\(id)") }, "\(id) should be absent")
        }
        if testCase.diagnostics.isEmpty { #expect(!values.isEmpty) }
    }

    @Test("a typo in a patched id suggests the real one")
    func suggestion() throws {
        let (_, diagnostics, _) = try Self.resolve(mergeTable[2].files)
        #expect(diagnostics.first?.hint == "did you mean 'postgresql-cpu'?")
    }

    @Test("provenance: baseline, overlay and override each report their location, in order")
    func provenanceChain() throws {
        let tree = try FixtureTree()
        try tree.write("vigil.yaml", isolatedConfig)
        let base = MarkedText(baselineYAML("alerts:\n  cpu: {title: CPU, layer: data, severity: 2, metric: {resource: pg, resourceType: A.B/c, namespace: n, metric: m, aggregation: Average, operator: GreaterThan, threshold: ↓95, window: 15m, frequency: 5m}}\n"))
        let overlay = MarkedText(overlayYAML("prod", "stage: production", "alerts:\n  cpu: {metric: {threshold: ↓90}}\n"))
        let env = MarkedText(mergeEnvironment + "overrides:\n  alerts:\n    cpu: {metric: {threshold: ↓85}, owner: null}\n")
        try tree.write("baselines/a.yaml", base.text)
        try tree.write("overlays/prod.yaml", overlay.text)
        try tree.write("environments/acme-prod.yaml", env.text)
        let result = try Compiler().compile(Compiler.Options(root: tree.url))
        let alert = try #require(result.environments.first?.alerts.first)
        let origin = try #require(alert.provenance.origin(of: "metric.threshold"))
        #expect(origin.setAt == SourceSpan(file: "environments/acme-prod.yaml", start: env.marker))
        #expect(origin.overridden.map(\.setAt) == [
            SourceSpan(file: "baselines/a.yaml", start: base.marker), SourceSpan(file: "overlays/prod.yaml", start: overlay.marker),
        ])
        #expect(origin.overridden.map(\.value) == ["95", "90"])
        #expect(alert.provenance.origin(of: "metric.window")?.setAt.file == "baselines/a.yaml")
    }

    @Test("removed items remember what removed them")
    func removedItems() throws {
        let tree = try FixtureTree()
        try tree.write("vigil.yaml", isolatedConfig)
        try tree.write("baselines/a.yaml", baselineYAML("alerts:\n  cpu: \(alertYAML())\n"))
        let env = MarkedText(mergeEnvironment + "overrides:\n  alerts:\n    ↓cpu: null\n")
        try tree.write("environments/acme-prod.yaml", env.text)
        let result = try Compiler().compile(Compiler.Options(root: tree.url))
        let removed = try #require(result.environments.first?.removedItems.first)
        #expect(removed.id == "cpu")
        #expect(removed.removedAt == SourceSpan(file: "environments/acme-prod.yaml", start: env.marker))
        #expect(removed.definedAt.file == "baselines/a.yaml")
    }

    @Test("RFC 7386 on located trees", arguments: [
        ("{a: 1, b: 2}", "{a: 3}", "{\"a\":3,\"b\":2}"),
        ("{a: 1, b: 2}", "{a: null}", "{\"b\":2}"),
        ("{m: {x: 1, y: 2}}", "{m: {y: 3, z: 4}}", "{\"m\":{\"x\":1,\"y\":3,\"z\":4}}"),
        ("{l: [a, b, c]}", "{l: [d]}", "{\"l\":[\"d\"]}"),
        ("{a: 1}", "{a: {b: 2}}", "{\"a\":{\"b\":2}}"),
        ("{a: 1}", "{m: {x: null, y: 1}}", "{\"a\":1,\"m\":{\"y\":1}}"),
        ("{a: 1}", "{b: null}", "{\"a\":1}"),
    ])
    func mergePatch(_ base: String, _ patch: String, _ expected: String) throws {
        func value(_ yaml: String) -> SpecValue {
            var diagnostics = Diagnostics()
            let raw = YAMLNodeReader(limits: .standard).read(SourceFile(path: "t.yaml", kind: .baseline, contents: Data(yaml.utf8)), diagnostics: &diagnostics)!
            return convert(raw)
        }
        func convert(_ raw: RawNode) -> SpecValue {
            switch raw.content {
            case .scalar(let s, let plain):
                if plain && s == "null" { return SpecValue(.null, at: raw.span) }
                if plain, let n = DecimalLiteral.value(s) { return SpecValue(.number(n), at: raw.span) }
                return SpecValue(.string(s), at: raw.span)
            case .sequence(let items): return SpecValue(.list(items.map(convert)), at: raw.span)
            case .mapping(let entries):
                return SpecValue(.map(entries.map { SpecField(key: $0.key, keySpan: $0.keySpan, value: convert($0.value)) }), at: raw.span)
            }
        }
        let merged = OverlayMerger.mergePatch(value(base), value(patch))
        #expect(CanonicalJSONWriter().compact(OverlayMerger.canonical(merged)) == expected)
    }

    @Test("selectors match facts; lists are any-of; all keys must match")
    func selectors() {
        let facts = EnvironmentFacts(
            name: "x", tier: .dedicated, stage: .production, region: "westeurope", compliance: ["healthcare"],
            components: ["postgresql": "flexible-server"])
        let selector = Selector(facts: facts)
        func when(_ pairs: [(String, [String])]) -> SpecValue {
            let span = SourceSpan.file("t.yaml")
            return SpecValue(.map(pairs.map { key, values in
                SpecField(key: key, keySpan: span, value: SpecValue(.list(values.map { SpecValue(.string($0), at: span) }), at: span))
            }), at: span)
        }
        var diagnostics = Diagnostics()
        #expect(selector.matches(when([("stage", ["production"])]), diagnostics: &diagnostics) == true)
        #expect(selector.matches(when([("stage", ["dev", "staging"])]), diagnostics: &diagnostics) == false)
        #expect(selector.matches(when([("compliance", ["healthcare"]), ("tier", ["dedicated"])]), diagnostics: &diagnostics) == true)
        #expect(selector.matches(when([("compliance", ["pci"]), ("tier", ["dedicated"])]), diagnostics: &diagnostics) == false)
        #expect(selector.matches(when([("components.postgresql", ["cloudnativepg"])]), diagnostics: &diagnostics) == false)
        #expect(selector.matches(when([("components.redis", ["azure-cache"])]), diagnostics: &diagnostics) == false)
        #expect(diagnostics.all.isEmpty)
        #expect(selector.matches(when([("stage", ["prod"])]), diagnostics: &diagnostics) == nil)
        #expect(diagnostics.all.first?.hint == "did you mean 'production'?")
    }
}
