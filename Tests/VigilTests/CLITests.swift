import Foundation
import Testing
import VigilTestSupport

/// End-to-end tests of the built `vigil` binary on the bundled example and small fixture roots.
@Suite("vigil CLI", .serialized)
struct CLITests {
    static let examples = PackagePaths.root.appendingPathComponent("examples")

    /// A copy of the example root whose `library:` points back at this repository's library.
    static func exampleCopy() throws -> FixtureTree {
        let tree = try FixtureTree()
        try tree.copy(examples.appendingPathComponent("environments"), to: "environments")
        try tree.write("vigil.yaml", "apiVersion: vigil/v1\nkind: Config\nname: copy\nlibrary: \(PackagePaths.root.path)\n")
        return tree
    }

    @Test("renders the bundled example, then --check finds nothing stale")
    func renderAndCheck() throws {
        let tree = try Self.exampleCopy()
        let render = try CLIRunner.run(["render", "--root", tree.url.path])
        #expect(render.status == 0, "\(render.stderr)")
        #expect(render.stdout.isEmpty, "stdout carries only requested data")
        let snapshot = try tree.snapshot("out")
        #expect(snapshot.keys.contains("acme-prod/azure/alerts.json"))
        #expect(snapshot.keys.contains("acme-prod/manifest.json"))
        let check = try CLIRunner.run(["render", "--root", tree.url.path, "--check"])
        #expect(check.status == 0, "\(check.stderr)")
    }

    @Test("the committed example output is up to date")
    func committedExampleIsFresh() throws {
        let check = try CLIRunner.run(["render", "--root", Self.examples.path, "--check"])
        #expect(check.status == 0, "\(check.stderr)")
    }

    @Test("--check exits 1 on a stale, missing or extra environment and writes nothing")
    func checkDetectsDrift() throws {
        let tree = try Self.exampleCopy()
        #expect(try CLIRunner.run(["render", "--root", tree.url.path]).status == 0)
        try tree.write("out/acme-prod/azure/alerts.json", "{}\n")
        try tree.write("out/retired-env/manifest.json", "{}\n")
        let before = try tree.snapshot("out")
        let check = try CLIRunner.run(["render", "--root", tree.url.path, "--check"])
        #expect(check.status == 1)
        #expect(check.stderr.contains("changed: acme-prod/azure/alerts.json"))
        #expect(check.stderr.contains("extra: retired-env/"))
        #expect(try tree.snapshot("out") == before)
        let subset = try CLIRunner.run(["render", "--root", tree.url.path, "--check", "--env", "acme-staging"])
        #expect(subset.status == 0, "a subset check looks only at its environments: \(subset.stderr)")
    }

    @Test("two processes, one discovering files in reverse, render identical trees")
    func determinismAcrossProcesses() throws {
        let tree = try Self.exampleCopy()
        let a = try CLIRunner.run(["render", "--root", tree.url.path, "--out", tree.url.appendingPathComponent("a").path])
        let b = try CLIRunner.run(
            ["render", "--root", tree.url.path, "--out", tree.url.appendingPathComponent("b").path],
            environment: ["VIGIL_DEBUG_DISCOVERY_ORDER": "reverse"])
        #expect(a.status == 0 && b.status == 0)
        let first = try tree.snapshot("a"), second = try tree.snapshot("b")
        #expect(!first.isEmpty)
        #expect(first == second)
    }

