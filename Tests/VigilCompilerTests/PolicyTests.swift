import Foundation
import Testing
@testable import VigilCompiler
import VigilModel
import VigilTestSupport

@Suite("Policy rules")
struct PolicyTests {
    /// Compiles a root of (path → marked YAML) and runs the policy; returns the findings and the
    /// markers as spans.
    static func check(_ files: [String: String], today: String = "2026-11-22") throws -> (Diagnostics, Set<SourceSpan>) {
        let tree = try FixtureTree()
        var markers = Set<SourceSpan>()
        for (path, marked) in files {
            let text = MarkedText(marked)
            for marker in text.markers { markers.insert(SourceSpan(file: path, start: marker)) }
            try tree.write(path, text.text)
        }
        let result = try Compiler().compile(Compiler.Options(root: tree.url))
        var diagnostics = result.diagnostics
        if !diagnostics.hasErrors { diagnostics.append(contentsOf: PolicyEngine(today: today).check(result)) }
        return (diagnostics, markers)
    }

    static var descriptors: [RuleDescriptor] { PolicyRegistry.descriptors.filter { !$0.failingExamples.isEmpty } }

    @Test("the registry is sorted, ids are unique and well-formed, every rule has examples")
    func registry() {
        let ids = PolicyRegistry.descriptors.map(\.id.rawValue)
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        for id in ids { #expect(id.wholeMatch(of: /[a-z]+\/[a-z0-9-]+/) != nil, "\(id)") }
        for type in PolicyRegistry.all {
            #expect(!type.descriptor.failingExamples.isEmpty && !type.descriptor.passingExamples.isEmpty, "\(type.descriptor.id)")
        }
    }

    @Test("each rule's failing examples fire exactly at the markers; passing examples are clean", arguments: descriptors.map(\.id.rawValue))
    func examples(_ id: String) throws {
        let descriptor = try #require(PolicyRegistry.descriptor(id))
        for example in descriptor.failingExamples {
            let (diagnostics, markers) = try Self.check(example)
            let found = diagnostics.sorted.filter { $0.id.rawValue == id }
            #expect(!markers.isEmpty)
            #expect(Set(found.compactMap(\.location)) == markers, "\(diagnostics.sorted)")
            #expect(diagnostics.sorted.allSatisfy { $0.id.rawValue == id || $0.severity != .error }, "only this rule fires: \(diagnostics.sorted)")
        }
        for example in descriptor.passingExamples {
            let (diagnostics, _) = try Self.check(example)
            #expect(diagnostics.sorted.isEmpty, "\(diagnostics.sorted)")
        }
    }

    @Test("the secrets rule fires on each secret form and passes Key Vault references and e-mail addresses", arguments: [
        ("https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-10-01&sp=%2Ftriggers&sv=1.0&sig=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", true),
        ("https://odoo-hooks.azurewebsites.net/api/notify?code=Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4", true),
        ("https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", true),
        ("https://contoso.webhook.office.com/webhookb2/1234@5678/IncomingWebhook/abcd/efgh", true),
        ("https://outlook.office.com/webhook/1234@5678/IncomingWebhook/abcd/efgh", true),
        ("https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue", true),
        ("DefaultEndpointsProtocol=https;AccountName=stodoo;AccountKey=c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0;EndpointSuffix=core.windows.net", true),
        ("BlobEndpoint=https://stodoo.blob.core.windows.net/;SharedAccessSignature=sv=2022-11-02&ss=b&sig=abc", true),
        ("ops@example.com", false),
        ("@Microsoft.KeyVault(SecretUri=https://kv-acme.vault.azure.net/secrets/pager/)", false),
        ("https://runbooks.example.com/odoo-hosting/postgresql-cpu", false),
    ])
    func secrets(_ value: String, _ isSecret: Bool) throws {
        let root = PolicyExamples.root(baseline: "alerts: {}\n", environment: PolicyExamples.environment(extra: "tags: {notify: \"\(value)\"}\n"))
        let (diagnostics, _) = try Self.check(root)
        #expect(diagnostics.sorted.contains { $0.id == "policy/no-secrets" } == isSecret, "\(diagnostics.sorted)")
    }

    @Test("literal values under password, secret, token and key fields are secrets; Key Vault references are not", arguments: [
        ("dbPassword", "hunter2", true), ("apiToken", "abc123", true), ("pagerdutyRoutingKey", "0123456789abcdef0123456789abcdef", true),
        ("dbPassword", "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/db/)", false), ("owner", "hunter2", false),
    ])
    func secretFields(_ key: String, _ value: String, _ isSecret: Bool) throws {
        let root = PolicyExamples.root(baseline: "alerts: {}\n", environment: PolicyExamples.environment(extra: "tags: {\(key): \"\(value)\"}\n"))
        let (diagnostics, _) = try Self.check(root)
        #expect(diagnostics.sorted.contains { $0.id == "policy/no-secrets" } == isSecret, "\(diagnostics.sorted)")
    }

    @Test("waivers lift one item; expired waivers are errors; the required-signals rule cannot be disabled")
    func waivers() throws {
        var root = RequiredSignalsRule.descriptor.failingExamples[0]
        root["environments/acme-prod.yaml"] = root["environments/acme-prod.yaml"]!.replacingOccurrences(of: "↓", with: "")
        root["vigil.yaml"] = PolicyExamples.config + """
            waivers:
              cpu-gap:
                rule: policy/required-signals
                environment: acme-prod
                item: postgresql.cpu
                reason: the database moves to a new server this week
                owner: platform-data
                expires: 2026-12-31

            """
        #expect(try Self.check(root).0.sorted.isEmpty)
        let (expired, _) = try Self.check(root, today: "2027-01-15")
        #expect(Set(expired.sorted.map(\.id.rawValue)) == ["policy/required-signals", "policy/waiver-expired"])
        root["vigil.yaml"] = PolicyExamples.config + "policy:\n  disable: [policy/required-signals, policy/alert-metadata]\n"
        let (disabled, _) = try Self.check(root)
        let ids = disabled.sorted.map(\.id.rawValue)
        #expect(ids.contains("config/rule-not-disableable"))
        #expect(ids.contains("config/rule-disabled"), "a disabled rule is reported in every run")
        #expect(ids.contains("policy/required-signals"))
    }

    @Test("removing the backup-freshness alert of a production example environment fails at the removing line, noting the requirement; at dev it passes")
    func backupFreshness() throws {
        let tree = try FixtureTree()
        try tree.copy(PackagePaths.root.appendingPathComponent("examples/environments"), to: "environments")
        try tree.write("vigil.yaml", "apiVersion: vigil/v1\nkind: Config\nname: sweep\nlibrary: \(PackagePaths.root.path)\n")
        let base = try Compiler().compile(Compiler.Options(root: tree.url, environments: ["acme-prod"]))
        let environment = try #require(base.environments.first)
        let covering = environment.alerts.filter { $0.covers.contains("backup.freshness") }.map(\.id)
        #expect(!covering.isEmpty)
        let path = tree.url.appendingPathComponent("environments/acme-prod.yaml")
        let original = try String(contentsOf: path, encoding: .utf8)
        // Remove every covering item: generated ones through their instances, the rest by id.
        let removal = "    " + covering.map { "\($0): null" }.joined(separator: "\n    ")
        let patched: String
        if let overrides = original.range(of: "\noverrides:\n") {
            if let alerts = original.range(of: "\n  alerts:\n", range: overrides.upperBound..<original.endIndex) {
                patched = original.replacingCharacters(in: alerts, with: "\n  alerts:\n\(removal)\n")
            } else {
                patched = original.replacingCharacters(in: overrides, with: "\noverrides:\n  alerts:\n\(removal)\n")
            }
        } else {
            patched = original + "overrides:\n  alerts:\n\(removal)\n"
        }
        try patched.write(to: path, atomically: true, encoding: .utf8)
        var result = try Compiler().compile(Compiler.Options(root: tree.url, environments: ["acme-prod"]))
        let removedErrors = result.diagnostics.sorted.filter { $0.severity == .error }
        if removedErrors.isEmpty {
            let findings = PolicyEngine(today: "2026-11-22").check(result).sorted.filter { $0.id == "policy/required-signals" }
            let finding = try #require(findings.first { $0.message.contains("'backup.freshness'") })
            #expect(finding.location?.file == "environments/acme-prod.yaml")
            #expect(finding.notes.contains { $0.message.contains("is required here") })
        } else {
            Issue.record("patched environment does not compile: \(removedErrors)")
        }
        try patched.replacingOccurrences(of: "stage: production", with: "stage: dev").write(to: path, atomically: true, encoding: .utf8)
        result = try Compiler().compile(Compiler.Options(root: tree.url, environments: ["acme-prod"]))
        let atDev = PolicyEngine(today: "2026-11-22").check(result).sorted.filter { $0.message.contains("'backup.freshness'") }
        #expect(atDev.isEmpty, "\(atDev)")
    }

    @Test("the examples fleet passes the policy")
    func examplesClean() throws {
        let result = try Compiler().compile(Compiler.Options(root: PackagePaths.root.appendingPathComponent("examples")))
        #expect(!result.diagnostics.hasErrors)
        let findings = PolicyEngine(today: "2026-11-22").check(result)
        #expect(findings.sorted.isEmpty, "\(findings.sorted)")
    }

    @Test("docs/rules is generated and fresh (vigil rules --markdown docs/rules)")
    func docsFresh() {
        let folder = PackagePaths.root.appendingPathComponent("docs/rules")
        var tree: [String: Data] = [:]
        for (path, text) in RuleDocs.pages() { tree[path] = Data(text.utf8) }
        for failure in GoldenFile.compareTree(tree, expected: folder) {
            Issue.record(Comment(rawValue: failure + "\nregenerate with: swift run vigil rules --markdown docs/rules"))
        }
    }
}

@Suite("Required-signals sweep")
struct RequiredSignalsSweepTests {
    @Test("for every signal production requires, removing its covering items from an example environment promoted to production fails the check naming it")
    func sweep() throws {
        let tree = try FixtureTree()
        try tree.copy(PackagePaths.root.appendingPathComponent("examples/environments"), to: "environments")
        try tree.write("vigil.yaml", "apiVersion: vigil/v1\nkind: Config\nname: sweep\nlibrary: \(PackagePaths.root.path)\n")
        let options = Compiler.Options(root: tree.url, environments: ["acme-staging"])
        // acme-staging has no overrides of its own; promoted, it must meet production's requirements.
        let path = tree.url.appendingPathComponent("environments/acme-staging.yaml")
        let original = try String(contentsOf: path, encoding: .utf8).replacingOccurrences(of: "stage: staging", with: "stage: production")
        try original.write(to: path, atomically: true, encoding: .utf8)
        let base = try Compiler().compile(options)
        let environment = try #require(base.environments.first)
        #expect(environment.facts.stage == .production)
        #expect(environment.requirements.count >= 7)
        #expect(!original.contains("\noverrides:"), "the sweep appends its own overrides")
        for requirement in environment.requirements {
            let alerts = environment.alerts.filter { $0.covers.contains(requirement.signal) }.map(\.id)
            let tables = environment.retention.filter { $0.covers.contains(requirement.signal) }.map(\.table)
            let probes = environment.probes.filter { $0.covers.contains(requirement.signal) }.map(\.id)
            var overrides = "overrides:\n"
            if !alerts.isEmpty { overrides += "  alerts:\n" + alerts.map { "    \($0): null\n" }.joined() }
            if !tables.isEmpty { overrides += "  retention:\n" + tables.map { "    \($0): null\n" }.joined() }
            if !probes.isEmpty { overrides += "  probes:\n" + probes.map { "    \($0): null\n" }.joined() }
            try (original + overrides).write(to: path, atomically: true, encoding: .utf8)
            let result = try Compiler().compile(options)
            #expect(!result.diagnostics.hasErrors, "\(requirement.signal): \(result.diagnostics.sorted)")
            let findings = PolicyEngine(today: "2026-11-22").check(result).sorted
            #expect(
                findings.contains { $0.id == "policy/required-signals" && $0.message.contains("'\(requirement.signal)'") },
                "removing \(alerts + tables + probes) leaves '\(requirement.signal)' unreported")
        }
    }
}

