import Foundation
public import VigilModel

/// Renders Prometheus alerting and recording rules, grouped by rule group:
/// - `components.prometheus: managed` → `azure/prometheus-rules.json`, an ARM template of
///   `Microsoft.AlertsManagement/prometheusRuleGroups` (2023-03-01), at most 20 rules per group
///   (larger groups are split into `<group>-2`, `<group>-3` …), scoped to the Azure Monitor
///   workspace (`azure.resources.monitor-workspace`) and the cluster (`azure.resources.aks`);
/// - `components.prometheus: in-cluster` → `kubernetes/prometheus-rules.yaml`, one
///   `monitoring.coreos.com/v1` PrometheusRule, plus `kubernetes/kustomization.yaml`.
///
/// Within a group, recording rules come first (sorted by id), then alerts (sorted by id). Alert
/// names are the ids in UpperCamelCase (`postgresql-down` → `PostgresqlDown`).
public struct PrometheusRenderer: ArtifactRenderer {
    /// `azure` or `kubernetes`, by flavour.
    public static let target = "prometheus"
    /// Rules per managed rule group.
    public static let maxRulesPerGroup = 20
    /// Namespace of the PrometheusRule in in-cluster environments.
    public static let namespace = "monitoring"

    /// Creates the renderer.
    public init() {}

    struct Rule {
        var group: String
        var alert: AlertRule?
        var criteria: PrometheusCriteria?
        var recording: RecordingRule?
        var id: String { alert?.id ?? recording?.id ?? "" }
    }

    /// Renders the rules for the environment's Prometheus flavour.
    public func render(_ environment: ResolvedEnvironment, diagnostics: inout Diagnostics) -> [ArtifactDocument] {
        rules(Self.rulesView(of: environment), diagnostics: &diagnostics)
    }

    /// The part of an environment the rules are rendered from: the environment with the fields
    /// this renderer never reads emptied and only its Prometheus alerts. Rendering always goes
    /// through the view, so environments with equal views render equal rules (``StageReuse``).
    public func view(of environment: ResolvedEnvironment) -> ResolvedEnvironment? { Self.rulesView(of: environment) }

    static func rulesView(of environment: ResolvedEnvironment) -> ResolvedEnvironment {
        var view = environment
        view.alerts = environment.alerts.filter {
            if case .prometheus = $0.criteria { return true }
            return false
        }
        view.owner = nil
        view.recovery = RecoveryObjectives(rpo: nil, rto: nil)
        view.retention = []
        view.requirements = []
        view.collection = []
        view.monitors = []
        view.tenants = []
        view.host = nil
        view.probes = []
        view.slos = []
        view.dashboards = []
        view.itemTenants = [:]
        view.removedItems = []
        view.maintenanceWindows = []
        view.exports = []
        return view
    }

    /// Renders the rules of a view (``view(of:)``).
    private func rules(_ environment: ResolvedEnvironment, diagnostics: inout Diagnostics) -> [ArtifactDocument] {
        var rules: [Rule] = environment.recordingRules.map { Rule(group: $0.group, recording: $0) }
        for alert in environment.alerts {
            if case .prometheus(let criteria) = alert.criteria {
                rules.append(Rule(group: criteria.group, alert: alert, criteria: criteria))
            }
        }
        guard !rules.isEmpty else { return [] }
        // Sorted by key, then grouped: each rule (a large value) is copied once, not on every swap.
        let order = rules.indices.map { (kind: rules[$0].recording == nil ? 1 : 0, id: rules[$0].id, index: $0) }
            .sorted { ($0.kind, $0.id) < ($1.kind, $1.id) }
        var groups: [String: [Rule]] = [:]
        for entry in order { groups[rules[entry.index].group, default: []].append(rules[entry.index]) }
        switch environment.facts.components["prometheus"] {
        case "managed":
            return managed(environment, groups: groups, diagnostics: &diagnostics)
        case "in-cluster":
            return inCluster(environment, groups: groups, diagnostics: &diagnostics)
        default:
            let first = rules.sorted { $0.id < $1.id }[0]
            diagnostics.append(Diagnostic(
                "render/no-prometheus",
                "'\(first.id)' is a Prometheus rule, but environment '\(environment.name)' runs no Prometheus",
                at: (first.alert?.provenance ?? first.recording?.provenance)?.definedAt ?? environment.definedAt,
                hint: "set 'components.prometheus: managed' or 'in-cluster', or limit the rule with 'when: {components.prometheus: [managed, in-cluster]}'",
                notes: [DiagnosticNote("environment defined here", at: environment.definedAt)]))
            return []
        }
    }

