import Foundation
public import VigilModel

/// Renders what makes the environment's Prometheus signals exist, and what its cluster's agents
/// collect:
/// - `components.prometheus: in-cluster` → `kubernetes/monitors.yaml`: one
///   `monitoring.coreos.com/v1` ServiceMonitor or PodMonitor per `monitors` item, in the
///   Prometheus stack's namespace (``PrometheusRenderer/namespace``) with the labels the
///   PrometheusRule carries, selecting the target's namespaces with `namespaceSelector`;
/// - `components.prometheus: managed` → the same objects as `azmonitoring.coreos.com/v1` (the
///   AKS metrics add-on ignores `monitoring.coreos.com`) in ``managedNamespace``, with the label
///   limits Azure asks for, plus `kubernetes/ama-metrics-settings-configmap.yaml`: the add-on's
///   settings, whose `default-targets-metrics-keep-list` keeps every series the environment's
///   rules read from a default target (``keepList(_:)``);
/// - a `containerInsights` collection source on an AKS cluster →
///   `kubernetes/container-azm-ms-agentconfig.yaml`: the Container Insights agent's settings,
///   which namespaces' stdout and stderr are collected (``logCollection(_:)``).
///
/// Stage: render. Objects are named `<environment>-<id>` and sorted by kind and name; every list
/// in the settings is sorted, so the bytes do not depend on input order.
public struct ScrapeRenderer: ArtifactRenderer {
    /// `kubernetes`.
    public static let target = "kubernetes"
    /// Namespace of the `azmonitoring.coreos.com` monitors: it exists on every AKS cluster, and
    /// the add-on reads its other settings from there.
    public static let managedNamespace = "kube-system"
    /// Label limits on managed-Prometheus monitors, as Azure's templates set them: series beyond
    /// them are dropped by the add-on.
    public static let managedLabelLimits: [(field: String, limit: Int)] = [
        ("labelLimit", 63), ("labelNameLengthLimit", 511), ("labelValueLengthLimit", 1023),
    ]
    /// The default scrape targets of AKS managed Prometheus and the metric families each one
    /// publishes, by name prefix (the target names of `ama-metrics-settings-configmap`).
    public static let defaultTargets: [(prefix: String, target: String)] = [
        ("container_", "cadvisor"),
        ("coredns_", "coredns"),
        ("kube_", "kubestate"),
        ("kubelet_", "kubelet"),
        ("kubeproxy_", "kubeproxy"),
        ("machine_", "cadvisor"),
        ("node_", "nodeexporter"),
        ("storage_operation_", "kubelet"),
        ("volume_manager_", "kubelet"),
    ]
    /// Namespaces of the cluster's own components, whose container logs Container Insights does
    /// not collect unless a source lists them: Azure's defaults (`kube-system`,
    /// `gatekeeper-system`) and the other namespaces AKS itself runs.
    public static let systemNamespaces = [
        "aks-command", "calico-system", "gatekeeper-system", "kube-node-lease", "kube-public", "kube-system", "tigera-operator",
    ]
    /// The `config-version` of both agent ConfigMaps (at most 10 characters).
    static let configVersion = "vigil"

    /// Creates the renderer.
    public init() {}

    /// Renders the monitors, the managed-Prometheus settings and the Container Insights settings.
    public func render(_ environment: ResolvedEnvironment, diagnostics: inout Diagnostics) -> [ArtifactDocument] {
        var documents: [ArtifactDocument] = []
        switch environment.facts.components["prometheus"] {
        case "in-cluster":
            documents += monitors(environment, managed: false, diagnostics: &diagnostics)
        case "managed":
            documents += monitors(environment, managed: true, diagnostics: &diagnostics)
            if let settings = Self.metricsSettings(environment) { documents.append(settings) }
        default:
            if let first = environment.monitors.first {
                diagnostics.append(Diagnostic(
                    "render/no-prometheus",
                    "'\(first.id)' is a scrape monitor, but environment '\(environment.name)' runs no Prometheus",
                    at: first.provenance.definedAt,
                    hint: "set 'components.prometheus: managed' or 'in-cluster', or limit the monitor with 'when: {components.prometheus: [managed, in-cluster]}'",
                    notes: [DiagnosticNote("environment defined here", at: environment.definedAt)]))
            }
        }
        if let agent = Self.containerInsightsSettings(environment) { documents.append(agent) }
        return documents
    }

    // MARK: Monitors

    static func labels(_ environment: ResolvedEnvironment, _ monitor: ScrapeMonitor) -> [String: String] {
        var labels = monitor.labels
        labels["app.kubernetes.io/managed-by"] = "vigil"
        labels["vigil.dev/environment"] = environment.name
        labels["vigil.dev/item"] = monitor.id
        return labels
    }

