import Foundation
import Testing
@testable import VigilCompiler
import VigilModel
import VigilTestSupport

/// `vigil diff`: a temporary git repository, a commit, one change, and what the diff reports.
@Suite("Diff", .serialized)
struct DiffTests {
    static func environment(_ name: String, stage: String, tier: String = "dedicated", extra: String = "") -> String {
        """
        apiVersion: vigil/v1
        kind: Environment
        name: \(name)
        tier: \(tier)
        stage: \(stage)
        region: westeurope
        components: {postgresql: flexible-server}
        azure:
          subscriptionId: 00000000-0000-0000-0000-000000000001
          resourceGroup: rg-\(name)
          resources: {pg: /subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-\(name)/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg}
        \(extra)
        """
    }

    static let baseline = baselineYAML("""
        alerts:
          cpu:
            title: CPU
            layer: data
            severity: 2
            metric: {resource: pg, resourceType: Microsoft.DBforPostgreSQL/flexibleServers, namespace: Microsoft.DBforPostgreSQL/flexibleServers, metric: cpu_percent, aggregation: Average, operator: GreaterThan, threshold: 95, window: 15m, frequency: 5m}
          storage:
            title: Storage
            layer: data
            severity: 2
            metric: {resource: pg, resourceType: Microsoft.DBforPostgreSQL/flexibleServers, namespace: Microsoft.DBforPostgreSQL/flexibleServers, metric: storage_percent, aggregation: Average, operator: GreaterThan, threshold: 85, window: 30m, frequency: 5m}

        """)

    /// The same baseline, reformatted: keys reordered, values quoted, comments, block style.
    static let reformatted = """
        # The data layer.
        kind: Baseline
        apiVersion: "vigil/v1"
        name: 'base'
        alerts:
          storage:   # kept
            severity: 2
            layer: "data"
            title: Storage
            metric:
              threshold: 85.0
              metric: storage_percent
              resource: pg
              resourceType: Microsoft.DBforPostgreSQL/flexibleServers
              namespace: "Microsoft.DBforPostgreSQL/flexibleServers"
              aggregation: Average
              operator: GreaterThan
              window: 30m
              frequency: "5m"
          cpu: {severity: 2, title: "CPU", layer: data, metric: {threshold: 95, resource: pg, resourceType: Microsoft.DBforPostgreSQL/flexibleServers, namespace: Microsoft.DBforPostgreSQL/flexibleServers, metric: cpu_percent, aggregation: Average, operator: GreaterThan, window: 15m, frequency: 5m}}

        """

    static let overlay = overlayYAML("production", "stage: production", "alerts:\n  cpu:\n    metric: {threshold: 90}\n")

    /// A committed repository: the root is a subfolder, as in a monitoring repository.
    static func repository() throws -> (tree: FixtureTree, root: URL) {
        let tree = try FixtureTree()
        try tree.write("monitoring/vigil.yaml", isolatedConfig)
        try tree.write("monitoring/baselines/data.yaml", baseline)
        try tree.write("monitoring/overlays/production.yaml", overlay)
        try tree.write("monitoring/environments/acme-prod.yaml", environment("acme-prod", stage: "production"))
        try tree.write("monitoring/environments/beta-prod.yaml", environment("beta-prod", stage: "production"))
        try tree.write("monitoring/environments/dev-sandbox.yaml", environment("dev-sandbox", stage: "dev"))
        try GitRepository.commitAll(in: tree.url)
        return (tree, tree.url.appendingPathComponent("monitoring"))
    }

    @discardableResult
    static func git(_ arguments: [String], in folder: URL) throws -> String {
        try GitRepository.run(arguments, in: folder)
    }

    static func diff(_ root: URL, base: Compiler.DiffBase = .revision("HEAD"), environments: [String] = []) throws -> FleetDiff {
        switch try Compiler().diff(root: root, base: base, environments: environments) {
        case .diff(let diff): return diff
        case .failed(let side, let result): throw GitSnapshot.Failure(description: "\(side): \(result.diagnostics.sorted)")
        }
    }

