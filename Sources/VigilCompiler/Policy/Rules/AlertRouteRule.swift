import VigilModel

/// Every enabled alert routes to an action group the environment defines.
struct AlertRouteRule: PolicyRule {
    static let descriptor = RuleDescriptor(
        id: "policy/alert-route",
        summary: "every enabled alert routes to an action group the environment defines",
        rationale: "An alert without a route fires into the void: Azure records it and tells no one.",
        passingExamples: [PolicyExamples.root(baseline: "alerts:\n  cpu:\n" + PolicyExamples.alert())],
        failingExamples: [PolicyExamples.root(baseline: "alerts:\n  ↓cpu:\n" + PolicyExamples.alert(route: nil))])

    func check(_ environment: ResolvedEnvironment) -> [PolicyFinding] {
        let groups = Set(environment.actionGroups.map(\.key))
        return environment.alerts.filter(\.enabled).compactMap { alert in
            guard let route = alert.route else {
                return finding(
                    alert.id, "alert '\(alert.id)' routes to no action group", at: alert.provenance.definedAt,
                    hint: "set 'route' to one of: \(groups.sorted().joined(separator: ", "))")
            }
            guard groups.contains(route) else {
                return finding(
                    alert.id, "alert '\(alert.id)' routes to '\(route)', which environment '\(environment.name)' does not define",
                    at: alert.provenance.location(of: "route") ?? alert.provenance.definedAt,
                    hint: Suggestions.hint(for: route, in: Array(groups), listing: "defined action groups"))
            }
            return nil
        }
    }
}
