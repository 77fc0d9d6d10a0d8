import Foundation
import Testing
import VigilCompiler
import VigilModel
import VigilTestSupport

let tenantTemplate = """
    apiVersion: vigil/v1
    kind: Template
    name: tenant-pods
    parameters:
      threshold: {type: number, default: "1"}
      window: {type: duration, default: 15m}
      phases: {type: list, default: [Failed, Pending]}
    alerts:
      tenant-${tenant.id}-pods-unhealthy:
        title: "Pods of ${tenant.displayName} (${tenant.host}) not running"
        layer: application
        severity: 2
        covers: [tenant.pods]
        metric:
          resource: aks
          resourceType: Microsoft.ContainerService/managedClusters
          namespace: Insights.Container/pods
          metric: podCount
          aggregation: Average
          operator: GreaterThanOrEqual
          threshold: ${threshold}
          window: ${window}
          frequency: 5m
          dimensions:
            kubernetes namespace: {operator: Include, values: ["${tenant.namespace}"]}
            phase:
              operator: Include
              values: ${phases}
    """

func multiTenantEnvironment(name: String = "shared-prod", tier: String = "multi-tenant", tenants: String? = nil, extra: String = "") -> String {
    """
    apiVersion: vigil/v1
    kind: Environment
    name: \(name)
    tier: \(tier)
    stage: production
    region: westeurope
    azure:
      subscriptionId: 00000000-0000-0000-0000-000000000001
      resourceGroup: rg
      resources: {aks: /subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks}
    actionGroups:
      ops: {shortName: ops, purpose: notify, receivers: {mail: {type: email, address: ops@example.com}}}
      contoso-team: {shortName: contoso, purpose: notify, receivers: {mail: {type: email, address: contoso@example.com}}}

    """ + (tenants ?? """
    tenants:
      contoso: {displayName: Contoso, namespace: odoo-contoso, host: contoso.erp.example.com, database: contoso, route: contoso-team}
      fabrikam: {displayName: Fabrikam, namespace: odoo-fabrikam, host: fabrikam.erp.example.com, database: fabrikam}
      northwind: {displayName: Northwind, namespace: odoo-northwind, host: northwind.erp.example.com, database: northwind}

    """) + extra
}

@Suite("Templates and tenant fan-out")
struct TemplateTests {
    static func compile(_ files: [String: String]) throws -> Compiler.Result {
        let tree = try FixtureTree()
        try tree.write("vigil.yaml", isolatedConfig)
        for (path, text) in files { try tree.write(path, text) }
        return try Compiler().compile(Compiler.Options(root: tree.url))
    }

    static let instance = "apiVersion: vigil/v1\nkind: Baseline\nname: tenants\ninstances:\n  tenant-pods:\n    template: tenant-pods\n    forEach: tenant\n"