    func monitors(_ environment: ResolvedEnvironment, managed: Bool, diagnostics: inout Diagnostics) -> [ArtifactDocument] {
        var objects: [(key: [UInt8], value: CanonicalValue)] = []
        for monitor in environment.monitors {
            guard !monitor.selector.isEmpty else {
                diagnostics.append(Diagnostic(
                    "render/empty-selector", "monitor '\(monitor.id)' selects by no label, so it would scrape every \(monitor.kind == .podMonitor ? "pod" : "Service")",
                    at: monitor.provenance.location(of: "selector") ?? monitor.provenance.definedAt,
                    hint: "select the target by its labels, e.g. 'app.kubernetes.io/name'"))
                continue
            }
            let endpoint = CanonicalValue.fields([
                "port": .string(monitor.port),
                "path": .string(monitor.path),
                "interval": .string(monitor.interval.prometheus),
                "scheme": monitor.scheme.map { .string($0) },
                "honorLabels": monitor.honorLabels ? .bool(true) : nil,
            ])
            let namespaceSelector: CanonicalValue =
                monitor.namespaces.isEmpty
                ? .fields(["any": .bool(true)]) : .fields(["matchNames": .array(monitor.namespaces.map { .string($0) })])
            var spec: CanonicalObject = [
                "namespaceSelector": namespaceSelector,
                "selector": .fields(["matchLabels": .strings(monitor.selector)]),
                monitor.kind == .podMonitor ? "podMetricsEndpoints" : "endpoints": .array([endpoint]),
            ]
            if managed {
                for (key, limit) in Self.managedLabelLimits { spec[key] = .int(limit) }
            }
            let name = "\(environment.name)-\(monitor.id)"
            let namespace = managed ? Self.managedNamespace : PrometheusRenderer.namespace
            objects.append((
                Array(monitor.kind.rawValue.utf8) + [0] + Array(name.utf8),
                .fields([
                    "apiVersion": .string(managed ? "azmonitoring.coreos.com/v1" : "monitoring.coreos.com/v1"),
                    "kind": .string(monitor.kind.rawValue),
                    "metadata": .fields([
                        "name": .string(name), "namespace": .string(namespace),
                        "labels": .strings(Self.labels(environment, monitor)),
                    ]),
                    "spec": .object(spec),
                ])
            ))
        }
        guard !objects.isEmpty else { return [] }
        let sorted = objects.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map(\.value)
        return [ArtifactDocument(path: "kubernetes/monitors.yaml", value: .array(sorted), format: .yaml, multiDocument: true)]
    }

    // MARK: Managed Prometheus keep-list

    /// Every metric name the environment's Prometheus rules and dashboards read (alerting rules
    /// with `prometheus` criteria, recording rules — SLO rules included — and PromQL panel
    /// queries), without the series the environment records itself; sorted.
    /// - Parameter environment: The environment.
    /// - Returns: The names.
    public static func usedMetrics(_ environment: ResolvedEnvironment) -> [String] {
        var names = Set<String>()
        for alert in environment.alerts {
            if case .prometheus(let criteria) = alert.criteria { names.formUnion(PromQLMetrics.names(in: criteria.expr)) }
        }
        for rule in environment.recordingRules { names.formUnion(PromQLMetrics.names(in: rule.expr)) }
        for panel in environment.dashboards.flatMap(\.panels) {
            for query in panel.queries where query.language == .prometheus { names.formUnion(PromQLMetrics.names(in: query.text)) }
        }
        names.subtract(environment.recordingRules.map(\.record))
        return names.sorted()
    }

    /// The AKS default target that scrapes a metric, by its family.
    /// - Parameter metric: A metric name.
    /// - Returns: The target's name in `ama-metrics-settings-configmap`, or nil.
    public static func defaultTarget(of metric: String) -> String? {
        defaultTargets.first { metric.hasPrefix($0.prefix) }?.target
    }

