import VigilModel

/// Every alert names its owner, runbook, on-call response and business impact.
struct AlertMetadataRule: PolicyRule {
    static let descriptor = RuleDescriptor(
        id: "policy/alert-metadata",
        summary: "every alert has an owner, a runbook URL, a response and an impact category",
        rationale: "An alert nobody owns, with no runbook and no stated response, wakes someone who cannot act on it.",
        passingExamples: [PolicyExamples.root(baseline: "alerts:\n  cpu:\n" + PolicyExamples.alert())],
        failingExamples: [PolicyExamples.root(baseline: "alerts:\n  ↓cpu:\n" + PolicyExamples.alert(metadata: false))])

    func check(_ environment: ResolvedEnvironment) -> [PolicyFinding] {
        environment.alerts.compactMap { alert in
            var missing: [String] = []
            if alert.owner == nil && environment.owner == nil { missing.append("owner") }
            if alert.runbook == nil { missing.append("runbook") }
            if alert.response == nil { missing.append("response") }
            if alert.impact == nil { missing.append("impact") }
            guard !missing.isEmpty else { return nil }
            return finding(
                alert.id, "alert '\(alert.id)' has no \(missing.joined(separator: ", "))", at: alert.provenance.definedAt,
                hint: "add \(missing.map { "'\($0)'" }.joined(separator: ", ")) to the alert")
        }
    }
}