    @Test("three tenants get three alerts with their real selectors; a dedicated environment gets none")
    func fanOut() throws {
        let result = try Self.compile([
            "templates/tenant-pods.yaml": tenantTemplate,
            "baselines/tenants.yaml": Self.instance,
            "environments/shared-prod.yaml": multiTenantEnvironment(),
            "environments/acme-prod.yaml": multiTenantEnvironment(name: "acme-prod", tier: "dedicated", tenants: ""),
        ])
        #expect(result.diagnostics.all.isEmpty, "\(result.diagnostics.sorted)")
        let shared = try #require(result.environments.first { $0.name == "shared-prod" })
        #expect(shared.alerts.map(\.id) == [
            "tenant-contoso-pods-unhealthy", "tenant-fabrikam-pods-unhealthy", "tenant-northwind-pods-unhealthy",
        ])
        let contoso = shared.alerts[0]
        #expect(contoso.title == "Pods of Contoso (contoso.erp.example.com) not running")
        #expect(contoso.route == "contoso-team", "a tenant's route is the default for its alerts")
        #expect(shared.alerts[1].route == nil)
        guard case .metric(let metric) = contoso.criteria else { Issue.record("not a metric alert"); return }
        #expect(metric.dimensions.map(\.values) == [["odoo-contoso"], ["Failed", "Pending"]])
        #expect(metric.threshold == .fixed(operator: "GreaterThanOrEqual", value: 1))
        #expect(metric.window == Duration(seconds: 900))
        let dedicated = try #require(result.environments.first { $0.name == "acme-prod" })
        #expect(dedicated.alerts.isEmpty)
        // The rendered template names each tenant's alert and keeps its namespace filter.
        let output = try #require(result.outputs.first { $0.name == "shared-prod" })
        let arm = String(decoding: try #require(output.files.first { $0.path == "azure/alerts.json" }).bytes, as: UTF8.self)
        #expect(arm.contains("\"shared-prod-tenant-northwind-pods-unhealthy\""))
        #expect(arm.contains("\"odoo-fabrikam\""))
    }

    @Test("parameters: instance values override defaults and are typed; generated items can be patched by id")
    func parametersAndPatching() throws {
        let result = try Self.compile([
            "templates/tenant-pods.yaml": tenantTemplate,
            "baselines/tenants.yaml": Self.instance + "    parameters: {threshold: 3, window: 30m, phases: [Failed]}\n",
            "environments/shared-prod.yaml": multiTenantEnvironment(extra: "overrides:\n  alerts:\n    tenant-fabrikam-pods-unhealthy: {severity: 1}\n"),
        ])
        #expect(result.diagnostics.all.isEmpty, "\(result.diagnostics.sorted)")
        let alerts = try #require(result.environments.first).alerts
        guard case .metric(let metric) = alerts[0].criteria else { Issue.record("not a metric alert"); return }
        #expect(metric.threshold == .fixed(operator: "GreaterThanOrEqual", value: 3))
        #expect(metric.window == Duration(seconds: 1800))
        #expect(metric.dimensions.last?.values == ["Failed"])
        #expect(alerts.map(\.severity) == [2, 1, 2])
        let origin = try #require(alerts[1].provenance.origin(of: "severity"))
        #expect(origin.setAt.file == "environments/shared-prod.yaml")
        #expect(origin.overridden.first?.setAt.file == "templates/tenant-pods.yaml")
    }

    @Test("template errors are reported at the instance or the template line", arguments: [
        ("    parameters: {treshold: 3}\n", RuleID("template/unknown-parameter"), "baselines/tenants.yaml"),
        ("    parameters: {threshold: high}\n", RuleID("template/type-mismatch"), "baselines/tenants.yaml"),
        ("    parameters: {window: soon}\n", RuleID("template/type-mismatch"), "baselines/tenants.yaml"),
    ])
    func errors(_ parameters: String, _ id: RuleID, _ file: String) throws {
        let result = try Self.compile([
            "templates/tenant-pods.yaml": tenantTemplate,
            "baselines/tenants.yaml": Self.instance + parameters,
            "environments/shared-prod.yaml": multiTenantEnvironment(),
        ])
        let first = try #require(result.diagnostics.sorted.first)
        #expect(first.id == id)
        #expect(first.location?.file == file)
        #expect(result.outputs.isEmpty)
    }

    @Test("a required parameter must be set; unknown templates and references are errors")
    func missingAndUnknown() throws {
        let template = tenantTemplate.replacingOccurrences(of: "threshold: {type: number, default: \"1\"}", with: "threshold: {type: number, required: true}")
        let missing = try Self.compile([
            "templates/tenant-pods.yaml": template, "baselines/tenants.yaml": Self.instance,
            "environments/shared-prod.yaml": multiTenantEnvironment(),
        ])
        #expect(missing.diagnostics.sorted.map(\.id) == ["template/missing-parameter"])
        let unknownTemplate = try Self.compile([
            "templates/tenant-pods.yaml": tenantTemplate,
            "baselines/tenants.yaml": Self.instance.replacingOccurrences(of: "template: tenant-pods", with: "template: tenant-pod"),
            "environments/shared-prod.yaml": multiTenantEnvironment(),
        ])
        #expect(unknownTemplate.diagnostics.sorted.first?.hint == "did you mean 'tenant-pods'?")
        let badReference = try Self.compile([
            "templates/tenant-pods.yaml": tenantTemplate.replacingOccurrences(of: "${tenant.host}", with: "${tenant.hostname}"),
            "baselines/tenants.yaml": Self.instance, "environments/shared-prod.yaml": multiTenantEnvironment(),
        ])
        let reference = try #require(badReference.diagnostics.sorted.first)
        #expect(reference.id == "template/unknown-reference")
        #expect(reference.location?.file == "templates/tenant-pods.yaml")
        #expect(reference.notes.contains { $0.location?.file == "baselines/tenants.yaml" }, "a note names the instance")
    }

    @Test("substituted values are checked against the schema; $${ escapes")
    func substitutionIsChecked() throws {
        let template = tenantTemplate
            .replacingOccurrences(of: "threshold: {type: number, default: \"1\"}", with: "threshold: {type: string, default: lots}")
            .replacingOccurrences(of: "not running\"", with: "not running $${literal}\"")
        let result = try Self.compile([
            "templates/tenant-pods.yaml": template, "baselines/tenants.yaml": Self.instance,
            "environments/shared-prod.yaml": multiTenantEnvironment(),
        ])
        let first = try #require(result.diagnostics.sorted.first)
        #expect(first.id == "schema/type-mismatch")
        #expect(first.location?.file == "templates/tenant-pods.yaml")
        let escaped = try Self.compile([
            "templates/tenant-pods.yaml": tenantTemplate.replacingOccurrences(of: "not running\"", with: "not running $${literal} $labels\""),
            "baselines/tenants.yaml": Self.instance, "environments/shared-prod.yaml": multiTenantEnvironment(),
        ])
        #expect(escaped.environments.first?.alerts.first?.title == "Pods of Contoso (contoso.erp.example.com) not running ${literal} $labels")
    }

    @Test("recovery objectives feed thresholds")
    func recoveryObjectives() throws {
        let template = """
            apiVersion: vigil/v1
            kind: Template
            name: replica-lag
            alerts:
              postgresql-replica-lag:
                title: "Replica lag above the RPO (${env.recovery.rpo})"
                layer: data
                severity: 2
                metric: {resource: aks, resourceType: Microsoft.DBforPostgreSQL/flexibleServers, namespace: Microsoft.DBforPostgreSQL/flexibleServers, metric: physical_replication_delay_in_seconds, aggregation: Maximum, operator: GreaterThan, threshold: "${env.recovery.rpo.seconds}", window: 15m, frequency: 5m}
            """
        let result = try Self.compile([
            "templates/replica-lag.yaml": template,
            "baselines/lag.yaml": "apiVersion: vigil/v1\nkind: Baseline\nname: lag\ninstances:\n  lag: {template: replica-lag}\n",
            "environments/shared-prod.yaml": multiTenantEnvironment(extra: "recovery: {rpo: 15m}\n"),
        ])
        #expect(result.diagnostics.all.isEmpty, "\(result.diagnostics.sorted)")
        let alert = try #require(result.environments.first?.alerts.first)
        #expect(alert.title == "Replica lag above the RPO (15m)")
        guard case .metric(let metric) = alert.criteria else { return }
        #expect(metric.threshold == .fixed(operator: "GreaterThan", value: 900))
    }
}

