import Foundation
import Testing
@testable import VigilCompiler
import VigilModel
import VigilTestSupport

/// Synthetic checks (`probes`): template fan-out per tenant and per host, the in-cluster Probe
/// objects and their generated alerts, Application Insights availability tests, the checks that
/// need more than one field, and required-signal coverage.
@Suite("Synthetic probes")
struct SyntheticsTests {
    static let subscription = "00000000-0000-0000-0000-000000000009"
    static let vault = "/subscriptions/\(subscription)/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"
    static let component = "/subscriptions/\(subscription)/resourceGroups/rg/providers/Microsoft.Insights/components/appi"

    /// A dedicated production environment; `components`, extra resources and extra fields vary.
    static func environment(
        components: String = "{synthetics: application-insights}", resources: String? = nil, extra: String = ""
    ) -> String {
        """
        apiVersion: vigil/v1
        kind: Environment
        name: acme-prod
        owner: team-acme
        tier: dedicated
        stage: production
        region: westeurope
        host: erp.acme.example.com
        database: acme
        components: \(components)
        azure:
          subscriptionId: \(subscription)
          resourceGroup: rg
          resources: \(resources ?? "{app-insights: \(component), keyvault: \(vault)}")
        actionGroups:
          oncall: {shortName: page, purpose: page, receivers: {sms: {type: sms, countryCode: "49", phoneNumber: "15550100100"}}}
          ops: {shortName: ops, purpose: notify, receivers: {mail: {type: email, address: ops@example.com}}}

        """ + extra
    }

    /// A Baseline with the given probes (YAML below `probes:`), indented by two spaces.
    static func baseline(_ probes: String, requires: Bool = false) -> String {
        "apiVersion: vigil/v1\nkind: Baseline\nname: checks\n"
            + (requires ? "requires:\n  synthetic.login: {description: production logs in from outside}\n" : "")
            + "probes:\n" + probes
    }

    static let loginProbe = """
          login:
            title: Odoo login
            layer: ingress
            owner: platform
            runbook: https://runbooks.example.com/login
            response: Log in by hand.
            impact: availability
            severity: 1
            route: oncall
            covers: [synthetic.login]
            check: login
            url: https://erp.acme.example.com/web/session/authenticate
            login: {database: acme, user: monitor, secretRef: odoo-synthetic-login}
            locations: [emea-nl-ams-azr, emea-gb-db3-azr, emea-fr-pra-edge]

        """

    /// Compiles a root of (path → marked YAML): the result and every marker as a span.
    static func compile(_ files: [String: String]) throws -> (Compiler.Result, Set<SourceSpan>) {
        let tree = try FixtureTree()
        try tree.write("vigil.yaml", isolatedConfig)
        var markers = Set<SourceSpan>()
        for (path, marked) in files {
            let text = MarkedText(marked)
            for marker in text.markers { markers.insert(SourceSpan(file: path, start: marker)) }
            try tree.write(path, text.text)
        }
        return (try Compiler().compile(Compiler.Options(root: tree.url)), markers)
    }

    static func json(_ result: Compiler.Result, _ environment: String, _ path: String) throws -> [String: Any] {
        let output = try #require(result.outputs.first { $0.name == environment })
        let file = try #require(output.files.first { $0.path == path }, "\(path) not rendered")
        return try #require(try JSONSerialization.jsonObject(with: file.bytes) as? [String: Any])
    }