    @Test("one overlay threshold: exactly the production environments, the one field, and the overlay's line")
    func overlayThreshold() throws {
        let (tree, root) = try Self.repository()
        #expect(try Self.diff(root).isEmpty, "an unchanged working tree has no differences")
        let index = try Data(contentsOf: tree.url.appendingPathComponent(".git/index"))
        try tree.write("monitoring/overlays/production.yaml", Self.overlay.replacingOccurrences(of: "threshold: 90", with: "threshold: 85"))
        let diff = try Self.diff(root)
        #expect(diff.environments.map(\.name) == ["acme-prod", "beta-prod"])
        #expect(diff.environmentsCompared == 3)
        for environment in diff.environments {
            #expect(environment.change == .changed)
            #expect(environment.stage == "production" && environment.tier == "dedicated")
            let resource = try #require(environment.resources.first)
            #expect(environment.resources.count == 1)
            #expect(resource.kind == "Microsoft.Insights/metricAlerts" && resource.name == "\(environment.name)-cpu")
            #expect(resource.item == ItemReference(collection: "alerts", id: "cpu"))
            #expect(resource.fields.count == 1)
            let field = try #require(resource.fields.first)
            #expect(field.path.hasPrefix("properties.criteria.allOf[name=") && field.path.hasSuffix("].threshold"))
            #expect(field.old == .int(90) || field.old == .decimal(90))
            #expect(field.new == .int(85) || field.new == .decimal(85))
            let cause = try #require(field.cause)
            #expect(cause.field == "metric.threshold" && cause.old == "90" && cause.new == "85")
            #expect(cause.at == SourceSpan(file: "overlays/production.yaml", line: 7, column: 25))
            #expect(cause.layer == "overlay" && cause.side == .head)
            #expect(resource.inputs.isEmpty)
        }
        #expect(diff.summary == [FleetDiff.Group(stage: "production", tier: "dedicated", environments: 2, tenants: 0, resources: 2, alerts: 2)])
        #expect(try Data(contentsOf: tree.url.appendingPathComponent(".git/index")) == index, "the index is not touched")
        #expect(try Self.git(["status", "--porcelain"], in: tree.url) == " M monitoring/overlays/production.yaml\n")
        // The same change seen against the committed render of the base.
        let out = tree.url.appendingPathComponent("out")
        try Self.git(["stash", "-q"], in: tree.url)
        let base = try Compiler().compile(Compiler.Options(root: root))
        try OutputWriter(directory: out).write(base.outputs, prune: true)
        try Self.git(["stash", "pop", "-q"], in: tree.url)
        let against = try Self.diff(root, base: .folder(out, label: "out"))
        #expect(against.environments.map(\.name) == ["acme-prod", "beta-prod"])
        let located = { (diff: FleetDiff) in
            diff.environments.flatMap(\.resources).flatMap(\.fields).map { "\($0.path) → \($0.new.map(DiffReport.brief) ?? "") ← \($0.cause?.at?.description ?? "")" }
        }
        #expect(located(against) == located(diff))
        #expect(against.base == "out")
    }

    @Test("only environments whose inputs changed are compiled: an overlay reaches its stage, a comment reaches none")
    func inputDigests() throws {
        let (tree, root) = try Self.repository()
        func digests() throws -> [String: String] { Compiler.inputDigests(try Compiler().load(Compiler.Options(root: root))) }
        let before = try digests()
        #expect(before.count == 3)
        try tree.write("monitoring/overlays/production.yaml", "# a comment only\n" + Self.overlay)
        try tree.write("monitoring/baselines/data.yaml", Self.reformatted)
        #expect(try digests() == before, "comments and formatting are not inputs")
        try tree.write("monitoring/overlays/production.yaml", Self.overlay.replacingOccurrences(of: "threshold: 90", with: "threshold: 85"))
        let overlayChanged = try digests()
        #expect(Set(before.keys.filter { before[$0] != overlayChanged[$0] }) == ["acme-prod", "beta-prod"])
        try tree.write("monitoring/environments/dev-sandbox.yaml", Self.environment("dev-sandbox", stage: "dev", extra: "owner: team-x\n"))
        let environmentChanged = try digests()
        #expect(Set(before.keys.filter { overlayChanged[$0] != environmentChanged[$0] }) == ["dev-sandbox"])
        try tree.write("monitoring/baselines/data.yaml", Self.baseline.replacingOccurrences(of: "threshold: 95", with: "threshold: 96"))
        let baselineChanged = try digests()
        #expect(before.keys.allSatisfy { environmentChanged[$0] != baselineChanged[$0] }, "a baseline reaches every environment")
        // The diff reports the same environments as compiling everything would.
        let diff = try Self.diff(root)
        #expect(diff.environments.map(\.name) == ["acme-prod", "beta-prod", "dev-sandbox"])
        #expect(diff.environmentsCompared == 3)
    }

    @Test("reformatting a file (key order, quoting, comments, number spelling) is no change")
    func reformatIsNoChange() throws {
        let (tree, root) = try Self.repository()
        try tree.write("monitoring/baselines/data.yaml", Self.reformatted)
        let diff = try Self.diff(root)
        #expect(diff.isEmpty, "\(DiffReport.render(diff, format: .text))")
    }

