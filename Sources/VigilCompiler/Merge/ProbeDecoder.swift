import Foundation
import VigilModel

/// Decodes merged `probes` items (already schema-checked) into ``SyntheticProbe``s, and derives
/// the Prometheus alert of each probe that the in-cluster blackbox exporter runs.
///
/// Stage: merge, after selectors. The checks that depend on more than one field (a login check
/// needs `login`; `login` belongs to login checks only) are made here, on the merged value.
enum ProbeDecoder {
    /// The rule group of the generated probe alerts (the synthetics baseline sets its interval).
    static let ruleGroup = "synthetics"
    /// How many failed runs in a row fire a probe's alert in the cluster.
    static let failedRuns = 3
    /// The blackbox exporter's default interval: Prometheus scrapes each Probe this often.
    static let defaultInterval = Duration(seconds: 60)

    /// One probe, or nil after reporting why it cannot be one.
    static func decode(_ item: MergedItem, diagnostics: inout Diagnostics) -> SyntheticProbe? {
        let v = item.value
        guard let title = v["title"]?.string, let layer = v["layer"]?.string.flatMap(Layer.init(rawValue:)),
            let severity = v["severity"]?.int, let check = v["check"]?.string.flatMap(SyntheticProbe.Check.init(rawValue:)),
            let url = v["url"]?.string
        else { return nil }
        let provenance = item.provenance
        var login: SyntheticProbe.Login?
        if let l = v["login"], !l.isNull {
            guard check == .login else {
                diagnostics.append(Diagnostic(
                    "schema/invalid-value", "probe '\(item.id)' is a \(check.rawValue) check but sets 'login'",
                    at: provenance.location(of: "login") ?? item.definedAt,
                    hint: "'login' names the synthetic user of 'check: login'; remove it or change the check"))
                return nil
            }
            login = SyntheticProbe.Login(
                database: l["database"]?.string ?? "", user: l["user"]?.string ?? "", secretRef: l["secretRef"]?.string ?? "")
        } else if check == .login {
            diagnostics.append(Diagnostic(
                "schema/missing-field", "login probe '\(item.id)' does not say whom to log in as",
                at: provenance.location(of: "check") ?? item.definedAt,
                hint: "add 'login: {database: …, user: …, secretRef: …}'; the password stays in Key Vault under 'secretRef'"))
            return nil
        }
        return SyntheticProbe(
            id: item.id, title: title, description: v["description"]?.string, layer: layer, owner: v["owner"]?.string,
            runbook: v["runbook"]?.string, response: v["response"]?.string, impact: v["impact"]?.string,
            severity: severity, route: v["route"]?.string,
            covers: Array(Set((v["covers"]?.list ?? []).compactMap(\.string))).sorted(),
            enabled: v["enabled"]?.bool ?? true, check: check, url: url,
            interval: AlertDecoder.duration(v["interval"]), timeout: AlertDecoder.duration(v["timeout"]),
            locations: (v["locations"]?.list ?? []).compactMap(\.string), contains: v["contains"]?.string,
            login: login, module: v["module"]?.string, provenance: provenance)
    }

    /// Whether the environment runs its probes with the in-cluster blackbox exporter, so each
    /// probe gets a Prometheus alert on its `probe_success` series.
    static func runsInCluster(_ facts: EnvironmentFacts) -> Bool {
        facts.components["synthetics"] == "blackbox" && facts.components["prometheus"] == "in-cluster"
    }

    /// The PromQL that fires when the probe failed, or stopped reporting (blackbox exporter down,
    /// Probe object missing): a check that goes silent must not look healthy.
    static func expression(_ probe: SyntheticProbe) -> String {
        let series = "probe_success{vigil_probe=\"\(probe.id)\"}"
        return "\(series) == 0 or absent(\(series))"
    }

    /// The alert of an in-cluster probe: `<id>-failing`, firing after ``failedRuns`` failed runs.
    /// It covers nothing itself (the probe's `covers` count) and shares the probe's provenance, so
    /// routing and policy findings point at the probe's lines.
    static func alert(for probe: SyntheticProbe) -> AlertRule {
        let interval = probe.interval ?? defaultInterval
        return AlertRule(
            id: probe.alertID, title: "Synthetic check failing: \(probe.title)",
            description: (probe.description.map { $0 + " " } ?? "") + "The \(probe.check.rawValue) check of \(probe.url) failed.",
            layer: probe.layer, owner: probe.owner, runbook: probe.runbook, response: probe.response, impact: probe.impact,
            severity: probe.severity, route: probe.route, covers: [], enabled: probe.enabled, autoMitigate: nil,
            criteria: .prometheus(PrometheusCriteria(
                expr: expression(probe), forDuration: Duration(seconds: interval.seconds * failedRuns), group: ruleGroup,
                labels: ["check": probe.check.rawValue])),
            provenance: probe.provenance)
    }
}