    static func text(_ result: Compiler.Result, _ environment: String, _ path: String) throws -> String {
        let output = try #require(result.outputs.first { $0.name == environment })
        return String(decoding: try #require(output.files.first { $0.path == path }).bytes, as: UTF8.self)
    }

    // MARK: Fan-out and the model

    static let tenantTemplate = """
        apiVersion: vigil/v1
        kind: Template
        name: tenant-checks
        probes:
          tenant-${tenant.id}-login:
            title: Login of ${tenant.displayName}
            layer: ingress
            severity: 2
            covers: [synthetic.login]
            check: login
            url: https://${tenant.host}/web/session/authenticate
            login: {database: "${tenant.database}", user: monitor, secretRef: "odoo-synthetic-${tenant.id}"}
            module: odoo_login_${tenant.id}

        """

    @Test("a forEach tenant template gives each tenant its probes, with host and database, recorded with their tenant like alerts")
    func tenantFanOut() throws {
        let (result, _) = try Self.compile([
            "templates/tenant-checks.yaml": Self.tenantTemplate,
            "baselines/checks.yaml": "apiVersion: vigil/v1\nkind: Baseline\nname: checks\ninstances:\n  tenant-checks: {template: tenant-checks, forEach: tenant}\n",
            "environments/shared-prod.yaml": multiTenantEnvironment(extra: "components: {prometheus: in-cluster, synthetics: blackbox}\n"),
        ])
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.sorted)")
        let environment = try #require(result.environments.first)
        #expect(environment.probes.map(\.id) == ["tenant-contoso-login", "tenant-fabrikam-login", "tenant-northwind-login"])
        let contoso = try #require(environment.probes.first)
        #expect(contoso.url == "https://contoso.erp.example.com/web/session/authenticate")
        #expect(contoso.login == SyntheticProbe.Login(database: "contoso", user: "monitor", secretRef: "odoo-synthetic-contoso"))
        #expect(contoso.blackboxModule == "odoo_login_contoso")
        #expect(contoso.route == "contoso-team", "a probe without a route takes its tenant's")
        #expect(environment.probes[1].route == nil)
        #expect(environment.itemTenants["tenant-contoso-login"] == "contoso")
        // In-cluster: one generated Prometheus alert per probe, with the probe's tenant and route.
        let alert = try #require(environment.alerts.first { $0.id == "tenant-contoso-login-failing" })
        #expect(environment.itemTenants["tenant-contoso-login-failing"] == "contoso")
        #expect(alert.route == "contoso-team")
        #expect(alert.covers.isEmpty, "the probe covers; its alert does not count twice")
        guard case .prometheus(let criteria) = alert.criteria else { Issue.record("not a Prometheus alert"); return }
        #expect(criteria.expr == "probe_success{vigil_probe=\"tenant-contoso-login\"} == 0 or absent(probe_success{vigil_probe=\"tenant-contoso-login\"})")
        #expect(criteria.forDuration == Duration(seconds: 180))
        #expect(criteria.group == "synthetics")
        // A dedicated environment gets no tenant probes.
        let (dedicated, _) = try Self.compile([
            "templates/tenant-checks.yaml": Self.tenantTemplate,
            "baselines/checks.yaml": "apiVersion: vigil/v1\nkind: Baseline\nname: checks\ninstances:\n  tenant-checks: {template: tenant-checks, forEach: tenant}\n",
            "environments/acme-prod.yaml": Self.environment(),
        ])
        #expect(try #require(dedicated.environments.first).probes.isEmpty)
    }

    @Test("${env.host} and ${env.database} come from the environment; a template that needs a host the environment lacks says so")
    func environmentHost() throws {
        let template = """
            apiVersion: vigil/v1
            kind: Template
            name: host-checks
            probes:
              odoo-login:
                title: ↓Login on ${env.host}
                layer: ingress
                severity: 2
                check: login
                url: https://${env.host}/web/session/authenticate
                login: {database: "${env.database}", user: monitor, secretRef: odoo-synthetic-login}
                locations: [emea-nl-ams-azr]

            """
        let instance = "apiVersion: vigil/v1\nkind: Baseline\nname: checks\ninstances:\n  host-checks: {template: host-checks}\n"
        let (result, _) = try Self.compile([
            "templates/host-checks.yaml": template, "baselines/checks.yaml": instance, "environments/acme-prod.yaml": Self.environment(),
        ])
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.sorted)")
        let environment = try #require(result.environments.first)
        #expect(environment.host == "erp.acme.example.com")
        let probe = try #require(environment.probes.first)
        #expect(probe.url == "https://erp.acme.example.com/web/session/authenticate")
        #expect(probe.login?.database == "acme")
        #expect(!environment.alerts.contains { $0.id == "odoo-login-failing" }, "Application Insights alerts are not model alerts")