@Suite("Tenant split")
struct TenantSplitTests {
    @Test("PromQL keeps a tenant label when it names one, groups by one, or aggregates nothing", arguments: [
        ("sum by (namespace) (rate(odoo_requests_total[5m])) > 1", true),
        ("(min by (cn) (traefik_tls_certs_not_after) - time()) / 86400 < 14", true),
        ("avg_over_time(probe_duration_seconds[15m]) > 5", true),
        ("sum(rate(traefik_entrypoint_requests_total{code=~\"5..\"}[5m])) > 10", false),
        ("max by (job) (up) == 0", false),
    ])
    func promql(_ expr: String, _ split: Bool) {
        #expect(TenantSplitRule.splitsByTenant(expr) == split)
    }

    @Test("an application alert generated per tenant passes whatever its id; one that is not, and is not split, fails")
    func generatedPerTenant() throws {
        let result = try Compiler().compile(Compiler.Options(root: PackagePaths.root.appendingPathComponent("examples")))
        var environment = try #require(result.environments.first { $0.facts.tier == .multiTenant && !$0.tenants.isEmpty })
        var alert = try #require(environment.alerts.first {
            if case .metric = $0.criteria { return true }
            return false
        })
        guard case .metric(var metric) = alert.criteria else { return }
        metric.dimensions = []
        alert.criteria = .metric(metric)
        alert.id = "custom-saturation"
        alert.layer = .application
        alert.enabled = true
        environment.alerts = [alert]
        environment.itemTenants = ["custom-saturation": environment.tenants[0].id]
        #expect(TenantSplitRule().check(environment).isEmpty)
        environment.itemTenants = [:]
        #expect(TenantSplitRule().check(environment).count == 1)
        environment.alerts[0].id = "custom-\(environment.tenants[0].id)-saturation"
        #expect(TenantSplitRule().check(environment).isEmpty)
    }
}

