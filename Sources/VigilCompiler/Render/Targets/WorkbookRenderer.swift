import Foundation
public import VigilModel

/// Renders the Log Analytics view of every dashboard with KQL panels as an Azure Monitor workbook
/// (`Microsoft.Insights/workbooks` 2023-06-01, `kind: shared`) in `azure/workbooks.json`, one
/// resource per dashboard, sorted by name.
///
/// - The name is a version-5 UUID of `vigil:workbook:<environment>/<dashboard>` (``NameBasedUUID``),
///   so it never changes between runs; `sourceId` is the environment's workspace.
/// - `serializedData` is the workbook content (``Workbook/Notebook``) as compact canonical JSON: a
///   header, a parameters item (time range; on tenant dashboards of multi-tenant environments a
///   tenant drop-down), then one KQL item per KQL panel, laid out like the Grafana dashboard
///   with the other panels left out. Dashboard variables `$tenant` / `${tenant}` become the
///   workbook parameter `{tenant}`.
///
/// Stage: render. Thresholds are drawn by Grafana only.
public struct WorkbookRenderer: ArtifactRenderer {
    /// `azure`.
    public static let target = "azure"
    /// The workbook API version.
    public static let apiVersion = "2023-06-01"
    /// The name of the time-range parameter.
    static let timeParameter = "TimeRange"

    /// Creates the renderer.
    public init() {}

    /// Renders `azure/workbooks.json`, or nothing when no dashboard has KQL panels.
    public func render(_ environment: ResolvedEnvironment, diagnostics: inout Diagnostics) -> [ArtifactDocument] {
        let dashboards = environment.dashboards.filter(\.hasLogPanels)
        guard !dashboards.isEmpty else { return [] }
        guard let workspace = ARMTemplateRenderer.workspaceID(environment) else {
            let first = dashboards[0]
            diagnostics.append(Diagnostic(
                "render/no-workspace",
                "dashboard '\(first.id)' has KQL panels, but environment '\(environment.name)' names no workspace",
                at: first.provenance.definedAt, hint: "set 'azure.workspace', or limit the KQL panels with 'when'",
                notes: [DiagnosticNote("environment defined here", at: environment.definedAt)]))
            return []
        }
        let resources = dashboards.map { resource($0, environment: environment, workspace: workspace) }
            .sorted { Self.name(of: $0) < Self.name(of: $1) }
        return [
            ArtifactDocument(
                path: "azure/workbooks.json",
                value: .fields([
                    "$schema": .string(ARMTemplateRenderer.templateSchema), "contentVersion": .string("1.0.0.0"),
                    "resources": .array(resources),
                ]),
                format: .json)
        ]
    }

    static func name(of resource: CanonicalValue) -> String {
        if case .object(let fields) = resource, case .string(let name)? = fields["name"] { return name }
        return ""
    }

    /// The stable GUID name of a dashboard's workbook.
    static func workbookName(environment: String, dashboard: String) -> String {
        NameBasedUUID.v5("vigil:workbook:\(environment)/\(dashboard)")
    }

    func resource(_ dashboard: Dashboard, environment: ResolvedEnvironment, workspace: String) -> CanonicalValue {
        let notebook = Self.notebook(dashboard, environment: environment, workspace: workspace)
        return .fields([
            "type": .string("Microsoft.Insights/workbooks"),
            "apiVersion": .string(Self.apiVersion),
            "name": .string(Self.workbookName(environment: environment.name, dashboard: dashboard.id)),
            "location": .string(environment.facts.region),
            "kind": .string("shared"),
            "tags": .strings(environment.tags.merging(["vigil-environment": environment.name, "vigil-item": dashboard.id]) { _, b in b }),
            "properties": .fields([
                "displayName": .string("\(dashboard.title) · \(environment.name)"),
                "description": dashboard.description.map { .string($0) },
                "category": .string("workbook"),
                "sourceId": .string(workspace),
                "version": .string("Notebook/1.0"),
                "serializedData": .string(CanonicalJSONWriter().compact(notebook.canonical)),
            ]),
        ])
    }

    /// The workbook content of a dashboard's KQL panels.
    static func notebook(_ dashboard: Dashboard, environment: ResolvedEnvironment, workspace: String) -> Workbook.Notebook {
        var header = "## \(dashboard.title)"
        if let description = dashboard.description { header += "\n\n\(description)" }
        var items: [Workbook.Item] = [.text(name: "header", markdown: header)]
        var parameters = [
            Workbook.Parameter(
                id: NameBasedUUID.v5("vigil:workbook:\(environment.name)/\(dashboard.id)/parameter/\(timeParameter)"),
                name: timeParameter, label: "Time range",
                timeRange: .init(defaultMilliseconds: dashboard.timeRange.seconds * 1000), dropDown: nil)
        ]
        for variable in dashboard.variables {
            parameters.append(Workbook.Parameter(
                id: NameBasedUUID.v5("vigil:workbook:\(environment.name)/\(dashboard.id)/parameter/\(variable.name)"),
                name: variable.name, label: variable.label, timeRange: nil,
                dropDown: .init(options: variable.options.map { ($0.value, $0.text) })))
        }
        items.append(.parameters(name: "parameters", parameters))
        // The KQL panels alone, laid out by the same scheme as the Grafana dashboard.
        var logOnly = dashboard
        logOnly.panels = dashboard.panels.filter { $0.queries.contains { $0.language == .log } }
        let names = Set(dashboard.variables.map(\.name))
        for element in DashboardLayout.layout(logOnly) {
            guard let panel = element.panel else {
                items.append(.text(name: "row-\(element.row)", markdown: "### \(element.header ?? "")"))
                continue
            }
            for (offset, query) in panel.queries.enumerated() where query.language == .log {
                items.append(.query(Workbook.Query(
                    name: offset == 0 ? panel.id : "\(panel.id)-\(offset + 1)", title: panel.title,
                    query: parameterised(query.text, names: names),
                    visualization: panel.kind == .timeseries ? "timechart" : "table",
                    width: element.w * 100 / DashboardLayout.columns,
                    fixedMilliseconds: panel.timeRange.map { $0.seconds * 1000 }, timeParameter: timeParameter)))
            }
        }
        return Workbook.Notebook(items: items, fallbackResource: workspace)
    }

    /// A query with the dashboard's variables (`$tenant`, `${tenant}`, `${tenant:raw}`,
    /// `[[tenant]]`) written as workbook parameters (`{tenant}`).
    static func parameterised(_ text: String, names: Set<String>) -> String {
        let pattern = DashboardResolver.variablePattern
        var result = ""
        var last = text.startIndex
        for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let range = Range(match.range, in: text),
                let name = (1...3).lazy.compactMap({ Range(match.range(at: $0), in: text).map { String(text[$0]) } }).first,
                names.contains(name)
            else { continue }
            result += text[last..<range.lowerBound] + "{\(name)}"
            last = range.upperBound
        }
        return result + text[last...]
    }
}