    /// The metrics to keep per AKS default target: each metric the rules read that a default
    /// target scrapes and no monitor of the environment publishes.
    /// - Parameter environment: The environment.
    /// - Returns: Sorted metric names by target name.
    public static func keepList(_ environment: ResolvedEnvironment) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for metric in usedMetrics(environment) where !environment.monitors.contains(where: { $0.publishes(metric) }) {
            if let target = defaultTarget(of: metric) { result[target, default: []].append(metric) }
        }
        return result
    }

    /// `ama-metrics-settings-configmap` (schema v2), or nil when no default-target series is used.
    static func metricsSettings(_ environment: ResolvedEnvironment) -> ArtifactDocument? {
        let keep = keepList(environment)
        guard !keep.isEmpty else { return nil }
        let targets = keep.keys.sorted()
        // The v2 layout: a YAML map of text blocks, in the order of Azure's template. The targets
        // whose series are kept must be scraped; the others keep the add-on's defaults.
        let yaml = SettingsText.blocks([
            ("default-targets-scrape-enabled", SettingsText.lines(targets.map { ($0, .bool(true)) })),
            ("default-targets-metrics-keep-list", SettingsText.lines(targets.map { ($0, .string(keep[$0]!.joined(separator: "|"))) })),
            ("minimal-ingestion-profile", SettingsText.lines([("enabled", .bool(true))])),
        ])
        return configMap(
            "ama-metrics-settings-configmap", environment: environment,
            data: ["schema-version": "v2", "config-version": configVersion, "cluster-metrics": yaml])
    }

    static func configMap(_ name: String, environment: ResolvedEnvironment, data: [String: String]) -> ArtifactDocument {
        ArtifactDocument(
            path: "kubernetes/\(name).yaml",
            value: .fields([
                "apiVersion": .string("v1"),
                "kind": .string("ConfigMap"),
                "metadata": .fields([
                    "name": .string(name), "namespace": .string("kube-system"),
                    "labels": .strings(["app.kubernetes.io/managed-by": "vigil", "vigil.dev/environment": environment.name]),
                ]),
                "data": .strings(data),
            ]),
            format: .yaml)
    }

    // MARK: Container Insights

    /// What the Container Insights agent collects from container stdout and stderr.
    public struct LogCollection: Sendable, Hashable {
        /// Whether stdout and stderr are collected at all (a source fills `ContainerLogV2` or `ContainerLog`).
        public var enabled: Bool
        /// `v2` (`ContainerLogV2`) or `v1` (`ContainerLog`).
        public var schemaVersion: String
        /// Namespaces whose logs are not collected, sorted.
        public var excluded: [String]
    }

    /// The Container Insights collection of the environment, or nil when it has no
    /// `containerInsights` source on an AKS cluster.
    ///
    /// The agent can only exclude namespaces. When no source names namespaces, everything but
    /// ``systemNamespaces`` is collected. When sources name some (`namespaces`, and with
    /// `tenantNamespaces: true` the namespaces of the environment's tenants), every other
    /// namespace the environment is known to run — the system namespaces, its tenants' and its
    /// monitors' — is excluded; a namespace Vigil does not know of is still collected.
    /// - Parameter environment: The environment.
    /// - Returns: The settings.
    public static func logCollection(_ environment: ResolvedEnvironment) -> LogCollection? {
        let sources = environment.collection.filter { source in
            guard source.kind == "containerInsights" else { return false }
            return environment.azure.resources[source.resource ?? "aks"]?.contains { id in
                id.lowercased().contains("/providers/microsoft.containerservice/managedclusters/")
            } ?? false
        }
        guard !sources.isEmpty else { return nil }
        let tenantNamespaces = Set(environment.tenants.compactMap(\.namespace))
        var collected = Set(sources.flatMap(\.namespaces))
        if sources.contains(where: \.tenantNamespaces) { collected.formUnion(tenantNamespaces) }
        var excluded = Set(systemNamespaces)
        if !collected.isEmpty {
            excluded.formUnion(tenantNamespaces)
            excluded.formUnion(environment.monitors.flatMap(\.namespaces))
            excluded.subtract(collected)
        }
        let tables = Set(sources.flatMap(\.tables))
        return LogCollection(
            enabled: tables.contains("ContainerLogV2") || tables.contains("ContainerLog"),
            schemaVersion: tables.contains("ContainerLogV2") || !tables.contains("ContainerLog") ? "v2" : "v1",
            excluded: excluded.sorted())
    }

    /// `container-azm-ms-agentconfig`, or nil.
    static func containerInsightsSettings(_ environment: ResolvedEnvironment) -> ArtifactDocument? {
        guard let collection = logCollection(environment) else { return nil }
        let stream: [(String, SettingsText.Value)] = [
            ("enabled", .bool(collection.enabled)), ("exclude_namespaces", .list(collection.excluded)),
        ]
        let settings = SettingsText.toml([
            ("log_collection_settings", []),
            ("log_collection_settings.stdout", stream),
            ("log_collection_settings.stderr", stream),
            ("log_collection_settings.schema", [("containerlog_schema_version", .string(collection.schemaVersion))]),
        ])
        return configMap(
            "container-azm-ms-agentconfig", environment: environment,
            data: ["schema-version": "v1", "config-version": configVersion, "log-data-collection-settings": settings])
    }
}

/// The settings text the Azure agents read inside their ConfigMaps: `key = value` lines and TOML
/// tables, written from data (values quoted and escaped the TOML way), one trailing newline.
enum SettingsText {
    enum Value {
        case bool(Bool)
        case string(String)
        case list([String])
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func render(_ value: Value) -> String {
        switch value {
        case .bool(let b): b ? "true" : "false"
        case .string(let s): quoted(s)
        case .list(let items): "[" + items.map(quoted).joined(separator: ", ") + "]"
        }
    }

    /// `key = value` lines.
    static func lines(_ pairs: [(String, Value)]) -> String {
        pairs.map { "\($0.0) = \(render($0.1))\n" }.joined()
    }

    /// A YAML map of literal text blocks (`key: |-` and the text indented by two spaces), in the
    /// given order. Keys are fixed setting names; every text line is one `key = value` line.
    static func blocks(_ sections: [(String, String)]) -> String {
        sections.map { key, text in
            "\(key): |-\n" + text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { "  \($0)\n" }.joined()
        }.joined()
    }

    /// TOML tables in the given order.
    static func toml(_ tables: [(String, [(String, Value)])]) -> String {
        tables.map { "[\($0.0)]\n" + lines($0.1) }.joined(separator: "\n")
    }
}
