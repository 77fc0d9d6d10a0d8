import VigilModel

/// Every signal the environment's layers require is covered by an enabled alert, an enabled
/// synthetic probe, a retention item or a data export. A gap is reported where it was made: the line that
/// removed or disabled the covering item, else the environment whose stage, tier or compliance
/// class brought the requirement.
struct RequiredSignalsRule: PolicyRule {
    static let base = """
        requires:
          postgresql.cpu: {description: database CPU saturation is watched}
        alerts:
          cpu:

        """ + PolicyExamples.alert()

    static let descriptor = RuleDescriptor(
        id: "policy/required-signals",
        summary: "every required signal is covered by an enabled alert, probe, retention item or export",
        rationale:
            "Requirements come from the environment's stage, tier and compliance classes; a pull request must not promote an environment, or delete an alert, and leave a required signal unwatched. Only a waiver with reason, owner and expiry lifts one.",
        canDisable: false,
        passingExamples: [PolicyExamples.root(baseline: base)],
        failingExamples: [
            PolicyExamples.root(
                baseline: base,
                environment: PolicyExamples.environment(extra: "overrides:\n  alerts:\n    ↓cpu: null\n")),
            PolicyExamples.root(
                baseline: base,
                environment: PolicyExamples.environment(extra: "overrides:\n  alerts:\n    cpu: {enabled: ↓false}\n")),
        ])

    func check(_ environment: ResolvedEnvironment) -> [PolicyFinding] {
        var covered = Set<String>()
        for alert in environment.alerts where alert.enabled { covered.formUnion(alert.covers) }
        for retention in environment.retention { covered.formUnion(retention.covers) }
        for export in environment.exports { covered.formUnion(export.covers) }
        for probe in environment.probes where probe.enabled { covered.formUnion(probe.covers) }
        for monitor in environment.monitors { covered.formUnion(monitor.covers) }
        return environment.requirements.filter { !covered.contains($0.signal) }.map { requirement in
            let signal = requirement.signal
            let required = DiagnosticNote(
                "'\(signal)' (\(requirement.description)) is required here", at: requirement.provenance.definedAt)
            if let removed = environment.removedItems.first(where: { $0.covers.contains(signal) }) {
                return finding(
                    signal, "required signal '\(signal)' is not covered: '\(removed.id)' was removed", at: removed.removedAt,
                    hint: "keep '\(removed.id)', cover '\(signal)' with another item, or waive it in vigil.yaml",
                    notes: [required, DiagnosticNote("'\(removed.id)' was defined here", at: removed.definedAt)])
            }
            if let disabled = environment.alerts.first(where: { !$0.enabled && $0.covers.contains(signal) }) {
                return finding(
                    signal, "required signal '\(signal)' is not covered: '\(disabled.id)' is disabled",
                    at: disabled.provenance.location(of: "enabled") ?? disabled.provenance.definedAt,
                    hint: "enable '\(disabled.id)', cover '\(signal)' with another item, or waive it in vigil.yaml",
                    notes: [required])
            }
            if let disabled = environment.probes.first(where: { !$0.enabled && $0.covers.contains(signal) }) {
                return finding(
                    signal, "required signal '\(signal)' is not covered: probe '\(disabled.id)' is disabled",
                    at: disabled.provenance.location(of: "enabled") ?? disabled.provenance.definedAt,
                    hint: "enable '\(disabled.id)', cover '\(signal)' with another item, or waive it in vigil.yaml",
                    notes: [required])
            }
            return finding(
                signal, "required signal '\(signal)' is not covered in environment '\(environment.name)'",
                at: environment.definedAt,
                hint: "add an alert, probe, retention item or export whose 'covers' lists '\(signal)', or waive it in vigil.yaml",
                notes: [required])
        }
    }
}
