import Foundation
import VigilModel

/// In production, severity 0–1 alerts route to an action group that pages.
struct PagingRouteRule: PolicyRule {
    static let descriptor = RuleDescriptor(
        id: "policy/paging-route",
        summary: "severity 0 and 1 alerts in production route to an action group that pages",
        rationale:
            "A critical production alert that only sends e-mail is read the next morning. A paging group has purpose 'page' and an SMS, voice or on-call webhook receiver.",
        passingExamples: [PolicyExamples.root(baseline: "alerts:\n  cpu:\n" + PolicyExamples.alert(severity: 1, route: "oncall"))],
        failingExamples: [
            PolicyExamples.root(baseline: "alerts:\n  cpu:\n" + PolicyExamples.alert(severity: 1, route: "ops").replacingOccurrences(of: "    route: ops", with: "    route: ↓ops"))
        ])

    func check(_ environment: ResolvedEnvironment) -> [PolicyFinding] {
        guard environment.facts.stage == .production else { return [] }
        let paging = Set(environment.actionGroups.filter { group in
            group.purpose == .page
                && (group.resourceId != nil
                    || group.receivers.contains { $0.kind == .sms || $0.kind == .voice || ($0.kind == .webhook && $0.oncall) })
        }.map(\.key))
        return environment.alerts.filter { $0.enabled && $0.severity <= 1 }.compactMap { alert in
            guard let route = alert.route, !paging.contains(route) else { return nil }
            return finding(
                alert.id, "severity \(alert.severity) alert '\(alert.id)' routes to '\(route)', which does not page",
                at: alert.provenance.location(of: "route") ?? alert.provenance.definedAt,
                hint: paging.isEmpty
                    ? "define an action group with purpose 'page' and an SMS, voice or on-call webhook receiver"
                    : "route it to \(paging.sorted().map { "'\($0)'" }.joined(separator: " or ")), or lower its severity")
        }
    }
}
