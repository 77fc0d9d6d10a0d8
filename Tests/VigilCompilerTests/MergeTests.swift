import Foundation
import Testing
@testable import VigilCompiler
import VigilModel
import VigilTestSupport

/// Table-driven JSON Merge Patch cases over located trees: (name, base, patch, expected).
let mergeCases: [(String, String, String, String)] = [
    ("scalar replaces", "{a: 1, b: 2}", "{a: 3}", "{a: 3, b: 2}"),
    ("null removes", "{a: 1, b: 2}", "{a: null}", "{b: 2}"),
    ("maps merge recursively", "{m: {x: 1, y: 2}}", "{m: {y: 3, z: 4}}", "{m: {x: 1, y: 3, z: 4}}"),
    ("lists replace wholesale", "{l: [a, b, c]}", "{l: [d]}", "{l: [d]}"),
    ("a map replaces a scalar", "{a: 1}", "{a: {b: 2}}", "{a: {b: 2}}"),
    ("nulls inside a new map are dropped", "{a: 1}", "{m: {x: null, y: 1}}", "{a: 1, m: {y: 1}}"),
    ("removing an absent field changes nothing", "{a: 1}", "{b: null}", "{a: 1}"),
]

@Suite("Overlay merger")
struct MergeTests {
    static func value(_ yaml: String, file: String = "t.yaml") -> SpecValue {
        var diagnostics = Diagnostics()
        let raw = YAMLNodeReader(limits: .standard).read(
            SourceFile(path: file, kind: .baseline, contents: Data(yaml.utf8)), diagnostics: &diagnostics)!
        return convert(raw)
    }

    static func convert(_ raw: RawNode) -> SpecValue {
        switch raw.content {
        case .scalar(let s, let plain):
            if plain && s == "null" { return SpecValue(.null, at: raw.span) }
            if plain, let n = Decimal(string: s), SchemaValidator.isDecimalLiteral(s) { return SpecValue(.number(n), at: raw.span) }
            return SpecValue(.string(s), at: raw.span)
        case .sequence(let items): return SpecValue(.list(items.map(convert)), at: raw.span)
        case .mapping(let entries):
            return SpecValue(.map(entries.map { SpecField(key: $0.key, keySpan: $0.keySpan, value: convert($0.value)) }), at: raw.span)
        }
    }

    /// Structural equality, ignoring spans and key order.
    static func same(_ a: SpecValue, _ b: SpecValue) -> Bool {
        switch (a.content, b.content) {
        case (.map(let x), .map(let y)):
            guard x.count == y.count else { return false }
            return x.allSatisfy { f in y.contains { $0.key == f.key && same(f.value, $0.value) } }
        case (.list(let x), .list(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        default:
            return a.content == b.content
        }
    }

    @Test("RFC 7386 merge", arguments: mergeCases)
    func mergePatch(_ testCase: (String, String, String, String)) {
        let (_, base, patch, expected) = testCase
        let merged = OverlayMerger.mergePatch(Self.value(base), Self.value(patch))
        #expect(Self.same(merged, Self.value(expected)), "\(merged)")
    }

    @Test("a patched value remembers the layer that set it; untouched values keep theirs")
    func provenance() throws {
        let base = Self.value("{metric: {threshold: 95, window: 15m}}", file: "library:/baselines/pg.yaml")
        let patch = Self.value("{metric: {threshold: 90}}", file: "environments/acme-prod.yaml")
        let merged = OverlayMerger.mergePatch(base, patch)
        let origins = AlertDecoder.fieldOrigins(merged)
        #expect(origins["metric.threshold"]?.file == "environments/acme-prod.yaml")
        #expect(origins["metric.window"]?.file == "library:/baselines/pg.yaml")
    }

    static func layer(_ name: String, patch: Bool, _ yaml: String, file: String) -> MergeLayer {
        MergeLayer(name: name, isPatch: patch, documents: [(file, value(yaml, file: file))])
    }

    static let alert = "{title: t, layer: data, severity: 2, metric: {resource: r, resourceType: A.B/c, namespace: n, metric: m, aggregation: Average, operator: GreaterThan, threshold: 1, window: 5m, frequency: 5m}}"

    @Test("removal is remembered with the place that removed it")
    func removal() throws {
        var diagnostics = Diagnostics()
        let merged = OverlayMerger().merge([
            Self.layer("baseline", patch: false, "{alerts: {cpu: \(Self.alert), mem: \(Self.alert)}}", file: "b.yaml"),
            Self.layer("environment overrides", patch: true, "{alerts: {cpu: null}}", file: "e.yaml"),
        ], diagnostics: &diagnostics)
        #expect(diagnostics.all.isEmpty)
        #expect(merged.items["alerts"]?.map(\.id) == ["mem"])
        #expect(merged.removed["alerts"]?["cpu"]?.file == "e.yaml")
    }

    @Test("a complete new item in a patch layer is added")
    func newItem() throws {
        var diagnostics = Diagnostics()
        let merged = OverlayMerger().merge([
            Self.layer("baseline", patch: false, "{alerts: {cpu: \(Self.alert)}}", file: "b.yaml"),
            Self.layer("stage overlay", patch: true, "{alerts: {extra: \(Self.alert)}}", file: "o.yaml"),
        ], diagnostics: &diagnostics)
        #expect(diagnostics.all.isEmpty)
        #expect(merged.items["alerts"]?.map(\.id) == ["cpu", "extra"])
    }

    @Test("a patch that leaves an invalid item is an error at the patch")
    func invalidResult() throws {
        var diagnostics = Diagnostics()
        _ = OverlayMerger().merge([
            Self.layer("baseline", patch: false, "{alerts: {cpu: \(Self.alert)}}", file: "b.yaml"),
            Self.layer("environment overrides", patch: true, "{alerts: {cpu: {metric: {dynamic: {operator: GreaterThan, sensitivity: Low}}}}}", file: "e.yaml"),
        ], diagnostics: &diagnostics)
        let error = try #require(diagnostics.all.first)
        #expect(error.id == "merge/invalid-result")
        #expect(error.location?.file == "e.yaml")
    }

    @Test("selectors match facts; lists are any-of; all keys must match")
    func selectors() {
        let facts = EnvironmentFacts(
            name: "x", tier: .dedicated, stage: .production, region: "westeurope", compliance: ["healthcare"],
            components: ["postgresql": "flexible-server"])
        let selector = Selector(facts: facts)
        var diagnostics = Diagnostics()
        #expect(selector.matches(Self.value("{stage: production}"), diagnostics: &diagnostics) == true)
        #expect(selector.matches(Self.value("{stage: [dev, staging]}"), diagnostics: &diagnostics) == false)
        #expect(selector.matches(Self.value("{compliance: healthcare, tier: dedicated}"), diagnostics: &diagnostics) == true)
        #expect(selector.matches(Self.value("{compliance: pci, tier: dedicated}"), diagnostics: &diagnostics) == false)
        #expect(selector.matches(Self.value("{components.postgresql: cloudnativepg}"), diagnostics: &diagnostics) == false)
        #expect(selector.matches(Self.value("{components.redis: azure-cache}"), diagnostics: &diagnostics) == false)
        #expect(diagnostics.all.isEmpty)
        #expect(selector.matches(Self.value("{stage: prod}"), diagnostics: &diagnostics) == nil)
        #expect(diagnostics.all.first?.hint == "did you mean 'production'?")
    }
}
