import Foundation
import Testing
@testable import VigilCompiler
import VigilModel
import VigilTestSupport

/// A per-tenant template whose alert names the platform group as its own route: the fallback for
/// tenants without an action group (the same template the rule's examples use).
let routedTenantTemplate = TenantRouteIsolationRule.template

/// The instance and one platform-wide alert.
let routedBaseline = """
    apiVersion: vigil/v1
    kind: Baseline
    name: base
    instances:
      tenant-pods: {template: tenant-pods, forEach: tenant}
    alerts:
      aks-nodes-not-ready:
        title: AKS nodes not ready
        layer: platform
        severity: 3
        route: ops
        owner: platform-k8s
        runbook: https://runbooks.example.com/aks-nodes-not-ready
        response: Describe the nodes that are not ready.
        impact: availability
        metric: {resource: aks, resourceType: Microsoft.ContainerService/managedClusters, namespace: Microsoft.ContainerService/managedClusters, metric: kube_node_status_condition, aggregation: Average, operator: GreaterThan, threshold: 0, window: 15m, frequency: 5m, dimensions: {status2: {operator: Include, values: [NotReady]}}}
    """

/// A shared platform: contoso and fabrikam declare action groups of their own, northwind none.
func routedEnvironment(tenants: String? = nil, extra: String = "") -> String {
    """
    apiVersion: vigil/v1
    kind: Environment
    name: shared-prod
    tier: multi-tenant
    stage: production
    region: westeurope
    azure:
      subscriptionId: 00000000-0000-0000-0000-000000000001
      resourceGroup: rg-shared
      resources:
        aks: /subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-shared/providers/Microsoft.ContainerService/managedClusters/aks-shared
    actionGroups:
      ops: {shortName: shared-ops, purpose: notify, receivers: {mail: {type: email, address: ops@example.com}}}
      contoso-it: {shortName: contoso-it, purpose: notify, receivers: {mail: {type: email, address: it@contoso.example.com}}}
      fabrikam-it: {shortName: fabrikam-it, purpose: notify, receivers: {mail: {type: email, address: it@fabrikam.example.com}}}

    """ + (tenants ?? """
    tenants:
      contoso: {displayName: Contoso, namespace: odoo-contoso, route: contoso-it}
      fabrikam: {displayName: Fabrikam, namespace: odoo-fabrikam, route: fabrikam-it}
      northwind: {displayName: Northwind, namespace: odoo-northwind}

    """) + extra
}

@Suite("Tenant routing")
struct RoutingTests {
    static func compile(_ files: [String: String]) throws -> Compiler.Result {
        let tree = try FixtureTree()
        try tree.write("vigil.yaml", isolatedConfig)
        for (path, text) in files { try tree.write(path, text) }
        return try Compiler().compile(Compiler.Options(root: tree.url))
    }

    static func root(environment: String = routedEnvironment()) -> [String: String] {
        [
            "vigil.yaml": isolatedConfig, "templates/tenant-pods.yaml": routedTenantTemplate, "baselines/base.yaml": routedBaseline,
            "environments/shared-prod.yaml": environment,
        ]
    }