@Suite("Template item selectors")
struct TemplateItemSelectorTests {
    @Test("an item whose own when cannot match is not expanded, so its references are not demanded")
    func itemWhen() throws {
        let template = """
            apiVersion: vigil/v1
            kind: Template
            name: lag
            alerts:
              lag:
                title: "Lag above ${env.recovery.rpo}"
                layer: data
                severity: 2
                when: {stage: production}
                metric: {resource: aks, resourceType: A.B/c, namespace: n, metric: m, aggregation: Maximum, operator: GreaterThan, threshold: "${env.recovery.rpo.seconds}", window: 15m, frequency: 5m}
            """
        let base = "apiVersion: vigil/v1\nkind: Baseline\nname: lag\ninstances:\n  lag: {template: lag}\n"
        let dev = multiTenantEnvironment().replacingOccurrences(of: "stage: production", with: "stage: dev")
        let result = try TemplateTests.compile(["templates/lag.yaml": template, "baselines/lag.yaml": base, "environments/shared-prod.yaml": dev])
        #expect(result.diagnostics.all.isEmpty, "\(result.diagnostics.sorted)")
        let production = try TemplateTests.compile(["templates/lag.yaml": template, "baselines/lag.yaml": base, "environments/shared-prod.yaml": multiTenantEnvironment()])
        #expect(production.diagnostics.sorted.first?.id == "template/unknown-reference", "production has no RPO: the reference is an error")
    }
}
