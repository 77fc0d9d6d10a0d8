import VigilModel

/// Decoding of the `dashboards` collection (``DashboardResolver``).
extension EnvironmentResolver {
    /// The selected dashboards, sorted by id, with their thresholds and SLO panels resolved
    /// against the environment's alerts and SLOs.
    /// - Parameters:
    ///   - items: The selected `dashboards` items.
    ///   - merged: Every merged collection, before selectors (to tell an alert this environment
    ///     does not keep from an id no layer defines).
    ///   - facts: The environment's facts.
    ///   - alerts: The environment's alerts, generated ones included.
    ///   - slos: The environment's SLOs.
    ///   - tenantFields: The environment's `tenants`.
    ///   - specs: Every loaded document (template item ids).
    ///   - selector: Evaluates panels' `when`.
    ///   - diagnostics: Where problems go.
    static func dashboards(
        _ items: [MergedItem], merged: MergedCollections, facts: EnvironmentFacts, alerts: [AlertRule],
        slos: [ServiceLevelObjective], tenantFields: [SpecField], specs: SpecSet, selector: Selector,
        diagnostics: inout Diagnostics
    ) -> [Dashboard] {
        guard !items.isEmpty else { return [] }
        func known(_ collection: String) -> Set<String> {
            Set((merged.items[collection] ?? []).map(\.id) + (merged.removed[collection] ?? []).map(\.id))
        }
        let tenants = facts.tier == .multiTenant
            ? tenantFields.map { Tenant(
                id: $0.key, displayName: $0.value["displayName"]?.string, namespace: $0.value["namespace"]?.string,
                host: $0.value["host"]?.string, database: $0.value["database"]?.string, route: $0.value["route"]?.string)
            }.sorted { $0.id < $1.id }
            : []
        let resolver = DashboardResolver(
            facts: facts, alerts: alerts, slos: slos, tenants: tenants, knownAlerts: known("alerts"), knownSLOs: known("slos"),
            templates: specs.templates)
        return resolver.resolve(items, selector: selector, diagnostics: &diagnostics)
    }
}