@Suite("Waivers in environments and overlays")
struct ScopedWaiverTests {
    static let waiver = """
        waivers:
          cpu-gap:
            rule: policy/required-signals
            item: postgresql.cpu
            reason: the database moves to a new server this week
            owner: platform-data
            expires: 2026-12-31

        """

    @Test("an environment's own waiver lifts its finding")
    func environmentWaiver() throws {
        var root = RequiredSignalsRule.descriptor.failingExamples[0]
        root["environments/acme-prod.yaml"] = root["environments/acme-prod.yaml"]!.replacingOccurrences(of: "↓", with: "") + Self.waiver
        #expect(try PolicyTests.check(root).0.sorted.isEmpty)
        let (expired, _) = try PolicyTests.check(root, today: "2027-02-01")
        #expect(expired.sorted.map(\.id.rawValue).contains("policy/waiver-expired"))
    }

    @Test("an overlay's waiver lifts the finding in the environments it applies to, not in others")
    func overlayWaiver() throws {
        var root = RequiredSignalsRule.descriptor.failingExamples[0]
        root["environments/acme-prod.yaml"] = root["environments/acme-prod.yaml"]!.replacingOccurrences(of: "↓", with: "")
        root["overlays/prod.yaml"] = "apiVersion: vigil/v1\nkind: Overlay\nname: prod\nappliesTo: {stage: production}\n" + Self.waiver
        #expect(try PolicyTests.check(root).0.sorted.isEmpty)
        root["overlays/prod.yaml"] = root["overlays/prod.yaml"]!.replacingOccurrences(of: "stage: production", with: "stage: staging")
        #expect(try PolicyTests.check(root).0.sorted.map(\.id.rawValue) == ["policy/required-signals"])
    }
}

extension TenantSplitTests {
    @Test("one compiled search for every aggregation finds what a search per aggregation finds")
    func aggregationSearch() {
        let exprs = ["sum(rate(x[5m]))", "sum by (job) (x)", "count_values(\"v\", x)", "quantile(0.9, x)", "x > 1",
                     "max\n  by (job) (x)", "stddev without (pod) (x)", "topk(3, x)", "summary_total > 1", "avg (x)", "group(x)"]
        for expr in exprs {
            let each = TenantSplitRule.aggregations.contains { name in
                expr.range(of: "\\b\(name)\\s*(\\(|by|without)", options: .regularExpression) != nil
            }
            #expect(PatternCache.search(TenantSplitRule.aggregationPattern, expr) == each, "\(expr)")
        }
    }
}