    @Test("added and removed items and environments name where they were defined or removed")
    func addedAndRemoved() throws {
        let (tree, root) = try Self.repository()
        try tree.write("monitoring/overlays/production.yaml", Self.overlay + "  storage: null\n")
        try FileManager.default.removeItem(at: root.appendingPathComponent("environments/dev-sandbox.yaml"))
        try tree.write("monitoring/environments/new-prod.yaml", Self.environment("new-prod", stage: "staging"))
        let diff = try Self.diff(root)
        #expect(diff.environments.map { "\($0.name):\($0.change)" } == ["acme-prod:changed", "beta-prod:changed", "dev-sandbox:removed", "new-prod:added"])
        let removed = try #require(diff.environments.first?.resources.first)
        #expect(removed.change == .removed && removed.name == "acme-prod-storage")
        #expect(removed.inputs.first?.action == "removed")
        #expect(removed.inputs.first?.at?.file == "overlays/production.yaml" && removed.inputs.first?.side == .head)
        let added = try #require(diff.environments.last?.resources.first { $0.name == "new-prod-cpu" })
        #expect(added.change == .added && added.inputs.first?.at?.file == "baselines/data.yaml")
        let gone = try #require(diff.environments.first { $0.name == "dev-sandbox" })
        #expect(gone.resources.allSatisfy { $0.change == .removed })
        // --env limits both sides.
        #expect(try Self.diff(root, environments: ["dev-sandbox"]).environments.map(\.name) == ["dev-sandbox"])
    }

    @Test("an environment field change is traced to the environment file")
    func environmentField() throws {
        let (tree, root) = try Self.repository()
        try tree.write("monitoring/environments/acme-prod.yaml", Self.environment("acme-prod", stage: "production", extra: "tags: {costCenter: cc-7}\n"))
        let diff = try Self.diff(root)
        let fields = diff.environments.flatMap(\.resources).flatMap(\.fields)
        #expect(!fields.isEmpty)
        let costCenter = fields.filter { $0.path == "tags.costCenter" }
        #expect(!costCenter.isEmpty && costCenter.allSatisfy { $0.cause?.at?.file == "environments/acme-prod.yaml" && $0.cause?.field == "tags.costCenter" })
    }

    @Test("a revision that does not exist is a clear error")
    func unknownRevision() throws {
        let (_, root) = try Self.repository()
        #expect(throws: GitSnapshot.Failure.self) { try Compiler().diff(root: root, base: .revision("no-such-branch")) }
    }

    @Test("trees compare as data: key order and number spelling are not changes; named list elements match by name")
    func treeComparison() {
        var changes: [FieldChange] = []
        Differ.compare(.object(["a": .int(1), "b": .decimal(2.5)]), .object(["b": .decimal(2.5), "a": .decimal(1)]), path: "", into: &changes)
        #expect(changes.isEmpty)
        let old = CanonicalValue.array([.object(["name": .string("x"), "v": .int(1)]), .object(["name": .string("y"), "v": .int(2)])])
        let new = CanonicalValue.array([.object(["name": .string("y"), "v": .int(3)]), .object(["name": .string("x"), "v": .int(1)])])
        Differ.compare(.object(["list": old]), .object(["list": new]), path: "", into: &changes)
        #expect(changes.map(\.path) == ["list[name=y].v"])
        changes = []
        Differ.compare(.object(["app.kubernetes.io/name": .string("a")]), .object(["app.kubernetes.io/name": .string("b")]), path: "metadata", into: &changes)
        #expect(changes.map(\.path) == ["metadata[\"app.kubernetes.io/name\"]"])
        // JSON inside a string (a dashboard in a ConfigMap) compares as a tree.
        changes = []
        let before = #"{"panels": [{"title": "CPU", "threshold": 85}, {"title": "Memory", "threshold": 90}]}"#
        let after = #"{"panels":[{"threshold":80,"title":"CPU"},{"threshold":90,"title":"Memory"}]}"#
        Differ.compare(.object(["data": .string(before)]), .object(["data": .string(after)]), path: "", into: &changes)
        #expect(changes.map(\.path) == ["data.panels[title=CPU].threshold"])
        #expect(changes.first?.old == .int(85) && changes.first?.new == .int(80))
    }

