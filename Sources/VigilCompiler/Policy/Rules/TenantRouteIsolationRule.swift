import VigilModel

/// On a shared platform, an action group a tenant declares as its own (`tenants.<id>.route`)
/// receives that tenant's alerts and nothing else: no other tenant's alerts and no platform-wide
/// alerts.
struct TenantRouteIsolationRule: PolicyRule {
    static let template = """
        apiVersion: vigil/v1
        kind: Template
        name: tenant-pods
        alerts:
          tenant-${tenant.id}-pods-pending:
            title: Pods of ${tenant.displayName} pending
            layer: platform
            severity: 3
            route: ops
            owner: platform-k8s
            runbook: https://runbooks.example.com/tenant-pods-pending
            response: Describe the pending pods of the tenant's namespace.
            impact: availability
            metric: {resource: aks, resourceType: Microsoft.ContainerService/managedClusters, namespace: Microsoft.ContainerService/managedClusters, metric: kube_pod_status_phase, aggregation: Average, operator: GreaterThan, threshold: 0.5, window: 15m, frequency: 5m, dimensions: {phase: {operator: Include, values: [Pending]}, namespace: {operator: Include, values: ["${tenant.namespace}"]}}}

        """

    /// A shared platform with two tenants; `contoso` and `fabrikam` name their routes.
    static func example(platformRoute: String, contoso: String, fabrikam: String) -> [String: String] {
        [
            "vigil.yaml": PolicyExamples.config,
            "templates/tenant-pods.yaml": template,
            "baselines/base.yaml": """
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
                    route: \(platformRoute)
                    owner: platform-k8s
                    runbook: https://runbooks.example.com/aks-nodes-not-ready
                    response: Describe the nodes that are not ready.
                    impact: availability
                    metric: {resource: aks, resourceType: Microsoft.ContainerService/managedClusters, namespace: Microsoft.ContainerService/managedClusters, metric: kube_node_status_condition, aggregation: Average, operator: GreaterThan, threshold: 0, window: 15m, frequency: 5m, dimensions: {status2: {operator: Include, values: [NotReady]}}}

                """,
            "environments/shared-prod.yaml": """
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
                  ops:
                    shortName: shared-ops
                    purpose: notify
                    receivers: {mail: {type: email, address: ops@example.com}}
                  contoso-it:
                    shortName: contoso-it
                    purpose: notify
                    receivers: {mail: {type: email, address: it@contoso.example.com}}
                tenants:
                  contoso: {displayName: Contoso, namespace: odoo-contoso, route: \(contoso)}
                  fabrikam: {displayName: Fabrikam, namespace: odoo-fabrikam\(fabrikam)}

                """,
        ]
    }

    static let descriptor = RuleDescriptor(
        id: "policy/tenant-route-isolation",
        summary: "an action group a tenant declares as its route receives only that tenant's alerts",
        rationale:
            "A tenant's action group reaches the tenant's own people or contract (its IT contacts, a premium on-call). Another tenant's alert there discloses that customer's outage, host and load to a third party, and a platform-wide alert sends the platform's incidents to a customer. Platform alerts route to the platform team's groups; tenants that share the platform team's handling declare no route of their own.",
        passingExamples: [example(platformRoute: "ops", contoso: "contoso-it", fabrikam: "")],
        failingExamples: [
            // A platform-wide alert routed to a tenant's group.
            example(platformRoute: "↓contoso-it", contoso: "contoso-it", fabrikam: ""),
            // Two tenants declare one group: each one's alerts reach the other's group.
            example(platformRoute: "ops", contoso: "↓contoso-it", fabrikam: ", route: ↓contoso-it"),
            // A tenant declares the platform team's group: platform alerts reach a tenant's group.
            example(platformRoute: "↓ops", contoso: "contoso-it", fabrikam: ", route: ops"),
        ])

    func check(_ environment: ResolvedEnvironment) -> [PolicyFinding] {
        var owners: [String: [String]] = [:]
        for tenant in environment.tenants { if let route = tenant.route { owners[route, default: []].append(tenant.id) } }
        guard !owners.isEmpty else { return [] }
        return environment.alerts.filter(\.enabled).compactMap { alert in
            guard let route = alert.route, let declaring = owners[route] else { return nil }
            let tenant = environment.itemTenants[alert.id]
            let others = declaring.filter { $0 != tenant }.sorted()
            guard let other = others.first else { return nil }
            let owner = others.count == 1 ? "tenant '\(other)'" : "tenants \(others.map { "'\($0)'" }.joined(separator: ", "))"
            let message =
                tenant.map { "alert '\(alert.id)' of tenant '\($0)' routes to '\(route)', the action group of \(owner)" }
                ?? "platform-wide alert '\(alert.id)' routes to '\(route)', the action group of \(owner)"
            return finding(
                alert.id, message, at: alert.provenance.location(of: "route") ?? alert.provenance.definedAt,
                hint: tenant == nil
                    ? "route platform alerts to a platform group that no tenant declares as its route"
                    : "give each tenant an action group of its own, or declare no route for tenants the platform team handles")
        }
    }
}