        let (missing, markers) = try Self.compile([
            "templates/host-checks.yaml": template, "baselines/checks.yaml": instance,
            "environments/acme-prod.yaml": Self.environment().replacingOccurrences(of: "host: erp.acme.example.com\n", with: ""),
        ])
        let unknown = try #require(missing.diagnostics.sorted.first { $0.id == "template/unknown-reference" })
        #expect(unknown.message.contains("${env.host}"))
        #expect(markers.contains(try #require(unknown.location)))
    }

    // MARK: Rendering

    @Test("Application Insights: a login test posts a body ARM builds from a securestring parameter; the password is only a Key Vault reference")
    func applicationInsightsLogin() throws {
        let (result, _) = try Self.compile([
            "baselines/checks.yaml": Self.baseline(Self.loginProbe), "environments/acme-prod.yaml": Self.environment(),
        ])
        #expect(result.diagnostics.sorted.isEmpty, "\(result.diagnostics.sorted)")
        let template = try Self.json(result, "acme-prod", "azure/synthetics.json")
        #expect((template["variables"] as? [String: String])?["appInsightsId"] == Self.component)
        let parameters = try #require(template["parameters"] as? [String: [String: String]])
        #expect(parameters == ["probe-password-odoo-synthetic-login": ["type": "securestring"]])
        let resources = try #require(template["resources"] as? [[String: Any]])
        #expect(resources.map { $0["type"] as? String } == ["Microsoft.Insights/metricAlerts", "Microsoft.Insights/webtests"])
        let test = resources[1]
        #expect(test["kind"] as? String == "standard")
        let tags = try #require(test["tags"] as? [String: String])
        #expect(tags["[format('hidden-link:{0}', variables('appInsightsId'))]"] == "Resource")
        #expect(tags["vigil-item"] == "login")
        let properties = try #require(test["properties"] as? [String: Any])
        #expect(properties["Kind"] as? String == "standard")
        #expect(properties["Frequency"] as? Int == 300)
        #expect(properties["SyntheticMonitorId"] as? String == "acme-prod-login")
        let request = try #require(properties["Request"] as? [String: Any])
        #expect(request["HttpVerb"] as? String == "POST")
        #expect(
            request["RequestBody"] as? String
                == "[base64(string(createObject('jsonrpc', '2.0', 'params', createObject('db', 'acme', 'login', 'monitor', 'password', parameters('probe-password-odoo-synthetic-login')))))]"
        )
        let rules = try #require(properties["ValidationRules"] as? [String: Any])
        #expect(rules["ExpectedHttpStatusCode"] as? Int == 200)
        #expect(rules["SSLCheck"] as? Bool == true)
        #expect((rules["ContentValidation"] as? [String: Any])?["ContentMatch"] as? String == "\"uid\"")

        let alert = try #require(resources[0]["properties"] as? [String: Any])
        let criteria = try #require(alert["criteria"] as? [String: Any])
        #expect(criteria["odata.type"] as? String == "Microsoft.Azure.Monitor.WebtestLocationAvailabilityCriteria")
        #expect(criteria["failedLocationCount"] as? Int == 1, "three locations, alert when all but two fail")
        #expect(alert["scopes"] as? [String] == ["[resourceId('Microsoft.Insights/webtests', 'acme-prod-login')]", "[variables('appInsightsId')]"])
        let actions = try #require(alert["actions"] as? [[String: Any]])
        #expect(actions.first?["actionGroupId"] as? String == "[resourceId('Microsoft.Insights/actionGroups', 'acme-prod-oncall')]")
        #expect(resources[0]["dependsOn"] as? [String] == ["[resourceId('Microsoft.Insights/webtests', 'acme-prod-login')]"])

        let values = try Self.json(result, "acme-prod", "azure/synthetics.parameters.json")
        let reference = try #require((values["parameters"] as? [String: [String: Any]])?["probe-password-odoo-synthetic-login"]?["reference"] as? [String: Any])
        #expect(reference["secretName"] as? String == "odoo-synthetic-login")
        #expect((reference["keyVault"] as? [String: String])?["id"] == Self.vault)
    }

    @Test("in the cluster: one Probe per enabled probe through the blackbox exporter, none for a disabled one, listed in the kustomization")
    func inClusterProbes() throws {
        let probes = Self.loginProbe + """
              health:
                title: Odoo health
                layer: ingress
                severity: 2
                route: ops
                check: health
                url: https://erp.acme.example.com/web/health
                interval: 30s
                timeout: 10s
                enabled: false

            """
        let (result, _) = try Self.compile([
            "baselines/checks.yaml": Self.baseline(probes),
            "environments/acme-prod.yaml": Self.environment(components: "{prometheus: in-cluster, synthetics: blackbox}"),
        ])
        #expect(result.diagnostics.sorted.isEmpty, "\(result.diagnostics.sorted)")
        let environment = try #require(result.environments.first)
        #expect(environment.alerts.map(\.id) == ["login-failing"], "a disabled probe gets no alert")
        let yaml = try Self.text(result, "acme-prod", "kubernetes/probes.yaml")
        #expect(yaml.contains("kind: \"Probe\""))
        #expect(yaml.contains("name: \"acme-prod-login\""))
        #expect(yaml.contains("url: \"blackbox-exporter.monitoring.svc:9115\""))
        #expect(yaml.contains("module: \"odoo_login\""))
        #expect(yaml.contains("- \"https://erp.acme.example.com/web/session/authenticate\""))
        #expect(yaml.contains("vigil_probe: \"login\""))
        #expect(!yaml.contains("acme-prod-health"))
        #expect(!yaml.contains("odoo-synthetic-login"), "no credential reference in the cluster's objects")
        let rules = try Self.text(result, "acme-prod", "kubernetes/prometheus-rules.yaml")
        #expect(rules.contains("alert: \"LoginFailing\""))
        #expect(try Self.text(result, "acme-prod", "kubernetes/kustomization.yaml").contains("- \"probes.yaml\""))
        let output = try #require(result.outputs.first)
        #expect(!output.files.contains { $0.path.hasPrefix("azure/synthetics") })
    }

    // MARK: Diagnostics

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var components: String = "{synthetics: application-insights}"
        var resources: String? = nil
        var probes: String
        var id: String
        var severity: Severity = .error
        var messageContains: String
        var testDescription: String { name }
    }

    static let minimal = """
            title: Check
            layer: ingress
            severity: 3
            route: ops
            locations: [emea-nl-ams-azr]

        """

    static let cases: [Case] = [
        Case(
            name: "a login check without login",
            probes: "  login:\n\(minimal)    check: ↓login\n    url: https://erp.acme.example.com/web/session/authenticate\n",
            id: "schema/missing-field", messageContains: "does not say whom to log in as"),
        Case(
            name: "login settings on a health check",
            probes: "  health:\n\(minimal)    check: health\n    url: https://erp.acme.example.com/web/health\n    ↓login: {database: acme, user: monitor, secretRef: s}\n",
            id: "schema/invalid-value", messageContains: "is a health check but sets 'login'"),
        Case(
            name: "a plain http URL",
            probes: "  health:\n\(minimal)    check: health\n    url: ↓http://erp.acme.example.com/web/health\n",
            id: "schema/invalid-value", messageContains: "https://"),
        Case(
            name: "no synthetics component",
            components: "{prometheus: in-cluster}",
            probes: "  ↓health:\n\(minimal)    check: health\n    url: https://erp.acme.example.com/web/health\n",
            id: "render/no-prober", messageContains: "has nothing to run it"),
        Case(
            name: "the blackbox exporter with managed Prometheus",
            components: "{prometheus: managed, synthetics: blackbox}",
            probes: "  ↓health:\n\(minimal)    check: health\n    url: https://erp.acme.example.com/web/health\n",
            id: "render/no-prober", messageContains: "has nothing to run it"),
        Case(
            name: "an availability test every minute",
            probes: "  health:\n\(minimal)    check: health\n    url: https://erp.acme.example.com/web/health\n    interval: ↓1m\n",
            id: "render/unsupported-duration", messageContains: "cannot run every 1m"),
        Case(
            name: "an availability test timing out after 45 seconds",
            probes: "  health:\n\(minimal)    check: health\n    url: https://erp.acme.example.com/web/health\n    timeout: ↓45s\n",
            id: "render/unsupported-duration", messageContains: "cannot time out after 45s"),
        Case(
            name: "an availability test without locations",
            probes: "  ↓health:\n    title: Check\n    layer: ingress\n    severity: 3\n    check: health\n    url: https://erp.acme.example.com/web/health\n",
            id: "render/probe-locations", messageContains: "names no test locations"),
        Case(
            name: "a login password without a Key Vault",
            resources: "{app-insights: \(component)}",
            probes: "  login:\n\(minimal)    check: login\n    url: https://erp.acme.example.com/web/session/authenticate\n    login: {database: acme, user: monitor, secretRef: ↓odoo-synthetic-login}\n",
            id: "render/probe-secret", messageContains: "defines no 'keyvault' resource"),
        Case(
            name: "an unknown route",
            probes: "  health:\n    title: Check\n    layer: ingress\n    severity: 3\n    route: ↓opz\n    check: health\n    url: https://erp.acme.example.com/web/health\n    locations: [emea-nl-ams-azr]\n",
            id: "render/unknown-action-group", messageContains: "probe 'health' routes to 'opz'"),
        Case(
            name: "a cluster probe timing out after its interval",
            components: "{prometheus: in-cluster, synthetics: blackbox}",
            probes: "  health:\n\(minimal)    check: health\n    url: https://erp.acme.example.com/web/health\n    interval: 30s\n    timeout: ↓1m\n",
            id: "render/unsupported-duration", messageContains: "may take 1m but runs every 30s"),
        Case(
            name: "a content match the default cluster module does not check",
            components: "{prometheus: in-cluster, synthetics: blackbox}",
            probes: "  page:\n\(minimal)    check: page\n    url: https://erp.acme.example.com/odoo\n    contains: ↓oe_login_form\n",
            id: "render/probe-content-match", severity: .warning, messageContains: "does not check that the page contains"),
    ]

    @Test("probe mistakes are reported at the line to change", arguments: cases)
    func diagnostics(_ c: Case) throws {
        let (result, markers) = try Self.compile([
            "baselines/checks.yaml": Self.baseline(c.probes),
            "environments/acme-prod.yaml": Self.environment(components: c.components, resources: c.resources),
        ])
        let found = result.diagnostics.sorted.filter { $0.id.rawValue == c.id }
        #expect(found.count == 1, "\(result.diagnostics.sorted)")
        let diagnostic = try #require(found.first)
        #expect(diagnostic.severity == c.severity)
        #expect(diagnostic.message.contains(c.messageContains), "\(diagnostic.message)")
        #expect(markers.contains(try #require(diagnostic.location)), "at \(String(describing: diagnostic.location)), markers \(markers)")
    }

    @Test("a probe whose alert id is already an alert is a duplicate id, noted at the alert")
    func alertCollision() throws {
        let alert = """
            alerts:
              health-failing:
                title: Health failing
                layer: ingress
                severity: 3
                prometheus: {expr: up == 0}

            """
        let (result, markers) = try Self.compile([
            "baselines/checks.yaml": Self.baseline("  ↓health:\n\(Self.minimal)    check: health\n    url: https://erp.acme.example.com/web/health\n") + alert,
            "environments/acme-prod.yaml": Self.environment(components: "{prometheus: in-cluster, synthetics: blackbox}"),
        ])
        let duplicate = try #require(result.diagnostics.sorted.first { $0.id == "merge/duplicate-id" })
        #expect(markers.contains(try #require(duplicate.location)))
        #expect(duplicate.notes.contains { $0.message.contains("'health-failing' defined here") })
    }

    // MARK: Required signals

    @Test("a production environment whose login probe is removed fails policy/required-signals at the removing line")
    func loginProbeRemoved() throws {
        let files = [
            "baselines/checks.yaml": Self.baseline(Self.loginProbe, requires: true),
            "environments/acme-prod.yaml": Self.environment(extra: "overrides:\n  probes:\n    ↓login: null\n"),
        ]
        let (result, markers) = try Self.compile(files)
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.sorted)")
        let findings = PolicyEngine(today: "2026-11-22").check(result).sorted.filter { $0.id == "policy/required-signals" }
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.message == "required signal 'synthetic.login' is not covered: 'login' was removed")
        #expect(markers.contains(try #require(finding.location)))
        #expect(finding.notes.contains { $0.message.contains("is required here") })

        // With the probe in place the signal is covered; disabled, the finding points at `enabled`.
        let (kept, _) = try Self.compile(files.mapValues { $0.replacingOccurrences(of: "overrides:\n  probes:\n    ↓login: null\n", with: "") })
        #expect(PolicyEngine(today: "2026-11-22").check(kept).sorted.isEmpty)
        let (disabled, disabledMarkers) = try Self.compile(
            files.mapValues { $0.replacingOccurrences(of: "    ↓login: null\n", with: "    login: {enabled: ↓false}\n") })
        let gap = try #require(PolicyEngine(today: "2026-11-22").check(disabled).sorted.first { $0.id == "policy/required-signals" })
        #expect(gap.message.contains("probe 'login' is disabled"))
        #expect(disabledMarkers.contains(try #require(gap.location)))
    }

    // MARK: The shipped library

    @Test("the example fleet: per-tenant probes on shared platforms, host probes on dedicated ones, no catch-all probe alert")
    func library() throws {
        let result = try Compiler().compile(Compiler.Options(root: PackagePaths.root.appendingPathComponent("examples")))
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.sorted)")
        let neu = try #require(result.environments.first { $0.name == "shared-neu-prod" })
        let tenantProbes = neu.probes.filter { neu.itemTenants[$0.id] != nil }
        #expect(tenantProbes.count == neu.tenants.count * 3)
        #expect(Set(neu.probes.map(\.check)) == [.health, .login, .page])
        #expect(neu.alerts.filter { $0.id.hasSuffix("-failing") && $0.id.hasPrefix("tenant-") }.count == tenantProbes.count)
        #expect(!neu.alerts.contains { $0.id == "synthetic-check-failing" }, "per-probe alerts replace the catch-all")
        let acme = try #require(result.environments.first { $0.name == "acme-prod" })
        #expect(acme.probes.map(\.id) == ["odoo-health", "odoo-invoices", "odoo-login"])
        #expect(acme.probes.allSatisfy { $0.route == "oncall" && $0.severity == 1 }, "production pages")
        #expect(acme.requirements.contains { $0.signal == "synthetic.login" })
    }
}
