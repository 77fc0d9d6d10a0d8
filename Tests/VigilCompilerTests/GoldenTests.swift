import Crypto
import Foundation
import Testing
import VigilCompiler
import VigilModel
import VigilTestSupport

/// One folder per case under `Fixtures/Render/<case>/`: `input/` is a root, `expected/out/` the
/// rendered tree (absent when the case has errors), `expected/diagnostics.txt` the text report.
/// Regenerate with `scripts/update-golden.sh`.
@Suite("Golden render fixtures")
struct GoldenTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/Render")

    static var cases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    static func render(_ root: URL, order: SourceTree.Order = .sorted) throws -> (tree: [String: Data], report: String) {
        let result = try Compiler().compile(Compiler.Options(root: root, order: order))
        var tree: [String: Data] = [:]
        for output in result.outputs {
            for file in output.files { tree["\(output.name)/\(file.path)"] = file.bytes }
        }
        return (tree, TextReporter().report(result.diagnostics.all))
    }

    @Test("renders as the golden files say", arguments: cases)
    func golden(_ name: String) throws {
        let folder = Self.fixtures.appendingPathComponent(name)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("README.md").path), "each case explains itself")
        let (tree, report) = try Self.render(folder.appendingPathComponent("input"))
        for failure in GoldenFile.compareTree(tree, expected: folder.appendingPathComponent("expected/out")) {
            Issue.record(Comment(rawValue: failure))
        }
        if let failure = GoldenFile.compare(Data(report.utf8), expected: folder.appendingPathComponent("expected/diagnostics.txt")) {
            Issue.record(Comment(rawValue: failure))
        }
    }

    @Test("rendering twice, and with files discovered in reverse, gives the same bytes", arguments: cases)
    func determinism(_ name: String) throws {
        let input = Self.fixtures.appendingPathComponent(name).appendingPathComponent("input")
        let first = try Self.render(input)
        let second = try Self.render(input)
        let reversed = try Self.render(input, order: .reversed)
        #expect(first.tree == second.tree)
        #expect(first.tree == reversed.tree)
        #expect(first.report == reversed.report)
    }
}

@Suite("Model digest")
struct ModelDigestTests {
    @Test("the streamed model is canonical JSON: its tree written again gives the same bytes, and the digest is their SHA-256")
    func streamedModelIsCanonical() throws {
        let fixtures = try FileManager.default.contentsOfDirectory(atPath: GoldenTests.fixtures.path).sorted()
            .map { GoldenTests.fixtures.appendingPathComponent("\($0)/input") }
            .filter { FileManager.default.fileExists(atPath: $0.path) }
        var environments = 0
        var kinds = Set<String>()
        for root in [PackagePaths.root.appendingPathComponent("examples")] + fixtures {
            let result = try Compiler().compile(Compiler.Options(root: root))
            for environment in result.environments {
                let bytes = ModelEncoder.bytes(environment)
                // Members out of key order, a missing separator or a stray indent would differ here.
                let rewritten = CanonicalJSONWriter().write(try ArtifactReader.json(Data(bytes)))
                #expect(Data(bytes) == rewritten, "model of \(environment.name) in \(root.lastPathComponent)")
                #expect(ModelEncoder.digest(environment) == Self.sha256(bytes))
                environments += 1
                for alert in environment.alerts { kinds.insert(alert.criteria.kind) }
                if !environment.dashboards.isEmpty { kinds.insert("dashboards") }
                if !environment.probes.isEmpty { kinds.insert("probes") }
                if !environment.maintenanceWindows.isEmpty { kinds.insert("maintenance") }
                if !environment.exports.isEmpty { kinds.insert("exports") }
                if !environment.monitors.isEmpty { kinds.insert("monitors") }
            }
        }
        #expect(environments > 20)
        // Every branch of the encoder is exercised.
        #expect(kinds == ["metric", "log", "activityLog", "prometheus", "dashboards", "probes", "maintenance", "exports", "monitors"])
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    @Test("comments, key order and quoting do not change any output byte, the manifest included")
    func reformatting() throws {
        let input = GoldenTests.fixtures.appendingPathComponent("metric-alerts/input")
        let tree = try FixtureTree()
        try tree.copy(input, to: "root")
        let root = tree.url.appendingPathComponent("root")
        let before = try GoldenTests.render(root).tree
        let path = root.appendingPathComponent("environments/beta-dev.yaml")
        let original = try String(contentsOf: path, encoding: .utf8)
        // Same data: a comment, keys reordered, a value quoted.
        let reformatted = "# owned by the beta team\n" + original
            .replacingOccurrences(of: "tier: multi-tenant\nstage: dev\n", with: "stage: \"dev\"   # not production\ntier: multi-tenant\n")
        #expect(reformatted != original)
        try reformatted.write(to: path, atomically: true, encoding: .utf8)
        #expect(try GoldenTests.render(root).tree == before)
        // A real change changes the model digest.
        try original.replacingOccurrences(of: "region: northeurope", with: "region: westeurope").write(to: path, atomically: true, encoding: .utf8)
        let after = try GoldenTests.render(root).tree
        #expect(after["beta-dev/manifest.json"] != before["beta-dev/manifest.json"])
    }
}