    /// The alert names each action group receives in the rendered `azure/alerts.json`.
    static func receivers(_ result: Compiler.Result) throws -> [String: [String]] {
        let output = try #require(result.outputs.first)
        let file = try #require(output.files.first { $0.path == "azure/alerts.json" })
        let template = try #require(try JSONSerialization.jsonObject(with: file.bytes) as? [String: Any])
        var received: [String: [String]] = [:]
        for resource in try #require(template["resources"] as? [[String: Any]]) {
            guard resource["type"] as? String == "Microsoft.Insights/metricAlerts",
                let name = resource["name"] as? String, let properties = resource["properties"] as? [String: Any],
                let actions = properties["actions"] as? [[String: Any]]
            else { continue }
            for action in actions {
                let id = try #require(action["actionGroupId"] as? String)
                let group = try #require(id.firstMatch(of: /'([^']+)'\)\]$/)).1
                received[String(group), default: []].append(name)
            }
        }
        return received.mapValues { $0.sorted() }
    }

    @Test("each tenant's action group receives only its own tenant's alerts; platform alerts and tenants without a group go to the platform group")
    func isolation() throws {
        let result = try Self.compile(Self.root())
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.sorted)")
        let received = try Self.receivers(result)
        #expect(received["shared-prod-contoso-it"] == ["shared-prod-tenant-contoso-pods-pending"])
        #expect(received["shared-prod-fabrikam-it"] == ["shared-prod-tenant-fabrikam-pods-pending"])
        #expect(received["shared-prod-ops"] == ["shared-prod-aks-nodes-not-ready", "shared-prod-tenant-northwind-pods-pending"])
        #expect(Set(received.keys) == ["shared-prod-contoso-it", "shared-prod-fabrikam-it", "shared-prod-ops"])
    }

    @Test("a tenant's route replaces the template's route and is located at the tenant's declaration")
    func tenantRouteWins() throws {
        let result = try Self.compile(Self.root())
        let environment = try #require(result.environments.first)
        let contoso = try #require(environment.alerts.first { $0.id == "tenant-contoso-pods-pending" })
        #expect(contoso.route == "contoso-it")
        #expect(contoso.provenance.fields["route"]?.file == "environments/shared-prod.yaml")
        #expect(environment.itemTenants["tenant-contoso-pods-pending"] == "contoso")
        let northwind = try #require(environment.alerts.first { $0.id == "tenant-northwind-pods-pending" })
        #expect(northwind.route == "ops", "without a group of its own a tenant's alerts take the template's route")
        #expect(northwind.provenance.fields["route"]?.file == "templates/tenant-pods.yaml")
    }

    @Test("the isolation rule is quiet on the isolated platform", arguments: [
        TenantRouteIsolationRule.descriptor.passingExamples[0], RoutingTests.root(),
    ])
    func quiet(_ root: [String: String]) throws {
        let (diagnostics, _) = try PolicyTests.check(root)
        #expect(diagnostics.sorted.isEmpty, "\(diagnostics.sorted)")
    }

    /// Cases: an environment (with `↓` where the rule must report), the items it names.
    static let violations: [(name: String, environment: String, items: [String])] = [
        (
            "a platform alert patched to a tenant's group",
            routedEnvironment(extra: "overrides:\n  alerts:\n    aks-nodes-not-ready: {route: ↓contoso-it}\n"),
            ["aks-nodes-not-ready"]
        ),
        (
            "one tenant's alert patched to another tenant's group",
            routedEnvironment(extra: "overrides:\n  alerts:\n    tenant-contoso-pods-pending: {route: ↓fabrikam-it}\n"),
            ["tenant-contoso-pods-pending"]
        ),
        (
            "two tenants declaring one group",
            routedEnvironment(tenants: """
                tenants:
                  contoso: {displayName: Contoso, namespace: odoo-contoso, route: ↓contoso-it}
                  fabrikam: {displayName: Fabrikam, namespace: odoo-fabrikam, route: ↓contoso-it}

                """),
            ["tenant-contoso-pods-pending", "tenant-fabrikam-pods-pending"]
        ),
        (
            "a tenant declaring the platform's group",
            routedEnvironment(tenants: """
                tenants:
                  contoso: {displayName: Contoso, namespace: odoo-contoso, route: contoso-it}
                  northwind: {displayName: Northwind, namespace: odoo-northwind, route: ops}

                """),
            ["aks-nodes-not-ready"]
        ),
    ]

    @Test("the isolation rule reports every alert that reaches another tenant's group, where its route was set", arguments: 0..<violations.count)
    func violation(_ index: Int) throws {
        let (name, environment, items) = Self.violations[index]
        var root = Self.root(environment: environment)
        if !environment.contains("↓") {
            // The platform alert's route is written in the baseline.
            root["baselines/base.yaml"] = routedBaseline.replacingOccurrences(of: "    route: ops\n", with: "    route: ↓ops\n")
        }
        let (diagnostics, markers) = try PolicyTests.check(root)
        let found = diagnostics.sorted.filter { $0.id == "policy/tenant-route-isolation" }
        #expect(Set(found.compactMap(\.location)) == markers, "\(name): \(diagnostics.sorted)")
        #expect(found.count == items.count, "\(name): \(found)")
        #expect(items.allSatisfy { item in found.contains { $0.message.contains("'\(item)'") } }, "\(name): \(found)")
        #expect(diagnostics.sorted.allSatisfy { $0.id == "policy/tenant-route-isolation" || $0.severity != .error }, "\(name)")
    }

    @Test("a finding names the alert's tenant and the tenant whose group it reaches")
    func message() throws {
        let root = Self.root(environment: routedEnvironment(
            extra: "overrides:\n  alerts:\n    tenant-contoso-pods-pending: {route: fabrikam-it}\n"))
        let (diagnostics, _) = try PolicyTests.check(root)
        let finding = try #require(diagnostics.sorted.first { $0.id == "policy/tenant-route-isolation" })
        #expect(finding.message == "alert 'tenant-contoso-pods-pending' of tenant 'contoso' routes to 'fabrikam-it', the action group of tenant 'fabrikam'")
    }
}
