import Crypto
import Foundation
public import VigilModel

/// Renders dashboards as Grafana dashboard JSON (the classic model, ``Grafana``):
/// - `components.prometheus: in-cluster` → `kubernetes/dashboards.yaml`, one ConfigMap per
///   dashboard in namespace `monitoring`, labelled `grafana_dashboard: "1"` for the Grafana
///   dashboard sidecar, the JSON under the data key `<uid>.json`;
/// - `components.prometheus: managed` (Azure Managed Grafana) → `grafana/<dashboard-id>.json`,
///   the bare dashboard model for `az grafana dashboard create --definition` or the HTTP API;
/// - no Prometheus: nothing (the workbook renderer still renders the KQL panels); a dashboard with
///   PromQL panels there is `render/no-prometheus`.
///
/// Data sources are template variables: `${datasource}` (type `prometheus`) for PromQL panels and
/// `${logs}` (the Azure Monitor data source) for KQL panels, so one JSON works against any
/// Grafana's data sources. Tenant dashboards on multi-tenant environments get a `tenant` custom
/// variable. Panel ids count from 1 in layout order; the uid is `<environment>-<dashboard>`,
/// shortened with a hash when longer than 40 characters.
///
/// Stage: render.
public struct GrafanaDashboardRenderer: ArtifactRenderer {
    /// `grafana` or `kubernetes`, by flavour.
    public static let target = "grafana"
    /// Namespace of the dashboard ConfigMaps in in-cluster environments.
    public static let namespace = "monitoring"
    /// The limit of a ConfigMap's data, less headroom.
    public static let maxConfigMapBytes = 1_000_000

    /// Creates the renderer.
    public init() {}

    /// Renders the environment's dashboards for its Prometheus flavour.
    public func render(_ environment: ResolvedEnvironment, diagnostics: inout Diagnostics) -> [ArtifactDocument] {
        guard !environment.dashboards.isEmpty else { return [] }
        let flavour = environment.facts.components["prometheus"]
        guard flavour == "managed" || flavour == "in-cluster" else {
            for dashboard in environment.dashboards {
                guard let panel = dashboard.panels.first(where: { $0.queries.contains { $0.language == .prometheus } }) else { continue }
                diagnostics.append(Diagnostic(
                    "render/no-prometheus",
                    "panel '\(panel.id)' of dashboard '\(dashboard.id)' queries Prometheus, but environment '\(environment.name)' runs no Prometheus",
                    at: panel.definedAt,
                    hint: "set 'components.prometheus: managed' or 'in-cluster', or limit the panel with 'when: {components.prometheus: [managed, in-cluster]}'",
                    notes: [DiagnosticNote("environment defined here", at: environment.definedAt)]))
            }
            return []
        }
        let dashboards = environment.dashboards.map { (dashboard: $0, model: Self.model($0, environment: environment)) }
        if flavour == "managed" {
            return dashboards.map { ArtifactDocument(path: "grafana/\($0.dashboard.id).json", value: $0.model.canonical, format: .json) }
        }
        var configMaps: [CanonicalValue] = []
        for (dashboard, model) in dashboards.sorted(by: { $0.model.uid < $1.model.uid }) {
            let json = CanonicalJSONWriter().compact(model.canonical)
            guard json.utf8.count <= Self.maxConfigMapBytes else {
                diagnostics.append(Diagnostic(
                    "render/dashboard-too-large",
                    "dashboard '\(dashboard.id)' is \(json.utf8.count) bytes of JSON, more than a ConfigMap holds",
                    at: dashboard.provenance.definedAt, hint: "split it into smaller dashboards"))
                continue
            }
            configMaps.append(.fields([
                "apiVersion": .string("v1"),
                "kind": .string("ConfigMap"),
                "metadata": .fields([
                    "name": .string("vigil-dashboard-\(model.uid.lowercased())"),
                    "namespace": .string(Self.namespace),
                    "labels": .strings([
                        "grafana_dashboard": "1", "app.kubernetes.io/managed-by": "vigil",
                        "vigil.dev/environment": environment.name, "vigil.dev/item": dashboard.id,
                    ]),
                ]),
                "data": .fields(["\(model.uid).json": .string(json)]),
            ]))
        }
        guard !configMaps.isEmpty else { return [] }
        return [ArtifactDocument(path: "kubernetes/dashboards.yaml", value: .array(configMaps), format: .yaml, multiDocument: true)]
    }