    /// The reports of one pull request (a threshold, a removal, an environment added and one
    /// retired), pinned as golden files: the Markdown is what a pull-request comment shows.
    @Test("text, Markdown and JSON reports match their golden files")
    func goldenReports() throws {
        let (tree, root) = try Self.repository()
        try tree.write("monitoring/overlays/production.yaml", Self.overlay.replacingOccurrences(of: "threshold: 90", with: "threshold: 85") + "  storage: null\n")
        try FileManager.default.removeItem(at: root.appendingPathComponent("environments/dev-sandbox.yaml"))
        try tree.write("monitoring/environments/new-staging.yaml", Self.environment("new-staging", stage: "staging"))
        let diff = try Self.diff(root)
        let folder = PackagePaths.root.appendingPathComponent("Tests/VigilCompilerTests/Fixtures/Diff")
        for (format, file) in [(DiffReport.Format.text, "pull-request.txt"), (.markdown, "pull-request.md"), (.json, "pull-request.json")] {
            let report = DiffReport.render(diff, format: format)
            if let failure = GoldenFile.compare(Data(report.utf8), expected: folder.appendingPathComponent(file)) { Issue.record("\(failure)") }
        }
        #expect(DiffReport.render(diff, format: .text, colour: true).contains("\u{1B}[33m~ Microsoft.Insights/metricAlerts"))
        #expect(!DiffReport.render(diff, format: .text).contains("\u{1B}"), "plain when not on a terminal")
    }
}

extension DiffTests {
    @Test("the JSON report follows docs/schemas/diff.schema.json, and docs/diff-schema.md's example too")
    func jsonFollowsSchema() throws {
        let check = try JSONSchemaCheck(file: PackagePaths.root.appendingPathComponent("docs/schemas/diff.schema.json"))
        let golden = PackagePaths.root.appendingPathComponent("Tests/VigilCompilerTests/Fixtures/Diff/pull-request.json")
        let report = try ArtifactReader.json(Data(contentsOf: golden))
        #expect(check.validate(report) == [])
        var broken = report
        if case .object(var fields) = broken {
            fields["changed"] = .string("yes")
            broken = .object(fields)
        }
        #expect(check.validate(broken) == ["$.changed: expected boolean, found string"])
        let empty = DiffReport.render(FleetDiff(base: "HEAD", head: "working tree", environmentsCompared: 3, environments: []), format: .json)
        #expect(check.validate(try ArtifactReader.json(Data(empty.utf8))) == [])
        let doc = try String(contentsOf: PackagePaths.root.appendingPathComponent("docs/diff-schema.md"), encoding: .utf8)
        let example = try #require(doc.components(separatedBy: "```json\n").last?.components(separatedBy: "\n```").first)
        #expect(check.validate(try ArtifactReader.json(Data(example.utf8))) == [])
    }
}

@Suite("Stage reuse across the sides of a diff")
struct StageReuseTests {
    static func inputs() throws -> Compiler.Inputs {
        try Compiler().load(Compiler.Options(root: PackagePaths.root.appendingPathComponent("examples")))
    }

    /// One environment compiled as `vigil diff` compiles a side.
    static func compile(_ document: SpecDocument, _ inputs: Compiler.Inputs, _ reuse: StageReuse) -> Compiler.EnvironmentResult {
        Compiler().compile(document, in: inputs, keepDocuments: true, manifest: false, files: true, reuse: reuse)
    }

    /// The multi-tenant example: instances expand per tenant and SLOs compile to burn-rate alerts.
    static func document(_ inputs: Compiler.Inputs, _ name: String = "shared-weu-prod") throws -> SpecDocument {
        try #require(inputs.selected.first { $0.name.value == name })
    }

    @Test("equal inputs: the second side takes all three stages, resolves to the same model and writes the same bytes")
    func equalInputsReuse() throws {
        let inputs = try Self.inputs()
        let document = try Self.document(inputs)
        let fresh = Compiler().compile(document, in: inputs, keepDocuments: true, manifest: false)
        let reuse = StageReuse(templatesEqual: true)
        let first = Self.compile(document, inputs, reuse)
        let second = Self.compile(document, inputs, reuse)
        #expect(reuse.reused == 3)
        let resolved = try #require(fresh.resolved)
        #expect(!resolved.itemTenants.isEmpty && !resolved.slos.isEmpty)
        #expect(first.resolved == fresh.resolved)
        #expect(second.resolved == fresh.resolved)
        #expect(second.output?.files.map(\.bytes) == fresh.output?.files.map(\.bytes))
    }

