import Foundation
public import VigilModel

/// Renders the environment's `exports` into `azure/data-exports.json`: one
/// `Microsoft.OperationalInsights/workspaces/dataExports` (2025-07-01) resource per export, named
/// `<workspace>/<export id>`, sending its tables (sorted) to the storage account or Event Hubs
/// namespace of `azure.resources.<destination>`, enabled.
///
/// Stage: render. A template of its own rather than part of `azure/retention.json`: the
/// destination (e.g. an immutable storage account) must exist before the rule is created, and a
/// failed export deployment must not hold back retention changes. The resource type takes no
/// tags. Azure allows at most 10 enabled export rules per workspace.
public struct DataExportRenderer: ArtifactRenderer {
    /// `azure`.
    public static let target = "azure"
    /// Enabled export rules Azure allows per workspace.
    public static let maxExports = 10

    /// Creates the renderer.
    public init() {}

    /// Renders the exports, or nothing when there are none.
    public func render(_ environment: ResolvedEnvironment, diagnostics: inout Diagnostics) -> [ArtifactDocument] {
        guard let first = environment.exports.first else { return [] }
        guard let workspace = environment.azure.workspace else {
            diagnostics.append(Diagnostic(
                "render/no-workspace", "environment '\(environment.name)' exports tables but names no workspace",
                at: environment.definedAt, hint: "set 'azure.workspace'",
                notes: [DiagnosticNote("export '\(first.id)' defined here", at: first.provenance.definedAt)]))
            return []
        }
        if environment.exports.count > Self.maxExports {
            let extra = environment.exports[Self.maxExports]
            diagnostics.append(Diagnostic(
                "render/too-many-exports",
                "environment '\(environment.name)' exports \(environment.exports.count) rules; a workspace allows \(Self.maxExports)",
                at: extra.provenance.definedAt, hint: "export several tables in one rule"))
            return []
        }
        var resources: [CanonicalValue] = []
        for export in environment.exports {
            let at = export.provenance.location(of: "destination") ?? export.provenance.definedAt
            guard let ids = environment.azure.resources[export.destination], !ids.isEmpty else {
                diagnostics.append(Diagnostic(
                    "render/unknown-resource",
                    "export '\(export.id)' sends tables to resource '\(export.destination)', which environment '\(environment.name)' does not define",
                    at: at,
                    hint: Suggestions.hint(
                        for: export.destination, in: Array(environment.azure.resources.keys), listing: "defined resources"),
                    notes: [DiagnosticNote("environment defined here", at: environment.definedAt)]))
                continue
            }
            guard ids.count == 1, Self.isDestination(ids[0]) else {
                diagnostics.append(Diagnostic(
                    "render/export-destination",
                    ids.count == 1
                        ? "export '\(export.id)' sends tables to '\(ids[0])', which is neither a storage account nor an Event Hubs namespace"
                        : "export '\(export.id)' sends tables to resource '\(export.destination)', which lists \(ids.count) ids",
                    at: at,
                    hint: "name an 'azure.resources' key with one Microsoft.Storage/storageAccounts or Microsoft.EventHub/namespaces id"))
                continue
            }
            resources.append(.fields([
                "type": .string("Microsoft.OperationalInsights/workspaces/dataExports"),
                "apiVersion": .string("2025-07-01"),
                "name": .string("\(workspace)/\(export.id)"),
                "properties": .fields([
                    "destination": .fields(["resourceId": .string(ids[0])]),
                    "enable": .bool(true),
                    "tableNames": .array(export.tables.map { .string($0) }),
                ]),
            ]))
        }
        resources.sort { ARMTemplateRenderer.sortKey($0).lexicographicallyPrecedes(ARMTemplateRenderer.sortKey($1)) }
        return [
            ArtifactDocument(
                path: "azure/data-exports.json",
                value: .fields([
                    "$schema": .string(ARMTemplateRenderer.templateSchema), "contentVersion": .string("1.0.0.0"),
                    "resources": .array(resources),
                ]),
                format: .json)
        ]
    }

    /// Whether a resource id names a storage account or an Event Hubs namespace.
    static func isDestination(_ id: String) -> Bool {
        let lowered = id.lowercased()
        return ["/providers/microsoft.storage/storageaccounts/", "/providers/microsoft.eventhub/namespaces/"].contains { type in
            guard let range = lowered.range(of: type) else { return false }
            let name = lowered[range.upperBound...]
            return !name.isEmpty && !name.contains("/")
        }
    }
}