    /// The dashboard's uid: `<environment>-<dashboard>` when it fits Grafana's 40 characters,
    /// otherwise its first 31 characters and 8 hex digits of its SHA-256.
    static func uid(environment: String, dashboard: String) -> String {
        let full = "\(environment)-\(dashboard)"
        guard full.count > 40 else { return full }
        let digest = SHA256.hash(data: Data(full.utf8)).map { String(format: "%02x", $0) }.joined()
        var prefix = String(full.prefix(31))
        while prefix.hasSuffix("-") { prefix.removeLast() }
        return "\(prefix)-\(digest.prefix(8))"
    }

    static let prometheusSource = Grafana.DataSourceRef(type: Grafana.prometheusType, uid: "${datasource}")
    static let logSource = Grafana.DataSourceRef(type: Grafana.azureMonitorType, uid: "${logs}")

    /// The Grafana model of a dashboard.
    static func model(_ dashboard: Dashboard, environment: ResolvedEnvironment) -> Grafana.Dashboard {
        var variables = [
            Grafana.Variable(name: "datasource", label: "Prometheus", type: "datasource", query: Grafana.prometheusType, options: [])
        ]
        if dashboard.hasLogPanels {
            variables.append(Grafana.Variable(name: "logs", label: "Log Analytics", type: "datasource", query: Grafana.azureMonitorType, options: []))
        }
        for variable in dashboard.variables {
            let options = variable.options.map { Grafana.Variable.Option(text: $0.text, value: $0.value) }
            variables.append(Grafana.Variable(
                name: variable.name, label: variable.label, type: "custom",
                query: options.map { "\($0.text) : \($0.value)" }.joined(separator: ","), options: options))
        }
        let workspace = ARMTemplateRenderer.workspaceID(environment) ?? ""
        var panels: [Grafana.Panel] = []
        for (index, element) in DashboardLayout.layout(dashboard).enumerated() {
            let grid = Grafana.GridPos(x: element.x, y: element.y, w: element.w, h: element.h)
            guard let panel = element.panel else {
                panels.append(Grafana.Panel(
                    id: index + 1, type: "row", title: element.header ?? "", description: nil, gridPos: grid, datasource: nil,
                    targets: [], unit: nil, steps: [], thresholdLines: false, timeFrom: nil, content: nil))
                continue
            }
            let targets = panel.queries.enumerated().map { offset, query -> Grafana.Target in
                let refId = String(UnicodeScalar(UInt8(65 + offset % 26)))
                switch query.language {
                case .prometheus:
                    return Grafana.Target(
                        refId: refId, datasource: prometheusSource,
                        prometheus: .init(expr: query.text, legendFormat: query.legend, instant: panel.kind != .timeseries),
                        logAnalytics: nil)
                case .log:
                    return Grafana.Target(
                        refId: refId, datasource: logSource, prometheus: nil,
                        logAnalytics: .init(
                            query: query.text, workspace: workspace,
                            resultFormat: panel.kind == .timeseries ? "time_series" : "table"))
                }
            }
            panels.append(Grafana.Panel(
                id: index + 1, type: panel.kind.rawValue, title: panel.title,
                description: panel.kind == .text ? nil : panel.description, gridPos: grid, datasource: targets.first?.datasource,
                targets: targets, unit: panel.unit,
                steps: [Grafana.ThresholdStep(value: nil, color: panel.baseColor)]
                    + panel.thresholds.map { Grafana.ThresholdStep(value: $0.value, color: $0.color) },
                thresholdLines: !panel.thresholds.isEmpty, timeFrom: panel.timeRange.map(BurnRateCompiler.kustoTimespan),
                content: panel.kind == .text ? panel.description : nil))
        }
        return Grafana.Dashboard(
            uid: uid(environment: environment.name, dashboard: dashboard.id), title: "\(dashboard.title) · \(environment.name)",
            description: dashboard.description, tags: Array(Set(dashboard.tags + ["vigil", environment.name])).sorted(),
            timeFrom: BurnRateCompiler.kustoTimespan(dashboard.timeRange), variables: variables, panels: panels)
    }
}
