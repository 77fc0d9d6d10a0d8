import Foundation
import VigilModel

/// On a shared platform, an alert about what tenants experience (ingress and application layers)
/// names the tenant: it is split by a tenant dimension, groups by namespace, or was generated
/// per tenant.
struct TenantSplitRule: PolicyRule {
    static func example(dimensions: String) -> [String: String] {
        var root = PolicyExamples.root(
            baseline: """
                collection:
                  containers: {kind: containerInsights, tables: [ContainerLogV2]}
                alerts:
                  odoo-errors:
                    title: Odoo errors
                    layer: application
                    severity: 3
                    route: ops
                    owner: odoo-runtime
                    runbook: https://runbooks.example.com/odoo-errors
                    response: Read the tracebacks of the namespace that fails.
                    impact: availability
                    log: {query: "ContainerLogV2 | where LogMessage has 'ERROR' | summarize Errors = count() by PodNamespace", tables: [ContainerLogV2], aggregation: Total, measureColumn: Errors, operator: GreaterThan, threshold: 10, window: 15m, frequency: 5m\(dimensions)}

                """)
        root["environments/acme-prod.yaml"] = PolicyExamples.environment()
            .replacingOccurrences(of: "tier: dedicated", with: "tier: multi-tenant")
            + "tenants:\n  contoso: {namespace: odoo-contoso}\n"
        return root
    }

    static let descriptor = RuleDescriptor(
        id: "policy/tenant-split",
        summary: "on multi-tenant platforms, ingress and application alerts are split by tenant",
        rationale:
            "One alert for all tenants of a shared platform cannot say whose Odoo is failing, and routes one customer's outage to everyone's receivers. Split by namespace (or another tenant dimension), or generate the alert per tenant.",
        passingExamples: [example(dimensions: ", dimensions: {PodNamespace: {operator: Include, values: [\"*\"]}}")],
        failingExamples: [example(dimensions: "").mapValues { $0.replacingOccurrences(of: "  odoo-errors:\n", with: "  ↓odoo-errors:\n") }])

    static let tenantWords = ["namespace", "tenant", "exported_service", "service"]

    static func namesTenant(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return tenantWords.contains { lowered.contains($0) }
    }

    /// Labels that identify a tenant or its endpoint when an expression keeps them.
    static let tenantLabels: Set<String> = ["namespace", "tenant", "service", "exported_service", "cn", "sans", "host", "instance", "pod"]
    static let aggregations = ["sum", "avg", "max", "min", "count", "topk", "bottomk", "quantile", "group", "stddev", "stdvar"]

    /// A PromQL expression keeps a tenant label when it names one, groups by one, or aggregates
    /// nothing (every series, with all its labels, alerts on its own).
    static func splitsByTenant(_ expr: String) -> Bool {
        if namesTenant(expr) { return true }
        var grouping: [String] = []
        var rest = Substring(expr)
        while let by = rest.range(of: "by") {
            let after = rest[by.upperBound...].drop { $0 == " " }
            if after.first == "(", let close = after.firstIndex(of: ")") {
                grouping += after[after.index(after: after.startIndex)..<close].split(separator: ",").map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
            }
            rest = rest[by.upperBound...]
        }
        if grouping.contains(where: tenantLabels.contains) { return true }
        return !PatternCache.search(aggregationPattern, expr)
    }

    /// An aggregation operator applied: its name, then `(`, `by` or `without`.
    static let aggregationPattern = "\\b(" + aggregations.joined(separator: "|") + ")\\s*(\\(|by|without)"

    func check(_ environment: ResolvedEnvironment) -> [PolicyFinding] {
        guard environment.facts.tier == .multiTenant else { return [] }
        return environment.alerts.filter { $0.enabled && ($0.layer == .ingress || $0.layer == .application) }.compactMap { alert in
            // Generated per tenant, or named after one. Ids and tenant keys are safe names
            // (ASCII): a byte search, not Foundation's Unicode-aware one, which cost a third of
            // checking a 50-tenant fleet.
            if environment.itemTenants[alert.id] != nil { return nil }
            if environment.tenants.contains(where: { alert.id.containsBytes($0.id) }) { return nil }
            let split: Bool
            switch alert.criteria {
            case .metric(let m): split = m.dimensions.contains { Self.namesTenant($0.name) }
            case .log(let l): split = l.dimensions.contains { Self.namesTenant($0.name) }
            case .prometheus(let p): split = Self.splitsByTenant(p.expr)
            case .activityLog: split = true
            }
            guard !split else { return nil }
            return finding(
                alert.id, "\(alert.layer.rawValue) alert '\(alert.id)' of multi-tenant environment '\(environment.name)' does not say which tenant",
                at: alert.provenance.definedAt,
                hint: "split it by a namespace or tenant dimension, or generate it per tenant with 'forEach: tenant'")
        }
    }
}