    /// `postgresql-down` → `PostgresqlDown`.
    static func alertName(_ id: String) -> String {
        // Ids are ASCII safe names: a byte pass. Anything else takes the Unicode path.
        guard id.utf8.allSatisfy({ $0 < 0x80 }) else {
            return id.split(whereSeparator: { $0 == "-" || $0 == "." }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        }
        var out: [UInt8] = []
        out.reserveCapacity(id.utf8.count)
        var startOfWord = true
        for byte in id.utf8 {
            if byte == 0x2D || byte == 0x2E {
                startOfWord = true
                continue
            }
            out.append(startOfWord && (0x61...0x7A).contains(byte) ? byte - 0x20 : byte)
            startOfWord = false
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func severityLabel(_ severity: Int) -> String {
        switch severity {
        case 0, 1: "critical"
        case 2: "warning"
        default: "info"
        }
    }

    static func annotations(_ alert: AlertRule) -> [String: String] {
        var annotations = ["summary": alert.title, "description": alert.description ?? alert.title]
        if let runbook = alert.runbook { annotations["runbook_url"] = runbook }
        return annotations
    }

    func interval(_ group: String, _ environment: ResolvedEnvironment) -> Duration {
        environment.ruleGroupIntervals[group] ?? Duration(seconds: 60)
    }

    func managed(_ environment: ResolvedEnvironment, groups: [String: [Rule]], diagnostics: inout Diagnostics) -> [ArtifactDocument] {
        guard let workspace = environment.azure.resources["monitor-workspace"]?.first else {
            diagnostics.append(Diagnostic(
                "render/unknown-resource",
                "environment '\(environment.name)' uses managed Prometheus but defines no 'monitor-workspace' resource",
                at: environment.definedAt, hint: "add the Azure Monitor workspace id as azure.resources.monitor-workspace"))
            return []
        }
        let cluster = environment.azure.resources["aks"]?.first
        let groupIDs = ARMTemplateRenderer.actionGroupReferences(environment).mapValues(\.id)
        var resources: [CanonicalValue] = []
        for name in groups.keys.sorted() {
            let all = groups[name]!
            let interval = interval(name, environment)
            if !(60...900).contains(interval.seconds) {
                diagnostics.append(Diagnostic(
                    "render/unsupported-duration", "rule group '\(name)' cannot be evaluated every \(interval)",
                    at: environment.definedAt, hint: "managed Prometheus evaluates rule groups every 1m to 15m"))
                continue
            }
            let chunks = stride(from: 0, to: all.count, by: Self.maxRulesPerGroup).map {
                Array(all[$0..<min($0 + Self.maxRulesPerGroup, all.count)])
            }
            for (index, chunk) in chunks.enumerated() {
                var rules: [CanonicalValue] = []
                for rule in chunk {
                    if let recording = rule.recording {
                        rules.append(.fields([
                            "record": .string(recording.record), "expression": .string(recording.expr),
                            "labels": recording.labels.isEmpty ? nil : .strings(recording.labels),
                        ]))
                    } else if let alert = rule.alert, let criteria = rule.criteria {
                        var actions: [CanonicalValue] = []
                        if let route = alert.route {
                            guard let id = groupIDs[route] else {
                                diagnostics.append(
                                    .unknownActionGroup(alert, route: route, environment: environment, defined: Array(groupIDs.keys)))
                                continue
                            }
                            actions.append(.fields(["actionGroupId": .string(id)]))
                        }
                        var labels = criteria.labels
                        labels["severity"] = Self.severityLabel(alert.severity)
                        rules.append(.fields([
                            "alert": .string(Self.alertName(alert.id)),
                            "expression": .string(criteria.expr),
                            "for": criteria.forDuration.map { .string($0.iso8601) },
                            "severity": .int(alert.severity),
                            "enabled": .bool(alert.enabled),
                            "labels": .strings(labels),
                            "annotations": .strings(Self.annotations(alert)),
                            "actions": .array(actions),
                            "resolveConfiguration": .fields([
                                "autoResolved": .bool(alert.autoMitigate ?? true), "timeToResolve": .string("PT10M"),
                            ]),
                        ]))
                    }
                }
                let groupName = chunks.count == 1 ? "\(environment.name)-\(name)" : "\(environment.name)-\(name)-\(index + 1)"
                var scopes: [CanonicalValue] = [.string(workspace)]
                if let cluster { scopes.append(.string(cluster)) }
                resources.append(.fields([
                    "type": .string("Microsoft.AlertsManagement/prometheusRuleGroups"),
                    "apiVersion": .string("2023-03-01"),
                    "name": .string(groupName),
                    "location": .string(environment.facts.region),
                    "tags": .strings(environment.tags.merging(["vigil-environment": environment.name, "vigil-item": name]) { _, b in b }),
                    "properties": .fields([
                        "description": .string("Vigil rule group '\(name)' of \(environment.name)"),
                        "scopes": .array(scopes),
                        "clusterName": cluster.map { .string(String($0.split(separator: "/").last ?? "")) },
                        "enabled": .bool(true),
                        "interval": .string(interval.iso8601),
                        "rules": .array(rules),
                    ]),
                ]))
            }
        }
        return [
            ArtifactDocument(
                path: "azure/prometheus-rules.json",
                value: .fields([
                    "$schema": .string(ARMTemplateRenderer.templateSchema), "contentVersion": .string("1.0.0.0"),
                    "resources": .array(resources),
                ]),
                format: .json)
        ]
    }

    func inCluster(_ environment: ResolvedEnvironment, groups: [String: [Rule]], diagnostics: inout Diagnostics) -> [ArtifactDocument] {
        var ruleGroups: [CanonicalValue] = []
        for name in groups.keys.sorted() {
            let rules: [CanonicalValue] = groups[name]!.map { rule in
                if let recording = rule.recording {
                    return .fields([
                        "record": .string(recording.record), "expr": .string(recording.expr),
                        "labels": recording.labels.isEmpty ? nil : .strings(recording.labels),
                    ])
                }
                let alert = rule.alert!, criteria = rule.criteria!
                return .fields([
                    "alert": .string(Self.alertName(alert.id)),
                    "expr": .string(criteria.expr),
                    "for": criteria.forDuration.map { .string($0.prometheus) },
                    "labels": .strings(criteria.labels, setting: [
                        "severity": Self.severityLabel(alert.severity), "vigil_environment": environment.name,
                        "vigil_route": alert.route,
                    ]),
                    "annotations": .strings(Self.annotations(alert)),
                ])
            }
            ruleGroups.append(.fields([
                "name": .string(name), "interval": .string(interval(name, environment).prometheus), "rules": .array(rules),
            ]))
        }
        let rule = CanonicalValue.fields([
            "apiVersion": .string("monitoring.coreos.com/v1"),
            "kind": .string("PrometheusRule"),
            "metadata": .fields([
                "name": .string("vigil-\(environment.name)"),
                "namespace": .string(Self.namespace),
                "labels": .strings(["app.kubernetes.io/managed-by": "vigil", "vigil.dev/environment": environment.name]),
            ]),
            "spec": .fields(["groups": .array(ruleGroups)]),
        ])
        return [ArtifactDocument(path: "kubernetes/prometheus-rules.yaml", value: rule, format: .yaml)]
    }
}

/// Writes `kubernetes/kustomization.yaml` listing every manifest the other renderers produced for
/// the environment, so Flux or Argo CD can apply the folder as it is.
enum KustomizationWriter {
    static func document(for paths: [String]) -> ArtifactDocument? {
        let manifests = paths.filter { $0.hasPrefix("kubernetes/") && $0.hasSuffix(".yaml") && $0 != "kubernetes/kustomization.yaml" }
            .map { String($0.dropFirst("kubernetes/".count)) }.sorted()
        guard !manifests.isEmpty else { return nil }
        return ArtifactDocument(
            path: "kubernetes/kustomization.yaml",
            value: .fields([
                "apiVersion": .string("kustomize.config.k8s.io/v1beta1"),
                "kind": .string("Kustomization"),
                "resources": .array(manifests.map { .string($0) }),
            ]),
            format: .yaml)
    }
}
