import Foundation
public import VigilModel

/// Renders the environment's resource-log collection into `azure/diagnostic-settings.json`: one
/// `Microsoft.Insights/diagnosticSettings` (2021-05-01-preview) extension resource per
/// `collection` item of kind `diagnosticSetting` and per resource id its `resource` key names,
/// sending the item's categories to the environment's workspace.
///
/// Stage: render. Settings whose tables are resource-specific use
/// `logAnalyticsDestinationType: Dedicated`; those that fill `AzureDiagnostics` use the legacy
/// shared table. Items without a `resource` (the subscription's activity log) are not rendered:
/// a resource-group template cannot deploy subscription-scoped settings. Data collection rules
/// and Container Insights settings are rendered with the Kubernetes outputs.
public struct DiagnosticSettingsRenderer: ArtifactRenderer {
    /// `azure`.
    public static let target = "azure"

    /// Creates the renderer.
    public init() {}

    /// Renders the diagnostic settings, or nothing when there are none.
    public func render(_ environment: ResolvedEnvironment, diagnostics: inout Diagnostics) -> [ArtifactDocument] {
        let sources = environment.collection.filter { $0.kind == "diagnosticSetting" && $0.resource != nil }
        guard !sources.isEmpty else { return [] }
        guard let workspace = ARMTemplateRenderer.workspaceID(environment) else {
            diagnostics.append(Diagnostic(
                "render/no-workspace", "environment '\(environment.name)' sends resource logs but names no workspace",
                at: environment.definedAt, hint: "set 'azure.workspace'",
                notes: [DiagnosticNote("'\(sources[0].id)' defined here", at: sources[0].provenance.definedAt)]))
            return []
        }
        var resources: [CanonicalValue] = []
        for source in sources {
            let key = source.resource!
            guard let ids = environment.azure.resources[key], !ids.isEmpty else {
                diagnostics.append(Diagnostic(
                    "render/unknown-resource",
                    "collection '\(source.id)' sends logs of resource '\(key)', which environment '\(environment.name)' does not define",
                    at: source.provenance.location(of: "resource") ?? source.provenance.definedAt,
                    hint: Suggestions.hint(for: key, in: Array(environment.azure.resources.keys), listing: "defined resources"),
                    notes: [DiagnosticNote("environment defined here", at: environment.definedAt)]))
                continue
            }
            let logs: [CanonicalValue] =
                source.categories.isEmpty
                ? [.fields(["categoryGroup": .string("allLogs"), "enabled": .bool(true)])]
                : source.categories.map { .fields(["category": .string($0), "enabled": .bool(true)]) }
            let dedicated = !source.tables.contains("AzureDiagnostics")
            for id in ids {
                resources.append(.fields([
                    "type": .string("Microsoft.Insights/diagnosticSettings"),
                    "apiVersion": .string("2021-05-01-preview"),
                    "name": .string("vigil-\(source.id)"),
                    "scope": .string(id),
                    "properties": .fields([
                        "workspaceId": .string(workspace),
                        "logAnalyticsDestinationType": dedicated ? .string("Dedicated") : nil,
                        "logs": .array(logs),
                    ]),
                ]))
            }
        }
        resources.sort { lhs, rhs in
            func key(_ value: CanonicalValue) -> [UInt8] {
                guard case .object(let f) = value, case .string(let scope)? = f["scope"], case .string(let name)? = f["name"] else { return [] }
                return Array(scope.utf8) + [0] + Array(name.utf8)
            }
            return key(lhs).lexicographicallyPrecedes(key(rhs))
        }
        return [
            ArtifactDocument(
                path: "azure/diagnostic-settings.json",
                value: .fields([
                    "$schema": .string(ARMTemplateRenderer.templateSchema), "contentVersion": .string("1.0.0.0"),
                    "resources": .array(resources),
                ]),
                format: .json)
        ]
    }
}
