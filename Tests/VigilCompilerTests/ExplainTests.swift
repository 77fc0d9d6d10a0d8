import Foundation
import Testing
import VigilCompiler
import VigilModel
import VigilTestSupport

@Suite("Explain")
struct ExplainTests {
    static func resolve() throws -> ResolvedEnvironment {
        let tree = try FixtureTree()
        try tree.write("vigil.yaml", isolatedConfig)
        try tree.write("baselines/a.yaml", baselineYAML("alerts:\n  cpu: \(alertYAML(extra: " owner: team-a,"))\n  mem: \(alertYAML())\n"))
        try tree.write("overlays/prod.yaml", overlayYAML("prod", "stage: production", "alerts:\n  cpu: {metric: {threshold: 90}}\n"))
        try tree.write("environments/acme-prod.yaml", mergeEnvironment + "overrides:\n  alerts:\n    cpu: {metric: {threshold: 85}, owner: null}\n    mem: null\n")
        let result = try Compiler().compile(Compiler.Options(root: tree.url))
        return try #require(result.environments.first)
    }

    @Test("an item's fields show their origin and the chain they overrode, newest first, and removed fields")
    func item() throws {
        let text = try #require(Explainer.text(try Self.resolve(), item: "cpu"))
        #expect(text.contains("alerts/cpu  defined at baselines/a.yaml:5:3"))
        #expect(text.contains("  metric.threshold = 85  ← environments/acme-prod.yaml:"))
        let threshold = try #require(text.range(of: "metric.threshold = 85"))
        let rest = String(text[threshold.upperBound...])
        let overlay = try #require(rest.range(of: "over 90  ← overlays/prod.yaml:"))
        let baseline = try #require(rest.range(of: "over 95  ← baselines/a.yaml:"))
        #expect(overlay.lowerBound < baseline.lowerBound, "newest first")
        #expect(text.contains("  owner removed at environments/acme-prod.yaml:"))
    }

    @Test("the environment view lists items with the files that changed them, the overrides and the removals")
    func environment() throws {
        let text = try #require(Explainer.text(try Self.resolve(), item: nil))
        #expect(text.contains("  alerts/cpu: baselines/a.yaml:5:3; environments/acme-prod.yaml, overlays/prod.yaml\n"))
        #expect(text.contains("overrides (values that differ from where the item was defined):\n  alerts/cpu metric.threshold = 85 ← environments/acme-prod.yaml:"))
        #expect(text.contains("removed:\n  alerts/mem: defined at baselines/a.yaml:6:3, removed at environments/acme-prod.yaml:"))
        #expect(Explainer.text(try Self.resolve(), item: "nope") == nil)
    }
}