    @Test("a malformed input exits 1 with a located diagnostic and leaves the output folder byte for byte")
    func errorsWriteNothing() throws {
        let tree = try Self.exampleCopy()
        #expect(try CLIRunner.run(["render", "--root", tree.url.path]).status == 0)
        let before = try tree.snapshot("out")
        let original = try String(contentsOf: tree.url.appendingPathComponent("environments/acme-staging.yaml"), encoding: .utf8)
        try tree.write("environments/acme-staging.yaml", original.replacingOccurrences(of: "stage: staging", with: "stage: stagign"))
        try tree.write("environments/zz-new.yaml", "apiVersion: vigil/v1\nkind: Environment\nname: zz-new\n")
        let run = try CLIRunner.run(["render", "--root", tree.url.path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("environments/acme-staging.yaml:"))
        #expect(run.stderr.contains("[schema/invalid-value]"))
        #expect(run.stderr.contains("did you mean 'staging'?"))
        #expect(run.stderr.contains("environments/zz-new.yaml:1:1: error:"))
        #expect(try tree.snapshot("out") == before)
    }

    @Test("an environment that fails to resolve while others render stages nothing: the output folder stays as it was")
    func streamingErrorWritesNothing() throws {
        let tree = try Self.exampleCopy()
        #expect(try CLIRunner.run(["render", "--root", tree.url.path]).status == 0)
        let before = try tree.snapshot("out")
        // The last environment by name fails in the merge (after the others have been rendered and
        // staged); the first one changes, so a partial write would show.
        let last = tree.url.appendingPathComponent("environments/shared-weu-staging.yaml")
        try tree.write(
            "environments/shared-weu-staging.yaml",
            try String(contentsOf: last, encoding: .utf8).replacingOccurrences(of: "overrides:\n", with: "overrides:\n  alerts:\n    no-such-alert: {severity: 1}\n"))
        let first = tree.url.appendingPathComponent("environments/acme-prod.yaml")
        try tree.write("environments/acme-prod.yaml", try String(contentsOf: first, encoding: .utf8).replacingOccurrences(of: "owner: ", with: "owner: x-"))
        let run = try CLIRunner.run(["render", "--root", tree.url.path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("[merge/unknown-target]"), "\(run.stderr)")
        #expect(try tree.snapshot("out") == before, "no staged folder is left and no environment changed")
        let fresh = tree.url.appendingPathComponent("fresh-out")
        #expect(try CLIRunner.run(["render", "--root", tree.url.path, "--out", fresh.path]).status == 1)
        #expect(!FileManager.default.fileExists(atPath: fresh.path), "a failed run does not even create the output folder")
    }

    /// Malformed inputs of every loader category, each written as a new environment file.
    static let malformed: [(String, Data, String)] = [
        ("syntax", Data("apiVersion: vigil/v1\nkind: Environment\nname: [x\n".utf8), "[yaml/syntax]"),
        ("invalid UTF-8", Data("apiVersion: vigil/v1\nkind: Environment\nname: x".utf8) + Data([0xFF, 0x0A]), "[yaml/invalid-utf8]"),
        ("duplicate key", Data("apiVersion: vigil/v1\nkind: Environment\nname: x\nname: y\n".utf8), "x.yaml:4:1: error: duplicate key 'name' [schema/duplicate-key]"),
        ("unknown key", Data("apiVersion: vigil/v1\nkind: Environment\nname: x\ntier: dedicated\nstage: dev\nregion: westeurope\nazure: {subscriptionId: 00000000-0000-0000-0000-000000000001, resourceGroup: rg}\nregoin: x\n".utf8), "did you mean 'region'?"),
        ("empty value", Data("apiVersion: vigil/v1\nkind: Environment\nname: x\ntier:\n".utf8), "[schema/empty-value]"),
        ("unsafe name", Data("apiVersion: vigil/v1\nkind: Environment\nname: ../x\n".utf8), "[schema/unsafe-name]"),
        ("custom tag", Data("apiVersion: vigil/v1\nkind: Environment\nname: !evil x\n".utf8), "[yaml/unsupported-tag]"),
        ("alias bomb", Data(("apiVersion: vigil/v1\nkind: Environment\nname: x\nslos:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n" + (1...7).map { "  l\($0): &l\($0) [" + Array(repeating: $0 == 1 ? "*a" : "*l\($0 - 1)", count: 10).joined(separator: ", ") + "]\n" }.joined()).utf8), "[yaml/limit-exceeded]"),
    ]

    @Test("every kind of malformed input exits 1 and leaves the output folder as it was", arguments: 0..<8)
    func malformedInputs(_ index: Int) throws {
        let (name, bytes, expected) = Self.malformed[index]
        let tree = try Self.exampleCopy()
        #expect(try CLIRunner.run(["render", "--root", tree.url.path]).status == 0)
        let before = try tree.snapshot("out")
        try tree.write("environments/x.yaml", bytes)
        let run = try CLIRunner.run(["render", "--root", tree.url.path])
        #expect(run.status == 1, "\(name)")
        #expect(run.stderr.contains("environments/x.yaml:"), "\(name): \(run.stderr)")
        #expect(run.stderr.contains(expected), "\(name): \(run.stderr)")
        #expect(try tree.snapshot("out") == before, "\(name)")
    }

    @Test("--env renders one environment and leaves the others; a full run removes retired ones")
    func subset() throws {
        let tree = try Self.exampleCopy()
        #expect(try CLIRunner.run(["render", "--root", tree.url.path]).status == 0)
        let before = try tree.snapshot("out")
        try tree.write("out/acme-staging/azure/alerts.json", "stale\n")
        let run = try CLIRunner.run(["render", "--root", tree.url.path, "--env", "acme-prod"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try tree.snapshot("out")["acme-staging/azure/alerts.json"] == Data("stale\n".utf8))
        try FileManager.default.removeItem(at: tree.url.appendingPathComponent("environments/dev-sandbox.yaml"))
        #expect(try CLIRunner.run(["render", "--root", tree.url.path]).status == 0)
        let after = try tree.snapshot("out")
        #expect(after.keys.allSatisfy { !$0.hasPrefix("dev-sandbox/") })
        #expect(after["acme-staging/azure/alerts.json"] == before["acme-staging/azure/alerts.json"])
    }

    @Test("vigil check renders in memory without making files, and still reports a render error")
    func checkReportsRenderErrors() throws {
        let tree = try Self.exampleCopy()
        let path = tree.url.appendingPathComponent("environments/acme-prod.yaml")
        let text = try String(contentsOf: path, encoding: .utf8)
        let broken = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("monitor-workspace:") }
        try broken.joined(separator: "\n").write(to: path, atomically: true, encoding: .utf8)
        let check = try CLIRunner.run(["check", "--root", tree.url.path])
        #expect(check.status == 1)
        #expect(check.stderr.contains("[render/unknown-resource]"), "\(check.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tree.url.appendingPathComponent("out").path), "check writes nothing")
    }

    @Test("vigil check: the examples pass; promotion shows what production demands; reports go to stdout")
    func check() throws {
        let clean = try CLIRunner.run(["check", "--root", Self.examples.path])
        #expect(clean.status == 0, "\(clean.stderr)")
        let promoted = try CLIRunner.run(["check", "--root", Self.examples.path, "--promote", "acme-staging", "--to", "production"])
        #expect(promoted.status == 0, "\(promoted.stderr)")
        let sandbox = try CLIRunner.run(["check", "--root", Self.examples.path, "--promote", "dev-sandbox", "--to", "production"])
        #expect(sandbox.status == 1, "a sandbox without recovery objectives cannot go to production: \(sandbox.stderr)")
        let sarif = try CLIRunner.run(["check", "--root", Self.examples.path, "--format", "sarif"])
        #expect(sarif.status == 0)
        let report = try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any]
        #expect(report?["version"] as? String == "2.1.0")
        let waivers = try CLIRunner.run(["check", "--root", Self.examples.path, "--waivers"])
        #expect(waivers.stdout == "no waivers\n")
        #expect(try CLIRunner.run(["check", "--root", Self.examples.path, "--format", "xml"]).status == 64)
        #expect(try CLIRunner.run(["check", "--root", Self.examples.path, "--promote", "acme-staging"]).status == 64)
        let rules = try CLIRunner.run(["rules"])
        #expect(rules.stdout.contains("policy/required-signals"))
    }

    @Test("exit codes: unknown environment 1, usage error 64")
    func exitCodes() throws {
        let tree = try Self.exampleCopy()
        let unknown = try CLIRunner.run(["render", "--root", tree.url.path, "--env", "acme-prd"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("did you mean 'acme-prod'?"))
        #expect(try CLIRunner.run(["render", "--no-such-flag"]).status == 64)
        #expect(try CLIRunner.run(["render", "--root", tree.url.appendingPathComponent("missing").path]).status == 64)
    }
}

/// `vigil diff` end to end: a temporary git repository holding a copy of the example fleet.
@Suite("vigil diff CLI", .serialized)
struct DiffCLITests {
    /// The example environments and a copy of the library, committed.
    static func repository() throws -> FixtureTree {
        let tree = try FixtureTree()
        for folder in ["baselines", "overlays", "templates"] {
            try tree.copy(PackagePaths.root.appendingPathComponent(folder), to: folder)
        }
        try tree.copy(CLITests.examples.appendingPathComponent("environments"), to: "fleet/environments")
        try tree.write("fleet/vigil.yaml", "apiVersion: vigil/v1\nkind: Config\nname: fleet\nlibrary: ..\n")
        try GitRepository.commitAll(in: tree.url)
        return tree
    }

    @Test("--exit-code: 0 on a clean tree, 1 with the overlay's line after a threshold change; markdown and json on stdout")
    func exitCodeAndFormats() throws {
        let tree = try Self.repository()
        let root = tree.url.appendingPathComponent("fleet").path
        let clean = try CLIRunner.run(["diff", "--root", root, "--exit-code"])
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(clean.stdout.contains("no differences in 9 environments"))
        let overlay = tree.url.appendingPathComponent("overlays/tier/multi-tenant.yaml")
        let text = try String(contentsOf: overlay, encoding: .utf8)
        try tree.write("overlays/tier/multi-tenant.yaml", text.replacingOccurrences(of: "\n      threshold: 85\n", with: "\n      threshold: 80\n"))
        let changed = try CLIRunner.run(["diff", "--root", root, "--exit-code"])
        #expect(changed.status == 1)
        #expect(changed.stdout.contains("4 of 9 environments differ"))
        #expect(changed.stdout.contains("threshold: 85 → 80"))
        let line = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex(of: "      threshold: 85")) + 1
        #expect(changed.stdout.contains("← library:/overlays/tier/multi-tenant.yaml:\(line):18 (overlay): metric.threshold 85 → 80"))
        #expect(!changed.stdout.contains("\u{1B}["), "no colour when stdout is not a terminal")
        let markdown = try CLIRunner.run(["diff", "--root", root, "--format", "markdown"])
        #expect(markdown.status == 0, "without --exit-code a diff exits 0")
        #expect(markdown.stdout.hasPrefix("### Vigil diff: `HEAD` → working tree"))
        #expect(markdown.stdout.contains("<details>"))
        let json = try CLIRunner.run(["diff", "--root", root, "--format", "json", "--env", "shared-dev"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["environmentsCompared"] as? Int == 1)
        let missing = try CLIRunner.run(["diff", "--root", root, "--base", "no-such-ref"])
        #expect(missing.status == 64 && missing.stderr.contains("does not name a commit"))
        let both = try CLIRunner.run(["diff", "--root", root, "--base", "HEAD", "--against", root])
        #expect(both.status == 64)
    }
}

extension CLITests {
    @Test("--shard: two shards into one folder give the unsharded tree; a malformed shard is a usage error")
    func shards() throws {
        let tree = try Self.exampleCopy()
        let whole = tree.url.appendingPathComponent("whole").path, sharded = tree.url.appendingPathComponent("sharded").path
        #expect(try CLIRunner.run(["render", "--root", tree.url.path, "--out", whole]).status == 0)
        for shard in ["1/2", "2/2"] {
            let run = try CLIRunner.run(["render", "--root", tree.url.path, "--out", sharded, "--shard", shard])
            #expect(run.status == 0 && run.stderr.contains("(shard \(shard))"), "\(run.stderr)")
            #expect(!run.stderr.contains("\r"), "no progress line off a terminal")
        }
        #expect(try tree.snapshot("sharded") == tree.snapshot("whole"))
        let check = try CLIRunner.run(["render", "--root", tree.url.path, "--out", sharded, "--shard", "1/2", "--check"])
        #expect(check.status == 0, "a shard's check sees only its own folders: \(check.stderr)")
        #expect(try CLIRunner.run(["check", "--root", tree.url.path, "--shard", "2/2"]).status == 0)
        let bad = try CLIRunner.run(["render", "--root", tree.url.path, "--shard", "3/2"])
        #expect(bad.status == 64 && bad.stderr.contains("--shard takes i/n"))
    }
}