    /// Compiles `first` then `second` with one `StageReuse`; returns how many stages the second
    /// took and whether it resolved as it does on its own.
    static func secondSide(first: String, second: String, templatesEqual: Bool) throws -> (reused: Int, sameModel: Bool) {
        let inputs = try Self.inputs()
        let reuse = StageReuse(templatesEqual: templatesEqual)
        _ = Self.compile(try Self.document(inputs, first), inputs, reuse)
        let document = try Self.document(inputs, second)
        let taken = Self.compile(document, inputs, reuse)
        return (reuse.reused, taken.resolved == Compiler().compile(document, in: inputs).resolved)
    }

    @Test("templates that differ: the expansion is computed again, the SLOs and rules are still taken")
    func differentTemplates() throws {
        let (reused, sameModel) = try Self.secondSide(first: "shared-weu-prod", second: "shared-weu-prod", templatesEqual: false)
        #expect(reused == 2)
        #expect(sameModel)
    }

    @Test("another environment on the second side takes nothing and resolves as on its own")
    func otherEnvironment() throws {
        let (reused, sameModel) = try Self.secondSide(first: "shared-weu-prod", second: "shared-neu-prod", templatesEqual: true)
        #expect(reused == 0)
        #expect(sameModel)
    }

    @Test("Prometheus rules are taken only for an equal view, and the view leaves out what the renderer never reads")
    func rulesByView() throws {
        let inputs = try Self.inputs()
        let environment = try #require(Compiler().compile(try Self.document(inputs), in: inputs).resolved)
        let view = try #require(PrometheusRenderer().view(of: environment))
        #expect(!view.alerts.isEmpty && view.alerts.count < environment.alerts.count)
        #expect(view.dashboards.isEmpty && view.slos.isEmpty && view.probes.isEmpty)
        let reuse = StageReuse(templatesEqual: true)
        var diagnostics = Diagnostics(), renders = 0
        func rules(_ view: ResolvedEnvironment) -> [ArtifactDocument] {
            reuse.documents(renderer: 0, view: view, diagnostics: &diagnostics) {
                renders += 1
                return PrometheusRenderer().render(view, diagnostics: &$0)
            }
        }
        let first = rules(view)
        #expect(rules(view).map { $0.bytes() } == first.map { $0.bytes() })
        #expect(renders == 1)
        var changed = view
        changed.alerts[0].severity = changed.alerts[0].severity == 1 ? 2 : 1
        #expect(rules(changed).map { $0.bytes() } != first.map { $0.bytes() })
        #expect(renders == 2)
        // Fields outside the view (SLOs, dashboards, probes) leave the view as it was.
        var other = environment
        other.slos = []
        other.dashboards = []
        other.probes = []
        #expect(other != environment)
        #expect(PrometheusRenderer().view(of: other) == view)
        #expect(diagnostics.all.isEmpty)
    }

    @Test("template documents compare by path, values, spans and YAML nodes")
    func templateEquality() throws {
        let templates = try #require(try Self.inputs().specs?.templates)
        #expect(StageReuse.templatesEqual(templates, templates))
        #expect(!StageReuse.templatesEqual(templates, Array(templates.dropLast())))
        var moved = templates
        moved[0].raw = nil
        #expect(!StageReuse.templatesEqual(templates, moved))
    }
}

@Suite("Loading a side from the other's documents")
struct KnownFilesTests {
    static let options = Compiler.Options(root: PackagePaths.root.appendingPathComponent("examples"))

    @Test("a file whose path and bytes are known takes the known document; changed bytes load again")
    func takesByBytes() throws {
        let head = try Compiler().load(Self.options, known: [:], record: true)
        let fresh = try Compiler().load(Self.options)
        #expect(fresh.loaded.isEmpty)
        let paths = (head.specs?.environments ?? []).map(\.path)
        #expect(!paths.isEmpty && paths.allSatisfy { head.loaded[$0] != nil })
        let again = try Compiler().load(Self.options, known: head.loaded, record: false)
        #expect(again.specs?.environments.map(\.root) == fresh.specs?.environments.map(\.root))
        #expect(again.specs?.overlays.map(\.root) == fresh.specs?.overlays.map(\.root))

        // A marked document under the same bytes is taken as it is ...
        var known = head.loaded
        let path = try #require(paths.first)
        known[path]!.document.root = SpecValue(.map([]), at: known[path]!.document.root.span)
        let taken = try Compiler().load(Self.options, known: known, record: false)
        #expect(taken.specs?.environments.first { $0.path == path }?.root.fields?.isEmpty == true)
        // ... and under other bytes the file is loaded again.
        known[path]!.file.contents.append(contentsOf: Array("\n".utf8))
        let loaded = try Compiler().load(Self.options, known: known, record: false)
        #expect(loaded.specs?.environments.first { $0.path == path }?.root == fresh.specs?.environments.first { $0.path == path }?.root)
    }
}
